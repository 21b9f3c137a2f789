import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManifestError, NoResourcesError, parseManifestText, readManifests } from '../../src/manifest/index.js'

// The admin notes' heredoc (`cat << EOF | calicoctl create -f -`), selector quoted.
const BGP_PEERS = `kind: BGPPeer
apiVersion: projectcalico.org/v3
metadata:
  name: peer-to-rrs
spec:
  # 规则1：普通 bgp node 与 rr 建立连接
  nodeSelector: "!has(i-am-a-route-reflector)"
  peerSelector: has(i-am-a-route-reflector)

---
kind: BGPPeer
apiVersion: projectcalico.org/v3
metadata:
  name: rr-mesh
spec:
  # 规则2：route reflectors 之间也建立连接
  nodeSelector: has(i-am-a-route-reflector)
  peerSelector: has(i-am-a-route-reflector)
`
const UNQUOTED = BGP_PEERS.replace('"!has(i-am-a-route-reflector)"', '!has(i-am-a-route-reflector)')

const fromStdin = (text: string) => readManifests('-', { stdin: async () => text })

/** The ManifestError message `fn` throws (fails the test if it does not throw one). */
async function errorOf(fn: () => unknown): Promise<ManifestError> {
  try {
    await fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ManifestError)
    return err as ManifestError
  }
  throw new Error('expected a ManifestError')
}

