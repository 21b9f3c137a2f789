/**
 * Staged policies: proposed changes to policies that the data plane only reports on. A staged
 * (Global)NetworkPolicy carries the enforced kind's spec plus `stagedAction`; upstream defaults and
 * validates it as the enforced policy, except that a staged Delete must be empty but for its tier.
 * StagedKubernetesNetworkPolicy carries a Kubernetes networking/v1 NetworkPolicySpec.
 */
import type { FieldError } from '../errors.js'
import { checkLabelsAndAnnotations } from './checks.js'
import { nameColumn, type KindDefinition } from './kind.js'
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
import { asList, asObject, asText, goList, type Json } from './rule-checks.js'
import type { Resource } from './types.js'

const DELETE = 'Delete'
const MAX_NAME_BYTES = 253

const isObject = (v: unknown): v is Json => asObject(v) !== undefined

/** Go's zero value for what a spec field can hold; a number is always a set `*float64` order. */
function isGoZero(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0
  if (isObject(value)) return Object.keys(value).length === 0
  return value === undefined || value === null || value === '' || value === false
}

const isDelete = (resource: Resource): boolean => resource.spec?.stagedAction === DELETE

/** The client's defaulting; the CRD's defaults (`stagedAction` Set, `tier` default) are the schema's. */
function defaultStagedPolicy(resource: Resource): void {
  defaultPolicy(resource)
  const spec = resource.spec as Json
  // The client drops the types it just defaulted from a staged delete, which must stay empty.
  if (spec.stagedAction === DELETE) delete spec.types
}

/**
 * Findings of validateNetworkPolicySpec / validateGlobalNetworkPolicySpec, which upstream skips for
 * a staged delete: service and HTTP placement, service namespaces and repeated policy types.
 */
const isSpecCheck = (e: FieldError): boolean =>
  e.name === 'Services' || e.name === 'HTTP' || e.name.endsWith('Spec.Types') || e.reason === 'must specify a namespace'

/**
 * The enforced kind's findings, with a staged delete's rule instead of the spec checks: tag and
 * metadata findings first, then the delete rule, as upstream orders them.
 */
function stagedCheck(enforcedCheck: (r: Resource) => FieldError[], specStruct: string): (r: Resource) => FieldError[] {
  return (resource) => {
    const errors = enforcedCheck(resource)
    if (!isDelete(resource)) return errors
    const leftovers = Object.entries(resource.spec ?? {}).some(([field, value]) => field !== 'stagedAction' && field !== 'tier' && !isGoZero(value))
    // Upstream's value here is Go's dump of the whole spec (with pointer addresses), so none is shown.
    const deleteRule: FieldError[] = leftovers
      ? [{ name: specStruct, reason: 'Spec fields, except Tier, should all be zero-value if stagedAction is Delete' }]
      : []
    return [...errors.filter((e) => !isSpecCheck(e)), ...deleteRule]
  }
}



const stagedCalicoPolicy = {
  columns: policyColumns,
  policy: true,
  normalize: normalizePolicy,
  applyDefaults: defaultStagedPolicy,
  checkReferences: policyTierExists,
  afterRead: labelTier,
} satisfies Partial<KindDefinition>

export const stagedNetworkPolicy: KindDefinition = {
  ...stagedCalicoPolicy,
  kind: 'StagedNetworkPolicy',
  plural: 'stagednetworkpolicies',
  names: ['stagednetworkpolicy', 'stagednetworkpolicies', 'stagedpolicy', 'snp', 'stagedpolicies', 'spol', 'spols'],
  namespaced: true,
  schema: 'stagednetworkpolicy',
  check: stagedCheck(checkNetworkPolicy, 'StagedNetworkPolicySpec'),
  crdRules: crdRulesNetworkPolicy,
}

