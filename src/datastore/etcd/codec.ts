import { toGoJson } from '../../output/json.js'
import { orderLikeGo } from '../../resources/go-encode.js'
import type { KindDefinition } from '../../resources/kind.js'
import { API_VERSION, type Resource } from '../../resources/types.js'

/** Where libcalico-go keeps a policy's own name next to the key's. */
const METADATA_ANNOTATION = 'projectcalico.org/metadata'

/**
 * The etcd value: compact Go-style JSON of the whole v3 object, keys in Go struct order, without
 * resourceVersion (it is the key's mod_revision) or selfLink, exactly as libcalico-go stores it.
 */
export function encodeValue(kind: KindDefinition, resource: Resource): string {
  const { resourceVersion: _rv, selfLink: _selfLink, ...metadata } = resource.metadata
  if (kind.policy) metadata.annotations = { ...metadata.annotations, [METADATA_ANNOTATION]: toGoJson({ name: metadata.name }, false) }
  const stored: Resource = { ...resource, kind: kind.kind, apiVersion: API_VERSION, metadata }
  return toGoJson(orderLikeGo(kind.kind, stored), false)
}

/**
 * A policy's name as libcalico-go reads it back (determinePolicyName): a non-empty annotation names
 * it and is removed from what is returned; without one, a pre-3.30 default-tier policy loses the
 * `default.` prefix it was stored with. False when the annotation does not decode as ObjectMeta:
 * upstream then cannot parse the entry at all.
 */
function readPolicyName(resource: Resource): boolean {
  const { annotations } = resource.metadata
  const stored = annotations?.[METADATA_ANNOTATION]
  if (annotations && stored) {
    let meta: unknown
    try {
      meta = JSON.parse(stored)
    } catch {
      return false
    }
    // JSON null decodes into an empty ObjectMeta; other non-objects and a non-string name do not decode.
    const name = meta === null ? undefined : (meta as { name?: unknown }).name
    if (typeof meta !== 'object' || Array.isArray(meta) || (name !== undefined && name !== null && typeof name !== 'string')) return false
    delete annotations[METADATA_ANNOTATION]
    if (Object.keys(annotations).length === 0) delete resource.metadata.annotations
    resource.metadata.name = typeof name === 'string' ? name : ''
    return true
  }
  const tier = resource.spec?.tier
  if ((tier === undefined || tier === '' || tier === 'default') && resource.metadata.name?.startsWith('default.'))
    resource.metadata.name = resource.metadata.name.slice('default.'.length)
  return true
}

/** Parses a stored value; undefined when upstream could not parse it (lists skip such keys like upstream). */
export function decodeValue(kind: KindDefinition, value: string, modRevision: string): Resource | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
  const resource = parsed as Resource
  resource.metadata = { ...(resource.metadata ?? {}), resourceVersion: modRevision }
  return kind.policy && !readPolicyName(resource) ? undefined : resource
}
