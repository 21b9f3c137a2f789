import { randomBytes, randomUUID } from 'node:crypto'
import { AlreadyExistsError, NotFoundError, NotSupportedError, UnauthorizedError, ValidationError, type FieldError } from '../errors.js'
import type { Datastore, ListPage, ListResult } from '../datastore/types.js'
import { checkMetadata } from '../resources/checks.js'
import type { CheckContext, CheckOperation, KindDefinition } from '../resources/kind.js'
import { knownKind } from '../resources/registry.js'
import { crdSchemaErrors } from '../resources/crd-errors.js'
import { applyCrdDefaults, orderLikeGo } from '../resources/go-encode.js'
import { BUILT_IN_TIERS } from '../resources/tier.js'
import { API_VERSION, type Resource } from '../resources/types.js'

/** metav1.Time JSON: RFC 3339 in UTC with whole seconds. */
function now(): string {
  const second = Math.floor(Date.now() / 1000)
  // The same text for a whole second: a bulk create asks thousands of times.
  if (second !== lastSecond) [lastSecond, lastNow] = [second, new Date(second * 1000).toISOString().replace(/\.\d+Z$/, 'Z')]
  return lastNow
}
let lastSecond = -1
let lastNow = ''

function clone<T>(value: T): T {
  return structuredClone(value)
}

/**
 * libcalico-go's validator.Validate on a defaulted resource: the Go validator (metadata rules, then
 * the kind's tags and struct-level checks), then, with CRD validation on, the CRD's OpenAPI
 * constraints and its CEL rules.
 */
function validatorErrors(kind: KindDefinition, resource: Resource, context: CheckContext, crdValidation: boolean): FieldError[] {
  const go = [...checkMetadata(resource), ...(kind.check?.(resource, context) ?? [])]
  if (!crdValidation) return go
  return [...go, ...crdSchemaErrors(kind.kind, orderLikeGo(kind.kind, resource)), ...(kind.crdRules?.(resource) ?? [])]
}

/**
 * The defaults a resource gets, in place: Go's form of its values, then for a write the typed
 * client's defaulting, and with CRD validation on the CRD's defaults (which libcalico-go's validator
 * applies once its Go checks are done; they only ever set values those checks accept, so applying
 * them first leaves their findings as they are, and the CRD's constraints and CEL rules see the
 * defaulted object). Without it the API server applies them.
 */
export function defaultResource(kind: KindDefinition, resource: Resource, operation: CheckOperation = 'create', crdValidation = true): Resource {
  kind.normalize?.(resource)
  if (operation !== 'validate') kind.applyDefaults?.(resource)
  if (crdValidation) applyCrdDefaults(kind.kind, resource)
  return resource
}

/**
 * What the typed client does before it writes, or for `validate` what the validator alone does:
 * the client's defaulting and checks (create, update), the validator (every operation), then the
 * client's checks that wait for the validator (create, update). Throws ValidationError.
 * `crdValidation` is upstream's SetCRDValidationEnabled: off for a client of the Kubernetes
 * datastore, whose API server applies the CRD's defaults and rules itself.
 */
export function prepareResource(
  kind: KindDefinition,
  resource: Resource,
  operation: CheckOperation,
  existing?: Resource,
  peers?: Resource[],
  crdValidation = true,
): Resource {
  const prepared = clone(resource)
  prepared.kind = kind.kind
  prepared.apiVersion = API_VERSION
  defaultResource(kind, prepared, operation, crdValidation)
  const context: CheckContext = { operation, existing, peers }
  const fail = (errors: FieldError[]) => {
    if (errors.length > 0) throw new ValidationError(errors)
  }
  if (operation !== 'validate') fail(kind.clientCheck?.(prepared, context) ?? [])
  fail(validatorErrors(kind, prepared, context, crdValidation))
  if (operation !== 'validate') fail(kind.clientCheckAfterValidation?.(prepared, context) ?? [])
  return prepared
}

export interface ClientOptions {
  /** Tag EnsureInitialized adds to ClusterInformation's clusterType (`kdd` on Kubernetes). */
  clusterType?: string
  /** How many independent resources a command may write at once (1: one after another). */
  parallelism?: number
  /**
   * Whether the client applies the CRD's defaults and checks its constraints and CEL rules (default
   * true): upstream enables it for etcd only, where no API server does.
   */
  crdValidation?: boolean
}

/** Appends the tags of `add` missing from the comma-separated `existing`, as upstream merges clusterType. */
export function mergeClusterType(existing: string | undefined, add: string): string {
  if (!existing) return add
  const tags = existing.split(',')
  for (const tag of add.split(',')) if (!tags.includes(tag)) tags.push(tag)
  return tags.join(',')
}

/**
 * The libcalico-go "v3 client" on top of a backend: defaulting, validation, uid and
 * creationTimestamp on create, the update preconditions, and datastore initialisation.
 */
export class CalicoClient {
  readonly parallelism: number
  /** Whether this client applies the CRDs' defaults and rules itself (no API server does). */
  readonly crdValidation: boolean

  constructor(
    readonly store: Datastore,
    private readonly options: ClientOptions = {},
  ) {
    this.parallelism = Math.max(1, options.parallelism ?? 1)
    this.crdValidation = options.crdValidation ?? true
  }

  /** The client refuses to write or delete what the datastore serves without storing. */
  private refuseBuiltIn(kind: KindDefinition, name: string, operation: 'create' | 'update' | 'delete'): void {
    if (kind.builtIn?.name === name) throw kind.builtIn.refusal(operation)
  }

