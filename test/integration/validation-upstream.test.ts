import { beforeEach, describe, expect, inject, it } from 'vitest'
import { calicoctlOn, etcdUnderTest, kubernetesUnderTest } from './datastores.js'
import { etcdPut, runCli, writeTempFile } from './helpers.js'

/**
 * Validation calicoctl does that was once missing here (issue 8, section 3): each refused resource
 * gets upstream's validator text, exit code 1, and leaves the datastore as it was.
 */
const doc = (kind: string, name: string, spec: string, namespace = '') =>
  `apiVersion: projectcalico.org/v3\nkind: ${kind}\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n${spec}`
const tag = (field: string, value: string, tagName: string) =>
  `${field} = '${value}' (Reason: failed to validate Field: ${field} because of Tag: ${tagName} )`

/** The Go validator's rules, which upstream runs on both datastores. */
const GO_RULES: Array<[what: string, kind: string, input: string, line: string]> = [
  [
    'a BGP peer whose node name has a space',
    'BGPPeer',
    doc('BGPPeer', 'bgppeer6', '  asNumber: 64590\n  node: node 2\n  peerIP: fd5f::6:ee\n'),
    tag('Node', 'node 2', 'name'),
  ],
  [
    'a host endpoint interface name over 15 characters',
    'HostEndpoint',
    doc('HostEndpoint', 'endpoint1', '  interfaceName: wibblywobblyeth0\n  profiles: [prof1, prof2]\n  node: host1\n'),
    tag('InterfaceName', 'wibblywobblyeth0', 'interface'),
  ],
  [
    'an ICMP type above 254 in a policy rule',
    'GlobalNetworkPolicy',
    doc('GlobalNetworkPolicy', 'no-ping', '  ingress:\n  - action: Deny\n    protocol: ICMP\n    icmp:\n      type: 255\n'),
    tag('Type', '255', 'lte'),
  ],
  [
    'an ICMP code above 255 in a policy rule',
    'GlobalNetworkPolicy',
    doc('GlobalNetworkPolicy', 'no-ping', '  ingress:\n  - action: Deny\n    protocol: ICMP\n    icmp:\n      type: 19\n      code: 256\n'),
    tag('Code', '256', 'lte'),
  ],
  ['a tier default action neither Deny nor Pass', 'Tier', doc('Tier', 'net-sec', '  order: 100\n  defaultAction: Allow\n'), tag('DefaultAction', 'Allow', 'oneof')],
]

