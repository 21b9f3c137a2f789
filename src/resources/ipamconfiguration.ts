/**
 * IPAMConfiguration: the cluster-wide IPAM settings, a singleton named `default`. Where it is kept
 * differs per datastore (the IPAM library shares it); this module covers what the v3 client does.
 */
import type { FieldError } from '../errors.js'
import { nameColumn, type KindDefinition } from './kind.js'
import type { Resource } from './types.js'

const SINGLETON = 'default'

/** validateIPAMConfigSpec. The CRD's bounds on the same field follow it (crdSchemaErrors). */
function check(resource: Resource): FieldError[] {
  const maxBlocks = resource.spec?.maxBlocksPerHost
  return typeof maxBlocks === 'number' && maxBlocks < 0 ? [{ name: 'MaxBlocksPerHost', value: maxBlocks, reason: 'must be greater than or equal to 0' }] : []
}

/** The client checks the singleton's name only once the validator passes; a plain error, so it is thrown. */
function clientCheckAfterValidation(resource: Resource): FieldError[] {
  if (resource.metadata.name !== SINGLETON) throw new Error(`Cannot create an IPAMConfiguration resource with a name other than "${SINGLETON}"`)
  return []
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
  // No client defaults: Go always writes autoAllocateBlocks and strictAffinity, so even the CRD's
  // defaults for them (true, false) never apply; an omitted autoAllocateBlocks is stored false.
  check,
  clientCheckAfterValidation,
  // crd.projectcalico.org/v1 keeps it as the IPAM library's own object, under another name.
  kdd: { v1Names: { plural: 'ipamconfigs', kind: 'IPAMConfig' } },
}
