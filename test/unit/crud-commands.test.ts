/**
 * The CRUD commands' algorithms (src/crud) on a datastore in memory: what each prints and what it
 * leaves stored. The integration tests run the same commands on etcd and Kubernetes; these reach
 * the branches without starting either, so the mutation run (`npm run mutation`) sees them too.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { CalicoClient } from '../../src/client/calico-client.js'
import { CommandError } from '../../src/errors.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import { kindByKind } from '../../src/resources/all-kinds.js'
import type { Resource } from '../../src/resources/types.js'
import { MemoryDatastore } from '../support/memory-datastore.js'

let store: MemoryDatastore
vi.mock('../../src/crud/session.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/crud/session.js')>()),
  checkConfigReadable: () => undefined,
  openClient: async () => new CalicoClient(store),
  openCommandClient: async () => new CalicoClient(store),
}))

const { runModify } = await import('../../src/crud/modify.js')
const { runGet } = await import('../../src/crud/get.js')
const { runLabel } = await import('../../src/crud/label.js')
const { runValidate } = await import('../../src/crud/validate.js')
const { runDatastoreLock } = await import('../../src/crud/datastore-lock.js')
const { printClusterVersion } = await import('../../src/crud/cluster-version.js')
const { checkVersionMismatch } = await import('../../src/crud/session.js')

const kind = (name: string) => kindByKind(name) as KindDefinition
const doc = (k: string, name: string, body: string, namespace = '') =>
  `apiVersion: projectcalico.org/v3\nkind: ${k}\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}${body}`
const pool = (name: string, cidr: string) => doc('IPPool', name, `spec:\n  cidr: ${cidr}\n`)
const netSet = (name: string, nets = '[10.0.0.0/8]', labels = '') => doc('GlobalNetworkSet', name, `${labels}spec:\n  nets: ${nets}\n`)
const input = (...docs: string[]) => ({ filename: '-', stdin: async () => docs.join('---\n') })

/** A resource as the client would have stored it. */
function seed(k: string, name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): Resource {
  return store.seed(kind(k), {
    apiVersion: 'projectcalico.org/v3',
    kind: k,
    metadata: { name, uid: `uid-${name}`, creationTimestamp: '2026-12-01T00:00:00Z', ...metadata },
    spec,
  })
}

beforeEach(() => {
  store = new MemoryDatastore()
})

