import type { AllocationBlock, IpamConfig } from '../ipam/model.js'
import type { Cidr } from '../net/cidr.js'
import type { KindDefinition } from '../resources/kind.js'
import type { Resource } from '../resources/types.js'

export interface ListResult {
  items: Resource[]
  /** Revision of the whole list (etcd header revision / Kubernetes list resourceVersion). */
  revision: string
}

export interface ListOptions {
  namePrefix?: string
}

/**
 * What every backend offers. Backends return resources with `metadata.resourceVersion` set and map
 * their native failures onto the typed errors in src/errors.ts.
 */
export interface Datastore {
  get(kind: KindDefinition, name: string, namespace?: string, revision?: string): Promise<Resource>
  /**
   * With `namePrefix`, only resources whose name starts with it (libcalico-go's prefix list). The
   * Kubernetes datastore refuses a WorkloadEndpoint prefix that stops before the pod, as upstream's does.
   */
  list(kind: KindDefinition, namespace?: string, options?: ListOptions): Promise<ListResult>
  /** Fails with AlreadyExistsError when the resource exists. */
  create(kind: KindDefinition, resource: Resource): Promise<Resource>
  /** Compare-and-swap on `metadata.resourceVersion`: ConflictError when stale, NotFoundError when gone. */
  update(kind: KindDefinition, resource: Resource): Promise<Resource>
  /** With a revision, the delete only happens when it still matches. Returns the deleted resource. */
  delete(kind: KindDefinition, name: string, namespace?: string, revision?: string): Promise<Resource>
  close(): Promise<void>
  /** Calico IPAM's own data, which is no v3 resource and is kept differently per datastore. */
  ipam?(): IpamStore
}

/** What `calicoctl ipam` reads and writes besides v3 resources. */
export interface IpamStore {
  /** Every allocation block not being deleted, in the datastore's list order. */
  listBlocks(): Promise<AllocationBlock[]>
  /** The block with exactly this CIDR; undefined when there is none. */
  getBlock(cidr: Cidr): Promise<AllocationBlock | undefined>
  /** The stored IPAM configuration and its revision; undefined when none was ever written. */
  getConfig(): Promise<{ config: IpamConfig; revision: string } | undefined>
  /**
   * Overwrites the configuration, read at `revision` (Kubernetes checks it; etcd writes regardless, as
   * upstream). `given` names the fields the user set; the others come from what was read or the default.
   */
  writeConfig(config: IpamConfig, revision: string | undefined, given: ReadonlyArray<keyof IpamConfig>): Promise<void>
}
