/**
 * `datastore migrate export`: the contents of an etcd datastore as upstream's Export prints them, for
 * `datastore migrate import` into a Kubernetes datastore. Three sections: every v3 kind as the
 * `<Kind>List` YAML `get --export -o yaml` prints (cluster-specific metadata removed, Calico node
 * names replaced by Kubernetes node names), each followed by `---`; then `===` and the
 * ClusterInformation as indented JSON; then `===` and the IPAM objects as indented JSON.
 * Output is written as each part is ready, so what came before a failure is printed, as upstream.
 */
import type { CalicoClient } from '../client/calico-client.js'
import { CommandError } from '../errors.js'
import { renderResults } from '../output/resources.js'
import type { KindDefinition } from '../resources/kind.js'
import { knownKind } from '../resources/registry.js'
import { API_VERSION, type Resource, type ResourceList } from '../resources/types.js'
import { toGoJson } from '../output/json.js'
import { loadClientConfig } from '../datastore/config.js'
import { checkConfigReadable, checkVersionMismatch, openClient } from '../crud/session.js'
import { pullIpam, type EtcdKeyReader } from './ipam-export.js'
import { checkLocked } from '../crud/datastore-lock.js'

/**
 * The kinds exported, in upstream's order (allV3Resources): tiers before the policies that name
 * them, nodes before the configurations named after nodes. WorkloadEndpoints and Profiles are not
 * exported (Kubernetes objects stand for them).
 */
export const EXPORTED_KINDS = [
  ['ippools', 'IPPool'],
  ['bgppeers', 'BGPPeer'],
  ['tiers', 'Tier'],
  ['globalnetworkpolicies', 'GlobalNetworkPolicy'],
  ['stagedglobalnetworkpolicies', 'StagedGlobalNetworkPolicy'],
  ['globalnetworksets', 'GlobalNetworkSet'],
  ['hostendpoints', 'HostEndpoint'],
  ['kubecontrollersconfigurations', 'KubeControllersConfiguration'],
  ['networkpolicies', 'NetworkPolicy'],
  ['stagednetworkpolicies', 'StagedNetworkPolicy'],
  ['stagedkubernetesnetworkpolicies', 'StagedKubernetesNetworkPolicy'],
  ['networksets', 'NetworkSet'],
  ['nodes', 'Node'],
  ['bgpconfigurations', 'BGPConfiguration'],
  ['felixconfigurations', 'FelixConfiguration'],
  ['ipreservations', 'IPReservation'],
  ['bgpfilters', 'BGPFilter'],
] as const

/** Upstream's display names (resourceDisplayMap), typo included. */
export const DISPLAY_NAMES: Record<string, string> = {
  ippools: 'IPPools',
  bgpconfigurations: 'BGPConfigurations',
  bgppeers: 'BGPPeers',
  felixconfigurations: 'FelixConfigurations',
  globalnetworkpolicies: 'GlobalNetworkPolicies',
  stagedglobalnetworkpolicies: 'StagedGlobalNetworkPolicies',
  globalnetworksets: 'GlobalNetworkSets',
  hostendpoints: 'HostEndpoints',
  kubecontrollersconfigurations: 'KubeControllersConfigurations',
  networkpolicies: 'NetworkPolicies',
  stagednetworkpolicies: 'StagedNetworkPolicies',
  stagedkubernetesnetworkpolicies: 'StagedKubernetesNetworkPolicyPolicies',
  networksets: 'NetworkSets',
  nodes: 'Nodes',
  ipreservations: 'IPReservations',
  bgpfilters: 'BGPFilters',
  tiers: 'Tiers',
}

/** Policies kube-controllers writes for Kubernetes NetworkPolicies: Kubernetes keeps the originals. */
export const KUBERNETES_POLICY_PREFIX = 'knp.default.'

/** What upstream clears on every listed item (the list's own resourceVersion stays). */
function withoutClusterMetadata(resource: Resource): Resource {
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, deletionTimestamp: _d, deletionGracePeriodSeconds: _g, ...metadata } = resource.metadata
  return { ...resource, metadata: { ...metadata, creationTimestamp: null } }
}

/** golang.org/x/text's English title case of a lower-cased single word: `ACCEPT` -> `Accept`. */
function title(word: string): string {
  const lower = word.toLowerCase()
  return lower.replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_m, before: string, letter: string) => before + letter.toUpperCase())
}

