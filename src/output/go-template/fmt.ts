/**
 * Go's fmt for template values: %v (print), Sprint's operand spacing, Sprintln, and Sprintf with
 * the verbs templates use (%v %s %d %q %t %x %X %o %b %c %f %e %g %T), flags (- + # 0 space),
 * width and precision, and fmt's error forms (%!d(string=x), %!s(MISSING), %!(EXTRA ...)).
 */
import { goQuote } from '../../go-quote.js'
import { formatGoFloat } from '../yaml-resolve.js'
import { indirect, isFloat, isInt, sortedEntries, typeString, type GoMap, type GoValue, type MaybeValue } from './value.js'

/** A float64 as %v prints it (strconv's shortest 'g'), with Go's names for the special values. */
function formatFloatV(f: number): string {
  if (Number.isNaN(f)) return 'NaN'
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf'
  if (Object.is(f, -0)) return '-0'
  return formatGoFloat(f)
}

/** JS's 1.5e+21 → Go's 1.5e+21; 1e-7 → 1e-07. */
function expForm(s: string): string {
  return s.replace(/e([+-])(\d)$/, 'e$10$2')
}

/** The %v text of a value (%+v with `plus`: struct fields named); depth > 0 inside composites, where pointers are not followed. */
export function formatV(value: MaybeValue, depth = 0, plus = false): string {
  if (!value) return depth === 0 ? '<invalid reflect.Value>' : '<nil>'
  const { t, v } = value
  if (t.stringer) {
    return t.stringer(value)
  }
  if (t.kind === 'ptr' && v !== null && (v as GoValue).t.stringer) return formatV(v as GoValue, depth, plus)
  switch (t.kind) {
    case 'string':
      return v as string
    case 'bool':
      return v ? 'true' : 'false'
    case 'float32':
    case 'float64':
      return formatFloatV(v as number)
    case 'struct':
      return `{${(v as GoValue[]).map((f, i) => (plus ? `${t.fields![i].name}:` : '') + formatV(f, depth + 1, plus)).join(' ')}}`
    case 'slice':
      return `[${((v as GoValue[] | null) ?? []).map((e) => formatV(e, depth + 1, plus)).join(' ')}]`
    case 'map':
      return `map[${v === null ? '' : sortedEntries(v as GoMap).map((e) => `${formatV(e.key, depth + 1, plus)}:${formatV(e.value, depth + 1, plus)}`).join(' ')}]`
    case 'interface':
      return v === null ? '<nil>' : formatV(v as GoValue, depth, plus)
    case 'ptr': {
      if (v === null) return '<nil>'
      const target = (v as GoValue).t.kind
      if (depth === 0 && ['struct', 'slice', 'map'].includes(target)) return `&${formatV(v as GoValue, depth + 1, plus)}`
      // Go prints the address here; there is none to print.
      return '0xc000010000'
    }
    case 'func':
      return v === null ? '<nil>' : '0x47b2c0'
    default:
      return String(v)
  }
}

/** fmt.Sprint: a space between operands when neither is a string. */
export function sprint(args: MaybeValue[]): string {
  let out = ''
  args.forEach((arg, i) => {
    const isString = arg?.t.kind === 'string'
    if (i > 0 && !isString && args[i - 1]?.t.kind !== 'string') out += ' '
    out += formatArg(arg)
  })
  return out
}

export function sprintln(args: MaybeValue[]): string {
  return `${args.map(formatArg).join(' ')}\n`
}

/** An operand as Print prints it: nil interface as <nil>, pointers at the top level shown as &{...}. */
function formatArg(arg: MaybeValue): string {
  return arg ? formatV(arg) : '<nil>'
}

interface Spec {
  minus: boolean
  plus: boolean
  /** %+v: struct fields named (the plus flag then adds no signs). */
  plusV?: boolean
  sharp: boolean
  space: boolean
  zero: boolean
  width?: number
  prec?: number
}

