import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { etcdUnderTest, kubernetesUnderTest } from './datastores.js'
import { etcdGetPrefix, runCli, writeTempFile } from './helpers.js'
import { convertUid } from '../../src/datastore/kubernetes/uid.js'

/**
 * The route-reflector workflow of the admin notes, step by step through the built binary, on both
 * datastores: a real TLS etcd, and the Kubernetes test API server (TLS, client certificate). Each
 * step checks what the user sees and what lands in the datastore: etcd keys and values, or the
 * custom resources and Node annotations Calico's own components read.
 */
const RES = '/calico/resources/v3/projectcalico.org'
const NODE = 'gihtg-k8s-master01'
// What calico/node writes when it registers a node (compact Go JSON).
const NODE_VALUE =
  '{"kind":"Node","apiVersion":"projectcalico.org/v3","metadata":{"name":"gihtg-k8s-master01","uid":"2b4f0f5e-7c0e-4a53-9a43-3f1f8e0c6a11","creationTimestamp":"2026-11-01T08:00:00Z"},"spec":{"bgp":{"ipv4Address":"192.168.2.1/24"},"orchRefs":[{"nodeName":"192.168.2.1","orchestrator":"k8s"}]}}'
// The same node in a Kubernetes cluster: registered by the kubelet, annotated by calico/node.
const KUBE_NODE = {
  metadata: {
    name: NODE,
    labels: { 'kubernetes.io/hostname': NODE, 'kubernetes.io/os': 'linux' },
    annotations: { 'projectcalico.org/IPv4Address': '192.168.2.1/24', 'node.alpha.kubernetes.io/ttl': '0' },
  },
  spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] },
  status: { addresses: [{ type: 'InternalIP', address: '192.168.2.1' }, { type: 'Hostname', address: NODE }] },
}

const IPPOOL = `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: default-ipv4-ippool
spec:
  blockSize: 26
  cidr: 172.8.0.0/16
  ipipMode: Never
  natOutgoing: true
`
const BGPCONFIG = `apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
 logSeverityScreen: Info
 nodeToNodeMeshEnabled: false
 asNumber: 64512
`
const peers = (nodeSelector: string) => `kind: BGPPeer
apiVersion: projectcalico.org/v3
metadata:
  name: peer-to-rrs
spec:
  nodeSelector: ${nodeSelector}
  peerSelector: has(i-am-a-route-reflector)

---
kind: BGPPeer
apiVersion: projectcalico.org/v3
metadata:
  name: rr-mesh
spec:
  nodeSelector: has(i-am-a-route-reflector)
  peerSelector: has(i-am-a-route-reflector)
`
const POOL_SPEC = {
  cidr: '172.8.0.0/16',
  vxlanMode: 'Never',
  ipipMode: 'Never',
  natOutgoing: true,
  blockSize: 26,
  nodeSelector: 'all()',
  allowedUses: ['Workload', 'Tunnel'],
  assignmentMode: 'Automatic',
}
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/

