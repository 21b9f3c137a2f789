/**
 * An allocation block as libcalico-go's IPAM reads and writes it (model.AllocationBlock), with the
 * block operations `ipam release` and the release-on-delete paths need: release with sequence
 * number and handle checks, the cooldown attribute, garbage collection. Sequence numbers are
 * uint64: bigint here, never a JavaScript number.
 */
import { formatIp, ipToBigInt, parseCidr, type Cidr } from '../net/cidr.js'
import { toGoJson } from '../output/json.js'
import { addressCount } from './model.js'
import { formatGoRFC3339 } from '../resources/go-time.js'

export interface StoredAttribute {
  handle_id?: string
  secondary?: Record<string, string>
  alternateOwnerAttrs?: Record<string, string>
  /** metav1.Time text (RFC 3339, whole seconds). */
  releasedAt?: string
}

export interface StoredBlock {
  cidr: Cidr
  affinity: string | null
  affinityClaimTime?: string
  allocations: Array<number | null>
  unallocated: number[]
  attributes: StoredAttribute[]
  sequenceNumber: bigint
  sequenceNumberForAllocation: Record<string, bigint>
  deleted: boolean
  /** etcd only: the deprecated `hostAffinity`, kept as read. */
  hostAffinity?: string
}

const asBig = (v: unknown): bigint => (typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : 0n)
const asStringMap = (v: unknown): Record<string, string> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 ? (v as Record<string, string>) : undefined

/**
 * A block from its stored JSON (parsed with parseJsonBig): the etcd value or the custom resource's
 * spec (`affinityClaimTime` there, `affinity_claim_time` in etcd). Undefined when the CIDR is unreadable.
 */
export function decodeStoredBlock(value: Record<string, unknown>): StoredBlock | undefined {
  const cidr = typeof value.cidr === 'string' ? parseCidr(value.cidr) : undefined
  if (!cidr) return undefined
  const seqs: Record<string, bigint> = {}
  const rawSeqs = value.sequenceNumberForAllocation
  if (rawSeqs && typeof rawSeqs === 'object') for (const [k, v] of Object.entries(rawSeqs)) seqs[k] = asBig(v)
  const claim = value.affinity_claim_time ?? value.affinityClaimTime
  const block: StoredBlock = {
    cidr,
    affinity: typeof value.affinity === 'string' ? value.affinity : null,
    allocations: Array.isArray(value.allocations) ? value.allocations.map((a) => (typeof a === 'number' ? a : null)) : [],
    unallocated: Array.isArray(value.unallocated) ? value.unallocated.filter((u): u is number => typeof u === 'number') : [],
    attributes: Array.isArray(value.attributes)
      ? value.attributes.map((a: Record<string, unknown> | null) => {
          const attr: StoredAttribute = {}
          if (typeof a?.handle_id === 'string') attr.handle_id = a.handle_id
          const secondary = asStringMap(a?.secondary)
          if (secondary) attr.secondary = secondary
          const alternate = asStringMap(a?.alternateOwnerAttrs)
          if (alternate) attr.alternateOwnerAttrs = alternate
          if (typeof a?.releasedAt === 'string') attr.releasedAt = a.releasedAt
          return attr
        })
      : [],
    sequenceNumber: asBig(value.sequenceNumber),
    sequenceNumberForAllocation: seqs,
    deleted: value.deleted === true,
  }
  if (typeof claim === 'string') block.affinityClaimTime = claim
  if (typeof value.hostAffinity === 'string') block.hostAffinity = value.hostAffinity
  return block
}

/** Go writes a map's keys sorted. */
function sortedMap<T>(map: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(map).sort().map((k) => [k, map[k]]))
}

function encodeAttributes(attributes: StoredAttribute[]): unknown[] {
  return attributes.map((a) => ({
    handle_id: a.handle_id,
    secondary: a.secondary && sortedMap(a.secondary),
    alternateOwnerAttrs: a.alternateOwnerAttrs && sortedMap(a.alternateOwnerAttrs),
    releasedAt: a.releasedAt,
  }))
}

/** The etcd value: Go's json.Marshal of model.AllocationBlock (field order, nil slices as null). */
export function encodeEtcdBlock(b: StoredBlock): string {
  return toGoJson(
    {
      cidr: b.cidr.text,
      affinity: b.affinity,
      affinity_claim_time: b.affinityClaimTime,
      allocations: b.allocations,
      unallocated: b.unallocated,
      attributes: encodeAttributes(b.attributes),
      sequenceNumber: b.sequenceNumber,
      sequenceNumberForAllocation: sortedMap(b.sequenceNumberForAllocation),
      deleted: b.deleted,
      hostAffinity: b.hostAffinity,
    },
    false,
  )
}

/** The ipamblocks custom resource's spec (crd.projectcalico.org/v1 IPAMBlockSpec, field order). */
export function blockCrdSpec(b: StoredBlock): Record<string, unknown> {
  return {
    cidr: b.cidr.text,
    affinity: b.affinity ?? undefined,
    affinityClaimTime: b.affinityClaimTime,
    allocations: b.allocations,
    unallocated: b.unallocated,
    attributes: encodeAttributes(b.attributes),
    sequenceNumber: b.sequenceNumber,
    sequenceNumberForAllocation: sortedMap(b.sequenceNumberForAllocation),
    deleted: b.deleted,
    strictAffinity: false,
  }
}

export function blockSize(b: StoredBlock): number {
  return Number(addressCount(b.cidr))
}