describe('documents from stdin', () => {
  it('reads both BGPPeers of a multi-document stream with their document numbers and lines', async () => {
    const items = await fromStdin(BGP_PEERS)
    expect(items.map((i) => [i.source, i.document, i.line, (i.doc.metadata as { name: string }).name])).toEqual([
      ['stdin', 1, 1, 'peer-to-rrs'],
      ['stdin', 2, 11, 'rr-mesh'],
    ])
    expect(items[0].doc.spec).toEqual({ nodeSelector: '!has(i-am-a-route-reflector)', peerSelector: 'has(i-am-a-route-reflector)' })
  })

  it('finds the line of a field inside each resource', async () => {
    const [first, second] = await fromStdin(BGP_PEERS)
    expect(first.lineOf(['spec', 'peerSelector'])).toBe(8)
    expect(first.lineOf(['spec', 'nodeSelector'])).toBe(7)
    expect(first.lineOf(['metadata', 'name'])).toBe(4)
    expect(second.lineOf(['spec', 'peerSelector'])).toBe(18)
    expect(second.lineOf([])).toBe(11)
    expect(first.lineOf(['spec', 'asNumber'])).toBeUndefined()
  })

  it('explains an unquoted !has(...) selector instead of reading it as a tag', async () => {
    const err = await errorOf(() => fromStdin(UNQUOTED))
    expect(err).not.toBeInstanceOf(NoResourcesError)
    expect(err.message).toBe(
      "stdin: document 1, line 7: field spec.nodeSelector: YAML parsed '!has(i-am-a-route-reflector)' as a tag, not a string; " +
        'quote the selector: nodeSelector: "!has(i-am-a-route-reflector)"',
    )
  })

  it('reports a tag in a later document with that document number', () => {
    const text = BGP_PEERS.replace(/peerSelector: has\(i-am-a-route-reflector\)\n$/, 'peerSelector: !all()\n')
    expect(() => parseManifestText(text, 'stdin')).toThrow(
      "stdin: document 2, line 18: field spec.peerSelector: YAML parsed '!all()' as a tag, not a string; quote the selector: peerSelector: \"!all()\"",
    )
  })

  it('quotes the whole selector when text follows the tag', () => {
    const text = UNQUOTED.replace('!has(i-am-a-route-reflector)', '!has(rr) && zone == "a"')
    expect(() => parseManifestText(text, 'stdin')).toThrow(
      "stdin: document 1, line 7: field spec.nodeSelector: YAML parsed '!has(rr)' as a tag, not a string; quote the selector: nodeSelector: '!has(rr) && zone == \"a\"'",
    )
  })

  it('explains the tag even when the text after it breaks the YAML', () => {
    const text = UNQUOTED.replace('!has(i-am-a-route-reflector)', '!has(rr) || has(edge)')
    expect(() => parseManifestText(text, 'stdin')).toThrow(
      "stdin: document 1, line 7: field spec.nodeSelector: YAML parsed '!has(rr)' as a tag, not a string; quote the selector: nodeSelector: \"!has(rr) || has(edge)\"",
    )
  })

  it('refuses "! has(x)", which YAML would silently turn into has(x)', () => {
    const text = UNQUOTED.replace('!has(i-am-a-route-reflector)', '! has(rr)')
    expect(() => parseManifestText(text, 'stdin')).toThrow(
      "stdin: document 1, line 7: field spec.nodeSelector: YAML parsed '!' as a tag, not a string; quote the selector: nodeSelector: \"! has(rr)\"",
    )
  })

  it('gives the field path through lists for a tag in a policy rule', () => {
    const text = [
      'apiVersion: projectcalico.org/v3',
      'kind: GlobalNetworkPolicy',
      'metadata: {name: p}',
      'spec:',
      '  ingress:',
      '  - action: Allow',
      '    source:',
      '      selector: !has(role)',
    ].join('\n')
    expect(() => parseManifestText(text, 'p.yaml')).toThrow(
      "p.yaml: document 1, line 8: field spec.ingress[0].source.selector: YAML parsed '!has(role)' as a tag, not a string; quote the selector: selector: \"!has(role)\"",
    )
  })

  it('reads a document holding an array of resources, each with its own line', () => {
    const text = [
      '- apiVersion: projectcalico.org/v3',
      '  kind: IPPool',
      '  metadata:',
      '    name: pool-a',
      '- apiVersion: projectcalico.org/v3',
      '  kind: BGPPeer',
      '  metadata:',
      '    name: peer-b',
    ].join('\n')
    const items = parseManifestText(text, 'stdin')
    expect(items.map((i) => [i.doc.kind, i.document, i.line, i.lineOf(['metadata', 'name'])])).toEqual([
      ['IPPool', 1, 1, 4],
      ['BGPPeer', 1, 5, 8],
    ])
  })

  it('keeps a <Kind>List as one item, for the loader to decode with its members', () => {
    const text = 'apiVersion: projectcalico.org/v3\nkind: IPPoolList\nitems:\n- metadata: {name: p}\n'
    const [list] = parseManifestText(text, 'pools.yaml')
    expect(list.doc.kind).toBe('IPPoolList')
    expect(list.lineOf(['items', 0, 'metadata', 'name'])).toBe(4)
  })

  it('skips empty documents but keeps counting them', () => {
    const text = '---\n# nothing here\n---\n\n---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: t}\n'
    const items = parseManifestText(text, 'stdin')
    expect(items.map((i) => [i.document, i.line])).toEqual([[3, 6]])
  })

  it('counts lines of CRLF input like LF input', () => {
    const items = parseManifestText('apiVersion: projectcalico.org/v3\r\nkind: Node\r\nmetadata:\r\n  name: n1\r\n', 'stdin')
    expect(items[0].lineOf(['metadata', 'name'])).toBe(4)
    expect(items[0].doc.metadata).toEqual({ name: 'n1' })
  })

  it('locates a label key so a caller can point at a non-string label value', () => {
    const text = [
      'apiVersion: projectcalico.org/v3',
      'kind: Node',
      'metadata:',
      '  name: gihtg-k8s-master01',
      '  labels:',
      '    # 增加标签',
      '    i-am-a-route-reflector: true',
    ].join('\n')
    const [node] = parseManifestText(text, 'rr01.yaml')
    expect((node.doc.metadata as { labels: unknown }).labels).toEqual({ 'i-am-a-route-reflector': true })
    expect(node.lineOf(['metadata', 'labels', 'i-am-a-route-reflector'])).toBe(7)
  })

  it('reports an empty stdin with calicoctl wording', async () => {
    const err = await errorOf(() => fromStdin('# just a comment\n'))
    expect(err).toBeInstanceOf(NoResourcesError)
    expect(err.message).toBe('no resources specified in file -')
    await expect(readManifests('-', { stdin: async () => '', skipEmpty: true })).resolves.toEqual([])
  })
})

