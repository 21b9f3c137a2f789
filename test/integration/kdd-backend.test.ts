import http from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { KubernetesDatastore } from '../../src/datastore/kubernetes/backend.js'
import { convertUid } from '../../src/datastore/kubernetes/uid.js'
import { AlreadyExistsError, ConflictError, NotFoundError, NotSupportedError, UnauthorizedError, UnreachableError } from '../../src/errors.js'
import { kindByKind } from '../../src/resources/all-kinds.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import type { Resource } from '../../src/resources/types.js'
import { NODES } from './kube-apiserver/resources.js'
import { startKubeApiServer, type KubeApiServer } from './kube-apiserver/server.js'

/**
 * The Kubernetes backend against the test API server, in process: the REST calls it makes and how
 * Kubernetes answers map onto the typed errors and texts calicoctl prints.
 */
const ippool = kindByKind('IPPool') as KindDefinition
const node = kindByKind('Node') as KindDefinition
const CRD = 'crd.projectcalico.org'

const pool = (name: string, cidr = '10.1.0.0/16'): Resource => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'IPPool',
  metadata: { name, uid: '6f1c9a52-0c1b-4f7e-9d1e-2a3b4c5d6e7f', creationTimestamp: '2026-01-02T03:04:05Z', labels: { team: 'net' } },
  spec: { cidr, blockSize: 26, ipipMode: 'Never', vxlanMode: 'Never', nodeSelector: 'all()' },
})

async function connect(server: KubeApiServer, extra: Record<string, unknown> = {}, pageSize?: number): Promise<KubernetesDatastore> {
  return KubernetesDatastore.connect({ datastoreType: 'kubernetes', k8sAPIEndpoint: server.url, ...extra }, { pageSize })
}