describe('create, apply, replace and delete', () => {
  it('create reports every resource and initialises the datastore first', async () => {
    expect(await runModify('create', input(pool('p1', '10.1.0.0/16'), pool('p2', '10.2.0.0/16')))).toEqual({
      stdout: ["Successfully created 2 'IPPool' resource(s)"],
    })
    const writes = store.calls.filter((c) => c.startsWith('create'))
    expect(writes).toEqual(['create ClusterInformation(default)', 'create Tier(default)', 'create Tier(kube-admin)', 'create Tier(kube-baseline)', 'create IPPool(p1)', 'create IPPool(p2)'])
    expect(store.stored('ippools/p2')?.spec).toMatchObject({ cidr: '10.2.0.0/16', blockSize: 26 })
  })

  it('create fails on an existing resource unless told to skip it', async () => {
    seed('GlobalNetworkSet', 'a', { nets: ['10.0.0.0/8'] })
    const twice = input(netSet('a', '[192.168.0.0/16]'), netSet('b'))
    expect(await runModify('create', twice)).toEqual({ stdout: [], error: 'hit error: [resource already exists: GlobalNetworkSet(a) with error: <nil>]' })
    store = new MemoryDatastore()
    seed('GlobalNetworkSet', 'a', { nets: ['10.0.0.0/8'] })
    expect(await runModify('create', { ...twice, skipExists: true })).toEqual({ stdout: ["Successfully created 2 'GlobalNetworkSet' resource(s)"] })
    expect(store.stored('globalnetworksets/a')?.spec).toEqual({ nets: ['10.0.0.0/8'] })
  })

  it('counts several kinds without naming one', async () => {
    expect(await runModify('apply', input(netSet('a'), pool('p1', '10.1.0.0/16')))).toEqual({ stdout: ['Successfully applied 2 resource(s)'] })
  })

  it('reports a failed resource with where it is in the input', async () => {
    const report = await runModify('apply', input(netSet('a'), netSet('b', '[10.0.0.0/33]'), netSet('c')))
    expect(report).toEqual({
      stdout: ['Partial success: applied the first 2 out of 3 \'GlobalNetworkSet\' resources:'],
      error: "hit error: [error with field Nets[0] = '10.0.0.0/33' (Reason: failed to validate Field: Nets[0] because of Tag: cidr )]",
      details: ['  at stdin: document 2, line 13 (spec.nets[0])'],
    })
  })

  it('apply updates an existing resource, keeping what only the datastore knows', async () => {
    const before = seed('GlobalNetworkSet', 'a', { nets: ['10.0.0.0/8'] }, { labels: { old: 'x' } })
    expect(await runModify('apply', input(netSet('a', '[192.168.0.0/16]', '  labels:\n    new: fresh\n')))).toEqual({
      stdout: ["Successfully applied 1 'GlobalNetworkSet' resource(s)"],
    })
    expect(store.stored('globalnetworksets/a')).toMatchObject({
      metadata: { uid: before.metadata.uid, creationTimestamp: '2026-12-01T00:00:00Z', labels: { new: 'fresh' } },
      spec: { nets: ['192.168.0.0/16'] },
    })
  })

  it('replace needs the resource to exist, and keeps only its last error', async () => {
    expect(await runModify('replace', input(netSet('a'), netSet('b')))).toEqual({
      stdout: ["Partial success: replaced the first 2 out of 2 'GlobalNetworkSet' resources:"],
      error: 'hit error: resource does not exist: GlobalNetworkSet(b) with error: <nil>',
    })
    seed('GlobalNetworkSet', 'a', { nets: ['10.0.0.0/8'] })
    expect(await runModify('replace', input(netSet('a', '[192.168.0.0/16]')))).toEqual({ stdout: ["Successfully replaced 1 'GlobalNetworkSet' resource(s)"] })
  })

  it('replace with a stale resourceVersion is a conflict', async () => {
    seed('GlobalNetworkSet', 'a', { nets: ['10.0.0.0/8'] })
    const stale = doc('GlobalNetworkSet', 'a', "  resourceVersion: '999'\nspec:\n  nets: [192.168.0.0/16]\n")
    expect((await runModify('replace', input(stale))).error).toBe('hit error: update conflict: GlobalNetworkSet(a)')
  })

  it('delete by kind and name, with and without --skip-not-exists', async () => {
    seed('GlobalNetworkSet', 'a', { nets: ['10.0.0.0/8'] })
    expect(await runModify('delete', { kindArg: 'globalnetworksets', names: ['a', 'b'] })).toEqual({
      stdout: ["Successfully deleted 1 'GlobalNetworkSet' resource(s)"],
      error: "Failed to delete 'GlobalNetworkSet' resource: resource does not exist: GlobalNetworkSet(b) with error: <nil>\n",
    })
    expect(store.stored('globalnetworksets/a')).toBeUndefined()
    expect(await runModify('delete', { kindArg: 'globalnetworksets', names: ['b'], skipNotExists: true })).toEqual({
      stdout: ["Successfully deleted 1 'GlobalNetworkSet' resource(s)"],
    })
    // Delete never initialises the datastore.
    expect(store.calls.filter((c) => !c.startsWith('get') && !c.startsWith('delete'))).toEqual([])
  })

  it.each<[string, Parameters<typeof runModify>[1], string]>([
    ['a kind without names', { kindArg: 'ippool', names: [] }, 'no resources specified'],
    ['no kind and no file', {}, 'no resource type specified: give a KIND (e.g. ippool) or -f FILE'],
    ['an empty name', { kindArg: 'ippool', names: [''] }, 'resource name may not be empty'],
    ['an unknown kind', { kindArg: 'nosuchthing', names: ['a'] }, 'resource type \'nosuchthing\' is not supported'],
  ])('refuses %s', async (_what, options, message) => {
    await expect(runModify('delete', options)).rejects.toThrow(message)
  })

  it('refuses input without resources, unless told to skip empty input', async () => {
    await expect(runModify('apply', { filename: '-', stdin: async () => '' })).rejects.toThrow('no resources specified in file -')
    expect(await runModify('apply', { filename: '-', stdin: async () => '', skipEmpty: true })).toEqual({ stdout: ['No resources specified'] })
  })

  it('applies the namespace rules before writing', async () => {
    const np = doc('NetworkPolicy', 'np', 'spec:\n  selector: all()\n')
    expect(await runModify('apply', { ...input(np), namespace: 'prod' })).toEqual({ stdout: ["Successfully applied 1 'NetworkPolicy' resource(s)"] })
    expect(store.stored('networkpolicies/prod/np')).toBeDefined()
    expect((await runModify('apply', { ...input(netSet('a')), namespace: 'prod' })).error).toBe('failed to apply \'GlobalNetworkSet\' resource: [GlobalNetworkSet is not namespaced]')
    expect((await runModify('apply', { ...input(doc('NetworkPolicy', 'np', 'spec: {}\n', 'dev')), namespace: 'prod' })).error).toBe(
      "failed to apply 'NetworkPolicy' resource: [resource namespace does not match client namespace. dev != prod]",
    )
  })

  it('refuses to write to a cluster of another Calico version', async () => {
    seed('ClusterInformation', 'default', { calicoVersion: 'v3.20.1', clusterGUID: 'abc', datastoreReady: true })
    await expect(runModify('apply', input(netSet('a')))).rejects.toThrow(
      /^version mismatch\.\nClient Version: {3}v\d+\.\d+\.\d+\nCluster Version: {2}3\.20\.1\nUse --allow-version-mismatch to override$/,
    )
    expect(await runModify('apply', { ...input(netSet('a')), allowVersionMismatch: true })).toEqual({ stdout: ["Successfully applied 1 'GlobalNetworkSet' resource(s)"] })
  })
})

