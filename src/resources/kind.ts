import type { FieldError } from '../errors.js'
import type { Datastore } from '../datastore/types.js'
import type { Resource } from './types.js'
import { formatGoFloat } from '../output/yaml-resolve.js'

/** Facts a table column may need beyond the resource itself (computed by the caller, printers stay pure). */
export interface ColumnContext {
  /** AS number of the default BGPConfiguration, `64512` when unset, `unknown` when it could not be read. */
  globalASNumber?: string
}

export interface Column {
  header: string
  value(resource: Resource, context: ColumnContext): string
}

/**
 * What a resource is prepared for: a write through the typed client (`create`, `update`), or
 * `validate`, which runs libcalico-go's validator alone (calicoctl's ActionValidate calls only
 * validator.Validate): no client defaults and no client checks.
 */
export type CheckOperation = 'create' | 'update' | 'validate'

/** What a kind's semantic checks may look at besides the resource. */
export interface CheckContext {
  operation: CheckOperation
  /** The stored resource, for updates. */
  existing?: Resource
  /** The other stored resources of the kind, on create, for kinds with checkAgainstPeers. */
  peers?: Resource[]
}

/** A backend operation as libcalico-go names it in `operation <Op> is not supported on <id>`. */
export type BackendOperation = 'Create' | 'Update' | 'Delete'

/**
 * How the Kubernetes datastore keeps a kind (datastore spec section 2). Without one, the kind is a
 * Calico custom resource whose resource name is `plural`.
 */
export interface KddMapping {
  /**
   * `node`: the kind is the core/v1 Node itself, with Calico's fields in `projectcalico.org/*` annotations;
   * `profile` and `workloadendpoint`: derived from Namespaces/ServiceAccounts and Pods (spec 2.7, 2.8).
   */
  storage?: 'custom-resource' | 'node' | 'profile' | 'workloadendpoint'
  /** The custom resource's own names in crd.projectcalico.org/v1 when they differ (IPAMConfiguration is `ipamconfigs` of kind IPAMConfig). */
  v1Names?: { plural: string; kind: string }
  /** Operations the Kubernetes backend refuses, each with upstream's reason ('' when it gives none). */
  refuses?: Partial<Record<BackendOperation, string>>
  /** Upstream's conversion of every object read back (legacy v1 fields, defaults). */
  afterRead?(resource: Resource): void
}

/**
 * One projectcalico.org/v3 kind: everything commands, printers and datastores need to know.
 * Adding a kind means adding one of these and a schema, nothing else.
 */