describe.each([
  ['a TLS etcd', () => etcdUnderTest('etcdTls')],
  ['the Kubernetes API (test server, TLS, client certificate)', kubernetesUnderTest],
] as const)('route-reflector workflow on %s', (_name, makeDatastore) => {
  const ds = makeDatastore()
  const kdd = ds.name === 'kubernetes'
  let cfg: string
  const calicoctl = (args: string[], stdin?: string) => runCli([...args, '-c', cfg], { stdin })
  /** The Calico metadata a v1 custom resource keeps in its annotation. */
  const stashed = (o: any) => JSON.parse(o.metadata.annotations['projectcalico.org/metadata'])

  beforeAll(async () => {
    cfg = await ds.setUp()
    await ds.addNode(NODE_VALUE, KUBE_NODE)
  })
  afterAll(() => ds.tearDown())

  it(`applies the IP pool with upstream defaults stored in Go field order`, async () => {
    const r = await calicoctl(['apply', '-f', '-'], IPPOOL)
    expect(r).toMatchObject({ code: 0, stdout: "Successfully applied 1 'IPPool' resource(s)\n", stderr: '' })
    const value = (await ds.stored()).get('ippools/default-ipv4-ippool')
    expect(Object.keys(value)).toEqual(['kind', 'apiVersion', 'metadata', 'spec'])
    expect(value.spec).toEqual(POOL_SPEC)
    expect(Object.keys(value.spec)).toEqual(['cidr', 'vxlanMode', 'ipipMode', 'natOutgoing', 'blockSize', 'nodeSelector', 'allowedUses', 'assignmentMode'])
    if (!kdd) {
      expect(value.metadata.uid).toMatch(/^[0-9a-f-]{36}$/)
      expect(value.metadata.creationTimestamp).toMatch(TIMESTAMP)
      expect(value.metadata.resourceVersion).toBeUndefined()
    } else {
      expect(value.apiVersion).toBe('crd.projectcalico.org/v1')
      expect(value.metadata.uid).toMatch(/^[0-9a-f-]{36}$/)
      expect(value.metadata.resourceVersion).toMatch(/^\d+$/)
      expect(value.metadata.labels).toBeUndefined()
      expect(Object.keys(value.metadata.annotations)).toEqual(['projectcalico.org/metadata'])
      expect(Object.keys(stashed(value))).toEqual(['creationTimestamp'])
      expect(stashed(value).creationTimestamp).toMatch(TIMESTAMP)
      // What calicoctl shows is the v3 view of that object: uid converted, resourceVersion passed through.
      const shown = await calicoctl(['get', 'ippool', 'default-ipv4-ippool', '-o', 'json'])
      expect(JSON.parse(shown.stdout).metadata).toEqual({
        name: 'default-ipv4-ippool',
        uid: convertUid(value.metadata.uid),
        resourceVersion: value.metadata.resourceVersion,
        creationTimestamp: stashed(value).creationTimestamp,
      })
    }
  })

  it(`initialised ClusterInformation and the default tiers on the first write`, async () => {
    const keys = await ds.stored()
    const info = keys.get('clusterinformations/default')
    expect(info.spec.clusterGUID).toMatch(/^[0-9a-f]{32}$/)
    expect(info.spec.datastoreReady).toBe(true)
    // EnsureInitialized tags a Kubernetes-backed cluster `kdd`.
    expect(info.spec.clusterType).toBe(kdd ? 'kdd' : undefined)
    expect(keys.get('tiers/default').spec).toEqual({ order: 1000000, defaultAction: 'Deny' })
    expect(keys.has('tiers/kube-admin')).toBe(true)
    expect(keys.has('tiers/kube-baseline')).toBe(true)
  })

  it(`switches off the full mesh`, async () => {
    const r = await calicoctl(['apply', '-f', '-'], BGPCONFIG)
    expect(r).toMatchObject({ code: 0, stdout: "Successfully applied 1 'BGPConfiguration' resource(s)\n", stderr: '' })
    const value = (await ds.stored()).get('bgpconfigurations/default')
    expect(value.spec).toMatchObject({ logSeverityScreen: 'Info', nodeToNodeMeshEnabled: false, asNumber: 64512 })
  })

  it(`exports the node, takes the edit back with a string label and the cluster ID`, async () => {
    const exported = await calicoctl(['get', 'node', NODE, '-o', 'yaml'])
    expect(exported.code).toBe(0)
    let edited: string
    if (!kdd) {
      expect(exported.stdout).toMatch(/^apiVersion: projectcalico.org\/v3\nkind: Node\nmetadata:\n  creationTimestamp: "2026-11-01T08:00:00Z"\n  name: gihtg-k8s-master01\n  resourceVersion: "\d+"\n  uid: 2b4f0f5e-7c0e-4a53-9a43-3f1f8e0c6a11\nspec:\n  bgp:\n    ipv4Address: 192.168.2.1\/24\n  orchRefs:\n  - nodeName: 192.168.2.1\n    orchestrator: k8s\nstatus: \{\}\n$/)
      edited = exported.stdout.replace(`  name: ${NODE}\n`, `  labels:\n    i-am-a-route-reflector: true\n  name: ${NODE}\n`)
    } else {
      const kubeNode = (await ds.stored()).get(`nodes/${NODE}`)
      expect(exported.stdout).toBe(
        [
          'apiVersion: projectcalico.org/v3',
          'kind: Node',
          'metadata:',
          '  annotations:',
          `    projectcalico.org/kube-labels: '{"kubernetes.io/hostname":"${NODE}","kubernetes.io/os":"linux"}'`,
          `  creationTimestamp: "${kubeNode.metadata.creationTimestamp}"`,
          '  labels:',
          `    kubernetes.io/hostname: ${NODE}`,
          '    kubernetes.io/os: linux',
          `  name: ${NODE}`,
          `  resourceVersion: "${kubeNode.metadata.resourceVersion}"`,
          `  uid: ${kubeNode.metadata.uid}`,
          'spec:',
          '  addresses:',
          '  - address: 192.168.2.1/24',
          '    type: CalicoNodeIP',
          '  - address: 192.168.2.1',
          '    type: InternalIP',
          '  bgp:',
          '    ipv4Address: 192.168.2.1/24',
          '  orchRefs:',
          `  - nodeName: ${NODE}`,
          '    orchestrator: k8s',
          'status:',
          '  podCIDRs:',
          '  - 10.244.0.0/24',
          '',
        ].join('\n'),
      )
      edited = exported.stdout.replace('  labels:\n', '  labels:\n    i-am-a-route-reflector: true\n')
    }
    edited = edited.replace('    ipv4Address: 192.168.2.1/24\n', '    ipv4Address: 192.168.2.1/24\n    routeReflectorClusterID: 224.0.0.1\n')
    const file = writeTempFile(`rr01-${ds.name}.yaml`, edited)
    const r = await calicoctl(['apply', '-f', file])
    expect(r).toMatchObject({ code: 0, stdout: "Successfully applied 1 'Node' resource(s)\n", stderr: '' })
    const value = (await ds.stored()).get(`nodes/${NODE}`)
    if (!kdd) {
      expect(value.metadata.labels).toEqual({ 'i-am-a-route-reflector': 'true' })
      expect(value.metadata.uid).toBe('2b4f0f5e-7c0e-4a53-9a43-3f1f8e0c6a11')
      expect(value.metadata.creationTimestamp).toBe('2026-11-01T08:00:00Z')
      expect(value.spec.bgp).toEqual({ ipv4Address: '192.168.2.1/24', routeReflectorClusterID: '224.0.0.1' })
    } else {
      // Calico's label goes into the annotation; the Kubernetes labels and the rest of the Node are untouched.
      expect(value.metadata.labels).toEqual(KUBE_NODE.metadata.labels)
      expect(value.metadata.annotations).toEqual({
        ...KUBE_NODE.metadata.annotations,
        'projectcalico.org/labels': '{"i-am-a-route-reflector":"true"}',
        'projectcalico.org/RouteReflectorClusterID': '224.0.0.1',
      })
      expect(value.spec).toEqual(KUBE_NODE.spec)
      expect(value.status).toEqual(KUBE_NODE.status)
    }
    expect(readFileSync(file, 'utf8')).toContain('i-am-a-route-reflector: true')
  })

  it(`refuses the unquoted !has(...) selector with a hint and writes nothing`, async () => {
    const before = await ds.stored()
    const r = await calicoctl(['create', '-f', '-'], peers('!has(i-am-a-route-reflector)'))
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('failed to execute command: stdin: document 1, line 6')
    expect(r.stderr).toContain('spec.nodeSelector')
    expect(r.stderr).toContain('nodeSelector: "!has(i-am-a-route-reflector)"')
    expect(await ds.stored()).toEqual(before)
  })

  it(`creates both BGPPeers from one stream`, async () => {
    const r = await calicoctl(['create', '-f', '-'], peers('"!has(i-am-a-route-reflector)"'))
    expect(r).toMatchObject({ code: 0, stdout: "Successfully created 2 'BGPPeer' resource(s)\n", stderr: '' })
    if (!kdd) {
      const value = (await etcdGetPrefix(inject('etcdTls'), `${RES}/bgppeers/peer-to-rrs`)).get(`${RES}/bgppeers/peer-to-rrs`) as string
      // Go's encoder escapes nothing in these selectors; the value is compact JSON.
      expect(value).toMatch(/"spec":\{"nodeSelector":"!has\(i-am-a-route-reflector\)","peerSelector":"has\(i-am-a-route-reflector\)"\}\}$/)
    } else {
      const value = (await ds.stored()).get('bgppeers/peer-to-rrs')
      expect(value.spec).toEqual({ nodeSelector: '!has(i-am-a-route-reflector)', peerSelector: 'has(i-am-a-route-reflector)' })
    }
    const inner = (name: string) => (kdd ? `bgppeers.crd.projectcalico.org "${name}" already exists` : '<nil>')
    const again = await calicoctl(['create', '-f', '-'], peers('"!has(i-am-a-route-reflector)"'))
    expect(again.code).toBe(1)
    expect(again.stderr).toBe(
      `failed to create any 'BGPPeer' resources: [resource already exists: BGPPeer(peer-to-rrs) with error: ${inner('peer-to-rrs')} resource already exists: BGPPeer(rr-mesh) with error: ${inner('rr-mesh')}]\n`,
    )
  })

  it(`lists pools wide, peers and nodes as upstream tables`, async () => {
    const pools = await calicoctl(['get', 'ippool', '-o', 'wide'])
    expect(pools).toMatchObject({ code: 0, stderr: '' })
    expect(pools.stdout).toBe(
      'NAME                  CIDR           NAT    IPIPMODE   VXLANMODE   DISABLED   DISABLEBGPEXPORT   SELECTOR   ASSIGNMENTMODE   \n' +
        'default-ipv4-ippool   172.8.0.0/16   true   Never      Never       false      false              all()      Automatic        \n\n',
    )
    const bgpPeers = await calicoctl(['get', 'bgppeer'])
    expect(bgpPeers.stdout).toBe(
      'NAME          PEERIP   NODE                           ASN   \n' +
        'peer-to-rrs            !has(i-am-a-route-reflector)   0     \n' +
        'rr-mesh                has(i-am-a-route-reflector)    0     \n\n',
    )
    const nodes = await calicoctl(['get', 'nodes', '-o', 'wide'])
    expect(nodes.stdout).toBe(
      'NAME                 ASN       IPV4             IPV6   \n' + 'gihtg-k8s-master01   (64512)   192.168.2.1/24          \n\n',
    )
  })

  it(`prints the BGP configuration as Go-ordered JSON without a trailing newline`, async () => {
    const r = await calicoctl(['get', 'bgpconfig', 'default', '-o', 'json'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^\{\n  "kind": "BGPConfiguration",\n  "apiVersion": "projectcalico.org\/v3",\n  "metadata": \{\n    "name": "default",\n    "uid": "[0-9a-f-]{36}",\n    "resourceVersion": "\d+",\n    "creationTimestamp": "[0-9TZ:-]+"\n  \},\n  "spec": \{\n/)
    expect(r.stdout).toContain('"nodeToNodeMeshEnabled": false')
    expect(r.stdout).toContain('"asNumber": 64512')
    expect(r.stdout.endsWith('}')).toBe(true)
  })

  it(`deletes a peer, and replaces the BGP configuration`, async () => {
    const del = await calicoctl(['delete', 'bgppeer', 'rr-mesh'])
    expect(del).toMatchObject({ code: 0, stdout: "Successfully deleted 1 'BGPPeer' resource(s)\n", stderr: '' })
    expect((await ds.stored()).has('bgppeers/rr-mesh')).toBe(false)
    const missing = await calicoctl(['delete', 'bgppeer', 'rr-mesh'])
    const inner = kdd ? 'bgppeers.crd.projectcalico.org "rr-mesh" not found' : '<nil>'
    expect(missing).toMatchObject({ code: 1, stdout: '', stderr: `Failed to delete 'BGPPeer' resource: resource does not exist: BGPPeer(rr-mesh) with error: ${inner}\n\n` })

    const replaced = await calicoctl(['replace', '-f', '-'], BGPCONFIG.replace('Info', 'Warning'))
    expect(replaced).toMatchObject({ code: 0, stdout: "Successfully replaced 1 'BGPConfiguration' resource(s)\n", stderr: '' })
    const table = await calicoctl(['get', 'bgpconfig'])
    expect(table.stdout).toBe('NAME      LOGSEVERITY   MESHENABLED   ASNUMBER   \n' + 'default   Warning       false         64512      \n\n')
  })
})
