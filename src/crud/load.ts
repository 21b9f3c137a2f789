import { CommandError } from '../errors.js'
import { readManifests, type ManifestItem, type ReadOptions } from '../manifest/index.js'
import type { KindDefinition } from '../resources/kind.js'
import { kindByKind, kindByName } from '../resources/registry.js'
import { coerceScalars, validateDocument } from '../resources/schema.js'
import { API_VERSION, type Resource } from '../resources/types.js'
import { warn } from '../log.js'

/** Upstream replaces the whole message of an unknown-field error, prefixes included. */
export class UnknownFieldError extends CommandError {}

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
  /** YAML values taken leniently, as upstream does (a label `true` becomes "true"). */
  notes?: string[]
}

function where(item: ManifestItem, path?: (string | number)[]): string {
  const line = (path && item.lineOf(path)) ?? item.line
  return `${item.source}: document ${item.document}, line ${line}`
}

/**
 * Turns one manifest item into a typed resource: known apiVersion/kind, scalar coercion as upstream
 * (a label `true` becomes "true"), then the kind's JSON schema. Problems are file errors, so
 * nothing is sent to the datastore when any document is bad.
 */
function decodeItem(item: ManifestItem): LoadedResource {
  const { apiVersion, kind: kindName } = item.doc as { apiVersion?: unknown; kind?: unknown }
  const kind = typeof kindName === 'string' ? kindByKind(kindName) : undefined
  if (!kind || apiVersion !== API_VERSION)
    throw new CommandError(`${where(item)}: unknown resource type (${String(kindName ?? '')}) and/or version (${String(apiVersion ?? '')})`)
  const { doc, coerced } = coerceScalars(kind.kind, item.doc)
  const notes = coerced.map(
    (c) => `${where(item, c.path.split('.'))}: ${c.path}: ${JSON.stringify(c.from)} is stored as the string "${String(c.from)}" (quote it to say so)`,
  )
  for (const note of notes) warn(note)
  const issues = validateDocument(kind.kind, doc)
  if (issues.length > 0) {
    const issue = issues[0]
    const path = issue.path.split('.').filter(Boolean)
    if (issue.unknownField !== undefined)
      throw new UnknownFieldError(
        `field in document is not recognized or is in the wrong location: ${issue.unknownField}\n  (${where(item, path)}: ${issue.path})`,
      )
    throw new CommandError(`${where(item, path)}: field ${issue.path}: ${issue.message}`)
  }
  return { kind, resource: doc as unknown as Resource, item, notes }
}

export async function loadFromFile(filename: string, options: ReadOptions): Promise<LoadedResource[]> {
  const items = await readManifests(filename, options)
  return items.map(decodeItem)
}

/** The kind for `KIND` on the command line; upstream's wording when it is unknown. */
export function kindFromArgument(name: string): KindDefinition {
  const kind = kindByName(name)
  if (!kind) throw new CommandError(`resource type '${name}' is not supported`)
  return kind
}
