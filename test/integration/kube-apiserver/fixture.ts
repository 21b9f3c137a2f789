/**
 * A TLS test API server with client-certificate and token authentication, plus the kubeconfig and
 * calicoctl.cfg a user would write for it: what the KDD integration tests start in beforeAll.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import https from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import yaml from 'js-yaml'
import { decodeJson, encodeJson } from './json.js'
import { kubeconfigYaml } from './kubeconfig.js'
import { makePki, type Pki } from './pki.js'
import { startKubeApiServer, type KubeApiServerOptions, type KubeApiServer } from './server.js'
import { NAMESPACES, NODES, PODS, SERVICE_ACCOUNTS } from './resources.js'
import type { KubeObject } from './store.js'

export const ADMIN_TOKEN = 'calicoctl-test-admin-token'

export interface KddFixture {
  server: KubeApiServer
  pki: Pki
  dir: string
  /** kubeconfig with context `admin` (client certificate) as current context. */
  kubeconfig: string
  /** calicoctl.cfg: datastoreType kubernetes, kubeconfig above. */
  cfg: string
  /** Writes a file into the fixture's directory and returns its path. */
  write(name: string, content: string): string
  /** Registers a Node as the kubelet would. */
  addNode(node: KubeObject): void
  /** Creates a Namespace as kubectl create namespace would; returns it as stored. */
  addNamespace(name: string, labels?: Record<string, string>): KubeObject
  /** Creates a ServiceAccount in an existing namespace; returns it as stored. */
  addServiceAccount(namespace: string, name: string, labels?: Record<string, string>): KubeObject
  /**
   * A Pod as the scheduler and kubelet leave it: created with its spec (spec.nodeName included) in
   * metadata.namespace (default `default`), then its status (phase, podIP, podIPs) written through
   * pods/status when given. Returns it as stored.
   */
  addPod(pod: KubeObject): KubeObject
  /**
   * A request as the admin, e.g. the merge patch `kubectl label node` sends; resolves to code and
   * parsed body. Integers beyond 2^53 travel as bigint both ways, digit for digit.
   */
  request(method: string, path: string, body?: unknown, contentType?: string): Promise<{ code: number; body: any }>
  close(): Promise<void>
}

export function calicoctlCfg(spec: Record<string, unknown>): string {
  return yaml.dump({ apiVersion: 'projectcalico.org/v3', kind: 'CalicoAPIConfig', metadata: {}, spec })
}

export async function startKddFixture(options: Omit<KubeApiServerOptions, 'tls'> = {}): Promise<KddFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'calicoctl-kdd-'))
  const pki = await makePki(join(dir, 'pki'))
  const server = await startKubeApiServer({
    tokens: { [ADMIN_TOKEN]: 'admin' },
    ...options,
    tls: { certFile: pki.serverCertFile, keyFile: pki.serverKeyFile, clientCAFile: pki.caFile },
  })
  const write = (name: string, content: string) => {
    const path = join(dir, name)
    writeFileSync(path, content)
    return path
  }
  const kubeconfig = write(
    'kubeconfig',
    kubeconfigYaml({
      clusters: [{ name: 'test', server: server.url, caFile: pki.caFile }],
      users: [{ name: 'admin', certFile: pki.clientCertFile, keyFile: pki.clientKeyFile }],
      contexts: [{ name: 'admin', cluster: 'test', user: 'admin' }],
      currentContext: 'admin',
    }),
  )
  return {
    server,
    pki,
    dir,
    kubeconfig,
    cfg: write('calicoctl.cfg', calicoctlCfg({ datastoreType: 'kubernetes', kubeconfig })),
    write,
    addNode: (node) => void server.store.create(NODES, undefined, { apiVersion: 'v1', kind: 'Node', ...node }),
    addNamespace: (name, labels) => server.store.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels && { labels }) } }),
    addServiceAccount: (namespace, name, labels) =>
      server.store.create(SERVICE_ACCOUNTS, namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, ...(labels && { labels }) } }),
    addPod: (pod) => {
      const namespace = pod.metadata.namespace ?? 'default'
      const created = server.store.create(PODS, namespace, { apiVersion: 'v1', kind: 'Pod', ...pod })
      if (pod.status === undefined) return created
      return server.store.update(PODS, namespace, created.metadata.name as string, { ...created, status: pod.status }, 'status')
    },
    request: (method, path, body, contentType = 'application/json') =>
      new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : encodeJson(body)
        const req = https.request(
          `${server.url}${path}`,
          { method, ca: pki.pem(pki.caFile), headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(payload ? { 'Content-Type': contentType } : {}) } },
          (res) => {
            let text = ''
            res.setEncoding('utf8').on('data', (d: string) => (text += d))
            res.on('end', () => resolve({ code: res.statusCode ?? 0, body: text.startsWith('{') ? decodeJson(text) : text }))
          },
        )
        req.on('error', reject)
        req.end(payload)
      }),
    close: async () => {
      await server.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
