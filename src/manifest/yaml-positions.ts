/**
 * Parses a YAML stream with js-yaml and recovers source lines for every key and
 * sequence item. js-yaml has no CST, but its `listener` option reports each
 * node's open and close with the parser state; nesting those events gives a
 * node tree with offsets, and the text right after a node (`:` or not) tells
 * keys from values.
 */
import yaml from 'js-yaml'
import type { FieldPath } from './errors.js'
import { GO_YAML_SCHEMA } from './go-yaml-schema.js'

/** A node whose tag is local (`!something`, or the bare non-specific `!`). */
export interface LocalTag {
  path: FieldPath
  /** 1-based line of the tag. */
  line: number
  tag: string
  /** The node's source text on the tag's line (tag included), comment removed. */
  raw: string
}

export interface YamlDocument {
  /** The parsed value; null for a document with no content. */
  value: unknown
  /** 1-based lines of the document root (path []), of every key and of every sequence item. */
  lines: ReadonlyMap<string, number>
  /** 1-based lines of every value (a block value may start on the line after its key). */
  valueLines: ReadonlyMap<string, number>
  /** Paths of scalars YAML read as floats (`1e10`, `1.0`): go-yaml writes those apart from integers. */
  floats: ReadonlySet<string>
  /** Local tags in document order; Calico manifests never use them on purpose. */
  tags: LocalTag[]
}

/** What indexing a document records. */
interface DocumentIndex {
  document: number
  lines: Map<string, number>
  valueLines: Map<string, number>
  floats: Set<string>
  tags: LocalTag[]
}

const FLOAT_TAG = 'tag:yaml.org,2002:float'

/** js-yaml rejected the stream; positions are already resolved to lines. */
export class YamlParseFailure extends Error {
  constructor(
    readonly reason: string,
    /** 1-based index of the document being read. */
    readonly document: number,
    /** 1-based line of js-yaml's mark, or of the node itself for errors about a whole node. */
    readonly line: number,
    /** 1-based line where the innermost unfinished node began. */
    readonly openedLine: number | undefined,
    /** Path of the unfinished node, for errors about a whole node (e.g. an unknown `!!` tag). */
    readonly field: FieldPath | undefined,
    /** Set when the node being read carried a local tag: the tag is the likely culprit. */
    readonly tag: LocalTag | undefined,
    /** For a key that appears twice in a mapping: the key. */
    readonly duplicateKey?: string,
  ) {
    super(reason)
    this.name = 'YamlParseFailure'
  }
}

/** Map key for a field path; segments are stringified so `0` and `'0'` look the same. */
export function pathKey(path: FieldPath): string {
  return path.map(String).join('\u0000')
}

interface Frame {
  start: number
  /** -1 while the node is still being read. */
  end: number
  tag: string | null
  kind: string | null
  result: unknown
  parent: Frame | undefined
  children: Frame[]
}

type Role =
  | { kind: 'key'; key: string }
  | { kind: 'value'; key: string }
  | { kind: 'item'; index: number }
  /** The child is the parent's whole content (see isWrapper). */
  | { kind: 'pass' }
  | { kind: 'none' }

// Local tags are kept (instead of js-yaml's "unknown tag" error) so they can be
// reported with their field path; a multi type with tag `!` matches them all.
const keepLocalTag = (kind: 'scalar' | 'sequence' | 'mapping') =>
  new yaml.Type('!', { kind, multi: true, resolve: () => true, construct: (data: unknown, tag?: string) => ({ tag, data }) })

// Core types as go-yaml v2 reads them rather than DEFAULT: timestamps must stay strings
// (creationTimestamp), and !!binary/!!set/!!omap have no place in a resource. Merge keys (`<<`)
// are kept; js-yaml exports its built-in types at runtime but @types/js-yaml omits them.
const { merge } = (yaml as unknown as { types: { merge: yaml.Type } }).types
const SCHEMA = GO_YAML_SCHEMA.extend({
  implicit: [merge],
  explicit: [keepLocalTag('scalar'), keepLocalTag('sequence'), keepLocalTag('mapping')],
})

// Errors about one node's tag or type: reported at the node's own line with its field
// path (for unknown tags and failed resolution js-yaml's mark sits past the node).
const NODE_ERRORS = /^(unknown tag|cannot resolve a node|unacceptable node kind|tag suffix|tag name|named tag handle|undeclared tag handle|unexpected end of the stream within a verbatim tag)/

