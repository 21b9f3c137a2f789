import type { CalicoClient } from '../client/calico-client.js'
import { AlreadyExistsError, CommandError, NotFoundError } from '../errors.js'
import type { KindDefinition } from '../resources/kind.js'
import type { Resource } from '../resources/types.js'
import { applyResource, createResource, deleteResource, replaceResource } from './actions.js'
import { InputError, kindFromArgument, loadFromFile, type LoadedResource } from './load.js'
import { NoResourcesError } from '../manifest/index.js'
import { reportCreateLike, reportDelete, reportReplace, withLocations, type Outcome, type Report } from './results.js'
import { checkConfigReadable, openCommandClient } from './session.js'
import { beforeClient, versionCheckedClient } from './version-check.js'
import { locateError } from './locate.js'
import { Progress } from '../cli/progress.js'
import { resolveNamespace } from './namespaces.js'

export type ModifyVerb = 'create' | 'apply' | 'replace' | 'delete'

export interface ModifyOptions {
  filename?: string
  recursive?: boolean
  skipEmpty?: boolean
  config?: string
  namespace?: string
  allowVersionMismatch?: boolean
  /** create --skip-exists / delete --skip-not-exists */
  skipExists?: boolean
  skipNotExists?: boolean
  /** delete KIND NAME... */
  kindArg?: string
  names?: string[]
  stdin?: () => Promise<string>
  /** Resources written at once; defaults to what the datastore client allows (8 on etcd and Kubernetes). */
  parallelism?: number
  /** Report every problem of the input instead of stopping at the first (validate). */
  collectAll?: boolean
}

const PAST = { create: 'created', apply: 'applied', replace: 'replaced', delete: 'deleted' }

const ACTIONS = { create: createResource, apply: applyResource, replace: replaceResource, delete: deleteResource }

/** Where resources come from: `-f` wins over `KIND NAME...`, as upstream. */
export async function collectResources(options: ModifyOptions): Promise<LoadedResource[]> {
  if (options.filename) {
    try {
      return await loadFromFile(options.filename, {
        recursive: options.recursive,
        skipEmpty: options.skipEmpty,
        stdin: options.stdin,
        collectAll: options.collectAll,
      })
    } catch (err) {
      if (err instanceof CommandError) throw err
      if (err instanceof NoResourcesError) throw new InputError(err.message)
      throw new CommandError(`failed to execute command: ${(err as Error).message}`)
    }
  }
  if (!options.kindArg) throw new CommandError('no resource type specified: give a KIND (e.g. ippool) or -f FILE')
  let kind: KindDefinition
  try {
    kind = await kindFromArgument(options.kindArg)
  } catch (err) {
    // Upstream's results.Err: delete prints it bare, get behind its own prefix.
    throw new InputError((err as Error).message)
  }
  // KIND without NAMEs names nothing. Upstream goes on to ask for the empty name (etcd: "resource does
  // not exist: IPPool()"; its Kubernetes client refuses an empty name); we refuse it up front.
  if ((options.names ?? []).length === 0) throw new InputError('no resources specified')
  return (options.names ?? []).map((name) => {
    if (name === '') throw new InputError('resource name may not be empty')
    return { kind, resource: { apiVersion: 'projectcalico.org/v3', kind: kind.kind, metadata: { name } } }
  })
}


/**
 * Groups the resources into runs that may be written concurrently: consecutive resources of one
 * kind with distinct names. A new kind starts a new run (a resource may need one written before it,
 * e.g. a tier before its policies) and kinds checked against their stored peers (overlapping IP
 * pools) are written one by one, so results are those of writing in file order.
 */
export function concurrentRuns(items: LoadedResource[]): number[][] {
  const runs: number[][] = []
  let names = new Set<string>()
  items.forEach((item, index) => {
    const run = runs[runs.length - 1]
    const name = `${item.resource.metadata.namespace ?? ''}/${item.resource.metadata.name ?? ''}`
    const sameRun = run && items[run[0]].kind === item.kind && !item.kind.checkAgainstPeers && !names.has(name)
    if (sameRun) run.push(index)
    else {
      runs.push([index])
      names = new Set()
    }
    names.add(name)
  })
  return runs
}

