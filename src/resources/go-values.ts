/**
 * Go value types the config kinds share: metav1.Duration (time.ParseDuration on the way in,
 * time.Duration.String() on the way out: "90s" is stored as "1m30s"), regexp and CIDR-or-IP fields.
 */
import type { FieldError } from '../errors.js'
import { ipToBigInt, parseCidr } from '../net/cidr.js'
import type { Json } from './rule-checks.js'

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  'μs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
}
const LIMIT = 1n << 63n

/** Go's strconv.Quote for the texts durations are written in. */
const quote = (s: string): string => JSON.stringify(s)

/** Go's time.ParseDuration: the duration in nanoseconds, or Go's error text. */
export function parseGoDuration(text: string): bigint | { error: string } {
  const invalid = { error: `time: invalid duration ${quote(text)}` }
  let rest = text
  let negative = false
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-')
    rest = rest.slice(1)
  }
  if (rest === '0') return 0n
  if (rest === '') return invalid
  let total = 0n
  while (rest !== '') {
    const [number, whole, fraction = ''] = /^(\d*)(?:\.(\d*))?/.exec(rest) as RegExpExecArray
    if (number === '' || (whole === '' && fraction === '')) return invalid
    rest = rest.slice(number.length)
    const unitText = (/^[^0-9.]*/.exec(rest) as RegExpExecArray)[0]
    if (unitText === '') return { error: `time: missing unit in duration ${quote(text)}` }
    rest = rest.slice(unitText.length)
    const unit = UNITS[unitText]
    if (unit === undefined) return { error: `time: unknown unit ${quote(unitText)} in duration ${quote(text)}` }
    let value = BigInt(whole || '0')
    if (value > LIMIT || value > LIMIT / unit) return invalid
    value *= unit
    // Fraction digits stop counting once they would overflow, and are applied in float64, as Go does.
    let digits = 0n
    let scale = 1
    for (const c of fraction) {
      const next = digits * 10n + BigInt(c)
      if (digits > (LIMIT - 1n) / 10n || next > LIMIT) break
      digits = next
      scale *= 10
    }
    if (digits > 0n) value += BigInt(Math.trunc(Number(digits) * (Number(unit) / scale)))
    total += value
    if (value > LIMIT || total > LIMIT) return invalid
  }
  if (negative) return -total
  return total < LIMIT ? total : invalid
}

const decimals = (value: bigint, places: number): string => {
  const digits = value % 10n ** BigInt(places)
  return digits === 0n ? '' : `.${digits.toString().padStart(places, '0').replace(/0+$/, '')}`
}

/** Go's time.Duration.String(): `1m30s`, `1.5s`, `300ms`, `0s`. */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s'
  const sign = ns < 0n ? '-' : ''
  const u = ns < 0n ? -ns : ns
  if (u < 1_000n) return `${sign}${u}ns`
  if (u < 1_000_000n) return `${sign}${u / 1_000n}${decimals(u, 3)}µs`
  if (u < 1_000_000_000n) return `${sign}${u / 1_000_000n}${decimals(u, 6)}ms`
  const seconds = u / 1_000_000_000n
  let text = `${seconds % 60n}${decimals(u, 9)}s`
  const minutes = seconds / 60n
  if (minutes > 0n) {
    text = `${minutes % 60n}m${text}`
    if (minutes >= 60n) text = `${minutes / 60n}h${text}`
  }
  return sign + text
}

/** Rewrites a readable duration field the way Go stores it; unreadable text is left for durationErrors. */
export function normalizeDuration(holder: Json | undefined, field: string): void {
  const text = holder?.[field]
  if (typeof text !== 'string') return
  const ns = parseGoDuration(text)
  if (typeof ns === 'bigint') (holder as Json)[field] = formatGoDuration(ns)
}

/** A duration Go cannot read fails the decoding of the whole resource. */
export function durationErrors(holder: Json | undefined, field: string, goName: string): FieldError[] {
  const text = holder?.[field]
  if (typeof text !== 'string') return []
  const ns = parseGoDuration(text)
  return typeof ns === 'bigint' ? [] : [{ name: goName, value: text, reason: ns.error }]
}

// ---------------------------------------------------------------------------------------------
// Validator tags shared with KubeControllersConfiguration.

/** The `regexp` tag: Go's RE2 compiles it. RE2 lacks lookaround and backreferences, and spells flags and names its own way. */
export function compilesAsGoRegexp(pattern: string): boolean {
  if (/(^|[^\\])\(\?<?[=!]/.test(pattern) || /(^|[^\\])\\[1-9]/.test(pattern)) return false
  const js = pattern
    .replace(/\(\?P?<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?[imsU-]+\)/g, '')
    .replace(/\(\?[imsU-]+:/g, '(?:')
  try {
    new RegExp(js)
    return true
  } catch {
    return false
  }
}

/** cnet.ParseCIDROrIP: the IP version, or undefined when it is neither a CIDR nor an address. */
export function cidrOrIpFamily(text: string): 4 | 6 | undefined {
  return parseCidr(text)?.family ?? ipToBigInt(text)?.family
}