export function parseYamlStream(input: string): YamlDocument[] {
  // js-yaml drops a BOM itself, which would shift every offset by one.
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  const source = new SourceText(text)
  const roots: Frame[] = []
  const stack: Frame[] = []
  // js-yaml keeps the tag of the node being read on its state (@types/js-yaml omits it);
  // the object is kept so the tag can still be read after a throw.
  let parserState: { tag?: unknown } | undefined

  let values: unknown[]
  try {
    values = yaml.loadAll(text, null, {
      schema: SCHEMA,
      listener(event, state) {
        parserState = state as unknown as { tag?: unknown }
        if (event === 'open') {
          const frame: Frame = { start: state.position, end: -1, tag: null, kind: null, result: null, parent: stack.at(-1), children: [] }
          if (frame.parent) frame.parent.children.push(frame)
          else roots.push(frame)
          stack.push(frame)
          return
        }
        const frame = stack.pop()
        if (!frame) return
        frame.end = state.position
        frame.tag = typeof parserState.tag === 'string' ? parserState.tag : null
        frame.kind = state.kind ?? null
        frame.result = state.result
      },
    })
  } catch (err) {
    if (!(err instanceof yaml.YAMLException)) throw err
    const tag = parserState?.tag
    throw source.failure(err, Math.max(roots.length, 1), stack.at(-1), typeof tag === 'string' ? tag : undefined)
  }

  return values.map((value, i) => {
    const index: DocumentIndex = { document: i + 1, lines: new Map(), valueLines: new Map(), floats: new Set(), tags: [] }
    const root = roots[i]
    if (root && value !== null && value !== undefined) source.index(root, [], index)
    return { value, lines: index.lines, valueLines: index.valueLines, floats: index.floats, tags: index.tags }
  })
}

