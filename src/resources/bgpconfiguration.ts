import type { FieldError } from '../errors.js'
import { checkASNumber, goCidrOrIPVersion, isGoIPv4, isGoIPv6, isMaskedNetwork, normalizeASNumber } from './checks.js'
import { nameColumn, type KindDefinition } from './kind.js'
import { NAME_PATTERN, asList, asObject, asText, tagError, type Json } from './rule-checks.js'
import type { Resource } from './types.js'

/** Fields only the cluster-wide `default` BGPConfiguration may set: Go name, and the name in the message. */
const DEFAULT_ONLY: Array<[field: string, goName: string, text: string]> = [
  ['nodeToNodeMeshEnabled', 'NodeToNodeMeshEnabled', 'nodeToNodeMeshEnabled'],
  ['asNumber', 'ASNumber', 'ASNumber'],
  ['serviceLoadBalancerIPs', 'ServiceLoadBalancerIPs', 'ServiceLoadBalancerIPs'],
  ['serviceExternalIPs', 'ServiceExternalIPs', 'ServiceExternalIPs'],
  ['serviceClusterIPs', 'ServiceClusterIPs', 'ServiceClusterIPs'],
  ['nodeMeshPassword', 'NodeMeshPassword', 'nodeMeshPassword'],
  ['nodeMeshMaxRestartTime', 'NodeMeshMaxRestartTime', 'nodeMeshMaxRestartTime'],
]

const entries = (spec: Json, field: string): Json[] => asList(spec[field]).map((e) => asObject(e) ?? {})

const STANDARD_COMMUNITY = /^(\d+):(\d+)$/
const LARGE_COMMUNITY = /^(\d+):(\d+):(\d+)$/

/**
 * isValidCommunity: whether the value has the `aa:nn` or `aa:nn:mm` form; each number too large for
 * its form (16 bits, or 32 in a large community) is reported on the way.
 */
function communityForm(value: string, field: string, errors: FieldError[]): boolean {
  const bits = STANDARD_COMMUNITY.test(value) ? 16 : LARGE_COMMUNITY.test(value) ? 32 : 0
  if (bits === 0) return false
  for (const n of value.match(/\d+/g) ?? [])
    if (BigInt(n) >= 1n << BigInt(bits)) errors.push({ name: field, value, reason: `invalid community value, expected ${bits} bit value` })
  return true
}

/** Struct tags of BGPConfigurationSpec in field order. */
function tagErrors(spec: Json): FieldError[] {
  const errors = checkASNumber(spec, 'asNumber', 'BGPConfiguration.Spec.ASNumber')
  for (const field of ['serviceLoadBalancerIPs', 'serviceExternalIPs', 'serviceClusterIPs']) {
    for (const block of entries(spec, field)) {
      const cidr = asText(block.cidr)
      if (cidr && !isMaskedNetwork(cidr)) errors.push(tagError('CIDR', cidr, 'net'))
    }
  }
  for (const community of entries(spec, 'communities')) {
    const name = asText(community.name)
    if (!name) errors.push(tagError('Name', '', 'required'))
    else if (!NAME_PATTERN.test(name)) errors.push(tagError('Name', name, 'name'))
    if (!asText(community.value)) errors.push(tagError('Value', '', 'required'))
  }
  for (const advertisement of entries(spec, 'prefixAdvertisements')) {
    const cidr = asText(advertisement.cidr)
    if (!cidr) errors.push(tagError('CIDR', '', 'required'))
    else if (!isMaskedNetwork(cidr)) errors.push(tagError('CIDR', cidr, 'net'))
    // `required` fails only for a missing list: an explicit empty one is a non-nil slice in Go.
    if (advertisement.communities === undefined || advertisement.communities === null) errors.push(tagError('Communities', '[]', 'required'))
  }
  asList(spec.ignoredInterfaces).forEach((iface, i) => {
    const text = asText(iface)
    if (text === '*' || !/^[a-zA-Z0-9_.*-]{1,15}$/.test(text)) errors.push(tagError(`IgnoredInterfaces[${i}]`, text, 'ignoredInterface'))
  })
  const v4 = asText(spec.localWorkloadPeeringIPV4)
  if (v4 && !isGoIPv4(v4)) errors.push(tagError('LocalWorkloadPeeringIPV4', v4, 'ipv4'))
  const v6 = asText(spec.localWorkloadPeeringIPV6)
  if (v6 && !isGoIPv6(v6)) errors.push(tagError('LocalWorkloadPeeringIPV6', v6, 'ipv6'))
  for (const [field, goName] of [['ipv4NormalRoutePriority', 'IPv4NormalRoutePriority'], ['ipv6NormalRoutePriority', 'IPv6NormalRoutePriority']]) {
    const priority = spec[field]
    if (typeof priority !== 'number') continue
    if (priority < 1) errors.push(tagError(goName, priority, 'gte'))
    else if (priority > 2147483646) errors.push(tagError(goName, priority, 'lte'))
  }
  return errors
}

