/**
 * What every CRUD command does around its work, on a datastore in memory: refuse a cluster of
 * another Calico version unless --allow-version-mismatch, close its client whatever happens, and
 * read the global AS number only for the tables that show it.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { CalicoClient } from '../../src/client/calico-client.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import { kindByKind } from '../../src/resources/all-kinds.js'
import { MemoryDatastore } from '../support/memory-datastore.js'

let store: MemoryDatastore
vi.mock('../../src/crud/session.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/crud/session.js')>()),
  checkConfigReadable: () => undefined,
  openClient: async () => new CalicoClient(store),
  openCommandClient: async () => new CalicoClient(store),
}))
const { runGet } = await import('../../src/crud/get.js')
const { runLabel } = await import('../../src/crud/label.js')
const { runPatch } = await import('../../src/crud/patch.js')
const { runDatastoreLock } = await import('../../src/crud/datastore-lock.js')

const seed = (kind: string, name: string, spec: Record<string, unknown>) =>
  store.seed(kindByKind(kind) as KindDefinition, {
    apiVersion: 'projectcalico.org/v3',
    kind,
    metadata: { name, uid: `uid-${name}`, creationTimestamp: '2026-12-01T00:00:00Z' },
    spec,
  })
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ value }),
    (err: Error) => ({ error: err.message }),
  )
const MISMATCH = /version mismatch\.\nClient Version: {3}v\d+\.\d+\.\d+\nCluster Version: {2}3\.20\.1\nUse --allow-version-mismatch to override$/

beforeEach(() => {
  store = new MemoryDatastore()
  seed('GlobalNetworkSet', 'a', { nets: ['10.0.0.0/8'] })
})

describe('a cluster of another Calico version', () => {
  beforeEach(() => {
    seed('ClusterInformation', 'default', { calicoVersion: 'v3.20.1', clusterGUID: 'abc', datastoreReady: true })
  })

  it.each([
    ['get', () => runGet({ output: 'ps', kindArg: 'globalnetworksets' }), 'failed to get resources: '],
    ['label', () => runLabel({ kindArg: 'globalnetworksets', name: 'a', label: 'x=y' }), 'failed to get globalnetworksets a, error '],
    ['patch', () => runPatch({ kindArg: 'globalnetworksets', name: 'a', patch: '{"metadata":{"labels":{"x":"y"}}}' }), ''],
    ['datastore lock', () => runDatastoreLock(true, {}), ''],
  ])('%s refuses it, changing nothing, and closes its client', async (_name, run, prefix) => {
    const result = await outcome(run())
    expect(result).toMatchObject({ error: expect.stringMatching(MISMATCH) })
    expect((result as { error: string }).error.startsWith(`${prefix}version mismatch.`)).toBe(true)
    expect(store.calls.filter((c) => !c.startsWith('get') && !c.startsWith('list'))).toEqual([])
    expect(store.closed).toBe(true)
  })

  it.each([
    ['get', () => runGet({ output: 'ps', kindArg: 'globalnetworksets', allowVersionMismatch: true })],
    ['label', () => runLabel({ kindArg: 'globalnetworksets', name: 'a', label: 'x=y', allowVersionMismatch: true })],
    ['patch', () => runPatch({ kindArg: 'globalnetworksets', name: 'a', patch: '{"metadata":{"labels":{"x":"y"}}}', allowVersionMismatch: true })],
  ])('%s goes ahead with --allow-version-mismatch, and closes its client', async (_name, run) => {
    expect(await outcome(run())).toHaveProperty('value')
    expect(store.closed).toBe(true)
  })
})

describe('get', () => {
  it('closes its client after a failure too', async () => {
    const result = await runGet({ output: 'ps', kindArg: 'globalnetworksets', names: ['missing'] })
    expect(result.error).toBe('resource does not exist: GlobalNetworkSet(missing) with error: <nil>')
    expect(store.closed).toBe(true)
  })

  it('reads the global AS number only for the tables that show it', async () => {
    seed('Node', 'n1', { bgp: { ipv4Address: '10.0.0.1/24' } })
    seed('BGPConfiguration', 'default', { asNumber: 65001 })
    const asRead = () => store.calls.filter((c) => c === 'get BGPConfiguration(default)').length
    await runGet({ output: 'yaml', kindArg: 'nodes' })
    await runGet({ output: 'json', kindArg: 'nodes' })
    await runGet({ output: 'wide', kindArg: 'globalnetworksets' })
    expect(asRead()).toBe(0)
    expect((await runGet({ output: 'wide', kindArg: 'nodes' })).stdout).toContain('(65001)')
    expect(asRead()).toBe(1)
  })

  it('prints a whole kind as its List type at the revision it was read', async () => {
    const out = JSON.parse((await runGet({ output: 'json', kindArg: 'globalnetworksets' })).stdout)
    expect(out).toMatchObject({ kind: 'GlobalNetworkSetList', apiVersion: 'projectcalico.org/v3', items: [{ metadata: { name: 'a' } }] })
    expect(out.metadata.resourceVersion).toEqual(expect.any(String))
  })
})
