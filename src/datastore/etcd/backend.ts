import { readFileSync } from 'node:fs'
// This module is itself loaded only when a command opens an etcd datastore (src/crud/session.ts).
import { handleWhen, noop, retry } from 'cockatiel'
import { Etcd3, isRecoverableError, Range, type IOptions } from 'etcd3'
import {
  AlreadyExistsError,
  CommandError,
  ConflictError,
  NotFoundError,
  UnauthorizedError,
  UnreachableError,
  ValidationError,
} from '../../errors.js'
import type { KindDefinition } from '../../resources/kind.js'
import type { Resource } from '../../resources/types.js'
import { resolveEtcdEndpoints, type CalicoAPIConfigSpec } from '../config.js'
import type { Datastore, IpamStore, ListOptions, ListResult } from '../types.js'
import { decodeValue, encodeValue } from './codec.js'
import { etcdIpamStore } from './ipam.js'
import { listPrefix, parseResourceKey, resourceKey } from './keys.js'
import { debug } from '../../log.js'

/** Dial and per-request deadlines: a dead endpoint must fail within seconds, not hang. */
const DIAL_TIMEOUT_MS = 5000
const REQUEST_TIMEOUT_MS = 5000
/** Keys per range request: keeps every response far below gRPC's 4 MiB message cap. */
const PAGE_SIZE = 500

interface KeyValue {
  key: Buffer
  value: Buffer
  mod_revision: string
}

function readPem(inline: string | undefined, file: string | undefined, what: string): Buffer | undefined {
  if (inline) return Buffer.from(inline)
  if (!file) return undefined
  try {
    return readFileSync(file)
  } catch (e) {
    throw new CommandError(`failed to read etcd ${what} file ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`)
  }
}

/** Maps etcd3/gRPC failures onto the shared error types; messages never include credentials. */
function mapError(err: unknown, endpoints: string): Error {
  const e = err as Error
  const name = e?.constructor?.name ?? ''
  if (/Authentication|InvalidAuthToken|PermissionDenied|Unauthenticated/.test(name) || /authentication failed|permission denied/i.test(e.message))
    return new UnauthorizedError(e.message.replace(/^.*?(etcdserver: )/, '$1'))
  if (/ConnectFailed|Unavailable|DeadlineExceeded|ClientClosed/.test(name) || /UNAVAILABLE|DEADLINE_EXCEEDED|No connection established/i.test(e.message)) {
    // gRPC buries the socket error in a long text: keep only "connect ECONNREFUSED 127.0.0.1:2379".
    const cause = /DEADLINE_EXCEEDED/.test(e.message)
      ? `no answer within ${REQUEST_TIMEOUT_MS / 1000}s`
      : /Last error: (?:Error: )?([^.]*(?:\.\d+)*[^.]*)/.exec(e.message)?.[1] ?? e.message.split('\n')[0]
    return new UnreachableError(`context deadline exceeded (etcd unreachable at ${endpoints}: ${cause.trim()})`)
  }
  return e
}

export class EtcdDatastore implements Datastore {
  private constructor(
    private readonly client: Etcd3,
    private readonly endpoints: string,
  ) {}

