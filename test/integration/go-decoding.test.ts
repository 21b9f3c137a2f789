import { beforeEach, describe, expect, it } from 'vitest'
import { calicoctlOn, etcdUnderTest, kubernetesUnderTest } from './datastores.js'
import { writeTempFile } from './helpers.js'

/**
 * Manifests decoded as calicoctl decodes them (sigs.k8s.io/yaml over go-yaml v2, then strict
 * encoding/json), through the built binary, on both datastores: what is accepted and stored, the
 * texts of what is refused, which error wins, and <Kind>List documents.
 */
const DECODE = 'error unmarshaling JSON: while decoding JSON: '

const policy = (spec: string, name = 'p1') => `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: ${name}
spec:
${spec}`

const peer = (spec: string, name = 'peer1') => `apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: ${name}
spec:
${spec}`

describe.each([
  ['etcd', () => etcdUnderTest('etcdPlain')],
  ['the Kubernetes API', kubernetesUnderTest],
] as const)('Go decoding on %s', (_name, makeDatastore) => {
  const ds = makeDatastore()
  const calicoctl = calicoctlOn(ds)
  let before: Map<string, unknown>
  beforeEach(async () => {
    await ds.reset()
    before = await ds.stored()
  })
  /** The stored spec of the one resource of `plural`, whichever datastore keeps it and however it names it. */
  const storedSpec = async (plural: string) => [...(await ds.stored())].find(([key]) => key.startsWith(`${plural}/`))?.[1].spec
  const unchanged = async () => expect(await ds.stored()).toEqual(before)

  it('accepts field names in any case and stores the canonical ones', async () => {
    const text = policy('  Order: 100\n  Selector: all()\n  Egress:\n  - Action: Allow\n  Ingress:\n  - action: Deny\n    protocol: ICMP\n    ICMP: {Type: 19, code: 0}\n')
    const r = await calicoctl(['apply', '-f', '-'], text)
    expect(r).toEqual({ code: 0, stdout: "Successfully applied 1 'GlobalNetworkPolicy' resource(s)\n", stderr: '' })
    const spec = await storedSpec('globalnetworkpolicies')
    expect(spec).toMatchObject({ order: 100, selector: 'all()', egress: [{ action: 'Allow' }], ingress: [{ action: 'Deny', protocol: 'ICMP', icmp: { type: 19, code: 0 } }] })
    expect(JSON.stringify(spec)).not.toMatch(/"(Order|Selector|Egress|Ingress|ICMP|Type|Action)":/)
    const printed = await calicoctl(['get', 'globalnetworkpolicy', 'p1', '-o', 'yaml'])
    expect(printed.stdout).toContain('  order: 100\n')
    expect(printed.stdout).not.toMatch(/Order|ICMP:/)
  })

  it.each([
    [
      'a string for a boolean',
      'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\nspec:\n  cidr: 10.0.1.0/24\n  disabled: "True"\n',
      `failed to execute command: ${DECODE}json: cannot unmarshal string into Go struct field IPPoolSpec.spec.disabled of type bool\n  at stdin: document 1, line 7 (spec.disabled)\n`,
    ],
    [
      'an AS number beyond 32 bits, before an unknown field',
      peer('  asNumber: 4294967296\n  node: node1\n  peerIP: 192.168.0.250\n  scope: node\n'),
      `failed to execute command: ${DECODE}json: cannot unmarshal number into Go struct field BGPPeerSpec.spec.asNumber of type string\n  at stdin: document 1, line 6 (spec.asNumber)\n`,
    ],
    [
      'a port beyond 16 bits in a rule',
      policy('  egress:\n  - action: Deny\n    protocol: TCP\n    source:\n      ports: [10, 90, 65536]\n'),
      `failed to execute command: ${DECODE}json: cannot unmarshal number 65536 into Go struct field EntityRule.spec.egress.source.ports of type uint16\n  at stdin: document 1, line 10 (spec.egress[0].source.ports[2])\n`,
    ],
    [
      'an unknown field, whose whole message upstream replaces',
      peer('  peerIP: 10.0.0.1\n  asNumbr: 64512\n'),
      'field in document is not recognized or is in the wrong location: asNumbr\n  at stdin: document 1, line 7 (spec.asNumbr)\n',
    ],
  ])('refuses %s with Go\'s text, and writes nothing', async (_case, text, stderr) => {
    expect(await calicoctl(['apply', '-f', '-'], text)).toEqual({ code: 1, stdout: '', stderr })
    await unchanged()
  })

  it('reports the first problem in sorted key order, as Go meets them', async () => {
    // "asnumber" sorts before "node": the unknown field wins although it comes later in the file.
    const r = await calicoctl(['create', '-f', '-'], peer('  node: [node1]\n  asnumbr: 1\n'))
    expect(r.stderr).toBe('field in document is not recognized or is in the wrong location: asnumbr\n  at stdin: document 1, line 7 (spec.asnumbr)\n')
    await unchanged()
  })

  it('decodes go-yaml v2 scalars: yes is true, and a label true is stored as "true"', async () => {
    const text = 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\n  labels: {rr: true, on: yes}\nspec:\n  cidr: 10.0.2.0/24\n  natOutgoing: yes\n'
    expect(await calicoctl(['create', '-f', '-'], text)).toEqual({ code: 0, stdout: "Successfully created 1 'IPPool' resource(s)\n", stderr: '' })
    const got = JSON.parse((await calicoctl(['get', 'ippool', 'p', '-o', 'json'])).stdout)
    expect(got.metadata.labels).toEqual({ rr: 'true', true: 'true' })
    expect(got.spec.natOutgoing).toBe(true)
  })

  it('reports a resource without metadata as upstream does, with no JavaScript error', async () => {
    const text = 'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\n'
    // The typed clients validate before resources.Create looks for a name, so the validator's name rule speaks.
    const nameRule = "error with field Metadata.Name = '' (name must consist of lower case alphanumeric characters, '-' or '.' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*))"
    for (const verb of ['create', 'apply', 'validate']) {
      expect(await calicoctl([verb, '-f', '-'], text)).toEqual({
        code: 1,
        stdout: '',
        stderr: `failed to ${verb} 'GlobalNetworkSet' resource: [${nameRule}]\n  at stdin: document 1, line 1\n`,
      })
    }
    expect([...(await ds.stored()).keys()].filter((k) => k.startsWith('globalnetworksets/'))).toEqual([])
  })

  it('rewrites a bad patch as upstream does', async () => {
    expect((await calicoctl(['create', '-f', '-'], peer('  peerIP: 10.0.0.1\n  asNumber: 64512\n'))).code).toBe(0)
    const stored = await ds.stored()
    expect(await calicoctl(['patch', 'bgppeer', 'peer1', '-p', '{"spec":{"asNumbr":1}}'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'field in document is not recognized or is in the wrong location: asNumbr\n',
    })
    expect(await calicoctl(['patch', 'bgppeer', 'peer1', '-p', '{"spec":{"keepOriginalNextHop":"yes"}}'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `hit error: creating resource from patched data: ${DECODE}json: cannot unmarshal string into Go struct field BGPPeerSpec.spec.keepOriginalNextHop of type bool\n`,
    })
    expect(await ds.stored()).toEqual(stored)
  })

  it('reads a patch as strategicpatch does: an object, null changing nothing, anything else an invalid document', async () => {
    expect((await calicoctl(['create', '-f', '-'], peer('  peerIP: 10.0.0.1\n  asNumber: 64512\n'))).code).toBe(0)
    const stored = await ds.stored()
    const invalid = { code: 1, stdout: '', stderr: 'hit error: performing strategic merge patch: invalid JSON document\n' }
    for (const patch of ['notjson', '', '[]', '5', '"str"', 'true', '{"spec":{"asNumber":1e400}}']) {
      expect(await calicoctl(['patch', 'bgppeer', 'peer1', '-p', patch]), patch).toEqual(invalid)
    }
    expect(await calicoctl(['patch', 'bgppeer', 'peer1', '-p', '{"__proto__":{"x":1}}'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'field in document is not recognized or is in the wrong location: __proto__\n',
    })
    expect((await calicoctl(['patch', 'bgppeer', 'peer1', '-p', '{"apiVersion":"v1"}'])).stderr).toBe(
      'hit error: creating resource from patched data: unknown resource type (BGPPeer) and/or version (v1)\n',
    )
    expect(await ds.stored()).toEqual(stored)
    expect(await calicoctl(['patch', 'bgppeer', 'peer1', '-p', 'null'])).toEqual({ code: 0, stdout: "Successfully patched 1 'BGPPeer' resource\n", stderr: '' })
    expect((await calicoctl(['patch', 'bgppeer', 'peer1', '-p', '{"spec":{"$patch":"replace","peerIP":"10.0.0.2"}}'])).code).toBe(0)
    expect(await storedSpec('bgppeers')).toEqual({ peerIP: '10.0.0.2' })
  })

  it('reports a cluster without ClusterInformation from version, after the client lines, exit 1', async () => {
    const r = await calicoctl(['version'])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('Client Version:    v3.31.0\nGit commit:        calicoctl-ts-0.1.0\n')
    expect(r.stderr).toBe(
      `unable to retrieve Cluster Version or Type: resource does not exist: ClusterInformation(default) with error: ${ds.notFoundInner('clusterinformations', 'default')}\n`,
    )
  })

  it('takes <Kind>List documents mixed with single resources, for every verb', async () => {
    const list = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicyList
items:
- apiVersion: projectcalico.org/v3
  kind: GlobalNetworkPolicy
  metadata: {name: from-list}
  spec: {order: 10}
- metadata: {name: bare-member}
---
${policy('  order: 20\n', 'single')}`
    const file = writeTempFile('mixed.yaml', list)
    expect((await calicoctl(['create', '-f', file])).stdout).toBe("Successfully created 3 'GlobalNetworkPolicy' resource(s)\n")
    expect((await calicoctl(['apply', '-f', file])).stdout).toBe("Successfully applied 3 'GlobalNetworkPolicy' resource(s)\n")
    expect((await calicoctl(['replace', '-f', file])).stdout).toBe("Successfully replaced 3 'GlobalNetworkPolicy' resource(s)\n")
    const got = JSON.parse((await calicoctl(['get', '-f', file, '-o', 'json'])).stdout) as Array<{ metadata: { name: string } }>
    expect(got.map((p) => p.metadata.name)).toEqual(['from-list', 'bare-member', 'single'])
    expect((await calicoctl(['validate', '-f', file])).stdout).toBe("Successfully validated 3 'GlobalNetworkPolicy' resource(s)\n")
    // What get -o yaml prints is a list calicoctl reads back.
    const exported = writeTempFile('exported.yaml', (await calicoctl(['get', 'globalnetworkpolicies', '-o', 'yaml'])).stdout)
    expect((await calicoctl(['delete', '-f', exported])).stdout).toBe("Successfully deleted 3 'GlobalNetworkPolicy' resource(s)\n")
    expect([...(await ds.stored()).keys()].filter((k) => k.startsWith('globalnetworkpolicies/'))).toEqual([])
  })
})

describe('a WorkloadEndpointList on etcd', () => {
  const ds = etcdUnderTest('etcdPlain')
  const calicoctl = calicoctlOn(ds)
  beforeEach(() => ds.reset())

  it('is deleted by delete -f, as get -o yaml exports it', async () => {
    const wep = (pod: string) => `apiVersion: projectcalico.org/v3
kind: WorkloadEndpoint
metadata:
  name: node1-k8s-${pod}-eth0
  namespace: prod
spec:
  orchestrator: k8s
  node: node1
  pod: ${pod}
  endpoint: eth0
  interfaceName: cali0123456789a
  ipNetworks: [10.65.0.5/32]
`
    expect((await calicoctl(['create', '-f', '-'], `${wep('web')}---\n${wep('db')}`)).code).toBe(0)
    const exported = writeTempFile('weps.yaml', (await calicoctl(['get', 'wep', '-A', '-o', 'yaml'])).stdout)
    expect(await calicoctl(['delete', '-f', exported])).toEqual({ code: 0, stdout: "Successfully deleted 2 'WorkloadEndpoint' resource(s)\n", stderr: '' })
    expect([...(await ds.stored()).keys()].filter((k) => k.startsWith('workloadendpoints/'))).toEqual([])
  })
})
