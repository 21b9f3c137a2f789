import { ValidationError } from '../errors.js'
import type { LoadedResource } from './load.js'

/** Finds the path of the first key in `doc` whose name matches a Go field name, case-insensitively. */
function findPath(doc: unknown, goLeaf: string, path: (string | number)[] = []): (string | number)[] | undefined {
  if (typeof doc !== 'object' || doc === null) return undefined
  for (const [key, value] of Object.entries(doc)) {
    const here = [...path, Array.isArray(doc) ? Number(key) : key]
    if (key.toLowerCase() === goLeaf.toLowerCase()) return here
    const deeper = findPath(value, goLeaf, here)
    if (deeper) return deeper
  }
  return undefined
}

/**
 * Where in the user's file a validation error points: `stdin: document 2, line 14 (spec.peerIP)`.
 * Upstream names only Go fields; this line is printed after upstream's text to find the spot fast.
 */
export function locateError(err: unknown, loaded: LoadedResource): string | undefined {
  const item = loaded.item
  if (!item || !(err instanceof ValidationError)) return undefined
  const goName = err.fields[0].name.replace(/ \(.*\)$/, '')
  const path = findPath(item.doc, goName.split('.').pop() ?? goName)
  const line = (path && item.lineOf(path)) ?? item.line
  const field = path ? ` (${path.join('.')})` : ''
  return `  at ${item.source}: document ${item.document}, line ${line}${field}`
}
