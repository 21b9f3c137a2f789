/**
 * `-f` as calicoctl resolves it (commands/file/iter.go): a directory walked in Go's lexical order,
 * only .yaml/.yml/.json files (any case), sub-directories with -R only, symlinks not followed, and
 * Go's *PathError texts for what cannot be read. Field paths as error messages print them.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { formatFieldPath, ManifestError, readManifests } from '../../src/manifest/index.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'calicoctl-read-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const doc = (name: string) => `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: ${name}\n`
const write = (path: string, name = path) => writeFileSync(join(dir, path), doc(name))
const names = async (target: string, recursive = false) => (await readManifests(target, { recursive })).map((i) => (i.doc.metadata as { name: string }).name)
const failure = async (target: string) =>
  readManifests(target).then(
    () => 'no error',
    (e: Error) => `${e.name}: ${e.message}`,
  )

describe('a directory', () => {
  it('is read in byte order of the names, manifest extensions only, in any case', async () => {
    for (const file of ['b.yaml', 'B.yaml', 'a.YML', 'c.Json', 'a-1.yml', 'd.txt', 'e', 'yaml', 'f.yaml.bak']) write(file)
    write('.yaml', 'dot')
    expect(await names(dir)).toEqual(['.yaml', 'B.yaml', 'a-1.yml', 'a.YML', 'b.yaml', 'c.Json'].map((n) => (n === '.yaml' ? 'dot' : n)))
  })

  it('enters sub-directories only when recursive, in place among the files', async () => {
    write('a.yaml')
    write('c.yaml')
    mkdirSync(join(dir, 'b'))
    write('b/x.yaml')
    mkdirSync(join(dir, 'b', 'z'))
    write('b/z/y.yaml')
    expect(await names(dir)).toEqual(['a.yaml', 'c.yaml'])
    expect(await names(dir, true)).toEqual(['a.yaml', 'b/x.yaml', 'b/z/y.yaml', 'c.yaml'])
  })

  it('does not follow a symlink to a directory: reading it fails as Go fails', async () => {
    mkdirSync(join(dir, 'real'))
    write('real/x.yaml')
    symlinkSync(join(dir, 'real'), join(dir, 'link.yaml'))
    expect(await failure(dir)).toBe(`ManifestError: read ${join(dir, 'link.yaml')}: is a directory`)
  })
})

describe('what cannot be read', () => {
  it("is named as Go's *PathError names it", async () => {
    expect(await failure(join(dir, 'missing.yaml'))).toBe(`ManifestError: open ${join(dir, 'missing.yaml')}: no such file or directory`)
    write('plain.yaml')
    expect(await failure(join(dir, 'plain.yaml', 'x.yaml'))).toBe(`ManifestError: open ${join(dir, 'plain.yaml', 'x.yaml')}: not a directory`)
  })

  it('a manifest error given as text keeps it as its message', () => {
    const err = new ManifestError('open x: no such file or directory')
    expect([err.name, err.message, err.hint]).toEqual(['ManifestError', 'open x: no such file or directory', undefined])
  })

  it('a manifest error given as details names source, document, line and field', () => {
    expect(new ManifestError({ source: 's', document: 2, line: 3, field: ['a', 0], reason: 'r', hint: 'h' }).message).toBe('s: document 2, line 3: field a[0]: r; h')
    expect(new ManifestError({ source: 's', line: 3, reason: 'r' }).message).toBe('s: line 3: r')
    expect(new ManifestError({ source: 's', document: 1, reason: 'r', field: [] }).message).toBe('s: document 1: r')
    expect(new ManifestError({ source: 's', reason: 'r' }).message).toBe('s: r')
  })
})

describe('field paths', () => {
  it.each<[(string | number)[], string]>([
    [[], ''],
    [['spec', 'ingress', 0, 'source', 'selector'], 'spec.ingress[0].source.selector'],
    [[0, 'kind'], '[0].kind'],
    [['metadata', 'labels', 'a.b/c'], 'metadata.labels["a.b/c"]'],
    [['metadata', 'labels', 'x-y_z$1'], 'metadata.labels.x-y_z$1'],
    [['metadata', 'labels', '1a'], 'metadata.labels["1a"]'],
    [['a b'], '["a b"]'],
    [['x', ''], 'x[""]'],
  ])('%j is written %s', (path, text) => {
    expect(formatFieldPath(path)).toBe(text)
  })
})
