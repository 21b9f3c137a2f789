/**
 * The IPAM section of `datastore migrate export`: libcalico-go's IPAM objects read from etcd's
 * `/calico/ipam/v2/` keys (datastore spec 1.10), in the shape upstream's migrateIPAM serialises them
 * (`block_affinities`, `blocks`, `handles`, `config`, each entry `{Key, Value, TTL}` with the model
 * struct as Value, Go's field order and omitempty rules, map keys sorted), Calico node names replaced
 * by Kubernetes node names. Sequence numbers stay bigint where they pass 2^53.
 */
import { parseCidr, type Cidr } from '../net/cidr.js'
import { asBigInt, parseJson64 } from '../json64.js'

/** The raw key access of the etcd datastore. */
export interface EtcdKeyReader {
  getKey(key: string): Promise<{ value: string; revision: string } | undefined>
  listKeys(prefix: string): Promise<Array<{ key: string; value: string }>>
}

type Json = Record<string, unknown>

export interface IpamKv {
  Key: string
  Value: Json
  TTL: number
}

/** migrateIPAM's exported fields, in its JSON field order; empty ones are left out (omitempty). */
export interface MigrationIpam {
  block_affinities?: IpamKv[]
  blocks?: IpamKv[]
  handles?: IpamKv[]
  config?: IpamKv
}

export const IPAM_PREFIX = '/calico/ipam/v2/'
const BLOCK_KEY = /^\/?calico\/ipam\/v2\/assignment\/ipv.\/block\/([^/]+)$/
const AFFINITY_KEY = /^\/?calico\/ipam\/v2\/(@|host|virtual)\/([^/]+)\/ipv.\/block\/([^/]+)$/
const HANDLE_KEY = /^\/?calico\/ipam\/v2\/handle\/([^/]+)$/
export const IPAM_CONFIG_KEY = '/calico/ipam/v2/config'
/** Tunnel addresses' handles end in the node's name (upstream's ipamHandlePrefixes). */
const TUNNEL_HANDLE_PREFIXES = ['ipip-tunnel-addr-', 'vxlan-tunnel-addr-', 'wireguard-tunnel-addr-']

/** The CIDR of a key segment (`10.65.0.0-26`, the first `-` standing for `/`), masked. */
function segmentCidr(segment: string): Cidr | undefined {
  return parseCidr(segment.replace('-', '/'))
}

/** How a CIDR is written into a key. */
export const cidrSegment = (cidr: Cidr): string => cidr.text.replace('/', '-')

export const blockKey = (cidr: Cidr): string => `${IPAM_PREFIX}assignment/ipv${cidr.family}/block/${cidrSegment(cidr)}`
export const affinityKey = (type: string, host: string, cidr: Cidr): string => `${IPAM_PREFIX}${type}/${host}/ipv${cidr.family}/block/${cidrSegment(cidr)}`
export const handleKey = (id: string): string => `${IPAM_PREFIX}handle/${id}`

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A map written by Go: keys in byte order; null when absent. */
function sortedMap(value: unknown): Json | null {
  if (!isObject(value)) return null
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/** metav1.Time as Go writes it back: RFC 3339 in UTC, whole seconds. */
export function goTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) throw new Error(`parsing time ${JSON.stringify(value)} as RFC 3339 failed`)
  return date.toISOString().replace(/\.\d+Z$/, 'Z')
}

function stringMap(value: unknown): Record<string, string> | undefined {
  const map = sortedMap(value)
  return map && Object.keys(map).length > 0 ? (map as Record<string, string>) : undefined
}

/** model.AllocationAttribute: every field omitempty. */
function attribute(value: unknown): Json {
  const a = isObject(value) ? value : {}
  return {
    handle_id: typeof a.handle_id === 'string' ? a.handle_id : undefined,
    secondary: stringMap(a.secondary),
    alternateOwnerAttrs: stringMap(a.alternateOwnerAttrs),
    releasedAt: goTime(a.releasedAt),
  }
}

/** A uint64 as Go reads it; a value it would refuse makes the block unreadable. */
function uint64(value: unknown, field: string): bigint | number {
  if (value === undefined || value === null) return 0
  const n = asBigInt(value)
  if (n === undefined || n < 0n || n >= 1n << 64n) throw new Error(`cannot read ${field} ${String(value)} as uint64`)
  return typeof value === 'number' ? value : n
}

function intArray(value: unknown, nullable: boolean): Array<number | null> | null {
  if (value === undefined || value === null) return null
  if (!Array.isArray(value)) throw new Error('not an array')
  return value.map((v) => {
    if (v === null && nullable) return null
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`cannot read ${String(v)} as int`)
    return v
  })
}

/** model.AllocationBlock decoded and encoded again, in its field order. */
export function goBlock(stored: Json, cidr: Cidr): Json {
  const sequence = sortedMap(stored.sequenceNumberForAllocation)
  if (sequence) for (const [ordinal, n] of Object.entries(sequence)) sequence[ordinal] = uint64(n, 'sequenceNumberForAllocation')
  return {
    cidr: cidr.text,
    affinity: typeof stored.affinity === 'string' ? stored.affinity : null,
    affinity_claim_time: goTime(stored.affinity_claim_time),
    allocations: intArray(stored.allocations, true),
    unallocated: intArray(stored.unallocated, false),
    attributes: Array.isArray(stored.attributes) ? stored.attributes.map(attribute) : null,
    sequenceNumber: uint64(stored.sequenceNumber, 'sequenceNumber'),
    sequenceNumberForAllocation: sequence,
    deleted: stored.deleted === true,
    hostAffinity: typeof stored.hostAffinity === 'string' ? stored.hostAffinity : undefined,
  }
}

