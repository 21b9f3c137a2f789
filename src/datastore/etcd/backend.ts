import { readFileSync } from 'node:fs'
// This module is itself loaded only when a command opens an etcd datastore (src/crud/session.ts).
import { circuitBreaker, ConsecutiveBreaker, handleWhen, retry } from 'cockatiel'
import { Etcd3, GRPCDeadlineExceededError, GRPCResourceExhastedError, isRecoverableError, Range, type IOptions, type IRangeResponse } from 'etcd3'
import {
  AlreadyExistsError,
  ClientSetupError,
  ConflictError,
  NotFoundError,
  UnauthorizedError,
  UnreachableError,
  ValidationError,
} from '../../errors.js'
import { goPathError } from '../../node/go-errno.js'
import type { KindDefinition } from '../../resources/kind.js'
import type { Resource } from '../../resources/types.js'
import { resolveEtcdEndpoints, type CalicoAPIConfigSpec } from '../config.js'
import type { Datastore, IpamStore, ListOptions, ListPage, ListResult } from '../types.js'
import { decodeValue, encodeValue } from './codec.js'
import { etcdIpamStore } from './ipam.js'
import { etcdIpamKv } from './ipam-kv.js'
import type { IpamKv } from '../ipam-kv.js'
import { listPrefix, parseResourceKey, resourceKey } from './keys.js'
import { debug } from '../../log.js'

/** Dial and per-request deadlines: a dead endpoint must fail within seconds, not hang. */
const DIAL_TIMEOUT_MS = 5000
const REQUEST_TIMEOUT_MS = 5000
/** How long requests are sent again while the cluster has no leader (an election takes a second or two). */
const CLUSTER_SETTLE_MS = 20_000
/** How long a member that failed a call is left out before it is tried again. */
const FAILED_MEMBER_REST_MS = 10_000
/** Keys per range request: with values of a few KiB a page stays well under gRPC's 4 MiB message cap (an oversized one is fetched again in halves). */
const PAGE_SIZE = 1000

interface KeyValue {
  key: Buffer
  value: Buffer
  mod_revision: string
}

/**
 * The TLS material, inline or from files as etcd's TLSInfo reads them for calicoctl: certificate and
 * key (both or neither), then the CA. A file that cannot be read fails the client's set-up with
 * upstream's text, before any datastore is asked.
 */
function tlsMaterial(config: CalicoAPIConfigSpec): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  if (config.etcdCACert || config.etcdCert || config.etcdKey) {
    const inline = (pem: string | undefined) => (pem ? Buffer.from(pem) : undefined)
    return { ca: inline(config.etcdCACert), cert: inline(config.etcdCert), key: inline(config.etcdKey) }
  }
  const fail = (text: string): never => {
    throw new ClientSetupError(`could not initialize etcdv3 client: ${text}`)
  }
  const read = (file: string): Buffer => {
    try {
      return readFileSync(file)
    } catch (err) {
      return fail(goPathError('open', file, err))
    }
  }
  const { etcdCertFile: certFile = '', etcdKeyFile: keyFile = '', etcdCACertFile: caFile = '' } = config
  let cert: Buffer | undefined
  let key: Buffer | undefined
  if (certFile || keyFile) {
    if (!certFile || !keyFile) fail(`KeyFile and CertFile must both be present[key: ${keyFile}, cert: ${certFile}]`)
    cert = read(certFile)
    key = read(keyFile)
  }
  return { ca: caFile ? read(caFile) : undefined, cert, key }
}

/** The cluster's own answer that it cannot serve right now (no leader yet, a proposal lost to an election). */
const clusterUnsettled = (err: Error): boolean => isRecoverableError(err) && /etcdserver: (request timed out|leader changed|no leader|too many requests)/.test(err.message)

/**
 * A failure of the member rather than of the request (refused, gone, silent until the deadline):
 * another member may do better.
 */
const memberFailed = (err: Error): boolean => isRecoverableError(err) && !(err instanceof GRPCResourceExhastedError) && !/etcdserver: /.test(err.message)