describe.each([
  ['etcd', () => etcdUnderTest('etcdPlain')],
  ['kubernetes', kubernetesUnderTest],
] as const)('validation upstream does, on %s', (_name, makeDatastore) => {
  const ds = makeDatastore()
  const calicoctl = calicoctlOn(ds)
  let before: Map<string, unknown>
  beforeEach(async () => {
    await ds.reset()
    // One good write first, so ClusterInformation and the built-in tiers exist.
    expect((await calicoctl(['apply', '-f', '-'], doc('IPPool', 'seed', '  cidr: 10.1.0.0/16\n'))).code).toBe(0)
    before = await ds.stored()
  })
  const unchanged = async () => expect(await ds.stored()).toEqual(before)

  it.each(GO_RULES)('%s is refused by create and apply, and nothing is written', async (_what, kind, input, line) => {
    const created = await calicoctl(['create', '-f', '-'], input)
    expect(created).toMatchObject({ code: 1, stdout: '' })
    expect(created.stderr).toContain(`failed to create '${kind}' resource: [`)
    expect(created.stderr).toContain(line)
    const applied = await calicoctl(['apply', '-f', '-'], input)
    expect(applied.code).toBe(1)
    expect(applied.stderr).toContain(line)
    await unchanged()
  })

  it('refuses a peer naming a BGP filter that does not exist, until it does', async () => {
    const peer = doc('BGPPeer', 'peer1', '  peerIP: 10.0.0.1\n  asNumber: 64512\n  filters: [export-v4, import-v4]\n')
    const r = await calicoctl(['apply', '-f', '-'], peer)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("failed to apply 'BGPPeer' resource: [error with field BGPPeer.Spec.Filters = '[export-v4 import-v4]' (BGPFilter(s) not found)]")
    await unchanged()
    const filters = ['export-v4', 'import-v4'].map((name) => doc('BGPFilter', name, '  exportV4:\n  - action: Accept\n')).join('---\n')
    expect((await calicoctl(['apply', '-f', '-'], filters)).code).toBe(0)
    expect(await calicoctl(['apply', '-f', '-'], peer)).toMatchObject({ code: 0, stdout: "Successfully applied 1 'BGPPeer' resource(s)\n" })
  })

  it('refuses a pool whose block size differs from the blocks IPAM already allocated in its range', async () => {
    const cidr = '10.65.0.0/26'
    const block = { cidr, affinity: 'host:n1', allocations: Array(64).fill(null), unallocated: [...Array(64).keys()], attributes: [], deleted: false, strictAffinity: false }
    if (ds.name === 'etcd') await etcdPut(inject('etcdPlain'), `/calico/ipam/v2/assignment/ipv4/block/${cidr.replace('/', '-')}`, JSON.stringify(block))
    else {
      const object = { apiVersion: 'crd.projectcalico.org/v1', kind: 'IPAMBlock', metadata: { name: '10-65-0-0-26' }, spec: block }
      expect((await ds.fixture?.request('POST', '/apis/crd.projectcalico.org/v1/ipamblocks', object))?.code).toBe(201)
    }
    before = await ds.stored()
    const r = await calicoctl(['create', '-f', '-'], doc('IPPool', 'pods', '  cidr: 10.65.0.0/16\n  blockSize: 24\n'))
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(
      "failed to create 'IPPool' resource: [error with field IPPool.Spec.BlockSize = '24' (IPPool blocksSize conflicts with existing allocations that use a different blockSize)]",
    )
    await unchanged()
    expect((await calicoctl(['create', '-f', '-'], doc('IPPool', 'pods', '  cidr: 10.65.0.0/16\n'))).code).toBe(0)
  })

  it("checks a pool the client's way before the validator's: overlaps and host bits together, and nothing else", async () => {
    const overlap = "IPPool.Spec.CIDR = '10.1.0.0/24' (IPPool(p2) CIDR overlaps with IPPool(seed) CIDR 10.1.0.0/16)"
    const hostBits = "IPPool.Spec.CIDR = '10.1.0.0/24' (IPPool CIDR is not strictly masked)"
    const both = await calicoctl(['create', '-f', '-'], doc('IPPool', 'p2', '  cidr: 10.1.0.1/24\n'))
    expect(both.code).toBe(1)
    expect(both.stderr).toContain(`failed to create 'IPPool' resource: [error with the following fields:\n-  ${overlap}\n-  ${hostBits}\n]`)
    // The validator (here the CRD's enum) only runs once the client is content.
    const first = await calicoctl(['create', '-f', '-'], doc('IPPool', 'p2', '  cidr: 10.1.0.0/24\n  ipipMode: Sometimes\n'))
    expect(first.stderr).toContain(`failed to create 'IPPool' resource: [error with field ${overlap}]`)
    await unchanged()
  })

  it('names a resource without a name the validator\'s way, on create, apply and validate', async () => {
    const nameRule = "Metadata.Name = '' (name must consist of lower case alphanumeric characters, '-' or '.' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*))"
    const policyRule = "Metadata.Name = '' (name must consist of lower case alphanumeric characters or '-' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?))"
    const pool = 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  labels: {a: b}\nspec:\n  cidr: 10.2.0.0/16\n'
    const policy = 'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  labels: {a: b}\nspec:\n  selector: all()\n'
    for (const verb of ['create', 'apply', 'validate']) {
      const r = await calicoctl([verb, '-f', '-'], pool)
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`failed to ${verb} 'IPPool' resource: [error with field ${nameRule}]`)
      // The policy validators check the name again with their own rule.
      const p = await calicoctl([verb, '-f', '-'], policy)
      expect(p.stderr).toContain(`failed to ${verb} 'GlobalNetworkPolicy' resource: [error with the following fields:\n-  ${nameRule}\n-  ${policyRule}\n]`)
    }
    // resources.Create's own refusals come after the validator's.
    const withVersion = (name: string) => `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata:\n  name: ${name}\n  resourceVersion: '7'\n`
    expect((await calicoctl(['create', '-f', '-'], withVersion('Bad_Name'))).stderr).toContain(
      "[error with field Metadata.Name = 'Bad_Name' (name must consist of lower case alphanumeric characters, '-' or '.'",
    )
    expect((await calicoctl(['create', '-f', '-'], withVersion('good'))).stderr).toContain(
      "failed to create 'GlobalNetworkSet' resource: [error with field Metadata.ResourceVersion = '7' (field must not be set for a Create request)]",
    )
    await unchanged()
  })

  it("validates a pool with the validator alone, create with the client's checks", async () => {
    const input = doc('IPPool', 'p3', '  cidr: 10.3.0.1/16\n')
    const validated = await calicoctl(['validate', '-f', '-'], input)
    expect(validated.stderr).toContain(
      "failed to validate 'IPPool' resource: [error with the following fields:\n" +
        `-  ${tag('CIDR', '10.3.0.1/16', 'net')}\n` +
        "-  IPpool.CIDR = '10.3.0.1/16' (IP pool CIDR is not strictly masked)\n" +
        '-  spec (IPPool CIDR must be strictly masked)\n]',
    )
    const created = await calicoctl(['create', '-f', '-'], input)
    expect(created.stderr).toContain("failed to create 'IPPool' resource: [error with field IPPool.Spec.CIDR = '10.3.0.0/16' (IPPool CIDR is not strictly masked)]")
    await unchanged()
  })

  it("refuses a pool with IPIP and VXLAN both on: the CRD rule's text on etcd, the API server's refusal on Kubernetes", async () => {
    const r = await calicoctl(['create', '-f', '-'], doc('IPPool', 'p', '  cidr: 10.9.0.0/16\n  ipipMode: Always\n  vxlanMode: Always\n'))
    expect(r).toMatchObject({ code: 1, stdout: '' })
    const refusal =
      ds.name === 'etcd'
        ? 'error with field spec (ipipMode and vxlanMode cannot both be enabled)'
        : 'IPPool.crd.projectcalico.org "p" is invalid: spec: Forbidden: ipipMode and vxlanMode cannot both be enabled'
    expect(r.stderr).toBe(`failed to create 'IPPool' resource: [${refusal}]\n  at stdin: document 1, line 5 (spec)\n`)
    await unchanged()
  })

  it('names every rule a resource breaks, as the datastore reports them', async () => {
    const policy = doc('GlobalNetworkPolicy', 'edge', '  preDNAT: true\n  selector: global()\n  egress:\n  - action: Allow\n')
    const r = await calicoctl(['apply', '-f', '-'], policy)
    expect(r.code).toBe(1)
    const lines =
      ds.name === 'etcd'
        ? 'error with the following fields:\n' +
          '-  spec (preDNAT policy cannot have any egress rules)\n' +
          "-  spec (preDNAT policy cannot have 'Egress' type)\n" +
          '-  spec (applyOnForward must be true if either preDNAT or doNotTrack is true)\n' +
          '-  spec (global() can only be used in an EntityRule namespaceSelector)\n'
        : 'GlobalNetworkPolicy.crd.projectcalico.org "edge" is invalid: [spec: Forbidden: preDNAT policy cannot have any egress rules, ' +
          "spec: Forbidden: preDNAT policy cannot have 'Egress' type, " +
          'spec: Invalid value: "object": applyOnForward must be true if either preDNAT or doNotTrack is true, ' +
          'spec: Invalid value: "object": global() can only be used in an EntityRule namespaceSelector]'
    expect(r.stderr).toContain(`failed to apply 'GlobalNetworkPolicy' resource: [${lines}]`)
    await unchanged()
  })

  it('writes fields newer than the release calicoctl targets to etcd, and refuses them on Kubernetes, whose CRDs would drop them', async () => {
    const felix = doc('FelixConfiguration', 'default', '  logSeverityScreen: Info\n  bpfIPFragTimeout: 30s\n')
    const r = await calicoctl(['apply', '-f', '-'], felix)
    if (ds.name === 'etcd') {
      expect(r).toMatchObject({ code: 0, stdout: "Successfully applied 1 'FelixConfiguration' resource(s)\n" })
      expect((await ds.stored()).get('felixconfigurations/default').spec.bpfIPFragTimeout).toBe('30s')
      return
    }
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "failed to apply 'FelixConfiguration' resource: [FelixConfiguration(default): spec.bpfIPFragTimeout (Calico v3.33) is not in the Calico v3.31.0 CRDs " +
        'this calicoctl writes to; the Kubernetes API server would drop it]\n  at stdin: document 1, line 7 (spec.bpfIPFragTimeout)\n',
    })
    await unchanged()
  })

  it('gives no default to a field newer than the targeted release: get shows only what was set there', async () => {
    const specOf = (yaml: string) => yaml.slice(yaml.indexOf('\nspec:\n') + 1)
    expect((await calicoctl(['apply', '-f', '-'], doc('FelixConfiguration', 'default', '  logSeverityScreen: Info\n'))).code).toBe(0)
    const got = await calicoctl(['get', 'felixconfiguration', 'default', '-o', 'yaml'])
    expect(got).toMatchObject({ code: 0, stderr: '' })
    // The client's defaults, v3.31's CRD default (nftablesMode) and Go's zero bpfLogLevel; not nftablesFlowTableOffload (v3.33).
    expect(specOf(got.stdout)).toBe(
      'spec:\n  bpfConnectTimeLoadBalancing: TCP\n  bpfHostNetworkedNATWithoutCTLB: Enabled\n  bpfLogLevel: ""\n  floatingIPs: Disabled\n  logSeverityScreen: Info\n  nftablesMode: Auto\n',
    )
    if (ds.name !== 'etcd') return
    // etcd keeps a newer field the user sets, even to its default.
    const set = doc('FelixConfiguration', 'default', '  logSeverityScreen: Info\n  nftablesFlowTableOffload: Disabled\n')
    expect((await calicoctl(['apply', '-f', '-'], set)).code).toBe(0)
    const kept = await calicoctl(['get', 'felixconfiguration', 'default', '-o', 'yaml'])
    expect(specOf(kept.stdout)).toContain('  logSeverityScreen: Info\n  nftablesFlowTableOffload: Disabled\n  nftablesMode: Auto\n')
  })

  it("keeps the built-in tiers as the CRD pins them: the rule's text on etcd, the API server's refusal on Kubernetes", async () => {
    const r = await calicoctl(['patch', 'tier', 'default', '-p', '{"spec":{"order":5}}'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(
      ds.name === 'etcd'
        ? 'error with field Tier (default tier order must be 1000000)'
        : 'Tier.crd.projectcalico.org "default" is invalid: <nil>: Invalid value: "object": default tier order must be 1000000',
    )
    await unchanged()
  })

  it('looks a knp.default policy up before refusing to update it: a missing one does not exist', async () => {
    const file = writeTempFile('knp.yaml', doc('NetworkPolicy', 'knp.default.allow-all', '  selector: all()\n', 'default'))
    const missing = `resource does not exist: NetworkPolicy(default/knp.default.allow-all) with error: `
    const applied = await calicoctl(['apply', '-f', file])
    expect(applied.code).toBe(1)
    expect(applied.stderr).toContain(`failed to apply 'NetworkPolicy' resource: [${missing}`)
    const replaced = await calicoctl(['replace', '-f', file])
    expect(replaced.code).toBe(1)
    expect(replaced.stderr).toContain(`hit error: ${missing}`)
    await unchanged()
  })
})

