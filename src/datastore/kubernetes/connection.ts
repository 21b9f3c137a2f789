/**
 * From the client configuration to an API server connection, the way libcalico-go builds its
 * client-go config (datastore spec 3.5): kubeconfig file(s) merged first-wins, the calicoctl.cfg
 * overrides on top, in-cluster service-account settings when nothing else is configured.
 *
 * @kubernetes/client-node parses the kubeconfig entries and runs the auth plugins (exec, OIDC, token
 * file, cloud providers). Its modules are imported one by one: the package index (and KubeConfig)
 * pulls in the generated API, about a second of start-up, so it is loaded only for proxied clusters.
 */
import { existsSync, readFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { isIPv6 } from 'node:net'
import { delimiter, dirname, isAbsolute, join } from 'node:path'
import yaml from 'js-yaml'
import type { Cluster, Context, User } from '@kubernetes/client-node/dist/config_types.js'
import type { Authenticator } from '@kubernetes/client-node/dist/auth.js'
import type { CalicoAPIConfigSpec } from '../config.js'
import { debug } from '../../log.js'

export interface KubeConnection {
  /** API server URL without a trailing slash; paths are appended to it. */
  server: string
  agent: http.Agent
  /** Authentication headers (bearer token, basic auth, impersonation). */
  headers: Record<string, string>
}

export interface ConnectOptions {
  env?: NodeJS.ProcessEnv
  /** Prefix of /var/run/secrets/kubernetes.io/serviceaccount, for tests. */
  serviceAccountPrefix?: string
  /** Sockets kept open to the API server, at least the number of concurrent requests. */
  maxSockets?: number
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount'

/** A kubeconfig user; client-node does not read client-go's `tokenFile`, so it is carried here. */
type KubeUser = User & { tokenFile?: string }

interface Loaded {
  clusters: Cluster[]
  users: KubeUser[]
  contexts: Context[]
  currentContext?: string
}

/**
 * Parses kubeconfig YAML as client-node's KubeConfig.loadFromString does, plus each user's
 * `tokenFile`; file paths become absolute (relative to the kubeconfig, as client-go resolves them).
 */
async function parseKubeconfig(text: string, dir?: string): Promise<Loaded> {
  const types = await import('@kubernetes/client-node/dist/config_types.js')
  const doc = (yaml.load(text) ?? {}) as Record<string, unknown>
  const absolute = (file: string | undefined) => (file && dir && !isAbsolute(file) ? join(dir, file) : file)
  const tokenFiles = new Map(
    ((Array.isArray(doc.users) ? doc.users : []) as Array<{ name?: unknown; user?: { tokenFile?: unknown } }>).map((u) => [u?.name, u?.user?.tokenFile]),
  )
  return {
    clusters: types.newClusters(doc.clusters).map((c) => ({ ...c, caFile: absolute(c.caFile) })),
    users: types.newUsers(doc.users).map((u) => {
      const tokenFile = tokenFiles.get(u.name)
      return { ...u, certFile: absolute(u.certFile), keyFile: absolute(u.keyFile), tokenFile: typeof tokenFile === 'string' && tokenFile ? absolute(tokenFile) : undefined }
    }),
    contexts: types.newContexts(doc.contexts),
    currentContext: (doc['current-context'] as string | undefined) || undefined,
  }
}

async function loadFile(path: string): Promise<Loaded> {
  try {
    return await parseKubeconfig(readFileSync(path, 'utf8'), dirname(path))
  } catch (err) {
    throw new Error(`error loading config file "${path}": ${goFileError(err)}`)
  }
}

/**
 * One path must exist; a list (OS path separator) is a precedence list where missing files are
 * skipped and, for every cluster, user and context name, the first file that defines it wins.
 */
async function loadKubeconfigs(kubeconfig: string | undefined): Promise<Loaded> {
  const merged: Loaded = { clusters: [], users: [], contexts: [] }
  if (!kubeconfig) return merged
  const paths = [...new Set(kubeconfig.split(delimiter).filter(Boolean))]
  if (paths.length === 1 && !existsSync(paths[0])) throw new Error(`stat ${paths[0]}: no such file or directory`)
  for (const path of paths.filter((p) => existsSync(p))) {
    const file = await loadFile(path)
    const add = <T extends { name: string }>(into: T[], items: T[]) => {
      for (const item of items) if (!into.some((known) => known.name === item.name)) into.push(item)
    }
    add(merged.clusters, file.clusters)
    add(merged.users, file.users)
    add(merged.contexts, file.contexts)
    merged.currentContext ??= file.currentContext
  }
  return merged
}

function goFileError(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  if (e.code === 'ENOENT') return `open ${e.path}: no such file or directory`
  if (e.code === 'EACCES') return `open ${e.path}: permission denied`
  return e.message
}

/** calicoctl.cfg fields that override the kubeconfig; kubeconfigInline is used without them, as upstream. */
interface Overrides {
  context?: string
  server?: string
  caFile?: string
  certFile?: string
  keyFile?: string
  token?: string
  insecure?: boolean
}

function overridesOf(config: CalicoAPIConfigSpec): Overrides {
  if (config.kubeconfigInline) return {}
  return {
    context: config.k8sCurrentContext,
    server: config.k8sAPIEndpoint,
    caFile: config.k8sCAFile,
    certFile: config.k8sCertFile,
    keyFile: config.k8sKeyFile,
    token: config.k8sAPIToken,
    insecure: config.k8sInsecureSkipTLSVerify,
  }
}

function selectContext(loaded: Loaded, overrides: Overrides): { cluster?: Cluster; user?: KubeUser; contextName?: string; contextMissing: boolean } {
  const contextName = overrides.context || loaded.currentContext
  const context = loaded.contexts.find((c) => c.name === contextName)
  if (overrides.context && !context) throw new Error(`context "${overrides.context}" does not exist`)
  return {
    contextName,
    contextMissing: Boolean(contextName) && !context,
    cluster: context && loaded.clusters.find((c) => c.name === context.cluster),
    user: context && loaded.users.find((u) => u.name === context.user),
  }
}

/** The override semantics of client-go: a CA file or insecure override replaces all CA settings. */
function applyOverrides(cluster: Cluster | undefined, user: KubeUser | undefined, o: Overrides): { cluster: Cluster; user: KubeUser } {
  const caOverride = Boolean(o.insecure || o.caFile)
  const outCluster: Cluster = {
    name: 'calicoctl',
    server: o.server?.replace(/\/$/, '') || cluster?.server || '',
    caFile: caOverride ? o.caFile : cluster?.caFile,
    caData: caOverride ? undefined : cluster?.caData,
    skipTLSVerify: caOverride ? Boolean(o.insecure) : Boolean(cluster?.skipTLSVerify),
    tlsServerName: cluster?.tlsServerName,
    proxyUrl: cluster?.proxyUrl,
  }
  const outUser: KubeUser = {
    ...user,
    name: 'calicoctl',
    certFile: o.certFile || user?.certFile,
    certData: o.certFile ? undefined : user?.certData,
    keyFile: o.keyFile || user?.keyFile,
    keyData: o.keyFile ? undefined : user?.keyData,
    token: o.token || user?.token,
  }
  return { cluster: outCluster, user: outUser }
}

/** In-cluster settings (client-go's rest.InClusterConfig) when the pod's service account is mounted; overrides still apply. */
function inCluster(o: Overrides, env: NodeJS.ProcessEnv, prefix: string): { cluster: Cluster; user: KubeUser } | undefined {
  const { KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: port } = env
  const dir = `${prefix}${SERVICE_ACCOUNT_DIR}`
  if (!host || !port || !existsSync(`${dir}/token`)) return undefined
  const cluster: Cluster = { name: 'inCluster', server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`, caFile: `${dir}/ca.crt`, skipTLSVerify: false }
  // client-node's tokenFile provider re-reads the token, which the kubelet rotates.
  const user: User = { name: 'inClusterUser', authProvider: { name: 'tokenFile', config: { tokenFile: `${dir}/token` } } }
  return applyOverrides(cluster, user, { server: o.server, caFile: o.caFile, token: o.token })
}

/** Resolves the cluster and user to talk to; throws with client-go's texts when nothing usable is configured. */
async function resolve(config: CalicoAPIConfigSpec, options: ConnectOptions): Promise<{ cluster: Cluster; user: KubeUser }> {
  const overrides = overridesOf(config)
  const loaded = config.kubeconfigInline ? await parseKubeconfig(config.kubeconfigInline) : await loadKubeconfigs(config.kubeconfig)
  const selected = selectContext(loaded, overrides)
  const resolved = applyOverrides(selected.cluster, selected.user, overrides)
  if (resolved.cluster.server) {
    debug(`kubernetes: context '${selected.contextName ?? ''}', server ${resolved.cluster.server}`)
    return resolved
  }
  const pod = inCluster(overrides, options.env ?? process.env, options.serviceAccountPrefix ?? '')
  if (pod) {
    debug(`kubernetes: in-cluster configuration, server ${pod.cluster.server}`)
    return pod
  }
  // client-go reports a named context that is absent; a context whose cluster is absent is just "no configuration".
  if (selected.contextMissing)
    throw new Error(`invalid configuration: [context was not found for specified context: ${selected.contextName}, cluster has no server defined]`)
  throw new Error('invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable')
}

/** Runs the user's auth plugin, if any, in client-node's order of precedence. */
async function applyAuthPlugin(user: User, opts: https.RequestOptions): Promise<void> {
  if (!user.exec && !user.authProvider) return
  const plugins: Authenticator[] = await Promise.all([
    import('@kubernetes/client-node/dist/azure_auth.js').then((m) => new m.AzureAuth()),
    import('@kubernetes/client-node/dist/gcp_auth.js').then((m) => new m.GoogleCloudPlatformAuth()),
    import('@kubernetes/client-node/dist/exec_auth.js').then((m) => new m.ExecAuth()),
    import('@kubernetes/client-node/dist/file_auth.js').then((m) => new m.FileAuth()),
    import('@kubernetes/client-node/dist/oidc_auth.js').then((m) => new m.OpenIDConnectAuth()),
  ])
  await plugins.find((p) => p.isAuthProvider(user))?.applyAuthentication(user, opts)
}

/**
 * The bearer token to send, as client-go settles it: a user's tokenFile, re-read for each request
 * (this command reads it once), wins over a token beside it, which stands in when the file cannot be
 * read; with no token the file must be readable.
 */
function bearerToken(user: KubeUser): string | undefined {
  if (!user.tokenFile) return user.token?.trim() || undefined
  try {
    const token = readFileSync(user.tokenFile, 'utf8').trim()
    if (token) return token
    if (!user.token) throw new Error(`read empty token from file "${user.tokenFile}"`)
  } catch (err) {
    if (!user.token) throw err
  }
  return user.token.trim()
}

/** client-node's bufferFromFileOrString: a file path wins over base64 data. */
function pemOf(file: string | undefined, data: string | undefined): Buffer | undefined {
  if (file) return readFileSync(file)
  return data ? Buffer.from(data, 'base64') : undefined
}

/** A proxy-url needs client-node's proxy agents, which only its full KubeConfig builds. */
async function proxiedAgent(cluster: Cluster, user: User): Promise<http.Agent> {
  const { KubeConfig } = await import('@kubernetes/client-node')
  const kc = new KubeConfig()
  kc.loadFromClusterAndUser(cluster.server.startsWith('http:') ? { ...cluster, skipTLSVerify: true } : cluster, user)
  const opts: https.RequestOptions = {}
  await kc.applyToHTTPSOptions(opts)
  return opts.agent as http.Agent
}

/** Builds the connection: TLS material, auth headers and a keep-alive agent for concurrent requests. */
export async function connectKube(config: CalicoAPIConfigSpec, options: ConnectOptions = {}): Promise<KubeConnection> {
  const { cluster, user } = await resolve(config, options)
  const opts: https.RequestOptions = { headers: {} }
  const headers: Record<string, string> = {}
  let agent: http.Agent
  try {
    await applyAuthPlugin(user, opts)
    for (const [key, value] of Object.entries(opts.headers ?? {})) if (value !== undefined) headers[key] = String(value).trim()
    // As client-node: a static token wins over a plugin's; basic auth and impersonation as configured.
    const token = bearerToken(user)
    if (token) headers.Authorization = `Bearer ${token}`
    if (user.username) headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`
    if (user.impersonateUser) headers['Impersonate-User'] = user.impersonateUser
    const maxSockets = options.maxSockets ?? 16
    if (cluster.proxyUrl) agent = await proxiedAgent(cluster, user)
    else if (cluster.server.startsWith('http:')) agent = new http.Agent({ keepAlive: true, maxSockets })
    else
      agent = new https.Agent({
        keepAlive: true,
        maxSockets,
        ca: pemOf(cluster.caFile, cluster.caData),
        cert: (opts.cert as Buffer | string | undefined) ?? pemOf(user.certFile, user.certData),
        key: (opts.key as Buffer | string | undefined) ?? pemOf(user.keyFile, user.keyData),
        rejectUnauthorized: !cluster.skipTLSVerify,
        servername: cluster.tlsServerName,
      })
  } catch (err) {
    throw new Error(goFileError(err))
  }
  return { server: cluster.server, agent, headers }
}
