/**
 * `-f` over several sources as calicoctl reads them: a directory file by file, stopping at the first
 * bad one (validate goes on and reports all), empty files and directories, files that are not YAML,
 * documents of an unknown type, and the warning for a scalar taken as a string.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FileError, loadFromFile } from '../../src/crud/load.js'
import { CommandError } from '../../src/errors.js'
import { setLogLevel } from '../../src/log.js'
import { NoResourcesError } from '../../src/manifest/index.js'

const pool = (name: string, extra = '') => `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: ${name}\nspec:\n  cidr: 10.0.0.0/16\n${extra}`
let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'calicoctl-load-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const files = (entries: Record<string, string>) => {
  for (const [name, text] of Object.entries(entries)) writeFileSync(join(dir, name), text)
}
const failure = async (promise: Promise<unknown>) => {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(Error)
  return err as CommandError
}
const names = (loaded: Awaited<ReturnType<typeof loadFromFile>>) => loaded.map((l) => l.resource.metadata.name)

describe('a directory', () => {
  it('stops at the first bad file; validate reads on and keeps what decoded', async () => {
    files({ 'a.yaml': pool('a'), 'b.yaml': pool('b', '  bogus: 1\n'), 'c.yaml': pool('c'), 'd.yaml': pool('d', '  blockSize: x\n') })
    const first = (await failure(loadFromFile(dir, {}))) as FileError
    expect(first).toBeInstanceOf(FileError)
    expect(first.message).toBe('failed to execute command: error unmarshaling JSON: while decoding JSON: json: unknown field "bogus"')
    expect(first.details).toEqual([`  at ${dir}/b.yaml: document 1, line 7 (spec.bogus)`])

    const all = (await failure(loadFromFile(dir, { collectAll: true }))) as FileError
    expect(all.details).toEqual([
      `  at ${dir}/b.yaml: document 1, line 7 (spec.bogus)`,
      `also: ${dir}/d.yaml: document 1, line 7 (spec.blockSize): cannot unmarshal string into Go struct field IPPoolSpec.spec.blockSize of type int`,
    ])
    expect(names(all.loaded)).toEqual(['a', 'c'])
  })

  it('with a file that holds no resource fails on it, unless empty sources are skipped', async () => {
    files({ 'a.yaml': pool('a'), 'b.yml': '# nothing\n', 'c.json': '{"apiVersion": "projectcalico.org/v3", "kind": "IPPool", "metadata": {"name": "c"}}' })
    expect((await failure(loadFromFile(dir, {}))).message).toBe(`no resources specified in file ${dir}/b.yml`)
    expect(names(await loadFromFile(dir, { skipEmpty: true }))).toEqual(['a', 'c'])
  })

  it('counts an empty file as one more problem after another', async () => {
    files({ 'a.yaml': pool('a', '  bogus: 1\n'), 'b.yaml': '' })
    const all = (await failure(loadFromFile(dir, { collectAll: true }))) as FileError
    expect(all.details).toEqual([`  at ${dir}/a.yaml: document 1, line 7 (spec.bogus)`, `also: no resources specified in file ${dir}/b.yaml`])
  })

  it('that is empty holds no resources', async () => {
    mkdirSync(join(dir, 'sub'))
    files({ 'notes.txt': pool('x') })
    expect(await failure(loadFromFile(dir, {}))).toBeInstanceOf(NoResourcesError)
    expect((await failure(loadFromFile(dir, {}))).message).toBe(`no resources specified in directory ${dir}`)
    expect(await loadFromFile(dir, { skipEmpty: true })).toEqual([])
  })

  it('with a file that is not YAML: our wording alone first, else one more problem', async () => {
    files({ 'a.yaml': 'a: [\n' })
    const alone = await failure(loadFromFile(dir, {}))
    expect(alone).not.toBeInstanceOf(FileError)
    expect(alone.message).toBe(
      `failed to execute command: ${dir}/a.yaml: document 1, line 2: unexpected end of the stream within a flow collection; the [ or { that starts on line 1 is never closed`,
    )
    files({ '0.yaml': pool('z', '  bogus: 1\n') })
    const after = (await failure(loadFromFile(dir, { collectAll: true }))) as FileError
    expect(after.details.at(-1)).toBe(
      `also: ${dir}/a.yaml: document 1, line 2: unexpected end of the stream within a flow collection; the [ or { that starts on line 1 is never closed`,
    )
  })

  it("with upstream's own text for a file's problem: that text, then where it is and what we make of it", async () => {
    files({ 'a.yaml': 'kind: IPPool\nkind: IPPool\n', 'b.yaml': '5\n' })
    const first = (await failure(loadFromFile(dir, {}))) as FileError
    expect(first.message).toBe('failed to execute command: error converting YAML to JSON: yaml: unmarshal errors:\n  line 2: key "kind" already set in map')
    expect(first.details).toEqual([`  at ${dir}/a.yaml: document 1, line 2 (kind): duplicated mapping key`])
    const all = (await failure(loadFromFile(dir, { collectAll: true }))) as FileError
    expect(all.details).toEqual([
      `  at ${dir}/a.yaml: document 1, line 2 (kind): duplicated mapping key`,
      `also: ${dir}/b.yaml: document 1, line 1: expected a resource (a mapping with apiVersion and kind) or a list of resources, found a number (5): cannot unmarshal number into Go value of type []unstructured.Unstructured`,
    ])
  })
})

describe('a document of a type calicoctl does not know', () => {
  const load = (text: string, collectAll = false) => loadFromFile('-', { stdin: async () => text, collectAll })

  it('names kind and version; a missing apiVersion gets a hint', async () => {
    const missing = (await failure(load('kind: IPPool\nmetadata: {name: a}\n'))) as FileError
    expect(missing.message).toBe('failed to execute command: unknown resource type (IPPool) and/or version ()')
    expect(missing.details).toEqual(['  at stdin: document 1, line 1 (kind): Calico resources use apiVersion: projectcalico.org/v3'])
    const miscased = (await failure(load('ApiVersion: projectcalico.org/v3\nkind: IPPool\n'))) as FileError
    expect(miscased.details).toEqual(["  at stdin: document 1, line 2 (kind): found 'ApiVersion'; field names are case-sensitive"])
    const other = (await failure(load('apiVersion: v1\nkind: IPPool\n'))) as FileError
    expect(other.message).toBe('failed to execute command: unknown resource type (IPPool) and/or version (v1)')
    expect(other.details).toEqual(['  at stdin: document 1, line 2 (kind)'])
  })

  it('stops the reading; validate reads the next documents', async () => {
    const text = `apiVersion: projectcalico.org/v3\nkind: Bogus\n---\n${pool('b')}---\n${pool('c', '  bogus: 1\n')}`
    expect(((await failure(load(text))) as FileError).details).toEqual(['  at stdin: document 1, line 2 (kind)'])
    const all = (await failure(load(text, true))) as FileError
    expect(all.message).toBe('failed to execute command: unknown resource type (Bogus) and/or version (projectcalico.org/v3)')
    expect(all.details).toEqual(['  at stdin: document 1, line 2 (kind)', 'also: stdin: document 3, line 17 (spec.bogus): field in document is not recognized or is in the wrong location: bogus'])
    expect(names(all.loaded)).toEqual(['b'])
  })

  it('of a list: a list of an unknown kind is unknown too', async () => {
    const err = (await failure(load('apiVersion: projectcalico.org/v3\nkind: BogusList\nitems: []\n'))) as FileError
    expect(err.message).toBe('failed to execute command: unknown resource type (BogusList) and/or version (projectcalico.org/v3)')
  })
})

describe('a scalar taken as a string', () => {
  let written: string[]
  beforeEach(() => {
    written = []
    setLogLevel('warn')
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk))
      return true
    })
  })
  afterEach(() => {
    vi.restoreAllMocks()
    setLogLevel('panic')
  })

  it('is named at warning level, at its place in the document or list member', async () => {
    const text = `${pool('a')}  nodeSelector: 26\n---\napiVersion: projectcalico.org/v3\nkind: IPPoolList\nitems:\n- metadata: {name: b}\n  spec: {cidr: 10.1.0.0/16}\n- metadata:\n    name: c\n    labels: {on: yes}\n  spec: {cidr: 10.2.0.0/16}\n`
    const loaded = await loadFromFile('-', { stdin: async () => text })
    expect(loaded.map((l) => l.resource.metadata.labels ?? l.resource.spec)).toEqual([{ cidr: '10.0.0.0/16', nodeSelector: '26' }, { cidr: '10.1.0.0/16' }, { true: 'true' }])
    const messages = written.map((line) => /msg=(".*"|\S+)/.exec(line)?.[1]).map((m) => (m?.startsWith('"') ? JSON.parse(m) : m))
    expect(messages).toEqual([
      'stdin: document 1, line 7 (spec.nodeSelector): 26 is stored as the string "26" (quote it to say so)',
      'stdin: document 2, line 16 (metadata.labels.true): true is stored as the string "true" (quote it to say so)',
    ])
  })
})
