/**
 * A small Kubernetes API server for tests, on node:http/https at 127.0.0.1, following the REST
 * contract of kube-apiserver for what calicoctl uses: discovery (/api, /apis, group versions),
 * custom resources of the Calico CRDs and core/v1 Namespaces, Nodes, Pods and ServiceAccounts
 * (get, list across or within a namespace, create, update, status update, merge patch, strategic
 * merge patch of maps on core kinds, delete), the system namespaces and NamespaceLifecycle
 * admission, metav1.Status errors, labelSelector (apimachinery's parser and its 400 texts) and
 * per-kind fieldSelector, limit/continue with tokens that expire when history is compacted (410
 * Expired, on request), typed core lists whose items carry no kind/apiVersion, the status
 * subresource's rules per kind, the 500 for a create that carries a resourceVersion, bearer-token
 * and client-certificate authentication with RBAC-worded denials.
 *
 * Not modelled: watch, YAML and protobuf bodies, JSON patch, server-side apply and strategic merge
 * of lists (these answer 500), OpenAPI schema validation/pruning/defaulting of CRDs (any JSON is
 * stored), validation and defaulting of core objects beyond names and the fields strategies.ts
 * sets, other admission plugins, controllers (no default ServiceAccount per namespace, no
 * scheduler or kubelet: tests place pods), pods/binding and namespaces/finalize, finalizers and
 * graceful deletion (a deleted namespace and its objects go at once), managedFields,
 * resourceVersion semantics of get/list parameters (always the latest), compaction on a timer
 * (only when a test asks), aggregated discovery, priority-and-fairness (429 only on request), and
 * authorisation beyond per-user verb lists.
 */
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { applyPatch, checkBodyType, checkPatchType } from './media-types.js'
import { calicoResources, CORE_RESOURCES, type CalicoGroup, type ServedResource } from './resources.js'
import { ObjectStore, type KubeObject } from './store.js'
import {
  badRequest,
  forbidden,
  internalError,
  methodNotAllowed,
  resourceNotFound,
  StatusError,
  tooManyRequests,
  unauthorized,
} from './status.js'

export interface KubeApiServerOptions {
  /** Serve https with this certificate; with clientCAFile, client certificates signed by it authenticate. */
  tls?: { certFile: string; keyFile: string; clientCAFile?: string }
  /** Bearer token -> user name. With tokens or a client CA, unauthenticated requests get 401. */
  tokens?: Record<string, string>
  /** User -> the verbs it may use on resources (get, list, create, update, patch, delete); unlisted users may do all. */
  permissions?: Record<string, string[]>
  /** Calico API groups served; default crd.projectcalico.org (both: an aggregated API server is installed). */
  groups?: CalicoGroup[]
  /** Added to every response, to measure clients against a remote API server. */
  latencyMs?: number
  /** Namespaced objects can only be created in an existing namespace, as on a real cluster (default true). */
  requireNamespaces?: boolean
}

export interface RequestRecord {
  method: string
  path: string
  query: Record<string, string>
  user: string
  code: number
}

export interface KubeApiServer {
  url: string
  store: ObjectStore
  requests: RequestRecord[]
  /** Most requests seen in flight at once since the last reset. */
  readonly maxInFlight: number
  /** The next `count` resource requests are answered 429 with Retry-After: 0. */
  throttleNext(count: number): void
  /** Compacts history (see ObjectStore.compact): continue tokens of lists taken so far expire. */
  compact(): void
  /** Compacts just before each of the next `count` list requests that carry a continue token, so they find it expired. */
  compactBeforeContinue(count: number): void
  /** Delay added to every response from now on. */
  setLatency(ms: number): void
  resetStats(): void
  /** The stored object, as a kubectl get -o json would show it; undefined when absent. */
  object(group: string, plural: string, name: string, namespace?: string): KubeObject | undefined
  close(): Promise<void>
}

interface Route {
  resource: ServedResource
  namespace?: string
  name?: string
  subresource?: string
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection']
/** `/namespaces/<name>/<these>` are subresources of a namespace, not resources inside it. */
const NAMESPACE_SUBRESOURCES = ['status', 'finalize']

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const store = new ObjectStore({ requireNamespaces: options.requireNamespaces })
  const groups = options.groups ?? ['crd.projectcalico.org']
  const served = [...CORE_RESOURCES, ...groups.flatMap(calicoResources)]
  const requests: RequestRecord[] = []
  const authRequired = Boolean(options.tokens || options.tls?.clientCAFile)
  let inFlight = 0
  let maxInFlight = 0
  let throttled = 0
  let compactions = 0
  let latencyMs = options.latencyMs ?? 0

  const groupVersion = (r: ServedResource) => (r.group ? `${r.group}/${r.version}` : r.version)

