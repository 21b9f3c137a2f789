/**
 * projectcalico.org/v3 resources <-> Calico custom resources, as libcalico-go's Kubernetes backend
 * converts them (datastore spec 2.3). Two storage modes exist:
 * - `crd.projectcalico.org/v1`: most metadata lives in the `projectcalico.org/metadata` annotation,
 *   only Calico-owned labels/annotations are real ones, and uids are transformed (convertUid);
 * - `projectcalico.org/v3` CRDs: objects are stored as they are.
 */
import { toGoJson } from '../../output/json.js'
import type { KindDefinition } from '../../resources/kind.js'
import { orderLikeGo } from '../../resources/go-encode.js'
import { API_VERSION, type ObjectMeta, type Resource } from '../../resources/types.js'
import { convertUid } from './uid.js'

export const METADATA_ANNOTATION = 'projectcalico.org/metadata'
const V1_API_VERSION = 'crd.projectcalico.org/v1'

/** A Kubernetes object as sent to and read from the API server. */
export interface KubeObject {
  apiVersion?: string
  kind?: string
  metadata: ObjectMeta
  spec?: Record<string, unknown>
  status?: Record<string, unknown>
  [other: string]: unknown
}

/** How one API group stores Calico resources. */
export interface CustomResourceCodec {
  group: string
  version: string
  encode(kind: KindDefinition, resource: Resource): KubeObject
  decode(kind: KindDefinition, object: KubeObject): Resource
}

/** Labels and annotations Calico owns stay real on the v1 object (e.g. `projectcalico.org/tier`). */
const isOurs = (key: string): boolean => key.includes('projectcalico.org/') || key.includes('operator.tigera.io/')

/** The entries of `map` that pass `keep`, keys sorted as Go writes a map; undefined when none. */
function pick(map: Record<string, string> | undefined, keep: (key: string) => boolean): Record<string, string> | undefined {
  const entries = Object.entries(map ?? {})
    .filter(([k]) => keep(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return entries.length > 0 ? Object.fromEntries(entries) : undefined
}

interface OwnerReference {
  apiVersion?: string
  uid?: string
  [field: string]: unknown
}

/** Owner references to Calico objects carry the uid valid in the API group they are stored in. */
function convertOwners(refs: unknown, from: string[], to: string): OwnerReference[] | undefined {
  if (!Array.isArray(refs) || refs.length === 0) return undefined
  return (refs as OwnerReference[]).map((ref) =>
    from.includes(ref.apiVersion ?? '') ? { ...ref, apiVersion: to, uid: ref.uid ? convertUid(ref.uid) : ref.uid } : ref,
  )
}

/**
 * ObjectMeta as Go's encoding/json writes it: empty omitempty fields (strings, generation, maps,
 * slices) left out, and so is an unset creationTimestamp (`omitzero` since apimachinery 0.37).
 */
function withoutEmpty(meta: ObjectMeta): ObjectMeta {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(meta)) {
    const empty =
      value === undefined ||
      value === null ||
      value === '' ||
      (key === 'generation' && value === 0) ||
      (Array.isArray(value) && value.length === 0) ||
      (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0)
    if (!empty) out[key] = value
  }
  return out as ObjectMeta
}

function encodeV1(kind: KindDefinition, resource: Resource): KubeObject {
  const ordered = orderLikeGo(kind.kind, resource)
  // The namespace, resourceVersion and uid travel in the object's own metadata only; so does the
  // name, except for policies, whose annotation keeps it too.
  const { name, namespace, resourceVersion, uid, ...rest } = ordered.metadata
  const stashed = withoutEmpty({
    ...(kind.policy ? { name } : {}),
    ...rest,
    ownerReferences: convertOwners(rest.ownerReferences, [API_VERSION], V1_API_VERSION),
  })
  const annotations = pick({ ...resource.metadata.annotations, [METADATA_ANNOTATION]: toGoJson(stashed, false) }, isOurs)
  const metadata = withoutEmpty({
    name,
    namespace,
    uid: uid ? convertUid(uid) : undefined,
    resourceVersion,
    labels: pick(resource.metadata.labels, isOurs),
    annotations,
  })
  return { kind: kind.kdd?.v1Names?.kind ?? kind.kind, apiVersion: V1_API_VERSION, metadata, spec: ordered.spec, status: ordered.status }
}

/** The CRD's name; a default-tier policy written before Calico 3.30 loses its `default.` prefix. */
function policyName(kind: KindDefinition, object: KubeObject): string | undefined {
  const name = object.metadata?.name
  const tier = (object.spec as { tier?: unknown } | undefined)?.tier
  const defaultTier = tier === undefined || tier === '' || tier === 'default'
  return kind.policy && defaultTier && name?.startsWith('default.') ? name.slice('default.'.length) : name
}

function decodeV1(kind: KindDefinition, object: KubeObject): Resource {
  const crd = object.metadata ?? {}
  const uid = crd.uid ? convertUid(crd.uid) : undefined
  const stashedText = crd.annotations?.[METADATA_ANNOTATION]
  let metadata: ObjectMeta
  if (stashedText === undefined) {
    metadata = { ...crd, name: policyName(kind, object), uid }
  } else {
    let stashed: ObjectMeta
    try {
      stashed = JSON.parse(stashedText) as ObjectMeta
    } catch (err) {
      throw new Error(`cannot read the ${METADATA_ANNOTATION} annotation of ${kind.kind}(${crd.name ?? ''}): ${(err as Error).message}`)
    }
    const annotations = { ...pick(crd.annotations, (k) => k !== METADATA_ANNOTATION), ...stashed.annotations }
    const labels = { ...crd.labels, ...stashed.labels }
    metadata = {
      ...stashed,
      name: stashed.name || policyName(kind, object),
      namespace: crd.namespace,
      resourceVersion: crd.resourceVersion,
      uid,
      creationTimestamp: stashed.creationTimestamp || crd.creationTimestamp,
      labels: Object.keys(labels).length > 0 ? labels : undefined,
      annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
      ownerReferences: convertOwners(stashed.ownerReferences, [V1_API_VERSION, API_VERSION], API_VERSION),
    }
  }
  return finish(kind, object, metadata)
}

/** The v3 resource with upstream's post-read conversion; absent fields are left out. */
function finish(kind: KindDefinition, object: KubeObject, metadata: ObjectMeta): Resource {
  const resource: Resource = { apiVersion: API_VERSION, kind: kind.kind, metadata: withoutUndefined(metadata) }
  if (object.spec !== undefined) resource.spec = object.spec
  if (object.status !== undefined) resource.status = object.status
  kind.kdd?.afterRead?.(resource)
  return resource
}

function withoutUndefined(meta: ObjectMeta): ObjectMeta {
  return Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== undefined)) as ObjectMeta
}

export const crdV1Codec: CustomResourceCodec = { group: 'crd.projectcalico.org', version: 'v1', encode: encodeV1, decode: decodeV1 }

/** v3 CRDs hold the v3 objects themselves. */
export const crdV3Codec: CustomResourceCodec = {
  group: 'projectcalico.org',
  version: 'v3',
  encode: (kind, resource) => {
    const ordered = orderLikeGo(kind.kind, resource)
    return { ...ordered, kind: kind.kind, apiVersion: API_VERSION, metadata: withoutEmpty(ordered.metadata) }
  },
  decode: (kind, object) => finish(kind, object, object.metadata ?? {}),
}
