/**
 * The resource types the test API server serves: the core/v1 kinds calicoctl reads (Events,
 * Namespaces, Nodes, Pods, Secrets, ServiceAccounts, Services), the apps/v1 workloads `cluster
 * diags` reads (DaemonSets, Deployments, StatefulSets) and the Calico custom resources (names,
 * kinds and scopes as the Calico CRDs define them, datastore spec 2.2), in either Calico API group.
 */
export interface ServedResource {
  /** '' for the core group. */
  group: string
  version: string
  plural: string
  kind: string
  namespaced: boolean
  /** A status subresource: writes to the main resource keep the stored status and vice versa. */
  statusSubresource: boolean
  /** Core objects have no metadata.generation; custom resources do. */
  generation: boolean
}

export type CalicoGroup = 'crd.projectcalico.org' | 'projectcalico.org'

const CALICO_KINDS: Array<[kind: string, namespaced?: 'namespaced', status?: 'status']> = [
  ['BGPConfiguration'],
  ['BGPFilter'],
  ['BGPPeer'],
  ['BlockAffinity'],
  ['CalicoNodeStatus', undefined, 'status'],
  ['ClusterInformation'],
  ['FelixConfiguration'],
  ['GlobalNetworkPolicy'],
  ['GlobalNetworkSet'],
  ['HostEndpoint'],
  ['IPAMBlock'],
  ['IPAMHandle'],
  ['IPPool', undefined, 'status'],
  ['IPReservation'],
  ['KubeControllersConfiguration', undefined, 'status'],
  ['NetworkPolicy', 'namespaced'],
  ['NetworkSet', 'namespaced'],
  ['StagedGlobalNetworkPolicy'],
  ['StagedKubernetesNetworkPolicy', 'namespaced'],
  ['StagedNetworkPolicy', 'namespaced'],
  ['Tier', undefined, 'status'],
]

/** English plural of a kind as the CRDs spell it (policies, affinities, statuses). */
function pluralOf(kind: string): string {
  const lower = kind.toLowerCase()
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`
  if (lower.endsWith('s')) return `${lower}es`
  return `${lower}s`
}

const core = (plural: string, kind: string, namespaced: boolean, statusSubresource: boolean): ServedResource => ({
  group: '',
  version: 'v1',
  plural,
  kind,
  namespaced,
  statusSubresource,
  generation: false,
})

/** Read by kubectl describe, which `cluster diags` runs. */
export const EVENTS = core('events', 'Event', true, false)
export const NAMESPACES = core('namespaces', 'Namespace', false, true)
export const NODES = core('nodes', 'Node', false, true)
export const PODS = core('pods', 'Pod', true, true)
/** Read by `cluster diags` (TLS secrets, censored). */
export const SECRETS = core('secrets', 'Secret', true, false)
export const SERVICE_ACCOUNTS = core('serviceaccounts', 'ServiceAccount', true, false)
/** Read by `ipam check` for the load balancer addresses Calico assigns. */
export const SERVICES = core('services', 'Service', true, true)

/** core/v1 in the order discovery lists it (alphabetical). */
export const CORE_RESOURCES = [EVENTS, NAMESPACES, NODES, PODS, SECRETS, SERVICE_ACCOUNTS, SERVICES]

const apps = (plural: string, kind: string): ServedResource => ({ group: 'apps', version: 'v1', plural, kind, namespaced: true, statusSubresource: true, generation: true })

/** apps/v1 workloads, whose pod selectors `cluster diags` follows. */
export const DAEMON_SETS = apps('daemonsets', 'DaemonSet')
export const DEPLOYMENTS = apps('deployments', 'Deployment')
export const STATEFUL_SETS = apps('statefulsets', 'StatefulSet')
export const APPS_RESOURCES = [DAEMON_SETS, DEPLOYMENTS, STATEFUL_SETS]

/** Resources of one Calico API group; the IPAM configuration kind is named differently in each. */
export function calicoResources(group: CalicoGroup): ServedResource[] {
  const version = group === 'crd.projectcalico.org' ? 'v1' : 'v3'
  const ipamConfig = group === 'crd.projectcalico.org' ? 'IPAMConfig' : 'IPAMConfiguration'
  return [...CALICO_KINDS, [ipamConfig] as [string]].map(([kind, namespaced, status]) => ({
    group,
    version,
    plural: pluralOf(kind),
    kind,
    namespaced: namespaced === 'namespaced',
    statusSubresource: status === 'status',
    generation: true,
  }))
}

/** `ippools.crd.projectcalico.org`, or `nodes` for the core group: how API messages name a resource. */
export function qualifiedName(resource: ServedResource): string {
  return resource.group ? `${resource.plural}.${resource.group}` : resource.plural
}

/** `IPPool.crd.projectcalico.org`, or `Node`: how validation messages name a kind. */
export function qualifiedKind(resource: ServedResource): string {
  return resource.group ? `${resource.kind}.${resource.group}` : resource.kind
}

/** apiextensions.k8s.io/v1 CustomResourceDefinitions, which install (or change) a custom resource type. */
export const CUSTOM_RESOURCE_DEFINITIONS: ServedResource = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  plural: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  namespaced: false,
  statusSubresource: true,
  generation: true,
}

/** What a CRD makes the server serve: its storage version, names and scope, the status subresource when it has one. */
export function servedByCrd(crd: {
  spec: { group: string; names: { plural: string; kind: string }; scope: string; versions: Array<{ name: string; storage?: boolean; subresources?: { status?: unknown } }> }
}): ServedResource {
  const version = crd.spec.versions.find((v) => v.storage) ?? crd.spec.versions[0]
  return {
    group: crd.spec.group,
    version: version.name,
    plural: crd.spec.names.plural,
    kind: crd.spec.names.kind,
    namespaced: crd.spec.scope === 'Namespaced',
    statusSubresource: version.subresources?.status !== undefined,
    generation: true,
  }
}
