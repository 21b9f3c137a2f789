import { ClientSetupError, CommandError } from '../errors.js'
import { knownKind } from '../resources/registry.js'
import { loadClientConfig } from '../datastore/config.js'
import { openClient } from './session.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The `Cluster Version`/`Cluster Type` lines of `calicoctl version`, read from ClusterInformation,
 * as upstream's version.go prints them: each line again only when it changes while polling, an
 * error on stderr while polling, and the last error as the command's.
 */
export async function printClusterVersion(configPath: string | undefined, pollMs: number, print: (line: string) => void): Promise<void> {
  // A configuration error is the user's to fix and fails the command; only an unusable datastore
  // is reported as an undetectable version, as upstream does.
  loadClientConfig({ path: configPath })
  let client
  try {
    client = await openClient(configPath)
  } catch (err) {
    // Upstream swallows only datastore errors; a client it cannot set up (a TLS file) is the command's error.
    if (err instanceof ClientSetupError) throw new CommandError(err.message)
    print('Unable to detect installed Calico version')
    return
  }
  let shown = { version: '', type: '' }
  let error: CommandError | undefined
  try {
    for (;;) {
      try {
        const info = await client.get(await knownKind('ClusterInformation'), 'default')
        error = undefined
        const version = String(info.spec?.calicoVersion || 'unknown')
        const type = String(info.spec?.clusterType || 'unknown')
        if (version !== shown.version) print(`Cluster Version:   ${version}`)
        if (type !== shown.type) print(`Cluster Type:      ${type}`)
        shown = { version, type }
      } catch (err) {
        error = new CommandError(`unable to retrieve Cluster Version or Type: ${(err as Error).message}`)
        // Shown again once the cluster answers.
        shown = { version: '', type: '' }
      }
      if (pollMs <= 0) break
      if (error) process.stderr.write(`${error.message}\n`)
      await sleep(pollMs)
    }
  } finally {
    await client.store.close()
  }
  if (error) throw error
}