describe('malformed input', () => {
  it('reports the line of bad indentation', () => {
    const text = 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\n   labels: {}\n'
    expect(() => parseManifestText(text, 'pool.yaml')).toThrow(
      'pool.yaml: document 1, line 5: bad indentation of a mapping entry; entries of the same mapping or list must start in the same column',
    )
  })

  it('reports tabs used for indentation', () => {
    const text = 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n\tname: p\n'
    expect(() => parseManifestText(text, 'pool.yaml')).toThrow(
      'pool.yaml: document 1, line 4: tab characters must not be used in indentation; indent with spaces only',
    )
  })

  it('points at the line where an unclosed quote starts', () => {
    const text = 'kind: BGPPeer\napiVersion: projectcalico.org/v3\n---\nkind: BGPPeer\nspec:\n  peerSelector: "has(x)\n  asNumber: 64512\n'
    expect(() => parseManifestText(text, 'stdin')).toThrow(
      'stdin: document 2, line 8: unexpected end of the stream within a double quoted scalar; the quoted value that starts on line 6 is never closed',
    )
  })

  it('rejects a document that is not a mapping or a list', () => {
    expect(() => parseManifestText('---\n"calicoctl apply -f rr01.yaml"\n', 'stdin')).toThrow(
      'stdin: document 1, line 2: expected a resource (a mapping with apiVersion and kind) or a list of resources, found a string ("calicoctl apply -f rr01.yaml")',
    )
  })

  it('rejects a list entry that is not a resource', () => {
    const text = 'apiVersion: projectcalico.org/v3\nkind: IPPool\n---\n- apiVersion: projectcalico.org/v3\n  kind: IPPool\n- 42\n'
    expect(() => parseManifestText(text, 'stdin')).toThrow(
      'stdin: document 2, line 6: field [1]: expected a resource (a mapping with apiVersion and kind), found a number (42)',
    )
  })

  it('names a missing kind, keeping upstream text beside ours; a missing apiVersion is for the decoder to report', () => {
    expect(() => parseManifestText('apiVersion: projectcalico.org/v3\nmetadata: {name: x}\n', 'x.yaml')).toThrow(
      "x.yaml: document 1, line 1: resource has no 'kind'; kind names the resource type, e.g. kind: IPPool",
    )
    try {
      parseManifestText('apiVersion: projectcalico.org/v3\nmetadata: {name: x}\n', 'x.yaml')
    } catch (err) {
      expect((err as ManifestError).upstream).toBe(
        'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []unstructured.Unstructured',
      )
    }
    expect(parseManifestText('# pool\nkind: IPPool\nmetadata: {name: x}\n', 'x.yaml')).toHaveLength(1)
    expect(() => parseManifestText('Kind: IPPool\napiversion: projectcalico.org/v3\n', 'x.yaml')).toThrow(
      "x.yaml: document 1, line 1: resource has no 'apiVersion' and no 'kind'; found 'Kind' and 'apiversion'; field names are case-sensitive",
    )
  })


})

