import { CommandError, massageError } from '../errors.js'
import { formatFieldPath, memberItem, missingTypeHint, NoResourcesError, readManifestSources, type ManifestItem, type ReadOptions } from '../manifest/index.js'
import { decodeLikeGo, goError, type GoDecodeProblem } from '../resources/go-decode.js'
import type { KindDefinition } from '../resources/kind.js'
import { kindByKind, kindByName } from '../resources/registry.js'
import { listSchemaFor, schemaFor } from '../resources/schema.js'
import { API_VERSION, type Resource } from '../resources/types.js'
import { warn } from '../log.js'

/**
 * An input problem upstream reports as the command's own error, without the
 * "failed to execute command" prefix of file errors (`get` adds "failed to get resources").
 */
export class InputError extends CommandError {}

/** A resource read from a file, with where it came from for error messages. */
export interface LoadedResource {
  kind: KindDefinition
  resource: Resource
  item?: ManifestItem
}

/** One thing wrong with the input, worded as upstream says it, and where it is. */
export interface InputProblem {
  /** Upstream's text, e.g. `error unmarshaling JSON: while decoding JSON: json: unknown field "x"`. */
  message: string
  /** `stdin: document 2, line 14 (spec.peerIP)`; absent when the message says where itself. */
  location?: string
}

/**
 * Input calicoctl cannot decode: `failed to execute command: <upstream text>`, then where it is and,
 * when `validate` looked further, every other problem of the input.
 */
export class FileError extends CommandError {
  constructor(
    readonly problems: InputProblem[],
    /** The resources that did decode, for validate to check too. */
    readonly loaded: LoadedResource[] = [],
  ) {
    const [first, ...others] = problems
    const also = (p: InputProblem) => `also: ${p.location ? `${p.location}: ` : ''}${massageError(p.message)}`
    super(`failed to execute command: ${first.message}`, 'stderr', [...(first.location ? [`  at ${first.location}`] : []), ...others.map(also)])
  }
}

/**
 * `stdin: document 2, line 14 (spec.peerIP)`: the line of the field (or of the resource); with
 * `atValue`, the line where its value starts.
 */
export function where(item: ManifestItem, path: readonly (string | number)[] = [], atValue = false): string {
  const line = (atValue ? item.valueLineOf(path) : undefined) ?? item.lineOf(path) ?? item.line
  return `${item.source}: document ${item.document}, line ${line}${path.length > 0 ? ` (${formatFieldPath(path)})` : ''}`
}

/** sigs.k8s.io/yaml wraps what json.Marshal (converting the YAML) or encoding/json (decoding it) returns. */
const decodeFailure = (problem: GoDecodeProblem): string =>
  problem.conversion ? `error converting YAML to JSON: ${problem.message}` : `error unmarshaling JSON: while decoding JSON: ${problem.message}`

export interface DocumentType {
  kind: KindDefinition
  /** The document is a `<Kind>List`. */
  list: boolean
}

/** What a document's type meta names: a kind, or a list of one; undefined when upstream knows no such type. */
export async function documentType(doc: Record<string, unknown>): Promise<DocumentType | undefined> {
  const { apiVersion, kind } = doc as { apiVersion: string; kind: string }
  if (apiVersion !== API_VERSION) return undefined
  const single = await kindByKind(kind)
  if (single) return { kind: single, list: false }
  const member = kind.endsWith('List') ? await kindByKind(kind.slice(0, -'List'.length)) : undefined
  return member ? { kind: member, list: true } : undefined
}

interface Decoded {
  loaded: LoadedResource[]
  problems: InputProblem[]
}

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Decodes one resource document (or `<Kind>List`) as calicoctl does: Go's strict decoding into the
 * kind's type; a list's members get the list's type meta.
 */
function decodeItem(item: ManifestItem, { kind, list }: DocumentType): Decoded {
  const decoded = decodeLikeGo(item.doc, list ? listSchemaFor(kind.kind) : schemaFor(kind.kind), { isFloat: (path) => item.isFloatAt(path) })
  // The error Go returns comes first; the others follow for validate.
  const first = goError(decoded.problems)
  const ordered = first ? [first, ...decoded.problems.filter((p) => p !== first)] : []
  // An unknown field is its key's fault; anything else, its value's.
  const problems = ordered.map((p) => ({ message: decodeFailure(p), location: where(item, p.path, p.unknownField === undefined) }))

  const value = decoded.value as Record<string, unknown>
  const rawMembers = list && Array.isArray(item.doc.items) ? item.doc.items : []
  const members = list
    ? ((value.items ?? []) as Record<string, unknown>[]).map((member, j) => ({
        member,
        prefix: ['items', j],
        item: memberItem(item, ['items', j], isMapping(rawMembers[j]) ? rawMembers[j] : {}),
      }))
    : [{ member: value, prefix: [] as (string | number)[], item }]
  for (const { member, prefix } of members) {
    // A member may leave its type meta out; one that names another type is not this list's.
    const { apiVersion = API_VERSION, kind: memberKind = kind.kind } = member as { apiVersion?: string; kind?: string }
    if (apiVersion !== API_VERSION || memberKind !== kind.kind)
      problems.push({ message: `${kind.kind}List holds a resource of type (${memberKind}) and/or version (${apiVersion})`, location: where(item, [...prefix, 'kind']) })
  }
  const loaded = members.map(({ member, prefix, item: memberOf }): LoadedResource => {
    const resource = member as unknown as Resource
    resource.apiVersion = API_VERSION
    resource.kind = kind.kind
    // Go's zero struct: an absent metadata is an empty one, never a missing one.
    resource.metadata ??= {}
    // Values taken leniently, as upstream does (a label `true` becomes "true"), are named at -l warn.
    for (const c of decoded.coerced.filter((c) => prefix.every((segment, i) => c.path[i] === segment))) {
      const path = c.path.slice(prefix.length)
      warn(`${where(memberOf, path)}: ${String(c.from)} is stored as the string "${String(c.from)}" (quote it to say so)`)
    }
    return { kind, resource, item: memberOf }
  })
  return { loaded, problems }
}

