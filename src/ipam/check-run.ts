/** `calicoctl ipam check` on a datastore: what the check reads, from where, then the check itself. */
import type { CalicoAPIConfigSpec } from '../datastore/config.js'
import type { KubeRest } from '../datastore/kubernetes/rest.js'
import { CommandError } from '../errors.js'
import { knownKind } from '../resources/registry.js'
import { CALICO_VERSION } from '../version.js'
import { checkIpam, listKind } from './check.js'
import { openIpamSession } from './session.js'
import { handleUidReader, ipamWriter } from './writer.js'

export interface IpamCheckOptions {
  config?: string
  showAllIps?: boolean
  showProblemIps?: boolean
  output?: string
  kubeconfig?: string
  allowVersionMismatch?: boolean
}

interface KubernetesStore {
  kube: KubeRest
}

/** The Kubernetes API the Services come from: the datastore's own, else the kubeconfig given. */
async function kubernetesApi(store: unknown, kubeconfig: string | undefined): Promise<{ rest: KubeRest; close(): void }> {
  const kdd = store as Partial<KubernetesStore>
  if (kdd.kube) return { rest: kdd.kube, close: () => undefined }
  const path = kubeconfig || process.env.KUBECONFIG || ''
  if (!path) throw new CommandError('KUBECONFIG environment variable or --kubeconfig parameter not set')
  const [{ connectKube }, { KubeRest }, { limiterFor }] = await Promise.all([
    import('../datastore/kubernetes/connection.js'),
    import('../datastore/kubernetes/rest.js'),
    import('../datastore/kubernetes/rate-limit.js'),
  ])
  const config: CalicoAPIConfigSpec = { datastoreType: 'kubernetes', kubeconfig: path }
  const rest = new KubeRest(await connectKube(config).catch((err: Error) => Promise.reject(new CommandError(err.message))), limiterFor(undefined, undefined))
  return { rest, close: () => rest.close() }
}

export async function runIpamCheck(options: IpamCheckOptions): Promise<void> {
  const { client } = await openIpamSession(options.config, options.allowVersionMismatch)
  try {
    const writer = ipamWriter(client)
    const kube = await kubernetesApi(client.store, options.kubeconfig)
    const print = (line: string) => process.stdout.write(`${line}\n`)
    const wrap = (prefix: string) => (err: Error) => Promise.reject(new Error(`${prefix}: ${err.message}`))
    try {
      print('Checking IPAM for inconsistencies...')
      print('')
      const clusterInformation = await client.get(await knownKind('ClusterInformation'), 'default')
      const handleUid = await handleUidReader(client.store)
      await checkIpam(
        {
          clusterInformation,
          blocks: () => writer.kv.listBlocks().catch(wrap('failed to list IPAM blocks')),
          pools: () => listKind(client, 'IPPool').catch(wrap('failed to load IP pools')),
          nodes: () => listKind(client, 'Node').catch(wrap('failed to list nodes')),
          services: async () => (await kube.rest.request<{ items?: Array<Record<string, unknown>> }>({ method: 'GET', path: '/api/v1/services', resource: 'services' })).items ?? [],
          kubeControllersConfiguration: async () => client.get(await knownKind('KubeControllersConfiguration'), 'default'),
          workloadEndpoints: () => listKind(client, 'WorkloadEndpoint').catch(wrap('failed to list workload endpoints')),
          handles: () => writer.kv.listHandles().catch(wrap('failed to list handles')),
          handleUid,
        },
        // --show-all-ips implies the problem IPs.
        { showAllIps: options.showAllIps === true, showProblemIps: options.showAllIps === true || options.showProblemIps === true, output: options.output, version: CALICO_VERSION },
        print,
      )
    } finally {
      kube.close()
    }
  } finally {
    await client.store.close()
  }
}
