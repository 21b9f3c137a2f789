import { CommandError, NotFoundError } from '../errors.js'
import type { KindDefinition } from '../resources/kind.js'
import { kindByKind } from '../resources/registry.js'
import { loadClientConfig } from '../datastore/config.js'
import { openClient } from './session.js'

/** The `Cluster Version`/`Cluster Type` lines of `calicoctl version`, read from ClusterInformation. */
export async function clusterVersionLines(configPath: string | undefined): Promise<string[]> {
  // A configuration error is the user's to fix and fails the command; only an unusable datastore
  // is reported as an undetectable version, as upstream does.
  loadClientConfig({ path: configPath })
  let client
  try {
    client = await openClient(configPath)
  } catch {
    return ['Unable to detect installed Calico version']
  }
  try {
    const info = await client.get(kindByKind('ClusterInformation') as KindDefinition, 'default')
    return [`Cluster Version:   ${String(info.spec?.calicoVersion || 'unknown')}`, `Cluster Type:      ${String(info.spec?.clusterType || 'unknown')}`]
  } catch (err) {
    if (err instanceof NotFoundError) return ['Cluster Version:   unknown', 'Cluster Type:      unknown']
    throw new CommandError(`unable to retrieve Cluster Version or Type: ${(err as Error).message}`)
  } finally {
    await client.store.close()
  }
}
