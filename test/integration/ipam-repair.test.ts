/**
 * ipam check, release and split, and IPAM release when a Node or IP pool is deleted, through the
 * built CLI on real etcd and on the test API server. IPAM data is written here in Calico's own
 * layout (libcalico-go's etcd keys and Go JSON; crd.projectcalico.org/v1 objects), never by ours.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { calicoctlOn, etcdUnderTest, kubernetesUnderTest, type DatastoreUnderTest } from './datastores.js'
import { etcdGetPrefix, etcdPut, runCli, writeTempFile } from './helpers.js'
import { hostnameHash } from '../../src/datastore/kubernetes/ipam-kv.js'
import { parseJson64 } from '../../src/json64.js'
import { startKddFixture, type KddFixture } from './kube-apiserver/fixture.js'
import { encodeJson } from './kube-apiserver/json.js'

const V1 = '/apis/crd.projectcalico.org/v1'
const CREATED = '{"creationTimestamp":null}'
/** A block's sequence number as calico-node starts it: a nanosecond timestamp, beyond 2^53. */
const BASE = 1767225600000000000n

interface Allocation {
  ordinal: number
  handle?: string
  secondary?: Record<string, string>
  seq: bigint
}

interface BlockFixture {
  cidr: string
  affinity: string | null
  size: number
  seq: bigint
  allocations: Allocation[]
}

/** Go's JSON of a block (model.AllocationBlock for etcd, the CRD spec for Kubernetes), written by hand. */
function blockJson(b: BlockFixture, etcd: boolean): string {
  const byOrdinal = new Map(b.allocations.map((a, i) => [a.ordinal, i]))
  const allocations = Array.from({ length: b.size }, (_, o) => byOrdinal.get(o) ?? null)
  const unallocated = Array.from({ length: b.size }, (_, o) => o).filter((o) => !byOrdinal.has(o))
  const attributes = b.allocations.map((a) => ({ handle_id: a.handle, secondary: a.secondary }))
  const seqs = Object.fromEntries(b.allocations.map((a) => [String(a.ordinal), `@${a.seq}@`]))
  const value = {
    cidr: b.cidr,
    affinity: b.affinity ?? (etcd ? null : undefined),
    allocations,
    unallocated,
    attributes,
    sequenceNumber: `@${b.seq}@`,
    sequenceNumberForAllocation: seqs,
    deleted: false,
    ...(etcd ? {} : { strictAffinity: false }),
  }
  // 64-bit integers as Go writes them, digits and all.
  return JSON.stringify(value).replace(/"@(\d+)@"/g, '$1')
}

/** What the fixture writes: blocks, the handles pointing at them, and the blocks' affinities. */
async function seedIpam(ds: DatastoreUnderTest, blocks: BlockFixture[], extraHandles: Record<string, Record<string, number>> = {}): Promise<void> {
  const handles: Record<string, Record<string, number>> = { ...extraHandles }
  for (const b of blocks)
    for (const a of b.allocations) if (a.handle) handles[a.handle] = { ...handles[a.handle], [b.cidr]: (handles[a.handle]?.[b.cidr] ?? 0) + 1 }
  if (ds.name === 'etcd') {
    const env = inject('etcdPlain')
    for (const b of blocks) {
      const segment = b.cidr.replace('/', '-')
      await etcdPut(env, `/calico/ipam/v2/assignment/ipv4/block/${segment}`, blockJson(b, true))
      if (b.affinity) await etcdPut(env, `/calico/ipam/v2/host/${b.affinity.slice(5)}/ipv4/block/${segment}`, '{"state":"confirmed","deleted":false}')
    }
    for (const [id, block] of Object.entries(handles)) await etcdPut(env, `/calico/ipam/v2/handle/${id}`, JSON.stringify({ block, deleted: false }))
    return
  }
  const post = async (plural: string, kind: string, name: string, spec: unknown) => {
    const object = { apiVersion: 'crd.projectcalico.org/v1', kind, metadata: { name, annotations: { 'projectcalico.org/metadata': CREATED } }, spec }
    const r = await ds.fixture?.request('POST', `${V1}/${plural}`, object)
    expect(r?.code, encodeJson(r?.body)).toBe(201)
  }
  for (const b of blocks) {
    const name = b.cidr.replace(/[./]/g, '-')
    await post('ipamblocks', 'IPAMBlock', name, parseJson64(blockJson(b, false)))
    if (b.affinity) {
      const node = b.affinity.slice(5)
      await post('blockaffinities', 'BlockAffinity', `${node}-${name}`, { state: 'confirmed', node, type: 'host', cidr: b.cidr, deleted: 'false' })
    }
  }
  for (const [id, block] of Object.entries(handles)) await post('ipamhandles', 'IPAMHandle', id.toLowerCase(), { handleID: id, block, deleted: false })
}