  static async connect(config: CalicoAPIConfigSpec): Promise<EtcdDatastore> {
    const endpoints = await resolveEtcdEndpoints(config)
    for (const e of endpoints) if (e.defaultedPort) debug(`etcd endpoint ${e.url} has no port: using ${e.host}:2379`)
    const options: IOptions = {
      hosts: endpoints.map((e) => e.url),
      dialTimeout: DIAL_TIMEOUT_MS,
      // One try per endpoint: a failed call moves on to another member (failover), but a dead
      // cluster is reported after one deadline per endpoint instead of etcd3's default retries.
      // No per-host circuit breaker: a short-lived CLI gains nothing from it, and an oversized
      // list page (retried smaller below) must not take its member out of the pool.
      faultHandling: { global: retry(handleWhen(isRecoverableError), { maxAttempts: endpoints.length - 1 }), host: () => noop },
      defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + REQUEST_TIMEOUT_MS }),
    }
    const ca = readPem(config.etcdCACert, config.etcdCACertFile, 'CA certificate')
    const cert = readPem(config.etcdCert, config.etcdCertFile, 'certificate')
    const key = readPem(config.etcdKey, config.etcdKeyFile, 'key')
    if (ca || cert || key) options.credentials = { rootCertificate: ca as Buffer, certChain: cert, privateKey: key }
    if (config.etcdUsername && config.etcdPassword) options.auth = { username: config.etcdUsername, password: config.etcdPassword }
    return new EtcdDatastore(new Etcd3(options), endpoints.map((e) => e.url).join(','))
  }

  /** Once etcd proved unreachable, later calls of this command fail at once with the same error. */
  private unreachable?: UnreachableError

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    if (this.unreachable) throw this.unreachable
    try {
      return await operation()
    } catch (err) {
      const mapped = mapError(err, this.endpoints)
      if (mapped instanceof UnreachableError) this.unreachable = mapped
      throw mapped
    }
  }

  private toResource(kind: KindDefinition, kv: KeyValue): Resource | undefined {
    if (!parseResourceKey(kind, kv.key.toString())) return undefined
    return decodeValue(kind, kv.value.toString(), String(kv.mod_revision))
  }

  async get(kind: KindDefinition, name: string, namespace?: string, revision?: string): Promise<Resource> {
    if (kind.builtIn?.name === name) return kind.builtIn.resource()
    const id = { kind: kind.kind, name, namespace }
    const builder = this.client.get(resourceKey(kind, name, namespace))
    if (revision) builder.revision(parseRevision(revision))
    const response = await this.call(() => builder.exec())
    const kv = response.kvs[0] as KeyValue | undefined
    if (!kv) throw new NotFoundError(id)
    const resource = decodeValue(kind, kv.value.toString(), String(kv.mod_revision))
    if (!resource) throw new Error(`cannot parse the value stored for ${kind.kind}(${name}) in etcd`)
    return resource
  }

  /**
   * Reads the prefix page by page at one revision, so the list is a consistent snapshot. A page
   * whose response would pass gRPC's 4 MiB cap is fetched again in halves (values may be 1.5 MiB).
   */
  private async scan(prefix: string): Promise<{ kvs: KeyValue[]; revision: string }> {
    const end = Range.prefix(prefix).end
    const kvs: KeyValue[] = []
    let start: Buffer = Buffer.from(prefix)
    let revision: string | undefined
    let pageSize = PAGE_SIZE
    for (;;) {
      const builder = this.client.getAll().inRange(new Range(start, end)).limit(pageSize)
      if (revision) builder.revision(revision)
      let page
      try {
        page = await this.call(() => builder.exec())
      } catch (err) {
        if (pageSize > 1 && /RESOURCE_EXHAUSTED|larger than max/.test((err as Error).message)) {
          pageSize = Math.max(1, Math.floor(pageSize / 2))
          continue
        }
        throw err
      }
      revision ??= String(page.header.revision)
      kvs.push(...(page.kvs as KeyValue[]))
      if (!page.more || page.kvs.length === 0) break
      start = Buffer.concat([(page.kvs[page.kvs.length - 1] as KeyValue).key, Buffer.from([0])])
    }
    return { kvs, revision: revision ?? '0' }
  }

  async list(kind: KindDefinition, namespace?: string, options: ListOptions = {}): Promise<ListResult> {
    const { kvs, revision } = await this.scan(listPrefix(kind, namespace))
    const items: Resource[] = []
    for (const kv of kvs) {
      const resource = this.toResource(kind, kv)
      if (resource) items.push(resource)
    }
    // Never stored, always listed: upstream appends it after the stored ones.
    if (kind.builtIn) items.push(kind.builtIn.resource())
    const prefix = options.namePrefix ?? ''
    return { items: items.filter((r) => (r.metadata.name ?? '').startsWith(prefix)), revision }
  }

  async create(kind: KindDefinition, resource: Resource): Promise<Resource> {
    const { name = '', namespace } = resource.metadata
    const key = resourceKey(kind, name, namespace)
    const result = await this.call(() =>
      this.client.if(key, 'Version', '==', 0).then(this.client.put(key).value(encodeValue(kind, resource))).commit(),
    )
    if (!result.succeeded) throw new AlreadyExistsError({ kind: kind.kind, name, namespace })
    return withRevision(resource, String(result.header.revision))
  }

  async update(kind: KindDefinition, resource: Resource): Promise<Resource> {
    const { name = '', namespace, resourceVersion = '' } = resource.metadata
    const id = { kind: kind.kind, name, namespace }
    const key = resourceKey(kind, name, namespace)
    const revision = parseRevision(resourceVersion)
    const result = await this.call(() =>
      this.client
        .if(key, 'Mod', '==', revision)
        .then(this.client.put(key).value(encodeValue(kind, resource)))
        .else(this.client.get(key))
        .commit(),
    )
    if (!result.succeeded) throw this.failedCompare(result.responses, id)
    return withRevision(resource, String(result.header.revision))
  }

  async delete(kind: KindDefinition, name: string, namespace?: string, revision?: string): Promise<Resource> {
    const id = { kind: kind.kind, name, namespace }
    const key = resourceKey(kind, name, namespace)
    let previous: KeyValue | undefined
    if (revision) {
      const result = await this.call(() =>
        this.client
          .if(key, 'Mod', '==', parseRevision(revision))
          .then({ request_delete_range: { key: Buffer.from(key), prev_kv: true } })
          .else(this.client.get(key))
          .commit(),
      )
      if (!result.succeeded) throw this.failedCompare(result.responses, id)
      previous = result.responses[0]?.response_delete_range?.prev_kvs?.[0] as KeyValue | undefined
    } else {
      previous = (await this.call(() => this.client.delete().key(key).getPrevious()))[0] as KeyValue | undefined
    }
    const resource = previous && decodeValue(kind, previous.value.toString(), String(previous.mod_revision))
    if (!resource) throw new NotFoundError(id)
    return resource
  }

  /** A failed compare: the else-branch Get tells "gone" from "changed". */
  private failedCompare(responses: Array<{ response_range?: { kvs?: unknown[] } }>, id: { kind: string; name: string; namespace?: string }): Error {
    const existing = responses[0]?.response_range?.kvs ?? []
    return existing.length === 0 ? new NotFoundError(id) : new ConflictError(id)
  }

  async close(): Promise<void> {
    this.client.close()
  }

  ipam(): IpamStore {
    return etcdIpamStore(this)
  }

  /** The value stored at a key that is not a v3 resource's (IPAM's `/calico/ipam/v2/...`). */
  async getKey(key: string): Promise<{ value: string; revision: string } | undefined> {
    const response = await this.call(() => this.client.get(key).exec())
    const kv = response.kvs[0] as KeyValue | undefined
    return kv && { value: kv.value.toString(), revision: String(kv.mod_revision) }
  }

  /** Every key under the prefix with its value, in key order. */
  async listKeys(prefix: string): Promise<Array<{ key: string; value: string }>> {
    const { kvs } = await this.scan(prefix)
    return kvs.map((kv) => ({ key: kv.key.toString(), value: kv.value.toString() }))
  }

  /** Writes the key whatever it holds. */
  async putKey(key: string, value: string): Promise<void> {
    await this.call(() => this.client.put(key).value(value).exec())
  }
}

function parseRevision(resourceVersion: string): string {
  if (!/^\d+$/.test(resourceVersion)) throw new ValidationError([{ name: 'ResourceVersion', value: resourceVersion, reason: '' }])
  return resourceVersion
}

function withRevision(resource: Resource, revision: string): Resource {
  return { ...resource, metadata: { ...resource.metadata, resourceVersion: revision } }
}