describe('get', () => {
  beforeEach(() => {
    seed('GlobalNetworkSet', 'b', { nets: ['10.0.0.0/8'] })
    seed('GlobalNetworkSet', 'a', { nets: ['192.168.0.0/16'] }, { labels: { zone: 'a' } })
  })

  it('lists a kind as a table', async () => {
    expect(await runGet({ output: 'ps', kindArg: 'globalnetworksets' })).toEqual({ stdout: 'NAME   \na      \nb      \n\n', error: undefined })
  })

  it('lists tiers by their order', async () => {
    for (const [name, order] of [['t-last', 50000], ['t-first', 10]] as const) seed('Tier', name, { order, defaultAction: 'Deny' })
    seed('Tier', 't-none', {})
    expect((await runGet({ output: 'ps', kindArg: 'tiers' })).stdout).toBe('NAME      ORDER   \nt-first   10      \nt-last    50000   \nt-none    <nil>   \n\n')
  })

  it('gets named resources and reports the missing ones after them', async () => {
    const r = await runGet({ output: 'yaml', kindArg: 'globalnetworksets', names: ['a', 'missing'] })
    expect(r.stdout).toContain('  name: a\n')
    expect(r.error).toBe('resource does not exist: GlobalNetworkSet(missing) with error: <nil>')
  })

  it('--export leaves out what only this cluster knows', async () => {
    const r = await runGet({ output: 'json', kindArg: 'globalnetworksets', names: ['a'], export: true })
    expect(JSON.parse(r.stdout).metadata).toEqual({ name: 'a', labels: { zone: 'a' } })
  })

  it('wraps a kind it does not know', async () => {
    await expect(runGet({ output: 'ps', kindArg: 'nosuchthing' })).rejects.toThrow("failed to get resources: resource type 'nosuchthing' is not supported")
  })

  it('refuses a named namespaced resource across all namespaces', async () => {
    seed('NetworkSet', 'n1', { nets: [] }, { namespace: 'prod' })
    const r = await runGet({ output: 'ps', kindArg: 'networksets', names: ['n1'], allNamespaces: true })
    expect(r.error).toBe('cannot use --all-namespace flag for getting a single resource')
    expect((await runGet({ output: 'ps', kindArg: 'networksets', allNamespaces: true })).stdout).toBe('NAMESPACE   NAME   \nprod        n1     \n\n')
  })

  it('reports namespace problems without asking the datastore for them (only the version check reads it)', async () => {
    const r = await runGet({ output: 'ps', kindArg: 'globalnetworksets', names: ['a'], namespace: 'prod' })
    expect(r.error).toBe('GlobalNetworkSet is not namespaced')
    expect(store.calls).toEqual(['get ClusterInformation(default)'])
  })

  it("shows nodes' AS numbers against the global one", async () => {
    seed('Node', 'n1', { bgp: { ipv4Address: '10.0.0.1/24' } })
    expect((await runGet({ output: 'wide', kindArg: 'nodes' })).stdout).toContain('(64512)')
    seed('BGPConfiguration', 'default', { asNumber: 65001 })
    expect((await runGet({ output: 'wide', kindArg: 'nodes' })).stdout).toContain('(65001)')
  })
})

