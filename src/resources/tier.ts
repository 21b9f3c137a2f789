import { nameColumn, type KindDefinition } from './kind.js'
import type { Resource } from './types.js'

const columns = [nameColumn, { header: 'ORDER', value: (r: Resource) => (r.spec?.order === undefined ? '<nil>' : String(r.spec.order)) }]

export const tier: KindDefinition = {
  kind: 'Tier',
  plural: 'tiers',
  names: ['tier', 'tiers'],
  namespaced: false,
  schema: 'tier',
  columns: { ps: columns, wide: columns },
  applyDefaults(resource) {
    const spec = (resource.spec ??= {})
    spec.order ??= 1000000
    spec.defaultAction ??= 'Deny'
  },
}
