/**
 * FelixConfiguration: libcalico-go's client defaulting (setDefaults), the Go validator's struct tags
 * and validateFelixConfigSpec, and the CRD's CEL rules.
 */
import type { FieldError } from '../errors.js'
import { ipToBigInt } from '../net/cidr.js'
import { nameColumn, type KindDefinition } from './kind.js'
import { decodePort, type Port } from './ports.js'
import { cidrOrIpFamily, compilesAsGoRegexp, durationErrors, formatGoDuration, normalizeDuration, parseGoDuration } from './go-values.js'
import { asList, asObject, asText, goList, goMap, isValidPortName, tagError, type Json } from './rule-checks.js'
import type { Resource } from './types.js'

// ---------------------------------------------------------------------------------------------
// FelixConfigurationSpec.

/** The metav1.Duration fields, with their Go names. */
const DURATIONS: Array<[field: string, goName: string]> = [
  ['dataplaneWatchdogTimeout', 'DataplaneWatchdogTimeout'],
  ['routeRefreshInterval', 'RouteRefreshInterval'],
  ['interfaceRefreshInterval', 'InterfaceRefreshInterval'],
  ['iptablesRefreshInterval', 'IptablesRefreshInterval'],
  ['iptablesPostWriteCheckInterval', 'IptablesPostWriteCheckInterval'],
  ['iptablesLockProbeInterval', 'IptablesLockProbeInterval'],
  ['ipsetsRefreshInterval', 'IpsetsRefreshInterval'],
  ['xdpRefreshInterval', 'XDPRefreshInterval'],
  ['netlinkTimeout', 'NetlinkTimeout'],
  ['reportingInterval', 'ReportingInterval'],
  ['reportingTTL', 'ReportingTTL'],
  ['endpointReportingDelay', 'EndpointReportingDelay'],
  ['usageReportingInitialDelay', 'UsageReportingInitialDelay'],
  ['usageReportingInterval', 'UsageReportingInterval'],
  ['debugSimulateCalcGraphHangAfter', 'DebugSimulateCalcGraphHangAfter'],
  ['debugSimulateDataplaneHangAfter', 'DebugSimulateDataplaneHangAfter'],
  ['debugSimulateDataplaneApplyDelay', 'DebugSimulateDataplaneApplyDelay'],
  ['nftablesRefreshInterval', 'NftablesRefreshInterval'],
  ['bpfIPFragTimeout', 'BPFIPFragTimeout'],
  ['bpfKubeProxyMinSyncPeriod', 'BPFKubeProxyMinSyncPeriod'],
  ['flowLogsFlushInterval', 'FlowLogsFlushInterval'],
  ['liveMigrationRouteConvergenceTime', 'LiveMigrationRouteConvergenceTime'],
  ['wireguardKeepAlive', 'WireguardPersistentKeepAlive'],
  ['localSubnetL2ReachabilityRefreshInterval', 'LocalSubnetL2ReachabilityRefreshInterval'],
]

const overrides = (spec: Json): Json[] => asList(spec.healthTimeoutOverrides).map((o) => asObject(o) ?? {})

/** Durations as Go holds them. */
function normalize(resource: Resource): void {
  const spec = resource.spec ?? {}
  for (const [field] of DURATIONS) normalizeDuration(spec, field)
  for (const override of overrides(spec)) normalizeDuration(override, 'timeout')
}

/** The client's setDefaults (the v3.31 CRD's default, nftablesMode, is the schema's). */
function applyDefaults(resource: Resource): void {
  const spec = (resource.spec ??= {})
  spec.floatingIPs ??= 'Disabled'
  spec.bpfConnectTimeLoadBalancing ??= 'TCP'
  spec.bpfHostNetworkedNATWithoutCTLB ??= 'Enabled'
  // The deprecated boolean wins over both newer fields.
  if (typeof spec.bpfConnectTimeLoadBalancingEnabled === 'boolean') {
    spec.bpfHostNetworkedNATWithoutCTLB = 'Disabled'
    spec.bpfConnectTimeLoadBalancing = spec.bpfConnectTimeLoadBalancingEnabled ? 'Enabled' : 'Disabled'
  }
}

type TagCheck = (value: unknown, goName: string) => FieldError[]

