import type { CalicoClient } from '../client/calico-client.js'
import { AlreadyExistsError, ConflictError, NotSupportedError, formatId } from '../errors.js'
import type { KindDefinition } from '../resources/kind.js'
import type { ObjectMeta, Resource } from '../resources/types.js'

/**
 * calicoctl's resourcemgr algorithms on top of the v3 client: what metadata a create keeps,
 * apply = create-or-update, and the update paths with and without a resourceVersion.
 */

const UPDATE_ATTEMPTS = 5
const CONFLICT_BACKOFF_MS = 1000

function refuse(kind: KindDefinition, operation: 'create' | 'apply' | 'replace' | 'delete'): void {
  if (kind.readOnly) throw new Error(kind.readOnly[operation])
}

/**
 * Names calicoctl leaves to their owner (`knp.default.*` policies mirror Kubernetes ones). Upstream
 * names the operation as its resource manager does: a refused create makes apply fall back to update.
 */
function refuseReserved(kind: KindDefinition, resource: Resource, operation: 'create or apply' | 'apply or replace' | 'delete'): void {
  const reserved = kind.reservedPrefix
  const { name = '', namespace } = resource.metadata
  if (reserved && name.startsWith(reserved.prefix)) throw new NotSupportedError(operation, formatId({ kind: kind.kind, name, namespace }), reserved.reason)
}

/** Create keeps only these from the user's metadata; uid and creationTimestamp come from the client. */
function creatableMetadata(m: ObjectMeta): ObjectMeta {
  const kept: ObjectMeta = { name: m.name }
  for (const field of ['namespace', 'resourceVersion', 'labels', 'annotations'] as const) if (m[field] !== undefined) kept[field] = m[field] as never
  return kept
}

export function createResource(client: CalicoClient, kind: KindDefinition, resource: Resource): Promise<Resource> {
  refuse(kind, 'create')
  refuseReserved(kind, resource, 'create or apply')
  return client.create(kind, { ...resource, metadata: creatableMetadata(resource.metadata) })
}

export async function applyResource(client: CalicoClient, kind: KindDefinition, resource: Resource): Promise<Resource> {
  refuse(kind, 'apply')
  const { resourceVersion: _rv, ...metadata } = resource.metadata
  try {
    refuseReserved(kind, resource, 'create or apply')
    return await client.create(kind, { ...resource, metadata: creatableMetadata(metadata) })
  } catch (err) {
    if (err instanceof AlreadyExistsError || err instanceof NotSupportedError) return updateResource(client, kind, resource)
    throw err
  }
}

/** async so that a refusal is a rejection, which label's and patch's handlers word as upstream does. */
export async function replaceResource(client: CalicoClient, kind: KindDefinition, resource: Resource): Promise<Resource> {
  refuse(kind, 'replace')
  return updateResource(client, kind, resource)
}

/** The stored object's server metadata with the user's labels and annotations (absent ones are removed). */
function merge(stored: Resource, input: Resource): Resource {
  const metadata: ObjectMeta = { ...stored.metadata, labels: input.metadata.labels, annotations: input.metadata.annotations }
  if (metadata.labels === undefined) delete metadata.labels
  if (metadata.annotations === undefined) delete metadata.annotations
  return { ...input, metadata }
}

/** Upstream's resource manager reads the stored resource before its update refuses a reserved name. */
async function updateResource(client: CalicoClient, kind: KindDefinition, resource: Resource): Promise<Resource> {
  const { name = '', namespace, resourceVersion } = resource.metadata
  if (resourceVersion) {
    const stored = await client.get(kind, name, namespace)
    if (stored.metadata.resourceVersion !== resourceVersion) throw new ConflictError({ kind: kind.kind, name, namespace })
    refuseReserved(kind, resource, 'apply or replace')
    return client.update(kind, merge(stored, resource))
  }
  for (let attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt++) {
    const stored = await client.get(kind, name, namespace)
    refuseReserved(kind, resource, 'apply or replace')
    try {
      return await client.update(kind, merge(stored, resource))
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err
      await new Promise((resolve) => setTimeout(resolve, CONFLICT_BACKOFF_MS))
    }
  }
  // Upstream formats its never-set outer error variable with %s, which Go prints as `%!s(<nil>)`.
  throw new Error('failed to update the resource: %!s(<nil>)')
}

export function deleteResource(client: CalicoClient, kind: KindDefinition, resource: Resource): Promise<Resource> {
  refuse(kind, 'delete')
  refuseReserved(kind, resource, 'delete')
  const { name = '', namespace, resourceVersion } = resource.metadata
  return client.delete(kind, name, namespace, resourceVersion || undefined)
}
