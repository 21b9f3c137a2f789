/**
 * libcalico-go's GetUtilization as `ipam show` reports it: per IP pool and per block, the addresses
 * in use, reserved by IPReservations, and free. An address allocated before it was reserved counts
 * as both in use and reserved, so free is what is neither.
 */
import { parseCidr, type Cidr } from '../net/cidr.js'
import type { Resource } from '../resources/types.js'
import { addressCount, allocatedOrdinals, type AllocationBlock } from './model.js'

export interface Usage {
  capacity: bigint
  inUse: bigint
  reserved: bigint
  free: bigint
}

export interface BlockUsage extends Usage {
  cidr: Cidr
}

export interface PoolUsage extends Usage {
  cidr: Cidr
  blocks: BlockUsage[]
}

/** An inclusive address range of one family. */
interface Range {
  family: 4 | 6
  first: bigint
  last: bigint
}

function rangeOf(cidr: Cidr): Range {
  return { family: cidr.family, first: cidr.network, last: cidr.network + addressCount(cidr) - 1n }
}

/** The reserved ranges: each entry of `reservedCIDRs`, trimmed, a CIDR or a bare address. */
function reservedRanges(reservations: Resource[]): Range[] {
  const ranges: Range[] = []
  for (const reservation of reservations) {
    const entries = reservation.spec?.reservedCIDRs
    for (const entry of Array.isArray(entries) ? entries : []) {
      const text = String(entry).trim()
      if (!text) continue
      const cidr = parseCidr(text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`)
      if (cidr) ranges.push(rangeOf(cidr))
    }
  }
  return ranges
}

/** How many addresses of `cidr` the ranges cover, each address once however many ranges hold it. */
function countCovered(cidr: Cidr, ranges: Range[]): bigint {
  const outer = rangeOf(cidr)
  const clipped = ranges
    .filter((r) => r.family === outer.family && r.first <= outer.last && r.last >= outer.first)
    .map((r) => ({ first: r.first > outer.first ? r.first : outer.first, last: r.last < outer.last ? r.last : outer.last }))
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0))
  let total = 0n
  let end = outer.first - 1n
  for (const r of clipped) {
    const start = r.first > end ? r.first : end + 1n
    if (r.last >= start) total += r.last - start + 1n
    if (r.last > end) end = r.last
  }
  return total
}

function isCovered(family: 4 | 6, ip: bigint, ranges: Range[]): boolean {
  return ranges.some((r) => r.family === family && r.first <= ip && ip <= r.last)
}

function free(capacity: bigint, inUse: bigint, reserved: bigint, inUseReserved: bigint): bigint {
  const left = capacity - reserved - (inUse - inUseReserved)
  return left > 0n ? left : 0n
}

interface Tally {
  usage: BlockUsage
  inUseReserved: bigint
}

function blockTally(block: AllocationBlock, ranges: Range[]): Tally {
  const capacity = addressCount(block.cidr)
  const allocated = allocatedOrdinals(block)
  const reserved = countCovered(block.cidr, ranges)
  const inUseReserved = BigInt(allocated.filter((o) => isCovered(block.cidr.family, block.cidr.network + BigInt(o), ranges)).length)
  const inUse = BigInt(allocated.length)
  return { usage: { cidr: block.cidr, capacity, inUse, reserved, free: free(capacity, inUse, reserved, inUseReserved) }, inUseReserved }
}

function overlaps(a: Cidr, b: Cidr): boolean {
  const ra = rangeOf(a)
  const rb = rangeOf(b)
  return ra.family === rb.family && ra.first <= rb.last && rb.first <= ra.last
}

/**
 * One entry per IP pool in list order, then the "orphaned allocation blocks" group: upstream gathers
 * blocks no pool holds under 0.0.0.0/0, so IPv6 blocks without a pool are not reported at all.
 * Each block goes to the first pool it overlaps.
 */
export function utilization(pools: Resource[], blocks: AllocationBlock[], reservations: Resource[]): PoolUsage[] {
  const ranges = reservedRanges(reservations)
  const groups = pools
    .map((pool) => parseCidr(String(pool.spec?.cidr ?? '')))
    .filter((cidr): cidr is Cidr => cidr !== undefined)
  groups.push(parseCidr('0.0.0.0/0') as Cidr)
  const tallies: Tally[][] = groups.map(() => [])
  for (const block of blocks) {
    const index = groups.findIndex((cidr) => overlaps(block.cidr, cidr))
    if (index >= 0) tallies[index].push(blockTally(block, ranges))
  }
  return groups.map((cidr, i) => {
    const capacity = addressCount(cidr)
    const reserved = countCovered(cidr, ranges)
    const inUse = tallies[i].reduce((sum, t) => sum + t.usage.inUse, 0n)
    const inUseReserved = tallies[i].reduce((sum, t) => sum + t.inUseReserved, 0n)
    return { cidr, capacity, inUse, reserved, free: free(capacity, inUse, reserved, inUseReserved), blocks: tallies[i].map((t) => t.usage) }
  })
}
