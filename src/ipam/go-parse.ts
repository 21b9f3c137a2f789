/** Go's strconv parsing of flag values, as calicoctl's commands apply it, with cobra's error texts. */
import { CommandError } from '../errors.js'

const MIN_INT = -(1n << 63n)
const MAX_INT = (1n << 63n) - 1n

const TRUE_TEXTS = ['1', 't', 'T', 'TRUE', 'true', 'True']
const FALSE_TEXTS = ['0', 'f', 'F', 'FALSE', 'false', 'False']

/** strconv.ParseBool; undefined when the text is none of its spellings. */
export function parseGoBool(text: string): boolean | undefined {
  if (TRUE_TEXTS.includes(text)) return true
  if (FALSE_TEXTS.includes(text)) return false
  return undefined
}

/** strconv.Atoi: an optional sign and decimal digits, within a 64-bit int. */
export function parseGoAtoi(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined
  const value = BigInt(text)
  return value < MIN_INT || value > MAX_INT ? undefined : Number(value)
}

/** strconv's underscoreOK: `_` only between digits, or between a base prefix and a digit. */
function underscoresOk(text: string): boolean {
  let s = text.replace(/^[+-]/, '')
  let saw = '^'
  let hex = false
  if (/^0[bBoOxX]/.test(s)) {
    hex = /^0[xX]/.test(s)
    s = s.slice(2)
    saw = '0'
  }
  for (const c of s) {
    if (/[0-9]/.test(c) || (hex && /[a-fA-F]/.test(c))) saw = '0'
    else if (c === '_') {
      if (saw !== '0') return false
      saw = '_'
    } else {
      if (saw === '_') return false
      saw = '!'
    }
  }
  return saw !== '_'
}

/**
 * A pflag Int flag's value: strconv.ParseInt(text, 0, 64), so `0x1e`, `0o36`, `0b11110`, `036`
 * (octal) and `1_000` are numbers too. Failures read as cobra reports a bad flag value.
 */
export function parseIntFlag(flag: string, text: string): number {
  const fail = (why: string) => new CommandError(`invalid argument "${text}" for "--${flag}" flag: strconv.ParseInt: parsing "${text}": ${why}`)
  const negative = text.startsWith('-')
  const unsigned = /^[+-]/.test(text) ? text.slice(1) : text
  if (!unsigned) throw fail('invalid syntax')
  let base = 10
  let digits = unsigned
  if (unsigned[0] === '0') {
    const marker = unsigned.length >= 3 ? unsigned[1].toLowerCase() : ''
    base = marker === 'b' ? 2 : marker === 'x' ? 16 : 8
    digits = unsigned.slice(marker === 'b' || marker === 'o' || marker === 'x' ? 2 : 1)
  }
  let magnitude = 0n
  for (const c of digits) {
    if (c === '_') continue
    const digit = /[0-9a-z]/i.test(c) ? parseInt(c, 36) : Infinity
    if (digit >= base) throw fail('invalid syntax')
    magnitude = magnitude * BigInt(base) + BigInt(digit)
  }
  if (digits.includes('_') && !underscoresOk(unsigned)) throw fail('invalid syntax')
  const value = negative ? -magnitude : magnitude
  if (value < MIN_INT || value > MAX_INT) throw fail('value out of range')
  return Number(value)
}
