import { CommandError } from '../errors.js'
import { parseJsonLikeGo } from '../output/go-json-parse.js'
import { decodeLikeGo, goError } from '../resources/go-decode.js'
import { orderLikeGo, schemaFor } from '../resources/schema.js'
import { API_VERSION, type Resource } from '../resources/types.js'
import { replaceResource } from './actions.js'
import { kindFromArgument } from './load.js'
import { resolveNamespace } from './namespaces.js'
import { checkConfigReadable, checkVersionMismatch, openCommandClient } from './session.js'

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
 * merge key by key, `null` deletes a key, and lists and scalars are replaced whole.
 */
export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch)
  const merged: Json = isObject(target) ? structuredClone(target) : {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key]
    else merged[key] = strategicMerge(merged[key], value)
  }
  return merged
}

const hitError = (err: unknown) => new CommandError(`hit error: ${(err as Error).message}`)

/**
 * `calicoctl patch KIND NAME -p JSON`: reads the resource, merges the patch onto it, decodes the
 * result as strictly as a file, and updates it at the revision read. Returns the stdout line.
 */
export async function runPatch(options: PatchOptions): Promise<string> {
  checkConfigReadable(options.config)
  if (options.name === '') throw new CommandError('resource name may not be empty')
  const kind = kindFromArgument(options.kindArg)
  const client = await openCommandClient(options.config)
  try {
    if (!options.allowVersionMismatch) await checkVersionMismatch(client)
    const wanted: Resource = { apiVersion: API_VERSION, kind: kind.kind, metadata: { name: options.name } }
    const problem = resolveNamespace(kind, wanted, { namespace: options.namespace })
    if (problem !== undefined) throw new Error(problem)
    const stored = await client.get(kind, options.name, wanted.metadata.namespace).catch((err) => Promise.reject(hitError(err)))
    let patch: unknown
    try {
      patch = parseJsonLikeGo(options.patch)
    } catch (err) {
      throw hitError(new Error(`performing strategic merge patch: ${(err as Error).message}`))
    }
    const merged = strategicMerge(orderLikeGo(kind.kind, stored), patch)
    // The patched object is decoded as strictly as a file, with the same Go texts.
    const decoded = decodeLikeGo(merged, schemaFor(kind.kind))
    const failure = goError(decoded.problems)
    if (failure) throw hitError(new Error(`creating resource from patched data: error unmarshaling JSON: while decoding JSON: ${failure.message}`))
    const patched = decoded.value as Resource
    await replaceResource(client, kind, patched).catch((err) => Promise.reject(hitError(new Error(`updating existing resource: ${(err as Error).message}`))))
    return `Successfully patched 1 '${kind.kind}' resource`
  } catch (err) {
    throw err instanceof CommandError ? err : hitError(err)
  } finally {
    await client.store.close()
  }
}
