/**
 * Semantic checks of a WorkloadEndpoint spec, as libcalico-go's v3 validator reports them. The
 * validator walks WorkloadEndpointSpec in field order, checking struct tags and, inside each IPNAT
 * and port, that struct's own checks (validateIPNAT, validateProtocol, validateWorkloadEndpointPort);
 * validateWorkloadEndpointSpec runs last.
 *
 * Upstream dereferences a nil address in a few places when one does not parse (an ipNetworks entry,
 * a gateway, a NAT address), and calicoctl crashes there. These checks stop at the same point and
 * return what upstream had found before it.
 */
import type { FieldError } from '../errors.js'
import { ipToBigInt, parseCidr } from '../net/cidr.js'
import { decodeProtocol, protocolSupportsPorts } from './ports.js'
import { NAME_PATTERN, asList, asObject, asText, goList, isValidPortName, tagError, type Json } from './rule-checks.js'
import type { Resource } from './types.js'

// ---------------------------------------------------------------------------------------------
// Addresses as Go reads them.

/**
 * A CIDR or plain address as cnet.ParseCIDROrIP returns it. Go takes IPv4-mapped IPv6 addresses
 * (::ffff:a.b.c.d) for IPv4, so those are kept in IPv4 form.
 */
interface GoNet {
  /** Version of the address as written (cnet.IP.Version). */
  ipVersion: 4 | 6
  /** Version, network address and prefix length of the network, in that version's bits. */
  version: 4 | 6
  network: bigint
  prefix: number
  /** The mask covers every bit: a single address. */
  single: boolean
  /** The address had bits set outside the mask. */
  hostBits: boolean
}

/** Go reads '' as a nil address without error: its own case everywhere. */
type Parsed = GoNet | 'empty' | undefined

const isMapped = (family: 4 | 6, value: bigint): boolean => family === 6 && value >> 32n === 0xffffn

function parseGoNet(text: string): Parsed {
  if (text === '') return 'empty'
  const slash = text.indexOf('/')
  const address = ipToBigInt(slash < 0 ? text : text.slice(0, slash))
  const cidr = slash < 0 ? undefined : parseCidr(text)
  if (!address || (slash >= 0 && !cidr)) return undefined
  const bits = address.family === 4 ? 32 : 128
  const prefix = cidr?.prefix ?? bits
  const network = cidr?.network ?? address.value
  // A masked network is only still IPv4-mapped when its prefix is at least 96.
  const mapped = isMapped(address.family, network)
  return {
    ipVersion: isMapped(address.family, address.value) ? 4 : address.family,
    version: mapped ? 4 : address.family,
    network: mapped ? network & 0xffffffffn : network,
    prefix: mapped ? prefix - 96 : prefix,
    single: prefix === bits,
    hostBits: cidr?.hadHostBits ?? false,
  }
}

/** net.IPNet.Contains for the address of `ip` (its network address, when it is a CIDR). */
function contains(net: Parsed, ip: Parsed): boolean {
  // A nil network and a nil address compare as equal (both zero-length).
  if (net === 'empty' || ip === 'empty') return net === ip
  if (!net || !ip || net.version !== ip.version) return false
  const shift = BigInt((net.version === 4 ? 32 : 128) - net.prefix)
  return net.network >> shift === ip.network >> shift
}

/** The `net` tag: an address, or a network without host bits. */
const isMaskedNet = (text: string): boolean => {
  const parsed = parseGoNet(text)
  return parsed !== undefined && (parsed === 'empty' || !parsed.hostBits)
}

/** net.ParseIP, with the version Go gives the result (To4() != nil is IPv4). */
function goIPVersion(text: string): 4 | 6 | undefined {
  const ip = ipToBigInt(text)
  return ip && (isMapped(ip.family, ip.value) ? 4 : ip.family)
}

/** net.ParseMAC: 6, 8 or 20 octets written `xx:xx:…`, `xx-xx-…` or `xxxx.xxxx.…`. */
export function isMAC(text: string): boolean {
  if (text.length < 14) return false
  const groups = (separator: string, digits: number, counts: number[]) => {
    const parts = text.split(separator)
    return counts.includes(parts.length) && parts.every((p) => new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(p))
  }
  if (text[2] === ':' || text[2] === '-') return groups(text[2], 2, [6, 8, 20])
  return text[4] === '.' && groups('.', 4, [3, 4, 10])
}

