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
