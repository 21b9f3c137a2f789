/**
 * The validator's shared checks as libcalico-go words them: address families as Go's net package
 * sees them, AS numbers (plain and asdot), selector fields, and a name's length in bytes.
 */
import { describe, expect, it } from 'vitest'
import {
  checkASNumber,
  checkMetadata,
  checkSelectorField,
  goCidrOrIPVersion,
  goIPVersion,
  isCidrOfFamily,
  isGoIPv4,
  isGoIPv6,
  isIPv4,
  isIPv6,
  isMaskedNetwork,
  normalizeASNumber,
  parseASNumber,
  tagReason,
} from '../../src/resources/checks.js'
import { isCrdCidr } from '../../src/resources/schema.js'
import type { Resource } from '../../src/resources/types.js'

describe('address families', () => {
  it.each<[unknown, 4 | 6 | undefined]>([
    ['10.1.2.3', 4],
    ['::ffff:10.1.2.3', 4],
    ['::ffff:a01:203', 4],
    ['::fffe:10.1.2.3', 6],
    ['1::ffff:10.1.2.3', 6],
    ['fd00::1', 6],
    ['10.1.2.3/24', undefined],
    ['x', undefined],
    [5, undefined],
  ])('net.ParseIP(%j) is IPv%s', (value, version) => {
    expect(goIPVersion(value)).toBe(version)
    expect(isGoIPv4(value)).toBe(version === 4)
    expect(isGoIPv6(value)).toBe(version === 6)
  })

  it('isIPv4/isIPv6 go by how the address is written', () => {
    expect([isIPv4('10.1.2.3'), isIPv6('10.1.2.3')]).toEqual([true, false])
    expect([isIPv4('::ffff:10.1.2.3'), isIPv6('::ffff:10.1.2.3')]).toEqual([false, true])
    expect([isIPv4('x'), isIPv6('x'), isIPv4(4), isIPv6(6)]).toEqual([false, false, false, false])
  })

  it.each<[unknown, 4 | 6 | undefined]>([
    ['10.1.2.3/24', 4],
    ['10.1.2.3', 4],
    ['fd00::1/64', 6],
    ['::ffff:10.1.2.3/128', 4],
    ['10.1.2.3/33', undefined],
    ['10.1.2.3/', undefined],
    ['/24', undefined],
    [24, undefined],
  ])('cnet.ParseCIDROrIP(%j) is IPv%s', (value, version) => {
    expect(goCidrOrIPVersion(value)).toBe(version)
  })

  it('the net tag takes an address, or a CIDR without host bits', () => {
    expect(['10.0.0.0/8', '10.0.0.1', 'fd00::/64', 'fd00::1'].map(isMaskedNetwork)).toEqual([true, true, true, true])
    expect(['10.0.0.1/8', 'fd00::1/64', 'x', '', 8].map(isMaskedNetwork)).toEqual([false, false, false, false, false])
  })

  it('cidrv4/cidrv6 take a prefix length of their family, host bits allowed', () => {
    expect([isCidrOfFamily('10.0.0.1/24', 4), isCidrOfFamily('10.0.0.1/24', 6), isCidrOfFamily('fd00::1/64', 6)]).toEqual([true, false, true])
    expect([isCidrOfFamily('10.0.0.1', 4), isCidrOfFamily(24, 4)]).toEqual([false, false])
  })
})

describe('AS numbers', () => {
  it.each<[unknown, number | undefined]>([
    [0, 0],
    [4294967295, 4294967295],
    [4294967296, undefined],
    [-1, undefined],
    [1.5, undefined],
    ['0', 0],
    ['4294967295', 4294967295],
    ['4294967296', undefined],
    ['1.10', 65546],
    ['12.3', 786435],
    ['65535.65535', 4294967295],
    ['65536.0', undefined],
    ['0.65536', undefined],
    ['x1.2', undefined],
    ['1.2x', undefined],
    ['1.2.3', undefined],
    [' 1', undefined],
    ['1a', undefined],
    ['a1', undefined],
    ['', undefined],
    [true, undefined],
  ])('%j is %s', (value, parsed) => {
    expect(parseASNumber(value)).toBe(parsed)
    expect(checkASNumber({ asNumber: value }, 'asNumber', 'ASNumber')).toEqual(
      parsed === undefined ? [{ name: 'ASNumber', value, reason: `invalid AS Number format (${String(value)})` }] : [],
    )
  })

  it('are stored as plain numbers; what does not parse is left for the check to report', () => {
    const spec: Record<string, unknown> = { asNumber: '1.10', other: 'x' }
    normalizeASNumber(spec, 'asNumber')
    normalizeASNumber(spec, 'other')
    normalizeASNumber(spec, 'missing')
    normalizeASNumber(undefined, 'asNumber')
    expect(spec).toEqual({ asNumber: 65546, other: 'x' })
    expect(checkASNumber(undefined, 'asNumber', 'ASNumber')).toEqual([])
    expect(checkASNumber({}, 'asNumber', 'ASNumber')).toEqual([])
  })
})

