import { CommandError } from '../errors.js'
import { parseJsonLikeGo } from '../output/go-json-parse.js'
import { decodeLikeGo, goError } from '../resources/go-decode.js'
import { setOwn } from '../resources/own.js'
import { orderLikeGo } from '../resources/go-encode.js'
import { schemaFor } from '../resources/schema.js'
import { API_VERSION, type Resource } from '../resources/types.js'
import { replaceResource } from './actions.js'
import { documentType, kindFromArgument } from './load.js'
import { resolveNamespace } from './namespaces.js'
import { checkConfigReadable, openCommandClient } from './session.js'
import { beforeClient, versionCheckedClient } from './version-check.js'

export interface PatchOptions {
  kindArg: string
  name: string
  patch: string
  config?: string
  namespace?: string
  allowVersionMismatch?: boolean
}

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * A strategic merge patch on a Calico object: Calico's types declare no patch strategies, so maps
 * merge key by key, `null` deletes a key, and lists and scalars are replaced whole. The map
 * directives `$patch: replace|delete` and `$retainKeys` work as in Kubernetes.
 */
export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch)
  const { $patch: directive, $retainKeys: retainKeys, ...changes } = patch
  if (directive === 'replace') return withoutDirectives(changes)
  const merged: Json = isObject(target) ? structuredClone(target) : {}
  if (Array.isArray(retainKeys)) for (const key of Object.keys(merged)) if (!retainKeys.includes(key)) delete merged[key]
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || (isObject(value) && value.$patch === 'delete')) delete merged[key]
    else setOwn(merged, key, strategicMerge(merged[key], value))
  }
  return merged
}

function withoutDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDirectives)
  if (!isObject(value)) return value
  const out: Json = {}
  for (const [key, child] of Object.entries(value)) if (!key.startsWith('$')) setOwn(out, key, withoutDirectives(child))
  return out
}

const hasNonFinite = (value: unknown): boolean =>
  typeof value === 'number' ? !Number.isFinite(value) : typeof value === 'object' && value !== null && Object.values(value).some(hasNonFinite)

/** strategicpatch's reading of a patch: a JSON object (null reads as an empty one), else its ErrBadJSONDoc. */
function parsePatch(text: string): Json {
  let value: unknown
  try {
    value = parseJsonLikeGo(text)
  } catch {
    value = undefined
  }
  if (value === null) return {}
  // A number beyond float64 fails Go's decoding where JSON.parse makes it Infinity.
  if (!isObject(value) || hasNonFinite(value)) throw new Error('performing strategic merge patch: invalid JSON document')
  return value
}

const hitError = (err: unknown) => new CommandError(`hit error: ${(err as Error).message}`)

/**
 * `calicoctl patch KIND NAME -p JSON`: reads the resource, merges the patch onto it, decodes the
 * result as strictly as a file, and updates it at the revision read. Returns the stdout line.
 */
export async function runPatch(options: PatchOptions): Promise<string> {
  checkConfigReadable(options.config)
  // As upstream: the version check, the kind, the client, then the name.
  const early = await versionCheckedClient(options.config, options.allowVersionMismatch)
  const kind = await beforeClient(early, () => kindFromArgument(options.kindArg))
  const client = early ?? (await openCommandClient(options.config))
  try {
    if (options.name === '') throw new CommandError('resource name may not be empty')
    const wanted: Resource = { apiVersion: API_VERSION, kind: kind.kind, metadata: { name: options.name } }
    const problem = resolveNamespace(kind, wanted, { namespace: options.namespace })
    if (problem !== undefined) throw new Error(problem)
    const stored = await client.get(kind, options.name, wanted.metadata.namespace).catch((err) => Promise.reject(hitError(err)))
    const merged = strategicMerge(orderLikeGo(kind.kind, stored), parsePatch(options.patch)) as Json
    // The patched object is decoded as a file is: as the type its own type meta names, as strictly.
    const type = await documentType(merged)
    if (!type || type.list) throw new Error(`creating resource from patched data: unknown resource type (${String(merged.kind ?? '')}) and/or version (${String(merged.apiVersion ?? '')})`)
    const decoded = decodeLikeGo(merged, schemaFor(type.kind.kind))
    const failure = goError(decoded.problems)
    if (failure) throw new Error(`creating resource from patched data: error unmarshaling JSON: while decoding JSON: ${failure.message}`)
    // Upstream's patch of one kind into another does not get this far (its typed client panics).
    if (type.kind !== kind) throw new Error(`creating resource from patched data: a ${kind.kind} cannot become a ${type.kind.kind}`)
    const patched = decoded.value as Resource
    patched.metadata ??= {}
    await replaceResource(client, kind, patched).catch((err) => Promise.reject(hitError(new Error(`updating existing resource: ${(err as Error).message}`))))
    return `Successfully patched 1 '${kind.kind}' resource`
  } catch (err) {
    throw err instanceof CommandError ? err : hitError(err)
  } finally {
    await client.store.close()
  }
}