describe('Kubernetes backend on crd.projectcalico.org/v1', () => {
  let server: KubeApiServer
  let store: KubernetesDatastore

  beforeAll(async () => {
    server = await startKubeApiServer({ tokens: { 'admin-token': 'admin', 'viewer-token': 'viewer' }, permissions: { viewer: ['get', 'list'] } })
    store = await connect(server, { k8sAPIToken: 'admin-token' })
  })
  afterAll(async () => {
    await store.close()
    await server.close()
  })
  beforeEach(() => {
    server.store.clear()
    server.resetStats()
  })

  it('creates with POST and returns the v3 view: converted uid, the server resourceVersion, metadata from the annotation', async () => {
    const created = await store.create(ippool, pool('p1'))
    const stored = server.object(CRD, 'ippools', 'p1')
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /apis/crd.projectcalico.org/v1/ippools'])
    expect(created.metadata).toEqual({
      name: 'p1',
      uid: convertUid(stored?.metadata.uid as string),
      resourceVersion: stored?.metadata.resourceVersion,
      creationTimestamp: '2026-01-02T03:04:05Z',
      labels: { team: 'net' },
    })
    // With the CRD's default, which the API server applies.
    expect(created.spec).toEqual({ ...pool('p1').spec, assignmentMode: 'Automatic' })
  })

  it('reports an existing resource with the Kubernetes message inside', async () => {
    await store.create(ippool, pool('p1'))
    const err = await store.create(ippool, pool('p1')).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AlreadyExistsError)
    expect((err as Error).message).toBe('resource already exists: IPPool(p1) with error: ippools.crd.projectcalico.org "p1" already exists')
  })

  it('reports a missing resource with the Kubernetes not-found text', async () => {
    const err = await store.get(ippool, 'nope').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(NotFoundError)
    expect((err as Error).message).toBe('resource does not exist: IPPool(nope) with error: ippools.crd.projectcalico.org "nope" not found')
  })

  it('updates with PUT guarded by resourceVersion: a stale one is an update conflict', async () => {
    const created = await store.create(ippool, pool('p1'))
    const updated = await store.update(ippool, { ...created, spec: { ...created.spec, natOutgoing: true } })
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion))
    expect(server.object(CRD, 'ippools', 'p1')?.spec).toMatchObject({ natOutgoing: true })
    const err = await store.update(ippool, created).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConflictError)
    expect((err as Error).message).toBe('update conflict: IPPool(p1)')
  })

  it('treats a uid that no longer matches (deleted and re-created) as does-not-exist', async () => {
    const created = await store.create(ippool, pool('p1'))
    server.store.clear()
    await store.create(ippool, pool('p1'))
    const err = await store.update(ippool, { ...created, metadata: { ...created.metadata, resourceVersion: server.object(CRD, 'ippools', 'p1')?.metadata.resourceVersion } }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(NotFoundError)
    expect((err as Error).message).toMatch(/^resource does not exist: IPPool\(p1\) with error: Operation cannot be fulfilled on ippools.crd.projectcalico.org "p1": Precondition failed: UID in precondition: [0-9a-f-]{36}, UID in object meta: [0-9a-f-]{36}$/)
  })

  it('maps a 422 on metadata.resourceVersion alone to an update conflict', async () => {
    const created = await store.create(ippool, pool('p1'))
    const { resourceVersion: _rv, ...metadata } = created.metadata
    const err = await store.update(ippool, { ...created, metadata }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConflictError)
  })

  it('passes other 422 texts through as the datastore error', async () => {
    const err = await store.create(ippool, pool('Bad_Name')).catch((e: unknown) => e)
    expect((err as Error).message).toMatch(/^IPPool.crd.projectcalico.org "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/)
  })

  it('deletes after reading the object it returns; a missing one is not found', async () => {
    await store.create(ippool, pool('p1'))
    server.resetStats()
    const deleted = await store.delete(ippool, 'p1')
    expect(deleted.metadata.name).toBe('p1')
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'DELETE'])
    expect(server.object(CRD, 'ippools', 'p1')).toBeUndefined()
    await expect(store.delete(ippool, 'p1')).rejects.toThrow('resource does not exist: IPPool(p1) with error: ippools.crd.projectcalico.org "p1" not found')
  })

  it('lists in name order through limit/continue pages', async () => {
    const paged = await connect(server, { k8sAPIToken: 'admin-token' }, 2)
    for (const name of ['p3', 'p1', 'p5', 'p2', 'p4']) await paged.create(ippool, pool(name, `10.${name.slice(1)}.0.0/16`))
    server.resetStats()
    const list = await paged.list(ippool)
    await paged.close()
    expect(list.items.map((i) => i.metadata.name)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5'])
    const pages = server.requests.map((r) => r.query)
    expect(pages).toHaveLength(3)
    expect(pages.map((q) => q.limit)).toEqual(['2', '2', '2'])
    expect(pages[0].continue).toBeUndefined()
    expect(pages[1].continue).toBeTruthy()
    expect(list.revision).toBe(server.object(CRD, 'ippools', 'p4')?.metadata.resourceVersion)
  })

  it("falls back to one full list when a continue token has expired, as client-go's pager does", async () => {
    const paged = await connect(server, { k8sAPIToken: 'admin-token' }, 2)
    for (const name of ['p3', 'p1', 'p5', 'p2', 'p4']) await paged.create(ippool, pool(name, `10.${name.slice(1)}.0.0/16`))
    server.resetStats()
    server.compactBeforeContinue(1)
    const list = await paged.list(ippool)
    await paged.close()
    // The pages read so far are dropped, not merged with the full list; the 410's own token is not used.
    expect(list.items.map((i) => i.metadata.name)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5'])
    expect(server.requests.map((r) => [r.code, r.query.limit, r.query.continue ? 'continue' : ''])).toEqual([
      [200, '2', ''],
      [410, '2', 'continue'],
      [200, undefined, ''],
    ])
    expect(list.revision).toBe(String(Number(server.object(CRD, 'ippools', 'p4')?.metadata.resourceVersion) + 1))
  })

  it('maps 403 and 401 to connection is unauthorized with the server text', async () => {
    const viewer = await connect(server, { k8sAPIToken: 'viewer-token' })
    await expect(viewer.create(ippool, pool('p1'))).rejects.toThrow(
      new UnauthorizedError('ippools.crd.projectcalico.org is forbidden: User "viewer" cannot create resource "ippools" in API group "crd.projectcalico.org" at the cluster scope'),
    )
    await viewer.close()
    const stranger = await connect(server, { k8sAPIToken: 'wrong' })
    await expect(stranger.get(ippool, 'p1')).rejects.toThrow('connection is unauthorized: Unauthorized')
    await stranger.close()
  })

  it('retries requests the server throttles with 429 and Retry-After', async () => {
    await store.create(ippool, pool('p1'))
    server.resetStats()
    server.throttleNext(2)
    expect((await store.get(ippool, 'p1')).metadata.name).toBe('p1')
    expect(server.requests.map((r) => r.code)).toEqual([429, 429, 200])
  })

  it('refuses to create or delete Nodes, and writes Calico fields through nodes/status', async () => {
    server.store.create(NODES, undefined, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } },
    })
    await expect(store.create(node, { apiVersion: 'projectcalico.org/v3', kind: 'Node', metadata: { name: 'n2' } })).rejects.toThrow(
      new NotSupportedError('Create', 'Node(n2)'),
    )
    await expect(store.delete(node, 'n1')).rejects.toThrow('operation Delete is not supported on Node(n1)')
    const current = await store.get(node, 'n1')
    server.resetStats()
    await store.update(node, { ...current, spec: { ...current.spec, bgp: { ipv4Address: '10.0.0.1/24' } } })
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/nodes/n1', 'PUT /api/v1/nodes/n1/status'])
    expect(server.object('', 'nodes', 'n1')?.metadata.annotations).toEqual({ 'projectcalico.org/IPv4Address': '10.0.0.1/24' })
  })

  it('fails with Go net/http wording when nothing listens, and keeps failing for the rest of the command', async () => {
    const gone = await startKubeApiServer()
    const client = await connect(gone)
    await gone.close()
    const err = await client.get(ippool, 'p1').catch((e: unknown) => e)
    const port = new URL(gone.url).port
    expect(err).toBeInstanceOf(UnreachableError)
    expect((err as Error).message).toBe(
      `Get "http://127.0.0.1:${port}/apis/crd.projectcalico.org/v1/ippools/p1": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    )
    // The rest of the command fails at once, without dialling again (even once something listens).
    const revived = http.createServer((_req, res) => res.end('{}'))
    await new Promise<void>((resolve) => revived.listen(Number(port), '127.0.0.1', resolve))
    await expect(client.get(ippool, 'p2')).rejects.toThrow(
      `Get "http://127.0.0.1:${port}/apis/crd.projectcalico.org/v1/ippools/p2": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    )
    await client.close()
    await new Promise((resolve) => revived.close(resolve))
  })
})

