import { beforeEach, describe, expect, it } from 'vitest'
import { calicoctlOn, etcdUnderTest, kubernetesUnderTest } from './datastores.js'
import { writeTempFile } from './helpers.js'

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
---
apiVersion: projectcalico.org/v3
kind: FelixConfiguration
metadata:
  name: node.n1
spec:
  logSeverityScreen: Debug
---
apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata:
  name: n1-eth0
spec:
  node: n1
  interfaceName: eth0
---
apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata:
  name: n2-eth0
spec:
  node: n2
  interfaceName: eth0
`

/** The Kubernetes endpoint client's refusal of a name prefix without a pod (k8s/resources/workloadendpoint.go List). */
const MALFORMED_PREFIX = (prefix: string) => `resource does not exist: WorkloadEndpoint(${prefix}*) with error: malformed WorkloadEndpoint name - unable to determine Pod name`

/** What upstream's client does around a delete: pools are disabled first, nodes take their peers and configuration along. */
describe.each([
  ['etcd', () => etcdUnderTest('etcdPlain')],
  ['kubernetes', kubernetesUnderTest],
] as const)('delete on %s', (_name, makeDatastore) => {
  const ds = makeDatastore()
  const calicoctl = calicoctlOn(ds)
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

  it("takes the node's own BGP peers, configuration and host endpoints along on etcd; on Kubernetes fails before touching anything", async () => {
    await ds.addNode(NODE_ETCD, NODE_KUBE)
    expect((await calicoctl(['apply', '-f', '-'], NODE_THINGS)).code).toBe(0)
    const before = await ds.stored()
    ds.fixture?.server.resetStats()
    const r = await calicoctl(['delete', 'node', 'n1'])
    const stored = await ds.stored()
    if (ds.name === 'etcd') {
      expect(r).toEqual({ code: 0, stdout: "Successfully deleted 1 'Node' resource(s)\n", stderr: '' })
      for (const gone of ['nodes/n1', 'bgppeers/n1-uplink', 'bgpconfigurations/node.n1', 'felixconfigurations/node.n1', 'hostendpoints/n1-eth0']) expect(stored.has(gone)).toBe(false)
      for (const kept of ['bgppeers/everyone', 'hostendpoints/n2-eth0']) expect(stored.has(kept)).toBe(true)
    } else {
      // Upstream's node delete starts by listing the node's endpoints by name prefix, which the
      // Kubernetes endpoint client cannot do without a pod name: nothing is written.
      expect(r).toEqual({ code: 1, stdout: '', stderr: `Failed to delete 'Node' resource: ${MALFORMED_PREFIX('n1-')}\n\n` })
      expect(stored).toEqual(before)
      expect(ds.fixture?.server.requests.filter((req) => req.method !== 'GET')).toEqual([])
    }
  })

  it.runIf(ds.name === 'kubernetes')('names the endpoint prefix with its dashes doubled, and --skip-not-exists skips that error as upstream does', async () => {
    expect(await calicoctl(['delete', 'node', 'rack-1.worker-2'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `Failed to delete 'Node' resource: ${MALFORMED_PREFIX('rack--1.worker--2-')}\n\n`,
    })
    expect(await calicoctl(['delete', 'node', 'n1', '--skip-not-exists'])).toEqual({ code: 0, stdout: "Successfully deleted 1 'Node' resource(s)\n", stderr: '' })
  })

  it("releases the node's workload endpoints, and leaves other nodes' alone", async () => {
    await ds.addNode(NODE_ETCD, NODE_KUBE)
    const wep = (node: string, pod: string) =>
      `apiVersion: projectcalico.org/v3\nkind: WorkloadEndpoint\nmetadata:\n  name: ${node}-k8s-${pod}-eth0\n  namespace: prod\n` +
      `spec:\n  orchestrator: k8s\n  node: ${node}\n  pod: ${pod}\n  endpoint: eth0\n  interfaceName: cali${pod}\n  ipNetworks: [10.65.0.5/32]\n`
    if (ds.name === 'etcd') {
      expect((await calicoctl(['apply', '-f', '-'], `${wep('n1', 'web')}---\n${wep('n2', 'db')}`)).code).toBe(0)
    } else {
      ds.fixture?.addNamespace('prod')
      for (const [node, pod] of [['n1', 'web'], ['n2', 'db']])
        ds.fixture?.addPod({
          metadata: { name: pod, namespace: 'prod', annotations: { 'cni.projectcalico.org/podIP': '10.65.0.5/32' } },
          spec: { nodeName: node, containers: [{ name: pod, image: pod }] },
          status: { phase: 'Running', podIP: '10.65.0.5' },
        })
    }
    const r = await calicoctl(['delete', 'node', 'n1'])
    if (ds.name === 'etcd') {
      expect(r.code).toBe(0)
      const stored = await ds.stored()
      expect(stored.has('workloadendpoints/prod/n1-k8s-web-eth0')).toBe(false)
      expect(stored.has('workloadendpoints/prod/n2-k8s-db-eth0')).toBe(true)
    } else {
      // The pods keep their IP annotations: the delete fails before it gets to them.
      expect(r.code).toBe(1)
      for (const pod of ['web', 'db']) expect(ds.fixture?.server.object('', 'pods', pod, 'prod')?.metadata.annotations).toEqual({ 'cni.projectcalico.org/podIP': '10.65.0.5/32' })
    }
  })
})
