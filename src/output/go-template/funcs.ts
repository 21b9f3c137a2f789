/** text/template's builtin functions (funcs.go), with their error texts. */
import { FuncError, isTrue, type GoFunc, type Param } from './exec.js'
import { formatV, sprint, sprintf, sprintln } from './fmt.js'
import { BOOL, INT, STRING, goLen, indirect, indirectInterface, isFloat, isInt, isUint, str, typeString, zero, type GoMap, type GoType, type GoValue, type MaybeValue } from './value.js'

const fn = (params: Param[], call: (args: MaybeValue[]) => MaybeValue, variadic = false): GoFunc => ({ params, call, variadic })
const fail = (message: string): never => {
  throw new FuncError(message)
}

type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'uint' | 'other'
/** funcs.go's basicKind; `other` (invalid, struct, pointer, slice...) is what Go reports as an error kind. */
function basicKind(v: MaybeValue): BasicKind {
  if (!v) return 'other'
  const k = v.t.kind
  if (k === 'bool') return 'bool'
  if (isUint(k)) return 'uint'
  if (isInt(k)) return 'int'
  if (isFloat(k)) return 'float'
  if (k === 'string') return 'string'
  return 'other'
}

/** funcs.go's isNil: invalid, or a nil chan, func, interface, map, pointer or slice. */
function nilValue(v: MaybeValue): boolean {
  return !v || (['ptr', 'slice', 'map', 'interface', 'func'].includes(v.t.kind) && v.v === null)
}

function eq(arg1: MaybeValue, rest: MaybeValue[]): boolean {
  const a = indirectInterface(arg1)
  if (rest.length === 0) fail('missing argument for comparison')
  const k1 = basicKind(a)
  for (const raw of rest) {
    const b = indirectInterface(raw)
    const k2 = basicKind(b)
    let truth = false
    if (k1 !== k2) {
      // Integers compare across signedness.
      if (k1 === 'int' && k2 === 'uint') truth = (a!.v as bigint) >= 0n && a!.v === b!.v
      else if (k1 === 'uint' && k2 === 'int') truth = (b!.v as bigint) >= 0n && a!.v === b!.v
      else if (a && b) fail('incompatible types for comparison')
    } else if (k1 !== 'other') {
      truth = a!.v === b!.v
    } else {
      if (a && b && typeString(a.t) !== typeString(b.t)) fail(`non-comparable types ${formatV(a)}: ${typeString(a.t)}, ${typeString(b.t)}: ${formatV(b)}`)
      if (nilValue(a) || nilValue(b)) truth = nilValue(a) === nilValue(b)
      else if (['slice', 'map', 'func'].includes(b!.t.kind)) fail(`non-comparable type ${formatV(b)}: ${typeString(b!.t)}`)
      // Pointers are equal when they are the same; structs when their fields are.
      else truth = b!.t.kind === 'ptr' ? a!.v === b!.v : formatV(a) === formatV(b)
    }
    if (truth) return true
  }
  return false
}

function lt(arg1: MaybeValue, arg2: MaybeValue): boolean {
  const a = indirectInterface(arg1)
  const b = indirectInterface(arg2)
  const k1 = basicKind(a)
  const k2 = basicKind(b)
  if (k1 === 'other' || k2 === 'other') fail('invalid type for comparison')
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return (a!.v as bigint) < 0n || (a!.v as bigint) < (b!.v as bigint)
    if (k1 === 'uint' && k2 === 'int') return (b!.v as bigint) >= 0n && (a!.v as bigint) < (b!.v as bigint)
    return fail('incompatible types for comparison')
  }
  if (k1 === 'bool') fail('invalid type for comparison')
  return (a!.v as string | number | bigint) < (b!.v as string | number | bigint)
}

/** index's and slice's index arguments: any integer. */
function indexArg(index: MaybeValue, cap: number): number {
  const v = indirectInterface(index)
  if (!v) return fail('cannot index slice/array with nil')
  if (!isInt(v.t.kind)) return fail(`cannot index slice/array with type ${typeString(v.t)}`)
  const x = Number(v.v)
  if (x < 0 || x > cap) fail(`index out of range: ${x}`)
  return x
}

function index(item: MaybeValue, indexes: MaybeValue[]): MaybeValue {
  const first = indirectInterface(item)
  if (!first) return fail('index of untyped nil')
  let v: GoValue = first
  for (const idx of indexes) {
    const i = indirectInterface(idx)
    const isNilPtr = v.t.kind === 'ptr' && v.v === null
    if (!isNilPtr && v.t.kind === 'ptr') v = indirect(v).value
    switch (v.t.kind) {
      case 'slice':
      case 'string': {
        const len = goLen(v)
        const x = indexArg(i, len)
        if (x === len) fail(`index out of range: ${x}`)
        v = v.t.kind === 'string' ? { t: { kind: 'uint8' }, v: BigInt(Buffer.from(v.v as string)[x]) } : ((v.v as GoValue[])[x] ?? fail(`index out of range: ${x}`))
        break
      }
      case 'map': {
        const key = i
        const keyType = v.t.key as GoType
        if (!key) return fail(`value is nil; should be of type ${typeString(keyType)}`)
        if (typeString(key.t) !== typeString(keyType)) fail(`value has type ${typeString(key.t)}; should be ${typeString(keyType)}`)
        const found: { value: GoValue } | undefined = v.v === null ? undefined : (v.v as GoMap).get(key.v as string)
        v = found ? found.value : zero(v.t.elem as GoType)
        break
      }
      default:
        if (v.t.kind === 'ptr') return fail('index of nil pointer')
        return fail(`can't index item of type ${typeString(v.t)}`)
    }
  }
  return v
}

