/**
 * What libcalico-go's v3 client does to NetworkPolicy, GlobalNetworkPolicy and Profile before a
 * write: defaulting (api/pkg/defaults plus the CRD's schema default for `tier`) and the semantic
 * validation of validator.go and the CRDs' CEL rules. Metadata rules shared by every kind are
 * checkMetadata's; the functions here return what upstream reports on top of them.
 */
import type { Datastore } from '../datastore/types.js'
import type { FieldError } from '../errors.js'
import { checkLabelsAndAnnotations, checkSelectorField } from './checks.js'
import {
  GLOBAL_SELECTOR_REASON,
  NAME_PATTERN,
  asList,
  asObject,
  asText,
  celRule,
  checkRule,
  goList,
  goMap,
  httpText,
  normalizeRule,
  serviceText,
  tagError,
  type Json,
} from './rule-checks.js'
import { tier } from './tier.js'
import type { Resource } from './types.js'

export const TIER_LABEL = 'projectcalico.org/tier'
const DEFAULT_TIER = 'default'

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const SUBDOMAIN = `${LABEL}(\\.${LABEL})*`
/** A label, `label.label`, or the prefixed names of policies converted from Kubernetes ones. */
const NETWORK_POLICY_NAME = new RegExp(`^((${LABEL})(\\.${LABEL})?|((?:knp|ossg)\\.default\\.(${SUBDOMAIN})))$`)
const GLOBAL_NETWORK_POLICY_NAME = new RegExp(`^(${LABEL}\\.)?${LABEL}$`)
const MAX_NAME_BYTES = 253

const rulesOf = (spec: Json, direction: 'ingress' | 'egress'): Json[] => asList(spec[direction]).map((r) => asObject(r) ?? {})

const policyTier = (resource: Resource): string => asText(resource.spec?.tier) || DEFAULT_TIER

/**
 * Create (not update) of a policy fails when its tier does not exist, with the datastore's not-found error for
 * the Tier (e.g. `resource does not exist: Tier(net-sec) with error: <nil>`). Upstream looks before
 * defaulting and validating, so this error wins over field errors.
 */
export async function policyTierExists(store: Datastore, resource: Resource, operation: 'create' | 'update'): Promise<void> {
  if (operation === 'create') await store.get(tier, policyTier(resource))
}

function normalizeRules(spec: Json): void {
  for (const rule of [...rulesOf(spec, 'ingress'), ...rulesOf(spec, 'egress')]) normalizeRule(rule)
}

/** A policy's or profile's rules with their ports and protocols in the form Go holds them. */
export function normalizePolicy(resource: Resource): void {
  normalizeRules(resource.spec ?? {})
}

/**
 * The client's defaulting of a (Global)NetworkPolicy (api/pkg/defaults), in place: `types` from the
 * rules present, and the tier label. The CRD's default `tier` is the schema's.
 */
export function defaultPolicy(resource: Resource): void {
  const spec = (resource.spec ??= {})
  if (asList(spec.types).length === 0) {
    const [ingress, egress] = [asList(spec.ingress).length > 0, asList(spec.egress).length > 0]
    spec.types = !egress ? ['Ingress'] : !ingress ? ['Egress'] : ['Ingress', 'Egress']
  }
  resource.metadata.labels = { ...resource.metadata.labels, [TIER_LABEL]: policyTier(resource) }
}

/** The v3 client labels every policy it returns with its tier, `default` for policies written without one. */
export function labelTier(resource: Resource): void {
  const labels = (resource.metadata.labels ??= {})
  labels[TIER_LABEL] ??= 'default'
}


function checkPolicyName(name: string, pattern: RegExp): FieldError[] {
  const errors: FieldError[] = []
  const bytes = Buffer.byteLength(name)
  if (bytes > MAX_NAME_BYTES) errors.push({ name: 'Metadata.Name', value: name, reason: `name is too long by ${bytes - MAX_NAME_BYTES} bytes` })
  if (!pattern.test(name))
    errors.push({ name: 'Metadata.Name', value: name, reason: `name must consist of lower case alphanumeric characters or '-' (regex: ${LABEL})` })
  return errors
}

/**
 * The policy and tier validators check annotations and labels again after the generic metadata
 * check, so upstream lists such problems twice.
 */
export function repeatedMetadataChecks(resource: Resource): FieldError[] {
  const { labels, annotations } = resource.metadata
  const errors = checkLabelsAndAnnotations({ labels, annotations })
  const isAnnotation = (e: FieldError) => e.name.startsWith('Metadata.Annotations')
  return [...errors.filter(isAnnotation), ...errors.filter((e) => !isAnnotation(e))]
}

/** Struct-tag checks of the spec fields and the Go checks of every rule, in field order. */
function checkSpecFields(spec: Json, selectorFields: [string, string][]): FieldError[] {
  const errors: FieldError[] = []
  const tier = asText(spec.tier)
  if (tier && !NAME_PATTERN.test(tier)) errors.push(tagError('Tier', tier, 'name'))
  for (const rule of [...rulesOf(spec, 'ingress'), ...rulesOf(spec, 'egress')]) errors.push(...checkRule(rule))
  for (const [field, goName] of selectorFields) errors.push(...checkSelectorField(spec[field], goName))
  // `unique,dive,oneof=...`: a repeated hint stops the check before the items are looked at.
  const hints = asList(spec.performanceHints)
  if (new Set(hints).size !== hints.length) errors.push(tagError('PerformanceHints', goList(hints), 'unique'))
  else hints.forEach((h, i) => h === 'AssumeNeededOnEveryNode' || errors.push(tagError(`PerformanceHints[${i}]`, h, 'oneof')))
  return errors
}