/** A string tag with `omitempty`: empty strings pass. */
const textTag =
  (tag: string, ok: (text: string) => boolean): TagCheck =>
  (value, goName) =>
    typeof value === 'string' && value !== '' && !ok(value) ? [tagError(goName, value, tag)] : []
const matches = (tag: string, pattern: RegExp): TagCheck => textTag(tag, (t) => pattern.test(t))
/** The `oneof=...` tag. */
const oneOf = (...values: string[]): TagCheck => textTag('oneof', (t) => values.includes(t))

/** Numeric bounds such as `gte=0,lte=65535`; the first failing bound names the tag. */
const bounds =
  (...limits: Array<[tag: 'gt' | 'gte' | 'lt' | 'lte', limit: number]>): TagCheck =>
  (value, goName) => {
    if (typeof value !== 'number') return []
    const failed = limits.find(([tag, limit]) => !{ gt: value > limit, gte: value >= limit, lt: value < limit, lte: value <= limit }[tag])
    return failed ? [tagError(goName, value, failed[0])] : []
  }

/** The `keyValueList` tag: comma-separated `key=value` items (empty items allowed). */
const isKeyValueList = (text: string): boolean => text.trim() === '' || text.split(',').every((item) => item === '' || /^\s*\w+=/.test(item))

const INTERFACE = /^[a-zA-Z0-9_.-]{1,15}$/
const IFACE_FILTER = /^[a-zA-Z0-9:._+-]{1,15}$/

const regexp = textTag('regexp', compilesAsGoRegexp)
const routePriority = bounds(['gte', 1], ['lte', 2147483646])

const listTag =
  (tag: string, ok: (item: string) => boolean): TagCheck =>
  (value, goName) =>
    Array.isArray(value) && value.length > 0 && !value.every((item) => ok(String(item))) ? [tagError(goName, goList(value), tag)] : []

/** numorstring.Port: its PortName tag, then validatePort. */
function portErrors(port: Port | undefined): FieldError[] {
  if (!port) return []
  if ('name' in port) return isValidPortName(port.name) ? [] : [tagError('PortName', port.name, 'portName')]
  return port.min < 1 ? [{ name: 'Port', value: String(port.min), reason: 'port range invalid, port number must be between 1 and 65535' }] : []
}
const decoded = (value: unknown): Port | undefined => {
  const port = decodePort(value)
  return port && !('error' in port) ? port : undefined
}

const rangeText = (r: Json): string => `{${Number(r.min ?? 0)} ${Number(r.max ?? 0)}}`

/** validateRouteTableIDRange, for each of routeTableRanges. */
function idRangeErrors(value: unknown): FieldError[] {
  return asList(value).flatMap((item) => {
    const r = asObject(item) ?? {}
    const [min, max] = [Number(r.min ?? 0), Number(r.max ?? 0)]
    const reasons = [
      ...(min > max ? ['min value cannot be greater than max value'] : []),
      ...(min <= 0 ? ['cannot target indices < 1'] : []),
      ...(max > 0xffffffff ? ['max index too high'] : []),
    ]
    return reasons.map((reason) => ({ name: 'RouteTableRange', value: rangeText(r), reason }))
  })
}

/** validateRouteTableRange, for the deprecated single range. */
function tableRangeErrors(value: unknown): FieldError[] {
  const r = asObject(value)
  if (!r) return []
  const [min, max] = [Number(r.min ?? 0), Number(r.max ?? 0)]
  if (min >= 1 && max >= min && max <= 250) return []
  return [{ name: 'RouteTableRange', value: rangeText(r), reason: 'must be a range of route table indices within 1..250' }]
}

/** validateHealthTimeoutOverride, for each override. */
function overrideErrors(value: unknown): FieldError[] {
  return asList(value).flatMap((item) => {
    const o = asObject(item) ?? {}
    const timeout = parseGoDuration(asText(o.timeout) || '0s')
    const text = `{${asText(o.name)} ${typeof timeout === 'bigint' ? formatGoDuration(timeout) : asText(o.timeout)}}`
    return [
      ...(/^[a-zA-Z0-9_ -]+$/.test(asText(o.name)) ? [] : [{ name: 'HealthTimeoutOverride.Name', value: text, reason: 'name should match regex ^[a-zA-Z0-9_ -]+$' }]),
      ...(typeof timeout === 'bigint' && timeout < 0n ? [{ name: 'HealthTimeoutOverride.Timeout', value: text, reason: 'Timeout should not be negative' }] : []),
    ]
  })
}

