import { afterAll, beforeAll, inject } from 'vitest'
import { etcdDelPrefix, etcdGetPrefix, etcdPut, runCli, writeCalicoctlCfg, type CliResult } from './helpers.js'
import { startKddFixture, type KddFixture } from './kube-apiserver/fixture.js'
import type { KubeObject } from './kube-apiserver/store.js'

/**
 * The datastores a CRUD suite runs on, behind one shape: how to start from empty, how to register a
 * node the way the cluster's own components do, and what is stored (keyed `<plural>/<name>`).
 */
export interface DatastoreUnderTest {
  name: 'etcd' | 'kubernetes'
  /** Starts from an empty store; returns the calicoctl.cfg path for it. */
  setUp(): Promise<string>
  tearDown(): Promise<void>
  /** Empties the store again between tests. */
  reset(): Promise<void>
  /** The inner error text of "resource does not exist" for a resource of `plural`. */
  notFoundInner(plural: string, name: string): string
  /** A node as calico/node (etcd) or the kubelet plus calico/node annotations (Kubernetes) registers it. */
  addNode(etcdValue: string, kubeNode: KubeObject): Promise<void>
  /** A namespace as the cluster has it (etcd keeps none: a no-op there). */
  addNamespace(name: string): Promise<void>
  /** etcd: the parsed JSON values; kubernetes: the API objects (`<plural>[/<namespace>]/<name>`). */
  stored(): Promise<Map<string, any>>
  /** The Kubernetes test server, when this is the Kubernetes datastore. */
  fixture?: KddFixture
}

const RES = '/calico/resources/v3/projectcalico.org'

export function etcdUnderTest(instance: 'etcdPlain' | 'etcdTls' | 'etcdTlsAuth'): DatastoreUnderTest {
  const env = inject(instance)
  return {
    name: 'etcd',
    async setUp() {
      await etcdDelPrefix(env, '/calico/')
      return writeCalicoctlCfg(env)
    },
    async tearDown() {},
    async reset() {
      await etcdDelPrefix(env, '/calico/')
    },
    notFoundInner: () => '<nil>',
    async addNamespace() {},
    async addNode(etcdValue) {
      await etcdPut(env, `${RES}/nodes/${JSON.parse(etcdValue).metadata.name}`, etcdValue)
    },
    async stored() {
      const keys = await etcdGetPrefix(env, `${RES}/`)
      return new Map([...keys].map(([key, value]) => [key.slice(RES.length + 1), JSON.parse(value)]))
    },
  }
}

export function kubernetesUnderTest(): DatastoreUnderTest {
  const ds: DatastoreUnderTest = {
    name: 'kubernetes',
    async setUp() {
      await ds.fixture?.close()
      ds.fixture = await startKddFixture()
      return ds.fixture.cfg
    },
    async tearDown() {
      await ds.fixture?.close()
    },
    async reset() {
      ds.fixture?.server.store.clear()
    },
    notFoundInner: (plural, name) => `${plural}.crd.projectcalico.org "${name}" not found`,
    async addNamespace(name) {
      ds.fixture?.addNamespace(name)
    },
    async addNode(_etcdValue, kubeNode) {
      ds.fixture?.addNode(structuredClone(kubeNode))
    },
    async stored() {
      const entries = ds.fixture?.server.store.entries() ?? []
      return new Map(entries.map((e) => [[e.plural, e.object.metadata.namespace, e.object.metadata.name].filter(Boolean).join('/'), e.object]))
    },
  }
  return ds
}

/**
 * Sets `ds` up before the enclosing suite and tears it down after; returns calicoctl bound to the
 * datastore's calicoctl.cfg (`-c` goes last, so tests pass only what they are about).
 */
export function calicoctlOn(ds: DatastoreUnderTest): (args: string[], stdin?: string) => Promise<CliResult> {
  let cfg = ''
  beforeAll(async () => {
    cfg = await ds.setUp()
  })
  afterAll(() => ds.tearDown())
  return (args, stdin) => runCli([...args, '-c', cfg], { stdin })
}
