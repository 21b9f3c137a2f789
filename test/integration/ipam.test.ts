import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { calicoctlOn, etcdUnderTest, kubernetesUnderTest, type DatastoreUnderTest } from './datastores.js'
import { etcdGetPrefix, etcdPut, runCli } from './helpers.js'
import { ADMIN_TOKEN, calicoctlCfg, startKddFixture, type KddFixture } from './kube-apiserver/fixture.js'
import { toGoJson } from '../../src/output/json.js'

const V1 = '/apis/crd.projectcalico.org/v1'
const CREATED = '{"creationTimestamp":null}'

const POOLS_AND_RESERVATION = `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: p1
spec:
  cidr: 10.65.0.0/16
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: p2
spec:
  cidr: fd00:10::/120
  blockSize: 122
---
apiVersion: projectcalico.org/v3
kind: IPReservation
metadata:
  name: r1
spec:
  reservedCIDRs: [10.65.0.0/30, 10.65.0.2/32, 10.65.1.0/24]
`

interface Allocation {
  handle_id?: string
  secondary?: Record<string, string> | null
  releasedAt?: string
  alternateOwnerAttrs?: Record<string, string>
}

/** A /26 as calico-node's IPAM leaves it after allocating the first ordinals in order. */
function blockSpec(cidr: string, affinity: string | null, attributes: Allocation[]) {
  return {
    cidr,
    affinity,
    allocations: Array.from({ length: 64 }, (_, i) => (i < attributes.length ? i : null)),
    unallocated: Array.from({ length: 64 - attributes.length }, (_, i) => i + attributes.length),
    attributes,
    deleted: false,
    // Nanosecond timestamps, beyond 2^53: bigint keeps them exact.
    sequenceNumber: 1767225600000000000n,
    sequenceNumberForAllocation: Object.fromEntries(attributes.map((_, i) => [String(i), 1767225600000000000n + BigInt(i)])),
  }
}

const BLOCKS = [
  blockSpec('10.65.0.0/26', 'host:n1', [
    { handle_id: 'ipip-tunnel-addr-n1', secondary: { node: 'n1', type: 'ipipTunnelAddress' } },
    {
      handle_id: 'k8s-pod-network.aaa',
      secondary: { namespace: 'default', node: 'n1', pod: 'web', timestamp: '2026-01-01 00:00:00.1 +0000 UTC' },
      alternateOwnerAttrs: { namespace: 'default', pod: 'web-target' },
    },
    { handle_id: 'k8s-pod-network.bbb', secondary: { namespace: 'default', node: 'n2', pod: 'db' } },
    { secondary: null },
  ]),
  blockSpec('10.65.0.64/26', 'host:n2', [{ handle_id: 'k8s-pod-network.ccc', secondary: { namespace: 'default', node: 'n2', pod: 'api' } }]),
]
const HANDLES: Record<string, Record<string, number>> = {
  'ipip-tunnel-addr-n1': { '10.65.0.0/26': 1 },
  'k8s-pod-network.aaa': { '10.65.0.0/26': 1 },
  'k8s-pod-network.bbb': { '10.65.0.0/26': 1 },
  'k8s-pod-network.ccc': { '10.65.0.64/26': 1 },
}

