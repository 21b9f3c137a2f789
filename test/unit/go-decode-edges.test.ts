/**
 * The decoder at the edges of Go's types: integer widths, float32, the custom decoders' null and
 * out-of-range inputs, zero values of map and list elements, untyped (any) values, and what
 * sigs.k8s.io/yaml writes for a YAML float in a string field. Texts are encoding/json's.
 */
import { describe, expect, it } from 'vitest'
import { decodeLikeGo, goError } from '../../src/resources/go-decode.js'
import type { SchemaNode } from '../../src/resources/schema.js'

const str = { type: 'string' }
const SUB: SchemaNode = { type: 'object', 'x-go-type': 'v3.Sub', additionalProperties: false, properties: { a: str } }
const SPEC: SchemaNode = {
  type: 'object',
  'x-go-type': 'v3.EdgeSpec',
  additionalProperties: false,
  properties: {
    i8: { type: 'integer', 'x-go-type': 'int8', 'x-omitempty': true },
    i16: { type: 'integer', 'x-go-type': 'int16' },
    i32: { type: 'integer', 'x-go-type': 'int32' },
    u16: { type: 'integer', 'x-go-type': 'uint16' },
    u32: { type: 'integer', 'x-go-type': 'uint32' },
    u64: { type: 'integer', 'x-go-type': 'uint64' },
    named: { type: 'integer', 'x-go-type': 'v3.Count' },
    plain: { type: 'integer' },
    f32: { type: 'number', 'x-go-type': 'float32' },
    f64: { type: 'number', 'x-omitempty': true },
    flag: { type: 'boolean', 'x-omitempty': true },
    text: { ...str, 'x-omitempty': true },
    asn: { type: ['integer', 'string'], 'x-go-type': 'numorstring.ASNumber' },
    port: { type: ['integer', 'string'], 'x-go-type': 'numorstring.Port', 'x-omitempty': true },
    dscp: { type: ['integer', 'string'], 'x-go-type': 'numorstring.DSCP', 'x-omitempty': true },
    target: { type: ['integer', 'string'], 'x-go-type': 'intstr.IntOrString', 'x-omitempty': true },
    fields: { type: 'object', 'x-go-type': 'v1.FieldsV1' },
    anything: {},
    either: { type: ['string', 'integer'] },
    untypedList: { type: 'array' },
    ptr: SUB,
    inline: { ...SUB, 'x-go-struct': true },
    ptrs: { type: 'array', 'x-go-type': '[]*v3.Sub', items: SUB },
    subs: { type: 'array', items: SUB },
    bools: { type: 'object', additionalProperties: { type: 'boolean' } },
    ints: { type: 'object', additionalProperties: { type: 'integer' } },
    floats: { type: 'object', additionalProperties: { type: 'number' } },
    structs: { type: 'object', additionalProperties: SUB },
    lists: { type: 'object', additionalProperties: { type: 'array', items: str } },
    ports: { type: 'object', additionalProperties: { type: ['integer', 'string'], 'x-go-type': 'numorstring.Port' } },
    times: { type: 'object', additionalProperties: { type: 'string', 'x-go-type': 'v1.Time' } },
    intMaps: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } } },
  },
}

const decode = (spec: Record<string, unknown>, options: Parameters<typeof decodeLikeGo>[2] = {}) => decodeLikeGo(spec, SPEC, options)
const held = (spec: Record<string, unknown>) => {
  const decoded = decode(spec)
  expect(decoded.problems).toEqual([])
  return decoded.value
}
const error = (spec: Record<string, unknown>) => goError(decode(spec).problems)?.message
const field = (name: string, type: string, what: string) => `json: cannot unmarshal ${what} into Go struct field EdgeSpec.${name} of type ${type}`

