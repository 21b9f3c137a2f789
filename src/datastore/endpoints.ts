/**
 * etcd endpoint handling: parsing the comma-separated `etcdEndpoints` list, SRV discovery for
 * `etcdDiscoverySrv`, and the connection-option checks libcalico-go's etcdv3 backend makes
 * before dialling (libcalico-go/lib/backend/etcdv3/etcdv3.go).
 */
import { promises as dns } from 'node:dns'
import { isIPv4, isIPv6 } from 'node:net'
import { CommandError } from '../errors.js'
import type { CalicoAPIConfigSpec } from './config.js'

/** The etcd client port; used when an endpoint names none. */
export const DEFAULT_ETCD_PORT = 2379

export interface EtcdEndpoint {
  /** Normalised `scheme://host:port`, port always explicit, IPv6 hosts bracketed. */
  url: string
  /** Host name or address, IPv6 without brackets. */
  host: string
  port: number
  secure: boolean
  /** True when the endpoint had no port and DEFAULT_ETCD_PORT was filled in. */
  defaultedPort: boolean
}

/** Hides any `user:password@` part, so an endpoint can appear in messages and logs. */
export function redactEndpoint(endpoint: string): string {
  return endpoint.replace(/^((?:[^:/?#@]*:\/\/)?)[^/?#]*@/, '$1xxxxx@')
}

const HOSTNAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/

function parseEndpoint(raw: string): EtcdEndpoint {
  const invalid = () => new CommandError(`invalid etcd endpoint '${redactEndpoint(raw)}'`)
  const schemeEnd = raw.indexOf('://')
  // A bare `host:port` is what people type most often for a local etcd: read it as plain http.
  const scheme = schemeEnd < 0 ? 'http' : raw.slice(0, schemeEnd).toLowerCase()
  const rest = schemeEnd < 0 ? raw : raw.slice(schemeEnd + 3)
  if (scheme !== 'http' && scheme !== 'https') throw invalid()
  // Only an empty path (or a lone `/`) makes sense for an etcd client URL; anything else, including
  // `user:password@` (credentials belong in etcdUsername/etcdPassword), fails the host:port match below.
  const authority = rest.endsWith('/') ? rest.slice(0, -1) : rest

  const parts = authority.startsWith('[') ? /^\[([^\]]+)\](?::(\d*))?$/.exec(authority) : /^([^:]+)(?::(\d*))?$/.exec(authority)
  if (!parts) throw invalid()
  const host = parts[1]
  const hostOk = authority.startsWith('[') ? isIPv6(host) : isIPv4(host) || HOSTNAME.test(host)
  if (!hostOk) throw invalid()

  const portText = parts[2]
  const port = portText === undefined ? DEFAULT_ETCD_PORT : Number(portText)
  if (portText !== undefined && !(/^\d{1,5}$/.test(portText) && port >= 1 && port <= 65535)) throw invalid()
  const urlHost = host.includes(':') ? `[${host}]` : host
  return { url: `${scheme}://${urlHost}:${port}`, host, port, secure: scheme === 'https', defaultedPort: portText === undefined }
}

/**
 * Parses a comma-separated endpoint list. Deliberately more lenient than calicoctl, which hands
 * the raw split to the Go etcd client: whitespace around each entry is trimmed, empty entries
 * (e.g. from a trailing comma) are skipped, a missing port means 2379 and a missing scheme means http.
 */
export function parseEtcdEndpoints(list: string): EtcdEndpoint[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(parseEndpoint)
}

/**
 * The checks the etcdv3 backend makes before connecting, in upstream order; returns the endpoints
 * to dial. `discovered` holds the URLs found by SRV discovery when `etcdDiscoverySrv` is used
 * (see resolveEtcdEndpoints).
 */
export function validateEtcdConfig(spec: CalicoAPIConfigSpec, discovered: string[] = []): EtcdEndpoint[] {
  if (spec.etcdEndpoints && spec.etcdDiscoverySrv) {
    throw new CommandError('multiple discovery or bootstrap options specified, use either "etcdEndpoints" or "etcdDiscoverySrv"')
  }
  const endpoints = spec.etcdEndpoints ? parseEtcdEndpoints(spec.etcdEndpoints) : discovered.map(parseEndpoint)
  if (endpoints.length === 0) throw new CommandError('no etcd endpoints specified')

  const haveInline = Boolean(spec.etcdCert || spec.etcdKey || spec.etcdCACert)
  const haveFiles = Boolean(spec.etcdCertFile || spec.etcdKeyFile || spec.etcdCACertFile)
  if (haveInline && haveFiles) throw new CommandError('Cannot mix inline certificate-key and certificate / key files')
  // Upstream wraps TLS setup failures with this prefix; an inline CA alone is refused too.
  if (haveInline && !(spec.etcdCert && spec.etcdKey)) {
    throw new CommandError('could not initialize etcdv3 client: Certificate and Key must both be present inline.')
  }
  return endpoints
}

export interface SrvRecord {
  name: string
  port: number
}
export type SrvResolver = (name: string) => Promise<SrvRecord[]>

function lookupFailure(name: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code
  const reason = code === 'ENOTFOUND' || code === 'ENODATA' ? 'no such host' : (code ?? String(err))
  return `lookup ${name}: ${reason}`
}

/**
 * Like validateEtcdConfig, but first performs SRV discovery for `etcdDiscoverySrv` the way the Go
 * etcd client does: `_etcd-client-ssl._tcp.<domain>` gives https endpoints, `_etcd-client._tcp.<domain>`
 * http ones; discovery fails only when both lookups fail.
 */
export async function resolveEtcdEndpoints(spec: CalicoAPIConfigSpec, resolveSrv: SrvResolver = dns.resolveSrv): Promise<EtcdEndpoint[]> {
  const domain = spec.etcdDiscoverySrv
  if (!domain || spec.etcdEndpoints) return validateEtcdConfig(spec)
  const urls: string[] = []
  const failures: string[] = []
  for (const [service, scheme] of [
    ['_etcd-client-ssl', 'https'],
    ['_etcd-client', 'http'],
  ]) {
    const name = `${service}._tcp.${domain}`
    try {
      for (const record of await resolveSrv(name)) {
        const host = record.name.replace(/\.$/, '')
        urls.push(`${scheme}://${host.includes(':') ? `[${host}]` : host}:${record.port}`)
      }
    } catch (err) {
      failures.push(lookupFailure(name, err))
    }
  }
  if (failures.length === 2) {
    throw new CommandError(`failed to discover etcd endpoints through SRV discovery: dns lookup errors: ${failures[0]} and ${failures[1]}`)
  }
  return validateEtcdConfig(spec, urls)
}
