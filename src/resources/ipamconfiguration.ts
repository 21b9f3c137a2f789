/**
 * IPAMConfiguration: the cluster-wide IPAM settings, a singleton named `default`. Where it is kept
 * differs per datastore (the IPAM library shares it); this module covers what the v3 client does.
 */
import type { FieldError } from '../errors.js'
import { checkMetadata } from './checks.js'
import { nameColumn, type KindDefinition } from './kind.js'
import type { Resource } from './types.js'

const SINGLETON = 'default'

/**
 * The validator's finding on the spec. The singleton name is checked by the client only once the
 * validator passes, and is a plain error rather than a field error, so it is thrown here.
 */
function check(resource: Resource): FieldError[] {
  const maxBlocks = resource.spec?.maxBlocksPerHost
  const errors: FieldError[] =
    typeof maxBlocks === 'number' && maxBlocks < 0
      ? [{ name: 'MaxBlocksPerHost', value: maxBlocks, reason: 'must be greater than or equal to 0' }]
      : []
  if (errors.length === 0 && checkMetadata(resource).length === 0 && resource.metadata.name !== SINGLETON)
    throw new Error(`Cannot create an IPAMConfiguration resource with a name other than "${SINGLETON}"`)
  return errors
}

const flag = (r: Resource, field: string): string => String(r.spec?.[field] === true)

const psColumns = [
  nameColumn,
  { header: 'STRICTAFFINITY', value: (r: Resource) => flag(r, 'strictAffinity') },
  { header: 'AUTOALLOCATEBLOCKS', value: (r: Resource) => flag(r, 'autoAllocateBlocks') },
]

export const ipamConfiguration: KindDefinition = {
  kind: 'IPAMConfiguration',
  plural: 'ipamconfigurations',
  names: ['ipamconfiguration', 'ipamconfigurations', 'ipamconfig', 'ipamconfigs'],
  namespaced: false,
  schema: 'ipamconfiguration',
  columns: {
    ps: psColumns,
    wide: [...psColumns, { header: 'MAXBLOCKSPERHOST', value: (r) => String(r.spec?.maxBlocksPerHost ?? 0) }],
  },
  applyDefaults(resource) {
    // IPAM allocates blocks on demand unless told otherwise; upstream treats the field as on by default.
    ;(resource.spec ??= {}).autoAllocateBlocks ??= true
  },
  check,
  // crd.projectcalico.org/v1 keeps it as the IPAM library's own object, under another name.
  kdd: { v1Names: { plural: 'ipamconfigs', kind: 'IPAMConfig' } },
}