describe('files and directories', () => {
  let dir: string
  const pool = (name: string) => `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: ${name}\n`

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'calicoctl-manifest-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reads a tab-indented JSON file', async () => {
    const file = join(dir, 'pool.json')
    await writeFile(file, '{\n\t"apiVersion": "projectcalico.org/v3",\n\t"kind": "IPPool",\n\t"metadata": {\n\t\t"name": "json-pool"\n\t},\n\t"spec": {"cidr": "10.1.0.0/16"}\n}\n')
    const items = await readManifests(file)
    expect(items.map((i) => [i.source, i.document, i.line, i.lineOf(['metadata', 'name']), i.lineOf(['spec', 'cidr'])])).toEqual([[file, 1, 1, 5, 7]])
    expect(items[0].doc).toEqual({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'json-pool' }, spec: { cidr: '10.1.0.0/16' } })
  })

  it('reads a JSON array with one line per element', () => {
    const text = '[\n  {"apiVersion": "projectcalico.org/v3", "kind": "IPPool"},\n  {"apiVersion": "projectcalico.org/v3",\n   "kind": "Tier"}\n]\n'
    expect(parseManifestText(text, 'all.json').map((i) => [i.doc.kind, i.line, i.lineOf(['kind'])])).toEqual([
      ['IPPool', 2, 2],
      ['Tier', 3, 4],
    ])
  })

  it('walks a directory in lexical order, reading only .yaml, .yml and .json files', async () => {
    await writeFile(join(dir, 'b.yaml'), pool('b'))
    await writeFile(join(dir, 'a.YML'), pool('a'))
    await writeFile(join(dir, 'c.json'), JSON.stringify({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'c' } }))
    await writeFile(join(dir, 'd.txt'), pool('d'))
    await writeFile(join(dir, 'README'), 'not yaml: [')
    await mkdir(join(dir, 'aa-sub'))
    await writeFile(join(dir, 'aa-sub', 'e.yaml'), pool('e'))
    const items = await readManifests(dir)
    expect(items.map((i) => i.source)).toEqual([join(dir, 'a.YML'), join(dir, 'b.yaml'), join(dir, 'c.json')])
  })

  it('descends into sub-directories, in place, only when recursive', async () => {
    await writeFile(join(dir, 'a.yaml'), pool('a'))
    await writeFile(join(dir, 'b.yaml'), pool('b'))
    await mkdir(join(dir, 'aa-sub', 'deeper'), { recursive: true })
    await writeFile(join(dir, 'aa-sub', 'e.yaml'), pool('e'))
    await writeFile(join(dir, 'aa-sub', 'deeper', 'f.yml'), pool('f'))
    const items = await readManifests(dir, { recursive: true })
    expect(items.map((i) => (i.doc.metadata as { name: string }).name)).toEqual(['a', 'f', 'e', 'b'])
    expect(items[1].source).toBe(join(dir, 'aa-sub', 'deeper', 'f.yml'))
  })

  it('reports an empty file', async () => {
    const file = join(dir, 'empty.yaml')
    await writeFile(file, '')
    const err = await errorOf(() => readManifests(file))
    expect(err).toBeInstanceOf(NoResourcesError)
    expect(err.message).toBe(`no resources specified in file ${file}`)
    await expect(readManifests(file, { skipEmpty: true })).resolves.toEqual([])
  })

  it('reports an empty file met while walking a directory, unless skipping empties', async () => {
    await writeFile(join(dir, 'a.yaml'), pool('a'))
    await writeFile(join(dir, 'b.yaml'), '# placeholder\n')
    await writeFile(join(dir, 'c.yaml'), pool('c'))
    await expect(readManifests(dir)).rejects.toThrow(`no resources specified in file ${join(dir, 'b.yaml')}`)
    const items = await readManifests(dir, { skipEmpty: true })
    expect(items.map((i) => i.source)).toEqual([join(dir, 'a.yaml'), join(dir, 'c.yaml')])
  })

  it('reports a directory without manifests', async () => {
    await writeFile(join(dir, 'notes.txt'), pool('x'))
    const err = await errorOf(() => readManifests(dir))
    expect(err).toBeInstanceOf(NoResourcesError)
    expect(err.message).toBe(`no resources specified in directory ${dir}`)
    await expect(readManifests(dir, { skipEmpty: true })).resolves.toEqual([])
  })

  it('reports a missing path like calicoctl', async () => {
    const missing = join(dir, 'nope.yaml')
    const err = await errorOf(() => readManifests(missing))
    expect(err).not.toBeInstanceOf(NoResourcesError)
    expect(err.message).toBe(`open ${missing}: no such file or directory`)
  })

  it('names the file in errors found while walking a directory', async () => {
    await writeFile(join(dir, 'a.yaml'), pool('a'))
    await writeFile(join(dir, 'b.yaml'), `${pool('b')}spec:\n  nodeSelector: !has(edge)\n`)
    await expect(readManifests(dir)).rejects.toThrow(
      `${join(dir, 'b.yaml')}: document 1, line 6: field spec.nodeSelector: YAML parsed '!has(edge)' as a tag, not a string; quote the selector: nodeSelector: "!has(edge)"`,
    )
  })
})
