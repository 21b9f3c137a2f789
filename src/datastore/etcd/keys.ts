import type { KindDefinition } from '../../resources/kind.js'

const V3_PREFIX = '/calico/resources/v3/projectcalico.org'

/** libcalico-go's v3 key: names are written verbatim (they are DNS-1123, so nothing needs escaping). */
export function resourceKey(kind: KindDefinition, name: string, namespace?: string): string {
  return kind.namespaced ? `${V3_PREFIX}/${kind.plural}/${namespace}/${name}` : `${V3_PREFIX}/${kind.plural}/${name}`
}

/** Prefix for listing a kind, with the trailing slash upstream uses so `ippools` never matches `ippoolsx`. */
export function listPrefix(kind: KindDefinition, namespace?: string): string {
  return kind.namespaced && namespace ? `${V3_PREFIX}/${kind.plural}/${namespace}/` : `${V3_PREFIX}/${kind.plural}/`
}

/** Reads name (and namespace) back from a key; undefined when the key is not one of this kind's. */
export function parseResourceKey(kind: KindDefinition, key: string): { name: string; namespace?: string } | undefined {
  const prefix = `${V3_PREFIX}/${kind.plural}/`
  if (!key.startsWith(prefix)) return undefined
  const segments = key.slice(prefix.length).split('/').map(unescapeSegment)
  if (kind.namespaced) return segments.length === 2 ? { namespace: segments[0], name: segments[1] } : undefined
  return segments.length === 1 ? { name: segments[0] } : undefined
}

/** Legacy writers escaped `/` as `%2f` and `%` as `%25`; readers undo it in that order. */
function unescapeSegment(segment: string): string {
  return segment.replace(/%2f/g, '/').replace(/%25/g, '%')
}
