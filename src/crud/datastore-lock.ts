import type { CalicoClient } from '../client/calico-client.js'
import { CommandError } from '../errors.js'
import { knownKind } from '../resources/registry.js'
import { checkConfigReadable, checkVersionMismatch, openClient } from './session.js'

/**
 * `datastore migrate lock|unlock`: ClusterInformation's datastoreReady, which calico-node and Felix
 * wait on, set to false (lock) or true (unlock). Returns the stdout line.
 */
export async function runDatastoreLock(lock: boolean, options: { config?: string; allowVersionMismatch?: boolean }): Promise<string> {
  const action = lock ? 'locking' : 'unlocking'
  checkConfigReadable(options.config)
  const client = await openClient(options.config)
  try {
    if (!options.allowVersionMismatch) await checkVersionMismatch(client)
    // Only lock makes sure the ClusterInformation exists first, as upstream.
    if (lock)
      await client.ensureInitialized().catch((err) => {
        throw new CommandError(`unable to initialize cluster information for the datastore migration: ${(err as Error).message}`)
      })
    const info = await knownKind('ClusterInformation')
    const current = await client.get(info, 'default').catch((err) => {
      throw new CommandError(`error retrieving ClusterInformation for ${action}: ${(err as Error).message}`)
    })
    current.spec = { ...current.spec, datastoreReady: !lock }
    await client.update(info, current).catch((err) => {
      throw new CommandError(`error updating ClusterInformation for ${action}: ${(err as Error).message}`)
    })
    return lock ? 'Datastore locked.' : 'Datastore unlocked.'
  } finally {
    await client.store.close()
  }
}

/** Whether ClusterInformation says the datastore is locked (upstream's CheckLocked). */
export async function checkLocked(client: CalicoClient): Promise<boolean> {
  try {
    const info = await client.get(await knownKind('ClusterInformation'), 'default')
    return info.spec?.datastoreReady === false
  } catch (err) {
    throw new CommandError(`error while checking if datastore was locked: error retrieving ClusterInformation: ${(err as Error).message}`)
  }
}
