/**
 * Decoding of a resource document exactly as calicoctl does it: sigs.k8s.io/yaml turns the YAML into
 * JSON (a scalar becomes a string where the Go field is a string; every mapping is re-marshalled
 * with its keys sorted), then encoding/json decodes that strictly into the API's Go struct.
 *
 * What follows from it, and what users rely on:
 * - field names match case-insensitively (an exact match wins); the result has the canonical names;
 * - a wrong type or an unknown field is remembered and decoding goes on: the first one, in sorted key
 *   order, is the error; a type with its own decoder (AS numbers, ports, durations, ...) that fails
 *   stops decoding at once, and its error wins;
 * - errors read as Go prints them: `json: cannot unmarshal string into Go struct field
 *   IPPoolSpec.spec.disabled of type bool` (struct = the innermost struct type, then the JSON names
 *   from the root; list indexes and map keys are not part of it).
 *
 * The Go types come from the schema: `x-go-type` where the JSON type does not say it (structs,
 * integers, named types), else derived (`string`, `bool`, `[]T`, `map[string]T`).
 */
import { formatGoDuration, parseGoDuration } from './go-values.js'
import { formatGoRFC3339, parseGoRFC3339 } from './go-time.js'
import { setOwn } from './own.js'
import { isPointerField } from './go-encode.js'
import { resolveSchema, type SchemaNode } from './schema.js'

export type GoPath = (string | number)[]

export interface GoDecodeProblem {
  /** Go's error text, e.g. `json: unknown field "x"` or `invalid AS Number format (x)`. */
  message: string
  /** Where the value is in the input, keys as written. */
  path: GoPath
  /** A type's own decoder failed: Go stops there and returns this error. */
  stop?: boolean
  /**
   * sigs.k8s.io/yaml could not turn the YAML into JSON (a number JSON cannot hold): that happens
   * before any decoding, so this error comes first.
   */
  conversion?: boolean
  /** Set for `json: unknown field`: the key as written. */
  unknownField?: string
}

export interface CoercedScalar {
  path: GoPath
  /** The boolean or number found in the document; it now holds its string form. */
  from: unknown
}

export interface GoDecoded {
  /** The decoded document: canonical field names, values as Go holds them; absent fields left out. */
  value: unknown
  /** Every problem, in the order Go meets them (decoding goes on past a stop, to report them all). */
  problems: GoDecodeProblem[]
  /** Scalars taken as strings where the Go field is a string (a label `true` becomes "true"). */
  coerced: CoercedScalar[]
}

/** The error Go returns: a failed conversion to JSON, else the first failure of a type's own decoder, else the first one remembered. */
export function goError(problems: readonly GoDecodeProblem[]): GoDecodeProblem | undefined {
  return problems.find((p) => p.conversion) ?? problems.find((p) => p.stop) ?? problems[0]
}

type Json = unknown
type JsonObject = Record<string, Json>

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)

/** What encoding/json calls the JSON value in `cannot unmarshal <what>`. */
function jsonKind(value: Json): string {
  if (Array.isArray(value)) return 'array'
  if (value === null) return 'null'
  if (typeof value === 'object') return 'object'
  if (typeof value === 'boolean') return 'bool'
  return typeof value === 'number' || typeof value === 'bigint' ? 'number' : 'string'
}

/** Go's JSON text of a number, as it appears in `cannot unmarshal number 1.5` (big integers exactly). */
const numberText = (n: number | bigint): string => String(n)

/** strconv.FormatFloat(f, 'g', -1, 64) of what JSON cannot hold, as json.Marshal's error names it. */
const nonFiniteText = (n: number): string => (Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf')

/** The first number JSON cannot hold in a value sigs.k8s.io/yaml passes through unchanged, in sorted key order. */
function firstNonFinite(value: Json): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : value
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = firstNonFinite(item)
      if (found !== undefined) return found
    }
  } else if (isObject(value)) {
    for (const key of sortedKeys(value)) {
      const found = firstNonFinite(value[key])
      if (found !== undefined) return found
    }
  }
  return undefined
}

interface Context {
  /** The input came through sigs.k8s.io/yaml (scalars taken as strings, keys sorted), not straight from JSON. */
  fromYaml: boolean
  /** The YAML scalar at a path was a float literal (`1e10`, `1.0`), which go-yaml keeps apart from an integer. */
  isFloat: (path: GoPath) => boolean
  path: GoPath
  /** Go's error context: the struct type being decoded and the JSON field names from the root. */
  struct: string
  stack: string[]
  problems: GoDecodeProblem[]
  coerced: CoercedScalar[]
}

