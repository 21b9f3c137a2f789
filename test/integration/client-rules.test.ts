import { beforeEach, describe, expect, inject, it } from 'vitest'
import { calicoctlOn, etcdUnderTest, kubernetesUnderTest } from './datastores.js'
import { etcdGetPrefix, etcdPut } from './helpers.js'

/**
 * What calicoctl's client does around a write, through the built binary on both datastores (issue
 * 9, section 3): the skip flags, the overlap listing of IP pools, initialisation of a datastore
 * that has a ClusterInformation already, and the tiers every datastore gets.
 */
const doc = (kind: string, name: string, spec: string) => `apiVersion: projectcalico.org/v3\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n${spec}`
const pool = (name: string, cidr: string, extra = '') => doc('IPPool', name, `  cidr: ${cidr}\n${extra}`)

describe.each([
  ['etcd', () => etcdUnderTest('etcdPlain')],
  ['kubernetes', kubernetesUnderTest],
] as const)('the client around writes, on %s', (_name, makeDatastore) => {
  const ds = makeDatastore()
  const calicoctl = calicoctlOn(ds)
  const existsInner = (plural: string, name: string) => (ds.name === 'etcd' ? '<nil>' : `${plural}.crd.projectcalico.org "${name}" already exists`)
  const storedSpec = async (key: string) => (await ds.stored()).get(key)?.spec
  beforeEach(() => ds.reset())

  it('create --skip-exists counts an existing resource as created and leaves it as it was', async () => {
    expect((await calicoctl(['create', '-f', '-'], pool('p1', '10.40.0.0/16'))).code).toBe(0)
    const again = `${pool('p1', '10.40.0.0/16', '  natOutgoing: true\n')}---\n${pool('p2', '10.41.0.0/16')}`
    const plain = await calicoctl(['create', '-f', '-'], again)
    // One created and one failed: upstream prints no partial-success line then.
    expect(plain).toMatchObject({ code: 1, stdout: '', stderr: `hit error: [resource already exists: IPPool(p1) with error: ${existsInner('ippools', 'p1')}]\n` })
    await ds.reset()
    expect((await calicoctl(['create', '-f', '-'], pool('p1', '10.40.0.0/16'))).code).toBe(0)
    const skipped = await calicoctl(['create', '--skip-exists', '-f', '-'], again)
    expect(skipped).toMatchObject({ code: 0, stdout: "Successfully created 2 'IPPool' resource(s)\n", stderr: '' })
    expect(await storedSpec('ippools/p1')).not.toHaveProperty('natOutgoing')
    expect(await storedSpec('ippools/p2')).toMatchObject({ cidr: '10.41.0.0/16' })
  })

  it('create --skip-exists skips nothing but existing resources', async () => {
    const r = await calicoctl(['create', '--skip-exists', '-f', '-'], pool('p1', '10.40.0.0/27'))
    expect(r.code).toBe(1)
    // The CRD's CEL rule: checked by calicoctl on etcd, by the API server on Kubernetes.
    const rule = 'IP pool size is too small for use with Calico IPAM. It must be equal to or greater than the block size.'
    const inner = ds.name === 'etcd' ? `error with field spec (${rule})` : `IPPool.crd.projectcalico.org "p1" is invalid: spec: Invalid value: "object": ${rule}`
    expect(r.stderr).toContain(`failed to create 'IPPool' resource: [${inner}]`)
    expect((await ds.stored()).has('ippools/p1')).toBe(false)
  })

  it('delete --skip-not-exists (-s) counts a missing resource as deleted', async () => {
    expect((await calicoctl(['create', '-f', '-'], pool('p1', '10.40.0.0/16'))).code).toBe(0)
    const plain = await calicoctl(['delete', 'ippool', 'missing'])
    expect(plain).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `Failed to delete 'IPPool' resource: resource does not exist: IPPool(missing) with error: ${ds.notFoundInner('ippools', 'missing')}\n\n`,
    })
    for (const flag of ['--skip-not-exists', '-s']) {
      const r = await calicoctl(['delete', flag, 'ippool', 'missing'])
      expect(r).toMatchObject({ code: 0, stdout: "Successfully deleted 1 'IPPool' resource(s)\n", stderr: '' })
    }
    const both = await calicoctl(['delete', '-s', 'ippool', 'p1', 'missing'])
    expect(both).toMatchObject({ code: 0, stdout: "Successfully deleted 2 'IPPool' resource(s)\n", stderr: '' })
    expect((await ds.stored()).has('ippools/p1')).toBe(false)
  })

  it('names every pool a new pool overlaps, in name order', async () => {
    const seeds = [pool('c-inside', '10.3.0.0/16'), pool('a-inside', '10.1.0.0/16'), pool('b-apart', '192.168.0.0/16')].join('---\n')
    expect((await calicoctl(['create', '-f', '-'], seeds)).code).toBe(0)
    const r = await calicoctl(['create', '-f', '-'], pool('new', '10.0.0.0/12'))
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(
      "failed to create 'IPPool' resource: [error with the following fields:\n" +
        "-  IPPool.Spec.CIDR = '10.0.0.0/12' (IPPool(new) CIDR overlaps with IPPool(a-inside) CIDR 10.1.0.0/16)\n" +
        "-  IPPool.Spec.CIDR = '10.0.0.0/12' (IPPool(new) CIDR overlaps with IPPool(c-inside) CIDR 10.3.0.0/16)\n]",
    )
    expect((await ds.stored()).has('ippools/new')).toBe(false)
  })

  it('gives a datastore the three tiers with the orders and default actions Calico pins (listed by order)', async () => {
    expect((await calicoctl(['create', '-f', '-'], pool('p1', '10.40.0.0/16'))).code).toBe(0)
    const tiers = JSON.parse((await calicoctl(['get', 'tiers', '-o', 'json'])).stdout)
    expect(tiers.items.map((t: { metadata: { name: string }; spec: unknown }) => [t.metadata.name, t.spec])).toEqual([
      ['kube-admin', { order: 1000, defaultAction: 'Pass' }],
      ['default', { order: 1000000, defaultAction: 'Deny' }],
      ['kube-baseline', { order: 10000000, defaultAction: 'Pass' }],
    ])
  })

  it('completes an existing ClusterInformation, keeping what it has', async () => {
    const info = { calicoVersion: 'v3.31.0', clusterType: 'typha,k8s' }
    if (ds.name === 'etcd') {
      const value = { kind: 'ClusterInformation', apiVersion: 'projectcalico.org/v3', metadata: { name: 'default', uid: 'u1', creationTimestamp: '2026-10-01T09:00:00Z' }, spec: info }
      await etcdPut(inject('etcdPlain'), '/calico/resources/v3/projectcalico.org/clusterinformations/default', JSON.stringify(value))
    } else {
      const object = { apiVersion: 'crd.projectcalico.org/v1', kind: 'ClusterInformation', metadata: { name: 'default' }, spec: info }
      expect((await ds.fixture?.request('POST', '/apis/crd.projectcalico.org/v1/clusterinformations', object))?.code).toBe(201)
    }
    expect((await calicoctl(['create', '-f', '-'], pool('p1', '10.40.0.0/16'))).code).toBe(0)
    expect(await storedSpec('clusterinformations/default')).toEqual({
      ...info,
      clusterType: ds.name === 'etcd' ? 'typha,k8s' : 'typha,k8s,kdd',
      clusterGUID: expect.stringMatching(/^[0-9a-f]{32}$/),
      datastoreReady: true,
    })
  })
})

