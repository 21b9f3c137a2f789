import type { CalicoClient } from '../client/calico-client.js'
import { CommandError, NotFoundError } from '../errors.js'
import { isTemplateFormat, listPrinter, parseOutputFormat, renderResults, type KindResult, type OutputFormat } from '../output/resources.js'
import { nowhere, Progress } from '../cli/progress.js'
import type { ColumnContext, KindDefinition } from '../resources/kind.js'
import { knownKind } from '../resources/registry.js'
import { API_VERSION, type Resource } from '../resources/types.js'
import { InputError, kindFromArgument } from './load.js'
import { collectResources, type ModifyOptions } from './modify.js'
import { resolveNamespace } from './namespaces.js'
import { checkConfigReadable, openCommandClient } from './session.js'
import { beforeClient, versionCheckedClient } from './version-check.js'

export interface GetOptions extends ModifyOptions {
  output: string
  allNamespaces?: boolean
  export?: boolean
  /**
   * Where a whole-kind list may be printed while it is read (stdout); without it, or when the
   * datastore cannot read page by page, the result comes back as text.
   */
  write?: (text: string) => void
}

/** Printed text is handed on in pieces of about this size. */
const WRITE_CHUNK = 1 << 16

/**
 * Prints a list as it is read, page by page, so its size is bounded by a page rather than by the
 * list: the same bytes renderResults prints for it. Only for a list in the datastore's order.
 */
async function streamList(client: CalicoClient, request: Request, format: OutputFormat, context: ColumnContext, showNamespace: boolean, write: (text: string) => void): Promise<boolean> {
  const { kind } = request
  const pages = kind.listOrder ? undefined : client.listPages(kind, request.resource.metadata.namespace)
  if (!pages) return false
  let pending = ''
  const buffered = (text: string) => {
    pending += text
    if (pending.length >= WRITE_CHUNK) {
      write(pending)
      pending = ''
    }
  }
  const printer = listPrinter(kind, format, context, { showNamespace }, buffered)
  // A list printed on the terminal shows its own progress; one going to a file or pipe does not.
  const progress = new Progress('listed', process.stdout.isTTY ? nowhere : process.stderr)
  let started = false
  try {
    for await (const page of pages) {
      if (!started) printer.start(page.revision)
      started = true
      printer.add(page.items)
      progress.advance(page.read, page.total)
    }
  } catch (err) {
    wrap('failed to get resources')(err)
  } finally {
    progress.finish()
  }
  printer.end()
  write(pending)
  return true
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
    const config = await client.get(await knownKind('BGPConfiguration'), 'default')
    return String(config.spec?.asNumber ?? 64512)
  } catch (err) {
    return err instanceof NotFoundError ? '64512' : 'unknown'
  }
}

const wrap = (prefix: string) => (err: unknown) => {
  throw new CommandError(`${prefix}: ${(err as Error).message}`)
}

/** One thing `get` was asked for: a whole kind (list) or one named resource. */
interface Request {
  kind: KindDefinition
  resource: Resource
  list: boolean
  /** Why calicoctl refuses it (namespace rules), reported after the results. */
  problem?: string
}

async function fetch(client: CalicoClient, request: Request, exportIt: boolean): Promise<KindResult> {
  const { kind, resource } = request
  const { name = '', namespace, resourceVersion } = resource.metadata
  if (request.list) {
    const list = await client.list(kind, namespace).catch(wrap('failed to get resources'))
    const items = kind.listOrder ? [...list.items].sort(kind.listOrder) : list.items
    return { kind, result: { apiVersion: API_VERSION, kind: `${kind.kind}List`, metadata: { resourceVersion: list.revision }, items } }
  }
  if (kind.namespaced && !namespace) throw new Error('cannot use --all-namespace flag for getting a single resource')
  const found = await client.get(kind, name, namespace, resourceVersion)
  return { kind, result: exportIt ? exported(found) : found }
}

/** The whole kind for `KIND` alone, else the named resources or those of `-f`. */
async function getRequests(options: GetOptions): Promise<Request[]> {
  if (!options.filename && (options.names ?? []).length === 0) {
    if (!options.kindArg) throw new CommandError('no resource type specified: give a KIND (e.g. ippool) or -f FILE')
    const kind = await kindFromArgument(options.kindArg).catch(wrap('failed to get resources'))
    return [{ kind, resource: { apiVersion: API_VERSION, kind: kind.kind, metadata: {} }, list: true }]
  }
  const named = await collectResources(options).catch((err) => {
    if (err instanceof InputError) wrap('failed to get resources')(err)
    throw err
  })
  // A document without a name asks for the list, as upstream's GetOrList reads it.
  return named.map(({ kind, resource }) => ({ kind, resource, list: !resource.metadata.name }))
}

/** `get`: a `<Kind>List` without names, else one get per name; per-name failures are printed after the results. */
export async function runGet(options: GetOptions): Promise<{ stdout: string; error?: string }> {
  const format = parseOutputFormat(options.output)
  checkConfigReadable(options.config)
  // As upstream: the version check, then what to get, then the client.
  const early = await versionCheckedClient(options.config, options.allowVersionMismatch).catch(wrap('failed to get resources'))
  const requests = await beforeClient(early, () => getRequests(options))
  const flags = { namespace: options.namespace, allNamespaces: options.allNamespaces }
  for (const request of requests) request.problem = resolveNamespace(request.kind, request.resource, flags)
  const showNamespace = Boolean(options.namespace || options.allNamespaces)
  // Nothing left to ask the datastore: report without connecting.
  if (!isTemplateFormat(format) && requests.every((r) => r.problem !== undefined)) {
    await early?.store.close()
    return { stdout: renderResults([], format, {}, { showNamespace }), error: requests.map((r) => r.problem).join('\n') }
  }
  const client = early ?? (await openCommandClient(options.config))
  try {
    const tables = format.type === 'ps' || format.type === 'wide' || format.type === 'custom-columns'
    const needsAS = tables && requests.some((r) => r.kind.needsGlobalASNumber)
    const context: ColumnContext = needsAS ? { globalASNumber: await globalASNumber(client) } : {}
    const [only] = requests
    if (options.write && requests.length === 1 && only.list && only.problem === undefined && !isTemplateFormat(format)) {
      if (await streamList(client, only, format, context, showNamespace, options.write)) return { stdout: '' }
    }
    const results: KindResult[] = []
    const errors: string[] = []
    for (const request of requests) {
      try {
        if (request.problem !== undefined) throw new Error(request.problem)
        results.push(await fetch(client, request, Boolean(options.export)))
      } catch (err) {
        if (err instanceof CommandError) throw err
        errors.push((err as Error).message)
      }
    }
    const error = errors.length > 0 ? errors.join('\n') : undefined
    if (isTemplateFormat(format)) {
      // The template engine is loaded only for the templates that need it.
      const { renderTemplate } = await import('../output/template-results.js')
      return { stdout: await renderTemplate(format, results, () => globalASNumber(client)), error }
    }
    return { stdout: renderResults(results, format, context, { showNamespace }), error }
  } finally {
    await client.store.close()
  }
}
