/**
 * Semantic checks of policy and profile rules, as libcalico-go reports them: the Go validator
 * (struct tags, validateRule, validateEntityRule, validatePort, validateProtocol) and the CEL rules
 * of the policy CRDs, which the v3 client also enforces. Ports and protocols are read the way
 * numorstring decodes them, so values print as upstream prints them.
 */
import type { FieldError } from '../errors.js'
import { ipToBigInt, parseCidr } from '../net/cidr.js'
import { tokenize } from '../selector/tokenizer.js'
import { checkLabelsAndAnnotations, checkSelectorField, tagReason } from './checks.js'
import { decodePort, type Port } from './ports.js'

export type Json = Record<string, unknown>

export const asObject = (v: unknown): Json | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined
export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
export const asText = (v: unknown): string => (typeof v === 'string' ? v : '')
/** Set in the sense of a Go pointer or CEL `has()`: absent and null are unset. */
const isSet = (v: unknown): boolean => v !== undefined && v !== null

export const GLOBAL_SELECTOR_REASON = 'global() can only be used in an EntityRule namespaceSelector'

/** The Go `name` tag and the subdomain pattern it uses. */
export const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

/** Go's `%v` of a string slice. */
export const goList = (items: unknown[]): string => `[${items.map(String).join(' ')}]`

export function tagError(field: string, value: unknown, tag: string): FieldError {
  return { name: field, value: typeof value === 'string' ? value : String(value), reason: tagReason(field, tag) }
}

// ---------------------------------------------------------------------------------------------
// Ports and protocols as numorstring decodes them.

function portsOf(value: unknown): Port[] {
  return asList(value)
    .map(decodePort)
    .filter((p): p is Port => p !== undefined && !('error' in p))
}

const portText = (p: Port): string => ('name' in p ? p.name : p.min === p.max ? String(p.min) : `${p.min}:${p.max}`)
const portsText = (ports: Port[]): string => goList(ports.map(portText))

/** A protocol given as a decimal string within 0-255 decodes to that number. */
function protocolNumber(p: unknown): number | undefined {
  if (typeof p === 'number') return p
  return typeof p === 'string' && /^\d+$/.test(p) && Number(p) <= 255 ? Number(p) : undefined
}

function supportsPorts(p: unknown): boolean {
  const n = protocolNumber(p)
  if (n !== undefined) return n === 6 || n === 17 || n === 132
  return ['TCP', 'UDP', 'tcp', 'udp', 'SCTP', 'sctp'].includes(asText(p))
}

