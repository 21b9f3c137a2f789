import type { Datastore } from '../datastore/types.js'
import { ValidationError, type FieldError } from '../errors.js'
import { bgpFilter } from './bgpfilter.js'
import { checkASNumber, checkSelectorField, goIPVersion, normalizeASNumber, parseASNumber } from './checks.js'
import { nameColumn, type KindDefinition } from './kind.js'
import { NAME_PATTERN, asList, asText, goList, tagError } from './rule-checks.js'
import type { Resource } from './types.js'

const IPV4_WITH_PORT = /^(\d+).(\d+).(\d+).(\d+):(\d+)$/
const IPV6_WITH_PORT = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/

/**
 * The validator's processIPPort: `IP`, `IPv4:port` or `[IPv6]:port`, the port within 1-65535.
 * Returns the address part, or undefined when the text is none of these.
 */
function peerAddress(value: string): string | undefined {
  let address = value
  const v4 = IPV4_WITH_PORT.test(value) ? /^(.*):(\d+)$/.exec(value) : null
  const v6 = IPV6_WITH_PORT.exec(value)
  const withPort = v6 ?? v4
  if (withPort) {
    const port = Number(withPort[2])
    if (port < 1 || port > 65535) return undefined
    address = withPort[1]
  }
  return goIPVersion(address) ? address : undefined
}

const isSet = (v: unknown): boolean => v !== undefined && v !== null
/** CEL `size(x) > 0` on an optional string field. */
const filled = (v: unknown): boolean => asText(v) !== ''
/** CEL `has(self.asNumber) && self.asNumber != 0`. */
const hasASNumber = (v: unknown): boolean => isSet(v) && parseASNumber(v) !== 0

/** Struct tags of BGPPeerSpec in field order, then validateBGPPeerSpec. */
function goErrors(spec: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = []
  const node = asText(spec.node)
  if (node && !NAME_PATTERN.test(node)) errors.push(tagError('Node', node, 'name'))
  errors.push(...checkSelectorField(spec.nodeSelector, 'NodeSelector'))
  const peerIP = asText(spec.peerIP)
  if (peerIP && !peerAddress(peerIP)) errors.push(tagError('PeerIP', peerIP, 'IP:port'))
  errors.push(...checkSelectorField(spec.peerSelector, 'PeerSelector'))
  errors.push(...checkASNumber(spec, 'asNumber', 'ASNumber'), ...checkASNumber(spec, 'localASNumber', 'LocalASNumber'))
  const reachableBy = asText(spec.reachableBy)
  if (reachableBy && !goIPVersion(reachableBy)) errors.push(tagError('ReachableBy', reachableBy, 'reachableBy'))
  asList(spec.filters).forEach((f, i) => NAME_PATTERN.test(asText(f)) || errors.push(tagError(`Filters[${i}]`, asText(f), 'name')))
  errors.push(...checkSelectorField(spec.localWorkloadSelector, 'LocalWorkloadSelector'))

  // Only addresses that both parse are compared; the tags above report the others.
  const peer = peerIP ? peerAddress(peerIP) : undefined
  if (reachableBy && peer && goIPVersion(reachableBy) && goIPVersion(reachableBy) !== goIPVersion(peer))
    errors.push({ name: 'ReachableBy', value: reachableBy, reason: 'ReachableBy and PeerIP address family mismatched' })
  return errors
}

/** The CRD's CEL rules on the spec. */
function celErrors(spec: Record<string, unknown>): FieldError[] {
  const reasons: string[] = []
  if (filled(spec.node) && filled(spec.nodeSelector)) reasons.push('node and nodeSelector cannot both be set')
  if (filled(spec.peerIP) && filled(spec.peerSelector)) reasons.push('peerIP and peerSelector cannot both be set')
  if (filled(spec.peerSelector) && hasASNumber(spec.asNumber)) reasons.push('asNumber must be empty when peerSelector is set')
  if (filled(spec.localWorkloadSelector)) {
    if (filled(spec.peerIP)) reasons.push('peerIP must be empty when localWorkloadSelector is set')
    if (filled(spec.peerSelector)) reasons.push('peerSelector must be empty when localWorkloadSelector is set')
    if (!hasASNumber(spec.asNumber)) reasons.push('asNumber is required when localWorkloadSelector is set')
  }
  if (filled(spec.reachableBy) && !filled(spec.peerIP)) reasons.push('reachableBy must be empty when peerIP is empty')
  if (spec.keepOriginalNextHop === true && isSet(spec.nextHopMode))
    reasons.push('keepOriginalNextHop and nextHopMode cannot both be set; keepOriginalNextHop is deprecated, use nextHopMode instead')
  return reasons.map((reason) => ({ name: 'spec', reason }))
}


/** The client refuses, before validating, a peer naming BGPFilters that do not exist. */
async function filtersExist(store: Datastore, resource: Resource): Promise<void> {
  const wanted = asList(resource.spec?.filters).map(asText)
  if (wanted.length === 0) return
  const existing = new Set((await store.list(bgpFilter)).items.map((f) => f.metadata.name))
  const missing = wanted.filter((f) => !existing.has(f))
  if (missing.length > 0) throw new ValidationError([{ name: 'BGPPeer.Spec.Filters', value: goList(missing), reason: 'BGPFilter(s) not found' }])
}

const columns = [
  nameColumn,
  { header: 'PEERIP', value: (r: Resource) => String(r.spec?.peerIP ?? '') },
  { header: 'NODE', value: (r: Resource) => String(r.spec?.node || r.spec?.nodeSelector || '(global)') },
  { header: 'ASN', value: (r: Resource) => String(r.spec?.asNumber ?? 0) },
]

export const bgpPeer: KindDefinition = {
  kind: 'BGPPeer',
  plural: 'bgppeers',
  names: ['bgppeer', 'bgppeers', 'bgpp', 'bgpps', 'bp', 'bps'],
  namespaced: false,
  schema: 'bgppeer',
  columns: { ps: columns, wide: columns },
  normalize(resource) {
    normalizeASNumber(resource.spec, 'asNumber')
    normalizeASNumber(resource.spec, 'localASNumber')
  },
  check: (resource) => goErrors(resource.spec ?? {}),
  crdRules: (resource) => celErrors(resource.spec ?? {}),
  checkReferences: filtersExist,
}
