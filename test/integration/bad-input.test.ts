import { createServer, type Server } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { calicoctlOn, etcdUnderTest, kubernetesUnderTest, type DatastoreUnderTest } from './datastores.js'
import { runCli, writeCalicoctlCfg, writeTempFile } from './helpers.js'

/**
 * Every class of bad input gets a message naming where the problem is, exit code 1, and leaves
 * etcd exactly as it was (checked key by key with etcdctl).
 */
const pool = (spec: string, extra = '') => `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: p1${extra}
spec:
${spec}`

describe.each([
  ['a real etcd', () => etcdUnderTest('etcdPlain')],
  ['the Kubernetes API', kubernetesUnderTest],
] as const)('bad input on %s', (_name, makeDatastore) => {
  const ds = makeDatastore()
  let before: Map<string, unknown>
  const calicoctl = calicoctlOn(ds)
  beforeEach(async () => {
    await ds.reset()
    // One good write first, so "unchanged" also covers ClusterInformation and the tiers.
    const seeded = await calicoctl(['apply', '-f', '-'], pool('  cidr: 10.1.0.0/16', '-seed'))
    expect(seeded.code).toBe(0)
    before = await ds.stored()
  })
  const unchanged = async () => expect(await ds.stored()).toEqual(before)

  it.each([
    [
      'malformed YAML',
      'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p1\nspec:\n  cidr: 10.0.0.0/16\n   ipipMode: Never\n',
      'failed to execute command: stdin: document 1, line 7:',
    ],
    [
      'an unknown kind',
      'apiVersion: projectcalico.org/v3\nkind: IPPoool\nmetadata:\n  name: p1\n',
      'failed to execute command: unknown resource type (IPPoool) and/or version (projectcalico.org/v3)\n  at stdin: document 1, line 2 (kind)\n',
    ],
    ['an old apiVersion', 'apiVersion: v1\nkind: ipPool\nmetadata:\n  cidr: 10.0.0.0/16\n', 'unknown resource type (ipPool) and/or version (v1)'],
    [
      'an unknown field',
      pool('  cidr: 10.0.0.0/16\n  natOutgoin: true\n'),
      'field in document is not recognized or is in the wrong location: natOutgoin\n  at stdin: document 1, line 7 (spec.natOutgoin)\n',
    ],
    ['a field in the wrong place', 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p1\n  cidr: 10.0.0.0/16\n', 'field in document is not recognized or is in the wrong location: cidr'],
    [
      'a wrong type',
      pool('  cidr: 10.0.0.0/16\n  blockSize: big\n'),
      'failed to execute command: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field IPPoolSpec.spec.blockSize of type int\n  at stdin: document 1, line 7 (spec.blockSize)\n',
    ],
    [
      'an invalid AS number',
      'apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata:\n  name: default\nspec:\n  asNumber: 64512x\n',
      'failed to execute command: error unmarshaling JSON: while decoding JSON: invalid AS Number format (64512x)\n  at stdin: document 1, line 6 (spec.asNumber)\n',
    ],
    [
      'the unquoted !has selector',
      'apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: peer-to-rrs\nspec:\n  nodeSelector: !has(i-am-a-route-reflector)\n  peerSelector: has(i-am-a-route-reflector)\n',
      'quote the selector: nodeSelector: "!has(i-am-a-route-reflector)"',
    ],
  ])('%s is a file error and nothing is written', async (_name, input, message) => {
    const r = await calicoctl(['apply', '-f', '-'], input)
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(message)
    await unchanged()
  })

  it('replaces the whole message of an unknown field, as upstream does', async () => {
    const r = await calicoctl(['create', '-f', '-'], pool('  cidr: 10.0.0.0/16\n  bogusField: 1\n'))
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: 'field in document is not recognized or is in the wrong location: bogusField\n  at stdin: document 1, line 7 (spec.bogusField)\n',
    })
    await unchanged()
  })

  it('rejects a bad AS number while reading, before the good resources of the file are written', async () => {
    const peer = (name: string, asn: string) => `apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: ${name}\nspec:\n  peerIP: 10.0.0.1\n  asNumber: ${asn}\n`
    const r = await calicoctl(['create', '-f', '-'], `${peer('goodpeer', '64512')}---\n${peer('badpeer', "'x.y'")}`)
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: 'failed to execute command: error unmarshaling JSON: while decoding JSON: invalid AS Number format (x.y)\n  at stdin: document 2, line 15 (spec.asNumber)\n',
    })
    await unchanged()
  })

  it('keeps the protected tiers and lists tiers by order', async () => {
    const r = await calicoctl(['delete', 'tier', 'default', 'kube-admin'])
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "Failed to delete 'Tier' resource: operation Delete is not supported on default: Cannot delete default tier\n" +
        "Failed to delete 'Tier' resource: operation Delete is not supported on kube-admin: Cannot delete kube-admin tier\n\n",
    })
    await unchanged()
    const tiers = await calicoctl(['get', 'tiers'])
    expect(tiers.stdout).toBe('NAME            ORDER   \nkube-admin      1000    \ndefault         1e+06   \nkube-baseline   1e+07   \n\n')
  })

  it('names the file and the document of a bad resource in a multi-document file', async () => {
    const file = writeTempFile('pools.yaml', `${pool('  cidr: 10.2.0.0/16\n', '-a')}---\n${pool('  cidr: 10.3.0.0/16\n  blockSize: "26"\n', '-b')}`)
    const r = await calicoctl(['create', '-f', file])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      `failed to execute command: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field IPPoolSpec.spec.blockSize of type int\n  at ${file}: document 2, line 14 (spec.blockSize)\n`,
    )
    await unchanged()
  })

  it('replace does not count a resource refused for its namespace as handled, as upstream', async () => {
    expect(await calicoctl(['replace', '-f', '-', '-n', 'shop'], pool('  cidr: 10.1.0.0/16\n', '-seed'))).toEqual({
      code: 1,
      stdout: '',
      stderr: "failed to replace 'IPPool' resource: IPPool is not namespaced\n",
    })
    await unchanged()
    const elsewhere = pool('  cidr: 10.9.0.0/16\n', '-x').replace('  name: p1-x\n', '  name: p1-x\n  namespace: shop\n')
    expect(await calicoctl(['replace', '-f', '-'], `${pool('  cidr: 10.1.0.0/16\n', '-seed')}---\n${elsewhere}`)).toEqual({
      code: 1,
      stdout: "Partial success: replaced the first 1 out of 2 'IPPool' resources:\n",
      stderr: 'hit error: namespace should not be specified for a non-namespaced resource. IPPool is not a namespaced resource\n',
    })
  })

  it('reads a stream document by document: a bad first document is reported before a later one that is not YAML', async () => {
    const file = writeTempFile('mixed.yaml', `${pool('  cidr: 10.2.0.0/16\n  blockSize: big\n', '-a')}---\napiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: a: b\n`)
    const decoding = `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field IPPoolSpec.spec.blockSize of type int\n  at ${file}: document 1, line 7 (spec.blockSize)\n`
    const syntax = `${file}: document 2, line 12: bad indentation of a mapping entry; entries of the same mapping or list must start in the same column\n`
    expect(await calicoctl(['apply', '-f', file])).toEqual({ code: 1, stdout: '', stderr: `failed to execute command: ${decoding}` })
    // validate goes on and reports both, in document order.
    expect(await runCli(['validate', '-f', file])).toEqual({ code: 1, stdout: '', stderr: `failed to execute command: ${decoding}also: ${syntax}` })
    await unchanged()
  })

  it.each([
    [
      // calicoctl checks the CRD's constraints where no API server does; on Kubernetes it prints the API server's refusal.
      'an enum violation, which the CRD refuses after decoding',
      pool('  cidr: 10.0.0.0/16\n  ipipMode: Sometimes\n'),
      {
        etcd: 'failed to apply \'IPPool\' resource: [error with field spec.ipipMode (supported values: "Never", "Always", "CrossSubnet")]\n  at stdin: document 1, line 7 (spec.ipipMode)\n',
        kubernetes:
          'failed to apply \'IPPool\' resource: [IPPool.crd.projectcalico.org "p1" is invalid: [spec.ipipMode: Unsupported value: "Sometimes": supported values: "Never", "Always", "CrossSubnet", ' +
          '<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]]\n  at stdin: document 1, line 7 (spec.ipipMode)\n',
      },
    ],
    ['an invalid CIDR', pool('  cidr: 10.0.0.0/33\n'), "failed to apply 'IPPool' resource: [error with field IPPool.Spec.CIDR = '10.0.0.0/33' (IPPool CIDR must be a valid subnet)]\n  at stdin: document 1, line 6 (spec.cidr)\n"],
    ['a CIDR with host bits', pool('  cidr: 10.0.0.1/16\n'), "failed to apply 'IPPool' resource: [error with field IPPool.Spec.CIDR = '10.0.0.0/16' (IPPool CIDR is not strictly masked)]\n  at stdin: document 1, line 6 (spec.cidr)\n"],
    ['an overlapping pool', pool('  cidr: 10.1.128.0/17\n'), "failed to apply 'IPPool' resource: [error with field IPPool.Spec.CIDR = '10.1.128.0/17' (IPPool(p1) CIDR overlaps with IPPool(p1-seed) CIDR 10.1.0.0/16)]\n  at stdin: document 1, line 6 (spec.cidr)\n"],
    [
      'an invalid selector',
      'apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: p\nspec:\n  peerSelector: has(a\n',
      "failed to apply 'BGPPeer' resource: [error with field PeerSelector = 'has(a' (Reason: failed to validate Field: PeerSelector because of Tag: selector )]\n  at stdin: document 1, line 6 (spec.peerSelector)\n",
    ],
    [
      'an invalid peer IP',
      'apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: p\nspec:\n  peerIP: 10.0.0.300\n  asNumber: 64512\n',
      "failed to apply 'BGPPeer' resource: [error with field PeerIP = '10.0.0.300' (Reason: failed to validate Field: PeerIP because of Tag: IP:port )]\n  at stdin: document 1, line 6 (spec.peerIP)\n",
    ],
    [
      'a route reflector cluster ID with a prefix',
      'apiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: n1\nspec:\n  bgp:\n    ipv4Address: 192.168.2.1/24\n    routeReflectorClusterID: 224.0.0.1/32\n',
      "failed to apply 'Node' resource: [error with field RouteReflectorClusterID = '224.0.0.1/32' (Reason: failed to validate Field: RouteReflectorClusterID because of Tag: ipv4 )]\n  at stdin: document 1, line 8 (spec.bgp.routeReflectorClusterID)\n",
    ],
    [
      'a name that is not DNS-1123',
      'apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: Peer_1\nspec:\n  peerSelector: all()\n',
      "failed to apply 'BGPPeer' resource: [error with field Metadata.Name = 'Peer_1' (name must consist of lower case alphanumeric characters, '-' or '.' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*))]\n  at stdin: document 1, line 4 (metadata.name)\n",
    ],
  ] as Array<[string, string, string | Record<DatastoreUnderTest['name'], string>]>)('%s fails that resource with upstream text plus its location', async (_name, input, stderr) => {
    const r = await calicoctl(['apply', '-f', '-'], input)
    expect(r).toEqual({ code: 1, stdout: '', stderr: typeof stderr === 'string' ? stderr : stderr[ds.name] })
    await unchanged()
  })

  it('stores a boolean label value as the string "true", like upstream', async () => {
    const r = await calicoctl(['apply', '-f', '-'], 'apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: p\n  labels:\n    rr: true\nspec:\n  peerSelector: all()\n')
    expect(r).toMatchObject({ code: 0, stderr: '' })
    const stored = (await ds.stored()).get('bgppeers/p')
    // Kubernetes keeps Calico's labels in the metadata annotation of the custom resource.
    const labels = ds.name === 'etcd' ? stored.metadata.labels : JSON.parse(stored.metadata.annotations['projectcalico.org/metadata']).labels
    expect(labels).toEqual({ rr: 'true' })
  })

  it('keeps going after a bad resource: the good ones are written, the partial result is reported', async () => {
    const stream = [pool('  cidr: 10.4.0.0/16\n', '-a'), pool('  cidr: 10.4.0.0/16\n', '-b'), pool('  cidr: 10.5.0.0/16\n', '-c')].join('---\n')
    const r = await calicoctl(['create', '-f', '-'], stream)
    expect(r.code).toBe(1)
    expect(r.stdout).toBe("Partial success: created the first 2 out of 3 'IPPool' resources:\n")
    expect(r.stderr).toBe(
      "hit error: [error with field IPPool.Spec.CIDR = '10.4.0.0/16' (IPPool(p1-b) CIDR overlaps with IPPool(p1-a) CIDR 10.4.0.0/16)]\n  at stdin: document 2, line 13 (spec.cidr)\n",
    )
    const pools = [...(await ds.stored()).keys()].filter((k) => k.startsWith('ippools/'))
    expect(pools.sort()).toEqual(['ippools/p1-a', 'ippools/p1-c', 'ippools/p1-seed'])
  })
})

