import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { etcdDelPrefix, etcdGetPrefix, etcdPut, runCli, writeCalicoctlCfg, writeTempFile } from './helpers.js'

/**
 * The route-reflector workflow of the admin notes, step by step through the built binary
 * against a real TLS etcd, checking what the user sees and what lands in etcd.
 */
const RES = '/calico/resources/v3/projectcalico.org'
const NODE = 'gihtg-k8s-master01'
// What calico/node writes when it registers a node (compact Go JSON).
const NODE_VALUE =
  '{"kind":"Node","apiVersion":"projectcalico.org/v3","metadata":{"name":"gihtg-k8s-master01","uid":"2b4f0f5e-7c0e-4a53-9a43-3f1f8e0c6a11","creationTimestamp":"2026-11-01T08:00:00Z"},"spec":{"bgp":{"ipv4Address":"192.168.2.1/24"},"orchRefs":[{"nodeName":"192.168.2.1","orchestrator":"k8s"}]}}'

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

describe('route-reflector workflow on a TLS etcd', () => {
  const env = inject('etcdTls')
  let cfg: string
  const calicoctl = (args: string[], stdin?: string) => runCli([...args, '-c', cfg], { stdin })
  const stored = async () => etcdGetPrefix(env, `${RES}/`)

  beforeAll(async () => {
    await etcdDelPrefix(env, '/calico/')
    cfg = writeCalicoctlCfg(env)
    await etcdPut(env, `${RES}/nodes/${NODE}`, NODE_VALUE)
  })

  it('applies the IP pool with upstream defaults stored in Go field order', async () => {
    const r = await calicoctl(['apply', '-f', '-'], IPPOOL)
    expect(r).toMatchObject({ code: 0, stdout: "Successfully applied 1 'IPPool' resource(s)\n", stderr: '' })
    const value = JSON.parse((await stored()).get(`${RES}/ippools/default-ipv4-ippool`) as string)
    expect(Object.keys(value)).toEqual(['kind', 'apiVersion', 'metadata', 'spec'])
    expect(value.metadata.uid).toMatch(/^[0-9a-f-]{36}$/)
    expect(value.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(value.metadata.resourceVersion).toBeUndefined()
    expect(value.spec).toEqual({
      cidr: '172.8.0.0/16',
      vxlanMode: 'Never',
      ipipMode: 'Never',
      natOutgoing: true,
      blockSize: 26,
      nodeSelector: 'all()',
      allowedUses: ['Workload', 'Tunnel'],
      assignmentMode: 'Automatic',
    })
    expect(Object.keys(value.spec)).toEqual(['cidr', 'vxlanMode', 'ipipMode', 'natOutgoing', 'blockSize', 'nodeSelector', 'allowedUses', 'assignmentMode'])
  })

  it('initialised ClusterInformation and the default tiers on the first write', async () => {
    const keys = await stored()
    const info = JSON.parse(keys.get(`${RES}/clusterinformations/default`) as string)
    expect(info.spec.clusterGUID).toMatch(/^[0-9a-f]{32}$/)
    expect(info.spec.datastoreReady).toBe(true)
    expect(JSON.parse(keys.get(`${RES}/tiers/default`) as string).spec).toEqual({ order: 1000000, defaultAction: 'Deny' })
    expect(keys.has(`${RES}/tiers/kube-admin`)).toBe(true)
    expect(keys.has(`${RES}/tiers/kube-baseline`)).toBe(true)
  })

  it('switches off the full mesh', async () => {
    const r = await calicoctl(['apply', '-f', '-'], BGPCONFIG)
    expect(r).toMatchObject({ code: 0, stdout: "Successfully applied 1 'BGPConfiguration' resource(s)\n", stderr: '' })
    const value = JSON.parse((await stored()).get(`${RES}/bgpconfigurations/default`) as string)
    expect(value.spec).toMatchObject({ logSeverityScreen: 'Info', nodeToNodeMeshEnabled: false, asNumber: 64512 })
  })

  it('exports the node, takes the edit back with a string label and the cluster ID', async () => {
    const exported = await calicoctl(['get', 'node', NODE, '-o', 'yaml'])
    expect(exported.code).toBe(0)
    expect(exported.stdout).toMatch(/^apiVersion: projectcalico.org\/v3\nkind: Node\nmetadata:\n  creationTimestamp: "2026-11-01T08:00:00Z"\n  name: gihtg-k8s-master01\n  resourceVersion: "\d+"\n  uid: 2b4f0f5e-7c0e-4a53-9a43-3f1f8e0c6a11\nspec:\n  bgp:\n    ipv4Address: 192.168.2.1\/24\n  orchRefs:\n  - nodeName: 192.168.2.1\n    orchestrator: k8s\n$/)
    const edited = exported.stdout
      .replace(`  name: ${NODE}\n`, `  labels:\n    i-am-a-route-reflector: true\n  name: ${NODE}\n`)
      .replace('    ipv4Address: 192.168.2.1/24\n', '    ipv4Address: 192.168.2.1/24\n    routeReflectorClusterID: 224.0.0.1\n')
    const file = writeTempFile('rr01.yaml', edited)
    const r = await calicoctl(['apply', '-f', file])
    expect(r).toMatchObject({ code: 0, stdout: "Successfully applied 1 'Node' resource(s)\n", stderr: '' })
    const value = JSON.parse((await stored()).get(`${RES}/nodes/${NODE}`) as string)
    expect(value.metadata.labels).toEqual({ 'i-am-a-route-reflector': 'true' })
    expect(value.metadata.uid).toBe('2b4f0f5e-7c0e-4a53-9a43-3f1f8e0c6a11')
    expect(value.metadata.creationTimestamp).toBe('2026-11-01T08:00:00Z')
    expect(value.spec.bgp).toEqual({ ipv4Address: '192.168.2.1/24', routeReflectorClusterID: '224.0.0.1' })
    expect(readFileSync(file, 'utf8')).toContain('i-am-a-route-reflector: true')
  })

  it('refuses the unquoted !has(...) selector with a hint and writes nothing', async () => {
    const before = await stored()
    const r = await calicoctl(['create', '-f', '-'], peers('!has(i-am-a-route-reflector)'))
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('failed to execute command: stdin: document 1, line 6')
    expect(r.stderr).toContain('spec.nodeSelector')
    expect(r.stderr).toContain('nodeSelector: "!has(i-am-a-route-reflector)"')
    expect(await stored()).toEqual(before)
  })

  it('creates both BGPPeers from one stream', async () => {
    const r = await calicoctl(['create', '-f', '-'], peers('"!has(i-am-a-route-reflector)"'))
    expect(r).toMatchObject({ code: 0, stdout: "Successfully created 2 'BGPPeer' resource(s)\n", stderr: '' })
    const value = (await stored()).get(`${RES}/bgppeers/peer-to-rrs`) as string
    // Go's encoder escapes nothing in these selectors; the value is compact JSON.
    expect(value).toMatch(/"spec":\{"nodeSelector":"!has\(i-am-a-route-reflector\)","peerSelector":"has\(i-am-a-route-reflector\)"\}\}$/)
    const again = await calicoctl(['create', '-f', '-'], peers('"!has(i-am-a-route-reflector)"'))
    expect(again.code).toBe(1)
    expect(again.stderr).toBe(
      "failed to create any 'BGPPeer' resources: [resource already exists: BGPPeer(peer-to-rrs) with error: <nil> resource already exists: BGPPeer(rr-mesh) with error: <nil>]\n",
    )
  })

  it('lists pools wide, peers and nodes as upstream tables', async () => {
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

  it('prints the BGP configuration as Go-ordered JSON without a trailing newline', async () => {
    const r = await calicoctl(['get', 'bgpconfig', 'default', '-o', 'json'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^\{\n  "kind": "BGPConfiguration",\n  "apiVersion": "projectcalico.org\/v3",\n  "metadata": \{\n    "name": "default",\n    "uid": "[0-9a-f-]{36}",\n    "resourceVersion": "\d+",\n    "creationTimestamp": "[0-9TZ:-]+"\n  \},\n  "spec": \{\n/)
    expect(r.stdout).toContain('"nodeToNodeMeshEnabled": false')
    expect(r.stdout).toContain('"asNumber": 64512')
    expect(r.stdout.endsWith('}')).toBe(true)
  })

  it('deletes a peer, and replaces the BGP configuration', async () => {
    const del = await calicoctl(['delete', 'bgppeer', 'rr-mesh'])
    expect(del).toMatchObject({ code: 0, stdout: "Successfully deleted 1 'BGPPeer' resource(s)\n", stderr: '' })
    expect((await stored()).has(`${RES}/bgppeers/rr-mesh`)).toBe(false)
    const missing = await calicoctl(['delete', 'bgppeer', 'rr-mesh'])
    expect(missing).toMatchObject({ code: 1, stdout: '', stderr: "Failed to delete 'BGPPeer' resource: resource does not exist: BGPPeer(rr-mesh) with error: <nil>\n\n" })

    const replaced = await calicoctl(['replace', '-f', '-'], BGPCONFIG.replace('Info', 'Warning'))
    expect(replaced).toMatchObject({ code: 0, stdout: "Successfully replaced 1 'BGPConfiguration' resource(s)\n", stderr: '' })
    const table = await calicoctl(['get', 'bgpconfig'])
    expect(table.stdout).toBe('NAME      LOGSEVERITY   MESHENABLED   ASNUMBER   \n' + 'default   Warning       false         64512      \n\n')
  })
})