/**
 * One source's items decoded in order, stopping at the first bad document unless `collectAll`;
 * upstream checks the type of every member of an array document before decoding any of them.
 */
async function decodeSource(items: ManifestItem[], collectAll: boolean): Promise<Decoded> {
  const result: Decoded = { loaded: [], problems: [] }
  const documents = new Map<number, ManifestItem[]>()
  for (const item of items) documents.set(item.document, [...(documents.get(item.document) ?? []), item])
  for (const members of documents.values()) {
    const types = await Promise.all(members.map((item) => documentType(item.doc)))
    const unknown = types.findIndex((t) => t === undefined)
    if (unknown >= 0) {
      const { apiVersion, kind } = members[unknown].doc as { apiVersion: unknown; kind: string }
      const version = typeof apiVersion === 'string' ? apiVersion : ''
      const hint = version === '' ? `: ${missingTypeHint(members[unknown].doc, ['apiVersion'])}` : ''
      result.problems.push({ message: `unknown resource type (${kind}) and/or version (${version})`, location: `${where(members[unknown], ['kind'])}${hint}` })
      if (!collectAll) return result
      continue
    }
    for (const [i, item] of members.entries()) {
      const decoded = decodeItem(item, types[i] as DocumentType)
      // Go returns one error per document; validate hears the others too.
      result.problems.push(...(collectAll ? decoded.problems : decoded.problems.slice(0, 1)))
      if (decoded.problems.length > 0 && !collectAll) return result
      if (decoded.problems.length === 0) result.loaded.push(...decoded.loaded)
    }
  }
  return result
}

/**
 * Reads `-f` and decodes every resource, source by source, stopping at the first bad document as
 * calicoctl does (`collectAll`, for validate: going on, to report every problem). A source that holds
 * no resource fails with upstream's wording unless `skipEmpty`.
 */
export async function loadFromFile(filename: string, options: ReadOptions & { collectAll?: boolean }): Promise<LoadedResource[]> {
  const collectAll = options.collectAll ?? false
  const loaded: LoadedResource[] = []
  const problems: InputProblem[] = []
  let sources = 0
  for await (const source of readManifestSources(filename, options)) {
    sources++
    const decoded = await decodeSource(source.items, collectAll)
    problems.push(...decoded.problems)
    if (problems.length > 0 && !collectAll) break
    loaded.push(...decoded.loaded)
    if (source.error) {
      const { upstream, field = [], reason, hint } = source.error
      if (upstream !== undefined) {
        // Upstream has a text for it: that, then where it is and what we make of it.
        const place = `${source.error.source}: document ${source.error.document}, line ${source.error.line}${field.length > 0 ? ` (${formatFieldPath(field)})` : ''}`
        problems.push({ message: upstream, location: `${place}: ${reason}${hint ? `; ${hint}` : ''}` })
        if (!collectAll) break
        continue
      }
      // A file that is not YAML keeps our own wording, which names the place itself.
      if (problems.length === 0) throw new CommandError(`failed to execute command: ${source.error.message}`)
      problems.push({ message: source.error.message })
      continue
    }
    if (decoded.problems.length === 0 && decoded.loaded.length === 0 && !options.skipEmpty) {
      const empty = new NoResourcesError(source.target, false)
      if (problems.length === 0) throw empty
      problems.push({ message: empty.message })
    }
  }
  if (problems.length > 0) throw new FileError(problems, loaded)
  if (sources === 0 && !options.skipEmpty) throw new NoResourcesError(filename, true)
  return loaded
}

/** The kind for `KIND` on the command line; upstream's wording when it is unknown. */
export async function kindFromArgument(name: string): Promise<KindDefinition> {
  const kind = await kindByName(name)
  if (!kind) throw new CommandError(`resource type '${name}' is not supported`)
  return kind
}
