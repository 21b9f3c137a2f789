import { describe, expect, it } from 'vitest'
import { FileError, loadFromFile } from '../../src/crud/load.js'
import { NoResourcesError } from '../../src/manifest/index.js'

/** Reading `-f -` as calicoctl does: every document decoded by Go's rules, lists expanded, errors placed. */
const load = (text: string, collectAll = false) => loadFromFile('-', { stdin: async () => text, collectAll })

async function fileError(text: string, collectAll = false): Promise<FileError> {
  const err = await load(text, collectAll).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(FileError)
  return err as FileError
}

const POOL_LIST = `apiVersion: projectcalico.org/v3
kind: IPPoolList
metadata:
  resourceVersion: "42"
items:
- apiVersion: projectcalico.org/v3
  kind: IPPool
  metadata:
    name: default-ipv4-ippool
  spec:
    cidr: 192.168.0.0/16
- metadata: {name: extra}
  spec: {cidr: 10.10.0.0/16, natOutgoing: yes}
`

describe('<Kind>List documents', () => {
  it('yield their members, each with its own lines; a member may leave its type meta out', async () => {
    const loaded = await load(POOL_LIST)
    expect(loaded.map((l) => [l.kind.kind, l.resource.metadata.name, l.item?.line, l.item?.lineOf(['spec', 'cidr'])])).toEqual([
      ['IPPool', 'default-ipv4-ippool', 6, 11],
      ['IPPool', 'extra', 12, 13],
    ])
    // go-yaml v2 reads `yes` as true, so the field decodes.
    expect(loaded[1].resource).toEqual({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'extra' }, spec: { cidr: '10.10.0.0/16', natOutgoing: true } })
  })

  it('decode as the list type, with its Go error context', async () => {
    const err = await fileError(POOL_LIST.replace('cidr: 192.168.0.0/16', 'cidr: 192.168.0.0/16\n    blockSize: big'))
    expect(err.message).toBe(
      'failed to execute command: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field IPPoolSpec.items.spec.blockSize of type int',
    )
    expect(err.details).toEqual(['  at stdin: document 1, line 12 (items[0].spec.blockSize)'])
    const notList = await fileError('apiVersion: projectcalico.org/v3\nkind: IPPoolList\nitems: {}\n')
    expect(notList.message).toContain('json: cannot unmarshal object into Go struct field IPPoolList.items of type []v3.IPPool')
  })

  it('are refused for a kind calicoctl does not know, and hold only their own kind', async () => {
    expect((await fileError('apiVersion: projectcalico.org/v3\nkind: WidgetList\nitems: []\n')).message).toBe(
      'failed to execute command: unknown resource type (WidgetList) and/or version (projectcalico.org/v3)',
    )
    const mixed = await fileError('apiVersion: projectcalico.org/v3\nkind: IPPoolList\nitems:\n- kind: BGPPeer\n  metadata: {name: p}\n')
    expect(mixed.message).toBe('failed to execute command: IPPoolList holds a resource of type (BGPPeer) and/or version (projectcalico.org/v3)')
    expect(mixed.details).toEqual(['  at stdin: document 1, line 4 (items[0].kind)'])
  })

  it('count as no resources when empty', async () => {
    await expect(load('apiVersion: projectcalico.org/v3\nkind: IPPoolList\nitems: []\n')).rejects.toBeInstanceOf(NoResourcesError)
  })
})

