import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { convertUid } from '../../src/datastore/kubernetes/uid.js'
import { runCli } from './helpers.js'
import { startKddFixture, type KddFixture } from './kube-apiserver/fixture.js'
import { calicoResources } from './kube-apiserver/resources.js'

/**
 * calicoctl on the Kubernetes datastore, through the built binary against the test API server:
 * the objects it stores are the ones Calico's components read (checked field by field), objects
 * those components wrote read back correctly, Nodes stay kubelet-owned, and many resources are
 * written concurrently with file-order results.
 */
const CRD = 'crd.projectcalico.org'
const crdResource = (kind: string) => calicoResources(CRD).find((r) => r.kind === kind)!

const node = (name: string, extra = '') => `apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: ${name}
${extra}`

describe('calicoctl on the Kubernetes datastore', () => {
  let kube: KddFixture
  const calicoctl = (args: string[], stdin?: string) => runCli([...args, '-c', kube.cfg], { stdin })
  const stored = (plural: string, name: string) => kube.server.object(plural === 'nodes' ? '' : CRD, plural, name) as any

  beforeAll(async () => {
    kube = await startKddFixture()
  })
  afterAll(() => kube.close())
  beforeEach(() => {
    kube.server.store.clear()
    kube.server.setLatency(0)
    kube.addNode({
      metadata: {
        name: 'n1',
        labels: { 'kubernetes.io/hostname': 'n1' },
        annotations: { 'projectcalico.org/IPv4Address': '192.168.0.1/24', 'node.alpha.kubernetes.io/ttl': '0' },
      },
      spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
    })
  })

  it('stores an IPPool as a v1 custom resource: Calico-owned labels and annotations real, all metadata in the annotation', async () => {
    const pool = `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool-a
  labels:
    team: net
    projectcalico.org/owner: ops
  annotations:
    note: hello <world> & co
    operator.tigera.io/managed: "yes"
spec:
  cidr: 10.10.0.0/16
`
    expect(await calicoctl(['apply', '-f', '-'], pool)).toEqual({ code: 0, stdout: "Successfully applied 1 'IPPool' resource(s)\n", stderr: '' })
    const crd = stored('ippools', 'pool-a')
    expect(crd.apiVersion).toBe('crd.projectcalico.org/v1')
    expect(crd.kind).toBe('IPPool')
    expect(Object.keys(crd.metadata).sort()).toEqual(['annotations', 'creationTimestamp', 'generation', 'labels', 'name', 'resourceVersion', 'uid'])
    expect(crd.metadata.labels).toEqual({ 'projectcalico.org/owner': 'ops' })
    const metadataJson = crd.metadata.annotations['projectcalico.org/metadata']
    const created = JSON.parse(metadataJson).creationTimestamp
    expect(created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    // Go's encoding of ObjectMeta: field order, sorted map keys, HTML-safe escapes.
    expect(metadataJson).toBe(
      `{"creationTimestamp":"${created}","labels":{"projectcalico.org/owner":"ops","team":"net"},` +
        '"annotations":{"note":"hello \\u003cworld\\u003e \\u0026 co","operator.tigera.io/managed":"yes"}}',
    )
    expect(crd.metadata.annotations).toEqual({ 'operator.tigera.io/managed': 'yes', 'projectcalico.org/metadata': metadataJson })
    expect(crd.spec).toEqual({
      cidr: '10.10.0.0/16',
      vxlanMode: 'Never',
      ipipMode: 'Never',
      blockSize: 26,
      nodeSelector: 'all()',
      allowedUses: ['Workload', 'Tunnel'],
      assignmentMode: 'Automatic',
    })

    const shown = JSON.parse((await calicoctl(['get', 'ippool', 'pool-a', '-o', 'json'])).stdout)
    expect(shown.metadata).toEqual({
      name: 'pool-a',
      uid: convertUid(crd.metadata.uid),
      resourceVersion: crd.metadata.resourceVersion,
      creationTimestamp: created,
      labels: { 'projectcalico.org/owner': 'ops', team: 'net' },
      annotations: { note: 'hello <world> & co', 'operator.tigera.io/managed': 'yes' },
    })
  })

  it('reads what other Calico versions wrote: no metadata annotation, v1 IPIP fields, tiers without defaults', async () => {
    kube.server.store.create(crdResource('IPPool'), undefined, {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'IPPool',
      metadata: { name: 'legacy', labels: { zone: 'a' } },
      spec: { cidr: '10.20.0.0/16', blockSize: 26, nodeSelector: 'all()', ipip: { enabled: true, mode: 'cross-subnet' }, 'nat-outgoing': true },
    })
    kube.server.store.create(crdResource('Tier'), undefined, { apiVersion: 'crd.projectcalico.org/v1', kind: 'Tier', metadata: { name: 'security' }, spec: {} })
    const pool = JSON.parse((await calicoctl(['get', 'ippool', 'legacy', '-o', 'json'])).stdout)
    const crd = stored('ippools', 'legacy')
    expect(pool.metadata).toMatchObject({ name: 'legacy', uid: convertUid(crd.metadata.uid), labels: { zone: 'a' }, creationTimestamp: crd.metadata.creationTimestamp })
    // The API server applied the CRD's default assignment mode when the pool was written.
    expect(pool.spec).toEqual({ cidr: '10.20.0.0/16', ipipMode: 'CrossSubnet', natOutgoing: true, blockSize: 26, nodeSelector: 'all()', assignmentMode: 'Automatic' })
    expect((await calicoctl(['get', 'tier', 'security'])).stdout).toBe('NAME       ORDER   \nsecurity   1e+06   \n\n')
  })

  it('merges kdd into an existing clusterType', async () => {
    kube.server.store.create(crdResource('ClusterInformation'), undefined, {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'ClusterInformation',
      metadata: { name: 'default' },
      spec: { clusterGUID: '0123456789abcdef0123456789abcdef', clusterType: 'k8s,bgp,kubeadm', datastoreReady: true },
    })
    expect((await calicoctl(['apply', '-f', '-'], node('n1'))).code).toBe(0)
    expect(stored('clusterinformations', 'default').spec).toEqual({
      clusterGUID: '0123456789abcdef0123456789abcdef',
      clusterType: 'k8s,bgp,kubeadm,kdd',
      datastoreReady: true,
    })
    expect((await calicoctl(['version'])).stdout).toContain('Cluster Type:      k8s,bgp,kubeadm,kdd\n')
  })

  it('writes every Calico Node field into its own annotation of the Kubernetes Node, and removes them again', async () => {
    const full = node(
      'n1',
      `  labels:
    rack: r1
spec:
  bgp:
    asNumber: 64513
    ipv4Address: 10.0.0.1/24
    ipv6Address: fd00::1/64
    routeReflectorClusterID: 224.0.0.2
    ipv4IPIPTunnelAddr: 10.244.1.1
  ipv4VXLANTunnelAddr: 10.244.1.2
  vxlanTunnelMACAddr: 66:d4:3c:1e:9a:01
  wireguard:
    interfaceIPv4Address: 10.244.1.3
`,
    )
    expect(await calicoctl(['apply', '-f', '-'], full)).toEqual({ code: 0, stdout: "Successfully applied 1 'Node' resource(s)\n", stderr: '' })
    const kubeNode = stored('nodes', 'n1')
    expect(kubeNode.metadata.annotations).toEqual({
      'node.alpha.kubernetes.io/ttl': '0',
      'projectcalico.org/labels': '{"rack":"r1"}',
      'projectcalico.org/ASNumber': '64513',
      'projectcalico.org/IPv4Address': '10.0.0.1/24',
      'projectcalico.org/IPv6Address': 'fd00::1/64',
      'projectcalico.org/RouteReflectorClusterID': '224.0.0.2',
      'projectcalico.org/IPv4IPIPTunnelAddr': '10.244.1.1',
      'projectcalico.org/IPv4VXLANTunnelAddr': '10.244.1.2',
      'projectcalico.org/VXLANTunnelMACAddr': '66:d4:3c:1e:9a:01',
      'projectcalico.org/IPv4WireguardInterfaceAddr': '10.244.1.3',
    })
    expect(kubeNode.metadata.labels).toEqual({ 'kubernetes.io/hostname': 'n1' })
    expect(kubeNode.spec).toEqual({ podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] })

    const shown = JSON.parse((await calicoctl(['get', 'node', 'n1', '-o', 'json'])).stdout)
    expect(shown.metadata.labels).toEqual({ 'kubernetes.io/hostname': 'n1', rack: 'r1' })
    expect(shown.spec.bgp).toEqual({ asNumber: 64513, ipv4Address: '10.0.0.1/24', ipv6Address: 'fd00::1/64', ipv4IPIPTunnelAddr: '10.244.1.1', routeReflectorClusterID: '224.0.0.2' })
    expect(shown.status).toEqual({ podCIDRs: ['10.244.1.0/24'] })

    expect((await calicoctl(['apply', '-f', '-'], node('n1', 'spec:\n  bgp:\n    ipv4Address: 10.0.0.1/24\n'))).code).toBe(0)
    expect(stored('nodes', 'n1').metadata.annotations).toEqual({ 'node.alpha.kubernetes.io/ttl': '0', 'projectcalico.org/IPv4Address': '10.0.0.1/24' })
  })

  it('shows a label set with kubectl on the node, and never writes Kubernetes labels back', async () => {
    const label = await kube.request('PATCH', '/api/v1/nodes/n1', { metadata: { labels: { 'route-reflector': 'true' } } }, 'application/merge-patch+json')
    expect(label.code).toBe(200)
    const exported = await calicoctl(['get', 'node', 'n1', '-o', 'yaml'])
    expect(exported.stdout).toContain('  labels:\n    kubernetes.io/hostname: n1\n    route-reflector: "true"\n')
    // Changing the Kubernetes label through calicoctl is ignored; a new Calico label is kept apart.
    const edited = exported.stdout.replace('    route-reflector: "true"\n', '    route-reflector: "false"\n    rr-group: a\n')
    expect(await calicoctl(['apply', '-f', '-'], edited)).toEqual({ code: 0, stdout: "Successfully applied 1 'Node' resource(s)\n", stderr: '' })
    const kubeNode = stored('nodes', 'n1')
    expect(kubeNode.metadata.labels).toEqual({ 'kubernetes.io/hostname': 'n1', 'route-reflector': 'true' })
    expect(kubeNode.metadata.annotations['projectcalico.org/labels']).toBe('{"rr-group":"a"}')
    expect(kubeNode.metadata.annotations['projectcalico.org/kube-labels']).toBeUndefined()
    const shown = JSON.parse((await calicoctl(['get', 'node', 'n1', '-o', 'json'])).stdout)
    expect(shown.metadata.labels).toEqual({ 'kubernetes.io/hostname': 'n1', 'route-reflector': 'true', 'rr-group': 'a' })
  })

  it('refuses to create or delete Nodes with upstream messages; apply of an unknown node finds nothing to update', async () => {
    expect(await calicoctl(['create', '-f', '-'], node('n2'))).toEqual({
      code: 1,
      stdout: '',
      stderr: "failed to create 'Node' resource: [operation Create is not supported on Node(n2)]\n",
    })
    expect(await calicoctl(['delete', 'node', 'n1'])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "Failed to delete 'Node' resource: resource does not exist: WorkloadEndpoint(n1-*) with error: malformed WorkloadEndpoint name - unable to determine Pod name\n\n",
    })
    expect(await calicoctl(['apply', '-f', '-'], node('ghost'))).toEqual({
      code: 1,
      stdout: '',
      stderr: 'failed to apply \'Node\' resource: [resource does not exist: Node(ghost) with error: nodes "ghost" not found]\n',
    })
    expect(stored('nodes', 'n1')).toBeDefined()
  })

  it('writes many resources concurrently and still reports them in file order', async () => {
    const peer = (i: number) => `apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: peer-${i}\nspec:\n  peerIP: 10.0.0.${i}\n  asNumber: 64512\n`
    const file = Array.from({ length: 6 }, (_, i) => peer(i + 1)).join('---\n')
    expect((await calicoctl(['create', '-f', '-'], [peer(2), peer(5)].join('---\n'))).code).toBe(0)
    kube.server.setLatency(30)
    kube.server.resetStats()
    const r = await calicoctl(['create', '-f', '-'], file)
    expect(kube.server.maxInFlight).toBeGreaterThan(1)
    expect(kube.server.maxInFlight).toBeLessThanOrEqual(8)
    const exists = (i: number) => `resource already exists: BGPPeer(peer-${i}) with error: bgppeers.crd.projectcalico.org "peer-${i}" already exists`
    expect(r).toEqual({
      code: 1,
      stdout: "Partial success: created the first 4 out of 6 'BGPPeer' resources:\n",
      stderr: `hit error: [${exists(2)} ${exists(5)}]\n`,
    })
  })

  it('checks IP pools against each other one at a time, as written in the file', async () => {
    kube.server.setLatency(30)
    const pools = ['pool-a', 'pool-b']
      .map((name, i) => `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: ${name}\nspec:\n  cidr: 10.30.0.0/${16 + 8 * i}\n`)
      .join('---\n')
    const r = await calicoctl(['create', '-f', '-'], pools)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      "hit error: [error with field IPPool.Spec.CIDR = '10.30.0.0/24' (IPPool(pool-b) CIDR overlaps with IPPool(pool-a) CIDR 10.30.0.0/16)]\n  at stdin: document 2, line 13 (spec.cidr)\n",
    )
    expect(stored('ippools', 'pool-b')).toBeUndefined()
  })
})