/** model.AllocationBlock.Host(): the name after `host:` or `virtual:`. */
function blockHost(affinity: unknown): string {
  if (typeof affinity !== 'string') return ''
  for (const prefix of ['host:', 'virtual:']) if (affinity.startsWith(prefix)) return affinity.slice(prefix.length)
  return ''
}

/** A tunnel address's handle renamed after the node's Kubernetes name. */
function mappedHandle(id: string, nodes: Map<string, string> | undefined): string {
  let result = id
  for (const prefix of TUNNEL_HANDLE_PREFIXES) {
    const mapped = id.startsWith(prefix) ? nodes?.get(id.slice(prefix.length)) : undefined
    if (mapped !== undefined) result = `${prefix}${mapped}`
  }
  return result
}

/** Upstream's node-name rewrite of a block: owners, tunnel handles, then the affinity. */
function mapBlock(block: Json, nodes: Map<string, string>): void {
  for (const attr of (block.attributes as Json[] | null) ?? []) {
    const owner = attr.secondary as Record<string, string> | undefined
    const ownerNode = owner && nodes.get(owner.node ?? '')
    if (owner && ownerNode !== undefined) owner.node = ownerNode
    const alternate = attr.alternateOwnerAttrs as Record<string, string> | undefined
    const alternateNode = alternate && nodes.get(alternate.node ?? '')
    if (alternate && alternateNode !== undefined) alternate.node = alternateNode
    if (typeof attr.handle_id === 'string') attr.handle_id = mappedHandle(attr.handle_id, nodes)
  }
  const host = nodes.get(blockHost(block.affinity))
  if (host !== undefined) block.affinity = `host:${host}`
}

/** A stored value as libcalico-go parses it; undefined when it cannot (the list then skips it, as upstream's). */
function parseStored(value: string): Json | undefined {
  try {
    const parsed = parseJson64(value)
    return isObject(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}

/**
 * Reads every block, host affinity and handle, and the IPAM configuration, as upstream's
 * PullFromDatastore does. `nodes` maps Calico node names to Kubernetes node names.
 */
export async function pullIpam(keys: EtcdKeyReader, nodes?: Map<string, string>): Promise<MigrationIpam> {
  const [blockKvs, affinityKvs, handleKvs, config] = await Promise.all([
    keys.listKeys(`${IPAM_PREFIX}assignment/`),
    keys.listKeys(`${IPAM_PREFIX}host/`),
    keys.listKeys(`${IPAM_PREFIX}handle/`),
    keys.getKey(IPAM_CONFIG_KEY),
  ])
  const blocks: IpamKv[] = []
  for (const { key, value } of blockKvs) {
    const match = BLOCK_KEY.exec(key)
    const cidr = match && segmentCidr(match[1])
    const stored = cidr && parseStored(value)
    if (!cidr || !stored) continue
    let block: Json
    try {
      block = goBlock(stored, cidr)
    } catch {
      continue
    }
    if (nodes) mapBlock(block, nodes)
    blocks.push({ Key: blockKey(cidr), Value: block, TTL: 0 })
  }
  const affinities: IpamKv[] = []
  for (const { key, value } of affinityKvs) {
    const match = AFFINITY_KEY.exec(key)
    const cidr = match && segmentCidr(match[3])
    // Affinities were once stored without a value: read as `{}`.
    const stored = cidr && parseStored(value === '' ? '{}' : value)
    if (!match || !cidr || !stored) continue
    const host = nodes?.get(match[2]) ?? match[2]
    affinities.push({ Key: affinityKey(match[1], host, cidr), Value: { state: typeof stored.state === 'string' ? stored.state : '', deleted: stored.deleted === true }, TTL: 0 })
  }
  const handles: IpamKv[] = []
  for (const { key, value } of handleKvs) {
    const match = HANDLE_KEY.exec(key)
    const stored = match && parseStored(value)
    if (!match || !stored) continue
    handles.push({ Key: handleKey(mappedHandle(match[1], nodes)), Value: { block: sortedMap(stored.block), deleted: stored.deleted === true }, TTL: 0 })
  }
  const ipam: MigrationIpam = {}
  if (affinities.length > 0) ipam.block_affinities = affinities
  if (blocks.length > 0) ipam.blocks = blocks
  if (handles.length > 0) ipam.handles = handles
  const storedConfig = config && parseStored(config.value)
  if (storedConfig) ipam.config = { Key: IPAM_CONFIG_KEY, Value: goIpamConfig(storedConfig), TTL: 0 }
  return ipam
}

/** model.IPAMConfig: every field omitempty, the two flags in snake_case. */
export function goIpamConfig(stored: Json): Json {
  const number = (v: unknown) => (typeof v === 'number' && v !== 0 ? v : undefined)
  return {
    strict_affinity: stored.strict_affinity === true ? true : undefined,
    auto_allocate_blocks: stored.auto_allocate_blocks === true ? true : undefined,
    maxBlocksPerHost: number(stored.maxBlocksPerHost),
    kubeVirtVMAddressPersistence: typeof stored.kubeVirtVMAddressPersistence === 'string' && stored.kubeVirtVMAddressPersistence !== '' ? stored.kubeVirtVMAddressPersistence : undefined,
    ipCooldownSeconds: number(stored.ipCooldownSeconds),
  }
}
