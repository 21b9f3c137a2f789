/**
 * IPAM's blocks, handles and affinities in etcd at their mod revisions: libcalico-go's v2 keys
 * (`/calico/ipam/v2/assignment/ipv4/block/10.65.0.0-26`, `/calico/ipam/v2/handle/<id>`,
 * `/calico/ipam/v2/host/<node>/ipv4/block/10.65.0.0-26`) and Go's JSON of its model types.
 */
import { decodeStoredBlock, encodeEtcdBlock } from '../../ipam/block.js'
import { parseJson64 } from '../../json64.js'
import { parseCidr, type Cidr } from '../../net/cidr.js'
import { toGoJson } from '../../output/json.js'
import type { AffinityKv, BlockKv, HandleKv, IpamKv } from '../ipam-kv.js'

/** What the etcd datastore offers beyond IpamStore's keys: writes at a revision. */
export interface EtcdRevisionedKeys {
  getKey(key: string): Promise<{ value: string; revision: string } | undefined>
  listKeys(prefix: string): Promise<Array<{ key: string; value: string; revision: string }>>
  putKeyAt(key: string, value: string, revision: string): Promise<string>
  deleteKeyAt(key: string, revision: string): Promise<void>
}

const IPAM = '/calico/ipam/v2/'
const BLOCK_KEY = /^\/calico\/ipam\/v2\/assignment\/ipv.\/block\/([^/]+)$/
const HANDLE_KEY = /^\/calico\/ipam\/v2\/handle\/([^/]+)$/
const AFFINITY_KEY = /^\/calico\/ipam\/v2\/(@|host|virtual)\/([^/]+)\/ipv.\/block\/([^/]+)$/

const cidrSegment = (cidr: Cidr) => cidr.text.replace('/', '-')
const blockKey = (cidr: Cidr) => `${IPAM}assignment/ipv${cidr.family}/block/${cidrSegment(cidr)}`
const handleKey = (id: string) => `${IPAM}handle/${id}`
const affinityKey = (type: string, host: string, cidr: Cidr) => `${IPAM}${type}/${host}/ipv${cidr.family}/block/${cidrSegment(cidr)}`

function parseObject(value: string): Record<string, unknown> | undefined {
  try {
    const parsed = parseJson64(value)
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function toBlock(value: string, revision: string): BlockKv | undefined {
  const raw = parseObject(value)
  const block = raw && decodeStoredBlock(raw)
  return block && { block, revision }
}

function toHandle(id: string, value: string, revision: string): HandleKv | undefined {
  const raw = parseObject(value)
  if (!raw) return undefined
  const block = raw.block && typeof raw.block === 'object' ? { ...(raw.block as Record<string, number>) } : {}
  return { id, block, deleted: raw.deleted === true, revision }
}

function toAffinity(key: string, value: string, revision: string): AffinityKv | undefined {
  const match = AFFINITY_KEY.exec(key)
  const cidr = match && parseCidr(match[3].replace('-', '/'))
  const raw = parseObject(value)
  if (!match || !cidr || !raw) return undefined
  return { type: match[1], host: match[2], cidr, state: String(raw.state ?? ''), deleted: raw.deleted === true, revision }
}

const sorted = (map: Record<string, number>) => Object.fromEntries(Object.keys(map).sort().map((k) => [k, map[k]]))

export function etcdIpamKv(keys: EtcdRevisionedKeys): IpamKv {
  return {
    async listBlocks() {
      const out: BlockKv[] = []
      for (const { key, value, revision } of await keys.listKeys(`${IPAM}assignment/`)) {
        const kv = BLOCK_KEY.test(key) ? toBlock(value, revision) : undefined
        if (kv) out.push(kv)
      }
      return out
    },
    async getBlock(cidr) {
      const stored = await keys.getKey(blockKey(cidr))
      return stored && toBlock(stored.value, stored.revision)
    },
    async updateBlock(kv) {
      return { ...kv, revision: await keys.putKeyAt(blockKey(kv.block.cidr), encodeEtcdBlock(kv.block), kv.revision) }
    },
    async deleteBlock(kv) {
      await keys.deleteKeyAt(blockKey(kv.block.cidr), kv.revision)
    },
    async listHandles() {
      const out: HandleKv[] = []
      for (const { key, value, revision } of await keys.listKeys(`${IPAM}handle/`)) {
        const id = HANDLE_KEY.exec(key)?.[1]
        const kv = id === undefined ? undefined : toHandle(id, value, revision)
        if (kv) out.push(kv)
      }
      return out
    },
    async getHandle(id) {
      const stored = await keys.getKey(handleKey(id))
      return stored && toHandle(id, stored.value, stored.revision)
    },
    async updateHandle(kv) {
      const value = toGoJson({ block: sorted(kv.block), deleted: kv.deleted }, false)
      return { ...kv, revision: await keys.putKeyAt(handleKey(kv.id), value, kv.revision) }
    },
    async deleteHandle(kv) {
      await keys.deleteKeyAt(handleKey(kv.id), kv.revision)
    },
    async listAffinities(filter) {
      const prefix = filter ? `${IPAM}${filter.type}/${filter.host}/` : IPAM
      const out: AffinityKv[] = []
      for (const { key, value, revision } of await keys.listKeys(prefix)) {
        const kv = toAffinity(key, value, revision)
        if (kv) out.push(kv)
      }
      return out
    },
    async getAffinity(host, type, cidr) {
      const key = affinityKey(type, host, cidr)
      const stored = await keys.getKey(key)
      return stored && toAffinity(key, stored.value, stored.revision)
    },
    async updateAffinity(kv) {
      const value = toGoJson({ state: kv.state, deleted: kv.deleted }, false)
      return { ...kv, revision: await keys.putKeyAt(affinityKey(kv.type, kv.host, kv.cidr), value, kv.revision) }
    },
    async deleteAffinity(kv) {
      await keys.deleteKeyAt(affinityKey(kv.type, kv.host, kv.cidr), kv.revision)
    },
  }
}