describe("Go's integer widths", () => {
  it.each([
    ['i8', 'int8', -128, 127, -129, 128],
    ['i16', 'int16', -32768, 32767, -32769, 32768],
    ['i32', 'int32', -(2 ** 31), 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 31],
    ['u16', 'uint16', 0, 65535, -1, 65536],
    ['u32', 'uint32', 0, 2 ** 32 - 1, -1, 2 ** 32],
  ])('%s takes %s from its minimum to its maximum, and no further', (name, type, min, max, below, above) => {
    expect(held({ [name]: min })).toEqual({ [name]: min })
    expect(held({ [name]: max })).toEqual({ [name]: max })
    expect(error({ [name]: below })).toBe(field(name, type, `number ${below}`))
    expect(error({ [name]: above })).toBe(field(name, type, `number ${above}`))
  })

  it('takes a uint64 up to 2^64-1, and a named or untyped integer as an int64', () => {
    expect(error({ u64: 2n ** 64n })).toBe(field('u64', 'uint64', 'number 18446744073709551616'))
    expect(error({ u64: -1 })).toBe(field('u64', 'uint64', 'number -1'))
    expect(decode({ u64: 2n ** 64n - 1n }).problems).toEqual([])
    expect(held({ named: -(2n ** 63n) })).toEqual({ named: -(2 ** 63) })
    expect(error({ named: 2n ** 63n })).toBe(field('named', 'v3.Count', 'number 9223372036854775808'))
    expect(error({ plain: -(2n ** 63n) - 1n })).toBe(field('plain', 'int', 'number -9223372036854775809'))
    expect(error({ plain: 2.5 })).toBe(field('plain', 'int', 'number 2.5'))
    expect(error({ plain: 'x' })).toBe(field('plain', 'int', 'string'))
  })

  it('calls a big integer a number in a type error', () => {
    expect(error({ flag: 2n ** 70n })).toBe(field('flag', 'bool', 'number'))
    expect(error({ flag: null })).toBeUndefined()
  })
})

