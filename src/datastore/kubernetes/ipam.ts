/**
 * IPAM data in the Kubernetes datastore (datastore spec 2.5): blocks are `ipamblocks` custom
 * resources, the configuration is the `default` IPAMConfiguration (`ipamconfigs` in
 * crd.projectcalico.org/v1), the same object the v3 resource shows.
 */
import { NotFoundError } from '../../errors.js'
import { ipamConfigFromFields, parseBlock, type AllocationBlock, type IpamConfig } from '../../ipam/model.js'
import type { Cidr } from '../../net/cidr.js'
import { ipamConfiguration } from '../../resources/ipamconfiguration.js'
import { API_VERSION, type Resource } from '../../resources/types.js'
import type { Datastore, IpamStore } from '../types.js'
import type { KubeObject } from './crd-mapping.js'
import { listAllObjects } from './pager.js'
import type { KubeRest } from './rest.js'
import { toCalicoError } from './status-errors.js'
import { fieldsNewerThan } from './crds.js'

const CONFIG_NAME = 'default'

/** libcalico-go's names.CIDRToName: `10.65.0.0/26` -> `10-65-0-0-26`, `fd00:10::/122` -> `fd00-10---122`. */
function blockName(cidr: Cidr): string {
  return cidr.text.replace(/[.:/]/g, '-')
}

/** The spec upstream's IPAM config client writes; zero numbers and an unset persistence are omitted. */
function ipamConfigSpec(config: IpamConfig): Record<string, unknown> {
  const spec: Record<string, unknown> = { strictAffinity: config.strictAffinity, autoAllocateBlocks: config.autoAllocateBlocks }
  if (config.maxBlocksPerHost) spec.maxBlocksPerHost = config.maxBlocksPerHost
  if (config.kubeVirtVMAddressPersistence) spec.kubeVirtVMAddressPersistence = config.kubeVirtVMAddressPersistence
  if (config.ipCooldownSeconds) spec.ipCooldownSeconds = config.ipCooldownSeconds
  return spec
}

/** Only name and revision travel with the write, as upstream's conversion builds the object afresh. */
function configResource(config: IpamConfig, revision?: string): Resource {
  return {
    apiVersion: API_VERSION,
    kind: ipamConfiguration.kind,
    metadata: revision === undefined ? { name: CONFIG_NAME } : { name: CONFIG_NAME, resourceVersion: revision },
    spec: ipamConfigSpec(config),
  }
}

const toBlock = (object: KubeObject): AllocationBlock | undefined => (object.spec ? parseBlock(object.spec) : undefined)

/** A block marked deleted is half-way through its two-step delete: a get reads it as gone (a list still shows it). */
function liveBlock(object: KubeObject): AllocationBlock | undefined {
  const block = toBlock(object)
  return block && !block.deleted ? block : undefined
}

export function kubernetesIpamStore(
  rest: KubeRest,
  api: { group: string; version: string; pageSize: number },
  store: Datastore,
): IpamStore {
  const path = `/apis/${api.group}/${api.version}/ipamblocks`
  const resource = `ipamblocks.${api.group}`
  return {
    async listBlocks() {
      let items: KubeObject[]
      try {
        items = (await listAllObjects(rest, { path, resource, pageSize: api.pageSize })).items
      } catch (err) {
        const mapped = toCalicoError(err, { kind: 'IPAMBlock', name: '' })
        // No such resource type: nothing is stored.
        if (mapped instanceof NotFoundError) return []
        throw mapped
      }
      return items.map(toBlock).filter((b): b is AllocationBlock => b !== undefined)
    },
    async getBlock(cidr) {
      const name = blockName(cidr)
      try {
        return liveBlock(await rest.request<KubeObject>({ method: 'GET', path: `${path}/${name}`, resource, name }))
      } catch (err) {
        const mapped = toCalicoError(err, { kind: 'IPAMBlock', name })
        if (mapped instanceof NotFoundError) return undefined
        throw mapped
      }
    },
    async getConfig() {
      try {
        const stored = await store.get(ipamConfiguration, CONFIG_NAME)
        return { config: ipamConfigFromFields(stored.spec ?? {}), revision: stored.metadata.resourceVersion ?? '' }
      } catch (err) {
        if (err instanceof NotFoundError) return undefined
        throw err
      }
    },
    async writeConfig(config, revision, given) {
      const resource = configResource(config, revision)
      // A field the targeted CRDs lack that the user did not set (the default's KubeVirt persistence)
      // is what that API server would drop anyway; one the user set is refused when written.
      for (const { path } of fieldsNewerThan(ipamConfiguration, resource)) {
        const field = path.replace(/^spec\./, '')
        if (resource.spec && !given.includes(field as keyof IpamConfig)) delete resource.spec[field]
      }
      // Upstream's Apply: an update at the revision read, a create when there was nothing to read.
      if (revision === undefined) await store.create(ipamConfiguration, resource)
      else await store.update(ipamConfiguration, resource)
    },
  }
}