describe('label', () => {
  const label = (overrides: Partial<Parameters<typeof runLabel>[0]>) => runLabel({ kindArg: 'globalnetworksets', name: 'a', label: 'zone=b', ...overrides })
  beforeEach(() => {
    seed('GlobalNetworkSet', 'a', { nets: ['10.0.0.0/8'] }, { labels: { zone: 'a' } })
  })

  it('sets, updates and removes a label', async () => {
    expect(await label({ label: 'tier=web' })).toBe('Successfully set label tier on globalnetworksets a')
    expect(await label({ label: 'zone=a' })).toBe('Successfully updated label zone on globalnetworksets a')
    expect(await label({ label: 'zone=b', overwrite: true })).toBe('Successfully updated label zone on globalnetworksets a')
    expect(await label({ label: 'tier', remove: true })).toBe('Successfully removed label tier from globalnetworksets a')
    expect(store.stored('globalnetworksets/a')?.metadata.labels).toEqual({ zone: 'b' })
  })

  it.each<[string, Partial<Parameters<typeof runLabel>[0]>, string]>([
    ['a different value without --overwrite', {}, "failed to update label of globalnetworksets a, key zone is already present. please use '--overwrite' to set a new value"],
    ['a label without =', { label: 'zone' }, 'invalid label zone'],
    ['removing a label it lacks', { label: 'tier', remove: true }, 'cannot remove label of globalnetworksets a, key tier does not exist'],
    ['a resource that does not exist', { name: 'b' }, 'globalnetworksets b not found'],
    ['a kind it does not know', { kindArg: 'gadgets' }, "failed to get gadgets a, error resource type 'gadgets' is not supported"],
    ['a label the validator refuses', { label: 'bad key=x', overwrite: true }, 'failed to update globalnetworksets a, label not changed'],
    ['a namespace on a cluster-scoped kind', { namespace: 'prod' }, 'globalnetworksets a not found'],
  ])('refuses %s', async (_what, overrides, message) => {
    await expect(label(overrides)).rejects.toThrow(new CommandError(message))
    expect(store.stored('globalnetworksets/a')?.metadata.labels).toEqual({ zone: 'a' })
  })
})

