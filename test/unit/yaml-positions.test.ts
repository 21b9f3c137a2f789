/**
 * Where calicoctl's errors point in a YAML file: the line of every key, list item and value, which
 * scalars YAML read as floats, local tags, and the line, document and field of a parse failure.
 */
import { describe, expect, it } from 'vitest'
import { parseYamlStream, YamlParseFailure } from '../../src/manifest/yaml-positions.js'

const lines = (map: ReadonlyMap<string, number>) => Object.fromEntries([...map].map(([key, line]) => [key.split('\u0000').join('.'), line]))
const failure = (text: string): YamlParseFailure => {
  try {
    parseYamlStream(text)
  } catch (err) {
    expect(err).toBeInstanceOf(YamlParseFailure)
    expect((err as Error).name).toBe('YamlParseFailure')
    return err as YamlParseFailure
  }
  throw new Error('no failure')
}

describe('lines of keys, items and values', () => {
  const [doc] = parseYamlStream('a: 1\nb:\n  # c\n\n  c: [1, 2]\n  d:\n  - x\n  -   e: 1.0\n      f: 1e3\n      g: 1\n')

  it('records the line of each key and item, past comments and blank lines', () => {
    expect(doc.value).toEqual({ a: 1, b: { c: [1, 2], d: ['x', { e: 1, f: 1000, g: 1 }] } })
    expect(lines(doc.lines)).toEqual({ '': 1, a: 1, b: 2, 'b.c': 5, 'b.c.0': 5, 'b.c.1': 5, 'b.d': 6, 'b.d.0': 7, 'b.d.1': 8, 'b.d.1.e': 8, 'b.d.1.f': 9, 'b.d.1.g': 10 })
  })

  it('records where a block value starts, which may be lines after its key', () => {
    expect(lines(doc.valueLines)).toMatchObject({ b: 5, 'b.d': 7, 'b.d.1': 8, 'b.c': 5 })
  })

  it('notes which scalars YAML read as floats', () => {
    expect([...doc.floats].map((key) => key.split('\u0000').join('.'))).toEqual(['b.d.1.e', 'b.d.1.f'])
  })

  it('counts lines ended by CRLF or a lone CR, with a byte-order mark in front', () => {
    const [crlf] = parseYamlStream('\ufeffa: 1\r\nb: 2\rc:\r\n  - 3\r\n')
    expect(crlf.value).toEqual({ a: 1, b: 2, c: [3] })
    expect(lines(crlf.lines)).toEqual({ '': 1, a: 1, b: 2, c: 3, 'c.0': 4 })
  })

  it('numbers the lines of every document from the start of the stream; an empty document has none', () => {
    const docs = parseYamlStream('a: 1\n---\n---\n# only\n---\nb: [x, {c: d}]\n')
    expect(docs.map((d) => d.value)).toEqual([{ a: 1 }, null, null, { b: ['x', { c: 'd' }] }])
    expect(docs.map((d) => lines(d.lines))).toEqual([{ '': 1, a: 1 }, {}, {}, { '': 6, b: 6, 'b.0': 6, 'b.1': 6, 'b.1.c': 6 }])
  })

  it('takes a flow-mapping key without a value as a key', () => {
    const [flow] = parseYamlStream('{a, b: 1}\n')
    expect(flow.value).toEqual({ a: null, b: 1 })
    expect(lines(flow.lines)).toEqual({ '': 1, a: 1, b: 1 })
  })

  it('gives no item lines when an empty item would shift the indexes', () => {
    const [empty] = parseYamlStream('s:\n- \n- b\n')
    expect(empty.value).toEqual({ s: [null, 'b'] })
    expect(lines(empty.lines)).toEqual({ '': 1, s: 1 })
  })
})

describe('local tags', () => {
  it('are kept with their field, line and source text, comments and flow punctuation left out', () => {
    const [doc] = parseYamlStream('x: !foo bar  # note\nyy: {a: !t b, c: d}\nz: !seq [1]\n')
    expect(doc.tags).toEqual([
      { path: ['x'], line: 1, tag: '!foo', raw: '!foo bar' },
      { path: ['yy', 'a'], line: 2, tag: '!t', raw: '!t b' },
      { path: ['z'], line: 3, tag: '!seq', raw: '!seq [1]' },
    ])
  })

  it('are named in a failure inside the tagged node', () => {
    expect(failure('x: !foo "abc\n')).toMatchObject({
      reason: 'unexpected end of the stream within a double quoted scalar',
      line: 2,
      openedLine: 1,
      tag: { path: ['x'], line: 1, tag: '!foo', raw: '!foo "abc' },
    })
    expect(failure("x: !foo 'abc\n").tag).toMatchObject({ raw: "!foo 'abc" })
  })
})

describe('parse failures', () => {
  it.each([
    ['"a b": 1\n"a b": 2\n', 2, ['a b']],
    ["'it''s': 1\n'it''s': 2\n", 2, ["it's"]],
    ['a: 1\n"b\\"c": 1\n"b\\"c": 2\n', 3, ['b"c']],
    ['a:\n  k   : 1\n  k: 2\n', 3, ['a', 'k']],
    ['a:\n  -x: 1\n  -x: 2\n', 3, ['a', '-x']],
    ['a:\n  - k: 1\n    k: 2\n', 3, ['a', 0, 'k']],
    ['a:\n  - {k: 1, k: 2}\n', 2, ['a', 0, 'k']],
    ['a: !x\n  b: 1\n  b: 2\n', 3, ['a', 'b']],
  ])('a duplicated key in %j: line %i, field %j', (text, line, field) => {
    expect(failure(text)).toMatchObject({ reason: 'duplicated mapping key', document: 1, line, field, duplicateKey: field.at(-1) })
  })

  it.each([
    ['? [a]\n: 1\n', 'a sequence'],
    ['? {a: 1}\n: 1\n', 'a mapping'],
    ['~: 1\n', 'null'],
  ])('a key JSON cannot have, in %j', (text, what) => {
    expect(failure(text)).toMatchObject({ reason: `invalid map key: ${what} cannot be a key`, line: 1, field: [] })
  })

  it.each([
    ['a:\n  b: !!foo x\n', 2, ['a', 'b']],
    ['a:\n  - x\n  - !!foo y\n', 3, ['a', 1]],
    ['a: &s\n  - x\n  - !!foo y\n', 3, ['a', 1]],
    ['a: !t\n  - x\n  - !!foo y\n', 3, ['a', 1]],
    ['a: [x, !!foo y]\n', 1, ['a', 1]],
    ['a: &m {x: 1, y2: !!foo y}\n', 1, ['a', 'y2']],
    ['a: !!foo\n  b: 1\n', 1, ['a']],
    ['- a\n- !!foo b\n', 2, [1]],
    ['[a, {b: !!foo c}]\n', 1, [1, 'b']],
  ])('an unknown tag in %j: the node\'s line %i and field %j', (text, line, field) => {
    expect(failure(text)).toMatchObject({ reason: 'unknown tag !<tag:yaml.org,2002:foo>', line, openedLine: line, field })
  })

  it('a syntax error: the line of the mark, the document, and the line where the open node began', () => {
    expect(failure('a: 1\n---\nb: [\n')).toMatchObject({ reason: 'unexpected end of the stream within a flow collection', document: 2, line: 4, openedLine: 3, field: undefined })
    expect(failure('a: &x\n  - 1\n  - [2,\n')).toMatchObject({ document: 1, line: 4, openedLine: 3 })
  })
})