/** validateBGPConfigurationSpec: community values, and what prefix advertisements refer to. */
function communityErrors(spec: Json): FieldError[] {
  const errors: FieldError[] = []
  const communities = entries(spec, 'communities')
  for (const community of communities) {
    const value = asText(community.value)
    if (!communityForm(value, 'Spec.Communities[].Value', errors))
      errors.push({ name: 'Spec.Communities[].Value', value, reason: 'invalid community value or format used.' })
  }
  for (const advertisement of entries(spec, 'prefixAdvertisements')) {
    const cidr = asText(advertisement.cidr)
    if (!goCidrOrIPVersion(cidr)) errors.push({ name: 'Spec.PrefixAdvertisement[].CIDR', value: cidr, reason: 'invalid CIDR value.' })
    for (const used of asList(advertisement.communities).map(asText)) {
      const field = 'Spec.PrefixAdvertisement[].Communities[]'
      if (!communityForm(used, field, errors) && !communities.some((c) => c.name === used))
        errors.push({ name: field, value: used, reason: 'community used is invalid or not defined.' })
    }
  }
  return errors
}

/** The CRD's CEL rules on the spec. */
function celErrors(spec: Json): FieldError[] {
  const reasons: string[] = []
  const meshOff = spec.nodeToNodeMeshEnabled === false
  if (meshOff && spec.nodeMeshPassword !== undefined) reasons.push('nodeMeshPassword cannot be set when nodeToNodeMeshEnabled is false')
  if (meshOff && spec.nodeMeshMaxRestartTime !== undefined) reasons.push('nodeMeshMaxRestartTime cannot be set when nodeToNodeMeshEnabled is false')
  if (asList(spec.communities).length > 0 && asList(spec.prefixAdvertisements).length === 0)
    reasons.push('communities are defined but not used in prefixAdvertisements')
  return reasons.map((reason) => ({ name: 'spec', reason }))
}

/** The client's ValidateDefaultOnlyFields, which it runs only once the validator is content. */
function defaultOnlyErrors(resource: Resource): FieldError[] {
  if (resource.metadata.name === 'default') return []
  const spec = resource.spec ?? {}
  return DEFAULT_ONLY.filter(([field]) => {
    const value = spec[field]
    return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)
  }).map(([, goName, text]) => ({ name: `BGPConfiguration.Spec.${goName}`, reason: `Cannot set ${text} on a non default BGP Configuration.` }))
}

/** The validator: struct tags, then validateBGPConfigurationSpec's communities. */
function check(resource: Resource): FieldError[] {
  const spec = resource.spec ?? {}
  return [...tagErrors(spec), ...communityErrors(spec)]
}

const optional = (v: unknown): string => (v === undefined || v === null ? '-' : String(v))

const columns = [
  nameColumn,
  { header: 'LOGSEVERITY', value: (r: Resource) => String(r.spec?.logSeverityScreen ?? '') },
  { header: 'MESHENABLED', value: (r: Resource) => optional(r.spec?.nodeToNodeMeshEnabled) },
  { header: 'ASNUMBER', value: (r: Resource) => optional(r.spec?.asNumber) },
]

export const bgpConfiguration: KindDefinition = {
  kind: 'BGPConfiguration',
  plural: 'bgpconfigurations',
  names: ['bgpconfiguration', 'bgpconfigurations', 'bgpconfig', 'bgpconfigs'],
  namespaced: false,
  schema: 'bgpconfiguration',
  columns: { ps: columns, wide: columns },
  // The CRD's defaults (logSeverityScreen Info, serviceLoadBalancerAggregation Enabled) are the schema's.
  normalize(resource) {
    normalizeASNumber(resource.spec, 'asNumber')
  },
  check,
  crdRules: (resource) => celErrors(resource.spec ?? {}),
  clientCheckAfterValidation: defaultOnlyErrors,
}