describe('floats', () => {
  it('refuses a float32 beyond its range, as ParseFloat(s, 32) does, and takes float64 as it is', () => {
    expect(held({ f32: 3.4e38, f64: 1e300 })).toEqual({ f32: 3.4e38, f64: 1e300 })
    expect(error({ f32: 1e39 })).toBe(field('f32', 'float32', 'number 1e+39'))
    expect(error({ f64: 'x' })).toBe(field('f64', 'float64', 'string'))
    expect(held({ f64: 2n ** 60n })).toEqual({ f64: 2 ** 60 })
  })

  it.each([
    [1.5, '1.5'],
    [0.1, '0.1'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [123456, '123456'],
    [1234567, '1.234567e+06'],
    [3.14159265358979, '3.1415927'],
    [-2.5e-7, '-2.5e-07'],
    [1e21, '1e+21'],
  ])('writes the YAML float %s into a string field as %j (float32, shortest)', (value, text) => {
    const decoded = decode({ text: value }, { isFloat: (path) => path.join('.') === 'text' })
    expect(decoded.value).toEqual({ text })
    expect(decoded.coerced).toEqual([{ path: ['text'], from: value }])
  })

  it('writes a YAML integer beyond 2^53 as a float, a smaller one as it is', () => {
    expect(held({ text: 2 ** 60 })).toEqual({ text: '1.1529215e+18' })
    expect(held({ text: 2 ** 53 - 1 })).toEqual({ text: '9007199254740991' })
  })
})

describe('types that decode themselves, at their edges', () => {
  it('numorstring.ASNumber: a uint32 or a decimal or asdot string', () => {
    expect(held({ asn: 4294967295 })).toEqual({ asn: 4294967295 })
    expect(held({ asn: 0 })).toEqual({ asn: 0 })
    expect(held({ asn: '4294967295' })).toEqual({ asn: 4294967295 })
    expect(held({ asn: '65535.65535' })).toEqual({ asn: 4294967295 })
    expect(held({ asn: null })).toEqual({})
    for (const bad of ['4294967296', '65536.0', '1.2.3', '1.', '.1', 'x.1', '1.x', '-1', ' 1', '+1']) {
      expect(error({ asn: bad }), bad).toBe(`invalid AS Number format (${bad})`)
    }
    for (const number of [-1, 1.5, 4294967296]) expect(error({ asn: number })).toBe(field('asn', 'string', 'number'))
    expect(error({ asn: [] })).toBe(field('asn', 'string', 'array'))
  })

  it('numorstring.Port: null is port 0, numbers up to 65535, ranges anchored, names by their pattern', () => {
    expect(held({ port: null })).toEqual({ port: 0 })
    expect(held({ port: 0 })).toEqual({ port: 0 })
    expect(held({ port: '65535' })).toEqual({ port: 65535 })
    expect(held({ port: '0:65535' })).toEqual({ port: '0:65535' })
    expect(held({ port: 'a-b_c.d' })).toEqual({ port: 'a-b_c.d' })
    expect(held({ port: 'x'.repeat(128) })).toEqual({ port: 'x'.repeat(128) })
    expect(error({ port: 'x'.repeat(129) })).toBe(`invalid name for named port (${'x'.repeat(129)})`)
    expect(error({ port: '65536' })).toBe('invalid port format (65536)')
    expect(error({ port: '70000:1' })).toBe('invalid minimum port number in range (70000:1)')
    for (const bad of ['x1:2', '1:2x', '1:2:3', 'a b', '']) expect(error({ port: bad }), bad).toBe(`invalid name for named port (${bad})`)
    expect(error({ port: 1.5 })).toBe(field('port', 'uint16', 'number 1.5'))
    expect(error({ port: true })).toBe(field('port', 'uint16', 'bool'))
    expect(error({ port: {} })).toBe(field('port', 'uint16', 'object'))
  })

  it('numorstring.DSCP: a uint8, a string read as a number when it is one, null as 0', () => {
    expect(held({ dscp: 255 })).toEqual({ dscp: 255 })
    expect(held({ dscp: '46' })).toEqual({ dscp: 46 })
    expect(held({ dscp: '256' })).toEqual({ dscp: '256' })
    expect(held({ dscp: 'EF' })).toEqual({ dscp: 'EF' })
    expect(held({ dscp: null })).toEqual({ dscp: 0 })
    expect(error({ dscp: -1 })).toBe(field('dscp', 'uint8', 'number -1'))
    expect(error({ dscp: false })).toBe(field('dscp', 'uint8', 'bool'))
  })

  it('intstr.IntOrString: a string as it is, else an int32', () => {
    expect(held({ target: 'http' })).toEqual({ target: 'http' })
    expect(held({ target: '80' })).toEqual({ target: '80' })
    expect(held({ target: -(2 ** 31) })).toEqual({ target: -(2 ** 31) })
    expect(held({ target: 2 ** 31 - 1 })).toEqual({ target: 2 ** 31 - 1 })
    expect(held({ target: null })).toEqual({ target: 0 })
    expect(error({ target: 2 ** 31 })).toBe(field('target', 'int32', 'number 2147483648'))
    expect(error({ target: -(2 ** 31) - 1 })).toBe(field('target', 'int32', 'number -2147483649'))
    expect(error({ target: 1.5 })).toBe(field('target', 'int32', 'number 1.5'))
    expect(error({ target: 2n ** 64n })).toBe(field('target', 'int32', 'number 18446744073709551616'))
    expect(error({ target: true })).toBe(field('target', 'int32', 'bool'))
    expect(decode({ target: true }).problems[0]).toMatchObject({ stop: true, path: ['target'] })
  })

  it('v1.FieldsV1 and untyped values: any JSON, big integers as JSON numbers', () => {
    expect(held({ fields: { 'f:spec': { 'f:cidr': {}, n: [1n, 'x', true, null] } } })).toEqual({ fields: { 'f:spec': { 'f:cidr': {}, n: [1, 'x', true, null] } } })
    expect(held({ anything: { a: [2n ** 60n, { b: 1n }] } })).toEqual({ anything: { a: [2 ** 60, { b: 1 }] } })
    expect(held({ either: true, untypedList: [1, 'a', { b: [true] }] })).toEqual({ either: true, untypedList: [1, 'a', { b: [true] }] })
  })
})

describe('numbers JSON cannot hold', () => {
  it('in an untyped value: the first one in sorted key order stops the conversion', () => {
    const decoded = decode({ anything: { z: NaN, a: [1, { m: -Infinity }, Infinity] } })
    expect(goError(decoded.problems)).toEqual({ message: 'json: unsupported value: -Inf', path: ['anything'], conversion: true })
    expect(goError(decode({ anything: [1, 2, NaN] }).problems)?.message).toBe('json: unsupported value: NaN')
    expect(decode({ anything: [1, { a: 2 }] }).problems).toEqual([])
  })

  it("in an unknown field's value, which is otherwise skipped", () => {
    const decoded = decode({ unknown: { b: [Infinity], a: 'x' } })
    expect(decoded.problems.map((p) => p.message)).toEqual(['json: unsupported value: +Inf', 'json: unknown field "unknown"'])
    expect(goError(decoded.problems)?.message).toBe('json: unsupported value: +Inf')
    expect(decode({ unknown: { a: [1, 'x'] } }).problems.map((p) => p.message)).toEqual(['json: unknown field "unknown"'])
    // json.Unmarshal of JSON text never meets one: the value is skipped unread.
    expect(decodeLikeGo({ unknown: [NaN] }, SPEC, { fromYaml: false }).problems.map((p) => p.message)).toEqual(['json: unknown field "unknown"'])
  })
})

describe('null and zero values', () => {
  it('a map element that is null holds its type\'s zero value', () => {
    expect(held({ bools: { a: null }, ints: { a: null }, floats: { a: null }, structs: { a: null }, lists: { a: null } })).toEqual({
      bools: { a: false },
      ints: { a: 0 },
      floats: { a: 0 },
      structs: { a: {} },
      lists: { a: null },
    })
    expect(held({ ports: { a: null }, times: { a: null }, intMaps: { a: null } })).toEqual({ ports: { a: 0 }, times: { a: null }, intMaps: { a: null } })
  })

  it('a null element of a list of pointers stays nil; of a list of structs, an empty struct', () => {
    expect(held({ ptrs: [null, { a: 'x' }], subs: [null, { a: 'x' }] })).toEqual({ ptrs: [null, { a: 'x' }], subs: [{}, { a: 'x' }] })
  })

  it('null resets a pointer field set earlier in the document, but leaves a struct value as it was', () => {
    // A field that is not omitempty, omitzero or a plain struct is a pointer in the API's Go types.
    expect(held({ PTR: { a: 'x' }, ptr: null })).toEqual({})
    expect(held({ INLINE: { a: 'x' }, inline: null })).toEqual({ inline: { a: 'x' } })
    expect(held({ BOOLS: { a: true }, bools: null })).toEqual({})
    expect(held({ SUBS: [{}], subs: null })).toEqual({})
    expect(held({ FLAG: true, flag: null })).toEqual({ flag: true })
    expect(held({ I8: 1, i8: null, F64: 1, f64: null, TEXT: 'x', text: null })).toEqual({ i8: 1, f64: 1, text: 'x' })
  })

  it('a wrong type leaves what an earlier spelling of the field set', () => {
    const decoded = decode({ FLAG: true, flag: 'yes' })
    expect(decoded.value).toEqual({ flag: true })
    expect(goError(decoded.problems)?.message).toBe(field('flag', 'bool', 'string'))
  })
})

describe('field names', () => {
  it('fold only letters, the Kelvin sign (k) and the long s (s)', () => {
    expect(decode({ te\u212at: 'x' }).problems.map((p) => p.message)).toEqual(['json: unknown field "te\u212at"'])
    expect(held({ \u017fubs: [] })).toEqual({ subs: [] })
    expect(held({ TEXT: 'x' })).toEqual({ text: 'x' })
    expect(decode({ te_t: 'x' }).problems.map((p) => p.message)).toEqual(['json: unknown field "te_t"'])
    expect(decode({ tex: 'x' }).problems.map((p) => p.message)).toEqual(['json: unknown field "tex"'])
  })

  it('name a top-level value without a struct as a Go value', () => {
    expect(decodeLikeGo('x', { type: 'integer' }).problems.map((p) => p.message)).toEqual(['json: cannot unmarshal string into Go value of type int'])
    expect(decodeLikeGo({ a: 'x' }, { type: 'object', additionalProperties: { type: 'boolean' } }).problems.map((p) => p.message)).toEqual([
      'json: cannot unmarshal string into Go value of type bool',
    ])
    expect(decodeLikeGo([1], { type: 'array', items: { type: 'object', additionalProperties: { type: 'array', items: { type: 'number' } } } }).problems.map((p) => p.message)).toEqual([
      'json: cannot unmarshal number into Go value of type map[string][]float64',
    ])
  })
})