/** Writes blocks, affinities and handles the way each datastore's IPAM client stores them (datastore spec 1.10, 2.5). */
async function seedIpam(ds: DatastoreUnderTest, blocks = BLOCKS, handles = HANDLES): Promise<void> {
  if (ds.name === 'etcd') {
    const env = inject('etcdPlain')
    for (const block of blocks) {
      const cidrKey = block.cidr.replace('/', '-')
      await etcdPut(env, `/calico/ipam/v2/assignment/ipv4/block/${cidrKey}`, toGoJson({ ...block, strictAffinity: false }, false))
      await etcdPut(env, `/calico/ipam/v2/host/${block.affinity?.slice(5)}/ipv4/block/${cidrKey}`, '{"state":"confirmed","deleted":false}')
    }
    for (const [id, block] of Object.entries(handles)) await etcdPut(env, `/calico/ipam/v2/handle/${id}`, JSON.stringify({ block, deleted: false }))
    return
  }
  const post = async (plural: string, kind: string, name: string, spec: object) => {
    const object = { apiVersion: 'crd.projectcalico.org/v1', kind, metadata: { name, annotations: { 'projectcalico.org/metadata': CREATED } }, spec }
    expect((await ds.fixture?.request('POST', `${V1}/${plural}`, object))?.code).toBe(201)
  }
  for (const block of blocks) {
    const name = block.cidr.replace(/[./]/g, '-')
    await post('ipamblocks', 'IPAMBlock', name, { ...block, strictAffinity: false })
    const node = block.affinity?.slice(5) as string
    await post('blockaffinities', 'BlockAffinity', `${node}-${name}`, { state: 'confirmed', node, type: 'host', cidr: block.cidr, deleted: 'false' })
  }
  for (const [id, block] of Object.entries(handles)) await post('ipamhandles', 'IPAMHandle', id, { handleID: id, block, deleted: false })
}

/** The stored IPAM configuration: etcd's JSON value, or the Kubernetes object's spec. */
async function storedConfig(ds: DatastoreUnderTest): Promise<unknown> {
  if (ds.name === 'etcd') {
    const value = (await etcdGetPrefix(inject('etcdPlain'), '/calico/ipam/v2/config')).get('/calico/ipam/v2/config')
    return value === undefined ? undefined : JSON.parse(value)
  }
  return (await ds.stored()).get('ipamconfigs/default')?.spec
}

async function storeConfig(ds: DatastoreUnderTest, etcdValue: string, spec: object): Promise<void> {
  if (ds.name === 'etcd') return etcdPut(inject('etcdPlain'), '/calico/ipam/v2/config', etcdValue)
  const object = { apiVersion: 'crd.projectcalico.org/v1', kind: 'IPAMConfig', metadata: { name: 'default', annotations: { 'projectcalico.org/metadata': CREATED } }, spec }
  expect((await ds.fixture?.request('POST', `${V1}/ipamconfigs`, object))?.code).toBe(201)
}

const ok = (stdout: string) => ({ code: 0, stdout, stderr: '' })
const failure = (stderr: string) => ({ code: 1, stdout: '', stderr })

