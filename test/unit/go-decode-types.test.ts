/**
 * The API types that decode themselves (numorstring, metav1, intstr) at their edges, and Go's
 * integer and float ranges, with the value held or the error Go returns. The schema is a small
 * one shaped like a Calico kind, so each rule shows on its own.
 */
import { describe, expect, it } from 'vitest'
import { decodeLikeGo, goError, goTypeName } from '../../src/resources/go-decode.js'
import type { SchemaNode } from '../../src/resources/schema.js'

const typed = (goType: string, type: unknown = ['integer', 'string']): SchemaNode => ({ type, 'x-go-type': goType }) as SchemaNode
const SPEC: SchemaNode = {
  type: 'object',
  'x-go-type': 'v3.ThingSpec',
  additionalProperties: false,
  properties: {
    asNumber: typed('numorstring.ASNumber'),
    port: typed('numorstring.Port'),
    dscp: typed('numorstring.DSCP'),
    target: typed('intstr.IntOrString'),
    interval: typed('v1.Duration', 'string'),
    since: typed('v1.Time', ['string', 'null']),
    fields: typed('v1.FieldsV1', 'object'),
    i8: typed('int8', 'integer'),
    i16: typed('int16', 'integer'),
    i32: typed('int32', 'integer'),
    i64: typed('int64', 'integer'),
    u16: typed('uint16', 'integer'),
    u32: typed('uint32', 'integer'),
    u64: typed('uint64', 'integer'),
    f32: typed('float32', 'number'),
    f64: { type: 'number' },
    anything: {},
    either: { type: ['string', 'integer'] },
    ports: { type: 'array', items: typed('numorstring.Port') },
    targets: { type: 'object', additionalProperties: typed('intstr.IntOrString') },
    flags: { type: 'object', additionalProperties: { type: 'boolean' } },
    pointers: { type: 'array', 'x-go-type': '[]*v3.Thing', items: { type: 'object', 'x-go-type': 'v3.Thing', properties: { a: { type: 'string' } } } },
    open: { type: 'object' },
    closed: { type: 'object', additionalProperties: false },
  },
}

const decode = (spec: Record<string, unknown>, fromYaml = true) => decodeLikeGo({ spec }, { type: 'object', 'x-go-type': 'v3.Thing', additionalProperties: false, properties: { spec: SPEC } }, { fromYaml })
const held = (field: string, value: unknown, fromYaml = true) => {
  const decoded = decode({ [field]: value }, fromYaml)
  const error = goError(decoded.problems)
  return error ? `error: ${error.message}` : (decoded.value as { spec: Record<string, unknown> }).spec[field]
}
const typeErr = (what: string, field: string, goType: string) => `error: json: cannot unmarshal ${what} into Go struct field ThingSpec.spec.${field} of type ${goType}`

describe('numorstring.ASNumber', () => {
  it.each<[unknown, unknown]>([
    [0, 0],
    [4294967295, 4294967295],
    [4294967296, typeErr('number', 'asNumber', 'string')],
    [-1, typeErr('number', 'asNumber', 'string')],
    [1.5, typeErr('number', 'asNumber', 'string')],
    [null, undefined],
    [[], typeErr('array', 'asNumber', 'string')],
    ['4294967295', 4294967295],
    ['007', 7],
    ['0.1', 1],
    ['1.65535', 131071],
    ['65535.65535', 4294967295],
    ['65536.0', 'error: invalid AS Number format (65536.0)'],
    ['1.65536', 'error: invalid AS Number format (1.65536)'],
    ['4294967296', 'error: invalid AS Number format (4294967296)'],
    ['1.2.3', 'error: invalid AS Number format (1.2.3)'],
    ['.1', 'error: invalid AS Number format (.1)'],
    ['+5', 'error: invalid AS Number format (+5)'],
    ['', 'error: invalid AS Number format ()'],
  ])('%j', (value, expected) => expect(held('asNumber', value)).toEqual(expected))
})

describe('numorstring.Port', () => {
  it.each<[unknown, unknown]>([
    [0, 0],
    [65535, 65535],
    [65536, typeErr('number 65536', 'port', 'uint16')],
    [-1, typeErr('number -1', 'port', 'uint16')],
    [true, typeErr('bool', 'port', 'uint16')],
    ['65535', 65535],
    ['65536', 'error: invalid port format (65536)'],
    ['0:65535', '0:65535'],
    ['80:80', 80],
    ['65536:1', 'error: invalid minimum port number in range (65536:1)'],
    ['2:1', 'error: minimum port number (2) is greater than maximum port number (1) in port range'],
    ['http-alt', 'http-alt'],
    ['a'.repeat(128), 'a'.repeat(128)],
    ['a'.repeat(129), `error: invalid name for named port (${'a'.repeat(129)})`],
    ['1:2:3', 'error: invalid name for named port (1:2:3)'],
    [' 80', 'error: invalid name for named port ( 80)'],
    ['80 ', 'error: invalid name for named port (80 )'],
    ['', 'error: invalid name for named port ()'],
  ])('%j', (value, expected) => expect(held('port', value)).toEqual(expected))

  it('holds the zero port for null in a list (a null field is left unset)', () => expect(held('ports', [null, 'http'])).toEqual([0, 'http']))
})

describe('numorstring.Uint8OrString (DSCP, protocols)', () => {
  it.each<[unknown, unknown]>([
    [0, 0],
    [255, 255],
    [256, typeErr('number 256', 'dscp', 'uint8')],
    [{}, typeErr('object', 'dscp', 'uint8')],
    ['255', 255],
    ['256', '256'],
    ['AF11', 'AF11'],
  ])('%j', (value, expected) => expect(held('dscp', value)).toEqual(expected))
})

