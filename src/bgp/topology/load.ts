import type { CalicoClient } from '../../client/calico-client.js'
import { checkConfigReadable, checkVersionMismatch, openCommandClient } from '../../crud/session.js'
import { knownKind } from '../../resources/registry.js'
import type { Resource } from '../../resources/types.js'
import type { TopologyInput } from './compute.js'

const KINDS = { nodes: 'Node', bgpPeers: 'BGPPeer', bgpConfigurations: 'BGPConfiguration', workloadEndpoints: 'WorkloadEndpoint' } as const

export const usesWorkloads = (peers: Resource[]) => peers.some((p) => typeof p.spec?.localWorkloadSelector === 'string' && p.spec.localWorkloadSelector !== '')

/** What the computation needs from the datastore; workload endpoints only when a BGPPeer selects workloads. */
export async function readTopologyInput(client: CalicoClient, withWorkloads = false): Promise<TopologyInput> {
  const [nodes, bgpPeers, bgpConfigurations] = await Promise.all([
    knownKind(KINDS.nodes).then((k) => client.list(k)),
    knownKind(KINDS.bgpPeers).then((k) => client.list(k)),
    knownKind(KINDS.bgpConfigurations).then((k) => client.list(k)),
  ])
  const workloadEndpoints = withWorkloads || usesWorkloads(bgpPeers.items) ? (await client.list(await knownKind(KINDS.workloadEndpoints))).items : []
  return { nodes: nodes.items, bgpPeers: bgpPeers.items, bgpConfigurations: bgpConfigurations.items, workloadEndpoints }
}

/** Opens the datastore from `-c` as `get` does, reads the input and closes it again. */
export async function loadTopologyInput(configPath: string | undefined, allowVersionMismatch: boolean): Promise<TopologyInput> {
  checkConfigReadable(configPath)
  const client = await openCommandClient(configPath)
  try {
    if (!allowVersionMismatch) await checkVersionMismatch(client)
    return await readTopologyInput(client)
  } finally {
    await client.store.close()
  }
}

/**
 * The input as it would be once `resources` are written: each replaces the stored resource of its
 * kind and name, or is added. With `remove`, they are taken out instead (delete).
 */
export function overlayResources(input: TopologyInput, resources: Resource[], remove = false): TopologyInput {
  const result: TopologyInput = { ...input, workloadEndpoints: input.workloadEndpoints ?? [] }
  for (const [field, kindName] of Object.entries(KINDS) as [keyof typeof KINDS, string][]) {
    const mine = resources.filter((r) => r.kind === kindName)
    if (mine.length === 0) continue
    const id = (r: Resource) => `${r.metadata.namespace ?? ''}/${r.metadata.name ?? ''}`
    const replaced = new Set(mine.map(id))
    result[field] = [...(result[field] ?? []).filter((r) => !replaced.has(id(r))), ...(remove ? [] : mine)]
  }
  return result
}

/** Whether any resource could change the BGP topology. */
export function touchesTopology(resources: Resource[]): boolean {
  const kinds: string[] = Object.values(KINDS)
  return resources.some((r) => kinds.includes(r.kind))
}
