/**
 * `datastore migrate-policy-names`: default-tier policies kept under their pre-v3.32 `default.`
 * name (as Calico before v3.30 wrote them, and v3.30/v3.31 with the name annotation) are moved to
 * their v3 name, on etcd and on Kubernetes; other tiers and already-aligned names are left alone.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { etcdDelPrefix, etcdGetPrefix, etcdPut, runCli, writeCalicoctlCfg } from './helpers.js'
import { startKddFixture, type KddFixture } from './kube-apiserver/fixture.js'

const RES = '/calico/resources/v3/projectcalico.org'
const DONE = (n: number) => `Policy name migration complete, migrated ${n} policies.\n`

describe('datastore migrate-policy-names on etcd', () => {
  const env = inject('etcdPlain')
  let cfg = ''
  beforeAll(() => {
    cfg = writeCalicoctlCfg(env)
  })
  beforeEach(() => etcdDelPrefix(env, '/calico/'))
  afterAll(() => etcdDelPrefix(env, '/calico/'))
  const run = (args: string[]) => runCli([...args, '-c', cfg])

  it('moves default-tier policies to their v3 names, once', async () => {
    // Before v3.30: the stored name carries the prefix, no annotation.
    await etcdPut(env, `${RES}/globalnetworkpolicies/default.allow-dns`, JSON.stringify({
      kind: 'GlobalNetworkPolicy', apiVersion: 'projectcalico.org/v3',
      metadata: { name: 'default.allow-dns', uid: 'u1', creationTimestamp: '2025-01-01T00:00:00Z' },
      spec: { tier: 'default', order: 10, selector: 'all()', types: ['Egress'], egress: [{ action: 'Allow', protocol: 'UDP', destination: { ports: [53] } }] },
    }))
    // v3.30 and v3.31: the prefixed key, the v3 name in the annotation.
    await etcdPut(env, `${RES}/networkpolicies/shop/default.allow-web`, JSON.stringify({
      kind: 'NetworkPolicy', apiVersion: 'projectcalico.org/v3',
      metadata: { name: 'allow-web', namespace: 'shop', annotations: { 'projectcalico.org/metadata': '{"name":"allow-web"}' } },
      spec: { tier: 'default', selector: "app == 'web'", types: ['Ingress'] },
    }))
    // Another tier's names always had the prefix in both places: left alone.
    await etcdPut(env, `${RES}/globalnetworkpolicies/security.deny-telnet`, JSON.stringify({
      kind: 'GlobalNetworkPolicy', apiVersion: 'projectcalico.org/v3',
      metadata: { name: 'security.deny-telnet', annotations: { 'projectcalico.org/metadata': '{"name":"security.deny-telnet"}' } },
      spec: { tier: 'security', selector: 'all()' },
    }))
    await etcdPut(env, `${RES}/globalnetworkpolicies/already-aligned`, JSON.stringify({
      kind: 'GlobalNetworkPolicy', apiVersion: 'projectcalico.org/v3', metadata: { name: 'already-aligned' }, spec: { tier: 'default' },
    }))

    expect(await run(['get', 'globalnetworkpolicy', 'allow-dns'])).toMatchObject({ code: 1 })
    expect(await run(['datastore', 'migrate-policy-names'])).toEqual({ code: 0, stdout: DONE(2), stderr: '' })

    const keys = await etcdGetPrefix(env, `${RES}/`)
    expect([...keys.keys()].sort()).toEqual([
      `${RES}/globalnetworkpolicies/allow-dns`,
      `${RES}/globalnetworkpolicies/already-aligned`,
      `${RES}/globalnetworkpolicies/security.deny-telnet`,
      `${RES}/networkpolicies/shop/allow-web`,
    ])
    // Written as libcalico-go writes a policy: the v3 name, also in the annotation; uid and creation time kept.
    expect(JSON.parse(keys.get(`${RES}/globalnetworkpolicies/allow-dns`) as string)).toMatchObject({
      metadata: { name: 'allow-dns', uid: 'u1', creationTimestamp: '2025-01-01T00:00:00Z', annotations: { 'projectcalico.org/metadata': '{"name":"allow-dns"}' } },
      spec: { tier: 'default', order: 10 },
    })
    const got = await run(['get', 'globalnetworkpolicy', 'allow-dns', '-o', 'yaml'])
    expect(got.code).toBe(0)
    expect(got.stdout).toContain('name: allow-dns\n')

    expect(await run(['datastore', 'migrate-policy-names'])).toEqual({ code: 0, stdout: DONE(0), stderr: '' })
  })

  it('reports an unreachable etcd', async () => {
    const r = await runCli(['datastore', 'migrate-policy-names', '-c', writeCalicoctlCfg({ ETCD_ENDPOINTS: 'http://127.0.0.1:1' })])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^unable to get Cluster Information to verify version mismatch: .*127\.0\.0\.1:1.*\nUse --allow-version-mismatch to override\n$/s)
  })
})

describe('datastore migrate-policy-names on Kubernetes', () => {
  let kdd: KddFixture
  beforeAll(async () => {
    kdd = await startKddFixture()
  })
  afterAll(() => kdd.close())

  it('moves a default-tier custom resource to its v3 name', async () => {
    const legacy = {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'default.allow-dns', annotations: { 'projectcalico.org/metadata': '{"name":"allow-dns","creationTimestamp":null}' } },
      spec: { tier: 'default', order: 10, selector: 'all()' },
    }
    expect((await kdd.request('POST', '/apis/crd.projectcalico.org/v1/globalnetworkpolicies', legacy)).code).toBe(201)
    const run = (args: string[]) => runCli([...args, '-c', kdd.cfg])
    expect(await run(['datastore', 'migrate-policy-names'])).toEqual({ code: 0, stdout: DONE(1), stderr: '' })
    expect(kdd.server.object('crd.projectcalico.org', 'globalnetworkpolicies', 'default.allow-dns')).toBeUndefined()
    expect(kdd.server.object('crd.projectcalico.org', 'globalnetworkpolicies', 'allow-dns')).toMatchObject({ spec: { tier: 'default', order: 10, selector: 'all()' } })
    expect(await run(['datastore', 'migrate-policy-names'])).toEqual({ code: 0, stdout: DONE(0), stderr: '' })
  })
})