describe('intstr.IntOrString', () => {
  it.each<[unknown, unknown]>([
    ['http', 'http'],
    ['80', '80'],
    [2147483647, 2147483647],
    [-2147483648, -2147483648],
    [2147483648, typeErr('number 2147483648', 'target', 'int32')],
    [-2147483649, typeErr('number -2147483649', 'target', 'int32')],
    [1.5, typeErr('number 1.5', 'target', 'int32')],
    [false, typeErr('bool', 'target', 'int32')],
  ])('%j', (value, expected) => expect(held('target', value)).toEqual(expected))

  it('holds the zero value for null in a map', () => expect(held('targets', { a: null, b: 'x' })).toEqual({ a: 0, b: 'x' }))
})

describe('metav1.Duration, metav1.Time and FieldsV1', () => {
  it.each<[string, unknown, unknown]>([
    ['interval', null, undefined],
    ['interval', '1h0m0s', '1h0m0s'],
    ['interval', '0.5s', '500ms'],
    ['interval', true, typeErr('bool', 'interval', 'string')],
    ['since', null, undefined],
    ['since', 5, typeErr('number', 'since', 'string')],
    ['fields', { 'f:spec': { '.': {} }, n: 1 }, { 'f:spec': { '.': {} }, n: 1 }],
    ['fields', [1, 'a'], [1, 'a']],
  ])('%s %s', (field, value, expected) => expect(held(field, value)).toEqual(expected))
})

describe("Go's integer and float ranges", () => {
  it.each<[string, unknown, unknown]>([
    ['i8', 127, 127],
    ['i8', 128, typeErr('number 128', 'i8', 'int8')],
    ['i8', -128, -128],
    ['i8', -129, typeErr('number -129', 'i8', 'int8')],
    ['i16', 32767, 32767],
    ['i16', 32768, typeErr('number 32768', 'i16', 'int16')],
    ['i32', -2147483648, -2147483648],
    ['i32', 2147483648, typeErr('number 2147483648', 'i32', 'int32')],
    ['i64', 9223372036854775807n, 9223372036854775807],
    ['i64', 9223372036854775808n, typeErr('number 9223372036854775808', 'i64', 'int64')],
    ['i64', -9223372036854775808n, -9223372036854775808],
    ['u16', 65535, 65535],
    ['u16', -1, typeErr('number -1', 'u16', 'uint16')],
    ['u32', 4294967295, 4294967295],
    ['u32', 4294967296, typeErr('number 4294967296', 'u32', 'uint32')],
    ['u64', 18446744073709551615n, 18446744073709551615],
    ['u64', 18446744073709551616n, typeErr('number 18446744073709551616', 'u64', 'uint64')],
    ['i32', 'x', typeErr('string', 'i32', 'int32')],
    ['f32', 3.4e38, 3.4e38],
    ['f32', 3.5e38, typeErr('number 3.5e+38', 'f32', 'float32')],
    ['f64', 3.5e38, 3.5e38],
    ['f64', 12345678901234567890n, 12345678901234567000],
    ['f64', '1', typeErr('string', 'f64', 'float64')],
    ['f64', null, undefined],
  ])('%s %s', (field, value, expected) => expect(held(field, value)).toEqual(expected))
})

describe('values of no single Go type', () => {
  it('takes anything where the schema names no type, or several', () => {
    expect(held('anything', { a: [1, 12345678901234567890n] })).toEqual({ a: [1, 12345678901234567000] })
    expect(held('either', true)).toBe(true)
    expect(held('open', { x: 1 })).toEqual({ x: 1 })
  })

  it('refuses a number JSON cannot hold anywhere in such a value, before decoding', () => {
    const decoded = decode({ anything: { b: [1, Number.NEGATIVE_INFINITY], a: Number.NaN }, port: 'x:y' })
    expect(goError(decoded.problems)).toMatchObject({ message: 'json: unsupported value: NaN', conversion: true })
    expect(held('anything', [{ k: Number.POSITIVE_INFINITY }])).toBe('error: json: unsupported value: +Inf')
    expect(held('u16', Number.NEGATIVE_INFINITY)).toBe('error: json: unsupported value: -Inf')
    expect(held('anything', { ok: [1, { fine: 2 }] })).toEqual({ ok: [1, { fine: 2 }] })
  })

  it('checks what an unknown field holds only when it came from YAML', () => {
    expect(goError(decode({ unknown: [Number.POSITIVE_INFINITY] }).problems)?.message).toBe('json: unsupported value: +Inf')
    expect(goError(decode({ unknown: [Number.POSITIVE_INFINITY] }, false).problems)?.message).toBe('json: unknown field "unknown"')
  })

  it('takes a scalar as a string only from YAML', () => {
    expect(held('either', 5, false)).toBe(5)
    expect(decode({ flags: { a: 'yes' } }).problems[0]?.message).toBe('json: cannot unmarshal string into Go struct field ThingSpec.spec.flags of type bool')
  })

  it('decodes into a struct that allows no fields, and holds nil for null pointers in a list', () => {
    expect(held('closed', {})).toEqual({})
    expect(held('pointers', [null, { a: 'x' }])).toEqual([null, { a: 'x' }])
  })
})

describe('Go type names', () => {
  it.each<[SchemaNode, string]>([
    [{ type: 'array', items: { type: 'string' } }, '[]string'],
    [{ type: 'array' }, '[]interface {}'],
    [{ type: 'object', additionalProperties: { type: 'integer' } }, 'map[string]int'],
    [{ type: 'boolean' }, 'bool'],
    [{ type: 'number' }, 'float64'],
    [{ type: ['string', 'integer'] }, 'interface {}'],
    [{ type: ['string', 'null'] }, 'string'],
    [{}, 'interface {}'],
  ])('%j is %s', (node, name) => expect(goTypeName(node)).toBe(name))
})