describe('an unreachable datastore', () => {
  let silent: Server
  let silentPort = 0
  beforeAll(async () => {
    // Accepts connections and never answers: the worst case for a client without deadlines.
    silent = createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    silentPort = (silent.address() as { port: number }).port
  })
  afterAll(() => silent.close())

  it('fails fast on a refused port with a clear message', async () => {
    const cfg = writeCalicoctlCfg({ ETCD_ENDPOINTS: 'http://127.0.0.1:1' })
    const started = Date.now()
    const r = await runCli(['get', 'ippool', '-c', cfg])
    expect(Date.now() - started).toBeLessThan(15000)
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'failed to get resources: unable to get Cluster Information to verify version mismatch: context deadline exceeded (etcd unreachable at http://127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1)\nUse --allow-version-mismatch to override\n',
    })
  })

  it('gives up on a silent endpoint within the dial timeout', async () => {
    const cfg = writeCalicoctlCfg({ ETCD_ENDPOINTS: `http://127.0.0.1:${silentPort}` })
    const started = Date.now()
    const r = await runCli(['apply', '-f', '-', '-c', cfg, '--allow-version-mismatch'], { stdin: pool('  cidr: 10.9.0.0/16\n') })
    expect(Date.now() - started).toBeLessThan(20000)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`etcd unreachable at http://127.0.0.1:${silentPort}`)
  })
})
