import { beforeAll, describe, expect, it } from 'vitest'
import { calicoctlOn, etcdUnderTest, kubernetesUnderTest } from './datastores.js'
import { writeTempFile } from './helpers.js'

const POLICIES = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: web
  namespace: prod
spec:
  selector: app == 'web'
  ingress:
  - action: Allow
    source:
      selector: app == 'lb'
  egress:
  - action: Allow
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: deny-all
spec:
  selector: all()
  ingress:
  - action: Deny
    source: {}
    destination: {}
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool
spec:
  cidr: 10.30.0.0/16
`

const DEFAULT_ALLOW_YAML =
  'apiVersion: projectcalico.org/v3\nkind: Profile\nmetadata:\n  name: projectcalico-default-allow\n  resourceVersion: "1"\nspec:\n' +
  '  egress:\n  - action: Allow\n  ingress:\n  - action: Allow\n'

/** Every `"creationTimestamp": null` in a stored object, JSON held in annotations included. */
function nullTimestamps(value: unknown, path = ''): string[] {
  if (typeof value === 'string') {
    if (!value.startsWith('{')) return []
    try {
      return nullTimestamps(JSON.parse(value), `${path}(json)`)
    } catch {
      return []
    }
  }
  if (typeof value !== 'object' || value === null) return []
  return Object.entries(value).flatMap(([key, child]) =>
    key === 'creationTimestamp' && child === null ? [`${path}.${key}`] : nullTimestamps(child, `${path}.${key}`),
  )
}

/** Go's omitzero: zero rule sides and an unset creationTimestamp are neither printed nor stored. */
describe.each([
  ['etcd', () => etcdUnderTest('etcdPlain')],
  ['kubernetes', kubernetesUnderTest],
] as const)('omitzero fields on %s', (_name, makeDatastore) => {
  const ds = makeDatastore()
  const run = calicoctlOn(ds)
  const calicoctl = (...args: string[]) => run(args)

  beforeAll(async () => {
    await ds.reset()
    await ds.addNamespace('prod')
    expect(await calicoctl('create', '-f', writeTempFile('omitzero.yaml', POLICIES))).toMatchObject({ code: 0 })
  })

  it('prints no empty source or destination for a rule that has none', async () => {
    const r = await calicoctl('get', 'networkpolicy', 'web', '-n', 'prod', '-o', 'yaml')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(
      "spec:\n  egress:\n  - action: Allow\n  ingress:\n  - action: Allow\n    source:\n      selector: app == 'lb'\n  selector: app == 'web'\n",
    )
    expect(r.stdout).not.toMatch(/^\s*(- )?destination:|^\s*(- )?source: \{\}/m)
    const json = JSON.parse((await calicoctl('get', 'networkpolicy', 'web', '-n', 'prod', '-o', 'json')).stdout)
    expect(json.spec.egress).toEqual([{ action: 'Allow' }])
    expect(json.spec.ingress).toEqual([{ action: 'Allow', source: { selector: "app == 'lb'" } }])
    // Sides written as {} are zero too.
    const global = await calicoctl('get', 'globalnetworkpolicy', 'deny-all', '-o', 'yaml')
    expect(global.stdout).toContain('  ingress:\n  - action: Deny\n  selector: all()\n')
    expect(global.stdout).not.toMatch(/^\s*(- )?(destination|source):/m)
  })

  it('stores no empty source or destination', async () => {
    const stored = [...(await ds.stored()).entries()]
    const rules = (nameEnd: string) => {
      const found = stored.find(([key]) => key.includes('policies/') && key.endsWith(nameEnd))
      expect(found, `stored keys: ${stored.map(([k]) => k).join(', ')}`).toBeDefined()
      const spec = found?.[1].spec
      return { ingress: spec.ingress, egress: spec.egress }
    }
    expect(rules('web')).toEqual({ ingress: [{ action: 'Allow', source: { selector: "app == 'lb'" } }], egress: [{ action: 'Allow' }] })
    expect(rules('deny-all')).toEqual({ ingress: [{ action: 'Deny' }], egress: undefined })
  })

  it('prints and stores no null creationTimestamp', async () => {
    for (const args of [
      ['get', 'networkpolicy', '-A', '-o', 'yaml'],
      ['get', 'globalnetworkpolicy', '-o', 'yaml'],
      ['get', 'ippool', 'pool', '-o', 'yaml'],
      ['get', 'tier', '-o', 'yaml'],
      ['get', 'profile', '-o', 'yaml'],
      ['get', 'profile', '-o', 'json'],
    ]) {
      const r = await calicoctl(...args)
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0)
      expect(r.stdout, args.join(' ')).not.toMatch(/creationTimestamp"?: null/)
    }
    const exported = await calicoctl('get', 'ippool', 'pool', '-o', 'yaml', '--export')
    expect(exported.stdout).toBe('apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: pool\nspec:\n' + exported.stdout.split('\nspec:\n')[1])
    expect(exported.stdout).not.toContain('creationTimestamp')
    expect(nullTimestamps(Object.fromEntries(await ds.stored()))).toEqual([])
  })

  it('serves the default-allow profile at resourceVersion "1" with allow-all rules and nothing else', async () => {
    expect(await calicoctl('get', 'profile', 'projectcalico-default-allow', '-o', 'yaml')).toEqual({ code: 0, stdout: DEFAULT_ALLOW_YAML, stderr: '' })
    const json = JSON.parse((await calicoctl('get', 'profile', 'projectcalico-default-allow', '-o', 'json')).stdout)
    expect(json).toEqual({
      kind: 'Profile',
      apiVersion: 'projectcalico.org/v3',
      metadata: { name: 'projectcalico-default-allow', resourceVersion: '1' },
      spec: { ingress: [{ action: 'Allow' }], egress: [{ action: 'Allow' }] },
    })
    const list = JSON.parse((await calicoctl('get', 'profiles', '-o', 'json')).stdout)
    expect(list.items.find((p: { metadata: { name: string } }) => p.metadata.name === 'projectcalico-default-allow')).toEqual(json)
  })
})
