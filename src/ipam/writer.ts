import type { CalicoClient } from '../client/calico-client.js'
import type { HandleKv } from '../datastore/ipam-kv.js'
import type { Datastore } from '../datastore/types.js'
import { NotFoundError, NotSupportedError } from '../errors.js'
import { knownKind } from '../resources/registry.js'
import type { IpamWriter } from './release.js'

/** The IPAM writer on the client's datastore: its blocks, handles, affinities, configuration and pools. */
export function ipamWriter(client: CalicoClient): IpamWriter {
  return ipamWriterFor(client.store)
}

export function ipamWriterFor(store: Datastore): IpamWriter {
  const kv = store.ipamKv?.()
  const ipam = store.ipam?.()
  if (!kv || !ipam) throw new NotSupportedError('IPAM', 'this datastore')
  return {
    kv,
    store: ipam,
    pools: async () => (await store.list(await knownKind('IPPool'))).items,
    node: async (name) =>
      store.get(await knownKind('Node'), name).catch((err) => {
        if (err instanceof NotFoundError) return undefined
        throw err
      }),
  }
}

/**
 * The uid libcalico-go's KVPair reports for a handle (`ipam check`'s report, compared by `release
 * --from-report`): none on etcd, the v3 view of a crd.projectcalico.org object's uid on Kubernetes.
 */
export async function handleUidReader(store: Datastore): Promise<(h: HandleKv) => string | null> {
  const group = (store as { calicoGroup?: string }).calicoGroup
  if (group === undefined) return () => null
  const { convertUid } = await import('../datastore/kubernetes/uid.js')
  return (h) => (!h.uid ? null : group === 'crd.projectcalico.org' ? convertUid(h.uid) : h.uid)
}
