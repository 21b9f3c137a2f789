import type { FieldError } from '../errors.js'
import { specListColumn } from './columns.js'
import { nameColumn, type KindDefinition } from './kind.js'
import { isCidrOrIp } from './networksets.js'
import { asList, goList, tagError } from './rule-checks.js'
import type { Resource } from './types.js'

/**
 * The `cidrs` tag, which checks the list as a whole and so reports it whole. The CRD's items then
 * have `format: cidr` (the schema's), which only a CIDR passes, so a bare address the tag accepts
 * still fails there.
 */
function check(resource: Resource): FieldError[] {
  const cidrs = asList(resource.spec?.reservedCIDRs)
  return cidrs.every(isCidrOrIp) ? [] : [tagError('ReservedCIDRs', goList(cidrs), 'cidrs')]
}

export const ipReservation: KindDefinition = {
  kind: 'IPReservation',
  plural: 'ipreservations',
  names: ['ipreservation', 'ipreservations', 'reservation', 'reservations'],
  namespaced: false,
  schema: 'ipreservation',
  columns: { ps: [nameColumn], wide: [nameColumn, specListColumn('CIDRS', 'reservedCIDRs', 80)] },
  check,
}
