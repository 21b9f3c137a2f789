import { beforeEach, describe, expect, it } from 'vitest'
import { calicoctlOn, etcdUnderTest, kubernetesUnderTest } from './datastores.js'
import { writeTempFile } from './helpers.js'

const POLICIES = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: prod
spec:
  selector: app == 'web'
  egress:
  - action: Allow
    protocol: UDP
    destination:
      ports: [53]
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: deny-ssh
spec:
  order: 10
  selector: all()
  ingress:
  - action: Deny
    protocol: TCP
    destination:
      ports: ["22"]
`
const policy = (name: string, extra = '') =>
  `apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n${extra}spec:\n  selector: all()\n  ingress:\n  - action: Allow\n`
const KNP_REASON = 'kubernetes network policies must be managed through the kubernetes API'

/** Policies: namespaces, tiers, defaults, the stored name annotation, and the names Kubernetes owns. */
describe.each([
  ['etcd', () => etcdUnderTest('etcdPlain')],
  ['kubernetes', kubernetesUnderTest],
] as const)('policies on %s', (_name, makeDatastore) => {
  const ds = makeDatastore()
  const run = calicoctlOn(ds)
  const calicoctl = (...args: string[]) => run(args)

  beforeEach(async () => {
    await ds.reset()
    await ds.addNamespace('prod')
    expect(await calicoctl('apply', '-f', writeTempFile('policies.yaml', POLICIES))).toMatchObject({ code: 0, stdout: 'Successfully applied 2 resource(s)\n' })
  })

  it('lists the default namespace without flags, one namespace with -n, every namespace with -A', async () => {
    expect(await calicoctl('get', 'networkpolicy')).toEqual({ code: 0, stdout: 'NAME   TIER   \n\n', stderr: '' })
    expect((await calicoctl('get', 'policies', '-n', 'prod')).stdout).toBe('NAMESPACE   NAME        TIER      \nprod        allow-dns   default   \n\n')
    expect((await calicoctl('get', 'np', '-A', '-o', 'wide')).stdout).toBe(
      "NAMESPACE   NAME        TIER      ORDER   SELECTOR       \nprod        allow-dns   default   <nil>   app == 'web'   \n\n",
    )
    expect((await calicoctl('get', 'gnp', '-o', 'wide')).stdout).toBe('NAME       TIER      ORDER   SELECTOR   \ndeny-ssh   default   10      all()      \n\n')
    expect((await calicoctl('get', 'networkpolicy', '-A', '-o', 'custom-columns=NAMESPACE,NAME')).stdout).toBe('NAMESPACE   NAME        \nprod        allow-dns   \n\n')
  })

  it('shows the defaults upstream fills in: types from the rules, the tier and its label, ports as numbers', async () => {
    const r = await calicoctl('get', 'networkpolicy', 'allow-dns', '-n', 'prod', '-o', 'json')
    const got = JSON.parse(r.stdout)
    expect(got.metadata).toMatchObject({ name: 'allow-dns', namespace: 'prod', labels: { 'projectcalico.org/tier': 'default' } })
    expect(got.metadata.annotations).toBeUndefined()
    expect(got.spec).toEqual({
      tier: 'default',
      egress: [{ action: 'Allow', protocol: 'UDP', destination: { ports: [53] } }],
      selector: "app == 'web'",
      types: ['Egress'],
    })
    const gnp = JSON.parse((await calicoctl('get', 'globalnetworkpolicy', 'deny-ssh', '-o', 'json')).stdout)
    expect(gnp.spec.types).toEqual(['Ingress'])
    expect(gnp.spec.ingress[0].destination.ports).toEqual([22])
  })

  it('stores the policy name where Calico components read it', async () => {
    const stored = await ds.stored()
    const np = stored.get('networkpolicies/prod/allow-dns')
    if (ds.name === 'etcd') {
      expect(np.metadata.annotations).toEqual({ 'projectcalico.org/metadata': '{"name":"allow-dns"}' })
      expect(np.metadata.labels).toEqual({ 'projectcalico.org/tier': 'default' })
    } else {
      expect(np.apiVersion).toBe('crd.projectcalico.org/v1')
      expect(np.metadata.labels).toEqual({ 'projectcalico.org/tier': 'default' })
      const annotation = JSON.parse(np.metadata.annotations['projectcalico.org/metadata'])
      expect(annotation).toMatchObject({ name: 'allow-dns', labels: { 'projectcalico.org/tier': 'default' } })
      expect(Object.keys(annotation)[0]).toBe('name')
    }
    expect(np.spec.types).toEqual(['Egress'])
  })

  it('applies the namespace rules of upstream to documents and flags', async () => {
    const mismatch = await calicoctl('apply', '-f', writeTempFile('p.yaml', policy('p1', '  namespace: prod\n')), '-n', 'dev')
    expect(mismatch).toEqual({ code: 1, stdout: '', stderr: "failed to apply 'NetworkPolicy' resource: [resource namespace does not match client namespace. prod != dev]\n" })
    expect(await calicoctl('get', 'networkpolicy', 'allow-dns', '-A')).toEqual({ code: 1, stdout: '', stderr: 'cannot use --all-namespace flag for getting a single resource\n' })
    expect(await calicoctl('get', 'networkpolicy', '-A', '-n', 'prod')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'cannot use both --namespace and --all-namespaces flags at the same time\n',
    })
    // Without a namespace anywhere the policy goes to `default`.
    expect((await calicoctl('create', '-f', writeTempFile('p.yaml', policy('p1')))).stdout).toBe("Successfully created 1 'NetworkPolicy' resource(s)\n")
    expect((await calicoctl('get', 'networkpolicy', 'p1', '-o', 'yaml')).stdout).toContain('  namespace: default\n')
    expect(await calicoctl('delete', 'networkpolicy', 'allow-dns')).toMatchObject({ code: 1, stderr: expect.stringContaining('NetworkPolicy(default/allow-dns)') })
    expect(await calicoctl('delete', 'networkpolicy', 'allow-dns', '-n', 'prod')).toEqual({ code: 0, stdout: "Successfully deleted 1 'NetworkPolicy' resource(s)\n", stderr: '' })
  })

  it('refuses to write or delete the policies Kubernetes owns (knp.default.*)', async () => {
    const file = writeTempFile('knp.yaml', policy('knp.default.allow-all'))
    const id = 'NetworkPolicy(default/knp.default.allow-all)'
    expect(await calicoctl('create', '-f', file)).toEqual({
      code: 1,
      stdout: '',
      stderr: `failed to create 'NetworkPolicy' resource: [operation create or apply is not supported on ${id}: ${KNP_REASON}]\n`,
    })
    // apply falls back to update when the create is refused, as upstream's resource manager does;
    // the update reads the policy before refusing it, so a missing one does not exist
    const missing = `resource does not exist: ${id} with error: ${ds.notFoundInner('networkpolicies', 'knp.default.allow-all')}`
    expect((await calicoctl('apply', '-f', file)).stderr).toBe(`failed to apply 'NetworkPolicy' resource: [${missing}]\n`)
    expect((await calicoctl('replace', '-f', file)).stderr).toBe(`hit error: ${missing}\n`)
    expect((await calicoctl('delete', 'networkpolicy', 'knp.default.allow-all')).stderr).toBe(
      `Failed to delete 'NetworkPolicy' resource: operation delete is not supported on ${id}: ${KNP_REASON}\n\n`,
    )
    expect([...(await ds.stored()).keys()].filter((k) => k.includes('knp.'))).toEqual([])
  })

  it('refuses a policy whose tier does not exist, and accepts it once the tier does', async () => {
    const file = writeTempFile('tiered.yaml', policy('web.allow', '  namespace: prod\n').replace('spec:\n', 'spec:\n  tier: web\n'))
    const missing = await calicoctl('create', '-f', file)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe(`failed to create 'NetworkPolicy' resource: [resource does not exist: Tier(web) with error: ${ds.notFoundInner('tiers', 'web')}]\n`)
    const tier = 'apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: web\nspec:\n  order: 100\n'
    expect((await calicoctl('create', '-f', writeTempFile('tier.yaml', tier))).code).toBe(0)
    expect(await calicoctl('create', '-f', file)).toMatchObject({ code: 0, stdout: "Successfully created 1 'NetworkPolicy' resource(s)\n" })
    expect((await calicoctl('get', 'networkpolicy', '-n', 'prod')).stdout).toBe(
      'NAMESPACE   NAME        TIER      \nprod        allow-dns   default   \nprod        web.allow   web       \n\n',
    )
    // A tier that still holds policies stays.
    expect(await calicoctl('delete', 'tier', 'web')).toEqual({
      code: 1,
      stdout: '',
      stderr: "Failed to delete 'Tier' resource: operation delete is not supported on web: Cannot delete a non-empty tier\n\n",
    })
    expect((await calicoctl('delete', 'networkpolicy', 'web.allow', '-n', 'prod')).code).toBe(0)
    expect(await calicoctl('delete', 'tier', 'web')).toEqual({ code: 0, stdout: "Successfully deleted 1 'Tier' resource(s)\n", stderr: '' })
  })

  it('lists what a document without a name stands for, as get -f does upstream', async () => {
    const nameless = writeTempFile('nameless.yaml', 'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  namespace: prod\n')
    expect((await calicoctl('get', '-f', nameless)).stdout).toBe('NAME        TIER      \nallow-dns   default   \n\n')
    expect((await calicoctl('get', '-f', nameless, '-A', '-o', 'yaml')).stdout).toMatch(/^apiVersion: projectcalico.org\/v3\nitems:\n- apiVersion/)
  })

  it('reports rule problems with upstream field names, and writes nothing', async () => {
    const bad = POLICIES.split('---\n')[0].replace('    protocol: UDP\n', '').replace('allow-dns', 'allow-dns-2')
    const before = await ds.stored()
    const file = writeTempFile('bad.yaml', bad)
    const r = await calicoctl('apply', '-f', file)
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      "failed to apply 'NetworkPolicy' resource: [error with field Destination.Ports = '[53]' (rules with numeric port or port range must set protocol to TCP or UDP or SCTP)]\n" +
        `  at ${file}: document 1, line 11 (spec.egress[0].destination.ports)\n`,
    )
    expect(await ds.stored()).toEqual(before)
  })
})
