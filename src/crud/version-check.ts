import type { CalicoClient } from '../client/calico-client.js'
import { checkVersionMismatch, openClient } from './session.js'

/**
 * The resource commands' first step upstream: the version check, on a client that is given up
 * quietly when it cannot be built (the command's own client reports why, after the input is read).
 * A mismatch, or a cluster that cannot be asked, ends the command before anything else. Returns the
 * client when one was built, for the command to go on with.
 */
export async function versionCheckedClient(configPath: string | undefined, allowVersionMismatch = false): Promise<CalicoClient | undefined> {
  if (allowVersionMismatch) return undefined
  let client: CalicoClient
  try {
    client = await openClient(configPath)
  } catch {
    return undefined
  }
  try {
    await checkVersionMismatch(client)
  } catch (err) {
    await client.store.close()
    throw err
  }
  return client
}

/** Reads what the command works on; should that fail, the client of the version check is closed. */
export async function beforeClient<T>(early: CalicoClient | undefined, read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (err) {
    await early?.store.close()
    throw err
  }
}