describe.each([
  ['etcd', () => etcdUnderTest('etcdPlain')],
  ['kubernetes', kubernetesUnderTest],
] as const)('ipam on %s', (_name, makeDatastore) => {
  const ds = makeDatastore()
  const calicoctl = calicoctlOn(ds)
  beforeEach(() => ds.reset())

  describe('show', () => {
    beforeEach(async () => {
      expect((await calicoctl(['apply', '-f', '-'], POOLS_AND_RESERVATION)).code).toBe(0)
      await seedIpam(ds)
    })

    it('summarises each pool, reserved addresses apart from free ones', async () => {
      expect(await calicoctl(['ipam', 'show'])).toEqual(
        ok(
          [
            '+----------+---------------+-----------+------------+--------------+--------------+',
            '| GROUPING | CIDR          | IPS TOTAL | IPS IN USE | IPS RESERVED | IPS FREE     |',
            '+----------+---------------+-----------+------------+--------------+--------------+',
            '| IP Pool  | 10.65.0.0/16  |     65536 |     5 (0%) |     260 (0%) | 65275 (100%) |',
            '| IP Pool  | fd00:10::/120 |       256 |     0 (0%) |       0 (0%) |   256 (100%) |',
            '+----------+---------------+-----------+------------+--------------+--------------+',
            '',
          ].join('\n'),
        ),
      )
    })

    it('adds a row per block with --show-blocks', async () => {
      expect(await calicoctl(['ipam', 'show', '--show-blocks'])).toEqual(
        ok(
          [
            '+----------+---------------+-----------+------------+--------------+--------------+',
            '| GROUPING | CIDR          | IPS TOTAL | IPS IN USE | IPS RESERVED | IPS FREE     |',
            '+----------+---------------+-----------+------------+--------------+--------------+',
            '| IP Pool  | 10.65.0.0/16  |     65536 |     5 (0%) |     260 (0%) | 65275 (100%) |',
            '| Block    | 10.65.0.0/26  |        64 |     4 (6%) |       4 (6%) |     60 (94%) |',
            '| Block    | 10.65.0.64/26 |        64 |     1 (2%) |       0 (0%) |     63 (98%) |',
            '| IP Pool  | fd00:10::/120 |       256 |     0 (0%) |       0 (0%) |   256 (100%) |',
            '+----------+---------------+-----------+------------+--------------+--------------+',
            '',
          ].join('\n'),
        ),
      )
    })

    it('reports one address: its handle and owners, or that it is not assigned', async () => {
      expect(await calicoctl(['ipam', 'show', '--ip', '10.65.0.1'])).toEqual(
        ok(
          'IP 10.65.0.1 is in use\nHandle ID: k8s-pod-network.aaa\nActive Owner Attributes:\n  namespace: default\n  node: n1\n  pod: web\n' +
            '  timestamp: 2026-01-01 00:00:00.1 +0000 UTC\nAlternate Owner Attributes:\n  namespace: default\n  pod: web-target\n',
        ),
      )
      expect(await calicoctl(['ipam', 'show', '--ip=10.65.0.3'])).toEqual(ok('IP 10.65.0.3 is in use\nHandle ID: <none>\nNo Active Owner attributes defined\n'))
      // A free ordinal, a block never written, and an address no pool holds.
      for (const ip of ['10.65.0.9', '10.65.3.1', '10.99.0.1']) expect(await calicoctl(['ipam', 'show', '--ip', ip])).toEqual(ok(`${ip} is not assigned\n`))
      expect(await calicoctl(['ipam', 'show', '--ip', 'FD00:10::0001'])).toEqual(ok('fd00:10::1 is not assigned\n'))
    })

    it('cuts a malformed handle at its "\\r", and tells an address in its release cool-down from a free one', async () => {
      const recently = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z')
      const block = blockSpec('10.65.0.192/26', 'host:n3', [
        // The host-local migration once wrote handles with a "\r" and more after them.
        { handle_id: 'k8s-pod-network.ddd\r\neth0', secondary: { namespace: 'default', node: 'n3', pod: 'old' } },
        { releasedAt: recently },
        { releasedAt: '2026-01-01T00:00:00Z' },
      ])
      await seedIpam(ds, [block], { 'k8s-pod-network.ddd': { '10.65.0.192/26': 1 } })
      expect((await calicoctl(['ipam', 'show', '--ip', '10.65.0.192'])).stdout).toBe(
        'IP 10.65.0.192 is in use\nHandle ID: k8s-pod-network.ddd\nActive Owner Attributes:\n  namespace: default\n  node: n3\n  pod: old\n',
      )
      // Without a cool-down (the default; the v3.31 CRDs on Kubernetes cannot hold one) a released address is free.
      expect(await calicoctl(['ipam', 'show', '--ip', '10.65.0.193'])).toEqual(ok('10.65.0.193 is not assigned\n'))
      if (ds.name === 'etcd') {
        expect((await calicoctl(['ipam', 'configure', '--ip-cooldown-seconds=3600'])).code).toBe(0)
        expect(await calicoctl(['ipam', 'show', '--ip', '10.65.0.193'])).toEqual(failure('address 10.65.0.193 is in cooldown\n'))
      }
      expect(await calicoctl(['ipam', 'show', '--ip', '10.65.0.194'])).toEqual(ok('10.65.0.194 is not assigned\n'))
    })

    it('lists a block marked deleted (half-way through its two-step delete), as libcalico-go lists it', async () => {
      const going = { ...blockSpec('10.65.0.128/26', 'host:n2', [{ handle_id: 'k8s-pod-network.eee', secondary: { node: 'n2' } }]), deleted: true }
      await seedIpam(ds, [going], {})
      expect((await calicoctl(['ipam', 'show', '--show-blocks'])).stdout).toMatch(/\| Block +\| 10\.65\.0\.128\/26 +\| +64 \| +1 \(2%\) \|/)
      // A get on Kubernetes passes it over; etcd's backend returns what is stored.
      expect((await calicoctl(['ipam', 'show', '--ip', '10.65.0.128'])).stdout).toBe(ds.name === 'etcd' ? 'IP 10.65.0.128 is in use\nHandle ID: k8s-pod-network.eee\nActive Owner Attributes:\n  node: n2\n' : '10.65.0.128 is not assigned\n')
    })

    it('rejects an invalid address on stdout, and --ip wins over the other options', async () => {
      expect(await calicoctl(['ipam', 'show', '--ip', '10.65.0.256', '--show-blocks'])).toEqual({
        code: 1,
        stdout: 'Error executing command: invalid IP address specified: 10.65.0.256\n',
        stderr: '',
      })
    })

    it('lists borrowed addresses and counts the ones without a node', async () => {
      expect(await calicoctl(['ipam', 'show', '--show-borrowed'])).toEqual(
        ok(
          [
            '+-----------+----------------+--------------+-------------+------+--------------+',
            '| IP        | BORROWING-NODE | BLOCK        | BLOCK OWNER | TYPE | ALLOCATED-TO |',
            '+-----------+----------------+--------------+-------------+------+--------------+',
            '| 10.65.0.2 | n2             | 10.65.0.0/26 | n1          | pod  | default/db   |',
            '+-----------+----------------+--------------+-------------+------+--------------+',
            '',
            'Note: found 1 IP allocations without an explicit node association. Unable to determine if they are borrowed.',
            '',
          ].join('\n'),
        ),
      )
    })
  })

  describe('configuration', () => {
    // Upstream prints the address of the persistence's pointer; we print what it points to.
    const DEFAULTS = [
      '+------------------------------+-----------+',
      '| PROPERTY                     | VALUE     |',
      '+------------------------------+-----------+',
      '| StrictAffinity               | false     |',
      '| AutoAllocateBlocks           | true      |',
      '| MaxBlocksPerHost             | 0         |',
      '| KubeVirtVMAddressPersistence | "Enabled" |',
      '| IPCooldownSeconds            | 0         |',
      '+------------------------------+-----------+',
      '',
    ].join('\n')

    it('shows the defaults when none is stored, and stores nothing', async () => {
      ds.fixture?.server.resetStats()
      expect(await calicoctl(['ipam', 'show', '--show-configuration'])).toEqual(ok(DEFAULTS))
      expect(await storedConfig(ds)).toBeUndefined()
      if (ds.fixture) expect(ds.fixture.server.requests.filter((r) => r.method !== 'GET')).toEqual([])
    })

    it('writes the defaults along with the one option set when none was stored', async () => {
      if (ds.name === 'kubernetes') {
        // The v3.31 CRD lacks the cooldown: setting it is refused. The default's KubeVirt persistence,
        // which the user did not set, is left out as that API server would leave it out.
        expect(await calicoctl(['ipam', 'configure', '--ip-cooldown-seconds=5'])).toEqual(
          failure(
            'error: IPAMConfiguration(default): spec.ipCooldownSeconds (Calico v3.33) is not in the Calico v3.31.0 CRDs this calicoctl writes to; ' +
              'the Kubernetes API server would drop it\n',
          ),
        )
        expect(await storedConfig(ds)).toBeUndefined()
        expect(await calicoctl(['ipam', 'configure', '--strictaffinity=true'])).toEqual(ok('Successfully set StrictAffinity to: true\n'))
        expect(await storedConfig(ds)).toEqual({ strictAffinity: true, autoAllocateBlocks: true })
        return
      }
      expect(await calicoctl(['ipam', 'configure', '--ip-cooldown-seconds=5'])).toEqual(ok('Successfully set IPCooldownSeconds to: 5\n'))
      expect(await storedConfig(ds)).toEqual({ auto_allocate_blocks: true, kubeVirtVMAddressPersistence: 'Enabled', ipCooldownSeconds: 5 })
    })

    it('sets every option in one write and reports each', async () => {
      if (ds.name === 'kubernetes') {
        // The v3.31 CRD has neither of the newer fields, which its API server would drop: the write is refused.
        const newer = await calicoctl(['ipam', 'configure', '--strictaffinity=true', '--kubevirt-ip-persistence=Disabled', '--ip-cooldown-seconds=30'])
        expect(newer).toEqual(
          failure(
            'error: IPAMConfiguration(default): spec.kubeVirtVMAddressPersistence (Calico v3.32), spec.ipCooldownSeconds (Calico v3.33) are not in ' +
              'the Calico v3.31.0 CRDs this calicoctl writes to; the Kubernetes API server would drop them\n',
          ),
        )
        expect(await storedConfig(ds)).toBeUndefined()
        const r = await calicoctl(['ipam', 'configure', '--strictaffinity=true', '--max-blocks-per-host', '4'])
        expect(r).toEqual(ok('Successfully set StrictAffinity to: true\nSuccessfully set MaxBlocksPerHost to: 4\n'))
        expect(await storedConfig(ds)).toEqual({ strictAffinity: true, autoAllocateBlocks: true, maxBlocksPerHost: 4 })
        return
      }
      const r = await calicoctl([
        'ipam',
        'configure',
        '--strictaffinity=true',
        '--max-blocks-per-host',
        '4',
        '--kubevirt-ip-persistence=Disabled',
        '--ip-cooldown-seconds=30',
      ])
      expect(r).toEqual(
        ok(
          'Successfully set StrictAffinity to: true\nSuccessfully set MaxBlocksPerHost to: 4\n' +
            'Successfully set KubeVirtVMAddressPersistence to: Disabled\nSuccessfully set IPCooldownSeconds to: 30\n',
        ),
      )
      expect(await storedConfig(ds)).toEqual({ strict_affinity: true, auto_allocate_blocks: true, maxBlocksPerHost: 4, kubeVirtVMAddressPersistence: 'Disabled', ipCooldownSeconds: 30 })
      // Field order and omitted zero values as Go writes them.
      const raw = (await etcdGetPrefix(inject('etcdPlain'), '/calico/ipam/v2/config')).get('/calico/ipam/v2/config')
      expect(raw).toBe('{"strict_affinity":true,"auto_allocate_blocks":true,"maxBlocksPerHost":4,"kubeVirtVMAddressPersistence":"Disabled","ipCooldownSeconds":30}')
      expect((await calicoctl(['ipam', 'show', '--show-configuration'])).stdout).toContain('| KubeVirtVMAddressPersistence | "Disabled" |')
    })

    it('keeps the other fields of a stored configuration', async () => {
      await storeConfig(ds, '{"strict_affinity":true,"auto_allocate_blocks":true,"maxBlocksPerHost":2}', { strictAffinity: true, autoAllocateBlocks: true, maxBlocksPerHost: 2 })
      // IPCooldownSeconds is newer than the v3.31 CRD, so the Kubernetes datastore takes the other change here.
      const [flag, line] = ds.name === 'etcd' ? ['--ip-cooldown-seconds', 'IPCooldownSeconds to: 30'] : ['--max-blocks-per-host', 'MaxBlocksPerHost to: 30']
      expect(await calicoctl(['ipam', 'configure', flag, ds.name === 'etcd' ? '0x1e' : '30'])).toEqual(ok(`Successfully set ${line}\n`))
      const spec = { strictAffinity: true, autoAllocateBlocks: true, maxBlocksPerHost: 30 }
      expect(await storedConfig(ds)).toEqual(ds.name === 'etcd' ? { strict_affinity: true, auto_allocate_blocks: true, maxBlocksPerHost: 2, ipCooldownSeconds: 30 } : spec)
    })

    it("refuses what upstream's IPAM refuses, and leaves the stored configuration alone", async () => {
      expect(await calicoctl(['ipam', 'configure', '--max-blocks-per-host=4'])).toEqual(failure('error: MaxBlocksPerHost requires StrictAffinity to be enabled\n'))
      await ds.reset()
      await storeConfig(ds, '{"strict_affinity":true}', { strictAffinity: true, autoAllocateBlocks: false })
      expect(await calicoctl(['ipam', 'configure', '--strictaffinity=F'])).toEqual(failure("error: Cannot disable 'StrictAffinity' and 'AutoAllocateBlocks' at the same time\n"))
      expect(await storedConfig(ds)).toEqual(ds.name === 'etcd' ? { strict_affinity: true } : { strictAffinity: true, autoAllocateBlocks: false })
    })

    it('rejects bad values and an empty request with upstream texts', async () => {
      expect(await calicoctl(['ipam', 'configure'])).toEqual(failure('at least one configuration option must be specified\n'))
      expect(await calicoctl(['ipam', 'configure', '--strictaffinity=yes'])).toEqual(failure('invalid value. Use true or false to set strictaffinity\n'))
      expect(await calicoctl(['ipam', 'configure', '--max-blocks-per-host=four'])).toEqual(failure('invalid value for maxblockhost. Use a valid number\n'))
      expect(await calicoctl(['ipam', 'configure', '--kubevirt-ip-persistence=enabled'])).toEqual(
        failure('invalid value for --kubevirt-ip-persistence. Use Enabled or Disabled\n'),
      )
      expect(await calicoctl(['ipam', 'configure', '--ip-cooldown-seconds=soon'])).toEqual(
        failure('invalid argument "soon" for "--ip-cooldown-seconds" flag: strconv.ParseInt: parsing "soon": invalid syntax\n'),
      )
      expect(await storedConfig(ds)).toBeUndefined()
    })
  })
})

