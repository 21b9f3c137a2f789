import type { KindDefinition } from './kind.js'
import { policyColumns } from './policy-columns.js'
import {
  checkGlobalNetworkPolicy,
  checkNetworkPolicy,
  crdRulesGlobalNetworkPolicy,
  crdRulesNetworkPolicy,
  defaultPolicy,
  labelTier,
  normalizePolicy,
  policyTierExists,
} from './policy-checks.js'


const policyKind = {
  namespaced: false,
  columns: policyColumns,
  policy: true,
  normalize: normalizePolicy,
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
  crdRules: crdRulesNetworkPolicy,
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
  crdRules: crdRulesGlobalNetworkPolicy,
}
