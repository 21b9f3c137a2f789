import type { KindDefinition } from './kind.js'

/**
 * Every projectcalico.org/v3 kind by its names, with the loader of its module: a command imports
 * only the kinds it meets (a kind's module brings its checks, columns and conversions along).
 * Names are the kind modules' own (test/unit/registry.test.ts holds the two together).
 */
interface KindEntry {
  kind: string
  /** Names accepted on the command line (lower case), as the kind's `names`. */
  names: readonly string[]
  load(): Promise<KindDefinition>
}

const entries: readonly KindEntry[] = [
  { kind: 'BGPConfiguration', names: ['bgpconfiguration', 'bgpconfigurations', 'bgpconfig', 'bgpconfigs'], load: async () => (await import('./bgpconfiguration.js')).bgpConfiguration },
  { kind: 'BGPFilter', names: ['bgpfilter', 'bgpfilters', 'bgpf', 'bgpfs', 'bf', 'bfs'], load: async () => (await import('./bgpfilter.js')).bgpFilter },
  { kind: 'BGPPeer', names: ['bgppeer', 'bgppeers', 'bgpp', 'bgpps', 'bp', 'bps'], load: async () => (await import('./bgppeer.js')).bgpPeer },
  { kind: 'CalicoNodeStatus', names: ['caliconodestatus', 'caliconodestatuses', 'nodestatus', 'nodestatuses'], load: async () => (await import('./caliconodestatus.js')).calicoNodeStatus },
  { kind: 'ClusterInformation', names: ['clusterinformation', 'clusterinformations', 'clusterinfo', 'clusterinfos'], load: async () => (await import('./clusterinformation.js')).clusterInformation },
  { kind: 'FelixConfiguration', names: ['felixconfiguration', 'felixconfigurations', 'felixconfig', 'felixconfigs'], load: async () => (await import('./felixconfiguration.js')).felixConfiguration },
  { kind: 'GlobalNetworkPolicy', names: ['globalnetworkpolicy', 'globalnetworkpolicies', 'gnp', 'gnps'], load: async () => (await import('./networkpolicy.js')).globalNetworkPolicy },
  { kind: 'GlobalNetworkSet', names: ['globalnetworkset', 'globalnetworksets', 'gnetsets'], load: async () => (await import('./networksets.js')).globalNetworkSet },
  { kind: 'HostEndpoint', names: ['hostendpoint', 'hostendpoints', 'hep', 'heps'], load: async () => (await import('./hostendpoint.js')).hostEndpoint },
  { kind: 'IPAMConfiguration', names: ['ipamconfiguration', 'ipamconfigurations', 'ipamconfig', 'ipamconfigs'], load: async () => (await import('./ipamconfiguration.js')).ipamConfiguration },
  { kind: 'IPPool', names: ['ippool', 'ippools', 'ipp', 'ipps', 'pool', 'pools'], load: async () => (await import('./ippool.js')).ipPool },
  { kind: 'IPReservation', names: ['ipreservation', 'ipreservations', 'reservation', 'reservations'], load: async () => (await import('./ipreservation.js')).ipReservation },
  {
    kind: 'KubeControllersConfiguration',
    names: ['kubecontrollersconfiguration', 'kubecontrollersconfigurations', 'kubecontrollersconfig', 'kubecontrollersconfigs'],
    load: async () => (await import('./kubecontrollersconfiguration.js')).kubeControllersConfiguration,
  },
  { kind: 'NetworkPolicy', names: ['networkpolicy', 'networkpolicies', 'policy', 'np', 'policies', 'pol', 'pols'], load: async () => (await import('./networkpolicy.js')).networkPolicy },
  { kind: 'NetworkSet', names: ['networkset', 'networksets', 'netsets'], load: async () => (await import('./networksets.js')).networkSet },
  { kind: 'Node', names: ['node', 'nodes', 'no', 'nos'], load: async () => (await import('./node.js')).node },
  { kind: 'Profile', names: ['profile', 'profiles', 'pro', 'pros'], load: async () => (await import('./profile.js')).profile },
  {
    kind: 'StagedGlobalNetworkPolicy',
    names: ['stagedglobalnetworkpolicy', 'stagedglobalnetworkpolicies', 'sgnp', 'sgnps'],
    load: async () => (await import('./stagedpolicies.js')).stagedGlobalNetworkPolicy,
  },
  {
    kind: 'StagedKubernetesNetworkPolicy',
    names: ['stagedkubernetesnetworkpolicy', 'stagedkubernetesnetworkpolicies', 'stagedkubernetespolicy', 'sknp', 'stagedkubernetespolicies', 'skpol', 'skpols'],
    load: async () => (await import('./stagedpolicies.js')).stagedKubernetesNetworkPolicy,
  },
  {
    kind: 'StagedNetworkPolicy',
    names: ['stagednetworkpolicy', 'stagednetworkpolicies', 'stagedpolicy', 'snp', 'stagedpolicies', 'spol', 'spols'],
    load: async () => (await import('./stagedpolicies.js')).stagedNetworkPolicy,
  },
  { kind: 'Tier', names: ['tier', 'tiers'], load: async () => (await import('./tier.js')).tier },
  { kind: 'WorkloadEndpoint', names: ['workloadendpoint', 'workloadendpoints', 'wep', 'weps'], load: async () => (await import('./workloadendpoint.js')).workloadEndpoint },
]

const byName = new Map(entries.flatMap((entry) => entry.names.map((name) => [name, entry] as const)))
const byKind = new Map(entries.map((entry) => [entry.kind, entry]))

/** The kind for a command-line name such as `ippools` or `bgpconfig` (case-insensitive). */
export function kindByName(name: string): Promise<KindDefinition | undefined> {
  return Promise.resolve(byName.get(name.toLowerCase())?.load())
}

/** The kind for a document's exact `kind` field, e.g. `IPPool`. */
export function kindByKind(kind: string): Promise<KindDefinition | undefined> {
  return Promise.resolve(byKind.get(kind)?.load())
}

/** A kind that must exist (the client's own uses: ClusterInformation, Tier, ...). */
export async function knownKind(kind: string): Promise<KindDefinition> {
  const definition = await kindByKind(kind)
  if (!definition) throw new Error(`no kind ${kind} in the registry`)
  return definition
}

/** Every kind's first name, in the registry's order (shell completion). */
export function kindNames(): string[] {
  return entries.map((entry) => entry.names[0])
}

/** Every kind, loaded, in the registry's order. */
export function allKinds(): Promise<KindDefinition[]> {
  return Promise.all(entries.map((entry) => entry.load()))
}