const CONTAINER_ID = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/
const INTERFACE = /^[a-zA-Z0-9_.-]{1,15}$/

// ---------------------------------------------------------------------------------------------
// Struct tags and struct-level checks, in the validator's order.

/** String fields with `omitempty` and a name-like tag, in struct order. */
const IDENTIFIERS: [field: string, goName: string, tag: string, pattern: RegExp][] = [
  ['orchestrator', 'Orchestrator', 'name', NAME_PATTERN],
  ['workload', 'Workload', 'name', NAME_PATTERN],
  ['node', 'Node', 'name', NAME_PATTERN],
  ['containerID', 'ContainerID', 'containerID', CONTAINER_ID],
  ['pod', 'Pod', 'name', NAME_PATTERN],
  ['endpoint', 'Endpoint', 'name', NAME_PATTERN],
  ['serviceAccountName', 'ServiceAccountName', 'name', NAME_PATTERN],
]

/** Go's `%v` of the IPNATs slice. */
const natsText = (nats: Json[]): string => `[${nats.map((n) => `{${asText(n.internalIP)} ${asText(n.externalIP)}}`).join(' ')}]`

/** One IPNAT's tags, then validateIPNAT; false where upstream crashes (an address that does not parse). */
function checkNat(nat: Json, errors: FieldError[]): boolean {
  const [internal, external] = [asText(nat.internalIP), asText(nat.externalIP)]
  if (internal && goIPVersion(internal) === undefined) errors.push(tagError('InternalIP', internal, 'ip'))
  if (external && goIPVersion(external) === undefined) errors.push(tagError('ExternalIP', external, 'ip'))
  const [internalNet, externalNet] = [parseGoNet(internal), parseGoNet(external)]
  // Upstream names InternalIP and shows the external address for either failure.
  if (!internalNet) errors.push({ name: 'InternalIP', value: external, reason: 'invalid IP address' })
  if (!externalNet) errors.push({ name: 'InternalIP', value: external, reason: 'invalid IP address' })
  if (!internalNet || !externalNet) return false
  const version = (n: Parsed) => (n === 'empty' ? 0 : n?.ipVersion)
  if (version(internalNet) !== version(externalNet)) errors.push({ name: 'ExternalIP', value: external, reason: 'mismatched IP versions' })
  return true
}

/** One port's tags, validateProtocol on its protocol, then validateWorkloadEndpointPort. */
function checkPort(port: Json): FieldError[] {
  const errors: FieldError[] = []
  const name = asText(port.name)
  if (name && !isValidPortName(name)) errors.push(tagError('Name', name, 'portName'))
  const protocol = decodeProtocol(port.protocol)
  if (protocol === 0) errors.push({ name: 'Protocol', value: '0', reason: 'protocol number invalid' })
  if (typeof protocol === 'string' && !/^(TCP|UDP|ICMP|ICMPv6|SCTP|UDPLite)$/.test(protocol))
    errors.push({ name: 'Protocol', value: protocol, reason: 'protocol name invalid' })
  const number = Number(port.port ?? 0)
  if (!(number > 0)) errors.push(tagError('Port', number, 'gt'))
  const hostIP = asText(port.hostIP)
  if (hostIP && !isMaskedNet(hostIP)) errors.push(tagError('HostIP', hostIP, 'net'))
  if (!protocolSupportsPorts(protocol))
    errors.push({ name: 'WorkloadEndpointPort.Protocol', value: String(protocol), reason: 'WorkloadEndpointPort protocol does not support ports.' })
  if (!name && !Number(port.hostPort ?? 0))
    errors.push({ name: 'WorkloadEndpointPort.Name', value: '', reason: 'WorkloadEndpointPort name must not be empty if no HostPort is specified' })
  return errors
}

