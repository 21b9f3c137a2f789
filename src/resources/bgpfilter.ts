/**
 * BGPFilter: ordered accept/reject rules for routes exported to and imported from BGP peers, per
 * address family. Checks are the Go validator's struct tags (CIDR family and masking, prefix
 * lengths, interface pattern, enumerations, priorities, required fields); the CRD has CEL rules on
 * each rule.
 */
import type { FieldError } from '../errors.js'
import { ipToBigInt, parseCidr } from '../net/cidr.js'
import { parseASNumber, tagReason } from './checks.js'
import { nameColumn, type Column, type KindDefinition } from './kind.js'
import { asList, asObject, asText, tagError, type Json } from './rule-checks.js'
import type { Resource } from './types.js'

type Family = 4 | 6

/** The four rule lists in Go field order, with the address family of their rules. */
const RULE_LISTS: ReadonlyArray<readonly [field: string, family: Family]> = [
  ['exportV4', 4],
  ['importV4', 4],
  ['exportV6', 6],
  ['importV6', 6],
]

const INTERFACE = /^[a-zA-Z0-9_.*-]{1,15}$/
const MAX_PREFIX: Record<Family, number> = { 4: 32, 6: 128 }

const rulesOf = (spec: Json, field: string): Json[] => asList(spec[field]).map((r) => asObject(r) ?? {})
const isSet = (v: unknown): boolean => v !== undefined && v !== null

/** The `netv4`/`netv6` tags: an address of the family, or a CIDR of the family without host bits. */
function isNetworkOf(value: string, family: Family): boolean {
  const cidr = parseCidr(value)
  if (cidr) return cidr.family === family && !cidr.hadHostBits
  return ipToBigInt(value)?.family === family
}

/** Struct-tag findings for one rule, in Go field order. */
function tagErrors(rule: Json, family: Family): FieldError[] {
  const errors: FieldError[] = []
  const cidr = asText(rule.cidr)
  if (cidr && !isNetworkOf(cidr, family)) errors.push(tagError('CIDR', cidr, `netv${family}`))
  const prefixLength = asObject(rule.prefixLength) ?? {}
  for (const [field, goName] of [['min', 'Min'], ['max', 'Max']]) {
    const n = prefixLength[field]
    if (typeof n === 'number' && (n < 0 || n > MAX_PREFIX[family]))
      errors.push(tagError(goName, n, `bgpFilterPrefixLengthV${family}`))
  }
  const source = asText(rule.source)
  if (source && source !== 'RemotePeers') errors.push(tagError('Source', source, 'oneof'))
  const iface = asText(rule.interface)
  if (iface && !INTERFACE.test(iface)) errors.push(tagError('Interface', iface, 'bgpFilterInterface'))
  const peerType = asText(rule.peerType)
  if (peerType && peerType !== 'eBGP' && peerType !== 'iBGP') errors.push(tagError('PeerType', peerType, 'oneof'))
  const communities = asObject(rule.communities)
  if (communities && !isSet(communities.values)) errors.push(tagError('Values', '[]', 'required'))
  errors.push(...priorityErrors(rule.priority, 'Priority'))
  if (!asText(rule.action)) errors.push({ name: 'Action', value: '', reason: tagReason('Action', 'required') })
  for (const operation of asList(rule.operations).map((o) => asObject(o) ?? {})) errors.push(...operationErrors(operation))
  return errors
}

/** `gte=1,lte=2147483646` on a route priority. */
function priorityErrors(value: unknown, goName: string): FieldError[] {
  if (typeof value !== 'number') return []
  if (value < 1) return [tagError(goName, value, 'gte')]
  return value > 2147483646 ? [tagError(goName, value, 'lte')] : []
}

/** The `required` tags inside each operation; a missing pointer prints as Go's `<nil>`, a missing list as `[]`. */
function operationErrors(operation: Json): FieldError[] {
  const errors: FieldError[] = []
  const addCommunity = asObject(operation.addCommunity)
  if (addCommunity && !isSet(addCommunity.value)) errors.push(tagError('Value', '<nil>', 'required'))
  const prepend = asObject(operation.prependASPath)
  if (prepend && !isSet(prepend.prefix)) errors.push(tagError('Prefix', '[]', 'required'))
  const setPriority = asObject(operation.setPriority)
  if (setPriority && !isSet(setPriority.value)) errors.push(tagError('Value', '<nil>', 'required'))
  else if (setPriority) errors.push(...priorityErrors(setPriority.value, 'Value'))
  return errors
}

/** The CEL rules of a BGPFilter rule; their errors name the rule's path, e.g. `spec.exportV4[0]`. */
function celErrors(rule: Json, path: string): FieldError[] {
  const reasons: string[] = []
  const hasCidr = asText(rule.cidr) !== ''
  if (hasCidr !== (asText(rule.matchOperator) !== '')) reasons.push('cidr and matchOperator must both be set or both be empty')
  if (isSet(rule.prefixLength) && !hasCidr) reasons.push('cidr is required when prefixLength is set')
  if (asList(rule.operations).length > 0 && rule.action !== 'Accept') reasons.push('operations may only be used with action Accept')
  return reasons.map((reason) => ({ name: path, reason }))
}

/** The Go validator's tags over the whole spec. */
function check(resource: Resource): FieldError[] {
  const spec = resource.spec ?? {}
  return RULE_LISTS.flatMap(([field, family]) => rulesOf(spec, field).flatMap((rule) => tagErrors(rule, family)))
}

/** The CRD's rules on each rule of each list. */
function crdRules(resource: Resource): FieldError[] {
  const spec = resource.spec ?? {}
  return RULE_LISTS.flatMap(([field]) => rulesOf(spec, field).flatMap((rule, i) => celErrors(rule, `spec.${field}[${i}]`)))
}

/** AS numbers decode to uint32 (asdot `1.10` becomes 65546), as upstream stores them. */
function normalizeASNumbers(list: unknown): unknown {
  return Array.isArray(list) ? list.map((v) => parseASNumber(v) ?? v) : list
}

/** AS numbers as Go holds them. */
function normalize(resource: Resource): void {
  const spec = resource.spec ?? {}
  for (const [field] of RULE_LISTS) {
    for (const rule of rulesOf(spec, field)) {
      if (rule.asPathPrefix !== undefined) rule.asPathPrefix = normalizeASNumbers(rule.asPathPrefix)
      for (const operation of asList(rule.operations)) {
        const prepend = asObject(asObject(operation)?.prependASPath)
        if (prepend) prepend.prefix = normalizeASNumbers(prepend.prefix)
      }
    }
  }
}

/** `{{len .Spec.ExportV4}}` and friends: the number of rules in a list. */
const countColumn = (field: string): Column => ({
  header: `NUM${field.toUpperCase()}`,
  value: (r) => String(asList(r.spec?.[field]).length),
})

const columns = [nameColumn, ...RULE_LISTS.map(([field]) => countColumn(field))]

export const bgpFilter: KindDefinition = {
  kind: 'BGPFilter',
  plural: 'bgpfilters',
  names: ['bgpfilter', 'bgpfilters', 'bgpf', 'bgpfs', 'bf', 'bfs'],
  namespaced: false,
  schema: 'bgpfilter',
  columns: { ps: columns, wide: columns },
  normalize,
  check,
  crdRules,
}
