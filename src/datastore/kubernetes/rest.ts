/**
 * JSON requests to the Kubernetes API server: rate limited, with client-go's retry on 429 and
 * Retry-After, Status error bodies turned into KubeApiError and transport failures worded as Go's
 * net/http words them (`Get "<url>": dial tcp ...: connect: connection refused`).
 */
import http from 'node:http'
import https from 'node:https'
import { TLSSocket } from 'node:tls'
import { UnreachableError } from '../../errors.js'
import { debug } from '../../log.js'
import { CALICO_VERSION } from '../../version.js'
import type { KubeConnection } from './connection.js'
import type { RateLimiter } from './rate-limit.js'

/** metav1.Status, the body of every API error. */
export interface KubeStatus {
  kind?: string
  status?: string
  message?: string
  reason?: string
  code?: number
  /** StatusCause's type is serialised as `reason`. */
  details?: { name?: string; group?: string; kind?: string; causes?: Array<{ reason?: string; message?: string; field?: string }> }
}

/** An API error response; the message is the Status message, as client-go's StatusError prints it. */
export class KubeApiError extends Error {
  constructor(readonly status: KubeStatus) {
    super(status.message ?? '')
    this.name = 'KubeApiError'
  }
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface KubeRequest {
  method: Method
  path: string
  query?: Record<string, string | undefined>
  body?: unknown
  /** Of the body; JSON unless a patch says which kind it is. */
  contentType?: string
  /** `<plural>.<group>` and name, for client-go's wording when the server sends no Status. */
  resource?: string
  name?: string
}

/** Dialling, then waiting for a response (client-go's dialer gives up a dial after 30 s). */
const REQUEST_TIMEOUT_MS = 30_000
/** client-go's transport (utilnet.SetTransportDefaults): TLSHandshakeTimeout. */
const TLS_HANDSHAKE_TIMEOUT_MS = 10_000
/** client-go retries a request the server asked to retry (429, or 5xx with Retry-After) up to 10 times. */
const MAX_RETRIES = 10
/** Bounds resending over stale pooled connections (one per pooled socket at most). */
const MAX_RESENDS = 64

/** client-go's NewGenericServerResponse texts for error responses without a Status body. */
function genericStatus(code: number, req: KubeRequest, body: string): KubeStatus {
  const table: Record<number, [string, string]> = {
    400: ['BadRequest', 'the server rejected our request for an unknown reason'],
    401: ['Unauthorized', 'the server has asked for the client to provide credentials'],
    403: ['Forbidden', body.trim()],
    404: ['NotFound', 'the server could not find the requested resource'],
    405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
    409: [req.method === 'POST' ? 'AlreadyExists' : 'Conflict', 'the server reported a conflict'],
    422: ['Invalid', 'the server rejected our request due to an error in our request'],
    429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
    503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
  }
  let [reason, message] = table[code] ?? ['Unknown', `the server responded with the status code ${code} but did not return more information`]
  if (!table[code] && code >= 500) [reason, message] = ['InternalError', `an error on the server (${JSON.stringify(body.trim())}) has prevented the request from succeeding`]
  const verb = req.method.toLowerCase()
  if (req.resource) message += req.name ? ` (${verb} ${req.resource} ${req.name})` : ` (${verb} ${req.resource})`
  return { kind: 'Status', status: 'Failure', code, reason, message }
}

const TLS_UNKNOWN_AUTHORITY = ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT']

type SocketError = NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string; reason?: string }

/**
 * The inner text of Go's url.Error for a failed request, and whether it will fail the same way for
 * every request of this command (nothing listens, no such host, the certificate is not trusted).
 */
function transportFailure(err: SocketError, url: URL): { inner: string; lasting: boolean } {
  const hostPort = `${err.address ?? url.hostname}:${err.port ?? url.port}`
  const lasting = (inner: string) => ({ inner, lasting: true })
  if (err.code === 'ECONNREFUSED') return lasting(`dial tcp ${hostPort}: connect: connection refused`)
  if (err.code === 'ENOTFOUND') return lasting(`dial tcp: lookup ${err.hostname ?? url.hostname}: no such host`)
  if (err.code === 'ETIMEDOUT') return lasting(`dial tcp ${hostPort}: i/o timeout`)
  if (err.code && TLS_UNKNOWN_AUTHORITY.includes(err.code)) return lasting('tls: failed to verify certificate: x509: certificate signed by unknown authority')
  if (err.code === 'CERT_HAS_EXPIRED') return lasting('tls: failed to verify certificate: x509: certificate has expired or is not yet valid')
  if (err.code === 'ERR_TLS_CERT_ALTNAME_INVALID') return lasting(`tls: failed to verify certificate: x509: ${err.reason ?? err.message}`)
  if (err.code === 'TLS_HANDSHAKE_TIMEOUT') return lasting('net/http: TLS handshake timeout')
  if (err.code === 'ECONNRESET') return { inner: `read tcp ${hostPort}: connection reset by peer`, lasting: false }
  if (err.code === 'REQUEST_TIMEOUT') return { inner: 'net/http: request canceled (Client.Timeout exceeded while awaiting headers)', lasting: false }
  return { inner: err.message, lasting: false }
}