/** The stored IPAM objects: etcd keys under /calico/ipam/v2/ with their raw values, or the custom resources. */
async function storedIpam(ds: DatastoreUnderTest): Promise<Map<string, string>> {
  if (ds.name === 'etcd') {
    const keys = await etcdGetPrefix(inject('etcdPlain'), '/calico/ipam/v2/')
    return new Map([...keys].map(([k, v]) => [k.slice('/calico/ipam/v2/'.length), v]))
  }
  const out = new Map<string, string>()
  for (const [key, object] of await ds.stored()) if (/^(ipamblocks|ipamhandles|blockaffinities)\//.test(key)) out.set(key, encodeJson(object.spec))
  return out
}

/** A block as stored, parsed, with the sequence numbers' digits kept as text. */
function parseBlock(raw: string | undefined): any {
  if (raw === undefined) return undefined
  return JSON.parse(raw.replace(/("sequenceNumber":)(\d+)/, '$1"$2"').replace(/("sequenceNumberForAllocation":\{[^}]*\})/, (m) => m.replace(/:(\d+)/g, ':"$1"')))
}

const blockKey = (ds: DatastoreUnderTest, cidr: string) => (ds.name === 'etcd' ? `assignment/ipv4/block/${cidr.replace('/', '-')}` : `ipamblocks/${cidr.replace(/[./]/g, '-')}`)
const handleKey = (ds: DatastoreUnderTest, id: string) => (ds.name === 'etcd' ? `handle/${id}` : `ipamhandles/${id.toLowerCase()}`)
const affinityKey = (ds: DatastoreUnderTest, node: string, cidr: string) =>
  ds.name === 'etcd' ? `host/${node}/ipv4/block/${cidr.replace('/', '-')}` : `blockaffinities/${node}-${cidr.replace(/[./]/g, '-')}`

const POOL = `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: p1
spec:
  cidr: 10.65.0.0/16
`
const KCC = `apiVersion: projectcalico.org/v3
kind: KubeControllersConfiguration
metadata:
  name: default
spec:
  controllers:
    loadBalancer:
      assignIPs: AllServices
`

