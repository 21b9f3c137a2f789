import { ValidationError } from '../errors.js'
import { where, type LoadedResource } from './load.js'

type Path = (string | number)[]

/**
 * The parts of a field name in a validation error: Go's (`IPPool.Spec.CIDR`, `ReservedCIDRs[1]`,
 * `Metadata.Labels (label)`) or a CRD rule's path (`spec.ingress[0].action`).
 */
function nameSegments(name: string): Path {
  const bare = name.replace(/ \(.*\)$/, '').replace(/ field$/, '')
  const segments: Path = []
  for (const part of bare.split('.')) {
    const [head, ...indexes] = part.split('[')
    if (head) segments.push(head)
    for (const index of indexes) segments.push(Number(index.replace(']', '')))
  }
  return segments
}

/** How many trailing segments of `name` the document path ends with (keys compared case-insensitively). */
function matchedSuffix(path: Path, name: Path): number {
  let n = 0
  while (n < path.length && n < name.length) {
    const [p, s] = [path[path.length - 1 - n], name[name.length - 1 - n]]
    if (typeof p !== typeof s || String(p).toLowerCase() !== String(s).toLowerCase()) break
    n++
  }
  return n
}

/** Every path in the document, in document order. */
function* paths(value: unknown, prefix: Path = []): Generator<Path> {
  if (typeof value !== 'object' || value === null) return
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key]
    yield path
    yield* paths(child, path)
  }
}

/** The fields a Kubernetes datastore's refusal names (the API server's 422, or fields its CRDs lack). */
function causeFields(err: unknown): string[] | undefined {
  const fields = (err as { causeFields?: unknown } | undefined)?.causeFields
  return Array.isArray(fields) ? fields.filter((f): f is string => typeof f === 'string') : undefined
}

/**
 * Where in the user's file a validation error points: `stdin: document 2, line 14 (spec.peerIP)`.
 * A field is the path that ends with most of the error's field name; upstream names only the field,
 * and this line, printed after upstream's text, finds the spot.
 */
export function locateError(err: unknown, loaded: LoadedResource): string | undefined {
  const item = loaded.item
  const names = err instanceof ValidationError ? err.fields.map((f) => f.name) : causeFields(err)
  if (!item || !names) return undefined
  // Of the fields named, the most precise place: `spec.reservedCIDRs[1]` over `ReservedCIDRs`.
  let best: Path = []
  for (const field of names) {
    const name = nameSegments(field)
    let found: Path = []
    let foundLength = 0
    for (const path of paths(item.doc)) {
      const length = matchedSuffix(path, name)
      if (length > foundLength) [found, foundLength] = [path, length]
    }
    if (found.length > best.length) best = found
  }
  return where(item, best)
}