/** A type with its own UnmarshalJSON: a value, a type error (context is added) or an error that stops. */
type CustomResult = { value: Json } | { typeError: [what: string, goType: string] } | { error: string }
type CustomDecoder = (value: Json) => CustomResult

const typeError = (value: Json, goType: string): CustomResult => ({ typeError: [jsonKind(value), goType] })

/** strconv.ParseUint(s, 10, bits) for the digit strings Go accepts. */
function parseUint(s: string, bits: number): number | undefined {
  if (!/^\d+$/.test(s)) return undefined
  const n = Number(s)
  return n <= 2 ** bits - 1 ? n : undefined
}

/** json.Unmarshal of a number into an unsigned integer of `bits`. */
function unsigned(value: number | bigint, bits: number, goType: string): CustomResult {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 2 ** bits - 1) return { value }
  return { typeError: [`number ${numberText(value)}`, goType] }
}

const isNumber = (value: Json): value is number | bigint => typeof value === 'number' || typeof value === 'bigint'

/** numorstring.ASNumber: a uint32, or a decimal or asdot (`1.10`) string. */
const asNumber: CustomDecoder = (value) => {
  if (value === null) return { value: undefined }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return { value }
  if (typeof value !== 'string') return typeError(value, 'string')
  const whole = parseUint(value, 32)
  if (whole !== undefined) return { value: whole }
  const parts = value.split('.')
  const [high, low] = parts.map((p) => parseUint(p, 16))
  if (parts.length !== 2 || high === undefined || low === undefined) return { error: `invalid AS Number format (${value})` }
  return { value: high * 65536 + low }
}

/** numorstring.Port: a uint16, or a string holding a number, a `min:max` range or a port name. */
const port: CustomDecoder = (value) => {
  if (value === null) return { value: 0 }
  if (isNumber(value)) return unsigned(value, 16, 'uint16')
  if (typeof value !== 'string') return typeError(value, 'uint16')
  if (/^\d+$/.test(value)) {
    const n = parseUint(value, 16)
    return n === undefined ? { error: `invalid port format (${value})` } : { value: n }
  }
  const range = /^(\d+):(\d+)$/.exec(value)
  if (range) {
    const [min, max] = [parseUint(range[1], 16), parseUint(range[2], 16)]
    if (min === undefined) return { error: `invalid minimum port number in range (${value})` }
    if (max === undefined) return { error: `invalid maximum port number in range (${value})` }
    if (min > max) return { error: `minimum port number (${min}) is greater than maximum port number (${max}) in port range` }
    return { value: min === max ? min : `${min}:${max}` }
  }
  if (!/^[a-zA-Z0-9_.-]{1,128}$/.test(value)) return { error: `invalid name for named port (${value})` }
  return { value }
}

/** numorstring.Uint8OrString (Protocol, DSCP): a uint8, or a string, which is a number when it reads as one. */
const uint8OrString: CustomDecoder = (value) => {
  if (value === null) return { value: 0 }
  if (isNumber(value)) return unsigned(value, 8, 'uint8')
  if (typeof value !== 'string') return typeError(value, 'uint8')
  return { value: parseUint(value, 8) ?? value }
}

/** metav1.Duration: a string time.ParseDuration reads, written back as time.Duration.String(). */
const duration: CustomDecoder = (value) => {
  if (value === null) return { value: undefined }
  if (typeof value !== 'string') return typeError(value, 'string')
  const ns = parseGoDuration(value)
  return typeof ns === 'bigint' ? { value: formatGoDuration(ns) } : { error: ns.error }
}

/** metav1.Time: null is the zero time; else RFC 3339, written back in UTC. */
const time: CustomDecoder = (value) => {
  if (value === null) return { value: undefined }
  if (typeof value !== 'string') return typeError(value, 'string')
  const ms = parseGoRFC3339(value)
  return typeof ms === 'number' ? { value: formatGoRFC3339(ms) } : { error: ms.error }
}

/** intstr.IntOrString: a string (a port name), else an int32. */
const intOrString: CustomDecoder = (value) => {
  if (typeof value === 'string') return { value }
  if (typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value <= 2 ** 31 - 1) return { value }
  if (isNumber(value)) return { typeError: [`number ${numberText(value)}`, 'int32'] }
  return value === null ? { value: 0 } : typeError(value, 'int32')
}