const TIERS_IN_ORDER = 'NAME            ORDER   \nkube-admin      1000    \ndefault         1e+06   \nkube-baseline   1e+07   \n\n'

/** The CRDs' CEL rules, which upstream runs client-side for etcd (the API server does for Kubernetes). */
describe('CRD rules on etcd', () => {
  const ds = etcdUnderTest('etcdPlain')
  const calicoctl = calicoctlOn(ds)
  let before: Map<string, unknown>
  beforeEach(async () => {
    await ds.reset()
    expect((await calicoctl(['apply', '-f', '-'], doc('IPPool', 'seed', '  cidr: 10.1.0.0/16\n'))).code).toBe(0)
    before = await ds.stored()
  })
  const unchanged = async () => expect(await ds.stored()).toEqual(before)

  it('keeps the default tier where it is: patch and apply of another order are refused', async () => {
    const patched = await calicoctl(['patch', 'tier', 'default', '-p', '{"spec":{"order":5}}'])
    expect(patched.code).toBe(1)
    expect(patched.stderr).toContain('Tier (default tier order must be 1000000)')
    const applied = await calicoctl(['apply', '-f', '-'], doc('Tier', 'default', '  order: 5\n  defaultAction: Deny\n'))
    expect(applied.code).toBe(1)
    expect(applied.stderr).toContain("failed to apply 'Tier' resource: [error with field Tier (default tier order must be 1000000)]")
    await unchanged()
    expect((await calicoctl(['get', 'tiers'])).stdout).toBe(TIERS_IN_ORDER)
  })

  it('keeps kube-admin first and passing', async () => {
    const r = await calicoctl(['apply', '-f', '-'], doc('Tier', 'kube-admin', '  order: 7\n  defaultAction: Deny\n'))
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(
      "failed to apply 'Tier' resource: [error with the following fields:\n" +
        "-  Tier (The 'kube-admin' tier must have default action 'Pass')\n" +
        '-  Tier (kube-admin tier order must be 1000)\n]',
    )
    await unchanged()
    // Writing a built-in tier as it is stays allowed.
    expect((await calicoctl(['apply', '-f', '-'], doc('Tier', 'kube-admin', '  order: 1000\n  defaultAction: Pass\n'))).code).toBe(0)
  })

  it.each([
    ['type', '      type: 256\n      code: 255\n', tag('Type', '256', 'lte')],
    ['code', '      type: 19\n      code: 256\n', tag('Code', '256', 'lte')],
  ])('refuses a profile rule with an ICMP %s out of range', async (_field, icmp, line) => {
    const profile = doc('Profile', 'profile2', `  egress:\n  - action: Allow\n  ingress:\n  - ipVersion: 4\n    icmp:\n${icmp}    action: Deny\n    protocol: ICMP\n`)
    const r = await calicoctl(['create', '-f', '-'], profile)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(line)
    await unchanged()
  })

  it('refuses to update a knp.default policy kube-controllers wrote', async () => {
    const key = '/calico/resources/v3/projectcalico.org/networkpolicies/default/knp.default.allow-all'
    const stored = { kind: 'NetworkPolicy', apiVersion: 'projectcalico.org/v3', metadata: { name: 'knp.default.allow-all', namespace: 'default', uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { tier: 'default', selector: 'all()', types: ['Ingress'] } }
    await etcdPut(inject('etcdPlain'), key, JSON.stringify(stored))
    const r = await calicoctl(['apply', '-f', '-'], doc('NetworkPolicy', 'knp.default.allow-all', '  selector: all()\n', 'default'))
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(
      "failed to apply 'NetworkPolicy' resource: [operation apply or replace is not supported on NetworkPolicy(default/knp.default.allow-all): kubernetes network policies must be managed through the kubernetes API]",
    )
    expect((await ds.stored()).get('networkpolicies/default/knp.default.allow-all').spec).toEqual(stored.spec)
  })
})

describe('validate runs the CRD rules offline', () => {
  it.each([
    ['the default tier at another order', doc('Tier', 'default', '  order: 5\n'), 'Tier (default tier order must be 1000000)'],
    ['kube-admin denying', doc('Tier', 'kube-admin', '  order: 1000\n  defaultAction: Deny\n'), "Tier (The 'kube-admin' tier must have default action 'Pass')"],
    ['kube-baseline without an order', doc('Tier', 'kube-baseline', '  defaultAction: Pass\n'), 'Tier (kube-baseline tier order must be 10000000)'],
  ])('refuses %s', async (_what, input, line) => {
    const r = await runCli(['validate', '-f', writeTempFile('tier.yaml', input)])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`failed to validate 'Tier' resource: [error with field ${line}]`)
  })

  it('accepts the built-in tiers as they are', async () => {
    const tiers = [doc('Tier', 'default', '  order: 1000000\n  defaultAction: Deny\n'), doc('Tier', 'kube-admin', '  order: 1000\n  defaultAction: Pass\n')].join('---\n')
    expect(await runCli(['validate', '-f', writeTempFile('tiers.yaml', tiers)])).toMatchObject({ code: 0, stdout: "Successfully validated 2 'Tier' resource(s)\n" })
  })
})
