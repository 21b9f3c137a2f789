/**
 * Go's net/netip prefix parsing, for what the Kubernetes CEL library's `cidr()` says about a string
 * it cannot read. The CRDs' CEL rules call `cidr(self.cidr)`; on a string netip.ParsePrefix refuses,
 * the rule does not fail but errors, and the API server (or libcalico-go's client-side copy of it)
 * reports `<error> evaluating rule: <message>`. The error texts here are Go's.
 */
import { goQuote } from '../go-quote.js'


/** A parsed address: its family, whether it is an IPv4-mapped IPv6 one, and whether it had a zone. */
interface Addr {
  is6: boolean
  is4In6: boolean
  zone: string
}

class AddrError {
  constructor(
    readonly input: string,
    readonly msg: string,
    readonly at = '',
  ) {}

  toString(): string {
    return `ParseAddr(${goQuote(this.input)}): ${this.msg}${this.at ? ` (at ${goQuote(this.at)})` : ''}`
  }
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9'

/** The four dotted fields of `part` (a piece of `input`), or netip's complaint about them. */
function parseIPv4Fields(input: string, part: string): number[] | AddrError {
  const fields: number[] = []
  let value = 0
  let digits = 0
  for (let i = 0; i < part.length; i++) {
    const c = part[i]
    if (isDigit(c)) {
      if (digits === 1 && value === 0) return new AddrError(input, 'IPv4 field has octet with leading zero')
      value = value * 10 + Number(c)
      digits++
      if (value > 255) return new AddrError(input, 'IPv4 field has value >255')
    } else if (c === '.') {
      if (i === 0 || i === part.length - 1 || part[i - 1] === '.') return new AddrError(input, 'IPv4 field must have at least one digit', part.slice(i))
      if (fields.length === 3) return new AddrError(input, 'IPv4 address too long')
      fields.push(value)
      value = 0
      digits = 0
    } else {
      return new AddrError(input, 'unexpected character', part.slice(i))
    }
  }
  if (fields.length < 3) return new AddrError(input, 'IPv4 address too short')
  return [...fields, value]
}

const hexValue = (c: string | undefined): number | undefined => (c !== undefined && /^[0-9a-fA-F]$/.test(c) ? parseInt(c, 16) : undefined)

function parseIPv6(input: string): Addr | AddrError {
  let s = input
  let zone = ''
  const percent = s.indexOf('%')
  if (percent >= 0) {
    zone = s.slice(percent + 1)
    s = s.slice(0, percent)
    if (zone === '') return new AddrError(input, 'zone must be a non-empty string')
  }
  const bytes: number[] = new Array<number>(16).fill(0)
  let ellipsis = -1
  if (s.startsWith('::')) {
    ellipsis = 0
    s = s.slice(2)
    if (s === '') return { is6: true, is4In6: false, zone }
  }
  let i = 0
  while (i < 16) {
    let off = 0
    let acc = 0
    for (; off < s.length; off++) {
      const v = hexValue(s[off])
      if (v === undefined) break
      acc = acc * 16 + v
      if (off > 3) return new AddrError(input, 'each group must have 4 or less digits', s)
      if (acc > 0xffff) return new AddrError(input, 'IPv6 field has value >=2^16', s)
    }
    if (off === 0) return new AddrError(input, 'each colon-separated field must have at least one digit', s)
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12) return new AddrError(input, 'embedded IPv4 address must replace the final 2 fields of the address', s)
      if (i + 4 > 16) return new AddrError(input, 'too many hex fields to fit an embedded IPv4 at the end of the address', s)
      const v4 = parseIPv4Fields(input, s)
      if (v4 instanceof AddrError) return v4
      bytes.splice(i, 4, ...v4)
      s = ''
      i += 4
      break
    }
    bytes[i] = acc >> 8
    bytes[i + 1] = acc & 0xff
    i += 2
    s = s.slice(off)
    if (s === '') break
    if (s[0] !== ':') return new AddrError(input, 'unexpected character, want colon', s)
    if (s.length === 1) return new AddrError(input, 'colon must be followed by more characters', s)
    s = s.slice(1)
    if (s[0] === ':') {
      if (ellipsis >= 0) return new AddrError(input, 'multiple :: in address', s)
      ellipsis = i
      s = s.slice(1)
      if (s === '') break
    }
  }
  if (s !== '') return new AddrError(input, 'trailing garbage after address', s)
  if (i < 16) {
    if (ellipsis < 0) return new AddrError(input, 'address string too short')
    const n = 16 - i
    bytes.splice(ellipsis, 0, ...new Array<number>(n).fill(0))
    bytes.length = 16
  } else if (ellipsis >= 0) {
    return new AddrError(input, 'the :: must expand to at least one field of zeros')
  }
  const is4In6 = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff
  return { is6: true, is4In6, zone }
}

/** netip.ParseAddr. */
function parseAddr(s: string): Addr | AddrError {
  for (const c of s) {
    if (c === '.') {
      const v4 = parseIPv4Fields(s, s)
      return v4 instanceof AddrError ? v4 : { is6: false, is4In6: false, zone: '' }
    }
    if (c === ':') return parseIPv6(s)
    if (c === '%') return new AddrError(s, 'missing IPv6 address')
  }
  return new AddrError(s, 'unable to parse IP')
}

/** netip.ParsePrefix's error for `s` (`netip.ParsePrefix("10.0.0.1"): no '/'`), or undefined when it parses. */
export function netipPrefixError(s: string): string | undefined {
  const fail = (msg: string) => `netip.ParsePrefix(${goQuote(s)}): ${msg}`
  const slash = s.lastIndexOf('/')
  if (slash < 0) return fail("no '/'")
  const addr = parseAddr(s.slice(0, slash))
  if (addr instanceof AddrError) return fail(addr.toString())
  if (addr.is6 && addr.zone !== '') return fail('IPv6 zones cannot be present in a prefix')
  const bits = s.slice(slash + 1)
  // strconv.Atoi takes a sign and leading zeros; ParsePrefix wants neither.
  const atoiFails = !/^[0-9]+$/.test(bits) || BigInt(bits) > 9223372036854775807n
  if ((bits.length > 1 && !(bits[0] >= '1' && bits[0] <= '9')) || atoiFails) return fail(`bad bits after slash: ${goQuote(bits)}`)
  if (Number(bits) > (addr.is6 ? 128 : 32)) return fail('prefix length out of range')
  return undefined
}

/**
 * What the CEL library's `cidr(<string>)` fails with, as the rule's evaluation error; undefined when
 * the string is a CIDR it takes (an IPv4-mapped IPv6 address it refuses).
 */
export function celCidrError(s: string): string | undefined {
  const prefix = 'network address parse error during conversion from string: '
  const error = netipPrefixError(s)
  if (error) return `${prefix}${prefix}${error}`
  const addr = parseAddr(s.slice(0, s.lastIndexOf('/'))) as Addr
  return addr.is4In6 ? `${prefix}IPv4-mapped IPv6 address ${goQuote(s)} is not allowed` : undefined
}

/** What the CEL library's `ip(<string>)` fails with, as a rule's evaluation error; undefined when it takes the string. */
export function celIPError(s: string): string | undefined {
  const addr = parseAddr(s)
  if (addr instanceof AddrError) return `IP Address ${goQuote(s)} parse error during conversion from string: ${addr.toString()}`
  if (addr.zone !== '') return `IP address ${goQuote(s)} with zone value is not allowed`
  return addr.is4In6 ? `IPv4-mapped IPv6 address ${goQuote(s)} is not allowed` : undefined
}
