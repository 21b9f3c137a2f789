/**
 * Calico IPAM's objects with the revision (and on Kubernetes the uid) each was read at, for the
 * compare-and-swap writes libcalico-go's IPAM makes: blocks, handles and block affinities
 * (datastore spec 1.10 for etcd keys, 2.5 for the custom resources).
 */
import type { StoredBlock } from '../ipam/block.js'
import type { Cidr } from '../net/cidr.js'

export interface Versioned {
  revision: string
  /** Kubernetes: the object's uid, the precondition of its delete. */
  uid?: string
}

export interface BlockKv extends Versioned {
  block: StoredBlock
}

export interface HandleKv extends Versioned {
  id: string
  /** Block CIDR to the number of its addresses the handle holds. */
  block: Record<string, number>
  deleted: boolean
}

export interface AffinityKv extends Versioned {
  host: string
  /** `host` or `virtual`. */
  type: string
  cidr: Cidr
  state: string
  deleted: boolean
  /** Kubernetes: the stored object's labels, written back with it. */
  labels?: Record<string, string>
}

/**
 * The writes fail with ConflictError when the object changed since it was read and NotFoundError
 * when it is gone; deletes of blocks, handles and affinities on Kubernetes mark the object deleted
 * first (there is no compare-and-delete there), as upstream's backend does.
 */
export interface IpamKv {
  /** Every block, including ones marked deleted, in the datastore's order. */
  listBlocks(): Promise<BlockKv[]>
  /** undefined when there is none (on Kubernetes a block marked deleted is finished off first). */
  getBlock(cidr: Cidr): Promise<BlockKv | undefined>
  updateBlock(kv: BlockKv): Promise<BlockKv>
  deleteBlock(kv: BlockKv): Promise<void>
  listHandles(): Promise<HandleKv[]>
  getHandle(id: string): Promise<HandleKv | undefined>
  updateHandle(kv: HandleKv): Promise<HandleKv>
  deleteHandle(kv: HandleKv): Promise<void>
  /** Affinities not marked deleted, optionally of one host and type. */
  listAffinities(filter?: { host: string; type: string }): Promise<AffinityKv[]>
  getAffinity(host: string, type: string, cidr: Cidr): Promise<AffinityKv | undefined>
  updateAffinity(kv: AffinityKv): Promise<AffinityKv>
  deleteAffinity(kv: AffinityKv): Promise<void>
}
