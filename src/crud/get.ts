import type { CalicoClient } from '../client/calico-client.js'
import { CommandError, NotFoundError } from '../errors.js'
import { parseOutputFormat, renderResults, type KindResult } from '../output/resources.js'
import type { ColumnContext, KindDefinition } from '../resources/kind.js'
import { kindByKind } from '../resources/registry.js'
import { API_VERSION, type Resource } from '../resources/types.js'
import { InputError, kindFromArgument, type LoadedResource } from './load.js'
import { collectResources, type ModifyOptions } from './modify.js'
import { checkConfigReadable, checkVersionMismatch, openCommandClient } from './session.js'

export interface GetOptions extends ModifyOptions {
  output: string
  allNamespaces?: boolean
  export?: boolean
}

/** Fields `--export` strips from a named get: whatever only this cluster knows. */
function exported(resource: Resource): Resource {
  const { namespace: _ns, uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, deletionTimestamp: _dt, deletionGracePeriodSeconds: _dg, ...metadata } =
    resource.metadata
  return { ...resource, metadata: { ...metadata, creationTimestamp: null } }
}

/** The global AS number the Node ASN column shows in brackets when a node has none of its own. */
async function globalASNumber(client: CalicoClient): Promise<string> {
  try {
    const config = await client.get(kindByKind('BGPConfiguration') as KindDefinition, 'default')
    return String(config.spec?.asNumber ?? 64512)
  } catch (err) {
    return err instanceof NotFoundError ? '64512' : 'unknown'
  }
}

const wrap = (prefix: string) => (err: unknown) => {
  throw new CommandError(`${prefix}: ${(err as Error).message}`)
}

/** `get`: a `<Kind>List` without names, else one get per name; per-name failures are printed after the results. */
export async function runGet(options: GetOptions): Promise<{ stdout: string; error?: string }> {
  const format = parseOutputFormat(options.output)
  checkConfigReadable(options.config)
  let listKind: KindDefinition | undefined
  let named: LoadedResource[] = []
  if (!options.filename && (options.names ?? []).length === 0) {
    if (!options.kindArg) throw new CommandError('no resource type specified: give a KIND (e.g. ippool) or -f FILE')
    listKind = await Promise.resolve().then(() => kindFromArgument(options.kindArg as string)).catch(wrap('failed to get resources'))
  } else {
    named = await collectResources(options).catch((err) => {
      if (err instanceof InputError) wrap('failed to get resources')(err)
      throw err
    })
  }
  for (const kind of [listKind, ...named.map((n) => n.kind)]) {
    if (kind && !kind.namespaced && (options.namespace || options.allNamespaces)) throw new CommandError(`${kind.kind} is not namespaced`)
  }
  const client = await openCommandClient(options.config)
  try {
    if (!options.allowVersionMismatch) await checkVersionMismatch(client).catch(wrap('failed to get resources'))
    const results: KindResult[] = []
    const errors: string[] = []
    if (listKind) {
      const list = await client.list(listKind, options.namespace).catch(wrap('failed to get resources'))
      const items = listKind.listOrder ? [...list.items].sort(listKind.listOrder) : list.items
      const result = { apiVersion: API_VERSION, kind: `${listKind.kind}List`, metadata: { resourceVersion: list.revision }, items }
      results.push({ kind: listKind, result })
    }
    for (const { kind, resource } of named) {
      const { name = '', namespace, resourceVersion } = resource.metadata
      try {
        const found = await client.get(kind, name, namespace, resourceVersion)
        results.push({ kind, result: options.export ? exported(found) : found })
      } catch (err) {
        errors.push((err as Error).message)
      }
    }
    const tables = format.type !== 'yaml' && format.type !== 'json'
    const needsAS = tables && [listKind, ...named.map((n) => n.kind)].some((k) => k?.needsGlobalASNumber)
    const context: ColumnContext = needsAS ? { globalASNumber: await globalASNumber(client) } : {}
    return { stdout: renderResults(results, format, context), error: errors.length > 0 ? errors.join('\n') : undefined }
  } finally {
    await client.store.close()
  }
}