export interface KindDefinition {
  kind: string
  /** Lower-case plural, used in etcd keys and Kubernetes CRD paths. */
  plural: string
  /** Names accepted on the command line (lower case), as calicoctl accepts them. */
  names: string[]
  namespaced: boolean
  /** File name (without .json) of the JSON schema in `schemas/`. */
  schema: string
  columns: { ps: Column[]; wide: Column[] }
  /** The kind needs ColumnContext.globalASNumber for its tables. */
  needsGlobalASNumber?: boolean
  /** Resources the client refuses to delete, with upstream's reason. */
  undeletable?: { names: string[]; reason(name: string): string }
  /**
   * Upstream client work before a delete (disable first, cascades). Returns the revision the
   * delete must then match, when the work changed the stored resource.
   */
  beforeDelete?(store: Datastore, name: string, revision?: string): Promise<string | undefined>
  /** Order of `get` lists, when upstream sorts them (etcd key order otherwise). */
  listOrder?(a: Resource, b: Resource): number
  /**
   * A policy kind: both datastores keep the name in the `projectcalico.org/metadata` annotation, and
   * names of default-tier policies written before Calico 3.30 lose their `default.` prefix on read.
   */
  policy?: boolean
  /** Names calicoctl refuses to write or delete (policies Kubernetes owns), with upstream's reason. */
  reservedPrefix?: { prefix: string; reason: string }
  /**
   * A resource the datastores serve without storing it (the default-allow profile): reads return
   * it, lists include it, and the client refuses to write or delete it.
   */
  builtIn?: { name: string; resource(): Resource; refusal(operation: 'create' | 'update' | 'delete'): Error }
  /** Kinds whose name is computed from the spec fill an empty name in before the create checks. */
  nameFromSpec?(resource: Resource): void
  /** Headings only custom-columns offers (upstream's template map has more than the tables show). */
  extraColumns?: Column[]
  /**
   * Checks that need other resources, before defaulting and validation (a policy's tier must exist
   * on create, a BGP peer's filters on every write); throws upstream's error.
   */
  checkReferences?(store: Datastore, resource: Resource, operation: 'create' | 'update'): Promise<void>
  /** The client's conversion of everything read, in both datastores (a policy's tier label). */
  afterRead?(resource: Resource): void
  /** calicoctl refuses create/apply/replace/delete; the messages per operation. */
  readOnly?: { create: string; apply: string; replace: string; delete: string }
  /**
   * Values in the form Go holds them after decoding (AS numbers, durations, protocols), for
   * resources that did not come through the decoder; runs for every operation, `validate` included.
   */
  normalize?(resource: Resource): void
  /** The typed client's defaulting before it validates, on create and update (not `validate`). */
  applyDefaults?(resource: Resource): void
  /**
   * The typed client's own checks before it calls the validator, on create and update (not
   * `validate`): any finding ends the write with those findings alone (IPPool's
   * validateAndSetDefaults, KubeControllersConfiguration's templates, a WorkloadEndpoint's name).
   */
  clientCheck?(resource: Resource, context: CheckContext): FieldError[]
  /**
   * libcalico-go's Go validator (validator.Validate before its CRD part): the struct tags and
   * struct-level validators, with upstream field names and reasons.
   */
  check?(resource: Resource, context: CheckContext): FieldError[]
  /**
   * The CRD's `x-kubernetes-validations` (CEL) rules, which libcalico-go evaluates client-side only
   * where no API server does (etcd, `validate`), after the CRD's OpenAPI constraints (the schema's,
   * crdSchemaErrors) and on the object with the CRD's defaults. Findings name a CRD path (`spec`,
   * `spec.ingress[0]`) or, for a rule on the whole object, the kind, and carry no value. The CRD
   * the Kubernetes datastore is written against carries the same rules in CEL (crds.ts).
   */
  crdRules?(resource: Resource): FieldError[]
  /**
   * The typed client's checks once the validator is content, before it writes (not `validate`):
   * BGPConfiguration's default-only fields, the singletons' names. May throw a plain error.
   */
  clientCheckAfterValidation?(resource: Resource, context: CheckContext): FieldError[]
  /**
   * Checks on create against the other stored resources of the kind (e.g. overlapping IP pools).
   * The client lists them and hands them to clientCheck in CheckContext.peers, which reports these
   * findings in upstream's order among its own.
   */
  checkAgainstPeers?(resource: Resource, others: Resource[]): FieldError[]
  /** Checks on create, after those against peers, of other stored data (an IP pool against IPAM's blocks). */
  checkAgainstStore?(store: Datastore, resource: Resource): Promise<FieldError[]>
  /** Storage in the Kubernetes datastore, when it differs from a plain custom resource. */
  kdd?: KddMapping
}

/** Reads a spec field for table cells: '' when absent, like Go's zero value. */
export function specField(resource: Resource, field: string): unknown {
  return resource.spec?.[field]
}

export const nameColumn: Column = { header: 'NAME', value: (r) => r.metadata.name ?? '' }

/** `spec.order`, a *float64 that text/template prints with `%v` (`1e+06`) or as `<nil>`. */
export const orderColumn: Column = {
  header: 'ORDER',
  value: (r) => (typeof r.spec?.order === 'number' ? formatGoFloat(r.spec.order) : '<nil>'),
}
