import { NotSupportedError, type FieldError } from '../errors.js'
import { nameColumn, orderColumn, type KindDefinition } from './kind.js'
import { globalNetworkPolicy, networkPolicy } from './networkpolicy.js'
import { repeatedMetadataChecks } from './policy-checks.js'
import { tagError } from './rule-checks.js'
import { stagedGlobalNetworkPolicy, stagedNetworkPolicy } from './stagedpolicies.js'
import type { Resource } from './types.js'

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const MAX_NAME_BYTES = 63

/** The tiers every datastore has, with the orders and default actions the CRD pins. */
export const BUILT_IN_TIERS = [
  { name: 'default', order: 1000000, defaultAction: 'Deny' },
  { name: 'kube-admin', order: 1000, defaultAction: 'Pass' },
  { name: 'kube-baseline', order: 10000000, defaultAction: 'Pass' },
]

/**
 * The validator on top of the generic metadata checks: the spec's tag, then validateTier (tier
 * names become label values, so they are DNS labels).
 */
function check(resource: Resource): FieldError[] {
  const name = resource.metadata.name ?? ''
  const spec = resource.spec ?? {}
  const errors: FieldError[] = []
  const action = spec.defaultAction
  if (typeof action === 'string' && action !== '' && action !== 'Deny' && action !== 'Pass') errors.push(tagError('DefaultAction', action, 'oneof'))
  const bytes = Buffer.byteLength(name)
  if (bytes > MAX_NAME_BYTES) errors.push({ name: 'Metadata.Name', value: name, reason: `name is too long by ${bytes - MAX_NAME_BYTES} bytes` })
  if (!new RegExp(`^${LABEL}$`).test(name))
    errors.push({ name: 'Metadata.Name', value: name, reason: `name must consist of lower case alphanumeric characters or '-' (regex: ${LABEL})` })
  errors.push(...repeatedMetadataChecks(resource))
  return errors
}

/** The CRD's rules on the whole object: the built-in tiers keep their order and default action. */
function crdRules(resource: Resource): FieldError[] {
  const name = resource.metadata.name ?? ''
  const spec = resource.spec ?? {}
  const pinned = BUILT_IN_TIERS.find((t) => t.name === name)
  if (!pinned) return []
  const errors: FieldError[] = []
  if (spec.defaultAction !== pinned.defaultAction) errors.push({ name: 'Tier', reason: `The '${name}' tier must have default action '${pinned.defaultAction}'` })
  if (spec.order !== pinned.order) errors.push({ name: 'Tier', reason: `${name} tier order must be ${pinned.order}` })
  return errors
}

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
  undeletable: { names: BUILT_IN_TIERS.map((t) => t.name), reason: (name) => `Cannot delete ${name} tier` },
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
  check,
  crdRules,
  // Upstream defaults tiers read from CRDs too, so tiers written without the fields still show them.
  kdd: { afterRead: applyDefaults },
}
