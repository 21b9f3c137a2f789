import { nameColumn, type KindDefinition } from './kind.js'
import type { Resource } from './types.js'

function applyDefaults(resource: Resource): void {
  const spec = (resource.spec ??= {})
  spec.order ??= 1000000
  spec.defaultAction ??= 'Deny'
}

const columns = [nameColumn, { header: 'ORDER', value: (r: Resource) => (r.spec?.order === undefined ? '<nil>' : String(r.spec.order)) }]

export const tier: KindDefinition = {
  kind: 'Tier',
  plural: 'tiers',
  names: ['tier', 'tiers'],
  namespaced: false,
  schema: 'tier',
  columns: { ps: columns, wide: columns },
  applyDefaults,
  // Upstream defaults tiers read from CRDs too, so tiers written without the fields still show them.
  kdd: { afterRead: applyDefaults },
}