export function ordinalIp(b: StoredBlock, ordinal: number): string {
  return formatIp(b.cidr.family, b.cidr.network + BigInt(ordinal))
}

export function sequenceNumberFor(b: StoredBlock, ordinal: number): bigint {
  return b.sequenceNumberForAllocation[String(ordinal)] ?? 0n
}

/** libcalico-go's sanitizeHandle: malformed handles from a host-local migration end at a `\r`. */
export function sanitizeHandle(handle: string): string {
  return handle.split('\r')[0]
}

export const WINDOWS_RESERVED_HANDLE = 'windows-reserved-ipam-handle'

/** No address in use except Windows' reserved ones. */
export function blockIsEmpty(b: StoredBlock): boolean {
  return b.allocations.every((index) => {
    if (index === null) return true
    const handle = b.attributes[index]?.handle_id
    return handle !== undefined && handle.toLowerCase() === WINDOWS_RESERVED_HANDLE
  })
}

/**
 * A release based on stale information (libcalico-go's ErrorResourceUpdateConflict, whose text
 * names only the address; `why` is its inner ErrorBadSequenceNumber or ErrorBadHandle).
 */
export class ReleaseConflictError extends Error {
  constructor(
    address: string,
    readonly why: string,
  ) {
    super(`update conflict: ${address}`)
    this.name = 'ReleaseConflictError'
  }
}

export interface ReleaseOption {
  address: string
  handle?: string
  sequenceNumber?: bigint
}


/**
 * Marks allocations whose cooldown is over as free again and drops attributes nothing points at,
 * renumbering the rest (libcalico-go's garbageCollect). `fresh` is an attribute released just now
 * in this process: upstream still holds its exact time, an instant before the collection, so with
 * no cooldown it is freed at once. Returns whether the block changed.
 */
export function garbageCollect(b: StoredBlock, cooldownSeconds: number, now: Date = new Date(), fresh?: number): boolean {
  let changed = false
  const used = new Set<number>()
  const cutoff = now.getTime() - cooldownSeconds * 1000
  for (let o = 0; o < b.allocations.length; o++) {
    const index = b.allocations[o]
    if (index === null) continue
    const released = b.attributes[index]?.releasedAt
    let free = released !== undefined
    if (free && cooldownSeconds >= 0) free = (index === fresh ? now.getTime() - 0.5 : Date.parse(released as string)) < cutoff
    if (free) {
      b.allocations[o] = null
      b.unallocated.push(o)
      delete b.sequenceNumberForAllocation[String(o)]
      changed = true
    } else used.add(index)
  }
  const renumber = new Map<number, number>()
  const kept: StoredAttribute[] = []
  b.attributes.forEach((attr, i) => {
    if (!used.has(i)) return
    renumber.set(i, kept.length)
    kept.push(attr)
  })
  if (kept.length !== b.attributes.length) {
    b.attributes = kept
    b.allocations = b.allocations.map((index) => (index === null ? null : (renumber.get(index) ?? null)))
    changed = true
  }
  return changed
}

/**
 * libcalico-go's block release: every address given (duplicates once) is checked against the
 * caller's sequence number and handle, then put into cooldown under one new attribute carrying
 * releasedAt, and the block garbage-collected. Returns the addresses that were not allocated (or
 * already cooling down) and how many were released per handle. Mutates `b`.
 */
export function releaseFromBlock(
  b: StoredBlock,
  options: ReleaseOption[],
  cooldownSeconds: number,
  now: Date = new Date(),
): { unallocated: string[]; countByHandle: Map<string, number> } {
  const unique = new Map<string, ReleaseOption>()
  for (const o of options) unique.set(o.address, o)
  const unallocated: string[] = []
  const countByHandle = new Map<string, number>()
  const ordinals: number[] = []
  for (const [address, opts] of unique) {
    const ip = ipToBigInt(address)
    const ordinal = ip ? Number(ip.value - b.cidr.network) : -1
    if (!ip || ordinal < 0 || ordinal >= blockSize(b)) throw new Error(`IP ${address} not in block ${b.cidr.text}`)
    const stored = sequenceNumberFor(b, ordinal)
    if (opts.sequenceNumber !== undefined && opts.sequenceNumber !== stored)
      throw new ReleaseConflictError(address, `the given sequence number (${opts.sequenceNumber}) does not match (${stored}) when attempting to release IP`)
    const index = b.allocations[ordinal]
    if (index === null || index === undefined || b.attributes[index]?.releasedAt !== undefined) {
      unallocated.push(address)
      continue
    }
    ordinals.push(ordinal)
    const handle = b.attributes[index]?.handle_id
    const handleId = handle === undefined ? '' : sanitizeHandle(handle)
    if (opts.handle && handleId !== opts.handle)
      throw new ReleaseConflictError(address, `the given handle (${opts.handle}) does not match (${handleId}) when attempting to release IP`)
    if (handleId) countByHandle.set(handleId, (countByHandle.get(handleId) ?? 0) + 1)
  }
  if (ordinals.length === 0) return { unallocated, countByHandle }
  const cooldown = b.attributes.length
  b.attributes.push({ releasedAt: formatGoRFC3339(now.getTime()) })
  for (const ordinal of ordinals) {
    b.allocations[ordinal] = cooldown
    b.sequenceNumberForAllocation[String(ordinal)] = b.sequenceNumber
  }
  garbageCollect(b, cooldownSeconds, now, cooldown)
  return { unallocated, countByHandle }
}