describe('validate', () => {
  it('checks with the validator alone, offline', async () => {
    expect(await runValidate(input(pool('p1', '10.1.0.1/16')))).toMatchObject({
      stdout: [],
      error: expect.stringContaining("failed to validate 'IPPool' resource: [error with the following fields:\n-  CIDR = '10.1.0.1/16'"),
    })
    expect(await runValidate(input(pool('p1', '10.1.0.0/16'), netSet('a')))).toEqual({ stdout: ['Successfully validated 2 resource(s)'] })
    expect(store.calls).toEqual([])
  })

  it('goes on past a document it cannot decode and names every other problem', async () => {
    const report = await runValidate(input(netSet('a', '5'), netSet('b', '[10.0.0.0/33]')))
    expect(report.error).toBe('failed to execute command: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go struct field GlobalNetworkSetSpec.spec.nets of type []string')
    expect(report.details).toEqual([
      '  at stdin: document 1, line 6 (spec.nets)',
      "also: stdin: document 2, line 13 (spec.nets[0]): error with field Nets[0] = '10.0.0.0/33' (Reason: failed to validate Field: Nets[0] because of Tag: cidr )",
    ])
  })

  it('says so when there is nothing to validate and empty input is allowed', async () => {
    expect(await runValidate({ filename: '-', stdin: async () => '', skipEmpty: true })).toEqual({ stdout: ['No resources specified'] })
  })
})

describe('datastore migrate lock and unlock', () => {
  it('flips datastoreReady, initialising the datastore only to lock it', async () => {
    expect(await runDatastoreLock(true, {})).toBe('Datastore locked.')
    expect(store.stored('clusterinformations/default')?.spec).toMatchObject({ datastoreReady: false })
    expect(await runDatastoreLock(false, {})).toBe('Datastore unlocked.')
    expect(store.stored('clusterinformations/default')?.spec).toMatchObject({ datastoreReady: true })
  })

  it('cannot unlock a datastore without ClusterInformation', async () => {
    await expect(runDatastoreLock(false, {})).rejects.toThrow(
      'error retrieving ClusterInformation for unlocking: resource does not exist: ClusterInformation(default) with error: <nil>',
    )
  })

  it('reports a failed update', async () => {
    seed('ClusterInformation', 'default', { clusterGUID: 'abc', datastoreReady: true })
    store.failUpdates.push(new Error('etcdserver: request timed out'))
    await expect(runDatastoreLock(false, {})).rejects.toThrow('error updating ClusterInformation for unlocking: etcdserver: request timed out')
  })
})

describe('cluster version', () => {
  it('prints the version and type, "unknown" where they are not set', async () => {
    const lines: string[] = []
    seed('ClusterInformation', 'default', { calicoVersion: 'v3.31.0', clusterGUID: 'abc' })
    await printClusterVersion(undefined, 0, (line) => lines.push(line))
    expect(lines).toEqual(['Cluster Version:   v3.31.0', 'Cluster Type:      unknown'])
  })

  it('fails without ClusterInformation', async () => {
    await expect(printClusterVersion(undefined, 0, () => undefined)).rejects.toThrow(
      'unable to retrieve Cluster Version or Type: resource does not exist: ClusterInformation(default) with error: <nil>',
    )
  })

  it.each([
    ['', undefined],
    ['v3.31.0', undefined],
    ['3.31.0', undefined],
    ['v3.31.0-5-gabc', undefined],
    ['v3.31.7-1.0', 'Cluster Version:  3.31.7'],
    ['v3.30.4', 'Cluster Version:  3.30.4'],
  ])('lets a cluster of version %j be written to unless its release differs', async (calicoVersion, refusal) => {
    seed('ClusterInformation', 'default', { calicoVersion })
    const outcome = await checkVersionMismatch(new CalicoClient(store)).then(
      () => undefined,
      (err: Error) => err.message.split('\n')[2],
    )
    expect(outcome).toBe(refusal)
  })
})