/** A copy with big integers as JSON numbers, which is all JSON holds of them. */
function toJsonNumbers(value: Json): Json {
  if (typeof value === 'bigint') return Number(value)
  if (Array.isArray(value)) return value.map(toJsonNumbers)
  if (isObject(value)) {
    const out: JsonObject = {}
    for (const [key, child] of Object.entries(value)) setOwn(out, key, toJsonNumbers(child))
    return out
  }
  return value
}

/** Any JSON (FieldsV1): taken as it is. */
const anyJson: CustomDecoder = (value) => ({ value: toJsonNumbers(value) })

/** Types in the v3 API that decode themselves, by their Go name. */
const CUSTOM: Record<string, CustomDecoder> = {
  'numorstring.ASNumber': asNumber,
  'numorstring.Port': port,
  'numorstring.Protocol': uint8OrString,
  'numorstring.Uint8OrString': uint8OrString,
  'numorstring.DSCP': uint8OrString,
  'v1.Duration': duration,
  'v1.Time': time,
  'v1.FieldsV1': anyJson,
  'intstr.IntOrString': intOrString,
}

type GoKind = 'struct' | 'map' | 'slice' | 'string' | 'bool' | 'int' | 'float' | 'custom' | 'any'

function jsonTypes(node: SchemaNode): string[] {
  const { type } = node
  const types = type === undefined ? [] : Array.isArray(type) ? type : [type]
  return types.filter((t) => t !== 'null')
}

function customDecoder(node: SchemaNode): CustomDecoder | undefined {
  const goType = node['x-go-type']
  return typeof goType === 'string' ? CUSTOM[goType] : undefined
}

function kindOf(node: SchemaNode): GoKind {
  if (customDecoder(node)) return 'custom'
  const types = jsonTypes(node)
  if (types.length !== 1) return 'any'
  switch (types[0]) {
    case 'object':
      if (node.properties) return 'struct'
      if (typeof node.additionalProperties === 'object') return 'map'
      return node.additionalProperties === false ? 'struct' : 'any'
    case 'array':
      return 'slice'
    case 'string':
      return 'string'
    case 'boolean':
      return 'bool'
    case 'integer':
      return 'int'
    case 'number':
      return 'float'
    default:
      return 'any'
  }
}

/** The Go type's name as reflect prints it, for `of type <T>`. */
export function goTypeName(input: SchemaNode): string {
  const node = resolveSchema(input)
  const named = node['x-go-type']
  if (typeof named === 'string') return named
  switch (kindOf(node)) {
    case 'slice':
      return `[]${node.items ? goTypeName(node.items) : 'interface {}'}`
    case 'map':
      return `map[string]${goTypeName(node.additionalProperties as SchemaNode)}`
    case 'string':
      return 'string'
    case 'bool':
      return 'bool'
    case 'int':
      return 'int'
    case 'float':
      return 'float64'
    default:
      return 'interface {}'
  }
}