/** `Get "<url>": <inner>`, as Go's url.Error prints. */
function urlError(req: KubeRequest, url: URL, inner: string): UnreachableError {
  return new UnreachableError(`${req.method[0]}${req.method.slice(1).toLowerCase()} "${url.href}": ${inner}`)
}

interface RawResponse {
  code: number
  body: string
  retryAfter?: string
}

export class KubeRest {
  /**
   * Set by a failure that every later request would repeat after the same wait (e.g. a dial
   * timeout): later requests fail at once, so a dead API server fails a large apply in seconds.
   */
  private lastingFailure?: string

  constructor(
    private readonly connection: KubeConnection,
    private readonly limiter: RateLimiter,
  ) {}

  private url(req: KubeRequest): URL {
    const url = new URL(this.connection.server + req.path)
    for (const [key, value] of Object.entries(req.query ?? {})) if (value !== undefined && value !== '') url.searchParams.set(key, value)
    return url
  }

  /** Sends the request and returns the parsed JSON body; throws KubeApiError or UnreachableError. */
  async request<T>(req: KubeRequest): Promise<T> {
    const url = this.url(req)
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body)
    for (let attempt = 0; ; attempt++) {
      if (this.lastingFailure) throw urlError(req, url, this.lastingFailure)
      await this.limiter.take()
      const started = performance.now()
      const response = await this.send(req, url, payload)
      debug(`kubernetes: ${req.method} ${url.pathname}${url.search} -> ${response.code} (${Math.round(performance.now() - started)} ms)`)
      const retry = response.retryAfter !== undefined && (response.code === 429 || response.code >= 500)
      if (retry && attempt < MAX_RETRIES) {
        const seconds = Number(response.retryAfter)
        await new Promise((resolve) => setTimeout(resolve, (Number.isFinite(seconds) && seconds >= 0 ? seconds : 1) * 1000))
        continue
      }
      if (response.code < 200 || response.code >= 300) throw new KubeApiError(this.statusOf(response, req))
      try {
        return (response.body ? JSON.parse(response.body) : {}) as T
      } catch (err) {
        throw new Error(`invalid response from the API server to ${req.method} ${url.pathname}: ${(err as Error).message}`)
      }
    }
  }

  private statusOf(response: RawResponse, req: KubeRequest): KubeStatus {
    try {
      const status = JSON.parse(response.body) as KubeStatus
      if (status?.kind === 'Status') return { ...status, code: status.code || response.code }
    } catch {
      // Not JSON: a proxy or an API path that does not exist ("404 page not found").
    }
    return genericStatus(response.code, req, response.body)
  }

  /**
   * A kept-alive connection the server closed meanwhile fails with ECONNRESET; the request is sent
   * again (on the next pooled or a new connection), as Go's transport does.
   */
  private send(req: KubeRequest, url: URL, payload: string | undefined, resends = 0): Promise<RawResponse> {
    const headers: Record<string, string> = {
      ...this.connection.headers,
      Accept: 'application/json',
      'User-Agent': `calicoctl-ts/${CALICO_VERSION} (${process.platform}/${process.arch})`,
    }
    if (payload !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json'
      headers['Content-Length'] = String(Buffer.byteLength(payload))
    }
    const transport = url.protocol === 'http:' ? http : https
    return new Promise((resolve, reject) => {
      const request = transport.request(url, { method: req.method, headers, agent: this.connection.agent }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const retryAfter = res.headers['retry-after']
          resolve({ code: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter })
        })
        res.on('error', (err) => reject(this.failed(err, req, url)))
      })
      // A socket still connecting is a dial timeout; a connected one waits for the response.
      request.setTimeout(REQUEST_TIMEOUT_MS, () =>
        request.destroy(Object.assign(new Error('timeout'), { code: request.socket?.connecting ? 'ETIMEDOUT' : 'REQUEST_TIMEOUT' })),
      )
      // A new TLS connection has its own, shorter bound from connect to the end of the handshake.
      request.once('socket', (socket) => {
        if (!(socket instanceof TLSSocket) || !socket.connecting) return
        socket.once('connect', () => {
          const timer = setTimeout(() => request.destroy(Object.assign(new Error('timeout'), { code: 'TLS_HANDSHAKE_TIMEOUT' })), TLS_HANDSHAKE_TIMEOUT_MS)
          socket.once('secureConnect', () => clearTimeout(timer)).once('close', () => clearTimeout(timer))
        })
      })
      request.on('error', (err: NodeJS.ErrnoException) => {
        if (request.reusedSocket && err.code === 'ECONNRESET' && resends < MAX_RESENDS) resolve(this.send(req, url, payload, resends + 1))
        else reject(this.failed(err, req, url))
      })
      request.end(payload)
    })
  }

  private failed(err: SocketError, req: KubeRequest, url: URL): UnreachableError {
    const { inner, lasting } = transportFailure(err, url)
    if (lasting) this.lastingFailure = inner
    return urlError(req, url, inner)
  }

  close(): void {
    this.connection.agent.destroy()
  }
}
