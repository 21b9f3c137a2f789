/**
 * The Kubernetes datastore (KDD): Calico kinds as custom resources (crd.projectcalico.org/v1, or
 * projectcalico.org/v3 CRDs when only that group is served), Node as the core/v1 Node, with the
 * operations, refusals and error texts of libcalico-go's Kubernetes backend.
 */
import { NotFoundError, NotSupportedError, formatId, type ResourceId } from '../../errors.js'
import type { KindDefinition } from '../../resources/kind.js'
import type { Resource } from '../../resources/types.js'
import type { CalicoAPIConfigSpec } from '../config.js'
import type { Datastore, IpamStore, ListOptions, ListResult } from '../types.js'
import { connectKube, type ConnectOptions } from './connection.js'
import { crdV1Codec, crdV3Codec, type CustomResourceCodec, type KubeObject } from './crd-mapping.js'
import { refuseNewerFields } from './crds.js'
import { derivedProfiles, derivedWorkloadEndpoints, type DerivedKind } from './derived.js'
import { kubernetesIpamStore } from './ipam.js'
import { mergeIntoKubeNode, nodeToCalico } from './node-mapping.js'
import { LIST_PAGE_SIZE, listAllObjects } from './pager.js'
import { limiterFor } from './rate-limit.js'
import { KubeRest, type KubeRequest } from './rest.js'
import { toCalicoError } from './status-errors.js'
import { debug } from '../../log.js'

export interface KubernetesOptions extends ConnectOptions {
  pageSize?: number
}

/**
 * Which group stores the CRDs (datastore spec 2.1): `calicoAPIGroup` when configured, else the v3
 * group only when the server serves it and not crd.projectcalico.org; a failed discovery means v1.
 */
async function chooseCodec(config: CalicoAPIConfigSpec, rest: KubeRest): Promise<CustomResourceCodec> {
  if (config.calicoAPIGroup) return config.calicoAPIGroup.toLowerCase() === 'projectcalico.org/v3' ? crdV3Codec : crdV1Codec
  try {
    // ServerGroups reads the legacy and the named groups; either failing means no discovery.
    const [, groups] = await Promise.all([
      rest.request({ method: 'GET', path: '/api' }),
      rest.request<{ groups?: Array<{ name?: string }> }>({ method: 'GET', path: '/apis' }),
    ])
    const names = new Set((groups.groups ?? []).map((g) => g.name))
    return names.has(crdV3Codec.group) && !names.has(crdV1Codec.group) ? crdV3Codec : crdV1Codec
  } catch (err) {
    debug(`kubernetes: API group discovery failed, using crd.projectcalico.org/v1: ${(err as Error).message}`)
    return crdV1Codec
  }
}

export class KubernetesDatastore implements Datastore {
  private constructor(
    private readonly rest: KubeRest,
    private readonly codec: CustomResourceCodec,
    private readonly options: { pageSize: number; usePodCIDR: boolean },
  ) {}

  static async connect(config: CalicoAPIConfigSpec, options: KubernetesOptions = {}): Promise<KubernetesDatastore> {
    const rest = new KubeRest(await connectKube(config, options), limiterFor(config.k8sClientQPS, config.k8sClientBurst))
    const codec = await chooseCodec(config, rest)
    debug(`kubernetes: Calico resources in ${codec.group}/${codec.version}`)
    return new KubernetesDatastore(rest, codec, { pageSize: options.pageSize ?? LIST_PAGE_SIZE, usePodCIDR: Boolean(config.usePodCIDR) })
  }

  private isNode(kind: KindDefinition): boolean {
    return kind.kdd?.storage === 'node'
  }

  /** Profiles and WorkloadEndpoints, which Kubernetes objects stand for. */
  private derived(kind: KindDefinition): DerivedKind | undefined {
    const storage = kind.kdd?.storage
    if (storage === 'profile') return derivedProfiles(this.rest, this.options.pageSize)
    if (storage === 'workloadendpoint') return derivedWorkloadEndpoints(this.rest, this.options.pageSize)
    return undefined
  }

  private plural(kind: KindDefinition): string {
    return (this.codec.version === 'v1' && kind.kdd?.v1Names?.plural) || kind.plural
  }

  /** `/apis/<group>/<version>[/namespaces/<ns>]/<plural>[/<name>]`, or `/api/v1/nodes[/<name>]`. */
  private path(kind: KindDefinition, name?: string, namespace?: string): string {
    const base = this.isNode(kind)
      ? '/api/v1/nodes'
      : `/apis/${this.codec.group}/${this.codec.version}${kind.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${this.plural(kind)}`
    return name === undefined ? base : `${base}/${encodeURIComponent(name)}`
  }

  private resourceName(kind: KindDefinition): string {
    return this.isNode(kind) ? 'nodes' : `${this.plural(kind)}.${this.codec.group}`
  }