describe.each([
  ['etcd', () => etcdUnderTest('etcdPlain')],
  ['kubernetes', kubernetesUnderTest],
] as const)('ipam repair on %s', (_name, makeDatastore) => {
  const ds = makeDatastore()
  const calicoctl = calicoctlOn(ds)
  /** etcd has no Services: the check reads them from a Kubernetes API given by --kubeconfig. */
  let kube: KddFixture
  beforeAll(async () => {
    kube = ds.name === 'etcd' ? await startKddFixture() : (ds.fixture as KddFixture)
  })
  afterAll(async () => {
    if (ds.name === 'etcd') await kube.close()
  })
  beforeEach(async () => {
    await ds.reset()
    if (ds.name === 'etcd') kube.server.store.clear()
  })
  const kubeconfigArgs = () => (ds.name === 'etcd' ? ['--kubeconfig', kube.kubeconfig] : [])
  /** Beyond 2^53 on both datastores, which keep the 64-bit integer digit for digit. */
  const seq = (i: number) => BASE + BigInt(i)

  /**
   * n1's block: its IPIP tunnel address (in use by the node), pod web (running), pod gone (leaked)
   * and a load balancer address (in use by Service lb); n1 also has a handle without addresses.
   */
  const n1Block = (): BlockFixture => ({
    cidr: '10.65.0.0/26',
    affinity: 'host:n1',
    size: 64,
    seq: seq(10),
    allocations: [
      { ordinal: 0, handle: 'ipip-tunnel-addr-n1', secondary: { node: 'n1', type: 'ipipTunnelAddress' }, seq: seq(1) },
      { ordinal: 1, handle: 'k8s-pod-network.web', secondary: { namespace: 'prod', node: 'n1', pod: 'web', timestamp: '2026-01-01 00:00:00 +0000 UTC' }, seq: seq(2) },
      { ordinal: 2, handle: 'k8s-pod-network.gone', secondary: { namespace: 'prod', node: 'n1', pod: 'gone' }, seq: seq(3) },
      { ordinal: 3, handle: 'lb-handle', secondary: { service: 'lb' }, seq: seq(4) },
    ],
  })

  /** The cluster the checks see: pool, node n1 with its tunnel address, pod web (and pod stray, whose address IPAM never gave out), Service lb. */
  async function seedCluster(): Promise<void> {
    expect((await calicoctl(['apply', '-f', '-'], `${POOL}---\n${KCC}`)).code).toBe(0)
    const kubeNode = { metadata: { name: 'n1', annotations: { 'projectcalico.org/IPv4IPIPTunnelAddr': '10.65.0.0' } }, spec: {} }
    const etcdNode = JSON.stringify({ kind: 'Node', apiVersion: 'projectcalico.org/v3', metadata: { name: 'n1' }, spec: { bgp: { ipv4IPIPTunnelAddr: '10.65.0.0' } } })
    await ds.addNode(etcdNode, kubeNode)
    const wep = (pod: string, ip: string) =>
      `apiVersion: projectcalico.org/v3\nkind: WorkloadEndpoint\nmetadata:\n  name: n1-k8s-${pod}-eth0\n  namespace: prod\n` +
      `spec:\n  orchestrator: k8s\n  node: n1\n  pod: ${pod}\n  endpoint: eth0\n  interfaceName: cali${pod}\n  ipNetworks: [${ip}/32]\n`
    if (ds.name === 'etcd') expect((await calicoctl(['apply', '-f', '-'], `${wep('web', '10.65.0.1')}---\n${wep('stray', '10.65.1.9')}`)).code).toBe(0)
    else {
      ds.fixture?.addNamespace('prod')
      for (const [pod, ip] of [['web', '10.65.0.1'], ['stray', '10.65.1.9']])
        ds.fixture?.addPod({
          metadata: { name: pod, namespace: 'prod', annotations: { 'cni.projectcalico.org/podIP': `${ip}/32` } },
          spec: { nodeName: 'n1', containers: [{ name: pod, image: pod }] },
          status: { phase: 'Running', podIP: ip },
        })
    }
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb', namespace: 'prod' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } }
    if (ds.name === 'etcd') kube.addNamespace('prod')
    expect((await kube.request('POST', '/api/v1/namespaces/prod/services', service)).code).toBe(201)
    const stored = (await kube.request('GET', '/api/v1/namespaces/prod/services/lb')).body
    expect((await kube.request('PUT', '/api/v1/namespaces/prod/services/lb/status', { ...stored, status: { loadBalancer: { ingress: [{ ip: '10.65.0.3' }] } } })).code).toBe(200)
    await seedIpam(ds, [n1Block()], { 'k8s-pod-network.orphan': {} })
    // ClusterInformation, as calico-node's start creates it.
    expect((await calicoctl(['datastore', 'migrate', 'unlock'])).code).toBe(0)
  }

  const SUMMARY = (problems: number) =>
    [
      'Checking IPAM for inconsistencies...',
      '',
      'Loading all IPAM blocks...',
      'Found 1 IPAM blocks.',
      ' IPAM block 10.65.0.0/26 affinity=host:n1:',
      'IPAM blocks record 4 allocations.',
      '',
      'Loading all IPAM pools...',
      '  10.65.0.0/16',
      'Found 1 active IP pools.',
      '',
      'Loading all nodes.',
      'Found 1 node tunnel IPs.',
      '',
      'Loading all service load balancer IPs.',
      'Found 1 service load balancer(s).',
      '',
      'Loading all workload endpoints.',
      'Found 2 workload IPs.',
      'Workloads and nodes are using 4 IPs.',
      '',
      'Loading all handles',
      'Looking for top (up to 20) nodes by allocations...',
      '  n1 has 4 allocations',
      'Node with most allocations has 4; median is 4',
      '',
      'Scanning for IPs that are allocated but not actually in use...',
      'Found 1 IPs that are allocated in IPAM but not actually in use.',
      'Scanning for IPs that are in use by a workload or node but not allocated in IPAM...',
      'Found 0 in-use IPs that are not in active IP pools.',
      'Found 1 in-use IPs that are in active IP pools but have no corresponding IPAM allocation.',
      '',
      'Scanning for IPAM handles with no matching IPs...',
      'Found 1 handles with no matching IPs (and 4 handles with matches).',
      'Scanning for IPs with missing handle...',
      'Found 0 handles mentioned in blocks with no matching handle resource.',
      'Validating IPAMBlock structures...',
      'Found 0 invalid IPAMBlocks.',
      `Check complete; found ${problems} problems.`,
      '',
    ].join('\n')

  describe('check', () => {
    beforeEach(seedCluster)

    it('reports leaked addresses, addresses without allocation and handles without addresses', async () => {
      expect(await calicoctl(['ipam', 'check', ...kubeconfigArgs()])).toEqual({ code: 0, stdout: SUMMARY(3), stderr: '' })
    })

    it('names the problem addresses with --show-problem-ips', async () => {
      const r = await calicoctl(['ipam', 'check', '--show-problem-ips', ...kubeconfigArgs()])
      expect(r.code).toBe(0)
      expect(r.stdout).toContain(
        'Scanning for IPs that are allocated but not actually in use...\n' +
          '  10.65.0.2 leaked; attrs Main:k8s-pod-network.gone Extra:namespace=prod,node=n1,pod=gone\n' +
          'Found 1 IPs',
      )
      expect(r.stdout).toContain('  10.65.1.9 in use by Workload(prod/n1-k8s-stray-eth0) and in active IPAM pool but has no IPAM allocation.\n')
    })

    it('writes the report with upstream field names', async () => {
      const report = writeTempFile(`report-${ds.name}.json`, '')
      expect((await calicoctl(['ipam', 'check', '-o', report, ...kubeconfigArgs()])).code).toBe(0)
      const text = readFileSync(report, 'utf8')
      const parsed = JSON.parse(text)
      expect(Object.keys(parsed)).toEqual(['version', 'clusterGUID', 'datastoreLocked', 'clusterInformationRevision', 'clusterType', 'allocations', 'leakedHandles'])
      expect(parsed).toMatchObject({ version: 'v3.31.0', datastoreLocked: false, leakedHandles: [{ ID: 'k8s-pod-network.orphan', Revision: expect.any(String) }] })
      // etcd has no uids; on Kubernetes libcalico-go reports the v3 view of the handle's uid, not the object's own.
      const handleUid = ds.name === 'etcd' ? undefined : (await ds.stored()).get('ipamhandles/k8s-pod-network.orphan')?.metadata.uid
      if (ds.name === 'etcd') expect(parsed.leakedHandles[0].UID).toBe(null)
      else expect(parsed.leakedHandles[0].UID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      if (handleUid) expect(parsed.leakedHandles[0].UID).not.toBe(handleUid)
      expect(Object.keys(parsed.allocations)).toEqual(['10.65.0.0', '10.65.0.1', '10.65.0.2', '10.65.0.3'])
      expect(parsed.allocations['10.65.0.2']).toEqual([
        { ip: '10.65.0.2', handle: 'k8s-pod-network.gone', sequenceNumber: expect.any(Number), pod: 'gone', namespace: 'prod', node: 'n1', inUse: false, owners: null },
      ])
      // The Service's address has no node of its own: it counts as the block's node's.
      expect(parsed.allocations['10.65.0.3']).toEqual([{ ip: '10.65.0.3', handle: 'lb-handle', sequenceNumber: expect.any(Number), node: 'n1', inUse: true, owners: ['lb'] }])
      // The 64-bit sequence number, digit for digit.
      expect(text).toContain(`"sequenceNumber": ${seq(3)},`)
      // Two-space indentation, as MarshalIndent; no line end after the closing brace.
      expect(text.startsWith('{\n  "version": "v3.31.0",\n')).toBe(true)
      expect(text.endsWith('\n}')).toBe(true)
    })

    it.runIf(ds.name === 'etcd')('needs a kubeconfig on etcd, for the Services', async () => {
      expect(await calicoctl(['ipam', 'check'])).toEqual({ code: 1, stdout: '', stderr: 'KUBECONFIG environment variable or --kubeconfig parameter not set\n' })
    })
  })

  describe('release', () => {
    beforeEach(seedCluster)

    it('releases one address: the allocation goes, the handle with it, the block keeps its revision chain', async () => {
      const before = parseBlock((await storedIpam(ds)).get(blockKey(ds, '10.65.0.0/26')))
      expect(await calicoctl(['ipam', 'release', '--ip', '10.65.0.2'])).toEqual({ code: 0, stdout: 'Successfully released IP address 10.65.0.2\n', stderr: '' })
      const stored = await storedIpam(ds)
      const block = parseBlock(stored.get(blockKey(ds, '10.65.0.0/26')))
      expect(block.allocations.slice(0, 5)).toEqual([0, 1, null, 2, null])
      expect(block.unallocated.slice(-1)).toEqual([2])
      expect(block.attributes.map((a: any) => a.handle_id)).toEqual(['ipip-tunnel-addr-n1', 'k8s-pod-network.web', 'lb-handle'])
      expect(block.sequenceNumber).toBe(String(BigInt(before.sequenceNumber) + 1n))
      expect(block.sequenceNumberForAllocation).toEqual({ '0': String(seq(1)), '1': String(seq(2)), '3': String(seq(4)) })
      expect(stored.has(handleKey(ds, 'k8s-pod-network.gone'))).toBe(false)
      expect(stored.has(handleKey(ds, 'k8s-pod-network.web'))).toBe(true)
    })

    it('loses no release when two run at once on one block (each write compares the revision it read)', async () => {
      const results = await Promise.all(['10.65.0.1', '10.65.0.2'].map((ip) => calicoctl(['ipam', 'release', '--ip', ip])))
      expect(results.map((r) => r.stdout)).toEqual(['Successfully released IP address 10.65.0.1\n', 'Successfully released IP address 10.65.0.2\n'])
      const stored = await storedIpam(ds)
      expect(parseBlock(stored.get(blockKey(ds, '10.65.0.0/26'))).allocations.slice(0, 4)).toEqual([0, null, null, 1])
      for (const handle of ['k8s-pod-network.web', 'k8s-pod-network.gone']) expect(stored.has(handleKey(ds, handle))).toBe(false)
    })

    it.runIf(ds.name === 'kubernetes')('raises the client request rate to 100 a second, whatever the configuration sets, as upstream', async () => {
      // At the configured 0.1 a second after one request, the release's requests would take over 30 s.
      const slow = writeTempFile('slow.cfg', `${readFileSync((ds.fixture as KddFixture).cfg, 'utf8').trimEnd()}\n  k8sClientQPS: 0.1\n  k8sClientBurst: 1\n`)
      const started = Date.now()
      expect(await runCli(['ipam', 'release', '--ip', '10.65.0.2', '-c', slow])).toEqual({ code: 0, stdout: 'Successfully released IP address 10.65.0.2\n', stderr: '' })
      expect(Date.now() - started).toBeLessThan(10_000)
    })

    it('refuses an address not assigned, and an address that is none', async () => {
      expect(await calicoctl(['ipam', 'release', '--ip', '10.65.0.9'])).toEqual({ code: 1, stdout: '', stderr: 'IP address 10.65.0.9 is not assigned\n' })
      expect(await calicoctl(['ipam', 'release', '--ip', '10.65.0.300'])).toEqual({ code: 1, stdout: 'Error executing command: invalid IP address specified: 10.65.0.300\n', stderr: '' })
    })

    it('releases what a report taken on the locked datastore calls leaked', async () => {
      expect((await calicoctl(['datastore', 'migrate', 'lock'])).code).toBe(0)
      const report = writeTempFile(`release-${ds.name}.json`, '')
      expect((await calicoctl(['ipam', 'check', '-o', report, ...kubeconfigArgs()])).code).toBe(0)
      expect(await calicoctl(['ipam', 'release', '--from-report', report])).toEqual({
        code: 0,
        stdout: [
          'Releasing 1 old IPs...',
          'Released 1 IPs successfully',
          'Deleting 1 handles...',
          "Key: '.' = Deleted OK; 'x' = skip, handle missing/changed.",
          '.',
          'Released 1 handles; 0 skipped; 0 errors.',
          'You may now unlock the data store.',
          '',
        ].join('\n'),
        stderr: '',
      })
      const stored = await storedIpam(ds)
      expect(parseBlock(stored.get(blockKey(ds, '10.65.0.0/26'))).allocations.slice(0, 4)).toEqual([0, 1, null, 2])
      expect(stored.has(handleKey(ds, 'k8s-pod-network.gone'))).toBe(false)
      expect(stored.has(handleKey(ds, 'k8s-pod-network.orphan'))).toBe(false)
    })

    it('never releases an address allocated again after the report (its sequence number moved on)', async () => {
      expect((await calicoctl(['datastore', 'migrate', 'lock'])).code).toBe(0)
      const report = writeTempFile(`realloc-${ds.name}.json`, '')
      expect((await calicoctl(['ipam', 'check', '-o', report, ...kubeconfigArgs()])).code).toBe(0)
      // The CNI plugin hands 10.65.0.2 to a new pod: same ordinal, the block's current sequence number.
      const block = n1Block()
      block.allocations[2] = { ordinal: 2, handle: 'k8s-pod-network.gone', secondary: { namespace: 'prod', node: 'n1', pod: 'gone' }, seq: seq(10) }
      block.seq = seq(11)
      if (ds.name === 'etcd') await etcdPut(inject('etcdPlain'), '/calico/ipam/v2/assignment/ipv4/block/10.65.0.0-26', blockJson(block, true))
      else {
        const current = (await ds.fixture?.request('GET', `${V1}/ipamblocks/10-65-0-0-26`))?.body
        expect((await ds.fixture?.request('PUT', `${V1}/ipamblocks/10-65-0-0-26`, { ...current, spec: parseJson64(blockJson(block, false)) }))?.code).toBe(200)
      }
      const before = (await storedIpam(ds)).get(blockKey(ds, '10.65.0.0/26'))
      const r = await calicoctl(['ipam', 'release', '--from-report', report])
      expect(r.stdout).toContain(
        'Releasing 1 old IPs...\nAn error occurred while releasing some IPs: update conflict: 10.65.0.2.  Problems are often caused by an out-of-date IPAM report.  Try regenerating the IPAM report and retry.\n',
      )
      expect((await storedIpam(ds)).get(blockKey(ds, '10.65.0.0/26'))).toBe(before)
    })

    it("applies the report's safety checks with upstream's texts", async () => {
      const report = writeTempFile(`unlocked-${ds.name}.json`, '')
      expect((await calicoctl(['ipam', 'check', '-o', report, ...kubeconfigArgs()])).code).toBe(0)
      const before = await storedIpam(ds)
      expect(await calicoctl(['ipam', 'release', '--from-report', report])).toEqual({
        code: 1,
        stdout: '',
        stderr: 'data store is not locked. Either lock the data store, or re-run with --force\n',
      })
      const edited = (name: string, change: (r: any) => void) => {
        const r = JSON.parse(readFileSync(report, 'utf8'))
        change(r)
        return writeTempFile(`${name}-${ds.name}.json`, JSON.stringify(r))
      }
      const otherCluster = edited('guid', (r) => (r.clusterGUID = 'feedfeed'))
      expect((await calicoctl(['ipam', 'release', '--from-report', otherCluster, '--force'])).stderr).toBe(
        `cluster does not match the provided report (${otherCluster}): mismatched cluster GUID. Refusing to release\n`,
      )
      const older = edited('version', (r) => (r.version = 'v3.29.0'))
      expect((await calicoctl(['ipam', 'release', '--from-report', older])).stderr).toBe(
        `the provided report (${older}) was produced using a different version (v3.29.0) of calicoctl. Refusing to release\n`,
      )
      expect(await calicoctl(['ipam', 'release', '--from-report', join(kube.dir, 'missing.json')])).toEqual({
        code: 1,
        stdout: '',
        stderr: `open ${join(kube.dir, 'missing.json')}: no such file or directory\n`,
      })
      const garbage = writeTempFile(`garbage-${ds.name}.json`, 'garbage')
      expect((await calicoctl(['ipam', 'release', '--from-report', garbage])).stderr).toBe("invalid character 'g' looking for beginning of value\n")
      expect(await storedIpam(ds)).toEqual(before)
      // A change of the cluster's state (here: locking) makes every report taken before it stale.
      expect((await calicoctl(['datastore', 'migrate', 'lock'])).code).toBe(0)
      expect((await calicoctl(['ipam', 'release', '--from-report', report])).stderr).toBe(
        'the provided reports are all stale - at least one should be up-to-date. Please generate a new report while the data store is locked and try again\n',
      )
      expect(await storedIpam(ds)).toEqual(before)
    })

    it('releases on an unlocked datastore with --force, warning first', async () => {
      const report = writeTempFile(`force-${ds.name}.json`, '')
      expect((await calicoctl(['ipam', 'check', '-o', report, ...kubeconfigArgs()])).code).toBe(0)
      const r = await calicoctl(['ipam', 'release', '--from-report', report, '--force'])
      expect(r.code).toBe(0)
      expect(r.stdout.startsWith('WARNING: Data store is not locked. Ignoring due to --force option\nReleasing 1 old IPs...\n')).toBe(true)
    })
  })

  describe('split', () => {
    beforeEach(async () => {
      expect((await calicoctl(['apply', '-f', '-'], POOL)).code).toBe(0)
      await seedIpam(ds, [n1Block()])
      expect((await calicoctl(['datastore', 'migrate', 'unlock'])).code).toBe(0)
    })

    it('needs the datastore locked', async () => {
      expect(await calicoctl(['ipam', 'split', '4', '--name', 'p1'])).toEqual({
        code: 1,
        stdout: '',
        stderr: 'datastore is not locked. Run the `calicoctl datastore migrate lock` command in order split the IP pools\n',
      })
      const pool = await calicoctl(['get', 'ippool', 'p1', '-o', 'yaml'])
      expect(pool.code).toBe(0)
      expect(pool.stdout).not.toContain('disabled: true')
    })

    it('replaces the pool with equal pools, leaving blocks and affinities where they are', async () => {
      expect((await calicoctl(['datastore', 'migrate', 'lock'])).code).toBe(0)
      const before = await storedIpam(ds)
      expect(await calicoctl(['ipam', 'split', '4', '--cidr', '10.65.0.0/16'])).toEqual({
        code: 0,
        stdout:
          'IP Pool p1 was successfully split into 4 smaller pools.Created split-p1-0 with CIDR 10.65.0.0/18.\nCreated split-p1-1 with CIDR 10.65.64.0/18.\n' +
          'Created split-p1-2 with CIDR 10.65.128.0/18.\nCreated split-p1-3 with CIDR 10.65.192.0/18.\nPlease refer to the documentation for final steps.',
        stderr: '',
      })
      expect((await calicoctl(['get', 'ippool', '-o', 'wide'])).stdout).toBe(
        [
          'NAME         CIDR             NAT     IPIPMODE   VXLANMODE   DISABLED   DISABLEBGPEXPORT   SELECTOR   ASSIGNMENTMODE   ',
          'split-p1-0   10.65.0.0/18     false   Never      Never       false      false              all()      Automatic        ',
          'split-p1-1   10.65.64.0/18    false   Never      Never       false      false              all()      Automatic        ',
          'split-p1-2   10.65.128.0/18   false   Never      Never       false      false              all()      Automatic        ',
          'split-p1-3   10.65.192.0/18   false   Never      Never       false      false              all()      Automatic        ',
          '',
          '',
        ].join('\n'),
      )
      expect(await storedIpam(ds)).toEqual(before)
    })

    it('refuses a number that is not a power of two, or not a number, and a pool it cannot find', async () => {
      expect((await calicoctl(['datastore', 'migrate', 'lock'])).code).toBe(0)
      expect((await calicoctl(['ipam', 'split', 'four', '--name', 'p1'])).stderr).toBe(
        'error reading number to split IP pools into. four is not a valid number: strconv.Atoi: parsing "four": invalid syntax\n',
      )
      expect((await calicoctl(['ipam', 'split', '4'])).stderr).toBe('no name or CIDR provided. Provide a name or CIDR to denote the IP pool to split\n')
      expect((await calicoctl(['ipam', 'split', '4', '--cidr', '10.66.0.0/16'])).stderr).toBe('unable to find IP pool  covering the specified CIDR 10.66.0.0/16\n')
      // As upstream, the pool is disabled before the number is checked against its CIDR.
      expect((await calicoctl(['ipam', 'split', '3', '--name', 'p1'])).stderr).toBe(
        'error splitting the CIDR 10.65.0.0/16 into 3 CIDRs: number to split CIDR into is not a valid power of 2: 3\n',
      )
      expect((await calicoctl(['get', 'ippool', 'p1', '-o', 'yaml'])).stdout).toContain('disabled: true')
      expect((await calicoctl(['ipam', 'split'])).stderr).toBe('accepts 1 arg(s), received 0\n')
    })
  })

  describe('release on delete', () => {
    it('deleting an IP pool releases the affinities of its blocks: empty blocks go, used ones stay without affinity', async () => {
      expect((await calicoctl(['apply', '-f', '-'], POOL)).code).toBe(0)
      const empty: BlockFixture = { cidr: '10.65.0.64/26', affinity: 'host:n2', size: 64, seq: seq(20), allocations: [] }
      await seedIpam(ds, [n1Block(), empty])
      expect(await calicoctl(['delete', 'ippool', 'p1'])).toEqual({ code: 0, stdout: "Successfully deleted 1 'IPPool' resource(s)\n", stderr: '' })
      const stored = await storedIpam(ds)
      expect(stored.has(blockKey(ds, '10.65.0.64/26'))).toBe(false)
      expect(stored.has(affinityKey(ds, 'n2', '10.65.0.64/26'))).toBe(false)
      expect(stored.has(affinityKey(ds, 'n1', '10.65.0.0/26'))).toBe(false)
      const used = parseBlock(stored.get(blockKey(ds, '10.65.0.0/26')))
      expect(used.affinity ?? null).toBe(null)
      expect(used.allocations.slice(0, 4)).toEqual([0, 1, 2, 3])
      expect(used.sequenceNumber).toBe(String(seq(10) + 1n))
      expect((await calicoctl(['get', 'ippool'])).stdout).toBe('NAME   CIDR   SELECTOR   \n\n')
    })

    it.runIf(ds.name === 'kubernetes')('rewrites an affinity it releases with the labels libcalico-go sets, as an older Calico left it without them', async () => {
      expect((await calicoctl(['apply', '-f', '-'], POOL)).code).toBe(0)
      await seedIpam(ds, [n1Block()])
      const server = (ds.fixture as KddFixture).server
      const before = server.requests.length
      expect((await calicoctl(['delete', 'ippool', 'p1'])).code).toBe(0)
      // Marked pending deletion before it goes: that write carries the labels.
      const written = server.requests.slice(before).filter((r) => r.method === 'PUT' && r.path.endsWith('/blockaffinities/n1-10-65-0-0-26'))
      expect(written.length).toBeGreaterThan(0)
      for (const request of written)
        expect(JSON.parse(request.body ?? '{}').metadata.labels).toEqual({
          'projectcalico.org/affinity-type': 'host',
          'projectcalico.org/hostname-hash': hostnameHash('n1'),
          'projectcalico.org/ip-version': '4',
        })
    })

    it.runIf(ds.name === 'etcd')("deleting a Node releases its endpoints' and tunnel addresses and its affinities", async () => {
      await seedCluster()
      expect(await calicoctl(['delete', 'node', 'n1'])).toEqual({ code: 0, stdout: "Successfully deleted 1 'Node' resource(s)\n", stderr: '' })
      const stored = await storedIpam(ds)
      const block = parseBlock(stored.get(blockKey(ds, '10.65.0.0/26')))
      // The tunnel address (0) and pod web's (1) are released; the leaked one and the Service's stay.
      expect(block.allocations.slice(0, 4)).toEqual([null, null, 0, 1])
      expect(block.affinity).toBe(null)
      expect(stored.has(affinityKey(ds, 'n1', '10.65.0.0/26'))).toBe(false)
      expect(stored.has(handleKey(ds, 'ipip-tunnel-addr-n1'))).toBe(false)
      expect(stored.has(handleKey(ds, 'k8s-pod-network.web'))).toBe(false)
      expect(stored.has(handleKey(ds, 'k8s-pod-network.gone'))).toBe(true)
    })

    it.runIf(ds.name === 'kubernetes')('deleting a Node still fails before anything is written, as upstream', async () => {
      await seedCluster()
      const before = await storedIpam(ds)
      expect((await calicoctl(['delete', 'node', 'n1'])).code).toBe(1)
      expect(await storedIpam(ds)).toEqual(before)
    })
  })
})

describe('ipam commands on an unreachable datastore', () => {
  const cfg = () => writeTempFile('unreachable.cfg', 'apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nmetadata: {}\nspec:\n  datastoreType: etcdv3\n  etcdEndpoints: http://127.0.0.1:1\n')
  const unreachable =
    'unable to get Cluster Information to verify version mismatch: context deadline exceeded (etcd unreachable at http://127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1)\nUse --allow-version-mismatch to override\n'
  for (const args of [['check'], ['release', '--ip', '10.65.0.1'], ['split', '2', '--name', 'p1']])
    it(`ipam ${args[0]} fails with the connection error`, async () => {
      expect(await runCli(['ipam', ...args, '-c', cfg()])).toEqual({ code: 1, stdout: '', stderr: unreachable })
    })

  it('on Kubernetes too', async () => {
    const kubeconfig = writeTempFile(
      'dead-kubeconfig-kdd',
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
    )
    const kddCfg = writeTempFile('dead-kdd.cfg', `apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nmetadata: {}\nspec:\n  datastoreType: kubernetes\n  kubeconfig: ${kubeconfig}\n`)
    for (const args of [['check'], ['release', '--ip', '10.65.0.1'], ['split', '2', '--name', 'p1']]) {
      const r = await runCli(['ipam', ...args, '-c', kddCfg])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain('unable to get Cluster Information to verify version mismatch: Get "http://127.0.0.1:1/')
      expect(r.stderr).toContain('dial tcp 127.0.0.1:1: connect: connection refused\nUse --allow-version-mismatch to override\n')
    }
  })

  it('ipam check reaches etcd before the Kubernetes API; an unreachable API server fails the Services step', async () => {
    const env = inject('etcdPlain')
    const etcdCfg = writeTempFile('reachable.cfg', `apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nmetadata: {}\nspec:\n  datastoreType: etcdv3\n  etcdEndpoints: ${env.ETCD_ENDPOINTS}\n`)
    const kubeconfig = writeTempFile(
      'dead-kubeconfig',
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
    )
    expect((await runCli(['datastore', 'migrate', 'lock', '-c', etcdCfg])).code).toBe(0)
    const r = await runCli(['ipam', 'check', '--kubeconfig', kubeconfig, '-c', etcdCfg])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('Loading all service load balancer IPs.\n')
    expect(r.stderr).toBe('Get "http://127.0.0.1:1/api/v1/services": dial tcp 127.0.0.1:1: connect: connection refused\n')
  })
})
