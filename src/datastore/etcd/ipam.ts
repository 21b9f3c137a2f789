/**
 * IPAM data in etcd: libcalico-go's "v2" keys under `/calico/ipam/v2/` (datastore spec 1.10),
 * independent of the v3 resources (the IPAMConfiguration resource is another key).
 */
import { ipamConfigFromFields, parseBlock, type AllocationBlock, type IpamConfig } from '../../ipam/model.js'
import type { Cidr } from '../../net/cidr.js'
import type { IpamStore } from '../types.js'

const BLOCKS_PREFIX = '/calico/ipam/v2/assignment/'
const BLOCK_KEY = /^\/calico\/ipam\/v2\/assignment\/ipv[46]\/block\/[^/]+$/
const CONFIG_KEY = '/calico/ipam/v2/config'

/** The raw key access the etcd datastore offers. */
export interface EtcdKeys {
  getKey(key: string): Promise<{ value: string; revision: string } | undefined>
  listKeys(prefix: string): Promise<Array<{ key: string; value: string }>>
  putKey(key: string, value: string): Promise<void>
}

/** `/calico/ipam/v2/assignment/ipv4/block/10.65.0.0-26`: the canonical CIDR with `-` for `/`. */
function blockKey(cidr: Cidr): string {
  return `${BLOCKS_PREFIX}ipv${cidr.family}/block/${cidr.text.replace('/', '-')}`
}

/** A value that is not JSON of a block is skipped, as libcalico-go's list skips what it cannot parse. */
function decodeBlock(value: string): AllocationBlock | undefined {
  try {
    return parseBlock(JSON.parse(value) as Record<string, unknown>)
  } catch {
    return undefined
  }
}

/** Go's encoding of model.IPAMConfig: snake_case for the first two fields, every field omitempty. */
function encodeEtcdIpamConfig(config: IpamConfig): string {
  const out: Record<string, unknown> = {}
  if (config.strictAffinity) out.strict_affinity = true
  if (config.autoAllocateBlocks) out.auto_allocate_blocks = true
  if (config.maxBlocksPerHost) out.maxBlocksPerHost = config.maxBlocksPerHost
  if (config.kubeVirtVMAddressPersistence) out.kubeVirtVMAddressPersistence = config.kubeVirtVMAddressPersistence
  if (config.ipCooldownSeconds) out.ipCooldownSeconds = config.ipCooldownSeconds
  return JSON.stringify(out)
}

export function etcdIpamStore(keys: EtcdKeys): IpamStore {
  return {
    async listBlocks() {
      const blocks: AllocationBlock[] = []
      for (const { key, value } of await keys.listKeys(BLOCKS_PREFIX)) {
        const block = BLOCK_KEY.test(key) ? decodeBlock(value) : undefined
        // As libcalico-go's List: a block marked deleted is still listed (only a get passes it over).
        if (block) blocks.push(block)
      }
      return blocks
    },
    async getBlock(cidr) {
      const stored = await keys.getKey(blockKey(cidr))
      // Only the Kubernetes backend reads a block marked deleted as gone; etcd's returns what is stored.
      return stored && decodeBlock(stored.value)
    },
    async getConfig() {
      const stored = await keys.getKey(CONFIG_KEY)
      return stored && { config: ipamConfigFromFields(JSON.parse(stored.value || '{}') as Record<string, unknown>, { strictAffinity: 'strict_affinity', autoAllocateBlocks: 'auto_allocate_blocks' }), revision: stored.revision }
    },
    async writeConfig(config) {
      await keys.putKey(CONFIG_KEY, encodeEtcdIpamConfig(config))
    },
  }
}
