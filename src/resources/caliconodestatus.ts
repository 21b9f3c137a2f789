/**
 * CalicoNodeStatus: asks calico-node on `spec.node` to report the chosen classes of status every
 * `updatePeriodSeconds`; calico-node fills `status`. Checks are the Go struct tags of the spec; the
 * status's peer lists carry `ip` tags, but the validator does not descend into those lists.
 */
import type { FieldError } from '../errors.js'
import { tagReason } from './checks.js'
import { nameColumn, type KindDefinition } from './kind.js'
import { NAME_PATTERN, asList, asText, goList, tagError } from './rule-checks.js'
import type { Resource } from './types.js'

/** At most one day between updates. */
const MAX_UPDATE_PERIOD = 86400

const required = (field: string, value: string): FieldError => ({ name: field, value, reason: tagReason(field, 'required') })

function checkSpec(spec: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = []
  const node = asText(spec.node)
  if (!node) errors.push(required('Node', ''))
  else if (!NAME_PATTERN.test(node)) errors.push(tagError('Node', node, 'name'))
  // `required` fails only for a missing list: an explicit empty one is a non-nil slice in Go.
  if (spec.classes === undefined) errors.push(required('Classes', '[]'))
  else {
    const classes = asList(spec.classes)
    if (new Set(classes).size !== classes.length) errors.push(tagError('Classes', goList(classes), 'unique'))
  }
  const period = spec.updatePeriodSeconds
  if (typeof period !== 'number') errors.push(required('UpdatePeriodSeconds', '<nil>'))
  else if (period > MAX_UPDATE_PERIOD) errors.push(tagError('UpdatePeriodSeconds', period, 'lte'))
  return errors
}

const nodeColumn = { header: 'NODE', value: (r: Resource) => asText(r.spec?.node) }

export const calicoNodeStatus: KindDefinition = {
  kind: 'CalicoNodeStatus',
  plural: 'caliconodestatuses',
  names: ['caliconodestatus', 'caliconodestatuses', 'nodestatus', 'nodestatuses'],
  namespaced: false,
  schema: 'caliconodestatus',
  columns: {
    ps: [nameColumn, nodeColumn],
    wide: [nameColumn, nodeColumn, { header: 'CLASSES', value: (r) => asList(r.spec?.classes).join(',') }],
  },
  check: (resource) => checkSpec(resource.spec ?? {}),
}