function pad(s: string, spec: Spec, numeric = false): string {
  if (spec.width === undefined || [...s].length >= spec.width) return s
  const fill = spec.width - [...s].length
  if (spec.minus) return s + ' '.repeat(fill)
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? s[0] : ''
    return sign + '0'.repeat(fill) + s.slice(sign.length)
  }
  if (spec.zero && !numeric) return '0'.repeat(fill) + s
  return ' '.repeat(fill) + s
}

function intValue(v: GoValue): bigint | undefined {
  if (isInt(v.t.kind)) return v.v as bigint
  return undefined
}

function fmtInteger(n: bigint, verb: string, spec: Spec): string {
  const neg = n < 0n
  const abs = neg ? -n : n
  let digits: string
  switch (verb) {
    case 'd': case 'v': digits = abs.toString(10); break
    case 'x': digits = abs.toString(16); break
    case 'X': digits = abs.toString(16).toUpperCase(); break
    case 'o': case 'O': digits = abs.toString(8); break
    case 'b': digits = abs.toString(2); break
    case 'c': return pad(String.fromCodePoint(Number(n)), spec)
    case 'q': return pad(`'${String.fromCodePoint(Number(n))}'`, spec)
    case 'U': return pad(`U+${abs.toString(16).toUpperCase().padStart(4, '0')}`, spec)
    default: return ''
  }
  if (spec.prec !== undefined) digits = digits.padStart(spec.prec, '0')
  if (spec.sharp) {
    if (verb === 'x') digits = `0x${digits}`
    else if (verb === 'X') digits = `0X${digits}`
    else if (verb === 'o' && digits[0] !== '0') digits = `0${digits}`
    else if (verb === 'b') digits = `0b${digits}`
  }
  if (verb === 'O') digits = `0o${digits}`
  const sign = neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : ''
  return pad(sign + digits, { ...spec, zero: spec.zero && spec.prec === undefined && !spec.minus }, true)
}

function fmtFloat(f: number, verb: string, spec: Spec): string {
  let s: string
  const prec = spec.prec
  switch (verb) {
    case 'f': case 'F': s = f.toFixed(prec ?? 6); break
    case 'e': s = expForm(f.toExponential(prec ?? 6)); break
    case 'E': s = expForm(f.toExponential(prec ?? 6)).toUpperCase(); break
    case 'g': case 'v': s = prec === undefined ? formatFloatV(f) : expForm(Number(f.toPrecision(prec)).toString()); break
    case 'G': s = formatFloatV(f).toUpperCase(); break
    default: return ''
  }
  if (Number.isFinite(f) && !s.startsWith('-') && !s.startsWith('+')) s = (spec.plus ? '+' : spec.space ? ' ' : '') + s
  return pad(s, { ...spec, zero: spec.zero && !spec.minus }, true)
}

function hexString(s: string, upper: boolean, spec: Spec): string {
  const hex = Buffer.from(s, 'utf8').toString('hex')
  const out = upper ? hex.toUpperCase() : hex
  return pad(spec.sharp ? (upper ? '0X' : '0x') + out : out, spec)
}

function badVerb(verb: string, arg: MaybeValue): string {
  if (!arg) return `%!${verb}(<nil>)`
  return `%!${verb}(${typeString(arg.t)}=${formatV(arg)})`
}

