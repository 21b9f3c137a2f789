import { AlreadyExistsError, ConflictError, NotFoundError } from '../../src/errors.js'
import type { Datastore, IpamStore, ListResult } from '../../src/datastore/types.js'
import type { AllocationBlock } from '../../src/ipam/model.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import type { Resource } from '../../src/resources/types.js'

/**
 * A datastore in memory with the contract the real backends keep: one revision counter, create
 * fails on an existing key, update and delete compare the resourceVersion, lists come in key order.
 * Tests count the calls and can make the next updates fail.
 */
export class MemoryDatastore implements Datastore {
  private readonly objects = new Map<string, Resource>()
  private revision = 0
  readonly calls: string[] = []
  /** Errors the next updates throw instead of writing, one per call. */
  readonly failUpdates: Error[] = []
  blocks: AllocationBlock[] = []

  private key(kind: KindDefinition, name: string, namespace?: string): string {
    return [kind.plural, kind.namespaced ? namespace : undefined, name].filter((s) => s !== undefined).join('/')
  }

  private stamp(resource: Resource): Resource {
    const stored = structuredClone(resource)
    stored.metadata.resourceVersion = String(++this.revision)
    return stored
  }

  /** Stores the resource as is, as another writer would have. */
  seed(kind: KindDefinition, resource: Resource): Resource {
    const stored = this.stamp(resource)
    this.objects.set(this.key(kind, resource.metadata.name ?? '', resource.metadata.namespace), stored)
    return structuredClone(stored)
  }

  /** What is stored under `<plural>/[<namespace>/]<name>`. */
  stored(key: string): Resource | undefined {
    return this.objects.get(key)
  }

  async get(kind: KindDefinition, name: string, namespace?: string): Promise<Resource> {
    this.calls.push(`get ${kind.kind}(${name})`)
    const found = this.objects.get(this.key(kind, name, namespace))
    if (!found) throw new NotFoundError({ kind: kind.kind, name, namespace })
    return structuredClone(found)
  }

  async list(kind: KindDefinition, namespace?: string): Promise<ListResult> {
    this.calls.push(`list ${kind.kind}`)
    const prefix = kind.namespaced && namespace ? `${kind.plural}/${namespace}/` : `${kind.plural}/`
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort()
    return { items: keys.map((k) => structuredClone(this.objects.get(k) as Resource)), revision: String(this.revision) }
  }

  async create(kind: KindDefinition, resource: Resource): Promise<Resource> {
    const { name = '', namespace } = resource.metadata
    this.calls.push(`create ${kind.kind}(${name})`)
    const key = this.key(kind, name, namespace)
    if (this.objects.has(key)) throw new AlreadyExistsError({ kind: kind.kind, name, namespace })
    const stored = this.stamp(resource)
    this.objects.set(key, stored)
    return structuredClone(stored)
  }

  async update(kind: KindDefinition, resource: Resource): Promise<Resource> {
    const { name = '', namespace, resourceVersion } = resource.metadata
    this.calls.push(`update ${kind.kind}(${name})`)
    const failure = this.failUpdates.shift()
    if (failure) throw failure
    const key = this.key(kind, name, namespace)
    const current = this.objects.get(key)
    if (!current) throw new NotFoundError({ kind: kind.kind, name, namespace })
    if (current.metadata.resourceVersion !== resourceVersion) throw new ConflictError({ kind: kind.kind, name, namespace })
    const stored = this.stamp(resource)
    this.objects.set(key, stored)
    return structuredClone(stored)
  }

  async delete(kind: KindDefinition, name: string, namespace?: string, revision?: string): Promise<Resource> {
    this.calls.push(`delete ${kind.kind}(${name})`)
    const key = this.key(kind, name, namespace)
    const current = this.objects.get(key)
    if (!current) throw new NotFoundError({ kind: kind.kind, name, namespace })
    if (revision && current.metadata.resourceVersion !== revision) throw new ConflictError({ kind: kind.kind, name, namespace })
    this.objects.delete(key)
    return current
  }

  /** Set once a command has closed its client. */
  closed = false

  async close(): Promise<void> {
    this.closed = true
  }

  ipam(): IpamStore {
    return {
      listBlocks: async () => this.blocks,
      getBlock: async (cidr) => this.blocks.find((b) => b.cidr.text === cidr.text),
      getConfig: async () => undefined,
      writeConfig: async () => undefined,
    }
  }
}