describe('ipam show and get with read-only RBAC on Kubernetes', () => {
  let kube: KddFixture
  beforeAll(async () => {
    kube = await startKddFixture({ tokens: { [ADMIN_TOKEN]: 'admin', 'viewer-token': 'viewer' }, permissions: { viewer: ['get', 'list'] } })
  })
  afterAll(() => kube.close())

  it('needs nothing but get and list', async () => {
    const admin = ['-c', kube.cfg]
    expect((await runCli(['apply', '-f', '-', ...admin], { stdin: POOLS_AND_RESERVATION })).code).toBe(0)
    const viewer = ['-c', kube.write('viewer.cfg', calicoctlCfg({ datastoreType: 'kubernetes', k8sAPIEndpoint: kube.server.url, k8sCAFile: kube.pki.caFile, k8sAPIToken: 'viewer-token' }))]
    kube.server.resetStats()
    for (const args of [['ipam', 'show'], ['ipam', 'show', '--show-blocks'], ['ipam', 'show', '--show-borrowed'], ['ipam', 'show', '--show-configuration'], ['ipam', 'show', '--ip', '10.65.0.1'], ['get', 'ippool']])
      expect(await runCli([...args, ...viewer])).toMatchObject({ code: 0, stderr: '' })
    expect(kube.server.requests.filter((r) => r.code === 403)).toEqual([])
    expect(kube.server.requests.every((r) => r.user === 'viewer' && r.method === 'GET')).toBe(true)
  })
})
