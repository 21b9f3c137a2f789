import type { CalicoClient } from '../client/calico-client.js'
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
