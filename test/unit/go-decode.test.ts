import { describe, expect, it } from 'vitest'
import { decodeLikeGo, goError } from '../../src/resources/go-decode.js'
import type { SchemaNode } from '../../src/resources/schema.js'

/**
 * The decoder against a small schema shaped like a Calico kind, so each of Go's rules is visible on
 * its own: case-insensitive fields, Go's type texts, which error wins, null, custom decoders.
 */
const str = { type: 'string' }
const RULE: SchemaNode = {
  type: 'object',
  'x-go-type': 'v3.Rule',
  additionalProperties: false,
  properties: {
    action: { type: 'string', 'x-go-type': 'v3.Action' },
    ipVersion: { type: 'integer', 'x-go-type': 'int' },
    protocol: { type: ['integer', 'string'], 'x-go-type': 'numorstring.Protocol' },
    ports: { type: 'array', items: { type: ['integer', 'string'], 'x-go-type': 'numorstring.Port' } },
  },
}
const SCHEMA: SchemaNode = {
  type: 'object',
  'x-go-type': 'v3.Thing',
  additionalProperties: false,
  properties: {
    kind: str,
    apiVersion: str,
    metadata: {
      type: 'object',
      'x-go-type': 'v1.ObjectMeta',
      additionalProperties: false,
      properties: {
        name: str,
        labels: { type: 'object', additionalProperties: str },
        creationTimestamp: { type: ['string', 'null'], 'x-go-type': 'v1.Time' },
      },
    },
    spec: {
      type: 'object',
      'x-go-type': 'v3.ThingSpec',
      additionalProperties: false,
      properties: {
        order: { type: 'number', 'x-go-type': 'float64' },
        disabled: { type: 'boolean' },
        blockSize: { type: 'integer', 'x-go-type': 'int' },
        asNumber: { type: ['integer', 'string'], 'x-go-type': 'numorstring.ASNumber' },
        ttl: { type: 'integer', 'x-go-type': 'uint8' },
        interval: { type: 'string', 'x-go-type': 'v1.Duration' },
        nodeSelector: str,
        cidrs: { type: 'array', items: str },
        ingress: { type: 'array', items: RULE },
        egress: { type: 'array', items: RULE },
      },
    },
  },
}