/** validateWorkloadEndpointSpec, which runs after every field check. */
function checkSpec(spec: Json, errors: FieldError[]): void {
  const networks = asList(spec.ipNetworks).map(asText)
  for (const network of networks) {
    const parsed = parseGoNet(network)
    if (!parsed) {
      errors.push({ name: 'IPNetworks', value: network, reason: 'invalid CIDR' })
      return
    }
    if (parsed !== 'empty' && !parsed.single) errors.push({ name: 'IPNetworks', value: goList(networks), reason: 'IP network contains multiple addresses' })
  }

  // Both gateways are parsed before either family is checked; each check crashes on its own failed parse.
  const [v4, v6] = [asText(spec.ipv4Gateway), asText(spec.ipv6Gateway)]
  const [v4gw, v6gw] = [parseGoNet(v4), parseGoNet(v6)]
  if (!v4gw) errors.push({ name: 'IPv4Gateway', value: v4, reason: 'invalid CIDR' })
  if (!v6gw) errors.push({ name: 'IPv6Gateway', value: v6, reason: 'invalid CIDR' })
  if (!v4gw) return
  if (v4gw !== 'empty' && v4gw.version !== 4) errors.push({ name: 'IPv4Gateway', value: v4, reason: 'invalid IPv4 gateway address specified' })
  if (!v6gw) return
  if (v6gw !== 'empty' && v6gw.version !== 6) errors.push({ name: 'IPv6Gateway', value: v6, reason: 'invalid IPv6 gateway address specified' })

  // Every NAT's internal address must lie in one of the networks; the first that does not ends the search.
  const nats = asList(spec.ipNATs).map((n) => asObject(n) ?? {})
  if (nats.length === 0) return
  const parsedNetworks = networks.map(parseGoNet)
  const allInside = nats.every((nat) => parsedNetworks.some((network) => contains(network, parseGoNet(asText(nat.internalIP)))))
  if (!allInside) errors.push({ name: 'IPNATs', value: natsText(nats), reason: 'NAT is not in the endpoint networks' })
}

/** Upstream's validation findings for a WorkloadEndpoint's spec, in upstream's order. */
export function checkWorkloadEndpoint(resource: Resource): FieldError[] {
  const spec: Json = resource.spec ?? {}
  const errors: FieldError[] = []
  for (const [field, goName, tag, pattern] of IDENTIFIERS) {
    const value = asText(spec[field])
    if (value && !pattern.test(value)) errors.push(tagError(goName, value, tag))
  }
  asList(spec.ipNetworks).forEach((n, i) => isMaskedNet(asText(n)) || errors.push(tagError(`IPNetworks[${i}]`, asText(n), 'net')))
  for (const nat of asList(spec.ipNATs)) if (!checkNat(asObject(nat) ?? {}, errors)) return errors

  const [v4, v6] = [asText(spec.ipv4Gateway), asText(spec.ipv6Gateway)]
  if (v4 && goIPVersion(v4) !== 4) errors.push(tagError('IPv4Gateway', v4, 'ipv4'))
  if (v6 && goIPVersion(v6) !== 6) errors.push(tagError('IPv6Gateway', v6, 'ipv6'))
  // Profile entries are checked even when empty: `omitempty` only covers the list.
  asList(spec.profiles).forEach((p, i) => NAME_PATTERN.test(asText(p)) || errors.push(tagError(`Profiles[${i}]`, asText(p), 'name')))
  // InterfaceName has no `omitempty`: an endpoint without one fails.
  const iface = asText(spec.interfaceName)
  if (iface !== '*' && !INTERFACE.test(iface)) errors.push(tagError('InterfaceName', iface, 'interface'))
  const mac = asText(spec.mac)
  if (mac && !isMAC(mac)) errors.push(tagError('MAC', mac, 'mac'))
  for (const port of asList(spec.ports)) errors.push(...checkPort(asObject(port) ?? {}))
  asList(spec.allowSpoofedSourcePrefixes).forEach(
    (p, i) => parseGoNet(asText(p)) !== undefined || errors.push(tagError(`AllowSpoofedSourcePrefixes[${i}]`, asText(p), 'cidr')),
  )

  checkSpec(spec, errors)
  return errors
}
