/**
 * An etcd -> Kubernetes migration through the built CLI, as a user runs it: etcd populated as
 * calicoctl (apply), calico-node (Nodes) and Calico IPAM (blocks, affinities and handles in
 * libcalico-go's key layout, written here with etcdctl) leave it; lock, export, import into a test
 * API server that has never seen Calico, unlock; then what `get` and `ipam show` print on both sides.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import yaml from 'js-yaml'
import { etcdDelPrefix, etcdGetPrefix, etcdPut, runCli, writeCalicoctlCfg, writeTempFile, type CliResult } from './helpers.js'
import { startKddFixture, type KddFixture } from './kube-apiserver/fixture.js'
import { NODES } from './kube-apiserver/resources.js'

const RES = '/calico/resources/v3/projectcalico.org'
const IPAM = '/calico/ipam/v2'

const RESOURCES = `apiVersion: projectcalico.org/v3
kind: IPPool
metadata: {name: pool-v4}
spec: {cidr: 10.65.0.0/16, ipipMode: Always, natOutgoing: true}
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata: {name: pool-v6}
spec: {cidr: 'fd00:10::/64', blockSize: 122}
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata: {name: rack-tor}
spec: {peerIP: 192.0.2.1, asNumber: 64513, nodeSelector: rack == 'a'}
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: allow-dns}
spec:
  selector: all()
  types: [Egress]
  egress: [{action: Allow, protocol: UDP, destination: {ports: [53]}}]
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.deny-telnet}
spec:
  tier: security
  order: 10
  ingress: [{action: Deny, protocol: TCP, destination: {ports: [23]}}]
---
apiVersion: projectcalico.org/v3
kind: StagedGlobalNetworkPolicy
metadata: {name: try-deny-ssh}
spec: {ingress: [{action: Deny, protocol: TCP, destination: {ports: [22]}}]}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: partners, labels: {trust: partner}}
spec: {nets: [198.51.100.0/24]}
---
apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata: {name: node1-eth0, labels: {role: edge}}
spec: {node: calico-node-1, interfaceName: eth0, expectedIPs: [192.0.2.10]}
---
apiVersion: projectcalico.org/v3
kind: KubeControllersConfiguration
metadata: {name: default}
spec: {controllers: {node: {reconcilerPeriod: 5m}}}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: allow-web, namespace: shop}
spec: {selector: app == 'web', ingress: [{action: Allow, protocol: TCP, destination: {ports: [80]}}]}
---
apiVersion: projectcalico.org/v3
kind: StagedNetworkPolicy
metadata: {name: try-allow-db, namespace: shop}
spec: {selector: app == 'db', ingress: [{action: Allow}]}
---
apiVersion: projectcalico.org/v3
kind: StagedKubernetesNetworkPolicy
metadata: {name: try-knp, namespace: shop}
spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}
---
apiVersion: projectcalico.org/v3
kind: NetworkSet
metadata: {name: office, namespace: shop}
spec: {nets: [203.0.113.0/24]}
---
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata: {name: default}
spec: {asNumber: 64512, nodeToNodeMeshEnabled: true, logSeverityScreen: Info}
---
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata: {name: node.calico-node-1}
spec: {logSeverityScreen: Debug}
---
apiVersion: projectcalico.org/v3
kind: FelixConfiguration
metadata: {name: default}
spec: {logSeverityScreen: Warning, ipipEnabled: true}
---
apiVersion: projectcalico.org/v3
kind: FelixConfiguration
metadata: {name: node.calico-node-2}
spec: {logSeverityScreen: Debug}
---
apiVersion: projectcalico.org/v3
kind: IPReservation
metadata: {name: gateways}
spec: {reservedCIDRs: [10.65.255.0/24]}
---
apiVersion: projectcalico.org/v3
kind: BGPFilter
metadata: {name: only-pods}
spec: {exportV4: [{action: Accept, matchOperator: In, cidr: 10.65.0.0/16}]}
`

/** A Node as calico-node registers it in etcd: its Kubernetes name in a `k8s` orchestrator reference. */
const calicoNode = (name: string, k8sName: string, address: string) =>
  JSON.stringify({
    kind: 'Node',
    apiVersion: 'projectcalico.org/v3',
    metadata: { name, uid: `uid-${name}`, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { bgp: { ipv4Address: address, ipv4IPIPTunnelAddr: address.replace(/\.\d+\/\d+$/, '.1') }, orchRefs: [{ nodeName: k8sName, orchestrator: 'k8s' }] },
  })

/** Sequence numbers as libcalico-go starts them (the time in nanoseconds): far past 2^53. */
const SEQ = '1767225600000000001'

/** IPAM as calico-node's IPAM and the CNI plugin leave it in etcd (libcalico-go's /calico/ipam/v2 keys, Go's JSON). */
const IPAM_KEYS: Array<[string, string]> = [
  [
    `${IPAM}/assignment/ipv4/block/10.65.0.0-26`,
    `{"cidr":"10.65.0.0/26","affinity":"host:calico-node-1","allocations":[0,1,null,2${',null'.repeat(60)}],"unallocated":[2,${Array.from({ length: 60 }, (_, i) => i + 4).join(',')}],"attributes":[{"handle_id":"ipip-tunnel-addr-calico-node-1","secondary":{"node":"calico-node-1","type":"ipipTunnelAddress"}},{"handle_id":"k8s-pod-network.3f1a","secondary":{"namespace":"shop","node":"calico-node-1","pod":"web-0","timestamp":"2026-01-01 00:00:00.123 +0000 UTC"}},{"handle_id":"k8s-pod-network.77c2","secondary":{"namespace":"shop","node":"calico-node-2","pod":"db-0","timestamp":"2026-01-01 00:00:01 +0000 UTC"}}],"sequenceNumber":${SEQ.replace(/1$/, '4')},"sequenceNumberForAllocation":{"0":${SEQ},"1":${SEQ.replace(/1$/, '2')},"3":${SEQ.replace(/1$/, '3')}},"deleted":false}`,
  ],
  [
    `${IPAM}/assignment/ipv4/block/10.65.0.64-26`,
    `{"cidr":"10.65.0.64/26","affinity":"host:calico-node-2","allocations":[0${',null'.repeat(63)}],"unallocated":[${Array.from({ length: 63 }, (_, i) => i + 1).join(',')}],"attributes":[{"handle_id":"ipip-tunnel-addr-calico-node-2","secondary":{"node":"calico-node-2","type":"ipipTunnelAddress"}}],"sequenceNumber":7,"sequenceNumberForAllocation":{"0":6},"deleted":false}`,
  ],
  [
    `${IPAM}/assignment/ipv6/block/fd00:10::-122`,
    `{"cidr":"fd00:10::/122","affinity":"host:calico-node-1","allocations":[0${',null'.repeat(63)}],"unallocated":[${Array.from({ length: 63 }, (_, i) => i + 1).join(',')}],"attributes":[{"handle_id":"k8s-pod-network.3f1a","secondary":{"namespace":"shop","node":"calico-node-1","pod":"web-0"}}],"sequenceNumber":2,"sequenceNumberForAllocation":{"0":1},"deleted":false}`,
  ],
  [`${IPAM}/host/calico-node-1/ipv4/block/10.65.0.0-26`, '{"state":"confirmed","deleted":false}'],
  [`${IPAM}/host/calico-node-2/ipv4/block/10.65.0.64-26`, '{"state":"confirmed","deleted":false}'],
  [`${IPAM}/host/calico-node-1/ipv6/block/fd00:10::-122`, '{"state":"confirmed","deleted":false}'],
  [`${IPAM}/handle/ipip-tunnel-addr-calico-node-1`, '{"block":{"10.65.0.0/26":1},"deleted":false}'],
  [`${IPAM}/handle/ipip-tunnel-addr-calico-node-2`, '{"block":{"10.65.0.64/26":1},"deleted":false}'],
  [`${IPAM}/handle/k8s-pod-network.3f1a`, '{"block":{"10.65.0.0/26":1,"fd00:10::/122":1},"deleted":false}'],
  [`${IPAM}/handle/k8s-pod-network.77c2`, '{"block":{"10.65.0.0/26":1},"deleted":false}'],
  [`${IPAM}/config`, '{"strict_affinity":true,"auto_allocate_blocks":true,"maxBlocksPerHost":8}'],
]

/** The v3 kinds `get` is compared on (what the export carries), with -A for the namespaced ones. */
const KINDS = [
  'ippools', 'bgppeers', 'tiers', 'globalnetworkpolicies', 'stagedglobalnetworkpolicies', 'globalnetworksets', 'hostendpoints',
  'kubecontrollersconfigurations', 'networkpolicies', 'stagednetworkpolicies', 'stagedkubernetesnetworkpolicies', 'networksets',
  'bgpconfigurations', 'felixconfigurations', 'ipreservations', 'bgpfilters',
]
const NAMESPACED = ['networkpolicies', 'stagednetworkpolicies', 'stagedkubernetesnetworkpolicies', 'networksets']

/** What only one datastore knows of a resource: identity and bookkeeping of the store it is in. */
function comparable(doc: any): any {
  for (const item of doc.items) {
    for (const field of ['uid', 'resourceVersion', 'creationTimestamp', 'generation']) delete item.metadata[field]
  }
  delete doc.metadata
  return doc
}

/** Calico node names in text replaced by the Kubernetes node names, as the migration renames them. */
const renamed = (text: string) => text.replace(/calico-node-(\d)/g, 'k8s-node-$1')

describe('datastore migrate: etcd to Kubernetes', () => {
  const env = inject('etcdPlain')
  let etcdCfg = ''
  let kdd: KddFixture
  const onEtcd = (args: string[]) => runCli([...args, '-c', etcdCfg])
  const onKdd = (args: string[], stdin?: string) => runCli([...args, '-c', kdd.cfg], { stdin })

  async function populateEtcd(): Promise<void> {
    await etcdDelPrefix(env, '/calico/')
    expect((await onEtcd(['apply', '-f', writeTempFile('migrate-resources.yaml', RESOURCES)])).stdout).toBe('Successfully applied 20 resource(s)\n')
    await etcdPut(env, `${RES}/nodes/calico-node-1`, calicoNode('calico-node-1', 'k8s-node-1', '192.0.2.11/24'))
    await etcdPut(env, `${RES}/nodes/calico-node-2`, calicoNode('calico-node-2', 'k8s-node-2', '192.0.2.12/24'))
    // kube-controllers' copy of a Kubernetes NetworkPolicy: Kubernetes keeps the original.
    await etcdPut(
      env,
      `${RES}/networkpolicies/shop/knp.default.deny-all`,
      JSON.stringify({ kind: 'NetworkPolicy', apiVersion: 'projectcalico.org/v3', metadata: { name: 'knp.default.deny-all', namespace: 'shop' }, spec: { tier: 'default', selector: 'all()', types: ['Ingress'] } }),
    )
    for (const [key, value] of IPAM_KEYS) await etcdPut(env, key, value)
  }

  beforeAll(async () => {
    etcdCfg = writeCalicoctlCfg(env)
  })
  beforeEach(async () => {
    await kdd?.close()
    kdd = await startKddFixture({ withoutCalicoCrds: true })
    kdd.addNode({ metadata: { name: 'k8s-node-1', labels: { 'kubernetes.io/hostname': 'k8s-node-1' } } })
    kdd.addNode({ metadata: { name: 'k8s-node-2', labels: { 'kubernetes.io/hostname': 'k8s-node-2' } } })
    kdd.addNamespace('shop')
    await populateEtcd()
  })
  afterAll(async () => {
    await kdd?.close()
    await etcdDelPrefix(env, '/calico/')
  })

  it('locks, exports, imports and unlocks; get and ipam show then print the same on both datastores', async () => {
    expect(await onEtcd(['datastore', 'migrate', 'lock'])).toEqual({ code: 0, stdout: 'Datastore locked.\n', stderr: '' })
    const exported = await onEtcd(['datastore', 'migrate', 'export'])
    expect(exported.stderr).toBe('')
    expect(exported.code).toBe(0)
    const file = writeTempFile('migration.yaml', exported.stdout)

    const imported = await onKdd(['datastore', 'migrate', 'import', '-f', file])
    expect(imported).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'Datastore locked.',
        // 20 applied, the knp.default. policy left out, 2 nodes, 3 built-in tiers.
        'Successfully applied 25 resource(s)',
        'Importing IPAM resources',
        'Successfully applied 11 IPAM resource(s)',
        'Datastore information successfully imported. Please refer to the datastore migration documentation for next steps.',
        '',
      ].join('\n'),
    })
    expect(await onKdd(['datastore', 'migrate', 'unlock'])).toEqual({ code: 0, stdout: 'Datastore unlocked.\n', stderr: '' })

    for (const kind of KINDS) {
      const flags = NAMESPACED.includes(kind) ? ['-A'] : []
      const [fromEtcd, fromKdd] = await Promise.all([onEtcd(['get', kind, '-o', 'yaml', ...flags]), onKdd(['get', kind, '-o', 'yaml', ...flags])])
      expect(fromKdd.code, `${kind}: ${fromKdd.stderr}`).toBe(0)
      // Per-node configurations are renamed after the Kubernetes node; references elsewhere (a host
      // endpoint's node) are carried over as they are, as upstream does.
      const etcdSide = comparable(yaml.load(fromEtcd.stdout))
      for (const item of etcdSide.items) item.metadata.name = renamed(item.metadata.name)
      if (kind === 'networkpolicies') etcdSide.items = etcdSide.items.filter((p: any) => !p.metadata.name.startsWith('knp.default.'))
      expect(comparable(yaml.load(fromKdd.stdout)), kind).toEqual(etcdSide)
      expect(etcdSide.items.length, kind).toBeGreaterThan(0)
    }
    // Nodes: named after their Kubernetes node, BGP settings carried over.
    const nodes = yaml.load((await onKdd(['get', 'nodes', '-o', 'yaml'])).stdout) as any
    expect(nodes.items.map((n: any) => [n.metadata.name, n.spec.bgp])).toEqual([
      ['k8s-node-1', { ipv4Address: '192.0.2.11/24', ipv4IPIPTunnelAddr: '192.0.2.1' }],
      ['k8s-node-2', { ipv4Address: '192.0.2.12/24', ipv4IPIPTunnelAddr: '192.0.2.1' }],
    ])
    // The cluster keeps its identity.
    const guid = async (run: typeof onEtcd) => (yaml.load((await run(['get', 'clusterinformation', 'default', '-o', 'yaml'])).stdout) as any).spec.clusterGUID
    expect(await guid(onKdd)).toBe(await guid(onEtcd))

    for (const args of [['ipam', 'show'], ['ipam', 'show', '--show-blocks'], ['ipam', 'show', '--show-configuration'], ['ipam', 'show', '--ip=10.65.0.1'], ['ipam', 'show', '--ip=10.65.0.3'], ['ipam', 'show', '--show-borrowed']]) {
      const [fromEtcd, fromKdd] = await Promise.all([onEtcd(args), onKdd(args)])
      // Tables are compared cell by cell: renamed nodes change column widths.
      const cells = (r: CliResult) => ({ ...r, stdout: r.stdout.replace(/ +\|/g, ' |').replace(/-+\+/g, '-+') })
      expect(cells(fromKdd), args.join(' ')).toEqual(cells({ ...fromEtcd, stdout: renamed(fromEtcd.stdout) }))
    }

    // The IPAM objects, named and shaped as Calico's Kubernetes backend writes them.
    const v1 = 'crd.projectcalico.org'
    expect(kdd.server.object(v1, 'blockaffinities', 'k8s-node-1-10-65-0-0-26')).toMatchObject({
      metadata: {
        labels: {
          'projectcalico.org/affinity-type': 'host',
          'projectcalico.org/hostname-hash': expect.stringMatching(/^[A-Z2-7]{52}$/),
          'projectcalico.org/ip-version': '4',
        },
      },
      spec: { state: 'confirmed', node: 'k8s-node-1', type: 'host', cidr: '10.65.0.0/26', deleted: 'false' },
    })
    expect(kdd.server.object(v1, 'blockaffinities', 'k8s-node-1-fd00-10---122')?.spec).toMatchObject({ cidr: 'fd00:10::/122' })
    expect(kdd.server.object(v1, 'ipamhandles', 'ipip-tunnel-addr-k8s-node-2')?.spec).toEqual({ handleID: 'ipip-tunnel-addr-k8s-node-2', block: { '10.65.0.64/26': 1 }, deleted: false })
    expect(kdd.server.object(v1, 'ipamconfigs', 'default')?.spec).toEqual({ strictAffinity: true, autoAllocateBlocks: true, maxBlocksPerHost: 8 })
    const block = kdd.server.object(v1, 'ipamblocks', '10-65-0-0-26')?.spec as any
    expect(block).toMatchObject({ cidr: '10.65.0.0/26', affinity: 'host:k8s-node-1', strictAffinity: false, deleted: false })
    expect(block.attributes[0]).toEqual({ handle_id: 'ipip-tunnel-addr-k8s-node-1', secondary: { node: 'k8s-node-1', type: 'ipipTunnelAddress' } })
    // 64-bit sequence numbers are stored digit for digit, and read back so by calicoctl.
    const seq = (last: string) => BigInt(SEQ.replace(/1$/, last))
    expect(block.sequenceNumber).toBe(seq('4'))
    expect(block.sequenceNumberForAllocation).toEqual({ '0': seq('1'), '1': seq('2'), '3': seq('3') })
    expect(kdd.server.object(v1, 'ipamblocks', '10-65-0-64-26')?.spec).toMatchObject({ sequenceNumber: 7, sequenceNumberForAllocation: { '0': 6 } })
    const report = writeTempFile('migrate-ipam-report.json', '')
    expect(await onKdd(['ipam', 'check', '-o', report])).toMatchObject({ code: 0, stderr: '' })
    expect(readFileSync(report, 'utf8')).toContain(`"ip": "10.65.0.3",\n        "handle": "k8s-pod-network.77c2",\n        "sequenceNumber": ${seq('3')},`)
    // Every CRD upstream installs, under Calico's names.
    for (const plural of ['blockaffinities', 'ipamblocks', 'ipamhandles', 'ipamconfigs', 'ippools', 'tiers', 'felixconfigurations'])
      expect(kdd.server.object('apiextensions.k8s.io', 'customresourcedefinitions', `${plural}.crd.projectcalico.org`)?.spec).toMatchObject({ group: v1, scope: 'Cluster' })
  })

  it('reads the export from stdin and skips, with a warning, a node Kubernetes does not have', async () => {
    kdd.server.store.delete(NODES, undefined, 'k8s-node-2', {})
    await onEtcd(['datastore', 'migrate', 'lock'])
    const exported = await onEtcd(['datastore', 'migrate', 'export'])
    expect(await onKdd(['datastore', 'migrate', 'import', '-f', '-'], exported.stdout)).toEqual({
      code: 0,
      stderr: '',
      // Upstream's warning ends without a line break, and no count is printed when a node was skipped.
      stdout:
        'Datastore locked.\n' +
        '[WARNING] Attempted to import node Node(k8s-node-2) from etcd that references a nonexistent Kubernetes node. Skipping that node. Non-Kubernetes nodes are not supported in the Kubernetes datastore and will be skipped.' +
        'Importing IPAM resources\n' +
        'Successfully applied 11 IPAM resource(s)\n' +
        'Datastore information successfully imported. Please refer to the datastore migration documentation for next steps.\n',
    })
    expect((yaml.load((await onKdd(['get', 'nodes', '-o', 'yaml'])).stdout) as any).items.map((n: any) => n.metadata.name)).toEqual(['k8s-node-1'])
    // The datastore stays locked until the user unlocks it.
    expect((yaml.load((await onKdd(['get', 'clusterinformation', 'default', '-o', 'yaml'])).stdout) as any).spec.datastoreReady).toBe(false)
  })

  it('exports the IPAM section with the Kubernetes node names and exact sequence numbers', async () => {
    await onEtcd(['datastore', 'migrate', 'lock'])
    const { stdout } = await onEtcd(['datastore', 'migrate', 'export'])
    const [v3, clusterInfo, ipam] = stdout.split('===\n')
    // One List per kind in upstream's order, each closed by `---`.
    expect(v3.split('---\n').slice(0, -1).map((doc) => (yaml.load(doc) as any).kind)).toEqual([
      'IPPoolList', 'BGPPeerList', 'TierList', 'GlobalNetworkPolicyList', 'StagedGlobalNetworkPolicyList', 'GlobalNetworkSetList', 'HostEndpointList',
      'KubeControllersConfigurationList', 'NetworkPolicyList', 'StagedNetworkPolicyList', 'StagedKubernetesNetworkPolicyList', 'NetworkSetList',
      'NodeList', 'BGPConfigurationList', 'FelixConfigurationList', 'IPReservationList', 'BGPFilterList',
    ])
    expect(v3).not.toContain('knp.default.')
    expect(v3).not.toMatch(/uid:|creationTimestamp: "/)
    expect(JSON.parse(clusterInfo)).toMatchObject({ kind: 'ClusterInformation', metadata: { name: 'default' }, spec: { datastoreReady: false } })
    expect(ipam).toContain(`"Key": "/calico/ipam/v2/host/k8s-node-2/ipv4/block/10.65.0.64-26"`)
    expect(ipam).toContain(`"Key": "/calico/ipam/v2/handle/ipip-tunnel-addr-k8s-node-1"`)
    expect(ipam).toContain(`"sequenceNumber": ${SEQ.replace(/1$/, '4')},\n        "sequenceNumberForAllocation": {\n          "0": ${SEQ},\n          "1": ${SEQ.replace(/1$/, '2')},\n          "3": ${SEQ.replace(/1$/, '3')}\n        },`)
    expect(ipam).toMatch(/"config": \{\n {4}"Key": "\/calico\/ipam\/v2\/config",\n {4}"Value": \{\n {6}"strict_affinity": true,\n {6}"auto_allocate_blocks": true,\n {6}"maxBlocksPerHost": 8\n {4}\},\n {4}"TTL": 0\n {2}\}\n\}\n$/)
    // etcd is left as it was.
    expect((await etcdGetPrefix(env, `${IPAM}/`)).get(`${IPAM}/handle/ipip-tunnel-addr-calico-node-1`)).toBe('{"block":{"10.65.0.0/26":1},"deleted":false}')
  })
})