const decode = (value: unknown) => decodeLikeGo(value, SCHEMA)
const messages = (value: unknown) => decode(value).problems.map((p) => p.message)
const thing = (spec: unknown, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v3', kind: 'Thing', metadata: { name: 't' }, spec, ...extra })

describe('field names', () => {
  it('match case-insensitively, the result holding the canonical names', () => {
    const decoded = decode({ apiVersion: 'v3', kind: 'Thing', Metadata: { NAME: 'x' }, spec: { Order: 100, EGRESS: [{ Action: 'Allow' }], blocksize: 26 } })
    expect(decoded.problems).toEqual([])
    expect(decoded.value).toEqual({ apiVersion: 'v3', kind: 'Thing', metadata: { name: 'x' }, spec: { order: 100, egress: [{ action: 'Allow' }], blockSize: 26 } })
  })

  it('fold the Kelvin sign and the long s as Go does, but nothing else', () => {
    expect(decode(thing({ di\u017fabled: true })).value).toMatchObject({ spec: { disabled: true } })
    expect(messages(thing({ disabled_: true }))).toEqual(['json: unknown field "disabled_"'])
  })

  it('decode keys in sorted order, so of two spellings of one field the later in byte order wins', () => {
    expect(decode(thing({ order: 2, Order: 1 })).value).toMatchObject({ spec: { order: 2 } })
    expect(decode(thing({ ORDER: 2, Order: 1 })).value).toMatchObject({ spec: { order: 1 } })
  })

  it('merge a struct decoded twice, and reuse the elements of a list decoded twice', () => {
    const decoded = decode(thing({ Ingress: [{ action: 'Allow' }], ingress: [{ protocol: 'TCP' }] }, { Spec: { order: 1 } }))
    expect(decoded.value).toMatchObject({ spec: { order: 1, ingress: [{ action: 'Allow', protocol: 'TCP' }] } })
  })
})

describe("Go's error texts", () => {
  it.each([
    [{ disabled: 'True' }, 'json: cannot unmarshal string into Go struct field ThingSpec.spec.disabled of type bool'],
    [{ blockSize: '26' }, 'json: cannot unmarshal string into Go struct field ThingSpec.spec.blockSize of type int'],
    [{ blockSize: 1.5 }, 'json: cannot unmarshal number 1.5 into Go struct field ThingSpec.spec.blockSize of type int'],
    [{ ttl: 256 }, 'json: cannot unmarshal number 256 into Go struct field ThingSpec.spec.ttl of type uint8'],
    [{ ttl: -1 }, 'json: cannot unmarshal number -1 into Go struct field ThingSpec.spec.ttl of type uint8'],
    [{ order: true }, 'json: cannot unmarshal bool into Go struct field ThingSpec.spec.order of type float64'],
    [{ cidrs: '10.0.0.0/8' }, 'json: cannot unmarshal string into Go struct field ThingSpec.spec.cidrs of type []string'],
    [{ cidrs: [{}] }, 'json: cannot unmarshal object into Go struct field ThingSpec.spec.cidrs of type string'],
    [{ ingress: {} }, 'json: cannot unmarshal object into Go struct field ThingSpec.spec.ingress of type []v3.Rule'],
    [{ ingress: [5] }, 'json: cannot unmarshal number into Go struct field ThingSpec.spec.ingress of type v3.Rule'],
    [{ ingress: [{ action: [] }] }, 'json: cannot unmarshal array into Go struct field Rule.spec.ingress.action of type v3.Action'],
    [{ ingress: [{}, { ipVersion: '4' }] }, 'json: cannot unmarshal string into Go struct field Rule.spec.ingress.ipVersion of type int'],
  ])('%j', (spec, message) => {
    expect(messages(thing(spec))).toEqual([message])
  })

  it('names the root struct for a top-level field and map values by the map field', () => {
    expect(messages(thing(5))).toEqual(['json: cannot unmarshal number into Go struct field Thing.spec of type v3.ThingSpec'])
    expect(messages({ metadata: { labels: { a: { b: 1 } } } })).toEqual([
      'json: cannot unmarshal object into Go struct field ObjectMeta.metadata.labels of type string',
    ])
    expect(messages([])).toEqual(['json: cannot unmarshal array into Go value of type v3.Thing'])
  })

  it('report an unknown field by its key as written, and skip its value unread', () => {
    expect(decode(thing({ natOutgoin: { nested: [1] } })).problems).toEqual([
      { message: 'json: unknown field "natOutgoin"', path: ['spec', 'natOutgoin'], unknownField: 'natOutgoin' },
    ])
  })
})

describe('which error wins', () => {
  it('a failing custom decoder stops decoding and wins over an earlier unknown field', () => {
    // Keys are decoded sorted: "aaa" (unknown) comes before "asNumber".
    const decoded = decode(thing({ asNumber: 4294967296, aaa: 1, node: 'x' }))
    expect(decoded.problems.map((p) => p.message)).toEqual([
      'json: unknown field "aaa"',
      'json: cannot unmarshal number into Go struct field ThingSpec.spec.asNumber of type string',
      'json: unknown field "node"',
    ])
    expect(goError(decoded.problems)?.message).toBe('json: cannot unmarshal number into Go struct field ThingSpec.spec.asNumber of type string')
  })

  it('otherwise the first problem in sorted key order, not document order', () => {
    const decoded = decode(thing({ ttl: 'x', blockSize: 'y' }))
    expect(goError(decoded.problems)?.message).toBe('json: cannot unmarshal string into Go struct field ThingSpec.spec.blockSize of type int')
    expect(goError(decode({ spec: { zzz: 1 }, metadata: { name: [] } }).problems)?.path).toEqual(['metadata', 'name'])
  })
})

describe('YAML scalars and null', () => {
  it('take a number or boolean as a string where the Go field is a string, and report it', () => {
    const decoded = decode(thing({ nodeSelector: 26, cidrs: [true, 1.5] }, { metadata: { labels: { rr: true, big: 1234567.5 } } }))
    expect(decoded.value).toMatchObject({ metadata: { labels: { rr: 'true', big: '1.2345675e+06' } }, spec: { nodeSelector: '26', cidrs: ['true', '1.5'] } })
    expect(decoded.coerced.map((c) => c.path.join('.'))).toEqual(['metadata.labels.big', 'metadata.labels.rr', 'spec.cidrs.0', 'spec.cidrs.1', 'spec.nodeSelector'])
  })

  it('treat null as absent for fields and as the zero value inside lists and maps', () => {
    const decoded = decode(thing({ order: null, cidrs: [null], ingress: [null] }, { metadata: { labels: { a: null }, creationTimestamp: null } }))
    expect(decoded.problems).toEqual([])
    expect(decoded.value).toEqual({ apiVersion: 'v3', kind: 'Thing', metadata: { labels: { a: '' } }, spec: { cidrs: [''], ingress: [{}] } })
  })
})

describe('types that decode themselves', () => {
  it.each([
    [{ asNumber: '1.10' }, { asNumber: 65546 }],
    [{ asNumber: '64512' }, { asNumber: 64512 }],
    [{ interval: '90s' }, { interval: '1m30s' }],
    [{ ingress: [{ protocol: '6', ports: [80, '443', '8080:8090', '22:22', 'http'] }] }, { ingress: [{ protocol: 6, ports: [80, 443, '8080:8090', 22, 'http'] }] }],
    [{ ingress: [{ protocol: 'TCP' }] }, { ingress: [{ protocol: 'TCP' }] }],
  ])('%j is held as %j', (spec, held) => {
    const decoded = decode(thing(spec))
    expect(decoded.problems).toEqual([])
    expect((decoded.value as { spec: unknown }).spec).toEqual(held)
  })

  it.each([
    [{ asNumber: 'x.y' }, 'invalid AS Number format (x.y)'],
    [{ asNumber: true }, 'json: cannot unmarshal bool into Go struct field ThingSpec.spec.asNumber of type string'],
    [{ interval: 30 }, 'json: cannot unmarshal number into Go struct field ThingSpec.spec.interval of type string'],
    [{ interval: '30' }, 'time: missing unit in duration "30"'],
    [{ ingress: [{ ports: [65536] }] }, 'json: cannot unmarshal number 65536 into Go struct field Rule.spec.ingress.ports of type uint16'],
    [{ ingress: [{ ports: ['1:65536'] }] }, 'invalid maximum port number in range (1:65536)'],
    [{ ingress: [{ ports: ['65535:1'] }] }, 'minimum port number (65535) is greater than maximum port number (1) in port range'],
    [{ ingress: [{ protocol: 256 }] }, 'json: cannot unmarshal number 256 into Go struct field Rule.spec.ingress.protocol of type uint8'],
  ])('%j fails with %j and stops', (spec, message) => {
    const [problem] = decode(thing(spec)).problems
    expect(problem).toMatchObject({ message, stop: true })
  })

  it('reads and writes metav1.Time as RFC 3339 in UTC', () => {
    const decoded = decode({ metadata: { creationTimestamp: '2024-05-01T12:00:00.5+02:00' } })
    expect(decoded.value).toEqual({ metadata: { creationTimestamp: '2024-05-01T10:00:00Z' } })
    expect(messages({ metadata: { creationTimestamp: 'yesterday' } })).toEqual([
      'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"',
    ])
    expect(messages({ metadata: { creationTimestamp: '2024-13-01T00:00:00Z' } })).toEqual(['parsing time "2024-13-01T00:00:00Z": month out of range'])
    expect(messages({ metadata: { creationTimestamp: '2024-02-30T00:00:00Z' } })).toEqual(['parsing time "2024-02-30T00:00:00Z": day out of range'])
    expect(messages({ metadata: { creationTimestamp: '2024-02-01 00:00:00Z' } })).toEqual([
      'parsing time "2024-02-01 00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse " 00:00:00Z" as "T"',
    ])
  })
})

describe('numbers as go-yaml and encoding/json hold them', () => {
  it('keeps every digit of integers beyond 2^53, as Go does', () => {
    expect(messages(thing({ blockSize: 12345678901234567890n }))).toEqual([
      'json: cannot unmarshal number 12345678901234567890 into Go struct field ThingSpec.spec.blockSize of type int',
    ])
    expect(decode(thing({ nodeSelector: 12345678901234567890n })).value).toMatchObject({ spec: { nodeSelector: '12345678901234567890' } })
  })

  it('writes a YAML float into a string field as go-yaml formats a float, an integer as an integer', () => {
    const decoded = decodeLikeGo(thing({ nodeSelector: 1e10, cidrs: [1e10, 1000000] }), SCHEMA, {
      isFloat: (path) => path.join('.') === 'spec.nodeSelector' || path.join('.') === 'spec.cidrs.1',
    })
    expect(decoded.value).toMatchObject({ spec: { nodeSelector: '1e+10', cidrs: ['10000000000', '1e+06'] } })
  })

  it('refuses a number JSON cannot hold before decoding anything, unless it becomes a string', () => {
    const decoded = decode(thing({ aaa: 1, order: Infinity, zzz: { x: NaN } }))
    expect(goError(decoded.problems)).toMatchObject({ message: 'json: unsupported value: +Inf', conversion: true, path: ['spec', 'order'] })
    expect(decode(thing({ nodeSelector: -Infinity, cidrs: [NaN] })).value).toMatchObject({ spec: { nodeSelector: '-Inf', cidrs: ['NaN'] } })
  })

  it('keeps a map key named __proto__ as a key', () => {
    const labels = JSON.parse('{"__proto__": "x", "a": "b"}')
    const value = decode({ metadata: { labels } }).value as { metadata: { labels: Record<string, string> } }
    expect(Object.keys(value.metadata.labels)).toEqual(['__proto__', 'a'])
    expect(messages(JSON.parse('{"spec": {"__proto__": {"x": 1}}}'))).toEqual(['json: unknown field "__proto__"'])
  })
})

describe("json.Unmarshal's mode", () => {
  it('takes no scalar as a string and keeps the keys in their order', () => {
    expect(decodeLikeGo([true], { type: 'array', items: { type: 'string' } }, { fromYaml: false }).problems.map((p) => p.message)).toEqual([
      'json: cannot unmarshal bool into Go value of type string',
    ])
    expect(goError(decodeLikeGo(thing({ ttl: 'x', blockSize: 'y' }), SCHEMA, { fromYaml: false }).problems)?.path).toEqual(['spec', 'ttl'])
  })
})
