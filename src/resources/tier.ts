import { NotSupportedError } from '../errors.js'
import { nameColumn, orderColumn, type KindDefinition } from './kind.js'
import { globalNetworkPolicy, networkPolicy } from './networkpolicy.js'
import { stagedGlobalNetworkPolicy, stagedNetworkPolicy } from './stagedpolicies.js'
import type { Resource } from './types.js'

function applyDefaults(resource: Resource): void {
  const spec = (resource.spec ??= {})
  spec.order ??= 1000000
  spec.defaultAction ??= 'Deny'
}

/** Tiers without an order sort last. */
const orderOf = (r: Resource): number => (typeof r.spec?.order === 'number' ? r.spec.order : Number.MAX_VALUE)

const columns = [nameColumn, orderColumn]

export const tier: KindDefinition = {
  kind: 'Tier',
  plural: 'tiers',
  names: ['tier', 'tiers'],
  namespaced: false,
  schema: 'tier',
  columns: { ps: columns, wide: columns },
  labelNames: true,
  undeletable: { names: ['default', 'kube-admin', 'kube-baseline'], reason: (name) => `Cannot delete ${name} tier` },
  listOrder: (a, b) => orderOf(a) - orderOf(b),
  // Upstream refuses to delete a tier that still holds policies (lower-case `delete`, unlike the above).
  async beforeDelete(store, name) {
    for (const policyKind of [networkPolicy, globalNetworkPolicy, stagedNetworkPolicy, stagedGlobalNetworkPolicy]) {
      const policies = await store.list(policyKind)
      if (policies.items.some((p) => p.spec?.tier === name)) throw new NotSupportedError('delete', name, 'Cannot delete a non-empty tier')
    }
    return undefined
  },
  applyDefaults,
  // Upstream defaults tiers read from CRDs too, so tiers written without the fields still show them.
  kdd: { afterRead: applyDefaults },
}