  function authenticate(req: IncomingMessage): string {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    if (bearer !== undefined) {
      const user = options.tokens?.[bearer]
      if (!user) throw unauthorized()
      return user
    }
    const socket = req.socket as TLSSocket
    if (options.tls?.clientCAFile && socket.encrypted) {
      const peer = socket.getPeerCertificate()
      if (peer && peer.raw) {
        if (!socket.authorized) throw unauthorized()
        return new X509Certificate(peer.raw).subject.match(/CN=([^\n]+)/)?.[1] ?? ''
      }
    }
    if (authRequired) throw unauthorized()
    return 'system:anonymous'
  }

  function route(path: string): Route | undefined {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
    let rest: string[]
    let candidates: ServedResource[]
    if (parts[0] === 'api' && parts[1] === 'v1') {
      candidates = CORE_RESOURCES
      rest = parts.slice(2)
    } else if (parts[0] === 'apis' && parts.length >= 3) {
      candidates = served.filter((r) => r.group === parts[1] && r.version === parts[2])
      if (candidates.length === 0) return undefined
      rest = parts.slice(3)
    } else return undefined
    let namespace: string | undefined
    if (rest[0] === 'namespaces' && rest.length >= 3 && !NAMESPACE_SUBRESOURCES.includes(rest[2])) {
      namespace = rest[1]
      rest = rest.slice(2)
    }
    const resource = candidates.find((r) => r.plural === rest[0] && (r.namespaced || namespace === undefined))
    if (!resource || rest.length > 3) throw resourceNotFound()
    return { resource, namespace, name: rest[1], subresource: rest[2] }
  }

