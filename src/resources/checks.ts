import type { FieldError } from '../errors.js'
import { ipToBigInt, parseCidr } from '../net/cidr.js'
import { parseSelector, validateSelector } from '../selector/index.js'
import type { Resource } from './types.js'

/** Reason text of a failed struct-tag check, exactly as libcalico-go's validator words it (trailing space included). */
export function tagReason(field: string, tag: string): string {
  return `Reason: failed to validate Field: ${field} because of Tag: ${tag} `
}

export function checkSelectorField(
  value: unknown,
  field: string,
  options: { globalReason?: string } = {},
): FieldError[] {
  if (typeof value !== 'string' || value === '') return []
  if (validateSelector(value) !== undefined) return [{ name: field, value, reason: tagReason(field, 'selector') }]
  if (options.globalReason && parseSelector(value).usesGlobal()) return [{ name: 'spec', reason: options.globalReason }]
  return []
}

const DNS1123_SUBDOMAIN = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const QUALIFIED_PREFIX = new RegExp(`^${DNS1123_SUBDOMAIN}$`)

const MAX_NAME = 253

function checkName(name: string): FieldError[] {
  const errors: FieldError[] = []
  const bytes = Buffer.byteLength(name)
  if (bytes > MAX_NAME) errors.push({ name: 'Metadata.Name', value: name, reason: `name is too long by ${bytes - MAX_NAME} bytes` })
  // An empty name fails too: the typed clients validate before resources.Create looks for a name.
  if (!QUALIFIED_PREFIX.test(name))
    errors.push({ name: 'Metadata.Name', value: name, reason: `name must consist of lower case alphanumeric characters, '-' or '.' (regex: ${DNS1123_SUBDOMAIN})` })
  return errors
}

/** Metadata rules shared by every kind (validateObjectMeta); some kinds' validators add their own name rules. */
export function checkMetadata(resource: Resource): FieldError[] {
  return [...checkName(resource.metadata.name ?? ''), ...checkLabelsAndAnnotations(resource.metadata)]
}

/**
 * validateObjectMeta's label and annotation rules, which several validators apply to other maps too:
 * one field error per message of apimachinery's IsQualifiedName and IsValidLabelValue, as upstream
 * reports each.
 */
export function checkLabelsAndAnnotations(metadata: { labels?: Record<string, string>; annotations?: Record<string, string> }): FieldError[] {
  const errors: FieldError[] = []
  for (const [key, value] of Object.entries(metadata.labels ?? {})) {
    for (const reason of qualifiedNameProblems(key)) errors.push({ name: 'Metadata.Labels (label)', value: key, reason })
    for (const reason of labelValueProblems(value)) errors.push({ name: 'Metadata.Labels (value)', value, reason })
  }
  for (const key of Object.keys(metadata.annotations ?? {})) {
    for (const reason of qualifiedNameProblems(key.toLowerCase())) errors.push({ name: 'Metadata.Annotations (key)', value: key, reason })
  }
  return errors
}

/** apimachinery's RegexError: the rule, examples, then the regex. */
const regexError = (rule: string, regex: string, ...examples: string[]) => `${rule} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${regex}')`
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'
const QUALIFIED_NAME_RULE = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
const maxLength = (n: number) => `must be no more than ${n} characters`

/** apimachinery's IsQualifiedName (v0.33): every message, in its order; none when valid. */
function qualifiedNameProblems(key: string): string[] {
  const parts = key.split('/')
  if (parts.length > 2)
    return [`a qualified name ${regexError(QUALIFIED_NAME_RULE, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`]
  const problems: string[] = []
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]]
  if (prefix === '') problems.push('prefix part must be non-empty')
  else if (prefix !== undefined) {
    // IsDNS1123Subdomain
    if (prefix.length > 253) problems.push(`prefix part ${maxLength(253)}`)
    if (!QUALIFIED_PREFIX.test(prefix))
      problems.push(
        `prefix part ${regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN, 'example.com')}`,
      )
  }
  if (name.length === 0) problems.push('name part must be non-empty')
  else if (name.length > 63) problems.push(`name part ${maxLength(63)}`)
  if (!LABEL_NAME.test(name)) problems.push(`name part ${regexError(QUALIFIED_NAME_RULE, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`)
  return problems
}

