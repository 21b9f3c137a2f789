import { nameColumn, specField, type Column, type KindDefinition } from './kind.js'
import type { Resource } from './types.js'
import { checkWorkloadEndpoint } from './workload-checks.js'
import { assignOrValidateWorkloadEndpointName, workloadEndpointLabelsForStorage } from './workload-names.js'

/** text/template's output for a string field, or for `join` over a slice (fmt.Sprint of each item). */
const text = (r: Resource, field: string): string => String(specField(r, field) ?? '')
const joined = (r: Resource, field: string, item: (v: unknown) => string = String): string =>
  ((specField(r, field) as unknown[] | undefined) ?? []).map(item).join(',')

/** An IPNAT struct as fmt prints it: `{internal external}`. */
const natText = (nat: unknown): string => {
  const { internalIP = '', externalIP = '' } = (nat ?? {}) as { internalIP?: string; externalIP?: string }
  return `{${internalIP} ${externalIP}}`
}

const workload: Column = { header: 'WORKLOAD', value: (r) => text(r, 'workload') || text(r, 'pod') }
const node: Column = { header: 'NODE', value: (r) => text(r, 'node') }
const networks: Column = { header: 'NETWORKS', value: (r) => joined(r, 'ipNetworks') }
const iface: Column = { header: 'INTERFACE', value: (r) => text(r, 'interfaceName') }
const profiles: Column = { header: 'PROFILES', value: (r) => joined(r, 'profiles') }
const nats: Column = { header: 'NATS', value: (r) => joined(r, 'ipNATs', natText) }

// Upstream refuses endpoint writes from anything but the CNI plugin.
const NOT_CNI = 'unsupported PatchMode: patchModeUnspecified'

export const workloadEndpoint: KindDefinition = {
  kind: 'WorkloadEndpoint',
  plural: 'workloadendpoints',
  names: ['workloadendpoint', 'workloadendpoints', 'wep', 'weps'],
  namespaced: true,
  schema: 'workloadendpoint',
  // No NAME in the short table: the workload and node identify an endpoint for people.
  columns: { ps: [workload, node, networks, iface], wide: [nameColumn, workload, node, networks, iface, profiles, nats] },
  extraColumns: [{ header: 'ORCHESTRATOR', value: (r) => text(r, 'orchestrator') }],
  nameFromSpec(resource) {
    if (!resource.metadata.name) assignOrValidateWorkloadEndpointName(resource)
  },
  applyDefaults(resource) {
    resource.metadata.labels = workloadEndpointLabelsForStorage(resource)
  },
  // The client checks the name (assignOrValidateName) before it validates.
  clientCheck: assignOrValidateWorkloadEndpointName,
  check: checkWorkloadEndpoint,
  kdd: { storage: 'workloadendpoint', refuses: { Create: NOT_CNI, Update: NOT_CNI } },
}
