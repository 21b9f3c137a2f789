/**
 * The test API server's storage, following the apiserver's generic registry over etcd: one global
 * resourceVersion counter bumped by every write, server-owned metadata (uid, creationTimestamp,
 * generation), no resourceVersion on create, optimistic concurrency on resourceVersion, uid
 * preconditions, status subresource rules, and lists in key order paged with limit/continue over a
 * consistent snapshot until a compaction expires it. Namespaced objects need their namespace
 * (NamespaceLifecycle admission); deleting a namespace takes its objects along at once, the end
 * state of the namespace controller's work.
 */
import { randomUUID } from 'node:crypto'
import { parseFieldSelector, selectableFields } from './field-selector.js'
import { encodeJson } from './json.js'
import { matchesLabels, parseLabelSelector, SelectorError } from './label-selector.js'
import { NAMESPACES, type ServedResource } from './resources.js'
import { alreadyExists, badRequest, conflict, continueExpired, forbiddenBecause, invalid, notFound, OPTIMISTIC_LOCK, storageError } from './status.js'
import { IMMORTAL_NAMESPACES, prepareForCreate, prepareForStatusUpdate, prepareForUpdate, SYSTEM_NAMESPACES, validateName } from './strategies.js'

export interface ObjectMeta {
  name?: string
  namespace?: string
  uid?: string
  resourceVersion?: string
  generation?: number
  creationTimestamp?: string | null
  labels?: Record<string, string>
  annotations?: Record<string, string>
  [field: string]: unknown
}

export interface KubeObject {
  apiVersion?: string
  kind?: string
  metadata: ObjectMeta
  spec?: unknown
  status?: unknown
  [field: string]: unknown
}

export interface ListOptions {
  labelSelector?: string
  fieldSelector?: string
  limit?: number
  continue?: string
}

export interface ListResult {
  items: KubeObject[]
  resourceVersion: string
  continue?: string
  remainingItemCount?: number
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z')
const clone = <T>(v: T): T => structuredClone(v)

/** A value with its objects' keys sorted. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, sortKeys(v)]),
  )
}

/** JSON with object keys sorted: equal for equal values, whatever order their keys came in. */
const canonical = (value: unknown): string => encodeJson(sortKeys(value))

/** Everything but metadata and status: what metadata.generation counts changes of. */
function specPart(o: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = o
  return canonical(rest)
}

/** What one list saw, in key order, for its later pages. */
interface Snapshot {
  revision: number
  entries: Array<[key: string, object: KubeObject]>
}

/** The continue token: the list's revision (-1: the latest) and the key its next page starts at. */
interface ContinueToken {
  rv: number
  start: string
  /** This server's handle on the snapshot of revision `rv`. */
  id: string
}

export interface StoreOptions {
  /** Creating a namespaced object in a namespace that does not exist is a 404, as with NamespaceLifecycle admission (default true). */
  requireNamespaces?: boolean
  /**
   * The API server's decoding and validation of an object about to be stored (`old`: the stored
   * one, on update): may change it in place (pruning, defaulting) or throw the StatusError.
   */
  admit?(r: ServedResource, object: KubeObject, old?: KubeObject): void
}

export class ObjectStore {
  private revision = 0
  /** Revisions before this one are gone, as after an etcd compaction. */
  private compactedRevision = 0
  private readonly objects = new Map<string, KubeObject>()
  /** Paged lists read their later pages from the snapshot the first page was cut from. */
  private readonly snapshots = new Map<string, Snapshot>()
  private readonly requireNamespaces: boolean
  private readonly admit: NonNullable<StoreOptions['admit']>

  constructor(options: StoreOptions = {}) {
    this.requireNamespaces = options.requireNamespaces ?? true
    this.admit = options.admit ?? (() => {})
    this.createSystemNamespaces()
  }