describe('API group selection', () => {
  it('stores v3 objects as they are when only projectcalico.org is served', async () => {
    const server = await startKubeApiServer({ groups: ['projectcalico.org'] })
    const store = await connect(server)
    await store.create(ippool, pool('p1'))
    const stored = server.object('projectcalico.org', 'ippools', 'p1')
    await store.close()
    await server.close()
    expect(stored?.apiVersion).toBe('projectcalico.org/v3')
    expect(stored?.metadata.labels).toEqual({ team: 'net' })
    expect(stored?.metadata.annotations).toBeUndefined()
  })

  it('keeps crd.projectcalico.org/v1 when both groups are served (the Calico API server is installed)', async () => {
    const server = await startKubeApiServer({ groups: ['crd.projectcalico.org', 'projectcalico.org'] })
    const store = await connect(server)
    await store.create(ippool, pool('p1'))
    const v1 = server.object(CRD, 'ippools', 'p1')
    await store.close()
    await server.close()
    expect(v1?.apiVersion).toBe('crd.projectcalico.org/v1')
  })

  it('uses calicoAPIGroup without asking the server', async () => {
    const server = await startKubeApiServer({ groups: ['crd.projectcalico.org', 'projectcalico.org'] })
    const store = await connect(server, { calicoAPIGroup: 'projectcalico.org/v3' })
    await store.create(ippool, pool('p1'))
    const paths = server.requests.map((r) => r.path)
    await store.close()
    await server.close()
    expect(paths).toEqual(['/apis/projectcalico.org/v3/ippools'])
  })
})
