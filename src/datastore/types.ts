import type { KindDefinition } from '../resources/kind.js'
import type { Resource } from '../resources/types.js'

export interface ListResult {
  items: Resource[]
  /** Revision of the whole list (etcd header revision / Kubernetes list resourceVersion). */
  revision: string
}

/**
 * What every backend offers. Backends return resources with `metadata.resourceVersion` set and map
 * their native failures onto the typed errors in src/errors.ts.
 */
export interface Datastore {
  get(kind: KindDefinition, name: string, namespace?: string, revision?: string): Promise<Resource>
  list(kind: KindDefinition, namespace?: string): Promise<ListResult>
  /** Fails with AlreadyExistsError when the resource exists. */
  create(kind: KindDefinition, resource: Resource): Promise<Resource>
  /** Compare-and-swap on `metadata.resourceVersion`: ConflictError when stale, NotFoundError when gone. */
  update(kind: KindDefinition, resource: Resource): Promise<Resource>
  /** With a revision, the delete only happens when it still matches. Returns the deleted resource. */
  delete(kind: KindDefinition, name: string, namespace?: string, revision?: string): Promise<Resource>
  close(): Promise<void>
}
