import type { FieldError } from '../errors.js'
import { parseCidr } from '../net/cidr.js'
import { checkASNumber, normalizeASNumber } from './checks.js'
import { nameColumn, type KindDefinition } from './kind.js'
import type { Resource } from './types.js'

/** Fields only the cluster-wide `default` BGPConfiguration may set, with the Go names used in messages. */
const DEFAULT_ONLY: Array<[field: string, goName: string]> = [
  ['nodeToNodeMeshEnabled', 'nodeToNodeMeshEnabled'],
  ['asNumber', 'ASNumber'],
  ['serviceLoadBalancerIPs', 'ServiceLoadBalancerIPs'],
  ['serviceExternalIPs', 'ServiceExternalIPs'],
  ['serviceClusterIPs', 'ServiceClusterIPs'],
  ['nodeMeshPassword', 'NodeMeshPassword'],
]

function check(resource: Resource): FieldError[] {
  const spec = resource.spec ?? {}
  const errors = checkASNumber(spec, 'asNumber', 'BGPConfiguration.Spec.ASNumber')
  if (resource.metadata.name !== 'default') {
    for (const [field, goName] of DEFAULT_ONLY) {
      const value = spec[field]
      if (value !== undefined && !(Array.isArray(value) && value.length === 0))
        errors.push({
          name: `BGPConfiguration.Spec.${goName.charAt(0).toUpperCase()}${goName.slice(1)}`,
          reason: `Cannot set ${goName} on a non default BGP Configuration.`,
        })
    }
  }
  for (const field of ['serviceClusterIPs', 'serviceExternalIPs', 'serviceLoadBalancerIPs']) {
    for (const block of (spec[field] as Array<{ cidr?: string }> | undefined) ?? []) {
      if (!block.cidr || !parseCidr(block.cidr)) errors.push({ name: 'CIDR', value: block.cidr ?? '', reason: 'Reason: failed to validate Field: CIDR because of Tag: net ' })
    }
  }
  const meshOff = spec.nodeToNodeMeshEnabled === false
  if (meshOff && spec.nodeMeshPassword !== undefined)
    errors.push({ name: 'spec', reason: 'nodeMeshPassword cannot be set when nodeToNodeMeshEnabled is false' })
  if (meshOff && spec.nodeMeshMaxRestartTime !== undefined)
    errors.push({ name: 'spec', reason: 'nodeMeshMaxRestartTime cannot be set when nodeToNodeMeshEnabled is false' })
  return errors
}

const optional = (v: unknown): string => (v === undefined || v === null ? '-' : String(v))

const columns = [
  nameColumn,
  { header: 'LOGSEVERITY', value: (r: Resource) => String(r.spec?.logSeverityScreen ?? '') },
  { header: 'MESHENABLED', value: (r: Resource) => optional(r.spec?.nodeToNodeMeshEnabled) },
  { header: 'ASNUMBER', value: (r: Resource) => optional(r.spec?.asNumber) },
]

export const bgpConfiguration: KindDefinition = {
  kind: 'BGPConfiguration',
  plural: 'bgpconfigurations',
  names: ['bgpconfiguration', 'bgpconfigurations', 'bgpconfig', 'bgpconfigs'],
  namespaced: false,
  schema: 'bgpconfiguration',
  columns: { ps: columns, wide: columns },
  applyDefaults(resource) {
    const spec = (resource.spec ??= {})
    normalizeASNumber(spec, 'asNumber')
    // CRD defaults, which upstream applies client-side in etcd mode.
    spec.logSeverityScreen ??= 'Info'
    spec.serviceLoadBalancerAggregation ??= 'Enabled'
  },
  check,
}