  /**
   * The typed client's Create: its own checks and the validator (prepareResource), then what it checks
   * against the datastore, and last what resources.Create refuses (no name, a resourceVersion).
   */
  async create(kind: KindDefinition, resource: Resource): Promise<Resource> {
    kind.nameFromSpec?.(resource)
    const { name = '', resourceVersion } = resource.metadata
    this.refuseBuiltIn(kind, name, 'create')
    // Upstream looks for referenced resources (a policy's tier) before defaulting and validating.
    await kind.checkReferences?.(this.store, resource, 'create')
    // The client checks overlaps with the other pools among its own checks, before the validator.
    const peers = kind.checkAgainstPeers && (await this.store.list(kind)).items.filter((p) => p.metadata.name !== name)
    const prepared = prepareResource(kind, resource, 'create', undefined, peers || undefined, this.crdValidation)
    const storeErrors = (await kind.checkAgainstStore?.(this.store, prepared)) ?? []
    if (storeErrors.length > 0) throw new ValidationError(storeErrors)
    if (!name) throw new ValidationError([{ name: 'Metadata.Name', value: '', reason: 'field must be set for a Create request' }])
    if (resourceVersion)
      throw new ValidationError([{ name: 'Metadata.ResourceVersion', value: resourceVersion, reason: 'field must not be set for a Create request' }])
    prepared.metadata.uid ||= randomUUID()
    prepared.metadata.creationTimestamp ||= now()
    return this.read(kind, await this.store.create(kind, prepared))
  }

  /** The client's conversion of what the datastore returns. */
  private read(kind: KindDefinition, resource: Resource): Resource {
    kind.afterRead?.(resource)
    return resource
  }

  /** Update with the caller's resourceVersion; uid and creationTimestamp must come from the stored object. */
  async update(kind: KindDefinition, resource: Resource): Promise<Resource> {
    this.refuseBuiltIn(kind, resource.metadata.name ?? '', 'update')
    const missing = (['resourceVersion', 'creationTimestamp', 'uid'] as const).filter((f) => !resource.metadata[f])
    if (missing.length > 0) {
      const goName = { resourceVersion: 'ResourceVersion', creationTimestamp: 'CreationTimestamp', uid: 'UID' }
      throw new ValidationError(missing.map((f) => ({ name: `Metadata.${goName[f]}`, value: '', reason: 'field must be set for an Update request' })))
    }
    const { name = '', namespace } = resource.metadata
    const existing = await this.store.get(kind, name, namespace)
    await kind.checkReferences?.(this.store, resource, 'update')
    return this.read(kind, await this.store.update(kind, prepareResource(kind, resource, 'update', existing, undefined, this.crdValidation)))
  }

  async get(kind: KindDefinition, name: string, namespace?: string, revision?: string): Promise<Resource> {
    return this.read(kind, await this.store.get(kind, name, namespace, revision))
  }

  async list(kind: KindDefinition, namespace?: string): Promise<ListResult> {
    const list = await this.store.list(kind, namespace)
    for (const item of list.items) this.read(kind, item)
    return list
  }

  /** The list page by page when the datastore can read it so, for printing as it is read. */
  listPages(kind: KindDefinition, namespace?: string): AsyncIterable<ListPage> | undefined {
    const pages = this.store.listPages?.(kind, namespace)
    if (!pages) return undefined
    const read = (item: Resource) => this.read(kind, item)
    return (async function* () {
      for await (const page of pages) {
        page.items.forEach(read)
        yield page
      }
    })()
  }

  async delete(kind: KindDefinition, name: string, namespace?: string, revision?: string): Promise<Resource> {
    this.refuseBuiltIn(kind, name, 'delete')
    if (kind.undeletable?.names.includes(name)) throw new NotSupportedError('Delete', name, kind.undeletable.reason(name))
    const changed = await kind.beforeDelete?.(this.store, name, revision)
    return this.read(kind, await this.store.delete(kind, name, namespace, changed ?? revision))
  }

  /**
   * EnsureInitialized: ClusterInformation `default` with a cluster GUID and datastoreReady, and the
   * default tiers. Upstream ignores failures here, and so do callers.
   */
  async ensureInitialized(): Promise<void> {
    const info = await knownKind('ClusterInformation')
    const clusterType = this.options.clusterType
    try {
      const current = await this.store.get(info, 'default')
      const spec = (current.spec ??= {})
      const mergedType = clusterType ? mergeClusterType(spec.clusterType as string | undefined, clusterType) : spec.clusterType
      if (!spec.clusterGUID || spec.datastoreReady === undefined || mergedType !== spec.clusterType) {
        spec.clusterGUID ||= randomBytes(16).toString('hex')
        spec.datastoreReady ??= true
        if (mergedType) spec.clusterType = mergedType
        await this.store.update(info, current)
      }
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err
      await this.store
        .create(info, {
          apiVersion: API_VERSION,
          kind: 'ClusterInformation',
          metadata: { name: 'default', uid: randomUUID(), creationTimestamp: now() },
          spec: { clusterGUID: randomBytes(16).toString('hex'), clusterType, datastoreReady: true },
        })
        .catch(ignoreExists)
    }
    const tier = await knownKind('Tier')
    // Upstream creates the built-in tiers on first write.
    for (const t of BUILT_IN_TIERS) {
      await this.store
        .create(tier, {
          apiVersion: API_VERSION,
          kind: 'Tier',
          metadata: { name: t.name, uid: randomUUID(), creationTimestamp: now() },
          spec: { order: t.order, defaultAction: t.defaultAction },
        })
        .catch(ignoreExists)
    }
  }
}

function ignoreExists(err: unknown): void {
  if (!(err instanceof AlreadyExistsError) && !(err instanceof UnauthorizedError)) throw err
}