  function discovery(path: string, address: string): unknown {
    const calicoGroups = [...new Set(served.filter((r) => r.group).map((r) => r.group))]
    const groupInfo = (g: string) => {
      const v = { groupVersion: `${g}/${served.find((r) => r.group === g)?.version}`, version: served.find((r) => r.group === g)?.version }
      return { name: g, versions: [v], preferredVersion: v }
    }
    if (path === '/api')
      return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: address }] }
    if (path === '/apis') return { kind: 'APIGroupList', apiVersion: 'v1', groups: calicoGroups.map(groupInfo) }
    const group = /^\/apis\/([^/]+)$/.exec(path)?.[1]
    if (group && calicoGroups.includes(group)) return { kind: 'APIGroup', apiVersion: 'v1', ...groupInfo(group) }
    const list = path === '/api/v1' ? CORE_RESOURCES : served.filter((r) => r.group && path === `/apis/${groupVersion(r)}`)
    if (list.length === 0) return undefined
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: groupVersion(list[0]),
      resources: list.flatMap((r) => [
        { name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: VERBS },
        ...(r.statusSubresource ? [{ name: `${r.plural}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] }] : []),
      ]),
    }
  }

  const contentType = (req: IncomingMessage) => (req.headers['content-type'] ?? '').split(';')[0].trim()

  async function parseJson(req: IncomingMessage): Promise<unknown> {
    try {
      return JSON.parse(await readBody(req)) as unknown
    } catch (err) {
      throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`)
    }
  }

  async function parseBody(req: IncomingMessage, r: ServedResource, route: Route): Promise<KubeObject> {
    checkBodyType(r, contentType(req))
    const body = (await parseJson(req)) as KubeObject
    if (typeof body !== 'object' || body === null || typeof body.metadata !== 'object') throw badRequest('Object \'metadata\' is missing in the request body')
    if (body.apiVersion !== groupVersion(r))
      throw badRequest(`the API version in the data (${body.apiVersion ?? ''}) does not match the expected API version (${groupVersion(r)})`)
    if (body.kind !== r.kind) throw badRequest(`the kind in the data (${body.kind ?? ''}) does not match the expected kind (${r.kind})`)
    if (route.name !== undefined && body.metadata.name && body.metadata.name !== route.name)
      throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${route.name})`)
    if (r.namespaced && body.metadata.namespace && body.metadata.namespace !== route.namespace)
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
    return body
  }

  async function handle(req: IncomingMessage, url: URL, user: string): Promise<[number, unknown]> {
    const found = route(url.pathname)
    if (!found) return [404, undefined]
    const { resource: r, namespace, name, subresource } = found
    if (subresource !== undefined && (subresource !== 'status' || !r.statusSubresource)) throw resourceNotFound()
    const method = req.method ?? 'GET'
    const verb = { GET: name ? 'get' : 'list', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[method]
    if (!verb || (name === undefined) !== (verb === 'list' || verb === 'create')) throw methodNotAllowed()
    const allowed = options.permissions?.[user]
    if (allowed && !allowed.includes(verb)) throw forbidden(r, user, verb, name, subresource, namespace)
    // Only lists of a namespaced resource span all namespaces; everything else is served inside one.
    if (r.namespaced && namespace === undefined && verb !== 'list') throw resourceNotFound()
    const q = url.searchParams
    switch (verb) {
      case 'list': {
        const limit = q.has('limit') ? Number(q.get('limit')) : undefined
        if (q.get('continue') && compactions > 0) {
          compactions--
          store.compact()
        }
        const list = store.list(r, namespace, {
          labelSelector: q.get('labelSelector') ?? undefined,
          fieldSelector: q.get('fieldSelector') ?? undefined,
          limit,
          continue: q.get('continue') ?? undefined,
        })
        const metadata: Record<string, unknown> = { resourceVersion: list.resourceVersion }
        if (list.continue) Object.assign(metadata, { continue: list.continue, remainingItemCount: list.remainingItemCount })
        // Typed lists (core kinds) encode their items without kind and apiVersion; unstructured ones keep them.
        const items = r.group ? list.items : list.items.map(({ apiVersion: _v, kind: _k, ...item }) => item)
        return [200, { kind: `${r.kind}List`, apiVersion: groupVersion(r), metadata, items }]
      }
      case 'get':
        return [200, store.get(r, namespace, name as string)]
      case 'create':
        return [201, store.create(r, namespace, await parseBody(req, r, found))]
      case 'update':
        return [200, store.update(r, namespace, name as string, await parseBody(req, r, found), subresource as 'status' | undefined)]
      case 'patch': {
        const type = contentType(req)
        checkPatchType(r, type)
        const patch = (await parseJson(req)) as Partial<KubeObject>
        const current = store.get(r, namespace, name as string)
        const patched = applyPatch(type, current, patch) as KubeObject
        // A patch applies to the latest version unless it names one itself.
        patched.metadata.resourceVersion = patch.metadata?.resourceVersion ?? current.metadata.resourceVersion
        return [200, store.update(r, namespace, name as string, patched, subresource as 'status' | undefined)]
      }
      default: {
        const text = await readBody(req)
        let preconditions: { uid?: string; resourceVersion?: string } = {}
        try {
          if (text) preconditions = (JSON.parse(text) as { preconditions?: typeof preconditions }).preconditions ?? {}
        } catch (err) {
          throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`)
        }
        return [200, store.delete(r, namespace, name as string, preconditions)]
      }
    }
  }

  const listener = async (req: IncomingMessage, res: ServerResponse) => {
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const record: RequestRecord = { method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), user: '', code: 0 }
    requests.push(record)
    let code: number
    let body: unknown
    try {
      if (latencyMs) await sleep(latencyMs)
      record.user = authenticate(req)
      const address = `127.0.0.1:${(server.address() as AddressInfo).port}`
      const described = req.method === 'GET' ? discovery(url.pathname, address) : undefined
      if (described !== undefined) [code, body] = [200, described]
      else if (throttled > 0) {
        throttled--
        res.setHeader('Retry-After', '0')
        ;[code, body] = [429, tooManyRequests().status]
      } else [code, body] = await handle(req, url, record.user)
    } catch (err) {
      const status = err instanceof StatusError ? err.status : internalError((err as Error).message).status
      ;[code, body] = [status.code, status]
    } finally {
      inFlight--
    }
    record.code = code
    if (body === undefined) {
      res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 page not found\n')
      return
    }
    res.writeHead(code, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))
  }

  const server = options.tls
    ? https.createServer(
        {
          cert: readFileSync(options.tls.certFile),
          key: readFileSync(options.tls.keyFile),
          ca: options.tls.clientCAFile ? readFileSync(options.tls.clientCAFile) : undefined,
          // kube-apiserver asks for a certificate but lets token users in without one.
          requestCert: Boolean(options.tls.clientCAFile),
          rejectUnauthorized: false,
        },
        listener,
      )
    : http.createServer(listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    store,
    requests,
    get maxInFlight() {
      return maxInFlight
    },
    throttleNext(count) {
      throttled = count
    },
    compact: () => store.compact(),
    compactBeforeContinue(count) {
      compactions = count
    },
    setLatency(ms) {
      latencyMs = ms
    },
    resetStats() {
      requests.length = 0
      maxInFlight = inFlight
    },
    object(group, plural, name, namespace) {
      const r = served.find((s) => s.group === group && s.plural === plural)
      if (!r) throw new Error(`the test API server does not serve ${plural}.${group}`)
      try {
        return store.get(r, namespace, name)
      } catch (err) {
        if (err instanceof StatusError && err.status.code === 404) return undefined
        throw err
      }
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()))
        server.closeAllConnections()
      }),
  }
}
