import type { FieldError } from '../errors.js'
import { parseCidr } from '../net/cidr.js'
import { specListColumn } from './columns.js'
import { nameColumn, type KindDefinition } from './kind.js'
import { isCidrOrIp } from './networksets.js'
import { asList, goList, tagError } from './rule-checks.js'
import type { Resource } from './types.js'

/**
 * The `cidrs` tag, which checks the list as a whole and so reports it whole, then the CRD schema:
 * its items have `format: cidr`, which only a CIDR passes (Go's net.ParseCIDR), so a bare address
 * the tag accepts still fails there. CRD failures carry the field path and the schema's text, no value.
 */
function check(resource: Resource): FieldError[] {
  const cidrs = asList(resource.spec?.reservedCIDRs)
  const errors: FieldError[] = cidrs.every(isCidrOrIp) ? [] : [tagError('ReservedCIDRs', goList(cidrs), 'cidrs')]
  cidrs.forEach((cidr, i) => {
    if (typeof cidr === 'string' && parseCidr(cidr)) return
    const path = `spec.reservedCIDRs[${i}]`
    errors.push({ name: path, reason: `${path} in body must be of type cidr: ${JSON.stringify(String(cidr))}` })
  })
  return errors
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
