import { CommandError } from '../errors.js'
import { API_VERSION, type Resource } from '../resources/types.js'
import { replaceResource } from './actions.js'
import { kindFromArgument } from './load.js'
import { resolveNamespace } from './namespaces.js'
import { checkConfigReadable, openCommandClient } from './session.js'
import { beforeClient, versionCheckedClient } from './version-check.js'

export interface LabelOptions {
  /** KIND as typed: upstream echoes it in every message (`nodes`, `NODE`). */
  kindArg: string
  name: string
  /** `key=value`, or the key with `remove` */
  label: string
  overwrite?: boolean
  remove?: boolean
  config?: string
  namespace?: string
  allowVersionMismatch?: boolean
}

/**
 * `calicoctl label`: reads the resource, sets or removes one label, and writes it back guarded by
 * the revision it read (a concurrent change fails the update rather than being overwritten).
 * Returns the stdout line; failures are CommandErrors with upstream's texts.
 */
export async function runLabel(options: LabelOptions): Promise<string> {
  const { kindArg, name, label } = options
  // Upstream reads the label before anything else, then checks versions, the kind and the name.
  let key = label
  let value = ''
  if (!options.remove) {
    const equals = label.indexOf('=')
    if (equals < 0) throw new CommandError(`invalid label ${label}`)
    key = label.slice(0, equals)
    value = label.slice(equals + 1)
  }
  checkConfigReadable(options.config)
  const failedToGet = (err: unknown) => new CommandError(`failed to get ${kindArg} ${name}, error ${(err as Error).message}`)
  const early = await versionCheckedClient(options.config, options.allowVersionMismatch).catch((err) => Promise.reject(failedToGet(err)))
  const kind = await beforeClient(early, () => kindFromArgument(kindArg).catch((err) => Promise.reject(failedToGet(err))))
  const client = early ?? (await openCommandClient(options.config))
  try {
    if (name === '') throw failedToGet(new Error('resource name may not be empty'))
    const wanted: Resource = { apiVersion: API_VERSION, kind: kind.kind, metadata: { name } }
    // Upstream drops the reason a resource could not be read (namespace rules included).
    const notFound = new CommandError(`${kindArg} ${name} not found`)
    if (resolveNamespace(kind, wanted, { namespace: options.namespace }) !== undefined) throw notFound
    const resource = await client.get(kind, name, wanted.metadata.namespace).catch(() => Promise.reject(notFound))
    const labels = { ...resource.metadata.labels }
    let verb = 'set'
    if (options.remove) {
      if (!(key in labels)) throw new CommandError(`cannot remove label of ${kindArg} ${name}, key ${key} does not exist`)
      delete labels[key]
      verb = 'removed'
    } else if (key in labels) {
      if (!options.overwrite && labels[key] !== value)
        throw new CommandError(`failed to update label of ${kindArg} ${name}, key ${key} is already present. please use '--overwrite' to set a new value`)
      labels[key] = value
      verb = 'updated'
    } else {
      labels[key] = value
    }
    resource.metadata.labels = labels
    await replaceResource(client, kind, resource).catch(() => Promise.reject(new CommandError(`failed to update ${kindArg} ${name}, label not changed`)))
    if (verb === 'removed') return `Successfully removed label ${key} from ${kindArg} ${name}`
    return `Successfully ${verb} label ${key} on ${kindArg} ${name}`
  } finally {
    await client.store.close()
  }
}
