import type { KindDefinition } from '../../resources/kind.js'

const V3_PREFIX = '/calico/resources/v3/projectcalico.org'

/** libcalico-go registers BGPFilter's etcd path with a capitalised plural, unlike its CRD's. */
const ETCD_PLURALS: Record<string, string> = { BGPFilter: 'BGPFilters' }

const pluralOf = (kind: KindDefinition): string => ETCD_PLURALS[kind.kind] ?? kind.plural

/** libcalico-go's v3 key: names are written verbatim (they are DNS-1123, so nothing needs escaping). */
export function resourceKey(kind: KindDefinition, name: string, namespace?: string): string {
  return kind.namespaced ? `${V3_PREFIX}/${pluralOf(kind)}/${namespace}/${name}` : `${V3_PREFIX}/${pluralOf(kind)}/${name}`
}

/** Prefix for listing a kind, with the trailing slash upstream uses so `ippools` never matches `ippoolsx`. */
export function listPrefix(kind: KindDefinition, namespace?: string): string {
  return kind.namespaced && namespace ? `${V3_PREFIX}/${pluralOf(kind)}/${namespace}/` : `${V3_PREFIX}/${pluralOf(kind)}/`
}

/**
 * Reads name (and namespace) back from a key as upstream's KeyFromDefaultPath does: non-empty
 * segments, taken verbatim; undefined when the key is not one of this kind's (lists skip it).
 */
export function parseResourceKey(kind: KindDefinition, key: string): { name: string; namespace?: string } | undefined {
  const prefix = `${V3_PREFIX}/${pluralOf(kind)}/`
  if (!key.startsWith(prefix)) return undefined
  const segments = key.slice(prefix.length).split('/')
  if (segments.includes('')) return undefined
  if (kind.namespaced) return segments.length === 2 ? { namespace: segments[0], name: segments[1] } : undefined
  return segments.length === 1 ? { name: segments[0] } : undefined
}