describe('datastore migrate export refusals', () => {
  const env = inject('etcdPlain')
  let cfg = ''
  beforeAll(() => {
    cfg = writeCalicoctlCfg(env)
  })
  beforeEach(() => etcdDelPrefix(env, '/calico/'))
  const run = (args: string[], config = cfg): Promise<CliResult> => runCli([...args, '-c', config])

  it('needs the datastore locked', async () => {
    await run(['datastore', 'migrate', 'unlock']).catch(() => undefined)
    await run(['apply', '-f', writeTempFile('pool.yaml', 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: p}\nspec: {cidr: 10.1.0.0/16}\n')])
    expect(await run(['datastore', 'migrate', 'export'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'datastore is not locked. Run the `calicoctl datastore migrate lock` command in order to begin migration\n',
    })
  })

  it('names a node without a Kubernetes node, after printing the kinds before nodes', async () => {
    await run(['datastore', 'migrate', 'lock'])
    await etcdPut(env, `${RES}/nodes/bare-metal-1`, JSON.stringify({ kind: 'Node', apiVersion: 'projectcalico.org/v3', metadata: { name: 'bare-metal-1' }, spec: {} }))
    const r = await run(['datastore', 'migrate', 'export'])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      "unable to process metadata for export for Node resource: node bare-metal-1 missing a 'k8s' orchestrator reference. Unable to export data unless every node has a 'k8s' orchestrator reference\n",
    )
    expect(r.stdout).toMatch(/kind: NetworkSetList\nmetadata:\n {2}resourceVersion: "\d+"\n---\n$/)
  })

  it('reports an unreachable etcd', async () => {
    const dead = writeCalicoctlCfg({ ETCD_ENDPOINTS: 'http://127.0.0.1:1' })
    const r = await run(['datastore', 'migrate', 'export'], dead)
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^unable to get Cluster Information to verify version mismatch: .*127\.0\.0\.1:1.*\nUse --allow-version-mismatch to override\n$/s)
  })

  it('refuses a Kubernetes datastore', async () => {
    const kdd = await startKddFixture()
    try {
      const onKdd = (args: string[]) => runCli([...args, '-c', kdd.cfg])
      expect(await onKdd(['datastore', 'migrate', 'lock'])).toMatchObject({ code: 0 })
      expect(await onKdd(['datastore', 'migrate', 'export'])).toEqual({
        code: 1,
        stdout: '',
        stderr: 'invalid datastore type: kubernetes to export from for datastore migration. Datastore type must be etcdv3\n',
      })
    } finally {
      await kdd.close()
    }
  })
})

describe('datastore migrate import refusals', () => {
  const env = inject('etcdPlain')
  let kdd: KddFixture
  beforeEach(async () => {
    await kdd?.close()
    kdd = await startKddFixture({ withoutCalicoCrds: true })
  })
  afterAll(() => kdd?.close())
  const onKdd = (args: string[]) => runCli([...args, '-c', kdd.cfg])
  const nothingWritten = () => {
    expect(kdd.server.requests.filter((r) => r.method !== 'GET')).toEqual([])
    expect(kdd.server.store.entries().filter((e) => e.plural !== 'namespaces')).toEqual([])
  }
  const IPAM_SECTION = '{\n  "config": {\n    "Key": "/calico/ipam/v2/config",\n    "Value": {\n      "auto_allocate_blocks": true\n    },\n    "TTL": 0\n  }\n}\n'
  // As calicoctl v3.31 writes it (its apimachinery still wrote a zero creationTimestamp as null).
  const POOL_LIST = 'apiVersion: projectcalico.org/v3\nitems:\n- apiVersion: projectcalico.org/v3\n  kind: IPPool\n  metadata:\n    creationTimestamp: null\n    name: p\n  spec:\n    cidr: 10.1.0.0/16\nkind: IPPoolList\nmetadata:\n  resourceVersion: "9"\n---\n'
  const CLUSTER_INFO = '{\n  "kind": "ClusterInformation",\n  "apiVersion": "projectcalico.org/v3",\n  "metadata": {\n    "name": "default"\n  },\n  "spec": {\n    "clusterGUID": "abc",\n    "datastoreReady": false\n  }\n}\n'

  it('refuses an etcd datastore', async () => {
    const cfg = writeCalicoctlCfg(env)
    expect(await runCli(['datastore', 'migrate', 'import', '-f', writeTempFile('m.yaml', `${POOL_LIST}===\n${CLUSTER_INFO}===\n${IPAM_SECTION}`), '-c', cfg])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'invalid datastore type: etcdv3 to import to for datastore migration. Datastore type must be kubernetes\n',
    })
  })

  it('refuses bad input before writing anything', async () => {
    const missing = await onKdd(['datastore', 'migrate', 'import', '-f', '/nonexistent/migration.yaml'])
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'error while reading migration file: open /nonexistent/migration.yaml: no such file or directory\n' })

    const twoParts = writeTempFile('two-parts.yaml', `${POOL_LIST}===\n${CLUSTER_INFO}`)
    expect(await onKdd(['datastore', 'migrate', 'import', '-f', twoParts])).toEqual({
      code: 1,
      stdout: '',
      stderr: `error while reading migration file: imported file: ${twoParts} is improperly formatted. Try recreating with 'calicoctl export'\n`,
    })

    const badYaml = writeTempFile('bad-yaml.yaml', `${POOL_LIST.replace('cidr: 10.1.0.0/16', 'cidr: 10.1.0.0/16\n    bogus: 1')}===\n${CLUSTER_INFO}===\n${IPAM_SECTION}`)
    const yamlResult = await onKdd(['datastore', 'migrate', 'import', '-f', badYaml])
    expect(yamlResult.code).toBe(1)
    // Upstream's error printer replaces any message naming an unknown field with this text.
    expect(yamlResult).toEqual({
      code: 1,
      stdout: '',
      stderr: `field in document is not recognized or is in the wrong location: bogus\n  at ${badYaml}: document 1, line 10 (items[0].spec.bogus)\n`,
    })

    const badIpam = writeTempFile('bad-ipam.yaml', `${POOL_LIST}===\n${CLUSTER_INFO}===\n{"blocks": [{"Key": "/calico/ipam/v2/nonsense", "Value": {}}]}\n`)
    expect(await onKdd(['datastore', 'migrate', 'import', '-f', badIpam])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'failed to read IPAM resources: blocks: "/calico/ipam/v2/nonsense" is not a block key (/calico/ipam/v2/assignment/ipv4/block/<cidr>)\n',
    })

    const notJson = writeTempFile('not-json.yaml', `${POOL_LIST}===\n${CLUSTER_INFO}===\n{"blocks": [\n`)
    expect((await onKdd(['datastore', 'migrate', 'import', '-f', notJson])).stderr).toBe('failed to read IPAM resources: unexpected end of JSON input\n')

    const noIpam = writeTempFile('no-ipam.yaml', `${POOL_LIST}===\n${CLUSTER_INFO}===\n{}\n`)
    expect(await onKdd(['datastore', 'migrate', 'import', '-f', noIpam])).toEqual({ code: 1, stdout: '', stderr: 'no IPAM resources specified in file\n' })
    nothingWritten()
  })

  it('leaves out a field newer than the CRDs that holds its default, as exports of older calicoctl-ts builds have it, and refuses it set otherwise', async () => {
    const felixList = (offload: string) =>
      'apiVersion: projectcalico.org/v3\nitems:\n- apiVersion: projectcalico.org/v3\n  kind: FelixConfiguration\n  metadata:\n    name: default\n' +
      `  spec:\n    floatingIPs: Disabled\n    nftablesFlowTableOffload: ${offload}\n    nftablesMode: Auto\nkind: FelixConfigurationList\nmetadata:\n  resourceVersion: "9"\n---\n`
    const file = (offload: string) => writeTempFile(`m-${offload}.yaml`, `${POOL_LIST}${felixList(offload)}===\n${CLUSTER_INFO}===\n${IPAM_SECTION}`)
    expect(await onKdd(['datastore', 'migrate', 'import', '-f', file('Enabled')])).toEqual({
      code: 1,
      stdout: 'Datastore locked.\n',
      stderr:
        'failed to import v3 resources: failed to import v3 resources: hit error(s): [FelixConfiguration(default): spec.nftablesFlowTableOffload (Calico v3.33) ' +
        'is not in the Calico v3.31.0 CRDs this calicoctl writes to; the Kubernetes API server would drop it]\n',
    })
    expect(kdd.server.object('crd.projectcalico.org', 'felixconfigurations', 'default')).toBeUndefined()
    await kdd.close()
    kdd = await startKddFixture({ withoutCalicoCrds: true })
    expect(await onKdd(['datastore', 'migrate', 'import', '-f', file('Disabled')])).toMatchObject({ code: 0, stderr: '' })
    expect(kdd.server.object('crd.projectcalico.org', 'felixconfigurations', 'default')?.spec).toEqual({
      bpfConnectTimeLoadBalancing: 'TCP',
      bpfHostNetworkedNATWithoutCTLB: 'Enabled',
      bpfLogLevel: '',
      floatingIPs: 'Disabled',
      nftablesMode: 'Auto',
    })
  })

  it('refuses a target that already holds Calico resources', async () => {
    const file = writeTempFile('m.yaml', `${POOL_LIST}===\n${CLUSTER_INFO}===\n${IPAM_SECTION}`)
    await kdd.close()
    // A cluster Calico already runs on: its CRDs and an IP pool.
    kdd = await startKddFixture()
    expect((await onKdd(['apply', '-f', writeTempFile('pool2.yaml', 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: existing}\nspec: {cidr: 10.9.0.0/16}\n')])).code).toBe(0)
    expect(await onKdd(['datastore', 'migrate', 'import', '-f', file])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'datastore already has Calico resources: found existing Calico IPPool resource. Clear out all Calico resources by deleting all Calico CRDs\n',
    })
    // Its CRDs were brought up to date first, as upstream does.
    expect(kdd.server.requests.filter((r) => r.method === 'PUT' && r.path.includes('customresourcedefinitions')).length).toBeGreaterThan(0)
  })

  it('refuses a target holding only IPAM objects', async () => {
    const file = writeTempFile('m.yaml', `${POOL_LIST}===\n${CLUSTER_INFO}===\n${IPAM_SECTION}`)
    await kdd.close()
    kdd = await startKddFixture()
    // A handle the CNI plugin left behind, nothing else.
    const handle = { apiVersion: 'crd.projectcalico.org/v1', kind: 'IPAMHandle', metadata: { name: 'k8s-pod-network.aaa' }, spec: { handleID: 'k8s-pod-network.aaa', block: { '10.1.0.0/26': 1 }, deleted: false } }
    expect((await kdd.request('POST', '/apis/crd.projectcalico.org/v1/ipamhandles', handle)).code).toBe(201)
    expect(await onKdd(['datastore', 'migrate', 'import', '-f', file])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'datastore already has Calico resources: found existing IPAM resources. Clear out all Calico resources by deleting all Calico CRDs\n',
    })
  })

  it('refuses to import the same file twice', async () => {
    const file = writeTempFile('m.yaml', `${POOL_LIST}===\n${CLUSTER_INFO}===\n${IPAM_SECTION}`)
    expect(await onKdd(['datastore', 'migrate', 'import', '-f', file])).toMatchObject({ code: 0, stderr: '' })
    expect(kdd.server.object('crd.projectcalico.org', 'ippools', 'p')?.spec).toMatchObject({ cidr: '10.1.0.0/16' })
    expect(await onKdd(['datastore', 'migrate', 'import', '-f', file])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'datastore already has Calico resources: found existing Calico IPPool resource. Clear out all Calico resources by deleting all Calico CRDs\n',
    })
  })

  it("installs Kubernetes' AdminNetworkPolicy CRDs, which then admit and refuse policies as a cluster does", async () => {
    const file = writeTempFile('m.yaml', `${POOL_LIST}===\n${CLUSTER_INFO}===\n${IPAM_SECTION}`)
    expect(await onKdd(['datastore', 'migrate', 'import', '-f', file])).toMatchObject({ code: 0, stderr: '' })
    const crd = (plural: string) => kdd.server.object('apiextensions.k8s.io', 'customresourcedefinitions', `${plural}.policy.networking.k8s.io`) as any
    expect(crd('adminnetworkpolicies').metadata.annotations['api-approved.kubernetes.io']).toMatch(/^https:\/\//)
    expect(crd('adminnetworkpolicies').spec).toMatchObject({ scope: 'Cluster', names: { kind: 'AdminNetworkPolicy', shortNames: ['anp'] }, versions: [{ name: 'v1alpha1', subresources: { status: {} } }] })
    expect(crd('baselineadminnetworkpolicies').spec).toMatchObject({ scope: 'Cluster', names: { kind: 'BaselineAdminNetworkPolicy', shortNames: ['banp'] } })

    const anps = '/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies'
    const banps = '/apis/policy.networking.k8s.io/v1alpha1/baselineadminnetworkpolicies'
    const subject = { namespaces: { matchLabels: { tenant: 'a' } } }
    const anp = (name: string, spec: object) => ({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name }, spec })
    const created = await kdd.request('POST', anps, anp('allow-dns', { priority: 10, subject, egress: [{ action: 'Allow', to: [{ networks: ['10.96.0.10/32'] }], ports: [{ portNumber: { port: 53 } }] }] }))
    expect(created.code).toBe(201)
    // The schema's default, applied by the API server.
    expect(created.body.spec.egress[0].ports[0].portNumber).toEqual({ port: 53, protocol: 'TCP' })

    const refused = await kdd.request('POST', anps, anp('bad', { priority: 1001, subject, egress: [{ action: 'Allow', to: [{ networks: ['10.0.0.0/8', '10.0.0.0/8'] }] }] }))
    expect(refused.code).toBe(422)
    expect(refused.body.message).toBe(
      'AdminNetworkPolicy.policy.networking.k8s.io "bad" is invalid: [spec.priority: Invalid value: 1001: spec.priority in body should be less than or equal to 1000, ' +
        'spec.egress[0].to[0].networks[1]: Duplicate value: "10.0.0.0/8"]',
    )
    const namedPort = await kdd.request('POST', anps, anp('named', { priority: 1, subject, egress: [{ action: 'Deny', to: [{ networks: ['::ffff:10.0.0.1/128'] }], ports: [{ namedPort: 'dns' }] }] }))
    expect(namedPort.body.message).toBe(
      'AdminNetworkPolicy.policy.networking.k8s.io "named" is invalid: [spec.egress[0]: Invalid value: "object": networks/nodes peer cannot be set with namedPorts since there are no namedPorts for networks/nodes, ' +
        'spec.egress[0].to[0].networks[0]: Invalid value: "string": CIDR must be either an IPv4 or IPv6 address. IPv4 address embedded in IPv6 addresses are not supported]',
    )

    const banp = (name: string, action: string) => ({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name }, spec: { subject, ingress: [{ action, from: [{ namespaces: {} }] }] } })
    expect((await kdd.request('POST', banps, banp('default', 'Deny'))).code).toBe(201)
    expect((await kdd.request('POST', banps, banp('second', 'Deny'))).body.message).toBe(
      'BaselineAdminNetworkPolicy.policy.networking.k8s.io "second" is invalid: <nil>: Invalid value: "object": Only one baseline admin network policy with metadata.name="default" can be created in the cluster',
    )
    // Pass is an AdminNetworkPolicy action only.
    expect((await kdd.request('POST', banps, banp('default', 'Pass'))).body.message).toMatch(/spec\.ingress\[0\]\.action: Unsupported value: "Pass": supported values: "Allow", "Deny"/)
  })

  it('refuses a cluster that keeps Calico resources in projectcalico.org/v3 CRDs, before writing', async () => {
    const file = writeTempFile('m.yaml', `${POOL_LIST}===\n${CLUSTER_INFO}===\n${IPAM_SECTION}`)
    await kdd.close()
    kdd = await startKddFixture({ groups: ['projectcalico.org'] })
    expect(await onKdd(['datastore', 'migrate', 'import', '-f', file])).toEqual({
      code: 1,
      stdout: '',
      stderr: "this cluster keeps Calico's resources in projectcalico.org/v3; calicoctl-ts imports into crd.projectcalico.org/v1 only\n",
    })
    nothingWritten()
  })

  it('reports an unreachable API server', async () => {
    const file = writeTempFile('m.yaml', `${POOL_LIST}===\n${CLUSTER_INFO}===\n${IPAM_SECTION}`)
    const kubeconfig = writeTempFile('dead-kubeconfig', 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n')
    const cfg = writeTempFile('dead.cfg', `apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nmetadata: {}\nspec: {datastoreType: kubernetes, kubeconfig: ${kubeconfig}}\n`)
    expect(await runCli(['datastore', 'migrate', 'import', '-f', file, '-c', cfg])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'error applying the CRDs necessary to begin datastore import: error creating CRD bgpconfigurations.crd.projectcalico.org: Post "http://127.0.0.1:1/apis/apiextensions.k8s.io/v1/customresourcedefinitions": dial tcp 127.0.0.1:1: connect: connection refused\n',
    })
  })
})
