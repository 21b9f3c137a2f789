/**
 * Kinds the Kubernetes datastore derives from core objects instead of storing (datastore spec 2.7,
 * 2.8): Profiles from Namespaces and ServiceAccounts, WorkloadEndpoints from Pods. Writes are
 * refused by the kind's KDD mapping; deleting an endpoint only clears its pod's IP annotations.
 */
import { NotFoundError, type ResourceId } from '../../errors.js'
import { defaultAllowProfile } from '../../resources/profile.js'
import { API_VERSION, type Resource } from '../../resources/types.js'
import { parseWorkloadEndpointName } from '../../resources/workload-names.js'
import type { ListResult } from '../types.js'
import type { KubeObject } from './crd-mapping.js'
import { listAllObjects } from './pager.js'
import { joinProfileRevisions, namespaceToProfile, parseProfileName, serviceAccountToProfile } from './profile-mapping.js'
import type { KubeRest, KubeRequest } from './rest.js'
import { toCalicoError } from './status-errors.js'
import { MALFORMED_NAME, podNameForWorkloadEndpoint, podToWorkloadEndpoints, workloadEndpointDeletePatch } from './workload-mapping.js'

export interface DerivedKind {
  get(name: string, namespace?: string): Promise<Resource>
  /** Those whose name starts with `prefix`. */
  list(namespace: string | undefined, prefix: string): Promise<ListResult>
  delete?(name: string, namespace?: string, revision?: string): Promise<Resource>
}

const namespacedPath = (plural: string, namespace?: string) => (namespace ? `/api/v1/namespaces/${encodeURIComponent(namespace)}/${plural}` : `/api/v1/${plural}`)

async function call<T>(rest: KubeRest, id: ResourceId, req: KubeRequest): Promise<T> {
  try {
    return await rest.request<T>(req)
  } catch (err) {
    throw toCalicoError(err, id)
  }
}

/** Profiles: `projectcalico-default-allow`, then `kns.<namespace>` for each namespace, then `ksa.<ns>.<sa>`. */
export function derivedProfiles(rest: KubeRest, pageSize: number): DerivedKind {
  return {
    async get(name) {
      const id = { kind: 'Profile', name }
      const source = parseProfileName(name)
      switch (source.kind) {
        case 'default-allow':
          return defaultAllowProfile()
        case 'invalid':
          throw new Error(source.error)
        case 'namespace': {
          const path = `/api/v1/namespaces/${encodeURIComponent(source.namespace)}`
          return namespaceToProfile(await call<KubeObject>(rest, id, { method: 'GET', path, resource: 'namespaces', name: source.namespace }))
        }
        case 'service-account': {
          const path = `${namespacedPath('serviceaccounts', source.namespace)}/${encodeURIComponent(source.serviceAccount)}`
          const account = await call<KubeObject>(rest, id, { method: 'GET', path, resource: 'serviceaccounts', name: source.serviceAccount })
          return serviceAccountToProfile(account)
        }
      }
    },
    async list(_namespace, prefix) {
      const id = { kind: 'Profile', name: '' }
      const list = async (path: string, resource: string) => {
        try {
          return await listAllObjects(rest, { path, resource, pageSize })
        } catch (err) {
          throw toCalicoError(err, id)
        }
      }
      const [namespaces, accounts] = await Promise.all([list('/api/v1/namespaces', 'namespaces'), list('/api/v1/serviceaccounts', 'serviceaccounts')])
      const items = [defaultAllowProfile(), ...namespaces.items.map(namespaceToProfile), ...accounts.items.map(serviceAccountToProfile)]
      return {
        items: items.filter((p) => (p.metadata.name ?? '').startsWith(prefix)),
        revision: joinProfileRevisions(namespaces.revision, accounts.revision),
      }
    },
  }
}

/** WorkloadEndpoints: one per scheduled, non-host-network pod. */
export function derivedWorkloadEndpoints(rest: KubeRest, pageSize: number): DerivedKind {
  const endpoints = {
    async get(name: string, namespace?: string): Promise<Resource> {
      const id = { kind: 'WorkloadEndpoint', name, namespace }
      const pod = podNameForWorkloadEndpoint(name)
      if (!pod) throw new NotFoundError(id, MALFORMED_NAME)
      const path = `${namespacedPath('pods', namespace)}/${encodeURIComponent(pod)}`
      const object = await call<KubeObject>(rest, id, { method: 'GET', path, resource: 'pods', name: pod })
      const found = podToWorkloadEndpoints(object).find((wep) => wep.metadata.name === name)
      if (!found) throw new NotFoundError(id)
      return found
    },
    async list(namespace: string | undefined, prefix: string): Promise<ListResult> {
      // The endpoint client reads a name (or prefix) for the pod it names, and cannot do without one.
      if (prefix && !parseWorkloadEndpointName(prefix).pod) throw new NotFoundError({ kind: 'WorkloadEndpoint', name: `${prefix}*`, namespace }, MALFORMED_NAME)
      let pods
      try {
        pods = await listAllObjects(rest, { path: namespacedPath('pods', namespace), resource: 'pods', pageSize })
      } catch (err) {
        throw toCalicoError(err, { kind: 'WorkloadEndpoint', name: '', namespace })
      }
      const items = pods.items.flatMap((pod) => podToWorkloadEndpoints(pod))
      return { items: items.filter((wep) => (wep.metadata.name ?? '').startsWith(prefix)), revision: pods.revision }
    },
    /**
     * The pod stays; its IP annotations are emptied through the status subresource, as the CNI
     * plugin's DEL does. Like upstream, the pod is patched without being read first (a given
     * revision guards the patch), and what is returned is the endpoint of the patched pod.
     */
    async delete(name: string, namespace?: string, revision?: string): Promise<Resource> {
      const id = { kind: 'WorkloadEndpoint', name, namespace }
      const pod = podNameForWorkloadEndpoint(name)
      if (!pod) throw new Error(`insufficient identifiers, missing '${name}'`)
      const path = `${namespacedPath('pods', namespace)}/${encodeURIComponent(pod)}/status`
      const patched = await call<KubeObject>(rest, id, {
        method: 'PATCH',
        path,
        body: workloadEndpointDeletePatch({ resourceVersion: revision }),
        contentType: 'application/strategic-merge-patch+json',
        resource: 'pods',
        name: pod,
      })
      return podToWorkloadEndpoints(patched)[0] ?? { apiVersion: API_VERSION, kind: 'WorkloadEndpoint', metadata: { name, namespace } }
    },
  }
  return endpoints
}