describe('selector fields', () => {
  it('are checked when set; global() is refused only where the kind says so', () => {
    expect(checkSelectorField('', 'Selector')).toEqual([])
    expect(checkSelectorField(undefined, 'Selector')).toEqual([])
    expect(checkSelectorField('a ==', 'Selector')).toEqual([{ name: 'Selector', value: 'a ==', reason: tagReason('Selector', 'selector') }])
    expect(tagReason('Selector', 'selector')).toBe('Reason: failed to validate Field: Selector because of Tag: selector ')
    expect(checkSelectorField('global()', 'NamespaceSelector')).toEqual([])
    expect(checkSelectorField('global()', 'NamespaceSelector', { globalReason: 'no global() here' })).toEqual([{ name: 'spec', reason: 'no global() here' }])
    expect(checkSelectorField("a == 'b'", 'NamespaceSelector', { globalReason: 'no global() here' })).toEqual([])
  })
})

describe('resource names', () => {
  const named = (name: string) => ({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name }, spec: {} }) as unknown as Resource

  it('may be 253 bytes long, no longer', () => {
    expect(checkMetadata(named('a'.repeat(253)))).toEqual([])
    expect(checkMetadata(named('a'.repeat(255)))).toEqual([{ name: 'Metadata.Name', value: 'a'.repeat(255), reason: 'name is too long by 2 bytes' }])
  })

  it('count bytes, not characters', () => {
    const name = `${'a'.repeat(252)}é`
    expect(checkMetadata(named(name)).map((e) => e.reason)).toEqual([
      'name is too long by 1 bytes',
      "name must consist of lower case alphanumeric characters, '-' or '.' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)",
    ])
  })
})

describe('labels and annotations, as apimachinery v0.33 words each problem', () => {
  const NAME_RULE =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
  const PREFIX_RULE =
    "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
  const VALUE_RULE =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
  const labelKey = (key: string) => checkMetadata({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'n', labels: { [key]: 'v' } }, spec: {} } as unknown as Resource).map((e) => e.reason)

  it.each<[string, string[]]>([
    ['app', []],
    ['example.com/app', []],
    [`${'a'.repeat(253)}/x`, []],
    ['k'.repeat(63), []],
    ['a/b/c', [`a qualified name ${NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`]],
    ['/app', ['prefix part must be non-empty']],
    ['Example.com/app', [PREFIX_RULE]],
    [`${'a'.repeat(254)}/x`, ['prefix part must be no more than 253 characters']],
    [`${'A'.repeat(254)}/x`, ['prefix part must be no more than 253 characters', PREFIX_RULE]],
    ['example.com/', ['name part must be non-empty', `name part ${NAME_RULE}`]],
    ['', ['name part must be non-empty', `name part ${NAME_RULE}`]],
    ['k'.repeat(64), ['name part must be no more than 63 characters']],
    [`-${'k'.repeat(64)}`, ['name part must be no more than 63 characters', `name part ${NAME_RULE}`]],
    ['-app', [`name part ${NAME_RULE}`]],
    ['/-', ['prefix part must be non-empty', `name part ${NAME_RULE}`]],
  ])('label key %j', (key, reasons) => {
    expect(labelKey(key)).toEqual(reasons)
  })

  it('label values: empty or a qualified name of at most 63 characters, each problem reported', () => {
    const value = (v: string) => checkMetadata({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'n', labels: { k: v } }, spec: {} } as unknown as Resource)
    expect([value(''), value('a'.repeat(63)), value('My_value.1')]).toEqual([[], [], []])
    expect(value('a'.repeat(64))).toEqual([{ name: 'Metadata.Labels (value)', value: 'a'.repeat(64), reason: 'must be no more than 63 characters' }])
    expect(value('-x')).toEqual([{ name: 'Metadata.Labels (value)', value: '-x', reason: VALUE_RULE }])
    expect(value(`-${'a'.repeat(63)}`).map((e) => e.reason)).toEqual(['must be no more than 63 characters', VALUE_RULE])
  })

  it('annotation keys are checked in lower case, values not at all', () => {
    const annotations = (a: Record<string, string>) => checkMetadata({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'n', annotations: a }, spec: {} } as unknown as Resource)
    expect(annotations({ 'Example.COM/Key': '-anything at all-' })).toEqual([])
    expect(annotations({ 'a/b/c': 'v' })).toEqual([
      { name: 'Metadata.Annotations (key)', value: 'a/b/c', reason: `a qualified name ${NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')` },
    ])
  })
})

describe("the CRD's cidr format (kube-openapi: Go's net.ParseCIDR, leading zeros tolerated)", () => {
  it.each<[string, boolean]>([
    ['10.0.0.0/8', true],
    ['10.0.0.1/8', true],
    ['010.000.000.001/08', true],
    ['10.0.0.0/032', true],
    ['10.0.0.0/33', false],
    ['fd00::/64', true],
    ['fd00::1/0128', true],
    ['fd00::/129', false],
    ['10.0.0.0', false],
    ['10.0.0.0/', false],
    ['10.0.0.0/8x', false],
    ['10.0.0.0/x8', false],
    ['10.0.0.0/-8', false],
    ['/8', false],
    ['1.2.3/8', false],
    ['1.2.3.4.5/8', false],
    ['x10.0.0.0/8', false],
    ['10.0.0.256/8', false],
  ])('%s: %s', (text, valid) => {
    expect(isCrdCidr(text)).toBe(valid)
  })
})
