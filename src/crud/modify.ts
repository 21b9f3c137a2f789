import type { CalicoClient } from '../client/calico-client.js'
import { AlreadyExistsError, CommandError, NotFoundError } from '../errors.js'
import type { KindDefinition } from '../resources/kind.js'
import type { Resource } from '../resources/types.js'
import { applyResource, createResource, deleteResource, replaceResource } from './actions.js'
import { kindFromArgument, loadFromFile, type LoadedResource } from './load.js'
import { reportCreateLike, reportDelete, reportReplace, type Outcome, type Report } from './results.js'
import { checkVersionMismatch, openClient } from './session.js'
import { locateError } from './locate.js'

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
}

const ACTIONS = { create: createResource, apply: applyResource, replace: replaceResource, delete: deleteResource }

/** Where resources come from: `-f` wins over `KIND NAME...`, as upstream. */
export async function collectResources(options: ModifyOptions): Promise<LoadedResource[]> {
  if (options.filename) {
    try {
      return await loadFromFile(options.filename, { recursive: options.recursive, skipEmpty: options.skipEmpty, stdin: options.stdin })
    } catch (err) {
      throw new CommandError(`failed to execute command: ${(err as Error).message}`)
    }
  }
  if (!options.kindArg) throw new CommandError('no resource type specified: give a KIND (e.g. ippool) or -f FILE')
  let kind: KindDefinition
  try {
    kind = kindFromArgument(options.kindArg)
  } catch (err) {
    throw new CommandError(`failed to execute command: ${(err as Error).message}`)
  }
  return (options.names ?? []).map((name) => {
    if (name === '') throw new CommandError('resource name may not be empty')
    return { kind, resource: { apiVersion: 'projectcalico.org/v3', kind: kind.kind, metadata: { name } } }
  })
}

/** Cluster-scoped kinds refuse namespaces, with upstream's texts. */
function namespaceProblem(loaded: LoadedResource, namespace?: string): string | undefined {
  if (loaded.kind.namespaced) return undefined
  if (loaded.resource.metadata.namespace)
    return `namespace should not be specified for a non-namespaced resource. ${loaded.kind.kind} is not a namespaced resource`
  if (namespace) return `${loaded.kind.kind} is not namespaced`
  return undefined
}

async function prepareClient(verb: ModifyVerb, options: ModifyOptions): Promise<CalicoClient> {
  let client: CalicoClient
  try {
    client = await openClient(options.config)
  } catch (err) {
    if (err instanceof CommandError && err.stream === 'stdout') throw err
    throw new CommandError(`Failed to create Calico API client: ${(err as Error).message}`, 'stdout')
  }
  if (!options.allowVersionMismatch) await checkVersionMismatch(client)
  // Upstream ignores initialisation failures; an unreachable datastore fails every resource below.
  if (verb !== 'delete') await client.ensureInitialized().catch(() => undefined)
  return client
}

/** Runs create/apply/replace/delete over every resource, continuing after per-resource failures. */
export async function runModify(verb: ModifyVerb, options: ModifyOptions): Promise<Report> {
  const loaded = await collectResources(options)
  if (loaded.length === 0) return { stdout: ['No resources specified'] }
  const client = await prepareClient(verb, options)
  const outcome: Outcome = { kinds: [], errors: [] }
  const locations: string[] = []
  try {
    for (const item of loaded) {
      outcome.kinds.push(item.kind.kind)
      const problem = namespaceProblem(item, options.namespace)
      if (problem) {
        outcome.errors.push(problem)
        continue
      }
      try {
        await ACTIONS[verb](client, item.kind, item.resource as Resource)
      } catch (err) {
        if (options.skipExists && err instanceof AlreadyExistsError) continue
        if (options.skipNotExists && err instanceof NotFoundError) continue
        outcome.errors.push((err as Error).message)
        const location = locateError(err, item)
        if (location) locations.push(location)
      }
    }
  } finally {
    await client.store.close()
  }
  const report = verb === 'replace' ? reportReplace(outcome) : verb === 'delete' ? reportDelete(outcome) : reportCreateLike(verb, outcome)
  if (report.error && locations.length > 0) report.error += `\n${locations.join('\n')}`
  return report
}
