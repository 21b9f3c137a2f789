/**
 * Turns the text of one `-f` source into resource items: each `---` document
 * may be one resource (a `<Kind>List` too) or an array of resources.
 * Kind/apiVersion are only checked for presence; the caller maps them to types
 * and decodes each item (a list's members with it).
 */
import { ManifestError, type FieldPath } from './errors.js'
import { describeValue, explainLocalTag, missingTypeHint, syntaxHint } from './hints.js'
import { YamlParseFailure, parseYamlStream, pathKey, type YamlDocument } from './yaml-positions.js'

export interface ManifestItem {
  /** File path, or `stdin` for `-f -`. */
  source: string
  /** 1-based index of the `---` document within the source. */
  document: number
  /** 1-based line where the resource's mapping starts. */
  line: number
  doc: Record<string, unknown>
  /** 1-based line of a field inside this resource (the key's line), if it is present. */
  lineOf(path: readonly (string | number)[]): number | undefined
  /** 1-based line where a field's value starts (a block value may start on the line after its key). */
  valueLineOf(path: readonly (string | number)[]): number | undefined
  /** The scalar at `path` was a YAML float (`1e10`, `1.0`) rather than an integer. */
  isFloatAt(path: readonly (string | number)[]): boolean
}

/** The item for the value at `path` inside `item` (a list's member), with its own lines. */
export function memberItem(item: ManifestItem, path: FieldPath, doc: Record<string, unknown>): ManifestItem {
  return {
    source: item.source,
    document: item.document,
    line: item.lineOf(path) ?? item.line,
    doc,
    lineOf: (inner) => item.lineOf([...path, ...inner]),
    valueLineOf: (inner) => item.valueLineOf([...path, ...inner]),
    isFloatAt: (inner) => item.isFloatAt([...path, ...inner]),
  }
}

const RESOURCE = 'a resource (a mapping with apiVersion and kind)'

export function parseManifestText(text: string, source: string): ManifestItem[] {
  let documents: YamlDocument[]
  try {
    documents = parseYamlStream(text)
  } catch (err) {
    if (err instanceof YamlParseFailure) throw fromParseFailure(err, source, text)
    throw err
  }

  const items: ManifestItem[] = []
  documents.forEach((document, i) => {
    const number = i + 1
    const value = document.value
    if (value === null || value === undefined) return
    const fail = (path: FieldPath, reason: string, hint?: string, upstream?: string): never => {
      throw new ManifestError({ source, document: number, line: lineAt(document, path), field: path, reason, hint, upstream })
    }
    const [tag] = document.tags
    if (tag) {
      const { reason, hint } = explainLocalTag(tag)
      throw new ManifestError({ source, document: number, line: tag.line, field: tag.path, reason, hint })
    }

    const add = (item: unknown, prefix: FieldPath) => {
      // A list's member is read as a map; a document alone, else as a list of resources.
      const target = prefix.length > 0 ? 'map[string]interface {}' : '[]unstructured.Unstructured'
      if (!isMapping(item)) return fail(prefix, `expected ${RESOURCE}, found ${describeValue(item)}`, undefined, unmarshalFailure(item, target))
      checkKind(item, prefix, (path, reason, hint) => fail(path, reason, hint, prefix.length > 0 ? undefined : unmarshalFailure(item, target)))
      items.push({
        source,
        document: number,
        line: lineAt(document, prefix),
        doc: item,
        lineOf: (path) => document.lines.get(pathKey([...prefix, ...path])),
        valueLineOf: (path) => document.valueLines.get(pathKey([...prefix, ...path])),
        isFloatAt: (path) => document.floats.has(pathKey([...prefix, ...path])),
      })
    }

    if (Array.isArray(value)) {
      value.forEach((item, j) => add(item, [j]))
    } else if (!isMapping(value)) {
      fail([], `expected ${RESOURCE} or a list of resources, found ${describeValue(value)}`, undefined, unmarshalFailure(value, '[]unstructured.Unstructured'))
    } else {
      add(value, [])
    }
  })
  return items
}

/** The 1-based lines of the `---` lines at which calicoctl splits a stream (each part is parsed alone). */
function separatorLines(text: string): number[] {
  return text
    .split(/\r?\n/)
    .map((l, i) => (i > 0 && l.startsWith('---') ? i + 1 : 0))
    .filter((n) => n > 0)
}

/** The line within its document, as go-yaml counts it. */
function lineInDocument(text: string, document: number, line: number): number {
  const start = document > 1 ? (separatorLines(text)[document - 2] ?? 0) : 0
  return line - start
}

/**
 * The items of the documents before `document`: calicoctl reads a stream document by document, so
 * those come before a later document's error (a decoding error in document 1 wins over a syntax
 * error in document 3). Empty when they cannot be told apart.
 */
export function itemsBefore(text: string, source: string, document: number | undefined): ManifestItem[] {
  const start = document !== undefined && document > 1 ? separatorLines(text)[document - 2] : undefined
  if (start === undefined) return []
  try {
    return parseManifestText(text.split(/\r?\n/).slice(0, start - 1).join('\n'), source)
  } catch {
    return []
  }
}

function fromParseFailure(failure: YamlParseFailure, source: string, text: string): ManifestError {
  if (failure.duplicateKey !== undefined) {
    // go-yaml parses this document and refuses it in strict mode: upstream's text, then where it is.
    const line = lineInDocument(text, failure.document, failure.line)
    return new ManifestError({
      source,
      document: failure.document,
      line: failure.line,
      field: failure.field,
      reason: failure.reason,
      upstream: `error converting YAML to JSON: yaml: unmarshal errors:\n  line ${line}: key ${JSON.stringify(failure.duplicateKey)} already set in map`,
    })
  }
  if (failure.tag) {
    const { reason, hint } = explainLocalTag(failure.tag)
    return new ManifestError({ source, document: failure.document, line: failure.tag.line, field: failure.tag.path, reason, hint })
  }
  return new ManifestError({
    source,
    document: failure.document,
    line: failure.line,
    field: failure.field,
    reason: failure.reason,
    hint: syntaxHint(failure.reason, failure.openedLine),
  })
}

/**
 * What sigs.k8s.io/yaml says when a document is not a resource calicoctl can read: it tries the
 * document as one resource (which needs a string `kind`), then as a list of them.
 */
function unmarshalFailure(value: unknown, target: string): string {
  const what = Array.isArray(value) ? 'array' : isMapping(value) ? 'object' : typeof value === 'boolean' ? 'bool' : typeof value === 'string' ? 'string' : 'number'
  return `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${what} into Go value of type ${target}`
}

/** A resource needs a string `kind` to be read at all; its apiVersion is checked with the kind, when decoded. */
function checkKind(item: Record<string, unknown>, prefix: FieldPath, fail: (path: FieldPath, reason: string, hint?: string) => never) {
  const missing = (['apiVersion', 'kind'] as const).filter((f) => item[f] === undefined || item[f] === null || item[f] === '')
  if (missing.includes('kind')) fail(prefix, `resource has no ${missing.map((f) => `'${f}'`).join(' and no ')}`, missingTypeHint(item, missing))
  if (typeof item.kind !== 'string') fail([...prefix, 'kind'], `expected a string, found ${describeValue(item.kind)}`)
}

/** Line of the field, else of its nearest ancestor that has one (e.g. an empty `-` list entry). */
function lineAt(document: YamlDocument, path: FieldPath): number {
  for (let n = path.length; n >= 0; n--) {
    const line = document.lines.get(pathKey(path.slice(0, n)))
    if (line !== undefined) return line
  }
  return 1
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