/**
 * Field tags and nested struct validators, in Go field order (fields without a check are left out).
 * Enumerations and patterns without a Go tag are the CRD schema's, not checked here.
 */
const TAGS: Array<[field: string, goName: string, check: TagCheck]> = [
  ['featureDetectOverride', 'FeatureDetectOverride', textTag('keyValueList', isKeyValueList)],
  ['featureGates', 'FeatureGates', textTag('keyValueList', isKeyValueList)],
  ['logDebugFilenameRegex', 'LogDebugFilenameRegex', regexp],
  ['healthTimeoutOverrides', 'HealthTimeoutOverrides', overrideErrors],
  ['prometheusMetricsHost', 'PrometheusMetricsHost', matches('prometheusHost', /^[a-zA-Z0-9:._+-]{1,64}$/)],
  ['prometheusMetricsClientAuth', 'PrometheusMetricsClientAuth', oneOf('RequireAndVerifyClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'NoClientCert')],
  ['kubeNodePortRanges', 'KubeNodePortRanges', (v) => asList(v).flatMap((p) => portErrors(decoded(p)))],
  ['natPortRange', 'NATPortRange', (v) => portErrors(decoded(v))],
  ['natOutgoingExclusions', 'NATOutgoingExclusions', oneOf('IPPoolsOnly', 'IPPoolsAndHostIPs')],
  ['debugPort', 'DebugPort', bounds(['gte', 0], ['lte', 65535])],
  ['iptablesNATOutgoingInterfaceFilter', 'IptablesNATOutgoingInterfaceFilter', matches('ifaceFilter', IFACE_FILTER)],
  ['nftablesFlowTableDataIfacePattern', 'NFTablesFlowTableDataIfacePattern', regexp],
  ['bpfOverlayHostSourceIP', 'BPFOverlayHostSourceIP', oneOf('TunnelAddress', 'HostAddress')],
  ['bpfJITHardening', 'BPFJITHardening', oneOf('Auto', 'Strict')],
  ['bpfConntrackLogLevel', 'BPFConntrackLogLevel', oneOf('Off', 'Debug')],
  ['bpfConntrackMode', 'BPFConntrackCleanupMode', oneOf('Auto', 'Userspace', 'BPFProgram')],
  ['bpfLogFilters', 'BPFLogFilters', (v, n) => {
    const filters = asObject(v)
    return filters && !Object.keys(filters).every((k) => INTERFACE.test(k)) ? [tagError(n, goMap(filters), 'bpfLogFilters')] : []
  }],
  ['bpfDataIfacePattern', 'BPFDataIfacePattern', regexp],
  ['bpfL3IfacePattern', 'BPFL3IfacePattern', regexp],
  ['bpfConnectTimeLoadBalancing', 'BPFConnectTimeLoadBalancing', oneOf('TCP', 'Enabled', 'Disabled')],
  ['bpfHostNetworkedNATWithoutCTLB', 'BPFHostNetworkedNATWithoutCTLB', oneOf('Enabled', 'Disabled')],
  ['bpfDSROptoutCIDRs', 'BPFDSROptoutCIDRs', listTag('cidrs', (c) => cidrOrIpFamily(c) !== undefined)],
  ['bpfExtToServiceConnmark', 'BPFExtToServiceConnmark', bounds(['gte', 0], ['lte', 4294967295])],
  ['bpfKubeProxyHealthzPort', 'BPFKubeProxyHealthzPort', bounds(['gte', 0], ['lte', 65535])],
  ['bpfPSNATPorts', 'BPFPSNATPorts', (v) => portErrors(decoded(v))],
  ['bpfMapSizeConntrackCleanupQueue', 'BPFMapSizeConntrackCleanupQueue', bounds(['gte', 1])],
  ['bpfForceTrackPacketsFromIfaces', 'BPFForceTrackPacketsFromIfaces', listTag('ifaceFilterSlice', (i) => IFACE_FILTER.test(i))],
  ['bpfDisableGROForIfaces', 'BPFDisableGROForIfaces', regexp],
  ['bpfExcludeCIDRsFromNAT', 'BPFExcludeCIDRsFromNAT', listTag('cidrs', (c) => cidrOrIpFamily(c) !== undefined)],
  ['bpfAttachType', 'BPFAttachType', oneOf('TC', 'TCX', 'Netkit')],
  ['routeTableRanges', 'RouteTableRanges', idRangeErrors],
  ['routeTableRange', 'RouteTableRange', tableRangeErrors],
  ['ipv4NormalRoutePriority', 'IPv4NormalRoutePriority', routePriority],
  ['ipv4ElevatedRoutePriority', 'IPv4ElevatedRoutePriority', routePriority],
  ['ipv6NormalRoutePriority', 'IPv6NormalRoutePriority', routePriority],
  ['ipv6ElevatedRoutePriority', 'IPv6ElevatedRoutePriority', routePriority],
  ['wireguardListeningPort', 'WireguardListeningPort', bounds(['gt', 0], ['lte', 65535])],
  ['wireguardListeningPortV6', 'WireguardListeningPortV6', bounds(['gt', 0], ['lte', 65535])],
  ['wireguardRoutingRulePriority', 'WireguardRoutingRulePriority', bounds(['gt', 0], ['lt', 32766])],
  ['wireguardInterfaceName', 'WireguardInterfaceName', textTag('interface', (t) => t === '*' || INTERFACE.test(t))],
  ['wireguardInterfaceNameV6', 'WireguardInterfaceNameV6', textTag('interface', (t) => t === '*' || INTERFACE.test(t))],
  ['awsSrcDstCheck', 'AWSSrcDstCheck', oneOf('DoNothing', 'Enable', 'Disable')],
  ['serviceLoopPrevention', 'ServiceLoopPrevention', oneOf('Drop', 'Reject', 'Disabled')],
  ['workloadSourceSpoofing', 'WorkloadSourceSpoofing', oneOf('Disabled', 'Any')],
  ['mtuIfacePattern', 'MTUIfacePattern', regexp],
  ['localSubnetL2Reachability', 'LocalSubnetL2Reachability', oneOf('Disabled', 'PodsAndLoadBalancers')],
  ['windowsManageFirewallRules', 'WindowsManageFirewallRules', oneOf('Enabled', 'Disabled')],
  ['goGCThreshold', 'GoGCThreshold', bounds(['gte', -1])],
  ['goMemoryLimitMB', 'GoMemoryLimitMB', bounds(['gte', -1])],
  ['goMaxProcs', 'GoMaxProcs', bounds(['gte', -1])],
  ['bpfMaglevMaxEndpointsPerService', 'BPFMaglevMaxEndpointsPerService', bounds(['gt', 0], ['lte', 3000])],
  ['bpfMaglevMaxServices', 'BPFMaglevMaxServices', bounds(['gt', 0], ['lte', 3000])],
]

const goPortText = (p: Port): string => ('name' in p ? p.name : p.min === p.max ? String(p.min) : `${p.min}:${p.max}`)

/** validateFelixConfigSpec, which runs after every field check. */
function specErrors(spec: Json): FieldError[] {
  const errors: FieldError[] = []
  const add = (name: string, value: unknown, reason: string) => errors.push({ name, value: String(value), reason })
  const nodePorts = asList(spec.kubeNodePortRanges).map(decoded).filter((p): p is Port => p !== undefined)
  // At most 7 ranges: iptables' multiport match takes 15 ports, a range counting for two.
  if (nodePorts.length > 7) add('KubeNodePortRanges', goList(nodePorts.map(goPortText)), 'node port ranges list is too long (max 7)')
  for (const port of nodePorts)
    if ('name' in port) add('KubeNodePortRanges', goList(nodePorts.map(goPortText)), 'node port ranges should not contain named ports')
  for (const cidr of asList(spec.externalNodesList).map(String)) {
    const family = cidrOrIpFamily(cidr)
    if (family === undefined) add('ExternalNodesCIDRList', cidr, 'has invalid CIDR(s)')
    else if (family !== 4) add('ExternalNodesCIDRList', cidr, 'has invalid IPv6 CIDR')
  }
  // Regions name Kubernetes namespaces `openstack-region-<region>`.
  const region = asText(spec.openstackRegion)
  if (region.length > 63 - 'openstack-region-'.length) add('OpenstackRegion', region, 'is too long')
  else if (region && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(region)) add('OpenstackRegion', region, 'must be a valid DNS label')
  // Only that they parse: the address families are the CRD's rules.
  for (const [field, goName] of ADDRESSES) {
    const text = asText(spec[field])
    if (text && !ipToBigInt(text)) add(goName, text, 'is not a valid IP address')
  }
  const ranges = Array.isArray(spec.routeTableRanges) ? spec.routeTableRanges.map((r) => asObject(r) ?? {}) : undefined
  const tables = (ranges ?? []).reduce((n, r) => n + (Number(r.max ?? 0) - Number(r.min ?? 0) + 1), 0)
  if (ranges && tables > 0xffff) add('RouteTableRanges', `&[${ranges.map(rangeText).join(' ')}]`, 'targets too many tables')
  return errors
}

const ADDRESSES: Array<[field: string, goName: string, family: 4 | 6]> = [
  ['natOutgoingAddress', 'NATOutgoingAddress', 4],
  ['deviceRouteSourceAddress', 'DeviceRouteSourceAddress', 4],
  ['deviceRouteSourceAddressIPv6', 'DeviceRouteSourceAddressIPv6', 6],
]

/** CEL's isIP() and ip().family(): IPv4-mapped IPv6 addresses are no IP to it. */
function celIPFamily(text: string): 4 | 6 | undefined {
  const ip = ipToBigInt(text)
  return ip && !(ip.family === 6 && ip.value >> 32n === 0xffffn) ? ip.family : undefined
}

/** The CRD's CEL rules: the one on the whole object first, then the spec's, then its fields'. */
function celErrors(resource: Resource): FieldError[] {
  const spec = resource.spec ?? {}
  const errors: FieldError[] = []
  // Only selector-scoped configurations may select nodes.
  const name = resource.metadata.name ?? ''
  if (spec.nodeSelector !== undefined && (name === 'default' || name.startsWith('node.')))
    errors.push({ name: 'FelixConfiguration', reason: "nodeSelector must not be set on the 'default' or per-node ('node.*') FelixConfiguration" })
  if (spec.routeTableRange !== undefined && spec.routeTableRanges !== undefined)
    errors.push({ name: 'spec', reason: 'routeTableRange and routeTableRanges cannot both be set' })
  for (const [field, , family] of ADDRESSES) {
    const text = asText(spec[field])
    if (text && celIPFamily(text) !== family) errors.push({ name: 'spec', reason: `${field} must be a valid IPv${family} address` })
  }
  const single = asObject(spec.routeTableRange)
  if (single) {
    const [min, max] = [Number(single.min ?? 0), Number(single.max ?? 0)]
    if (!(min >= 1 && max >= min && max <= 250)) errors.push({ name: 'spec.routeTableRange', reason: 'must be a range of route table indices within 1..250' })
  }
  asList(spec.routeTableRanges).forEach((item, i) => {
    const r = asObject(item) ?? {}
    const [min, max] = [Number(r.min ?? 0), Number(r.max ?? 0)]
    if (min < 1) errors.push({ name: `spec.routeTableRanges[${i}]`, reason: 'min must be >= 1' })
    if (min > max) errors.push({ name: `spec.routeTableRanges[${i}]`, reason: 'min must not be greater than max' })
  })
  return errors
}

/** Durations Go cannot read, which fail the decoding before any validation. */
function unreadableDurations(spec: Json): FieldError[] {
  return [
    ...DURATIONS.flatMap(([field, goName]) => durationErrors(spec, field, goName)),
    ...overrides(spec).flatMap((o) => durationErrors(o, 'timeout', 'Timeout')),
  ]
}

/** A duration Go cannot read fails the decoding; otherwise the validator. */
function check(resource: Resource): FieldError[] {
  const spec = resource.spec ?? {}
  const unreadable = unreadableDurations(spec)
  if (unreadable.length > 0) return unreadable
  return [...TAGS.flatMap(([field, goName, tagCheck]) => (spec[field] === undefined ? [] : tagCheck(spec[field], goName))), ...specErrors(spec)]
}

export const felixConfiguration: KindDefinition = {
  kind: 'FelixConfiguration',
  plural: 'felixconfigurations',
  names: ['felixconfiguration', 'felixconfigurations', 'felixconfig', 'felixconfigs'],
  namespaced: false,
  schema: 'felixconfiguration',
  columns: { ps: [nameColumn], wide: [nameColumn] },
  normalize,
  applyDefaults,
  check,
  // A configuration Go could not decode never reaches the CRD's rules.
  crdRules: (resource) => (unreadableDurations(resource.spec ?? {}).length > 0 ? [] : celErrors(resource)),
}
