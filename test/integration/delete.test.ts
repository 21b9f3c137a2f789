import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { etcdUnderTest, kubernetesUnderTest } from './datastores.js'
import { runCli, writeTempFile } from './helpers.js'

const POOL = 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p1\nspec:\n  cidr: 10.30.0.0/16\n'
const NODE_ETCD =
  '{"kind":"Node","apiVersion":"projectcalico.org/v3","metadata":{"name":"n1","uid":"0f1e2d3c-4b5a-4968-8776-655443322110","creationTimestamp":"2026-11-01T08:00:00Z"},"spec":{"bgp":{"ipv4Address":"192.168.3.1/24"}}}'
const NODE_KUBE = { metadata: { name: 'n1', labels: {}, annotations: { 'projectcalico.org/IPv4Address': '192.168.3.1/24' } }, spec: {}, status: {} }
const NODE_THINGS = `apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: n1-uplink
spec:
  node: n1
  peerIP: 192.168.3.254
  asNumber: 65001
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: everyone
spec:
  peerIP: 192.168.3.253
  asNumber: 65002
---
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: node.n1
spec:
  logSeverityScreen: Debug
`

/** What upstream's client does around a delete: pools are disabled first, nodes take their peers and configuration along. */
describe.each([
  ['etcd', () => etcdUnderTest('etcdPlain')],
  ['kubernetes', kubernetesUnderTest],
] as const)('delete on %s', (_name, makeDatastore) => {
  const ds = makeDatastore()
  let cfg: string
  const calicoctl = (args: string[], stdin?: string) => runCli([...args, '-c', cfg], { stdin })

  beforeAll(async () => {
    cfg = await ds.setUp()
  })
  afterAll(() => ds.tearDown())
  beforeEach(() => ds.reset())

  it('refuses to delete a pool from a stale file, and deletes it from a current one', async () => {
    expect((await calicoctl(['apply', '-f', '-'], POOL)).code).toBe(0)
    const old = writeTempFile(`p1-${ds.name}.yaml`, (await calicoctl(['get', 'ippool', 'p1', '-o', 'yaml'])).stdout)
    expect((await calicoctl(['apply', '-f', '-'], POOL.replace('name: p1', 'name: p1\n  labels:\n    changed: "yes"'))).code).toBe(0)
    expect(await calicoctl(['delete', '-f', old])).toEqual({ code: 1, stdout: '', stderr: "Failed to delete 'IPPool' resource: update conflict: IPPool(p1)\n\n" })
    expect((await ds.stored()).has('ippools/p1')).toBe(true)
    const current = writeTempFile(`p1-now-${ds.name}.yaml`, (await calicoctl(['get', 'ippool', 'p1', '-o', 'yaml'])).stdout)
    expect(await calicoctl(['delete', '-f', current])).toEqual({ code: 0, stdout: "Successfully deleted 1 'IPPool' resource(s)\n", stderr: '' })
    expect((await ds.stored()).has('ippools/p1')).toBe(false)
  })

  it("takes the node's own BGP peers and configuration along", async () => {
    await ds.addNode(NODE_ETCD, NODE_KUBE)
    expect((await calicoctl(['apply', '-f', '-'], NODE_THINGS)).code).toBe(0)
    const r = await calicoctl(['delete', 'node', 'n1'])
    const stored = await ds.stored()
    expect(stored.has('bgppeers/n1-uplink')).toBe(false)
    expect(stored.has('bgpconfigurations/node.n1')).toBe(false)
    expect(stored.has('bgppeers/everyone')).toBe(true)
    if (ds.name === 'etcd') {
      expect(r).toEqual({ code: 0, stdout: "Successfully deleted 1 'Node' resource(s)\n", stderr: '' })
      expect(stored.has('nodes/n1')).toBe(false)
    } else {
      // The Kubernetes node belongs to Kubernetes: upstream cleans up, then refuses.
      expect(r).toEqual({ code: 1, stdout: '', stderr: "Failed to delete 'Node' resource: operation Delete is not supported on Node(n1)\n\n" })
      expect(stored.has('nodes/n1')).toBe(true)
    }
  })
})
