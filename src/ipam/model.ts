/**
 * Calico IPAM's own data (not v3 resources), as calico-node and the CNI plugin write it: allocation
 * blocks and the cluster-wide IPAM configuration (datastore spec 1.10 for etcd, 2.5 for Kubernetes).
 * Both datastores use the same block field names except `affinity_claim_time`, which is not read here.
 */
import { formatIp, parseCidr, type Cidr } from '../net/cidr.js'

/** One entry of a block's `attributes`, which its allocations point at. */
export interface AllocationAttribute {
  handle_id?: string
  /** The active owner's attributes (`node`, `namespace`, `pod`, `type`, ...). */
  secondary?: Record<string, string>
  alternateOwnerAttrs?: Record<string, string>
  releasedAt?: string
}

export interface AllocationBlock {
  cidr: Cidr
  /** `host:<node>`, `virtual:<name>`, or null for a block no host owns. */
  affinity: string | null
  /** One entry per address of the block: null when free, else an index into `attributes`. */
  allocations: Array<number | null>
  unallocated: number[]
  attributes: AllocationAttribute[]
  deleted: boolean
}

/** A stored block (etcd value or custom resource spec); undefined when its CIDR cannot be read. */
export function parseBlock(value: Record<string, unknown>): AllocationBlock | undefined {
  const cidr = typeof value.cidr === 'string' ? parseCidr(value.cidr) : undefined
  if (!cidr) return undefined
  return {
    cidr,
    affinity: typeof value.affinity === 'string' ? value.affinity : null,
    allocations: Array.isArray(value.allocations) ? value.allocations.map((a) => (typeof a === 'number' ? a : null)) : [],
    unallocated: Array.isArray(value.unallocated) ? value.unallocated.filter((u): u is number => typeof u === 'number') : [],
    attributes: Array.isArray(value.attributes) ? (value.attributes as AllocationAttribute[]).map((a) => a ?? {}) : [],
    deleted: value.deleted === true,
  }
}

/** How many addresses the CIDR holds. */
export function addressCount(cidr: Cidr): bigint {
  return 1n << BigInt((cidr.family === 4 ? 32 : 128) - cidr.prefix)
}

export function ordinalToIp(block: AllocationBlock, ordinal: number): string {
  return formatIp(block.cidr.family, block.cidr.network + BigInt(ordinal))
}

/** The attribute an allocated ordinal points at; undefined when free (or pointing nowhere). */
export function attributeAt(block: AllocationBlock, ordinal: number): AllocationAttribute | undefined {
  const index = block.allocations[ordinal]
  return index === null || index === undefined ? undefined : block.attributes[index]
}

/** The ordinals that are allocated: non-null and pointing at an attribute, as upstream counts them. */
export function allocatedOrdinals(block: AllocationBlock): number[] {
  const ordinals: number[] = []
  block.allocations.forEach((_, ordinal) => {
    if (attributeAt(block, ordinal)) ordinals.push(ordinal)
  })
  return ordinals
}

/** The block containing `ip` when blocks are `blockSize` long: the IP with its host bits cleared. */
export function blockCidrFor(family: 4 | 6, ip: bigint, blockSize: number): Cidr {
  const bits = family === 4 ? 32 : 128
  const network = ip & ~((1n << BigInt(bits - blockSize)) - 1n)
  return parseCidr(`${formatIp(family, network)}/${blockSize}`) as Cidr
}

export type VmAddressPersistence = 'Enabled' | 'Disabled'

/** libcalico-go's IPAMConfig, field for field in upstream's order. */
export interface IpamConfig {
  strictAffinity: boolean
  autoAllocateBlocks: boolean
  maxBlocksPerHost: number
  /** A pointer upstream: unset means Enabled. */
  kubeVirtVMAddressPersistence?: VmAddressPersistence
  ipCooldownSeconds: number
}

/** What upstream uses when no IPAM configuration is stored (GetIPAMConfig's default, kept in memory). */
export const DEFAULT_IPAM_CONFIG: IpamConfig = { strictAffinity: false, autoAllocateBlocks: true, maxBlocksPerHost: 0, kubeVirtVMAddressPersistence: 'Enabled', ipCooldownSeconds: 0 }

/**
 * The IPAM configuration from its stored fields, absent ones as Go's zero values (a stored `{}` has
 * autoAllocateBlocks false). etcd names the two flags in snake_case, the custom resource in camelCase.
 */
export function ipamConfigFromFields(fields: Record<string, unknown>, flagNames = { strictAffinity: 'strictAffinity', autoAllocateBlocks: 'autoAllocateBlocks' }): IpamConfig {
  const config: IpamConfig = {
    strictAffinity: fields[flagNames.strictAffinity] === true,
    autoAllocateBlocks: fields[flagNames.autoAllocateBlocks] === true,
    maxBlocksPerHost: typeof fields.maxBlocksPerHost === 'number' ? fields.maxBlocksPerHost : 0,
    ipCooldownSeconds: typeof fields.ipCooldownSeconds === 'number' ? fields.ipCooldownSeconds : 0,
  }
  if (typeof fields.kubeVirtVMAddressPersistence === 'string') config.kubeVirtVMAddressPersistence = fields.kubeVirtVMAddressPersistence as VmAddressPersistence
  return config
}