/** Services may only be a destination of egress rules and a source of ingress rules; HTTP matches only ingress. */
function checkRuleDirections(spec: Json, egressHTTPReason: string): FieldError[] {
  const errors: FieldError[] = []
  for (const rule of rulesOf(spec, 'egress')) {
    const services = asObject(asObject(rule.source)?.services)
    if (services) errors.push({ name: 'Services', value: serviceText(services), reason: 'not allowed in egress rule source' })
    const http = asObject(rule.http)
    if (http) errors.push({ name: 'HTTP', value: httpText(http), reason: egressHTTPReason })
  }
  for (const rule of rulesOf(spec, 'ingress')) {
    const services = asObject(asObject(rule.destination)?.services)
    if (services) errors.push({ name: 'Services', value: serviceText(services), reason: 'not allowed in ingress rule destination' })
  }
  return errors
}

function celRules(spec: Json): FieldError[] {
  return (['ingress', 'egress'] as const).flatMap((direction) => rulesOf(spec, direction).map((rule, i) => celRule(rule, `spec.${direction}[${i}]`)).flat())
}

function celGlobalSelectors(spec: Json, fields: string[]): FieldError[] {
  return fields.filter((f) => asText(spec[f]).includes('global(')).map(() => ({ name: 'spec', reason: GLOBAL_SELECTOR_REASON }))
}

/** A policy type listed twice (validatePolicyTypes of the Calico 3.30 validator). */
function checkTypes(spec: Json, struct: string): FieldError[] {
  const types = asList(spec.types)
  const twice = types.find((t, i) => types.indexOf(t) !== i)
  return twice === undefined ? [] : [{ name: `${struct}.Types`, value: goList(types), reason: `'${String(twice)}' type specified more than once` }]
}

/** Upstream's findings for a NetworkPolicy beyond checkMetadata's, (with the client defaults on a write). */
export function checkNetworkPolicy(resource: Resource): FieldError[] {
  const spec = resource.spec ?? {}
  return [
    ...checkSpecFields(spec, [['selector', 'Selector'], ['serviceAccountSelector', 'ServiceAccountSelector']]),
    // validateNetworkPolicy: the name, metadata, then validateNetworkPolicySpec.
    ...checkPolicyName(resource.metadata.name ?? '', NETWORK_POLICY_NAME),
    ...repeatedMetadataChecks(resource),
    ...checkTypes(spec, 'NetworkPolicySpec'),
    ...checkRuleDirections(spec, 'not allowed in egress rule'),
  ]
}

/** The NetworkPolicy CRD's rules: the spec's selectors, then each rule's. */
export function crdRulesNetworkPolicy(resource: Resource): FieldError[] {
  const spec = resource.spec ?? {}
  return [...celGlobalSelectors(spec, ['selector', 'serviceAccountSelector']), ...celRules(spec)]
}

/** Upstream's findings for a GlobalNetworkPolicy beyond checkMetadata's, (with the client defaults on a write). */
export function checkGlobalNetworkPolicy(resource: Resource): FieldError[] {
  const spec = resource.spec ?? {}
  const errors = [
    ...checkSpecFields(spec, [['selector', 'Selector'], ['serviceAccountSelector', 'ServiceAccountSelector'], ['namespaceSelector', 'NamespaceSelector']]),
    ...checkPolicyName(resource.metadata.name ?? '', GLOBAL_NETWORK_POLICY_NAME),
    ...repeatedMetadataChecks(resource),
    ...checkTypes(spec, 'GlobalNetworkPolicySpec'),
    ...checkRuleDirections(spec, 'not allowed in egress rules'),
  ]
  // Outside a namespace a service name alone is ambiguous.
  const namespaceMissing = (entity: unknown) => {
    const services = asObject(asObject(entity)?.services)
    if (services && !asText(services.namespace)) errors.push({ name: 'Namespace', value: '', reason: 'must specify a namespace' })
  }
  for (const rule of rulesOf(spec, 'egress')) namespaceMissing(rule.destination)
  for (const rule of rulesOf(spec, 'ingress')) namespaceMissing(rule.source)
  return errors
}

/** The GlobalNetworkPolicy CRD's rules: preDNAT and doNotTrack, the spec's selectors, then each rule's. */
export function crdRulesGlobalNetworkPolicy(resource: Resource): FieldError[] {
  const spec = resource.spec ?? {}
  const reasons: string[] = []
  const on = (field: string) => spec[field] === true
  if (on('doNotTrack') && on('preDNAT')) reasons.push('preDNAT and doNotTrack cannot both be true')
  if (on('preDNAT') && asList(spec.egress).length > 0) reasons.push('preDNAT policy cannot have any egress rules')
  if (on('preDNAT') && asList(spec.types).includes('Egress')) reasons.push("preDNAT policy cannot have 'Egress' type")
  if (!on('applyOnForward') && (on('doNotTrack') || on('preDNAT'))) reasons.push('applyOnForward must be true if either preDNAT or doNotTrack is true')
  return [
    ...reasons.map((reason) => ({ name: 'spec', reason })),
    ...celGlobalSelectors(spec, ['selector', 'serviceAccountSelector', 'namespaceSelector']),
    ...celRules(spec),
  ]
}

/** Upstream's findings for a Profile beyond checkMetadata's. Profiles have no CRD, so no CEL rules apply. */
export function checkProfile(resource: Resource): FieldError[] {
  const spec = resource.spec ?? {}
  const errors = [...rulesOf(spec, 'ingress'), ...rulesOf(spec, 'egress')].flatMap(checkRule)
  const labels = asObject(spec.labelsToApply)
  if (labels && checkLabelsAndAnnotations({ labels: labels as Record<string, string> }).length > 0)
    errors.push(tagError('LabelsToApply', goMap(labels), 'labels'))
  return errors
}
