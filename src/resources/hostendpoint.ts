/**
 * HostEndpoint: the struct tags of HostEndpointSpec and EndpointPort, validateProtocol and
 * validateEndpointPort, then the CRD's schema and CEL rules (which replaced the old Go check that
 * an interface or addresses are given), in the order libcalico-go's Validate reports them.
 */
import type { FieldError } from '../errors.js'
import { ipToBigInt } from '../net/cidr.js'
import { specListColumn } from './columns.js'
import { nameColumn, specField, type KindDefinition } from './kind.js'
import { decodeProtocol, protocolSupportsPorts } from './ports.js'
import { NAME_PATTERN, asList, asObject, asText, isValidPortName, tagError, type Json } from './rule-checks.js'
import type { Resource } from './types.js'

const INTERFACE = /^[a-zA-Z0-9_.-]{1,15}$/

/** One EndpointPort: its tags, validateProtocol on the protocol, then validateEndpointPort. */
function checkPort(port: Json): FieldError[] {
  const errors: FieldError[] = []
  // `portName` has no omitempty: a port without a name fails too.
  const name = asText(port.name)
  if (!name || !isValidPortName(name)) errors.push(tagError('Name', name, 'portName'))
  const protocol = decodeProtocol(port.protocol)
  if (protocol === 0) errors.push({ name: 'Protocol', value: '0', reason: 'protocol number invalid' })
  if (typeof protocol === 'string' && !/^(TCP|UDP|ICMP|ICMPv6|SCTP|UDPLite)$/.test(protocol))
    errors.push({ name: 'Protocol', value: protocol, reason: 'protocol name invalid' })
  const number = typeof port.port === 'number' ? port.port : 0
  if (!(number > 0)) errors.push(tagError('Port', number, 'gt'))
  if (!protocolSupportsPorts(protocol))
    errors.push({ name: 'EndpointPort.Protocol', value: String(protocol), reason: 'EndpointPort protocol does not support ports.' })
  return errors
}

function check(resource: Resource): FieldError[] {
  const spec: Json = resource.spec ?? {}
  const errors: FieldError[] = []
  const node = asText(spec.node)
  if (node && !NAME_PATTERN.test(node)) errors.push(tagError('Node', node, 'name'))
  const iface = asText(spec.interfaceName)
  if (iface && iface !== '*' && !INTERFACE.test(iface)) errors.push(tagError('InterfaceName', iface, 'interface'))
  const ips = asList(spec.expectedIPs)
  ips.forEach((ip, i) => ipToBigInt(asText(ip)) || errors.push(tagError(`ExpectedIPs[${i}]`, asText(ip), 'ip')))
  asList(spec.profiles).forEach((p, i) => NAME_PATTERN.test(asText(p)) || errors.push(tagError(`Profiles[${i}]`, asText(p), 'name')))
  const ports = asList(spec.ports).map((p) => asObject(p) ?? {})
  for (const port of ports) errors.push(...checkPort(port))
  // The CRD's minimum port of 1 is the schema's (Go writes a missing port as 0).
  return errors
}

/** The CRD's CEL rules, reported against `spec`. */
function crdRules(resource: Resource): FieldError[] {
  const spec: Json = resource.spec ?? {}
  const errors: FieldError[] = []
  if (!asText(spec.interfaceName) && asList(spec.expectedIPs).length === 0)
    errors.push({ name: 'spec', reason: 'at least one of interfaceName or expectedIPs must be specified' })
  if (!asText(spec.node)) errors.push({ name: 'spec', reason: 'node must be specified' })
  return errors
}

/** Port protocols in the form numorstring stores: `"6"` is the number 6. */
function normalize(resource: Resource): void {
  for (const port of asList(resource.spec?.ports)) {
    const entry = asObject(port)
    if (entry?.protocol !== undefined && entry.protocol !== null) entry.protocol = decodeProtocol(entry.protocol)
  }
}

const nodeColumn = { header: 'NODE', value: (r: Resource) => asText(specField(r, 'node')) }

export const hostEndpoint: KindDefinition = {
  kind: 'HostEndpoint',
  plural: 'hostendpoints',
  names: ['hostendpoint', 'hostendpoints', 'hep', 'heps'],
  namespaced: false,
  schema: 'hostendpoint',
  columns: {
    ps: [nameColumn, nodeColumn],
    wide: [
      nameColumn,
      nodeColumn,
      { header: 'INTERFACE', value: (r) => asText(specField(r, 'interfaceName')) },
      specListColumn('IPS', 'expectedIPs'),
      specListColumn('PROFILES', 'profiles'),
    ],
  },
  normalize,
  check,
  crdRules,
}
