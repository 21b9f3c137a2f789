/**
 * `datastore migrate-policy-names`: default-tier policies stored before Calico v3.32 under a name
 * with the tier's `default.` prefix are rewritten under their v3 name, as kube-controllers'
 * MigratePolicyKVP does: a copy under the new name, then the old entry deleted (at the revision
 * read). A copy that already exists or an old entry already gone counts as done, so a partial run can
 * simply be repeated.
 */
import { CommandError, NotFoundError } from '../errors.js'
import { checkConfigReadable, checkVersionMismatch, openClient } from '../crud/session.js'
import type { EtcdDatastore } from '../datastore/etcd/backend.js'
import { decodeValue, encodeValue } from '../datastore/etcd/codec.js'
import { listPrefix, parseResourceKey, resourceKey } from '../datastore/etcd/keys.js'
import type { KubernetesDatastore } from '../datastore/kubernetes/backend.js'
import { crdV1Codec, crdV3Codec, type KubeObject } from '../datastore/kubernetes/crd-mapping.js'
import { listAllObjects } from '../datastore/kubernetes/pager.js'
import { toCalicoError } from '../datastore/kubernetes/status-errors.js'
import { AlreadyExistsError } from '../errors.js'
import type { KindDefinition } from '../resources/kind.js'
import { knownKind } from '../resources/registry.js'
import type { Resource } from '../resources/types.js'

/** The tiered kinds whose stored name may carry the prefix (upstream's PolicyKinds, in its order). */
const POLICY_KINDS = ['NetworkPolicy', 'GlobalNetworkPolicy', 'StagedNetworkPolicy', 'StagedGlobalNetworkPolicy']

/** Only the default tier's names ever differed: other tiers always required the prefix in both. */
function inDefaultTier(resource: Resource): boolean {
  const tier = resource.spec?.tier
  return tier === undefined || tier === '' || tier === 'default'
}

async function migrateEtcd(store: EtcdDatastore, kind: KindDefinition): Promise<number> {
  let migrated = 0
  for (const { key, value, revision } of await store.listKeys(listPrefix(kind))) {
    const stored = parseResourceKey(kind, key)
    const policy = stored && decodeValue(kind, value, revision)
    if (!stored || !policy || !inDefaultTier(policy) || policy.metadata.name === stored.name) continue
    const name = policy.metadata.name ?? ''
    try {
      await store.createKey(resourceKey(kind, name, stored.namespace), encodeValue(kind, policy))
    } catch (err) {
      throw new CommandError(`create ${kind.kind} "${name}": ${(err as Error).message}`)
    }
    try {
      await store.deleteKeyAt(key, revision, { kind: kind.kind, name: stored.name, namespace: stored.namespace })
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw new CommandError(`delete ${kind.kind} "${stored.name}": ${(err as Error).message}`)
    }
    migrated++
  }
  return migrated
}

async function migrateKubernetes(store: KubernetesDatastore, kind: KindDefinition): Promise<number> {
  const api = store.apiAccess()
  const codec = api.group === crdV1Codec.group ? crdV1Codec : crdV3Codec
  const plural = (api.version === 'v1' && kind.kdd?.v1Names?.plural) || kind.plural
  const resource = `${plural}.${api.group}`
  let objects: KubeObject[]
  try {
    objects = (await listAllObjects(api.rest, { path: `/apis/${api.group}/${api.version}/${plural}`, resource, pageSize: api.pageSize })).items
  } catch (err) {
    const mapped = toCalicoError(err, { kind: kind.kind, name: '' })
    if (mapped instanceof NotFoundError) return 0
    throw new CommandError(`list ${kind.kind}: ${mapped.message}`)
  }
  let migrated = 0
  for (const object of objects) {
    const storedName = object.metadata?.name ?? ''
    const namespace = object.metadata?.namespace
    let policy: Resource
    try {
      policy = codec.decode(kind, object)
    } catch {
      continue
    }
    const name = policy.metadata.name ?? ''
    if (!inDefaultTier(policy) || name === storedName) continue
    const base = `/apis/${api.group}/${api.version}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${plural}`
    // The copy is a new object: the server gives it its own uid, revision and creation time.
    const { uid: _u, resourceVersion: _r, creationTimestamp: _c, ...metadata } = policy.metadata
    const body = codec.encode(kind, { ...policy, metadata })
    try {
      await api.rest.request({ method: 'POST', path: base, body, resource, name })
    } catch (err) {
      const mapped = toCalicoError(err, { kind: kind.kind, name, namespace })
      if (!(mapped instanceof AlreadyExistsError)) throw new CommandError(`create ${kind.kind} "${name}": ${mapped.message}`)
    }
    try {
      const preconditions = { uid: object.metadata?.uid, resourceVersion: object.metadata?.resourceVersion }
      await api.rest.request({ method: 'DELETE', path: `${base}/${encodeURIComponent(storedName)}`, body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions }, resource, name: storedName })
    } catch (err) {
      const mapped = toCalicoError(err, { kind: kind.kind, name: storedName, namespace })
      if (!(mapped instanceof NotFoundError)) throw new CommandError(`delete ${kind.kind} "${storedName}": ${mapped.message}`)
    }
    migrated++
  }
  return migrated
}

export async function runMigratePolicyNames(options: { config?: string; allowVersionMismatch?: boolean }): Promise<string> {
  checkConfigReadable(options.config)
  const client = await openClient(options.config)
  try {
    if (!options.allowVersionMismatch) await checkVersionMismatch(client)
    let migrated = 0
    for (const kindName of POLICY_KINDS) {
      const kind = await knownKind(kindName)
      const store = client.store as unknown as { listKeys?: unknown }
      migrated += store.listKeys ? await migrateEtcd(client.store as EtcdDatastore, kind) : await migrateKubernetes(client.store as KubernetesDatastore, kind)
    }
    return `Policy name migration complete, migrated ${migrated} policies.`
  } finally {
    await client.store.close()
  }
}
