import type { FieldError } from '../errors.js'
import { ipToBigInt, parseCidr } from '../net/cidr.js'
import { specListColumn } from './columns.js'
import { nameColumn, type KindDefinition } from './kind.js'
import { asList, tagError } from './rule-checks.js'
import type { Resource } from './types.js'

/** cnet.ParseCIDROrIP, behind the `cidr` tag: a CIDR (host bits allowed) or a plain address. */
export function isCidrOrIp(value: unknown): boolean {
  return typeof value === 'string' && (parseCidr(value) !== undefined || ipToBigInt(value) !== undefined)
}

// Calico adds this label itself when it maps a namespace into its internal model; no set may carry it.
const NAMESPACE_LABEL = 'projectcalico.org/namespace'

/**
 * The `omitempty,dive,cidr` tag on each entry of `nets`, then validate(Global)NetworkSet. Upstream
 * keeps the entries as written: nothing is normalised.
 */
function checkNetworkSet(resource: Resource): FieldError[] {
  const errors = asList(resource.spec?.nets).flatMap((net, i) => (isCidrOrIp(net) ? [] : [tagError(`Nets[${i}]`, net, 'cidr')]))
  if (Object.hasOwn(resource.metadata.labels ?? {}, NAMESPACE_LABEL))
    errors.push({ name: 'Metadata.Labels (label)', value: NAMESPACE_LABEL, reason: `${NAMESPACE_LABEL} is not a valid label name` })
  return errors
}

const columns = { ps: [nameColumn], wide: [nameColumn, specListColumn('NETS', 'nets', 80)] }

export const networkSet: KindDefinition = {
  kind: 'NetworkSet',
  plural: 'networksets',
  names: ['networkset', 'networksets', 'netsets'],
  namespaced: true,
  schema: 'networkset',
  columns,
  check: checkNetworkSet,
}

export const globalNetworkSet: KindDefinition = {
  kind: 'GlobalNetworkSet',
  plural: 'globalnetworksets',
  names: ['globalnetworkset', 'globalnetworksets', 'gnetsets'],
  namespaced: false,
  schema: 'globalnetworkset',
  columns,
  check: checkNetworkSet,
}