  private createSystemNamespaces(): void {
    for (const name of SYSTEM_NAMESPACES) this.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } })
  }

  private key(r: ServedResource, namespace: string | undefined, name: string): string {
    return `${r.group}/${r.plural}/${r.namespaced ? (namespace ?? '') : ''}/${name}`
  }

  private prefix(r: ServedResource, namespace?: string): string {
    return r.namespaced && namespace ? `${r.group}/${r.plural}/${namespace}/` : `${r.group}/${r.plural}/`
  }

  private nextRevision(): string {
    return String(++this.revision)
  }

  get(r: ServedResource, namespace: string | undefined, name: string): KubeObject {
    const found = this.objects.get(this.key(r, namespace, name))
    if (!found) throw notFound(r, name)
    return clone(found)
  }

  list(r: ServedResource, namespace: string | undefined, options: ListOptions): ListResult {
    let snapshot: Snapshot
    let id: string
    let offset = 0
    const token = options.continue ? decodeToken(options.continue) : undefined
    if (token && token.rv !== -1) {
      if (token.rv < this.compactedRevision) throw continueExpired(encodeToken({ rv: -1, start: token.start, id: '' }))
      const saved = this.snapshots.get(token.id)
      if (!saved) throw badRequest('continue key is not valid: the continue token does not belong to this server')
      snapshot = saved
      id = token.id
    } else {
      snapshot = { revision: this.revision, entries: this.select(r, namespace, options) }
      id = randomUUID()
    }
    if (token) offset = snapshot.entries.findIndex(([key]) => key >= token.start)
    if (offset < 0) offset = snapshot.entries.length
    const limit = options.limit && options.limit > 0 ? options.limit : snapshot.entries.length
    const page = snapshot.entries.slice(offset, offset + limit)
    const end = offset + page.length
    const result: ListResult = { items: clone(page.map(([, object]) => object)), resourceVersion: String(snapshot.revision) }
    if (end < snapshot.entries.length) {
      this.snapshots.set(id, snapshot)
      result.continue = encodeToken({ rv: snapshot.revision, start: snapshot.entries[end][0], id })
      result.remainingItemCount = snapshot.entries.length - end
    }
    return result
  }

  /**
   * What kube-apiserver's periodic compaction does: it writes its compaction key (one revision)
   * and has etcd drop every earlier revision, so continue tokens of lists taken before expire.
   */
  compact(): void {
    this.compactedRevision = Number(this.nextRevision())
    for (const [id, snapshot] of this.snapshots) if (snapshot.revision < this.compactedRevision) this.snapshots.delete(id)
  }

  private select(r: ServedResource, namespace: string | undefined, options: ListOptions): Array<[string, KubeObject]> {
    let requirements
    try {
      requirements = parseLabelSelector(options.labelSelector ?? '')
    } catch (err) {
      if (err instanceof SelectorError) throw badRequest(err.message)
      throw err
    }
    const fields = parseFieldSelector(r, options.fieldSelector ?? '')
    const prefix = this.prefix(r, namespace)
    return [...this.objects.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .filter(([, o]) => matchesLabels(requirements, o.metadata.labels))
      .filter(([, o]) => fields.every((matches) => matches(selectableFields(r, o))))
  }

  create(r: ServedResource, namespace: string | undefined, body: KubeObject): KubeObject {
    // Admission runs before validation: a missing namespace is reported before a bad name.
    if (r.namespaced && this.requireNamespaces && !this.objects.has(this.key(NAMESPACES, undefined, namespace ?? ''))) throw notFound(NAMESPACES, namespace ?? '')
    const name = body.metadata?.name ?? ''
    if (!name) throw invalid(r, '', [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }])
    validateName(r, name)
    // etcd3 store's Create, before it looks for the key; a version it cannot read as a number it ignores.
    if (/^\d+$/.test(body.metadata.resourceVersion ?? '') && Number(body.metadata.resourceVersion) > 0)
      throw storageError('resourceVersion should not be set on objects to be created')
    const key = this.key(r, namespace, name)
    const object = clone(body)
    // The server owns these fields: whatever the client sent is replaced.
    object.metadata = { ...object.metadata, uid: randomUUID(), resourceVersion: '', creationTimestamp: now() }
    if (r.namespaced) object.metadata.namespace = namespace
    else delete object.metadata.namespace
    if (r.generation) object.metadata.generation = 1
    prepareForCreate(r, object)
    // Validation comes before storage: an invalid object is refused whether or not the name is taken.
    this.admit(r, object)
    if (this.objects.has(key)) throw alreadyExists(r, name)
    object.metadata.resourceVersion = this.nextRevision()
    this.objects.set(key, object)
    return clone(object)
  }

  /** PUT of the object (`status`: the status subresource); every update is conditional on resourceVersion. */
  update(r: ServedResource, namespace: string | undefined, name: string, body: KubeObject, subresource?: 'status'): KubeObject {
    const key = this.key(r, namespace, name)
    const stored = this.objects.get(key)
    if (!stored) throw notFound(r, name)
    const sentUid = body.metadata?.uid
    if (sentUid && sentUid !== stored.metadata.uid)
      throw conflict(r, name, `Precondition failed: UID in precondition: ${sentUid}, UID in object meta: ${stored.metadata.uid}`)
    const sentVersion = body.metadata?.resourceVersion
    if (!sentVersion)
      throw invalid(r, name, [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0x0: must be specified for an update', field: 'metadata.resourceVersion' }])
    if (sentVersion !== stored.metadata.resourceVersion) throw conflict(r, name, OPTIMISTIC_LOCK)
    const metadata: ObjectMeta = {
      ...body.metadata,
      name,
      uid: stored.metadata.uid,
      creationTimestamp: stored.metadata.creationTimestamp,
      generation: stored.metadata.generation,
    }
    if (r.namespaced) metadata.namespace = namespace
    else delete metadata.namespace
    let object: KubeObject = { ...clone(body), metadata }
    if (r.statusSubresource) {
      // The main resource cannot change status and the status subresource cannot change the rest.
      if (subresource === 'status') object = prepareForStatusUpdate(r, object, clone(stored))
      else if (stored.status === undefined) delete object.status
      else object.status = clone(stored.status)
    }
    prepareForUpdate(r, object, stored)
    this.admit(r, object, stored)
    if (r.generation && specPart(object) !== specPart(stored)) object.metadata.generation = (stored.metadata.generation ?? 0) + 1
    if (object.metadata.generation === undefined) delete object.metadata.generation
    if (canonical(object) === canonical(stored)) return clone(stored)
    object.metadata.resourceVersion = this.nextRevision()
    this.objects.set(key, object)
    return clone(object)
  }

  delete(r: ServedResource, namespace: string | undefined, name: string, preconditions: { uid?: string; resourceVersion?: string } = {}): KubeObject {
    const key = this.key(r, namespace, name)
    if (r === NAMESPACES && IMMORTAL_NAMESPACES.includes(name)) throw forbiddenBecause(r, name, 'this namespace may not be deleted')
    const stored = this.objects.get(key)
    if (!stored) throw notFound(r, name)
    if (preconditions.uid && preconditions.uid !== stored.metadata.uid)
      throw conflict(r, name, `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${stored.metadata.uid}`)
    if (preconditions.resourceVersion && preconditions.resourceVersion !== stored.metadata.resourceVersion)
      throw conflict(
        r,
        name,
        `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${stored.metadata.resourceVersion}`,
      )
    this.objects.delete(key)
    if (r === NAMESPACES) for (const k of this.objects.keys()) if (k.split('/')[2] === name) this.objects.delete(k)
    const deleted = clone(stored)
    deleted.metadata.resourceVersion = this.nextRevision()
    return deleted
  }

  /** Everything stored with its group and resource name, for tests that inspect the raw objects. */
  entries(): Array<{ group: string; plural: string; object: KubeObject }> {
    return [...this.objects.entries()].map(([key, object]) => {
      const [group, plural] = key.split('/')
      return { group, plural, object: clone(object) }
    })
  }

  /** Back to a new cluster: nothing but the system namespaces. */
  clear(): void {
    this.objects.clear()
    this.snapshots.clear()
    this.createSystemNamespaces()
  }
}

function encodeToken(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', ...token })).toString('base64')
}

function decodeToken(text: string): ContinueToken {
  try {
    const { rv, start, id } = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as Partial<ContinueToken>
    if (typeof rv === 'number' && typeof start === 'string' && typeof id === 'string') return { rv, start, id }
  } catch {
    // reported below
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)')
}

