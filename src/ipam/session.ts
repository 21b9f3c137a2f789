import type { CalicoClient } from '../client/calico-client.js'
import { checkVersionMismatch, openClient } from '../crud/session.js'
import type { CalicoAPIConfigSpec } from '../datastore/config.js'
import type { IpamStore } from '../datastore/types.js'
import { NotSupportedError } from '../errors.js'

/**
 * The client every `ipam` command starts with: built from `-c` (its failures are printed bare, not
 * as the CRUD commands' "Failed to create Calico API client"), then the version check.
 */
export async function openIpamSession(
  configPath: string | undefined,
  allowVersionMismatch = false,
  overrides: Partial<CalicoAPIConfigSpec> = {},
): Promise<{ client: CalicoClient; store: IpamStore }> {
  const client = await openClient(configPath, overrides)
  try {
    if (!allowVersionMismatch) await checkVersionMismatch(client)
    const store = client.store.ipam?.()
    if (!store) throw new NotSupportedError('IPAM', 'this datastore')
    return { client, store }
  } catch (err) {
    await client.store.close()
    throw err
  }
}
