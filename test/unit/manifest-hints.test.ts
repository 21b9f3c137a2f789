/**
 * What calicoctl says about a file it cannot read as resources: where (document, line, field), why,
 * and the hint for the mistakes users make (a selector starting with `!` read as a YAML tag, an
 * unclosed quote or bracket, tabs, mis-cased apiVersion/kind).
 */
import { describe, expect, it } from 'vitest'
import { parseManifestText } from '../../src/manifest/index.js'

const message = (text: string): string => {
  try {
    parseManifestText(text, 'stdin')
  } catch (err) {
    return (err as Error).message
  }
  return 'no error'
}
const at = (line: number, rest: string) => `stdin: document 1, line ${line}: ${rest}`
const tagged = (tag: string) => `YAML parsed '${tag}' as a tag, not a string`
const RESOURCE = 'a resource (a mapping with apiVersion and kind)'

describe('a value YAML read as a local tag', () => {
  it.each([
    ['kind: IPPool\nspec:\n  nodeSelector: !has(rr) # c\n  cidrs:\n  - !x 1\n', 3, "field spec.nodeSelector: YAML parsed '!has(rr)' as a tag, not a string; quote the selector: nodeSelector: \"!has(rr)\""],
    ['kind: X\nspec:\n  NamespaceSelector: !all()\n', 3, `field spec.NamespaceSelector: ${tagged('!all()')}; quote the selector: NamespaceSelector: "!all()"`],
    ['kind: X\nspec:\n  cidrs:\n  - !x a\n', 4, `field spec.cidrs[0]: ${tagged('!x')}; quote the value: - "!x a"`],
    ['kind: X\nspec:\n  myselectorx: !x a\n', 3, `field spec.myselectorx: ${tagged('!x')}; quote the value: myselectorx: "!x a"`],
    ['kind: X\nspec:\n  a: !x "q"\n', 3, `field spec.a: ${tagged('!x')}; quote the value: a: '!x "q"'`],
    ['kind: X\nspec:\n  a: !x \'q"\n', 3, `field spec.a: ${tagged('!x')}; quote the value: a: "!x 'q\\""`],
    ['kind: X\nspec:\n  a: !x a\\b\n', 3, `field spec.a: ${tagged('!x')}; quote the value: a: "!x a\\\\b"`],
    ['!x a\n', 1, `${tagged('!x')}; quote the value: "!x a"`],
  ])('%j', (text, line, rest) => {
    expect(message(text)).toBe(at(line, rest))
  })
})

describe('syntax errors, with a pointer to the real cause', () => {
  it.each([
    ['kind: X\nspec:\n  a: "abc\n', 4, 'unexpected end of the stream within a double quoted scalar; the quoted value that starts on line 3 is never closed'],
    ["kind: X\nspec:\n  a: 'abc\n", 4, 'unexpected end of the stream within a single quoted scalar; the quoted value that starts on line 3 is never closed'],
    ['kind: X\nspec:\n  a: [abc\n', 4, 'unexpected end of the stream within a flow collection; the [ or { that starts on line 3 is never closed'],
    ['kind: X\nspec:\n\ta: 1\n', 3, 'tab characters must not be used in indentation; indent with spaces only'],
    ['kind: X\nspec:\n  a: 1\n   b: 2\n', 4, 'bad indentation of a mapping entry; entries of the same mapping or list must start in the same column'],
    ['kind: X\na: !a!b c\n', 2, `field a: undeclared tag handle "!a!"; YAML reads a value that starts with '!' as a tag; quote it, e.g. "!has(label)"`],
    ['kind: X\na: !<foo\n', 2, 'field a: unexpected end of the stream within a verbatim tag'],
    ['kind: X\na: !!\n', 2, 'field a: unknown tag !<tag:yaml.org,2002:>'],
  ])('%j', (text, line, rest) => {
    expect(message(text)).toBe(at(line, rest))
  })
})