describe('the error calicoctl reports', () => {
  const peer = (spec: string, name = 'p') => `apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: ${name}\nspec:\n${spec}`

  it('is the first document that fails, with the line of the offending value', async () => {
    const err = await fileError(`${peer('  peerIP: 10.0.0.1\n', 'a')}---\n${peer('  peerIP: 10.0.0.2\n  ports: x\n', 'b')}---\n${peer('  bogus: 1\n', 'c')}`)
    expect(err.message).toBe('failed to execute command: error unmarshaling JSON: while decoding JSON: json: unknown field "ports"')
    expect(err.details).toEqual(['  at stdin: document 2, line 14 (spec.ports)'])
  })

  it("is a type's own decoder's error before an unknown field met earlier", async () => {
    const err = await fileError(peer('  asNumber: 4294967296\n  scope: node\n  aaa: 1\n'))
    expect(err.message).toBe(
      'failed to execute command: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go struct field BGPPeerSpec.spec.asNumber of type string',
    )
    expect(err.details).toEqual(['  at stdin: document 1, line 6 (spec.asNumber)'])
  })

  it('checks the types of every member of an array document before decoding any', async () => {
    const text = `- ${peer('  bogus: 1\n').replaceAll('\n', '\n  ')}\n- apiVersion: projectcalico.org/v3\n  kind: Widget\n`
    expect((await fileError(text)).message).toBe('failed to execute command: unknown resource type (Widget) and/or version (projectcalico.org/v3)')
  })

  it('for validate, is followed by every other problem of the input', async () => {
    const err = await fileError(`${peer('  peerIP: [1]\n', 'a')}---\n${peer('  bogus: 1\n', 'b')}---\napiVersion: v1\nkind: Pod\n`, true)
    expect(err.details).toEqual([
      '  at stdin: document 1, line 6 (spec.peerIP)',
      'also: stdin: document 2, line 13 (spec.bogus): field in document is not recognized or is in the wrong location: bogus',
      'also: stdin: document 3, line 16 (kind): unknown resource type (Pod) and/or version (v1)',
    ])
  })
})

describe('documents that are not resources', () => {
  it.each([
    ['kind: GlobalNetworkSet\n', 'unknown resource type (GlobalNetworkSet) and/or version ()'],
    ['apiVersion: 5\nkind: IPPool\n', 'unknown resource type (IPPool) and/or version ()'],
    ['metadata: {name: x}\n', 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []unstructured.Unstructured'],
    ['hello\n', 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type []unstructured.Unstructured'],
    ['- 5\n', 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go value of type map[string]interface {}'],
  ])('%j gets upstream\'s text', async (text, message) => {
    expect((await fileError(text)).message).toBe(`failed to execute command: ${message}`)
  })
})

describe('missing or empty metadata', () => {
  it.each(['', 'metadata:\n', 'metadata: {}\n', 'metadata: null\n'])('%j decodes to an empty metadata, never a missing one', async (metadata) => {
    const [loaded] = await load(`apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\n${metadata}`)
    expect(loaded.resource.metadata).toEqual({})
  })
})

describe('YAML that go-yaml reads differently from JSON', () => {
  const pool = (spec: string) => `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\nspec:\n${spec}`

  it('reports a key given twice with go-yaml\'s strict text, counting lines within the document', async () => {
    const err = await fileError(`${pool('  cidr: 10.0.0.0/16\n')}---\n${pool('  cidr: 10.1.0.0/16\n  disabled: true\n  disabled: false\n')}`)
    expect(err.message).toBe('failed to execute command: error converting YAML to JSON: yaml: unmarshal errors:\n  line 8: key "disabled" already set in map')
    expect(err.details).toEqual(['  at stdin: document 2, line 15 (spec.disabled): duplicated mapping key'])
  })

  it('refuses a number JSON cannot hold, as the conversion to JSON does', async () => {
    const err = await fileError(pool('  cidr: 10.0.0.0/16\n  blockSize: .inf\n  bogus: 1\n'))
    expect(err.message).toBe('failed to execute command: error converting YAML to JSON: json: unsupported value: +Inf')
  })

  it('refuses a mapping or null as a map key', async () => {
    await expect(load('apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\n  labels: {? {a: b} : c}\n')).rejects.toThrow(
      'invalid map key: a mapping cannot be a key',
    )
    await expect(load('apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\n  labels: {null: c}\n')).rejects.toThrow(
      'invalid map key: null cannot be a key',
    )
  })

  it('writes a float literal into a string field as go-yaml formats it', async () => {
    const [loaded] = await load('apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\n  labels: {a: 1e10, b: 1000000.0, c: 7}\nspec:\n  cidr: 10.0.0.0/16\n')
    expect(loaded.resource.metadata.labels).toEqual({ a: '1e+10', b: '1e+06', c: '7' })
  })

  it('points a wrong value at the line where the value starts', async () => {
    const err = await fileError(pool('  cidr: 10.0.0.0/16\n  disabled:\n    "x"\n'))
    expect(err.details).toEqual(['  at stdin: document 1, line 8 (spec.disabled)'])
  })
})