export const stagedGlobalNetworkPolicy: KindDefinition = {
  ...stagedCalicoPolicy,
  kind: 'StagedGlobalNetworkPolicy',
  plural: 'stagedglobalnetworkpolicies',
  names: ['stagedglobalnetworkpolicy', 'stagedglobalnetworkpolicies', 'sgnp', 'sgnps'],
  namespaced: false,
  schema: 'stagedglobalnetworkpolicy',
  check: stagedCheck(checkGlobalNetworkPolicy, 'StagedGlobalNetworkPolicySpec'),
  crdRules: crdRulesGlobalNetworkPolicy,
}

// ---------------------------------------------------------------------------------------------
// StagedKubernetesNetworkPolicy

/**
 * Its validator checks the name length and the labels and annotations again after the generic
 * metadata check (annotations first), so upstream lists such problems twice.
 */
function repeatedMetadataChecks(resource: Resource): FieldError[] {
  const { labels, annotations } = resource.metadata
  const name = resource.metadata.name ?? ''
  const bytes = Buffer.byteLength(name)
  const errors: FieldError[] =
    bytes > MAX_NAME_BYTES ? [{ name: 'Metadata.Name', value: name, reason: `name is too long by ${bytes - MAX_NAME_BYTES} bytes` }] : []
  const metadata = checkLabelsAndAnnotations({ labels, annotations })
  const isAnnotation = (e: FieldError) => e.name.startsWith('Metadata.Annotations')
  return [...errors, ...metadata.filter(isAnnotation), ...metadata.filter((e) => !isAnnotation(e))]
}

/**
 * A staged delete must equal an empty spec. Upstream compares Go structs, so an explicitly empty
 * list or map counts as set; only an empty `podSelector` (a struct) is the zero value.
 */
function checkStagedKubernetesPolicy(resource: Resource): FieldError[] {
  const errors = repeatedMetadataChecks(resource)
  const leftovers = Object.entries(resource.spec ?? {}).some(
    ([field, value]) => field !== 'stagedAction' && !(field === 'podSelector' && isGoZero(value)),
  )
  if (isDelete(resource) && leftovers)
    errors.push({ name: 'StagedKubernetesNetworkPolicySpec', reason: 'Spec fields should all be zero-value if stagedAction is Delete' })
  // Otherwise upstream converts the spec to a Calico policy, which drops what it cannot convert and
  // never holds services or HTTP matches, so the enforced policy's spec checks cannot fail.
  return errors
}

/**
 * `{{.Spec.PodSelector}}`: text/template prints a metav1.LabelSelector with its generated String
 * method, labels sorted by key.
 */
function labelSelectorText(selector: unknown): string {
  const sel = asObject(selector) ?? {}
  const labels = asObject(sel.matchLabels) ?? {}
  const matchLabels = Object.keys(labels)
    .sort()
    .map((k) => `${k}: ${String(labels[k])},`)
    .join('')
  const matchExpressions = asList(sel.matchExpressions)
    .map((e) => asObject(e) ?? {})
    .map((e) => `LabelSelectorRequirement{Key:${asText(e.key)},Operator:${asText(e.operator)},Values:${goList(asList(e.values))},},`)
    .join('')
  return `&LabelSelector{MatchLabels:map[string]string{${matchLabels}},MatchExpressions:[]LabelSelectorRequirement{${matchExpressions}},}`
}

export const stagedKubernetesNetworkPolicy: KindDefinition = {
  kind: 'StagedKubernetesNetworkPolicy',
  plural: 'stagedkubernetesnetworkpolicies',
  names: [
    'stagedkubernetesnetworkpolicy',
    'stagedkubernetesnetworkpolicies',
    'stagedkubernetespolicy',
    'sknp',
    'stagedkubernetespolicies',
    'skpol',
    'skpols',
  ],
  namespaced: true,
  schema: 'stagedkubernetesnetworkpolicy',
  columns: {
    ps: [nameColumn],
    wide: [nameColumn, { header: 'PODSELECTOR', value: (r) => labelSelectorText(r.spec?.podSelector) }],
  },
  // The CRD's default `stagedAction` is the schema's; the client has no defaults.
  check: checkStagedKubernetesPolicy,
}