describe('BGP filters in etcd', () => {
  const ds = etcdUnderTest('etcdPlain')
  const calicoctl = calicoctlOn(ds)
  const KEY = '/calico/resources/v3/projectcalico.org/BGPFilters/'
  beforeEach(() => ds.reset())

  it("live under libcalico-go's capitalised plural, both ways", async () => {
    const written = { kind: 'BGPFilter', apiVersion: 'projectcalico.org/v3', metadata: { name: 'by-calico', uid: 'u1', creationTimestamp: '2026-10-01T09:00:00Z' }, spec: { exportV4: [{ action: 'Accept' }] } }
    await etcdPut(inject('etcdPlain'), `${KEY}by-calico`, JSON.stringify(written))
    const names = async () => JSON.parse((await calicoctl(['get', 'bgpfilters', '-o', 'json'])).stdout).items.map((f: { metadata: { name: string } }) => f.metadata.name)
    expect(await names()).toEqual(['by-calico'])
    expect((await calicoctl(['apply', '-f', '-'], doc('BGPFilter', 'by-calicoctl', '  importV4:\n  - action: Reject\n'))).code).toBe(0)
    expect([...(await etcdGetPrefix(inject('etcdPlain'), KEY)).keys()]).toEqual([`${KEY}by-calico`, `${KEY}by-calicoctl`])
    expect(await names()).toEqual(['by-calico', 'by-calicoctl'])
  })
})