  private async call<T>(kind: KindDefinition, id: ResourceId, req: Omit<KubeRequest, 'resource'>): Promise<T> {
    try {
      return await this.rest.request<T>({ ...req, resource: this.resourceName(kind) })
    } catch (err) {
      throw toCalicoError(err, id)
    }
  }

  private refuse(kind: KindDefinition, operation: 'Create' | 'Update' | 'Delete', id: ResourceId): void {
    const reason = kind.kdd?.refuses?.[operation]
    if (reason !== undefined) throw new NotSupportedError(operation, formatId(id), reason)
  }

  private decode(kind: KindDefinition, object: KubeObject): Resource {
    return this.isNode(kind) ? nodeToCalico(object, { usePodCIDR: this.options.usePodCIDR }) : this.codec.decode(kind, object)
  }

  async get(kind: KindDefinition, name: string, namespace?: string, revision?: string): Promise<Resource> {
    const derived = this.derived(kind)
    if (derived) return derived.get(name, namespace)
    const id = { kind: kind.kind, name, namespace }
    // Only the node client passes the revision on; custom resources are always read at the latest.
    const query = this.isNode(kind) ? { resourceVersion: revision } : undefined
    const object = await this.call<KubeObject>(kind, id, { method: 'GET', path: this.path(kind, name, namespace), query, name })
    return this.decode(kind, object)
  }

  /** Pages through the list with limit/continue; objects that cannot be converted are skipped, as upstream. */
  async list(kind: KindDefinition, namespace?: string, options: ListOptions = {}): Promise<ListResult> {
    const prefix = options.namePrefix ?? ''
    const derived = this.derived(kind)
    if (derived) return derived.list(namespace, prefix)
    let page: { items: KubeObject[]; revision: string }
    try {
      page = await listAllObjects(this.rest, { path: this.path(kind, undefined, namespace), resource: this.resourceName(kind), pageSize: this.options.pageSize })
    } catch (err) {
      const mapped = toCalicoError(err, { kind: kind.kind, name: '', namespace })
      // No such resource type on the server means nothing of the kind is stored (upstream ignores NotFound).
      if (mapped instanceof NotFoundError) return { items: [], revision: '' }
      throw mapped
    }
    const items: Resource[] = []
    for (const object of page.items) {
      try {
        items.push(this.decode(kind, object))
      } catch (err) {
        debug(`kubernetes: skipping ${kind.kind}(${object.metadata?.name ?? ''}): ${(err as Error).message}`)
      }
    }
    return { items: items.filter((r) => (r.metadata.name ?? '').startsWith(prefix)), revision: page.revision }
  }

  async create(kind: KindDefinition, resource: Resource): Promise<Resource> {
    const { name = '', namespace } = resource.metadata
    const id = { kind: kind.kind, name, namespace }
    this.refuse(kind, 'Create', id)
    refuseNewerFields(kind, resource)
    const body = this.codec.encode(kind, resource)
    return this.decode(kind, await this.call<KubeObject>(kind, id, { method: 'POST', path: this.path(kind, undefined, namespace), body, name }))
  }

  async update(kind: KindDefinition, resource: Resource): Promise<Resource> {
    const { name = '', namespace } = resource.metadata
    const id = { kind: kind.kind, name, namespace }
    this.refuse(kind, 'Update', id)
    if (this.isNode(kind)) {
      // Merged into the freshly read Node and written through the status subresource; the caller's
      // resourceVersion is not checked (upstream does the same).
      const current = await this.call<KubeObject>(kind, id, { method: 'GET', path: this.path(kind, name), name })
      const body = mergeIntoKubeNode(resource, current)
      return this.decode(kind, await this.call<KubeObject>(kind, id, { method: 'PUT', path: `${this.path(kind, name)}/status`, body, name }))
    }
    refuseNewerFields(kind, resource)
    const body = this.codec.encode(kind, resource)
    return this.decode(kind, await this.call<KubeObject>(kind, id, { method: 'PUT', path: this.path(kind, name, namespace), body, name }))
  }

  /**
   * Reads the object (it is what delete returns), then deletes it. Kubernetes deletes ignore the
   * resourceVersion; upstream sends no preconditions from calicoctl either. Only a workload
   * endpoint's delete, which patches its pod, is guarded by the revision.
   */
  async delete(kind: KindDefinition, name: string, namespace?: string, revision?: string): Promise<Resource> {
    const id = { kind: kind.kind, name, namespace }
    this.refuse(kind, 'Delete', id)
    const derived = this.derived(kind)
    if (derived?.delete) return derived.delete(name, namespace, revision)
    const existing = await this.get(kind, name, namespace)
    await this.call(kind, id, { method: 'DELETE', path: this.path(kind, name, namespace), body: { kind: 'DeleteOptions', apiVersion: 'v1' }, name })
    return existing
  }

  async close(): Promise<void> {
    this.rest.close()
  }

  ipam(): IpamStore {
    return kubernetesIpamStore(this.rest, { group: this.codec.group, version: this.codec.version, pageSize: this.options.pageSize }, this)
  }
}
