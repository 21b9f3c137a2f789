import { nameColumn, orderColumn, specField, type Column, type KindDefinition } from './kind.js'
import { checkGlobalNetworkPolicy, checkNetworkPolicy, defaultPolicy, policyTierExists, TIER_LABEL } from './policy-checks.js'
import type { Resource } from './types.js'

const tierColumn: Column = { header: 'TIER', value: (r) => String(specField(r, 'tier') ?? '') }
const selectorColumn: Column = { header: 'SELECTOR', value: (r) => String(specField(r, 'selector') ?? '') }
const columns = { ps: [nameColumn, tierColumn], wide: [nameColumn, tierColumn, orderColumn, selectorColumn] }

/** The v3 client labels every policy it returns with its tier, `default` for policies written without one. */
function labelTier(resource: Resource): void {
  const labels = (resource.metadata.labels ??= {})
  labels[TIER_LABEL] ??= 'default'
}

const policyKind = {
  namespaced: false,
  columns,
  policy: true,
  applyDefaults: defaultPolicy,
  checkReferences: policyTierExists,
  afterRead: labelTier,
} satisfies Partial<KindDefinition>

export const networkPolicy: KindDefinition = {
  ...policyKind,
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  names: ['networkpolicy', 'networkpolicies', 'policy', 'np', 'policies', 'pol', 'pols'],
  namespaced: true,
  schema: 'networkpolicy',
  check: checkNetworkPolicy,
  // kube-controllers mirrors Kubernetes NetworkPolicies into etcd under this prefix.
  reservedPrefix: { prefix: 'knp.default.', reason: 'kubernetes network policies must be managed through the kubernetes API' },
}

export const globalNetworkPolicy: KindDefinition = {
  ...policyKind,
  kind: 'GlobalNetworkPolicy',
  plural: 'globalnetworkpolicies',
  names: ['globalnetworkpolicy', 'globalnetworkpolicies', 'gnp', 'gnps'],
  schema: 'globalnetworkpolicy',
  check: checkGlobalNetworkPolicy,
}
