/**
 * libcalico-go's IPAM ReleaseIPs: addresses grouped by block (found through the pool holding the
 * address, else by scanning the blocks), each block read, released, and written back with a
 * compare-and-swap (retried when another writer got there first, so a concurrent allocation is
 * never lost), then the handles' counts decremented.
 */
import type { AffinityKv, BlockKv, HandleKv, IpamKv } from '../datastore/ipam-kv.js'
import type { IpamStore } from '../datastore/types.js'
import { ConflictError, NotFoundError } from '../errors.js'
import { debug } from '../log.js'
import { ipToBigInt, parseCidr, type Cidr } from '../net/cidr.js'
import type { Resource } from '../resources/types.js'
import { blockIsEmpty, garbageCollect, releaseFromBlock, sanitizeHandle, type ReleaseOption } from './block.js'
import { readIpamConfig } from './config.js'
import { addressCount, blockCidrFor } from './model.js'

/** libcalico-go's datastoreRetries. */
export const DATASTORE_RETRIES = 100
/** Blocks released at once (upstream: one goroutine per processor). */
const RELEASE_PARALLELISM = 8

/** Runs `task` over `items` with at most `limit` in flight. */
export async function eachBounded<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await task(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

export interface IpamWriter {
  kv: IpamKv
  store: IpamStore
  /** Every IP pool, disabled ones too. */
  pools(): Promise<Resource[]>
  /** The v3 Node of that name; undefined when there is none. */
  node(name: string): Promise<Resource | undefined>
}

function contains(cidr: Cidr, ip: { family: 4 | 6; value: bigint }): boolean {
  return cidr.family === ip.family && ip.value >= cidr.network && ip.value < cidr.network + addressCount(cidr)
}

/** The block's CIDR an address falls in: from the first pool holding it, else the stored block holding it. */
async function blockFor(pools: Resource[], ip: { family: 4 | 6; value: bigint }, scan: () => Promise<BlockKv[]>): Promise<Cidr | undefined> {
  for (const pool of pools) {
    const cidr = parseCidr(String(pool.spec?.cidr ?? ''))
    if (cidr && contains(cidr, ip)) {
      const size = typeof pool.spec?.blockSize === 'number' ? pool.spec.blockSize : ip.family === 4 ? 26 : 122
      return blockCidrFor(ip.family, ip.value, size)
    }
  }
  debug(`The IP ${ip.value} is not in any configured pool, trying to find the block by full scan.`)
  return (await scan()).find((kv) => contains(kv.block.cidr, ip))?.block.cidr
}

export interface ReleaseResult {
  /** Addresses that were not allocated (or already cooling down). */
  unallocated: string[]
  /** The first error a block's release met, as upstream returns it alongside what it did. */
  error?: Error
}

/** Releases `options` (addresses in their canonical text). */
export async function releaseIps(writer: IpamWriter, options: ReleaseOption[]): Promise<ReleaseResult> {
  for (const o of options) {
    o.handle = o.handle === undefined ? undefined : sanitizeHandle(o.handle)
  }
  const pools = await writer.pools()
  let cached: BlockKv[] | undefined
  const scan = async () => (cached ??= await writer.kv.listBlocks())
  const byBlock = new Map<string, { cidr: Cidr; options: ReleaseOption[] }>()
  const unallocated: string[] = []
  for (const o of options) {
    const ip = ipToBigInt(o.address)
    if (!ip) throw new Error(`invalid IP address: ${o.address}`)
    const cidr = await blockFor(pools, ip, scan)
    if (!cidr) {
      unallocated.push(o.address)
      continue
    }
    const entry = byBlock.get(cidr.text) ?? { cidr, options: [] }
    entry.options.push(o)
    byBlock.set(cidr.text, entry)
  }
  // Several addresses: one list of the handles saves a read per address.
  const handles = new Map<string, HandleKv>()
  if (options.length > 2) for (const h of await writer.kv.listHandles()) handles.set(sanitizeHandle(h.id), h)
  const config = await readIpamConfig(writer.store)
  let error: Error | undefined
  // Blocks rarely compete for anything, so several are released at once, as upstream does.
  await eachBounded([...byBlock.values()], RELEASE_PARALLELISM, async ({ cidr, options: blockOptions }) => {
    try {
      unallocated.push(...(await releaseFromStoredBlock(writer, config.ipCooldownSeconds, handles, blockOptions, cidr)))
    } catch (err) {
      error ??= err as Error
    }
  })
  return { unallocated, error }
}

async function releaseFromStoredBlock(writer: IpamWriter, cooldown: number, handles: Map<string, HandleKv>, options: ReleaseOption[], cidr: Cidr): Promise<string[]> {
  for (let attempt = 0; attempt < DATASTORE_RETRIES; attempt++) {
    const kv = await writer.kv.getBlock(cidr)
    if (!kv || kv.block.deleted) return options.map((o) => o.address)
    garbageCollect(kv.block, cooldown)
    const { unallocated, countByHandle } = releaseFromBlock(kv.block, options, cooldown)
    if (unallocated.length === options.length) return unallocated
    try {
      if (blockIsEmpty(kv.block) && kv.block.affinity === null) await writer.kv.deleteBlock(kv)
      else await writer.kv.updateBlock({ ...kv, block: { ...kv.block, sequenceNumber: kv.block.sequenceNumber + 1n } })
    } catch (err) {
      if (err instanceof ConflictError) {
        debug(`Failed to update block ${cidr.text} - retry #${attempt}`)
        continue
      }
      throw err
    }
    for (const [handle, count] of countByHandle) {
      await decrementHandle(writer.kv, handle, cidr, count, handles.get(handle)).catch((err: Error) => debug(`Failed to decrement handle: ${err.message}`))
    }
    await ensureConsistentAffinity(writer, cooldown, kv.block).catch((err: Error) =>
      debug(`Error ensuring consistent affinity but IP already released. Returning no error: ${err.message}`),
    )
    return unallocated
  }
  throw new Error('Max retries hit - excessive concurrent IPAM requests')
}

/** The handle's count for the block goes down by `count`; a handle left with no block is deleted. */
export async function decrementHandle(kv: IpamKv, id: string, cidr: Cidr, count: number, known?: HandleKv): Promise<void> {
  for (let attempt = 0; attempt < DATASTORE_RETRIES; attempt++) {
    const handle = attempt === 0 && known ? structuredClone(known) : await kv.getHandle(id)
    if (!handle) throw new NotFoundError({ kind: 'IPAMHandle', name: id })
    const current = handle.block[cidr.text]
    if (current === undefined) throw new Error(`Tried to decrement block ${cidr.text} by ${count} but it isn't linked to handle ${id}`)
    if (current - count < 0) throw new Error(`Tried to decrement block ${cidr.text} by ${count} but it only has ${current} addresses on handle ${id}`)
    if (current - count === 0) delete handle.block[cidr.text]
    else handle.block[cidr.text] = current - count
    try {
      if (Object.keys(handle.block).length === 0) await kv.deleteHandle(handle)
      else await kv.updateHandle(handle)
      return
    } catch (err) {
      if (err instanceof ConflictError) continue
      // Deleted meanwhile: nothing is left to decrement.
      if (err instanceof NotFoundError && Object.keys(handle.block).length === 0) return
      throw err
    }
  }
  throw new Error('Max retries hit - excessive concurrent IPAM requests')
}

/**
 * After a release: a block whose pool (the enabled pool holding it) no longer selects the block's
 * host loses its affinity, if it is now empty (libcalico-go's ensureConsistentAffinity).
 */
async function ensureConsistentAffinity(writer: IpamWriter, cooldown: number, block: { affinity: string | null; cidr: Cidr }): Promise<void> {
  const match = /^(host|virtual):(.*)$/.exec(block.affinity ?? '')
  if (!match) throw new Error('could not parse affinity config')
  const [, type, host] = match
  if (!host) return
  const node = await writer.node(host)
  if (!node) return
  const ip = { family: block.cidr.family, value: block.cidr.network }
  const pool = (await writer.pools()).find((p) => {
    const cidr = parseCidr(String(p.spec?.cidr ?? ''))
    return p.spec?.disabled !== true && cidr !== undefined && contains(cidr, ip)
  })
  const selector = String(pool?.spec?.nodeSelector ?? '')
  if (!pool || !selector) return
  const { parseSelector } = await import('../selector/index.js')
  if (parseSelector(selector).evaluate(node.metadata.labels ?? {})) return
  await releaseBlockAffinity(writer, cooldown, host, type, block.cidr, true).catch((err) => {
    if (!(err instanceof BlockClaimConflictError) && !(err instanceof BlockNotEmptyError) && !(err instanceof NotFoundError)) throw err
  })
}

/** An affinity claimed by another host than the one releasing it (libcalico-go's errBlockClaimConflict). */
export class BlockClaimConflictError extends Error {}
/** The block still has addresses in use and had to be empty (errBlockNotEmpty). */
export class BlockNotEmptyError extends Error {}

/**
 * libcalico-go's releaseBlockAffinity: the affinity is marked pendingDeletion, the block deleted
 * when empty or else stripped of its affinity (compare-and-swap), then the affinity deleted.
 */
export async function releaseBlockAffinity(writer: IpamWriter, cooldown: number, host: string, type: string, cidr: Cidr, requireEmpty: boolean): Promise<void> {
  const affinity = await writer.kv.getAffinity(host, type, cidr)
  if (!affinity) throw new NotFoundError({ kind: 'BlockAffinity', name: `${host}/${cidr.text}` })
  const kv = await writer.kv.getBlock(cidr)
  if (!kv) throw new NotFoundError({ kind: 'IPAMBlock', name: cidr.text })
  garbageCollect(kv.block, cooldown)
  const wanted = `${type}:${host}`
  if (kv.block.affinity !== null && kv.block.affinity !== wanted) {
    // A stale affinity: its block went to another host.
    await writer.kv.deleteAffinity(affinity).catch(() => undefined)
    throw new BlockClaimConflictError(`block ${cidr.text} is claimed by ${kv.block.affinity}`)
  }
  if (requireEmpty && !blockIsEmpty(kv.block)) throw new BlockNotEmptyError(`block ${cidr.text} is not empty`)
  const pending: AffinityKv = await writer.kv.updateAffinity({ ...affinity, state: 'pendingDeletion' })
  if (blockIsEmpty(kv.block)) {
    await writer.kv.deleteBlock(kv).catch((err) => {
      if (!(err instanceof NotFoundError)) throw err
    })
  } else {
    const { affinityClaimTime: _claimed, ...rest } = kv.block
    await writer.kv.updateBlock({ ...kv, block: { ...rest, affinity: null, sequenceNumber: kv.block.sequenceNumber + 1n } })
  }
  await writer.kv.deleteAffinity(pending).catch((err) => {
    if (!(err instanceof NotFoundError)) throw err
  })
}

/**
 * RemoveIPAMHost as the node client calls it: every block affine to the host (host type, IPv4 then
 * IPv6) loses its affinity, in use or not; the first failure is returned after trying them all.
 */
export async function releaseHostAffinities(writer: IpamWriter, host: string): Promise<void> {
  const { ipCooldownSeconds } = await readIpamConfig(writer.store)
  let stored: Error | undefined
  const affinities = await writer.kv.listAffinities({ host, type: 'host' })
  for (const family of [4, 6]) {
    for (const affinity of affinities.filter((a) => a.cidr.family === family)) {
      for (let attempt = 0; attempt < DATASTORE_RETRIES; attempt++) {
        try {
          await releaseBlockAffinity(writer, ipCooldownSeconds, host, 'host', affinity.cidr, false)
        } catch (err) {
          if (err instanceof ConflictError) continue
          if (!(err instanceof BlockClaimConflictError) && !(err instanceof NotFoundError)) stored = err as Error
        }
        break
      }
    }
  }
  if (stored) throw stored
}

/** ReleasePoolAffinities: every affinity of a block inside the pool's CIDR, whichever host holds it. */
export async function releasePoolAffinities(writer: IpamWriter, pool: Cidr): Promise<void> {
  const { ipCooldownSeconds } = await readIpamConfig(writer.store)
  for (let round = 0; round < DATASTORE_RETRIES; round++) {
    let again = false
    const byBlock = new Map<string, AffinityKv>()
    for (const a of await writer.kv.listAffinities()) if (contains(pool, { family: a.cidr.family, value: a.cidr.network })) byBlock.set(a.cidr.text, a)
    if (byBlock.size === 0) return
    for (const affinity of byBlock.values()) {
      for (let attempt = 0; attempt < DATASTORE_RETRIES; attempt++) {
        try {
          await releaseBlockAffinity(writer, ipCooldownSeconds, affinity.host, affinity.type, affinity.cidr, false)
        } catch (err) {
          if (err instanceof BlockClaimConflictError) again = true
          else if (err instanceof ConflictError) continue
          else if (!(err instanceof NotFoundError)) throw err
        }
        break
      }
    }
    if (!again) return
  }
  throw new Error('Max retries hit - excessive concurrent IPAM requests')
}
