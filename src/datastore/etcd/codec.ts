import { toGoJson } from '../../output/json.js'
import { orderLikeGo } from '../../resources/schema.js'
import type { KindDefinition } from '../../resources/kind.js'
import { API_VERSION, type Resource } from '../../resources/types.js'

/**
 * The etcd value: compact Go-style JSON of the whole v3 object, keys in Go struct order, without
 * resourceVersion (it is the key's mod_revision) or selfLink, exactly as libcalico-go stores it.
 */
export function encodeValue(kind: KindDefinition, resource: Resource): string {
  const { resourceVersion: _rv, selfLink: _selfLink, ...metadata } = resource.metadata
  const stored: Resource = { ...resource, kind: kind.kind, apiVersion: API_VERSION, metadata }
  return toGoJson(orderLikeGo(kind.kind, stored), false)
}

/** Parses a stored value; undefined when it is not JSON of an object (lists skip such keys like upstream). */
export function decodeValue(value: string, modRevision: string): Resource | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
  const resource = parsed as Resource
  resource.metadata = { ...(resource.metadata ?? {}), resourceVersion: modRevision }
  return resource
}