/** apimachinery's IsValidLabelValue: at most 63 characters, and empty or a qualified name. */
function labelValueProblems(value: string): string[] {
  const problems: string[] = []
  if (value.length > 63) problems.push(maxLength(63))
  if (value !== '' && !LABEL_NAME.test(value))
    problems.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        `(${QUALIFIED_NAME_FMT})?`,
        'MyValue',
        'my_value',
        '12345',
      ),
    )
  return problems
}

export function isIPv4(value: unknown): boolean {
  return typeof value === 'string' && ipToBigInt(value)?.family === 4
}

export function isIPv6(value: unknown): boolean {
  return typeof value === 'string' && ipToBigInt(value)?.family === 6
}

/** net.ParseIP's version as Go sees it: an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is IPv4 (To4() != nil). */
export function goIPVersion(value: unknown): 4 | 6 | undefined {
  const ip = typeof value === 'string' ? ipToBigInt(value) : undefined
  if (!ip) return undefined
  return ip.family === 6 && ip.value >> 32n === 0xffffn ? 4 : ip.family
}

/** cnet.ParseCIDROrIP: the version of the address of an address or CIDR (host bits allowed), or undefined. */
export function goCidrOrIPVersion(value: unknown): 4 | 6 | undefined {
  if (typeof value !== 'string') return undefined
  const slash = value.indexOf('/')
  if (slash >= 0 && !parseCidr(value)) return undefined
  return goIPVersion(slash >= 0 ? value.slice(0, slash) : value)
}

/** The `ipv4`/`ipv6` tags. */
export const isGoIPv4 = (value: unknown): boolean => goIPVersion(value) === 4
export const isGoIPv6 = (value: unknown): boolean => goIPVersion(value) === 6

/** The `net` tag: an address, or a CIDR without host bits. */
export function isMaskedNetwork(value: unknown): boolean {
  if (typeof value !== 'string') return false
  const cidr = parseCidr(value)
  return cidr ? !cidr.hadHostBits : ipToBigInt(value) !== undefined
}

/** `cidrv4`/`cidrv6` tags: an address with a prefix length (host bits allowed, e.g. a node's 10.0.0.1/24). */
export function isCidrOfFamily(value: unknown, family: 4 | 6): boolean {
  return typeof value === 'string' && parseCidr(value)?.family === family
}

/**
 * AS numbers are uint32, given as a number or a string; strings may use asdot `X.Y`.
 * Returns the numeric value or undefined when the text is not an AS number.
 */
export function parseASNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 0xffffffff ? value : undefined
  if (typeof value !== 'string') return undefined
  const dot = /^(\d+)\.(\d+)$/.exec(value)
  if (dot) {
    const [high, low] = [Number(dot[1]), Number(dot[2])]
    return high <= 0xffff && low <= 0xffff ? high * 65536 + low : undefined
  }
  if (!/^\d+$/.test(value)) return undefined
  const n = Number(value)
  return n <= 0xffffffff ? n : undefined
}

/** Stores a parseable AS number as a plain number, as upstream prints it (asdot `1.10` -> 65546). */
export function normalizeASNumber(spec: Record<string, unknown> | undefined, field: string): void {
  const n = spec && spec[field] !== undefined ? parseASNumber(spec[field]) : undefined
  if (spec && n !== undefined) spec[field] = n
}

export function checkASNumber(spec: Record<string, unknown> | undefined, field: string, goName: string): FieldError[] {
  if (!spec || spec[field] === undefined || parseASNumber(spec[field]) !== undefined) return []
  return [{ name: goName, value: spec[field], reason: `invalid AS Number format (${String(spec[field])})` }]
}
