/**
 * The client's EnsureInitialized (clientv3/client.go), which every create, apply and replace runs
 * first: ClusterInformation `default` created or completed, and the three tiers Calico pins.
 */
import { describe, expect, it } from 'vitest'
import { CalicoClient } from '../../src/client/calico-client.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import { kindByKind } from '../../src/resources/all-kinds.js'
import type { Resource } from '../../src/resources/types.js'
import { MemoryDatastore } from '../support/memory-datastore.js'

const info = kindByKind('ClusterInformation') as KindDefinition
const tier = kindByKind('Tier') as KindDefinition
const GUID = /^[0-9a-f]{32}$/
const storedInfo = (spec: Record<string, unknown>): Resource => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'ClusterInformation',
  metadata: { name: 'default', uid: 'u1', creationTimestamp: '2026-12-01T00:00:00Z' },
  spec,
})

describe('EnsureInitialized on an empty datastore', () => {
  it.each([
    ['etcd', undefined, undefined],
    ['Kubernetes', 'kdd', 'kdd'],
  ])('writes ClusterInformation for %s', async (_name, clusterType, expectedType) => {
    const store = new MemoryDatastore()
    await new CalicoClient(store, { clusterType }).ensureInitialized()
    const written = store.stored('clusterinformations/default')
    expect(written?.spec).toEqual({ clusterGUID: expect.stringMatching(GUID), clusterType: expectedType, datastoreReady: true })
    expect(written?.metadata).toMatchObject({ uid: expect.stringMatching(/^[0-9a-f-]{36}$/), creationTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) })
  })

  it('creates the default, kube-admin and kube-baseline tiers, in that order, with the orders and actions Calico pins', async () => {
    const store = new MemoryDatastore()
    await new CalicoClient(store).ensureInitialized()
    expect(store.calls.filter((c) => c.startsWith('create Tier'))).toEqual(['create Tier(default)', 'create Tier(kube-admin)', 'create Tier(kube-baseline)'])
    expect(store.stored('tiers/default')?.spec).toEqual({ order: 1000000, defaultAction: 'Deny' })
    expect(store.stored('tiers/kube-admin')?.spec).toEqual({ order: 1000, defaultAction: 'Pass' })
    expect(store.stored('tiers/kube-baseline')?.spec).toEqual({ order: 10000000, defaultAction: 'Pass' })
  })

  it('leaves tiers that exist as they are', async () => {
    const store = new MemoryDatastore()
    store.seed(tier, { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'kube-admin' }, spec: { order: 5 } })
    await new CalicoClient(store).ensureInitialized()
    expect(store.stored('tiers/kube-admin')?.spec).toEqual({ order: 5 })
    expect(store.stored('tiers/kube-baseline')?.spec).toEqual({ order: 10000000, defaultAction: 'Pass' })
  })
})

describe('EnsureInitialized on an existing ClusterInformation', () => {
  it('adds a missing cluster GUID and datastoreReady, keeping the other fields', async () => {
    const store = new MemoryDatastore()
    store.seed(info, storedInfo({ calicoVersion: 'v3.31.0', clusterType: 'typha,k8s' }))
    await new CalicoClient(store).ensureInitialized()
    expect(store.stored('clusterinformations/default')?.spec).toEqual({
      calicoVersion: 'v3.31.0',
      clusterType: 'typha,k8s',
      clusterGUID: expect.stringMatching(GUID),
      datastoreReady: true,
    })
  })

  it('keeps a datastore locked by migration (datastoreReady false) locked', async () => {
    const store = new MemoryDatastore()
    store.seed(info, storedInfo({ clusterGUID: 'abc', datastoreReady: false }))
    await new CalicoClient(store).ensureInitialized()
    expect(store.stored('clusterinformations/default')?.spec).toEqual({ clusterGUID: 'abc', datastoreReady: false })
    expect(store.calls).not.toContain('update ClusterInformation(default)')
  })

  it('keeps it locked when it adds a missing cluster GUID', async () => {
    const store = new MemoryDatastore()
    store.seed(info, storedInfo({ datastoreReady: false }))
    await new CalicoClient(store).ensureInitialized()
    expect(store.stored('clusterinformations/default')?.spec).toEqual({ clusterGUID: expect.stringMatching(GUID), datastoreReady: false })
  })

  it.each([
    ['appends kdd to the cluster type', 'k8s,bgp', 'k8s,bgp,kdd'],
    ['sets the cluster type when there is none', '', 'kdd'],
    ['keeps a cluster type that has kdd', 'kdd,k8s', 'kdd,k8s'],
  ])('on Kubernetes %s', async (_what, stored, expected) => {
    const store = new MemoryDatastore()
    store.seed(info, storedInfo({ clusterGUID: 'abc', clusterType: stored, datastoreReady: true }))
    await new CalicoClient(store, { clusterType: 'kdd' }).ensureInitialized()
    expect(store.stored('clusterinformations/default')?.spec).toEqual({ clusterGUID: 'abc', clusterType: expected, datastoreReady: true })
    expect(store.calls.includes('update ClusterInformation(default)')).toBe(stored !== expected)
  })

  it('writes nothing when ClusterInformation is complete', async () => {
    const store = new MemoryDatastore()
    const before = store.seed(info, storedInfo({ clusterGUID: 'abc', datastoreReady: true }))
    await new CalicoClient(store).ensureInitialized()
    expect(store.stored('clusterinformations/default')).toEqual(before)
  })
})
