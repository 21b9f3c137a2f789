import type { FieldError } from '../errors.js'
import { ipToBigInt } from '../net/cidr.js'
import { checkASNumber, checkSelectorField, normalizeASNumber, tagReason } from './checks.js'
import { nameColumn, type KindDefinition } from './kind.js'
import type { Resource } from './types.js'

/** `IP` or `IP:port` (IPv6 with a port as `[addr]:port`); returns the address family or undefined. */
function peerIPFamily(value: string): 4 | 6 | undefined {
  const direct = ipToBigInt(value)
  if (direct) return direct.family
  const bracketed = /^\[([^\]]+)\]:(\d{1,5})$/.exec(value)
  if (bracketed && Number(bracketed[2]) <= 65535) return ipToBigInt(bracketed[1])?.family === 6 ? 6 : undefined
  const v4port = /^([\d.]+):(\d{1,5})$/.exec(value)
  if (v4port && Number(v4port[2]) <= 65535) return ipToBigInt(v4port[1])?.family === 4 ? 4 : undefined
  return undefined
}

function check(resource: Resource): FieldError[] {
  const spec = resource.spec ?? {}
  const set = (field: string) => spec[field] !== undefined && spec[field] !== ''
  const errors: FieldError[] = []
  const rule = (reason: string) => errors.push({ name: 'spec', reason })
  if (set('peerIP') && (typeof spec.peerIP !== 'string' || spec.peerIP.length > 64 || !peerIPFamily(spec.peerIP)))
    errors.push({ name: 'PeerIP', value: spec.peerIP, reason: tagReason('PeerIP', 'IP:port') })
  errors.push(...checkASNumber(spec, 'asNumber', 'ASNumber'), ...checkASNumber(spec, 'localASNumber', 'LocalASNumber'))
  errors.push(
    ...checkSelectorField(spec.nodeSelector, 'NodeSelector'),
    ...checkSelectorField(spec.peerSelector, 'PeerSelector'),
    ...checkSelectorField(spec.localWorkloadSelector, 'LocalWorkloadSelector'),
  )
  if (set('node') && set('nodeSelector')) rule('node and nodeSelector cannot both be set')
  if (set('peerIP') && set('peerSelector')) rule('peerIP and peerSelector cannot both be set')
  if (set('asNumber') && set('peerSelector')) rule('asNumber must be empty when peerSelector is set')
  if (set('localWorkloadSelector')) {
    if (set('peerIP')) rule('peerIP must be empty when localWorkloadSelector is set')
    if (set('peerSelector')) rule('peerSelector must be empty when localWorkloadSelector is set')
    if (!set('asNumber')) rule('asNumber is required when localWorkloadSelector is set')
  }
  if (set('reachableBy')) {
    if (!set('peerIP')) rule('reachableBy must be empty when peerIP is empty')
    else if (ipToBigInt(String(spec.reachableBy))?.family !== peerIPFamily(String(spec.peerIP)))
      errors.push({ name: 'ReachableBy', value: spec.reachableBy, reason: 'ReachableBy and PeerIP address family mismatched' })
  }
  if (spec.keepOriginalNextHop === true && set('nextHopMode'))
    rule('keepOriginalNextHop and nextHopMode cannot both be set; keepOriginalNextHop is deprecated, use nextHopMode instead')
  return errors
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
  applyDefaults(resource) {
    normalizeASNumber(resource.spec, 'asNumber')
    normalizeASNumber(resource.spec, 'localASNumber')
  },
  check,
}