/** Maps etcd3/gRPC failures onto the shared error types; messages never include credentials. */
function mapError(err: unknown, endpoints: string): Error {
  const e = err as Error
  const name = e?.constructor?.name ?? ''
  if (/Authentication|InvalidAuthToken|PermissionDenied|Unauthenticated/.test(name) || /authentication failed|permission denied/i.test(e.message))
    return new UnauthorizedError(e.message.replace(/^.*?(etcdserver: )/, '$1'))
  // Every member is left out after failing (see connect): no answer from any of them.
  if (name === 'BrokenCircuitError') return new UnreachableError(`context deadline exceeded (etcd unreachable at ${endpoints}: no member answers)`)
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
    private readonly members: number,
  ) {}

  static async connect(config: CalicoAPIConfigSpec): Promise<EtcdDatastore> {
    const endpoints = await resolveEtcdEndpoints(config)
    for (const e of endpoints) if (e.defaultedPort) debug(`etcd endpoint ${e.url} has no port: using ${e.host}:2379`)
    const options: IOptions = {
      hosts: endpoints.map((e) => e.url),
      dialTimeout: DIAL_TIMEOUT_MS,
      // One try per endpoint: a failed call moves on to another member (failover), but a dead
      // cluster is reported after one deadline per endpoint instead of etcd3's default retries.
      // A member that failed a call (refused, unreachable, or silent until the deadline) is left
      // out of later calls for a while, so a bulk write pays for a dead member once rather than
      // once per call. Only such failures count: an oversized list page (retried smaller below)
      // must not take its member out of the pool.
      faultHandling: {
        global: retry(handleWhen(memberFailed), { maxAttempts: endpoints.length - 1 }),
        host: () => circuitBreaker(handleWhen(memberFailed), { halfOpenAfter: FAILED_MEMBER_REST_MS, breaker: new ConsecutiveBreaker(1) }),
      },
      defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + REQUEST_TIMEOUT_MS }),
    }
    const { ca, cert, key } = tlsMaterial(config)
    if (ca || cert || key) options.credentials = { rootCertificate: ca as Buffer, certChain: cert, privateKey: key }
    if (config.etcdUsername && config.etcdPassword) options.auth = { username: config.etcdUsername, password: config.etcdPassword }
    return new EtcdDatastore(new Etcd3(options), endpoints.map((e) => e.url).join(','), endpoints.length)
  }

  /**
   * What `prefetch` read: every key under each prefix with its value, answering get (and create's
   * "exists") for those keys without a round trip, until the key is written by this client.
   */
  private readonly snapshots: Array<{ prefix: string; kvs: Map<string, KeyValue> }> = []
  /** Keys this client wrote (any write method): the snapshot no longer speaks for them. */
  private readonly written = new Set<string>()

  /**
   * One paged read of a kind (in one namespace, or all), so a bulk apply or replace needs no read
   * per resource. Each answer is the one etcd gave at the snapshot's revision; a key changed by
   * someone else since then fails the write's compare (Mod revision) and is read again, as a key
   * changed between upstream's own read and write is.
   */
  async prefetch(kind: KindDefinition, namespace?: string): Promise<void> {
    const prefix = listPrefix(kind, namespace)
    if (this.snapshots.some((s) => prefix.startsWith(s.prefix))) return
    const { kvs } = await this.scan(prefix)
    this.snapshots.push({ prefix, kvs: new Map(kvs.map((kv) => [kv.key.toString(), kv])) })
  }

  /** The snapshot's answer for a key: `{}` when it held none, undefined when it does not know. */
  private snapshotOf(key: string): { kv?: KeyValue } | undefined {
    if (this.written.has(key)) return undefined
    const snapshot = this.snapshots.find((s) => key.startsWith(s.prefix))
    return snapshot && { kv: snapshot.kvs.get(key) }
  }

  /** Once etcd proved unreachable, later calls of this command fail at once with the same error. */
  private unreachable?: UnreachableError

  /**
   * Runs one request. A cluster without a leader for a moment (a member died, an election runs)
   * answers "etcdserver: ..." unavailable errors, or none before the deadline: the request is sent
   * again, backing off, for up to CLUSTER_SETTLE_MS. A write sent again may have been applied the first time; the callers' writes
   * are compare-and-swap transactions, so a repeat fails its compare instead of writing twice.
   */
  private async call<T>(operation: () => Promise<T>): Promise<T> {
    const giveUp = Date.now() + CLUSTER_SETTLE_MS
    for (let pause = 100; ; pause = Math.min(pause * 2, 1000)) {
      if (this.unreachable) throw this.unreachable
      try {
        return await operation()
      } catch (err) {
        if (this.mayRecover(err as Error) && Date.now() + pause < giveUp) {
          await new Promise((resolve) => setTimeout(resolve, pause))
          continue
        }
        const mapped = mapError(err, this.endpoints)
        if (mapped instanceof UnreachableError) this.unreachable = mapped
        throw mapped
      }
    }
  }

  /**
   * Whether sending the request again may succeed: the cluster said it is electing, or (with more
   * than one member) a member failed or stayed silent, or every member is resting after a failure;
   * another member or the new leader may answer. etcd3 reports a call whose every member was resting
   * as the last member failure it saw (a refused connection to the dead member, say), so such a
   * failure is no proof the whole cluster is gone. A lone member that fails is reported at once.
   */
  private mayRecover(err: Error): boolean {
    if (clusterUnsettled(err)) return true
    return this.members > 1 && (memberFailed(err) || err instanceof GRPCDeadlineExceededError || err?.constructor?.name === 'BrokenCircuitError')
  }

  private toResource(kind: KindDefinition, kv: KeyValue): Resource | undefined {
    if (!parseResourceKey(kind, kv.key.toString())) return undefined
    return decodeValue(kind, kv.value.toString(), String(kv.mod_revision))
  }

  async get(kind: KindDefinition, name: string, namespace?: string, revision?: string): Promise<Resource> {
    if (kind.builtIn?.name === name) return kind.builtIn.resource()
    const id = { kind: kind.kind, name, namespace }
    const key = resourceKey(kind, name, namespace)
    const known = revision ? undefined : this.snapshotOf(key)
    let kv = known?.kv
    if (!known) {
      const builder = this.client.get(key)
      if (revision) builder.revision(parseRevision(revision))
      kv = (await this.call(() => builder.exec())).kvs[0] as KeyValue | undefined
    }
    if (!kv) throw new NotFoundError(id)
    const resource = decodeValue(kind, kv.value.toString(), String(kv.mod_revision))
    if (!resource) throw new Error(`cannot parse the value stored for ${kind.kind}(${name}) in etcd`)
    return resource
  }

  /**
   * Reads the prefix page by page at one revision, so the list is a consistent snapshot. A page
   * whose response would pass gRPC's 4 MiB cap is fetched again in halves (values may be 1.5 MiB).
   * Each page comes with the snapshot's revision and the number of keys the prefix held then.
   */
  private async *scanPages(prefix: string): AsyncGenerator<{ kvs: KeyValue[]; revision: string; count: number }> {
    const end = Range.prefix(prefix).end
    let revision: string | undefined
    let pageSize = PAGE_SIZE
    const read = async (start: Buffer): Promise<IRangeResponse> => {
      for (;;) {
        const builder = this.client.getAll().inRange(new Range(start, end)).limit(pageSize)
        if (revision) builder.revision(revision)
        try {
          return await this.call(() => builder.exec())
        } catch (err) {
          if (pageSize > 1 && /RESOURCE_EXHAUSTED|larger than max/.test((err as Error).message)) {
            pageSize = Math.max(1, Math.floor(pageSize / 2))
            continue
          }
          throw err
        }
      }
    }
    let next = read(Buffer.from(prefix))
    const first = await next
    revision = String(first.header.revision)
    const count = Number(first.count)
    for (;;) {
      const page = await next
      const kvs = page.kvs as KeyValue[]
      const more = page.more && kvs.length > 0
      // The next page is on its way while the caller handles this one (etcd works as we print).
      if (more) {
        next = read(Buffer.concat([kvs[kvs.length - 1].key, Buffer.from([0])]))
        next.catch(() => undefined)
      }
      yield { kvs, revision, count }
      if (!more) return
    }
  }

  private async scan(prefix: string): Promise<{ kvs: KeyValue[]; revision: string }> {
    const kvs: KeyValue[] = []
    let revision = '0'
    for await (const page of this.scanPages(prefix)) {
      kvs.push(...page.kvs)
      revision = page.revision
    }
    return { kvs, revision }
  }

  async list(kind: KindDefinition, namespace?: string, options: ListOptions = {}): Promise<ListResult> {
    const items: Resource[] = []
    let revision = '0'
    for await (const page of this.listPages(kind, namespace, options)) {
      items.push(...page.items)
      revision = page.revision
    }
    return { items, revision }
  }

  /** The list page by page, so a caller can print each before the next is read. */
  async *listPages(kind: KindDefinition, namespace?: string, options: ListOptions = {}): AsyncGenerator<ListPage> {
    const prefix = options.namePrefix ?? ''
    const named = (r: Resource) => (r.metadata.name ?? '').startsWith(prefix)
    let revision = '0'
    let total = 0
    for await (const page of this.scanPages(listPrefix(kind, namespace))) {
      ;({ revision } = page)
      total = page.count + (kind.builtIn ? 1 : 0)
      const items: Resource[] = []
      for (const kv of page.kvs) {
        const resource = this.toResource(kind, kv)
        if (resource && named(resource)) items.push(resource)
      }
      yield { items, revision, total, read: page.kvs.length }
    }
    // Never stored, always listed: upstream appends it after the stored ones.
    const builtIn = kind.builtIn?.resource()
    yield { items: builtIn && named(builtIn) ? [builtIn] : [], revision, total: total || (builtIn ? 1 : 0), read: builtIn ? 1 : 0 }
  }

  async create(kind: KindDefinition, resource: Resource): Promise<Resource> {
    const { name = '', namespace } = resource.metadata
    const key = resourceKey(kind, name, namespace)
    if (this.snapshotOf(key)?.kv) throw withoutStack(() => new AlreadyExistsError({ kind: kind.kind, name, namespace }))
    this.written.add(key)
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
    this.written.add(key)
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
    this.written.add(key)
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

  ipamKv(): IpamKv {
    return etcdIpamKv(this)
  }

  /** The value stored at a key that is not a v3 resource's (IPAM's `/calico/ipam/v2/...`). */
  async getKey(key: string): Promise<{ value: string; revision: string } | undefined> {
    const response = await this.call(() => this.client.get(key).exec())
    const kv = response.kvs[0] as KeyValue | undefined
    return kv && { value: kv.value.toString(), revision: String(kv.mod_revision) }
  }

  /** Every key under the prefix with its value and mod revision, in key order. */
  async listKeys(prefix: string): Promise<Array<{ key: string; value: string; revision: string }>> {
    const { kvs } = await this.scan(prefix)
    return kvs.map((kv) => ({ key: kv.key.toString(), value: kv.value.toString(), revision: String(kv.mod_revision) }))
  }

  /** Writes the key only if it does not exist; false when it does. */
  async createKey(key: string, value: string): Promise<boolean> {
    this.written.add(key)
    const result = await this.call(() => this.client.if(key, 'Version', '==', 0).then(this.client.put(key).value(value)).commit())
    return result.succeeded
  }

  /**
   * Writes the key only if it is still at `revision` (libcalico-go's update of a KVPair): ConflictError
   * when it changed, NotFoundError when it is gone. Returns the new revision.
   */
  async putKeyAt(key: string, value: string, revision: string): Promise<string> {
    this.written.add(key)
    const id = { kind: 'key', name: key }
    const result = await this.call(() =>
      this.client.if(key, 'Mod', '==', parseRevision(revision)).then(this.client.put(key).value(value)).else(this.client.get(key)).commit(),
    )
    if (!result.succeeded) throw this.failedCompare(result.responses, id)
    return String(result.header.revision)
  }

  /** Deletes the key only if it is still at `revision`; errors as putKeyAt, naming `id` (the key by default). */
  async deleteKeyAt(key: string, revision: string, id: { kind: string; name: string; namespace?: string } = { kind: 'key', name: key }): Promise<void> {
    this.written.add(key)
    const result = await this.call(() =>
      this.client
        .if(key, 'Mod', '==', parseRevision(revision))
        .then({ request_delete_range: { key: Buffer.from(key) } })
        .else(this.client.get(key))
        .commit(),
    )
    if (!result.succeeded) throw this.failedCompare(result.responses, id)
  }

  /** Writes the key whatever it holds. */
  async putKey(key: string, value: string): Promise<void> {
    this.written.add(key)
    await this.call(() => this.client.put(key).value(value).exec())
  }
}

/**
 * An error that is an expected answer (a re-applied resource exists), made without capturing a
 * stack: under a bulk apply's concurrent calls that capture costs more than the answer.
 */
function withoutStack<E extends Error>(make: () => E): E {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return make()
  } finally {
    Error.stackTraceLimit = limit
  }
}

function parseRevision(resourceVersion: string): string {
  if (!/^\d+$/.test(resourceVersion)) throw new ValidationError([{ name: 'ResourceVersion', value: resourceVersion, reason: '' }])
  return resourceVersion
}

function withRevision(resource: Resource, revision: string): Resource {
  return { ...resource, metadata: { ...resource.metadata, resourceVersion: revision } }
}
