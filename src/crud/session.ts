import { CalicoClient } from '../client/calico-client.js'
import { loadClientConfig, redactConfig, type CalicoAPIConfigSpec } from '../datastore/config.js'
import { debug } from '../log.js'
import { CommandError, NotFoundError } from '../errors.js'
import { knownKind } from '../resources/registry.js'
import { CALICO_VERSION, releaseOf } from '../version.js'

/** Resources a Kubernetes datastore writes at once; the request rate is limited separately (K8S_CLIENT_QPS). */
const KDD_PARALLELISM = 8
/** Resources written at once on etcd: as many as on Kubernetes; etcd's transactions keep each write atomic. */
const ETCD_PARALLELISM = 8

/**
 * Builds the client for `-c`, with `overrides` laid over what the configuration says; the datastore
 * module is imported only here, when a command needs it.
 */
export async function openClient(configPath: string | undefined, overrides: Partial<CalicoAPIConfigSpec> = {}): Promise<CalicoClient> {
  const config = { ...loadClientConfig({ path: configPath }), ...overrides }
  debug(`client configuration: ${JSON.stringify(redactConfig(config))}`)
  if (config.datastoreType === 'kubernetes') {
    const { KubernetesDatastore } = await import('../datastore/kubernetes/backend.js')
    const store = await KubernetesDatastore.connect(config, { maxSockets: KDD_PARALLELISM * 2 })
    // As upstream's SetCRDValidationEnabled: the API server applies the CRDs' defaults and rules.
    return new CalicoClient(store, { clusterType: 'kdd', parallelism: KDD_PARALLELISM, crdValidation: false })
  }
  const { EtcdDatastore } = await import('../datastore/etcd/backend.js')
  return new CalicoClient(await EtcdDatastore.connect(config), { parallelism: ETCD_PARALLELISM })
}

/**
 * Upstream reads the client configuration before anything else: a `-c` file that does not exist
 * ends the command first (on stdout). Other configuration errors surface when the client is built.
 */
export function checkConfigReadable(configPath: string | undefined): void {
  try {
    loadClientConfig({ path: configPath })
  } catch (err) {
    if (err instanceof CommandError && err.stream === 'stdout') throw err
  }
}

/** openClient for the CRUD commands: a client that cannot be built is reported as upstream does (stdout, exit 1). */
export async function openCommandClient(configPath: string | undefined): Promise<CalicoClient> {
  try {
    return await openClient(configPath)
  } catch (err) {
    if (err instanceof CommandError && err.stream === 'stdout') throw err
    throw new CommandError(`Failed to create Calico API client: ${(err as Error).message}`, 'stdout')
  }
}

/**
 * Upstream's client/cluster version check: the releases must be equal, a `v` prefix and a `-suffix`
 * aside. A missing ClusterInformation or empty calicoVersion passes.
 */
export async function checkVersionMismatch(client: CalicoClient): Promise<void> {
  let clusterVersion: string
  try {
    const info = await client.get(await knownKind('ClusterInformation'), 'default')
    clusterVersion = String(info.spec?.calicoVersion ?? '')
  } catch (err) {
    if (err instanceof NotFoundError) return
    throw new CommandError(
      `unable to get Cluster Information to verify version mismatch: ${(err as Error).message}\nUse --allow-version-mismatch to override`,
    )
  }
  if (!clusterVersion || releaseOf(clusterVersion) === releaseOf(CALICO_VERSION)) return
  throw new CommandError(
    `version mismatch.\nClient Version:   ${CALICO_VERSION}\nCluster Version:  ${releaseOf(clusterVersion)}\nUse --allow-version-mismatch to override`,
  )
}