/** Rewrites ports and protocols into the form upstream stores and prints (numbers where they decode as such). */
export function normalizeRule(rule: Json): void {
  for (const field of ['protocol', 'notProtocol']) {
    const n = protocolNumber(rule[field])
    if (n !== undefined) rule[field] = n
  }
  for (const side of ['source', 'destination']) {
    const entity = asObject(rule[side])
    for (const field of ['ports', 'notPorts']) {
      if (!entity || !Array.isArray(entity[field])) continue
      entity[field] = (entity[field] as unknown[]).map((value) => {
        const port = decodePort(value)
        if (!port || 'error' in port) return value
        return 'name' in port ? port.name : port.min === port.max ? port.min : portText(port)
      })
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Go validator.

const PORTS_REASON = 'rules that specify ports must set protocol to TCP or UDP or SCTP'
const NUMERIC_PORTS_REASON = 'rules with numeric port or port range must set protocol to TCP or UDP or SCTP'

/** Kubernetes IsValidPortName, the `portName` tag. */
export function isValidPortName(name: string): boolean {
  return name.length <= 15 && /^[-a-z0-9]+$/.test(name) && /[a-z]/.test(name) && !name.includes('--') && !name.startsWith('-') && !name.endsWith('-')
}

/** The `net` tag: an IP, or a CIDR without host bits. */
function isMaskedNet(value: unknown): boolean {
  if (typeof value !== 'string') return false
  const cidr = parseCidr(value)
  return cidr ? !cidr.hadHostBits : ipToBigInt(value) !== undefined
}

function checkProtocol(p: unknown): FieldError[] {
  if (!isSet(p)) return []
  const n = protocolNumber(p)
  if (n !== undefined) return n === 0 ? [{ name: 'Protocol', value: '0', reason: 'protocol number invalid' }] : []
  const name = String(p)
  return /^(TCP|UDP|ICMP|ICMPv6|SCTP|UDPLite)$/.test(name) ? [] : [{ name: 'Protocol', value: name, reason: 'protocol name invalid' }]
}

function checkPortFields(value: unknown): FieldError[] {
  return portsOf(value).flatMap((port): FieldError[] => {
    if ('name' in port) return isValidPortName(port.name) ? [] : [tagError('PortName', port.name, 'portName')]
    return port.min < 1 ? [{ name: 'Port', value: String(port.min), reason: 'port range invalid, port number must be between 1 and 65535' }] : []
  })
}

/** Go's `%v` of a *ServiceMatch. */
export const serviceText = (s: Json): string => `&{${asText(s.name)} ${asText(s.namespace)}}`

/** Field tags of an EntityRule, then validateEntityRule. */
function checkEntity(entity: Json): FieldError[] {
  const errors: FieldError[] = []
  asList(entity.nets).forEach((n, i) => isMaskedNet(n) || errors.push(tagError(`Nets[${i}]`, n, 'net')))
  errors.push(...checkSelectorField(entity.selector, 'Selector'), ...checkSelectorField(entity.namespaceSelector, 'NamespaceSelector'))
  const services = asObject(entity.services)
  for (const [field, goName] of [['name', 'Name'], ['namespace', 'Namespace']]) {
    const value = asText(services?.[field])
    if (value && !NAME_PATTERN.test(value)) errors.push(tagError(goName, value, 'name'))
  }
  errors.push(...checkPortFields(entity.ports))
  asList(entity.notNets).forEach((n, i) => isMaskedNet(n) || errors.push(tagError(`NotNets[${i}]`, n, 'net')))
  errors.push(...checkSelectorField(entity.notSelector, 'NotSelector'), ...checkPortFields(entity.notPorts))
  errors.push(...checkSelectorField(asObject(entity.serviceAccounts)?.selector, 'Selector'))

  // global() in a selector and the services rules are the CRD's (celEntity), not the Go validator's.
  const namespaceSelector = asText(entity.namespaceSelector)
  if (namespaceSelector.includes('global(') && namespaceSelector !== 'global()' && !isLoneGlobal(namespaceSelector))
    errors.push({ name: 'NamespaceSelector field', value: namespaceSelector, reason: 'global() cannot be combined with other selectors' })
  return errors
}

/** `global()` alone, give or take blanks. */
function isLoneGlobal(selector: string): boolean {
  try {
    const tokens = tokenize(selector)
    return tokens.length <= 2 && tokens[0].kind === 'Global'
  } catch {
    return false
  }
}

const httpPathText = (p: unknown): string => `{${asText(asObject(p)?.exact)} ${asText(asObject(p)?.prefix)}}`
export const httpText = (h: Json): string => `&{${goList(asList(h.methods))} [${asList(h.paths).map(httpPathText).join(' ')}]}`

function checkHTTP(http: Json | undefined): FieldError[] {
  if (!http) return []
  const errors: FieldError[] = []
  const methods = asList(http.methods).map(String)
  if (new Set(methods).size !== methods.length)
    errors.push({ name: 'Methods', value: goList(methods), reason: `Invalid methods (duplicates): ${goList(methods)}` })
  const paths = asList(http.paths).map((p) => asObject(p) ?? {})
  const pathProblem = paths.map((p): string | undefined => {
    const [exact, prefix] = [asText(p.exact), asText(p.prefix)]
    if (exact && prefix) return "Invalid path match. Both 'exact' and 'prefix' are set"
    const v = exact || prefix
    if (!v) return "Invalid path match. Either 'exact' or 'prefix' must be set"
    if (!v.startsWith('/') || /[? #]/.test(v)) return `Invalid path ${v}. (must start with \`/\` and not contain \`?\` or \`#\``
    return undefined
  }).find((p) => p !== undefined)
  if (pathProblem) errors.push({ name: 'Paths', value: `[${paths.map(httpPathText).join(' ')}]`, reason: pathProblem })
  return errors
}

const ANNOTATIONS_LIMIT = 256 * 1024

/** validateObjectMetaAnnotations: the keys, then the total size. */
export function checkAnnotations(annotations: unknown): FieldError[] {
  const map = asObject(annotations) as Record<string, string> | undefined
  if (!map) return []
  const errors = checkLabelsAndAnnotations({ annotations: map })
  const size = Object.entries(map).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0)
  if (size > ANNOTATIONS_LIMIT)
    errors.push({ name: 'Metadata.Annotations (key)', value: goMap(map), reason: `total size of annotations is too large by ${size - ANNOTATIONS_LIMIT} bytes` })
  return errors
}

/** Go's `%v` of a map[string]string: keys sorted. */
export const goMap = (map: Record<string, unknown>): string =>
  `map[${Object.keys(map).sort().map((k) => `${k}:${String(map[k])}`).join(' ')}]`

/** The `gte=0,lte=254` (type) and `gte=0,lte=255` (code) tags of ICMPFields. */
function checkICMP(icmp: Json | undefined): FieldError[] {
  if (!icmp) return []
  const errors: FieldError[] = []
  for (const [field, goName, max] of [['type', 'Type', 254], ['code', 'Code', 255]] as const) {
    const n = icmp[field]
    if (typeof n !== 'number') continue
    if (n < 0) errors.push(tagError(goName, n, 'gte'))
    else if (n > max) errors.push(tagError(goName, n, 'lte'))
  }
  return errors
}

/** The Go validator's findings for one Rule, in the order it reports them. */
export function checkRule(rule: Json): FieldError[] {
  const source = asObject(rule.source) ?? {}
  const destination = asObject(rule.destination) ?? {}
  const errors: FieldError[] = [
    ...checkProtocol(rule.protocol),
    ...checkICMP(asObject(rule.icmp)),
    ...checkProtocol(rule.notProtocol),
    ...checkICMP(asObject(rule.notICMP)),
    ...checkEntity(source),
    ...checkEntity(destination),
    ...checkHTTP(asObject(rule.http)),
    ...checkAnnotations(asObject(rule.metadata)?.annotations),
  ]

  const portFields: [string, Port[]][] = [
    ['Source.Ports', portsOf(source.ports)],
    ['Source.NotPorts', portsOf(source.notPorts)],
    ['Destination.Ports', portsOf(destination.ports)],
    ['Destination.NotPorts', portsOf(destination.notPorts)],
  ]
  for (const [field, ports] of portFields) {
    if (!isSet(rule.protocol) && ports.some((p) => !('name' in p)))
      errors.push({ name: field, value: portsText(ports), reason: NUMERIC_PORTS_REASON })
    else if (isSet(rule.protocol) && !supportsPorts(rule.protocol) && ports.length > 0)
      errors.push({ name: field, value: portsText(ports), reason: PORTS_REASON })
  }

  errors.push(...checkNetFamilies(rule, source, destination))
  return errors
}

/** Each nets field must parse, fit the rule's ipVersion, and agree with the others on the family. */
function checkNetFamilies(rule: Json, source: Json, destination: Json): FieldError[] {
  const errors: FieldError[] = []
  const ipVersion = rule.ipVersion
  let [seenV4, seenV6] = [false, false]
  const fields: [string, unknown[]][] = [
    ['Source.Nets', asList(source.nets)],
    ['Source.NotNets', asList(source.notNets)],
    ['Destination.Nets', asList(destination.nets)],
    ['Destination.NotNets', asList(destination.notNets)],
  ]
  for (const [field, nets] of fields) {
    let [v4, v6] = [false, false]
    for (const n of nets) {
      // Unlike the `net` tag, this check wants a prefix length: plain addresses fail here.
      const cidr = typeof n === 'string' ? parseCidr(n) : undefined
      if (!cidr) {
        errors.push({ name: field, value: String(n), reason: 'invalid CIDR' })
        continue
      }
      v4 ||= cidr.family === 4
      v6 ||= cidr.family === 6
      const catchAll = cidr.family === 4 ? n === '0.0.0.0/0' : cidr.prefix === 0 && cidr.network === 0n
      if (field.endsWith('NotNets') && catchAll)
        errors.push({ name: field, value: String(n), reason: 'catch-all CIDR in negation creates logical contradiction (matches no traffic)' })
    }
    if (isSet(ipVersion) && ((v4 && ipVersion !== 4) || (v6 && ipVersion !== 6)))
      // Upstream shows the source nets here whichever field is at fault.
      errors.push({ name: field, value: goList(asList(source.nets)), reason: "rule IP version doesn't match CIDR version" })
    if ((v4 && seenV6) || (v6 && seenV4) || (v4 && v6))
      errors.push({ name: field, value: goList(nets), reason: 'rule contains both IPv4 and IPv6 CIDRs' })
    seenV4 ||= v4
    seenV6 ||= v6
  }
  return errors
}

// ---------------------------------------------------------------------------------------------
// CEL rules of the policy CRDs (Rule, EntityRule, ICMPFields). Their errors name the CRD field path.

const isProtocol = (p: unknown, name: string, number: number): boolean => p === name || p === number

function celEntity(entity: Json | undefined, path: string): FieldError[] {
  if (!entity) return []
  const reasons: string[] = []
  const filled = (v: unknown) => (Array.isArray(v) ? v.length > 0 : asText(v) !== '')
  if (asText(entity.selector).includes('global(')) reasons.push(GLOBAL_SELECTOR_REASON)
  const services = asObject(entity.services)
  if (services) {
    if (filled(entity.namespaceSelector)) reasons.push('cannot specify NamespaceSelector and Services on the same rule')
    if (isSet(entity.serviceAccounts)) reasons.push('cannot specify ServiceAccounts and Services on the same rule')
    // An empty name is dropped when the policy is encoded, so the rule fails to evaluate rather than fails.
    if (!asText(services.name)) reasons.push('no such key: name evaluating rule: services must specify a service name')
    if (filled(entity.selector) || filled(entity.notSelector)) reasons.push('cannot specify Selector/NotSelector and Services on the same rule')
    if (filled(entity.nets) || filled(entity.notNets)) reasons.push('cannot specify Nets/NotNets and Services on the same rule')
  }
  return reasons.map((reason) => ({ name: path, reason }))
}

function celICMP(icmp: Json | undefined, path: string): FieldError[] {
  return icmp && isSet(icmp.code) && !isSet(icmp.type) ? [{ name: path, reason: 'ICMP code specified without an ICMP type' }] : []
}

/** CEL findings for the rule at `path` (e.g. `spec.ingress[0]`), then for its parts. */
export function celRule(rule: Json, path: string): FieldError[] {
  const { protocol, notProtocol, ipVersion } = rule
  const destination = asObject(rule.destination)
  const reasons: string[] = []
  if (isSet(rule.http) && isSet(protocol) && !isProtocol(protocol, 'TCP', 6)) reasons.push('rules with HTTP match must have protocol TCP or unset')
  if (rule.action !== 'Allow' && isSet(rule.http)) reasons.push('HTTP match is only valid on Allow rules')
  if (destination && isSet(destination.services) && (asList(destination.ports).length > 0 || asList(destination.notPorts).length > 0))
    reasons.push('ports and notPorts cannot be specified with services')
  if (isSet(rule.icmp) && !(isProtocol(protocol, 'ICMP', 1) || isProtocol(protocol, 'ICMPv6', 58)))
    reasons.push('ICMP fields require protocol to be ICMP or ICMPv6')
  for (const p of [protocol, notProtocol]) {
    if (isProtocol(p, 'ICMP', 1) && isSet(ipVersion) && ipVersion !== 4) reasons.push('protocol ICMP requires ipVersion 4')
    if (isProtocol(p, 'ICMPv6', 58) && isSet(ipVersion) && ipVersion !== 6) reasons.push('protocol ICMPv6 requires ipVersion 6')
  }
  return [
    ...reasons.map((reason) => ({ name: path, reason })),
    ...celEntity(asObject(rule.source), `${path}.source`),
    ...celEntity(destination, `${path}.destination`),
    ...celICMP(asObject(rule.icmp), `${path}.icmp`),
    ...celICMP(asObject(rule.notICMP), `${path}.notICMP`),
  ]
}