class SourceText {
  private readonly lineStarts: number[] = [0]

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]
      if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) this.lineStarts.push(i + 1)
    }
  }

  lineAt(position: number): number {
    let lo = 0
    let hi = this.lineStarts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.lineStarts[mid] <= position) lo = mid
      else hi = mid - 1
    }
    return lo + 1
  }

  /** Offset of the node's first character: js-yaml opens a node before skipping blanks and comments. */
  contentStart(frame: Frame): number {
    let p = frame.start
    for (;;) {
      while (p < this.text.length && ' \t\r\n'.includes(this.text[p])) p++
      if (this.text[p] !== '#') return p
      while (p < this.text.length && this.text[p] !== '\n' && this.text[p] !== '\r') p++
    }
  }

  lineOf(frame: Frame): number {
    return this.lineAt(this.contentStart(frame))
  }

  /**
   * Walks a finished node tree, recording lines of the root, keys, items and values, floats and any
   * local tags. Keys go-yaml cannot turn into JSON (a mapping, a sequence, null) fail here.
   */
  index(frame: Frame, path: FieldPath, index: DocumentIndex): void {
    const key = pathKey(path)
    if (!index.lines.has(key)) index.lines.set(key, this.lineOf(frame))
    index.valueLines.set(key, this.lineOf(frame))
    if (frame.tag === FLOAT_TAG) index.floats.add(key)
    this.noteTag(frame, path, index.tags)
    const roles = this.roles(frame)
    frame.children.forEach((child, i) => {
      const role = roles[i]
      if (role.kind === 'pass') {
        this.index(child, path, index)
      } else if (role.kind === 'key') {
        this.checkKey(child, path, index.document)
        index.lines.set(pathKey([...path, role.key]), this.lineOf(child))
        this.noteTag(child, path, index.tags)
      } else if (role.kind === 'value') {
        this.index(child, [...path, role.key], index)
      } else if (role.kind === 'item') {
        this.index(child, [...path, role.index], index)
      }
    })
  }

  /** The mapping key written at `position`, quotes resolved. */
  private keyAt(position: number): string {
    const rest = this.text.slice(position).split(/\r?\n/)[0]
    const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(rest)
    if (quoted) return JSON.parse(`"${quoted[1]}"`) as string
    const single = /^'((?:[^']|'')*)'/.exec(rest)
    if (single) return single[1].replaceAll("''", "'")
    return rest.replace(/:(\s.*)?$/, '').trim()
  }

  /** sigs.k8s.io/yaml turns keys into JSON strings; a mapping, sequence or null key has none. */
  private checkKey(frame: Frame, path: FieldPath, document: number): void {
    const what = frame.kind === 'mapping' ? 'a mapping' : frame.kind === 'sequence' ? 'a sequence' : frame.result === null ? 'null' : undefined
    if (what === undefined) return
    const line = this.lineOf(frame)
    throw new YamlParseFailure(`invalid map key: ${what} cannot be a key`, document, line, line, path, undefined)
  }

  private noteTag(frame: Frame, path: FieldPath, tags: LocalTag[]): void {
    const tag = frame.tag
    if (tag === null || !tag.startsWith('!')) return
    const start = this.contentStart(frame)
    tags.push({ path, line: this.lineAt(start), tag, raw: this.sourceOf(start, frame.end) })
  }

  /** Source text of a node from `start` to its end (if known), at most to the end of the line. */
  private sourceOf(start: number, end: number): string {
    const eol = this.text.slice(start).search(/[\r\n]/)
    let stop = eol < 0 ? this.text.length : start + eol
    // In a flow collection the node ends before `,` `]` `}`, which are not part of it.
    if (end >= 0 && end < stop) stop = end
    return this.text.slice(start, stop).replace(/\s+#.*$/, '').trim()
  }

  private followedByColon(position: number): boolean {
    let p = position
    while (this.text[p] === ' ' || this.text[p] === '\t') p++
    return this.text[p] === ':'
  }

  /** Mapping or sequence; for a node still being read, guessed from its first character. */
  private container(frame: Frame): 'mapping' | 'sequence' | undefined {
    if (frame.end >= 0) return frame.kind === 'mapping' || frame.kind === 'sequence' ? frame.kind : undefined
    let p = this.contentStart(frame)
    // Skip a tag or anchor in front of the content.
    while (this.text[p] === '!' || this.text[p] === '&') {
      while (p < this.text.length && !' \t\r\n'.includes(this.text[p])) p++
      p = this.contentStart({ ...frame, start: p })
    }
    const c = this.text[p]
    if (c === '[' || (c === '-' && (p + 1 >= this.text.length || ' \t\r\n'.includes(this.text[p + 1])))) return 'sequence'
    return 'mapping'
  }

  private roles(frame: Frame): Role[] {
    if (this.isWrapper(frame)) return frame.children.map((_, i) => ({ kind: i === 0 ? 'pass' : 'none' }))
    const type = this.container(frame)
    if (type === undefined) return frame.children.map(() => ({ kind: 'none' }))
    if (type === 'sequence') {
      // `- ` with nothing after it yields an item without a node; indices would drift.
      const aligned = frame.end < 0 || (Array.isArray(frame.result) && frame.result.length === frame.children.length)
      return frame.children.map((_, index) => (aligned ? { kind: 'item', index } : { kind: 'none' }))
    }
    const roles: Role[] = []
    let pendingKey: string | undefined
    for (const child of frame.children) {
      if (pendingKey !== undefined) {
        roles.push({ kind: 'value', key: pendingKey })
        pendingKey = undefined
      } else if (child.end >= 0 && this.followedByColon(child.end)) {
        pendingKey = String(child.result)
        roles.push({ kind: 'key', key: pendingKey })
      } else if (child.end >= 0 && frame.end >= 0 && child.kind !== null) {
        // A flow-mapping key without a value: `{a, b: 1}`.
        roles.push({ kind: 'key', key: String(child.result) })
      } else {
        // A key still being read, or a would-be key that turned out to be nothing.
        roles.push({ kind: 'none' })
      }
    }
    return roles
  }

  /**
   * js-yaml reads a flow collection that opens a block node as a would-be key in a
   * nested node, then keeps that node's result: the child is the parent's whole content.
   */
  private isWrapper(frame: Frame): boolean {
    const first = frame.children[0]
    if (!first) return false
    const start = this.contentStart(frame)
    return (this.text[start] === '[' || this.text[start] === '{') && this.contentStart(first) === start
  }

  /** Field path of a node that is still being read. */
  private openPath(frame: Frame): FieldPath {
    const chain: Frame[] = []
    for (let f: Frame | undefined = frame; f; f = f.parent) chain.unshift(f)
    const path: (string | number)[] = []
    for (let i = 1; i < chain.length; i++) {
      const parent = chain[i - 1]
      const role = this.roles(parent)[parent.children.indexOf(chain[i])]
      if (role.kind === 'value' || role.kind === 'key') path.push(role.key)
      else if (role.kind === 'item') path.push(role.index)
    }
    return path
  }

  failure(err: yaml.YAMLException, document: number, open: Frame | undefined, stateTag: string | undefined): YamlParseFailure {
    const reason = err.reason ?? err.message
    const markLine = err.mark ? this.lineAt(err.mark.position) : this.lineStarts.length
    const openedLine = open ? this.lineOf(open) : undefined
    let tag: LocalTag | undefined
    if (open && stateTag?.startsWith('!') && this.text.startsWith(stateTag, this.contentStart(open))) {
      const start = this.contentStart(open)
      tag = { path: this.openPath(open), line: this.lineAt(start), tag: stateTag, raw: this.sourceOf(start, -1) }
    }
    if (reason.startsWith('duplicated mapping key') && err.mark) {
      const key = this.keyAt(err.mark.position)
      return new YamlParseFailure(reason, document, markLine, openedLine, [...(open ? this.openPath(open) : []), key], tag, key)
    }
    if (open && NODE_ERRORS.test(reason)) {
      return new YamlParseFailure(reason, document, openedLine ?? markLine, openedLine, this.openPath(open), tag)
    }
    return new YamlParseFailure(reason, document, markLine, openedLine, undefined, tag)
  }
}