describe('a document that is no resource', () => {
  it.each([
    ['5\n', `expected ${RESOURCE} or a list of resources, found a number (5)`],
    ['12345678901234567890\n', `expected ${RESOURCE} or a list of resources, found a number (12345678901234567890)`],
    ['true\n', `expected ${RESOURCE} or a list of resources, found a boolean (true)`],
    ['abc\n', `expected ${RESOURCE} or a list of resources, found a string ("abc")`],
    [`${'a'.repeat(40)}\n`, `expected ${RESOURCE} or a list of resources, found a string ("${'a'.repeat(40)}")`],
    [`${'a'.repeat(41)}\n`, `expected ${RESOURCE} or a list of resources, found a string ("${'a'.repeat(40)}...")`],
    ['- [1]\n', `field [0]: expected ${RESOURCE}, found a list`],
    ['- ~\n', `field [0]: expected ${RESOURCE}, found null`],
    ['- 1.5\n', `field [0]: expected ${RESOURCE}, found a number (1.5)`],
    ['kind: 5\napiVersion: v\n', 'field kind: expected a string, found a number (5)'],
    ['kind: {a: 1}\n', 'field kind: expected a string, found a mapping'],
    ['kind: [1]\n', 'field kind: expected a string, found a list'],
    ['kind: true\n', 'field kind: expected a string, found a boolean (true)'],
  ])('%j', (text, rest) => {
    expect(message(text)).toBe(at(1, rest))
  })

  it.each([
    ['Kind: IPPool\nApiversion: x\n', "resource has no 'apiVersion' and no 'kind'; found 'Kind' and 'Apiversion'; field names are case-sensitive"],
    ['Kind: IPPool\napiVersion: x\n', "resource has no 'kind'; found 'Kind'; field names are case-sensitive"],
    ['a: 1\n', "resource has no 'apiVersion' and no 'kind'; Calico resources use apiVersion: projectcalico.org/v3"],
    ['kind: ~\n', "resource has no 'apiVersion' and no 'kind'; Calico resources use apiVersion: projectcalico.org/v3"],
    ['apiVersion: x\n', "resource has no 'kind'; kind names the resource type, e.g. kind: IPPool"],
    ['kind: ""\napiVersion: x\n', "resource has no 'kind'; kind names the resource type, e.g. kind: IPPool"],
  ])('%j lacks its type', (text, rest) => {
    expect(message(text)).toBe(at(1, rest))
  })

  it('needs only a kind to be read; a mis-cased duplicate of a present field is no hint', () => {
    expect(parseManifestText('- kind: IPPool\n  KIND: x\n', 'stdin')).toHaveLength(1)
  })
})

describe('where a problem is placed', () => {
  const upstream = (text: string): string | undefined => {
    try {
      parseManifestText(text, 'stdin')
    } catch (err) {
      return (err as { upstream?: string }).upstream
    }
    return undefined
  }

  it("counts a duplicated key's line from its document's --- line, as go-yaml does", () => {
    const twice = (line: number) => `error converting YAML to JSON: yaml: unmarshal errors:\n  line ${line}: key "b" already set in map`
    expect(upstream('a: x---\n---\nb: 1\nb: 2\n')).toBe(twice(2))
    expect(upstream('---\na: 1\n---\nb: 1\nb: 2\n')).toBe(twice(2))
    expect(upstream('b: 1\nb: 2\n')).toBe(twice(2))
  })

  it('names what a list member is in the text upstream prints', () => {
    expect(upstream('- true\n')).toBe('error unmarshaling JSON: while decoding JSON: json: cannot unmarshal bool into Go value of type map[string]interface {}')
    expect(upstream('- abc\n')).toBe('error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}')
    expect(upstream('- [1]\n')).toBe('error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}')
    // A member without a kind has no upstream text of its own; a document without one has.
    expect(upstream('- {}\n')).toBeUndefined()
    expect(upstream('{}\n')).toBe('error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []unstructured.Unstructured')
  })

  it('falls back to the nearest line it knows for a member without a node of its own', () => {
    expect(message('# c\n- kind: IPPool\n  apiVersion: projectcalico.org/v3\n-\n')).toBe(
      `stdin: document 1, line 2: field [1]: expected ${RESOURCE}, found null`,
    )
  })
})