function slice(item: MaybeValue, indexes: MaybeValue[]): MaybeValue {
  const v = indirectInterface(item)
  if (!v) return fail('slice of untyped nil')
  if (indexes.length > 3) fail(`too many slice indexes: ${indexes.length}`)
  if (v.t.kind !== 'string' && v.t.kind !== 'slice') return fail(`can't slice item of type ${typeString(v.t)}`)
  if (v.t.kind === 'string' && indexes.length > 2) fail('cannot 3-index slice a string')
  const len = goLen(v)
  const idx = [0, len, len]
  indexes.forEach((x, i) => {
    idx[i] = indexArg(x, len)
  })
  if (idx[0] > idx[1]) fail(`invalid slice index: ${idx[0]} > ${idx[1]}`)
  if (indexes.length > 2 && idx[1] > idx[2]) fail(`invalid slice index: ${idx[1]} > ${idx[2]}`)
  if (v.t.kind === 'string') return { t: v.t, v: Buffer.from(v.v as string).subarray(idx[0], idx[1]).toString() }
  return { t: v.t, v: ((v.v as GoValue[] | null) ?? []).slice(idx[0], idx[1]) }
}

function length(item: MaybeValue): MaybeValue {
  // reflect panics on the type of an invalid value (a missing map entry).
  if (!item) return fail('reflect: call of reflect.Value.Type on zero Value')
  const { value, isNil } = indirect(item)
  if (isNil) return fail('len of nil pointer')
  if (!['string', 'slice', 'map'].includes(value.t.kind)) return fail(`len of type ${typeString(value.t)}`)
  return { t: INT, v: BigInt(goLen(value)) }
}

/** The text html/js/urlquery escape: a lone string argument, else fmt.Sprint of them all. */
function evalArgs(args: MaybeValue[]): string {
  if (args.length === 1 && args[0]?.t.kind === 'string') return args[0].v as string
  return sprint(args)
}

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ '\0': '\uFFFD', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] as string)
}

function jsEscape(s: string): string {
  let out = ''
  for (const ch of s) {
    const c = ch.codePointAt(0) as number
    if (ch === '\\') out += '\\\\'
    else if (ch === "'") out += "\\'"
    else if (ch === '"') out += '\\"'
    else if (ch === '<') out += '\\u003C'
    else if (ch === '>') out += '\\u003E'
    else if (ch === '&') out += '\\u0026'
    else if (ch === '=') out += '\\u003D'
    else if (c < 0x20) out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`
    else out += ch
  }
  return out
}

/** url.QueryEscape. */
function queryEscape(s: string): string {
  return [...Buffer.from(s)].map((b) => {
    const c = String.fromCharCode(b)
    if (/[A-Za-z0-9\-_.~]/.test(c)) return c
    if (c === ' ') return '+'
    return `%${b.toString(16).toUpperCase().padStart(2, '0')}`
  }).join('')
}

const BUILTINS: [string, GoFunc][] = [
  ['and', fn(['value', 'value'], () => undefined, true)],
  ['or', fn(['value', 'value'], () => undefined, true)],
  ['not', fn(['value'], ([a]) => ({ t: BOOL, v: !isTrue(indirectInterface(a)).truth }))],
  ['len', fn(['value'], ([a]) => length(a))],
  ['index', fn(['value', 'value'], ([item, ...rest]) => index(item, rest), true)],
  ['slice', fn(['value', 'value'], ([item, ...rest]) => slice(item, rest), true)],
  ['print', fn(['any'], (args) => str(sprint(args)), true)],
  ['printf', fn([STRING, 'any'], ([format, ...args]) => str(sprintf(format!.v as string, args)), true)],
  ['println', fn(['any'], (args) => str(sprintln(args)), true)],
  ['html', fn(['any'], (args) => str(htmlEscape(evalArgs(args))), true)],
  ['js', fn(['any'], (args) => str(jsEscape(evalArgs(args))), true)],
  ['urlquery', fn(['any'], (args) => str(queryEscape(evalArgs(args))), true)],
  ['eq', fn(['value', 'value'], ([a, ...rest]) => ({ t: BOOL, v: eq(a, rest) }), true)],
  ['ne', fn(['value', 'value'], ([a, b]) => ({ t: BOOL, v: !eq(a, [b]) }))],
  ['lt', fn(['value', 'value'], ([a, b]) => ({ t: BOOL, v: lt(a, b) }))],
  ['le', fn(['value', 'value'], ([a, b]) => ({ t: BOOL, v: lt(a, b) || eq(a, [b]) }))],
  ['gt', fn(['value', 'value'], ([a, b]) => ({ t: BOOL, v: !lt(a, b) && !eq(a, [b]) }))],
  ['ge', fn(['value', 'value'], ([a, b]) => ({ t: BOOL, v: !lt(a, b) }))],
  [
    'call',
    fn(
      ['value', 'value'],
      ([f, ...args]) => {
        const v = indirectInterface(f)
        if (!v) return fail('call of nil')
        if (v.t.kind !== 'func') return fail(`non-function ${formatV(v)} of type ${typeString(v.t)}`)
        if (v.v === null) return fail('call of nil')
        return (v.v as GoFunc).call(args)
      },
      true,
    ),
  ],
]

export function builtins(): Map<string, GoFunc> {
  return new Map(BUILTINS)
}