/** One operand under one verb. */
function formatOne(verb: string, arg: MaybeValue, spec: Spec): string {
  if (verb === 'T') return pad(arg ? typeString(arg.t) : '<nil>', spec)
  if (!arg || (arg.t.kind === 'interface' && arg.v === null)) return verb === 'v' ? pad('<nil>', spec) : `%!${verb}(<nil>)`
  // Top-level pointers print as &{...} for %v; Stringers print their String for %v %s %q %x.
  if (arg.t.stringer || (arg.t.kind === 'ptr' && arg.v && (arg.v as GoValue).t.stringer)) {
    if ('vsqxX'.includes(verb)) {
      const text = formatV(arg)
      return verb === 'q' ? pad(goQuote(text), spec) : verb === 'x' || verb === 'X' ? hexString(text, verb === 'X', spec) : pad(spec.prec !== undefined ? [...text].slice(0, spec.prec).join('') : text, spec)
    }
  }
  const { t } = arg
  const n = intValue(arg)
  if (n !== undefined) {
    if ('dvxXobcqUO'.includes(verb)) return fmtInteger(n, verb, spec)
    return badVerb(verb, arg)
  }
  if (isFloat(t.kind)) {
    if ('fFeEgGv'.includes(verb)) return fmtFloat(arg.v as number, verb, spec)
    return badVerb(verb, arg)
  }
  if (t.kind === 'string') {
    const s = arg.v as string
    switch (verb) {
      case 'v': case 's': return pad(spec.prec !== undefined ? [...s].slice(0, spec.prec).join('') : s, spec)
      case 'q': return pad(spec.sharp && !s.includes('`') ? `\`${s}\`` : goQuote(s), spec)
      case 'x': case 'X': return hexString(s, verb === 'X', spec)
      default: return badVerb(verb, arg)
    }
  }
  if (t.kind === 'bool') {
    if (verb === 't' || verb === 'v') return pad(arg.v ? 'true' : 'false', spec)
    return badVerb(verb, arg)
  }
  if (t.kind === 'interface') return formatOne(verb, arg.v as GoValue, spec)
  if (t.kind === 'ptr' && verb !== 'v' && arg.v !== null) {
    const { value } = indirect(arg)
    if (['struct', 'slice', 'map'].includes(value.t.kind)) return `&${formatOne(verb, value, spec)}`
  }
  if (verb === 'v' || verb === 's') return pad(formatV(arg, 0, Boolean(spec.plusV)), spec)
  if (t.kind === 'slice' || t.kind === 'struct' || t.kind === 'map') {
    // fmt applies the verb to each element.
    if (t.kind === 'slice') return `[${((arg.v as GoValue[] | null) ?? []).map((e) => formatOne(verb, e, spec)).join(' ')}]`
    if (t.kind === 'struct') return `{${(arg.v as GoValue[]).map((e) => formatOne(verb, e, spec)).join(' ')}}`
    return `map[${arg.v === null ? '' : sortedEntries(arg.v as GoMap).map((e) => `${formatOne(verb, e.key, spec)}:${formatOne(verb, e.value, spec)}`).join(' ')}]`
  }
  return badVerb(verb, arg)
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: MaybeValue[]): string {
  let out = ''
  let argNum = 0
  let i = 0
  while (i < format.length) {
    const c = format[i]
    if (c !== '%') {
      out += c
      i++
      continue
    }
    i++
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false }
    for (; i < format.length; i++) {
      const f = format[i]
      if (f === '-') spec.minus = true
      else if (f === '+') spec.plus = true
      else if (f === '#') spec.sharp = true
      else if (f === ' ') spec.space = true
      else if (f === '0') spec.zero = !spec.minus
      else break
    }
    const number = (): number | undefined => {
      if (format[i] === '*') {
        i++
        const a = args[argNum++]
        const n = a && isInt(a.t.kind) ? Number(a.v) : undefined
        if (n === undefined) out += '%!(BADWIDTH)'
        return n
      }
      const m = /^\d+/.exec(format.slice(i))
      if (!m) return undefined
      i += m[0].length
      return Number(m[0])
    }
    spec.width = number()
    if (spec.width !== undefined && spec.width < 0) {
      spec.minus = true
      spec.width = -spec.width
    }
    if (format[i] === '.') {
      i++
      spec.prec = number() ?? 0
    }
    if (i >= format.length) {
      out += '%!(NOVERB)'
      break
    }
    const verb = String.fromCodePoint(format.codePointAt(i) as number)
    i += verb.length
    if (verb === '%') {
      out += '%'
      continue
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`
      continue
    }
    const arg = args[argNum++]
    out += formatOne(verb, arg, verb === 'v' && spec.plus ? { ...spec, plus: false, plusV: true } : spec)
  }
  if (argNum < args.length) {
    out += `%!(EXTRA ${args
      .slice(argNum)
      .map((a) => (a ? `${typeString(a.t)}=${formatV(a)}` : '<nil>'))
      .join(', ')})`
  }
  return out
}
