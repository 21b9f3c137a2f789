/**
 * Resolves `-f FILE|DIR|-` the way calicoctl does (commands/file/iter.go):
 * stdin for `-`; a directory is walked in lexical order, reading only .yaml,
 * .yml and .json files (any case), entering sub-directories only when recursive;
 * anything else is opened as a file. Reading stops at the first bad file.
 */
import { readFile, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { ManifestError, NoResourcesError } from './errors.js'
import { itemsBefore, parseManifestText, type ManifestItem } from './parse.js'

export interface ReadOptions {
  /** Descend into sub-directories of a directory (`-R`). */
  recursive?: boolean
  /** Return [] instead of throwing NoResourcesError (`--skip-empty`). */
  skipEmpty?: boolean
  /** Source of `-f -`; defaults to the process's stdin. */
  stdin?: () => Promise<string>
  /** How messages name the `-` source (default `stdin`), when it is a file read beforehand. */
  stdinName?: string
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])

/** The items of one source (a file, or `-` for stdin), in reading order. */
export interface ManifestSource {
  /** The file name as calicoctl prints it (`-` for stdin). */
  target: string
  items: ManifestItem[]
  /** The source could not be parsed: `items` are then the documents before the one that failed. */
  error?: ManifestError
}

/**
 * The sources of `-f`, one at a time, so a caller can stop at the first bad one as calicoctl does
 * (a later file is not even read). Empty sources are yielded too; what counts as empty is the caller's.
 */
export async function* readManifestSources(filename: string, opts: ReadOptions = {}): AsyncGenerator<ManifestSource> {
  if (filename === '-') {
    yield parsed(opts.stdinName ?? '-', await (opts.stdin ?? readProcessStdin)(), opts.stdinName ?? 'stdin')
    return
  }
  const info = await stat(filename).catch(() => undefined)
  if (!info?.isDirectory()) {
    yield parsed(filename, await readText(filename), filename)
    return
  }
  for await (const file of manifestFiles(filename, opts.recursive ?? false)) {
    yield parsed(file, await readText(file), file)
  }
}

function parsed(target: string, text: string, source: string): ManifestSource {
  try {
    return { target, items: parseManifestText(text, source) }
  } catch (err) {
    if (err instanceof ManifestError) return { target, items: itemsBefore(text, source, err.document), error: err }
    throw err
  }
}

/** Every item of `-f`; a source without documents fails with calicoctl's wording unless `skipEmpty`. */
export async function readManifests(filename: string, opts: ReadOptions = {}): Promise<ManifestItem[]> {
  const all: ManifestItem[] = []
  for await (const source of readManifestSources(filename, opts)) {
    if (source.error) throw source.error
    all.push(...nonEmpty(source.items, () => new NoResourcesError(source.target, false), opts))
  }
  // Only a directory without manifest files gets here empty: each file was checked above.
  return nonEmpty(all, () => new NoResourcesError(filename, true), opts)
}

function nonEmpty(items: ManifestItem[], error: () => NoResourcesError, opts: ReadOptions): ManifestItem[] {
  if (items.length === 0 && !opts.skipEmpty) throw error()
  return items
}

/** Depth-first, entries sorted by name, like Go's filepath.Walk (symlinks are not followed into). */
async function* manifestFiles(dir: string, recursive: boolean): AsyncGenerator<string> {
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch (err) {
    throw ioError('open', dir, err)
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (recursive) yield* manifestFiles(path, recursive)
    } else if (MANIFEST_EXTENSIONS.has(extension(entry.name))) {
      yield path
    }
  }
}

/** Go's filepath.Ext: from the last dot, so a file named `.yaml` counts too. */
function extension(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot < 0 ? '' : name.slice(dot).toLowerCase()
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw ioError(code === 'EISDIR' ? 'read' : 'open', path, err)
  }
}

/** Go's *PathError text, e.g. `open x.yaml: no such file or directory`. */
function ioError(op: string, path: string, err: unknown): ManifestError {
  const e = err as NodeJS.ErrnoException
  // Node: "ENOENT: no such file or directory, open 'x'"; the middle part is the OS's text, as in Go.
  const description = /^[A-Z0-9]+: (.*?), \w+ '/.exec(e.message ?? '')?.[1] ?? e.message
  return new ManifestError(`${op} ${path}: ${e.code === 'EISDIR' ? 'is a directory' : description}`)
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return Buffer.concat(chunks).toString('utf8')
}