/** Ranges of Go's integer kinds; a named integer type without a known width is taken as int64. */
const INT_RANGES: Record<string, [bigint, bigint]> = {
  int8: [-(2n ** 7n), 2n ** 7n - 1n],
  int16: [-(2n ** 15n), 2n ** 15n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint8: [0n, 2n ** 8n - 1n],
  uint16: [0n, 2n ** 16n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  uint: [0n, 2n ** 64n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
}

/** ParseInt/ParseUint of the number's JSON text into the Go integer type: the value, or undefined when Go refuses it. */
function goInteger(value: number | bigint, goType: string): number | undefined {
  if (typeof value === 'number' && !Number.isInteger(value)) return undefined
  const whole = BigInt(value)
  const [min, max] = INT_RANGES[goType] ?? [-(2n ** 63n), 2n ** 63n - 1n]
  return whole >= min && whole <= max ? Number(whole) : undefined
}

/** bytes.EqualFold on an ASCII field name: letters in either case, plus the Kelvin sign and long s. */
function foldEqual(field: string, key: string): boolean {
  if (field.length !== key.length) return false
  for (let i = 0; i < field.length; i++) {
    const f = field[i].toLowerCase()
    const k = key[i]
    if (k === field[i] || k.toLowerCase() === f) continue
    if ((f === 'k' && k === '\u212a') || (f === 's' && k === '\u017f')) continue
    return false
  }
  return true
}

/** The struct field a key decodes into: the exact name, else the first that folds equal. */
function findField(properties: Record<string, SchemaNode>, key: string): string | undefined {
  if (Object.hasOwn(properties, key)) return key
  return Object.keys(properties).find((name) => foldEqual(name, key))
}

/** json.Marshal of a map writes its keys sorted by their bytes; UTF-16 order agrees for the keys we meet. */
const sortedKeys = (object: JsonObject): string[] => Object.keys(object).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))

/** Go's strconv.FormatFloat(f, 'g', -1, 32), which sigs.k8s.io/yaml uses for YAML floats. */
function goFloat32String(value: number): string {
  if (!Number.isFinite(value)) return nonFiniteText(value)
  const f = Math.fround(value)
  let digits = f.toExponential(8)
  for (let precision = 0; precision < 8; precision++) {
    const candidate = f.toExponential(precision)
    if (Math.fround(Number(candidate)) === f) {
      digits = candidate
      break
    }
  }
  const [mantissa, exponentText] = digits.split('e')
  const exponent = Number(exponentText)
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+'
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`
  }
  return String(Number(digits))
}

/** How sigs.k8s.io/yaml writes a YAML boolean, integer or float into a string field. */
function scalarToString(value: boolean | number | bigint, yamlFloat: boolean): string {
  if (typeof value !== 'number') return String(value)
  return yamlFloat || !Number.isSafeInteger(value) ? goFloat32String(value) : String(value)
}

class Decoder {
  decode(value: Json, input: SchemaNode, ctx: Context, existing?: Json): Json {
    const node = resolveSchema(input)
    const kind = kindOf(node)
    const fail = (what: string) => {
      ctx.problems.push({ message: this.typeMessage(what, goTypeName(node), ctx), path: ctx.path })
      return existing
    }
    // A number JSON cannot hold stops the conversion to JSON, unless it was taken as a string.
    if (typeof value === 'number' && !Number.isFinite(value) && !(kind === 'string' && ctx.fromYaml)) {
      ctx.problems.push({ message: `json: unsupported value: ${nonFiniteText(value)}`, path: ctx.path, conversion: true })
      return existing
    }
    switch (kind) {
      case 'any': {
        const nonFinite = firstNonFinite(value)
        if (nonFinite !== undefined) ctx.problems.push({ message: `json: unsupported value: ${nonFiniteText(nonFinite)}`, path: ctx.path, conversion: true })
        return toJsonNumbers(value)
      }
      case 'custom':
        return this.custom(value, customDecoder(node) as CustomDecoder, ctx, existing)
      case 'struct':
        if (value === null) return existing
        return isObject(value) ? this.struct(value, node, ctx, existing) : fail(jsonKind(value))
      case 'map':
        if (value === null) return undefined
        return isObject(value) ? this.map(value, node, ctx, existing) : fail(jsonKind(value))
      case 'slice':
        if (value === null) return undefined
        return Array.isArray(value) ? this.slice(value, node, ctx, existing) : fail(jsonKind(value))
      case 'string':
        if (value === null) return existing
        if (ctx.fromYaml && (typeof value === 'boolean' || isNumber(value))) {
          ctx.coerced.push({ path: ctx.path, from: value })
          return scalarToString(value, ctx.isFloat(ctx.path))
        }
        return typeof value === 'string' ? value : fail(jsonKind(value))
      case 'bool':
        if (value === null) return existing
        return typeof value === 'boolean' ? value : fail(jsonKind(value))
      case 'int': {
        if (value === null) return existing
        if (!isNumber(value)) return fail(jsonKind(value))
        return goInteger(value, goTypeName(node)) ?? fail(`number ${numberText(value)}`)
      }
      case 'float': {
        if (value === null) return existing
        if (!isNumber(value)) return fail(jsonKind(value))
        const n = Number(value)
        // ParseFloat(s, 32) fails where the value overflows a float32.
        return goTypeName(node) === 'float32' && !Number.isFinite(Math.fround(n)) ? fail(`number ${numberText(value)}`) : n
      }
    }
  }

  /** UnmarshalTypeError.Error(), with the struct and field context Go adds. */
  private typeMessage(what: string, goType: string, ctx: Context): string {
    const where = ctx.struct !== '' || ctx.stack.length > 0 ? `Go struct field ${ctx.struct}.${ctx.stack.join('.')}` : 'Go value'
    return `json: cannot unmarshal ${what} into ${where} of type ${goType}`
  }

  private custom(value: Json, decoder: CustomDecoder, ctx: Context, existing: Json): Json {
    const result = decoder(value)
    if ('value' in result) return result.value
    const message = 'typeError' in result ? this.typeMessage(result.typeError[0], result.typeError[1], ctx) : result.error
    ctx.problems.push({ message, path: ctx.path, stop: true })
    return existing
  }

  private struct(value: JsonObject, node: SchemaNode, ctx: Context, existing: Json): JsonObject {
    const out: JsonObject = isObject(existing) ? existing : {}
    const properties = (node.properties ?? {}) as Record<string, SchemaNode>
    const goType = goTypeName(node)
    const structName = goType.slice(goType.lastIndexOf('.') + 1)
    for (const key of ctx.fromYaml ? sortedKeys(value) : Object.keys(value)) {
      const path = [...ctx.path, key]
      const field = findField(properties, key)
      if (field === undefined) {
        // The value of an unknown field is skipped unread, but it went through the conversion to JSON.
        const nonFinite = ctx.fromYaml ? firstNonFinite(value[key]) : undefined
        if (nonFinite !== undefined) ctx.problems.push({ message: `json: unsupported value: ${nonFiniteText(nonFinite)}`, path, conversion: true })
        ctx.problems.push({ message: `json: unknown field ${JSON.stringify(key)}`, path, unknownField: key })
        continue
      }
      // JSON null sets a pointer field to nil before any decoder of its type sees it.
      const decoded =
        value[key] === null && isPointerField(resolveSchema(properties[field]))
          ? undefined
          : this.decode(value[key], properties[field], { ...ctx, path, struct: structName, stack: [...ctx.stack, field] }, out[field])
      if (decoded === undefined) delete out[field]
      else out[field] = decoded
    }
    return out
  }

  private map(value: JsonObject, node: SchemaNode, ctx: Context, existing: Json): JsonObject {
    const out: JsonObject = isObject(existing) ? existing : {}
    const values = node.additionalProperties as SchemaNode
    for (const key of ctx.fromYaml ? sortedKeys(value) : Object.keys(value)) {
      // Each entry is decoded into a fresh zero value of the map's element type.
      setOwn(out, key, this.decode(value[key], values, { ...ctx, path: [...ctx.path, key] }, undefined) ?? zeroOf(values))
    }
    return out
  }

  private slice(value: Json[], node: SchemaNode, ctx: Context, existing: Json): Json[] {
    const items = node.items as SchemaNode | undefined
    if (!items) return structuredClone(value)
    // A slice decoded again reuses its elements (a struct element is decoded into, not replaced).
    const old = Array.isArray(existing) ? existing : []
    const pointers = /^\[\]\*/.test(goTypeName(node))
    return value.map((item, i) => {
      const decoded = this.decode(item, items, { ...ctx, path: [...ctx.path, i] }, old[i])
      return decoded === undefined ? (pointers ? null : zeroOf(items)) : decoded
    })
  }
}

/** Go's zero value of an element type, as encoding/json writes it. */
function zeroOf(input: SchemaNode): Json {
  const node = resolveSchema(input)
  switch (kindOf(node)) {
    case 'string':
      return ''
    case 'bool':
      return false
    case 'int':
    case 'float':
      return 0
    case 'struct':
      return {}
    case 'custom': {
      const result = (customDecoder(node) as CustomDecoder)(null)
      return 'value' in result && result.value !== undefined ? result.value : null
    }
    default:
      return null
  }
}

/**
 * Decodes `value` into the Go type `schema` describes, as calicoctl reads YAML or JSON files
 * (through sigs.k8s.io/yaml), or with `fromYaml: false` as json.Unmarshal reads JSON text.
 */
export function decodeLikeGo(value: Json, schema: SchemaNode, options: { fromYaml?: boolean; isFloat?: (path: GoPath) => boolean } = {}): GoDecoded {
  const ctx: Context = {
    fromYaml: options.fromYaml ?? true,
    isFloat: options.isFloat ?? (() => false),
    path: [],
    struct: '',
    stack: [],
    problems: [],
    coerced: [],
  }
  const decoded = new Decoder().decode(value, schema, ctx)
  return { value: decoded, problems: ctx.problems, coerced: ctx.coerced }
}