/** Upstream's ConvertIptablesFields: actions the v1 API let through in any case, title-cased. */
const IPTABLES_ACTIONS = ['defaultEndpointToHostAction', 'iptablesFilterAllowAction', 'iptablesMangleAllowAction', 'iptablesFilterDenyAction']

/** Upstream's ConvertIptablesFields on a FelixConfiguration's spec, in place. */
export function convertIptablesFields(spec: Record<string, unknown>): void {
  for (const field of IPTABLES_ACTIONS) if (typeof spec[field] === 'string' && spec[field] !== '') spec[field] = title(spec[field] as string)
}

/** `node.<calico name>` configurations renamed after the Kubernetes node. */
function renamePerNode(resource: Resource, nodes: Map<string, string>): void {
  const name = resource.metadata.name ?? ''
  const mapped = name.startsWith('node.') ? nodes.get(name.slice('node.'.length)) : undefined
  if (mapped !== undefined) resource.metadata.name = `node.${mapped}`
}

/** The Kubernetes node name of each Calico node (its last `k8s` orchestrator reference). */
function kubernetesNodeName(node: Resource): string {
  let name = ''
  for (const ref of (node.spec?.orchRefs as Array<{ orchestrator?: string; nodeName?: string }> | undefined) ?? []) {
    if (ref.orchestrator === 'k8s') name = ref.nodeName ?? ''
  }
  if (name === '')
    throw new CommandError(
      `unable to process metadata for export for Node resource: node ${node.metadata.name ?? ''} missing a 'k8s' orchestrator reference. Unable to export data unless every node has a 'k8s' orchestrator reference`,
    )
  return name
}

async function exportedList(client: CalicoClient, plural: string, kind: KindDefinition, nodes: Map<string, string>): Promise<ResourceList> {
  const list = await client.list(kind).catch((err: Error) => {
    throw new CommandError(err.message)
  })
  let items = (kind.listOrder ? [...list.items].sort(kind.listOrder) : list.items).map(withoutClusterMetadata)
  if (plural === 'networkpolicies') items = items.filter((p) => !(p.metadata.name ?? '').startsWith(KUBERNETES_POLICY_PREFIX))
  for (const item of items) {
    if (plural === 'nodes') {
      const name = kubernetesNodeName(item)
      nodes.set(item.metadata.name ?? '', name)
      item.metadata.name = name
    }
    if (plural === 'felixconfigurations' || plural === 'bgpconfigurations') renamePerNode(item, nodes)
    if (plural === 'felixconfigurations' && item.spec) convertIptablesFields(item.spec)
  }
  return { apiVersion: API_VERSION, kind: `${kind.kind}List`, metadata: { resourceVersion: list.revision }, items }
}

export interface ExportOptions {
  config?: string
  allowVersionMismatch?: boolean
  /** Receives the output as it is produced. */
  write(text: string): void
}

export async function runExport(options: ExportOptions): Promise<void> {
  checkConfigReadable(options.config)
  const client = await openClient(options.config)
  try {
    if (!options.allowVersionMismatch) await checkVersionMismatch(client)
    if (!(await checkLocked(client)))
      throw new CommandError('datastore is not locked. Run the `calicoctl datastore migrate lock` command in order to begin migration')
    const { datastoreType } = loadClientConfig({ path: options.config })
    if (datastoreType !== 'etcdv3')
      throw new CommandError(`invalid datastore type: ${datastoreType} to export from for datastore migration. Datastore type must be etcdv3`)
    const nodes = new Map<string, string>()
    for (const [plural, kindName] of EXPORTED_KINDS) {
      const kind = await knownKind(kindName)
      const list = await exportedList(client, plural, kind, nodes)
      options.write(renderResults([{ kind, result: list }], { type: 'yaml' }, {}))
      options.write('---\n')
    }
    options.write('===\n')
    const infoKind = await knownKind('ClusterInformation')
    const info = await client.get(infoKind, 'default').catch((err: Error) => {
      throw new CommandError(err.message)
    })
    options.write(`${renderResults([{ kind: infoKind, result: info }], { type: 'json' }, {})}\n`)
    options.write('===\n')
    const ipam = await pullIpam(client.store as unknown as EtcdKeyReader, nodes)
    options.write(`${toGoJson(ipam, true)}\n`)
  } finally {
    await client.store.close()
  }
}