/** Runs `task` over `indexes` with at most `limit` in flight. */
async function eachBounded(indexes: number[], limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < indexes.length) await task(indexes[next++])
  }
  await Promise.all(Array.from({ length: Math.min(limit, indexes.length) }, worker))
}

/** Runs at least this long read their kind's stored resources first (one paged read, not one per resource). */
const PREFETCH_MIN = 32

/**
 * apply and replace read each resource before they write it; for a long run of one kind the
 * datastore reads them all at once instead (in the run's namespace when it has only one). A failed
 * read leaves each resource to be read on its own, so errors are those of the one-by-one path.
 */
async function prefetchRun(client: CalicoClient, loaded: LoadedResource[], run: number[]): Promise<void> {
  const { store } = client
  if (!store.prefetch || run.length < PREFETCH_MIN) return
  const kind = loaded[run[0]].kind
  const namespaces = new Set(run.map((i) => loaded[i].resource.metadata.namespace))
  const namespace = kind.namespaced && namespaces.size === 1 ? [...namespaces][0] : undefined
  await store.prefetch(kind, namespace).catch(() => undefined)
}

/** What happened to one resource; `undefined` error means success (or a skipped exists/not-exists). */
interface ItemResult {
  error?: string
  location?: string
  /** Refused before it was sent to the datastore. */
  unsent?: boolean
}

/**
 * Runs create/apply/replace/delete over every resource, continuing after per-resource failures.
 * Independent resources are written concurrently; results are reported in file order, so output is
 * the same as writing them one by one.
 */
export async function runModify(verb: ModifyVerb, options: ModifyOptions): Promise<Report> {
  checkConfigReadable(options.config)
  // As upstream: the version check, then the input, then the client.
  const early = await versionCheckedClient(options.config, options.allowVersionMismatch)
  const loaded = await beforeClient(early, () => collectResources(options))
  if (loaded.length === 0) {
    await early?.store.close()
    return { stdout: ['No resources specified'] }
  }
  const client = early ?? (await openCommandClient(options.config))
  // Upstream ignores initialisation failures; an unreachable datastore fails every resource below.
  if (verb !== 'delete') await client.ensureInitialized().catch(() => undefined)
  // Namespaces are settled first, so concurrent runs compare the names actually written.
  const results: ItemResult[] = loaded.map((item) => {
    const problem = resolveNamespace(item.kind, item.resource, { namespace: options.namespace })
    return problem === undefined ? {} : { error: problem, unsent: true }
  })
  const progress = new Progress(PAST[verb])
  const writeOne = async (index: number): Promise<void> => {
    const item = loaded[index]
    if (results[index].error !== undefined) return
    try {
      await ACTIONS[verb](client, item.kind, item.resource as Resource)
      results[index] = {}
    } catch (err) {
      const skipped = (options.skipExists && err instanceof AlreadyExistsError) || (options.skipNotExists && err instanceof NotFoundError)
      const location = locateError(err, item)
      results[index] = skipped ? {} : { error: (err as Error).message, location: location && `  at ${location}` }
    } finally {
      progress.advance(1, loaded.length)
    }
  }
  try {
    const parallelism = Math.max(1, options.parallelism ?? client.parallelism)
    for (const run of concurrentRuns(loaded)) {
      if (verb === 'apply' || verb === 'replace') await prefetchRun(client, loaded, run)
      await eachBounded(run, parallelism, writeOne)
    }
  } finally {
    progress.finish()
    await client.store.close()
  }
  const outcome: Outcome = { kinds: loaded.map((item) => item.kind.kind), errors: [], unsent: results.filter((r) => r.unsent).length }
  const locations: string[] = []
  for (const result of results) {
    if (result.error !== undefined) outcome.errors.push(result.error)
    if (result.location) locations.push(result.location)
  }
  const report = verb === 'replace' ? reportReplace(outcome) : verb === 'delete' ? reportDelete(outcome) : reportCreateLike(verb, outcome)
  return withLocations(report, locations)
}
