/**
 * calicoctl's resource-manager steps on a datastore in memory: what a create keeps of the user's
 * metadata, apply as create-or-update, replace and delete with and without a resourceVersion, and
 * the kinds and names calicoctl refuses to touch, with upstream's texts.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { CalicoClient } from '../../src/client/calico-client.js'
import { applyResource, createResource, deleteResource, replaceResource } from '../../src/crud/actions.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import { kindByKind } from '../../src/resources/all-kinds.js'
import type { Resource } from '../../src/resources/types.js'
import { MemoryDatastore } from '../support/memory-datastore.js'

const kind = (name: string) => kindByKind(name) as KindDefinition
let store: MemoryDatastore
let client: CalicoClient
beforeEach(() => {
  store = new MemoryDatastore()
  client = new CalicoClient(store)
})

const set = (name: string, metadata: Record<string, unknown> = {}, nets = ['10.0.0.0/8']): Resource => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'GlobalNetworkSet',
  metadata: { name, ...metadata },
  spec: { nets },
})
// createResource and friends throw at once for what they refuse, else reject.
const failure = (run: () => Promise<unknown>) =>
  Promise.resolve()
    .then(run)
    .then(
    () => 'no error',
    (err: Error) => err.message,
  )

describe('create', () => {
  it("keeps the user's name, labels and annotations, not what the server sets", async () => {
    await createResource(client, kind('GlobalNetworkSet'), set('a', { uid: 'mine', creationTimestamp: '2020-01-01T00:00:00Z', generation: 7, labels: { x: 'y' }, annotations: { n: 'o' } }))
    const stored = store.stored('globalnetworksets/a') as Resource
    expect(stored.metadata.labels).toEqual({ x: 'y' })
    expect(stored.metadata.annotations).toEqual({ n: 'o' })
    expect(stored.metadata.uid).not.toBe('mine')
    expect(stored.metadata.creationTimestamp).not.toBe('2020-01-01T00:00:00Z')
    expect(stored.metadata).not.toHaveProperty('generation')
  })
})

describe('apply', () => {
  it('creates what is missing and updates what exists, keeping its server metadata', async () => {
    await applyResource(client, kind('GlobalNetworkSet'), set('a', { labels: { v: '1' } }))
    const first = store.stored('globalnetworksets/a') as Resource
    await applyResource(client, kind('GlobalNetworkSet'), set('a', { annotations: { n: 'o' } }, ['10.1.0.0/16']))
    const second = store.stored('globalnetworksets/a') as Resource
    expect(second.spec).toEqual({ nets: ['10.1.0.0/16'] })
    expect(second.metadata.uid).toBe(first.metadata.uid)
    expect(second.metadata.creationTimestamp).toBe(first.metadata.creationTimestamp)
    // Labels the new input leaves out are gone; its annotations are stored.
    expect(second.metadata).not.toHaveProperty('labels')
    expect(second.metadata.annotations).toEqual({ n: 'o' })
  })
})

describe('replace', () => {
  it('checks a given resourceVersion against the stored one', async () => {
    await createResource(client, kind('GlobalNetworkSet'), set('a', { labels: { v: '1' } }))
    const revision = (store.stored('globalnetworksets/a') as Resource).metadata.resourceVersion
    expect(await failure(() => replaceResource(client, kind('GlobalNetworkSet'), set('a', { resourceVersion: 'stale' })))).toBe('update conflict: GlobalNetworkSet(a)')
    await replaceResource(client, kind('GlobalNetworkSet'), set('a', { resourceVersion: revision, labels: { v: '2' } }, ['10.2.0.0/16']))
    expect(store.stored('globalnetworksets/a')).toMatchObject({ metadata: { labels: { v: '2' } }, spec: { nets: ['10.2.0.0/16'] } })
  })

  it('of a missing resource fails as the get before it does', async () => {
    expect(await failure(() => replaceResource(client, kind('GlobalNetworkSet'), set('missing')))).toBe('resource does not exist: GlobalNetworkSet(missing) with error: <nil>')
  })
})

describe('delete', () => {
  it('deletes at any revision when none is given, and checks one that is', async () => {
    await createResource(client, kind('GlobalNetworkSet'), set('a'))
    await createResource(client, kind('GlobalNetworkSet'), set('b'))
    expect(await failure(() => deleteResource(client, kind('GlobalNetworkSet'), set('a', { resourceVersion: 'stale' })))).toBe('update conflict: GlobalNetworkSet(a)')
    await deleteResource(client, kind('GlobalNetworkSet'), set('a', { resourceVersion: '' }))
    const revision = (store.stored('globalnetworksets/b') as Resource).metadata.resourceVersion
    await deleteResource(client, kind('GlobalNetworkSet'), set('b', { resourceVersion: revision }))
    expect([store.stored('globalnetworksets/a'), store.stored('globalnetworksets/b')]).toEqual([undefined, undefined])
  })
})

describe('what calicoctl refuses', () => {
  const info = (): Resource => ({ apiVersion: 'projectcalico.org/v3', kind: 'ClusterInformation', metadata: { name: 'default' }, spec: {} })

  it('ClusterInformation, read-only, for every operation', async () => {
    const k = kind('ClusterInformation')
    expect(await failure(() => createResource(client, k, info()))).toBe('operation create or apply is not supported on ClusterInformation')
    expect(await failure(() => applyResource(client, k, info()))).toBe('operation apply is not supported on ClusterInformation: resource is readonly')
    expect(await failure(() => replaceResource(client, k, info()))).toBe('operation apply or replace is not supported on ClusterInformation')
    expect(await failure(() => deleteResource(client, k, info()))).toBe('operation delete is not supported on ClusterInformation')
    expect(store.calls.filter((c) => !c.startsWith('get') && !c.startsWith('list'))).toEqual([])
  })

  it('knp.default. policies, which mirror Kubernetes ones, after reading them as upstream does', async () => {
    const k = kind('NetworkPolicy')
    const policy = (name: string): Resource => ({ apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name, namespace: 'prod' }, spec: { selector: 'all()' } })
    const reason = 'kubernetes network policies must be managed through the kubernetes API'
    expect(await failure(() => createResource(client, k, policy('knp.default.p')))).toBe(`operation create or apply is not supported on NetworkPolicy(prod/knp.default.p): ${reason}`)
    expect(await failure(() => applyResource(client, k, policy('knp.default.p')))).toBe('resource does not exist: NetworkPolicy(prod/knp.default.p) with error: <nil>')
    store.seed(k, { ...policy('knp.default.p'), metadata: { name: 'knp.default.p', namespace: 'prod', uid: 'u', creationTimestamp: '2026-12-01T00:00:00Z' } })
    expect(await failure(() => applyResource(client, k, policy('knp.default.p')))).toBe(`operation apply or replace is not supported on NetworkPolicy(prod/knp.default.p): ${reason}`)
    expect(await failure(() => replaceResource(client, k, policy('knp.default.p')))).toBe(`operation apply or replace is not supported on NetworkPolicy(prod/knp.default.p): ${reason}`)
    expect(await failure(() => deleteResource(client, k, policy('knp.default.p')))).toBe(`operation delete is not supported on NetworkPolicy(prod/knp.default.p): ${reason}`)
    // Only the prefix counts.
    store.seed(kind('Tier'), { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'default', uid: 't', creationTimestamp: '2026-12-01T00:00:00Z' }, spec: { order: 1000000 } })
    await createResource(client, k, policy('my-knp-default'))
    expect(store.stored('networkpolicies/prod/my-knp-default')).toBeDefined()
  })
})
