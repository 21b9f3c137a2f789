/**
 * Where and how the etcd datastore keeps v3 resources, as libcalico-go does (backend/model
 * resource.go for the keys, etcdv3 for the values): what Calico's own components write must read
 * back here, and what calicoctl writes must read back there.
 */
import { describe, expect, it } from 'vitest'
import { decodeValue, encodeValue } from '../../src/datastore/etcd/codec.js'
import { listPrefix, parseResourceKey, resourceKey } from '../../src/datastore/etcd/keys.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import { allKinds, kindByKind } from '../../src/resources/all-kinds.js'
import type { Resource } from '../../src/resources/types.js'

const kind = (name: string) => kindByKind(name) as KindDefinition
const ROOT = '/calico/resources/v3/projectcalico.org'

/** Every kind calicoctl keeps in etcd, with the plural libcalico-go registers for its key. */
const UPSTREAM_PLURALS: Record<string, string> = {
  BGPConfiguration: 'bgpconfigurations',
  BGPFilter: 'BGPFilters',
  BGPPeer: 'bgppeers',
  CalicoNodeStatus: 'caliconodestatuses',
  ClusterInformation: 'clusterinformations',
  FelixConfiguration: 'felixconfigurations',
  GlobalNetworkPolicy: 'globalnetworkpolicies',
  GlobalNetworkSet: 'globalnetworksets',
  HostEndpoint: 'hostendpoints',
  IPAMConfiguration: 'ipamconfigurations',
  IPPool: 'ippools',
  IPReservation: 'ipreservations',
  KubeControllersConfiguration: 'kubecontrollersconfigurations',
  NetworkPolicy: 'networkpolicies',
  NetworkSet: 'networksets',
  Node: 'nodes',
  Profile: 'profiles',
  StagedGlobalNetworkPolicy: 'stagedglobalnetworkpolicies',
  StagedKubernetesNetworkPolicy: 'stagedkubernetesnetworkpolicies',
  StagedNetworkPolicy: 'stagednetworkpolicies',
  Tier: 'tiers',
  WorkloadEndpoint: 'workloadendpoints',
}

describe('etcd keys', () => {
  it('covers every kind', () => {
    expect(allKinds().map((k) => k.kind).sort()).toEqual(Object.keys(UPSTREAM_PLURALS).sort())
  })

  it.each(Object.entries(UPSTREAM_PLURALS))('%s lives under %s', (name, plural) => {
    const k = kind(name)
    const key = resourceKey(k, 'r1', k.namespaced ? 'ns1' : undefined)
    expect(key).toBe(k.namespaced ? `${ROOT}/${plural}/ns1/r1` : `${ROOT}/${plural}/r1`)
    expect(listPrefix(k, k.namespaced ? 'ns1' : undefined)).toBe(k.namespaced ? `${ROOT}/${plural}/ns1/` : `${ROOT}/${plural}/`)
    expect(listPrefix(k)).toBe(`${ROOT}/${plural}/`)
    expect(parseResourceKey(k, key)).toEqual(k.namespaced ? { namespace: 'ns1', name: 'r1' } : { name: 'r1' })
  })

  it.each<[string, string, string, { name: string; namespace?: string } | undefined]>([
    ['a global key', 'IPPool', `${ROOT}/ippools/p1`, { name: 'p1' }],
    ['a name with dots', 'IPPool', `${ROOT}/ippools/pool.v4`, { name: 'pool.v4' }],
    ['a name upstream never escapes', 'IPPool', `${ROOT}/ippools/a%2fb`, { name: 'a%2fb' }],
    ['a key one level deeper', 'IPPool', `${ROOT}/ippools/ns/p1`, undefined],
    ['an empty name', 'IPPool', `${ROOT}/ippools/`, undefined],
    ["another kind's key with the same start", 'IPPool', `${ROOT}/ippoolsx/p1`, undefined],
    ["another kind's key", 'IPPool', `${ROOT}/ipreservations/p1`, undefined],
    ['another API group', 'IPPool', '/calico/resources/v3/crd.projectcalico.org/ippools/p1', undefined],
    ['a namespaced key', 'NetworkPolicy', `${ROOT}/networkpolicies/ns1/np`, { namespace: 'ns1', name: 'np' }],
    ['a namespaced key without a namespace', 'NetworkPolicy', `${ROOT}/networkpolicies/np`, undefined],
    ['a namespaced key with an empty namespace', 'NetworkPolicy', `${ROOT}/networkpolicies//np`, undefined],
    ['a namespaced key one level deeper', 'NetworkPolicy', `${ROOT}/networkpolicies/ns1/np/x`, undefined],
    ['the lower-case BGP filter plural', 'BGPFilter', `${ROOT}/bgpfilters/f1`, undefined],
  ])('reads %s', (_what, kindName, key, expected) => expect(parseResourceKey(kind(kindName), key)).toEqual(expected))
})

const resource = (kindName: string, metadata: Resource['metadata'], spec: Record<string, unknown>): Resource => ({
  apiVersion: 'projectcalico.org/v3',
  kind: kindName,
  metadata,
  spec,
})

describe('etcd values', () => {
  it('are compact Go JSON in struct order, without resourceVersion or selfLink', () => {
    const pool = resource(
      'IPPool',
      { selfLink: '/x', resourceVersion: '42', creationTimestamp: '2026-12-01T00:00:00Z', uid: 'u1', name: 'p1', labels: { z: '1', a: '2' } },
      { nodeSelector: 'all()', blockSize: 26, cidr: '10.0.0.0/16' },
    )
    expect(encodeValue(kind('IPPool'), { ...pool, kind: 'Whatever', apiVersion: 'v1' })).toBe(
      '{"kind":"IPPool","apiVersion":"projectcalico.org/v3","metadata":{"name":"p1","uid":"u1","creationTimestamp":"2026-12-01T00:00:00Z","labels":{"a":"2","z":"1"}},' +
        '"spec":{"cidr":"10.0.0.0/16","blockSize":26,"nodeSelector":"all()"}}',
    )
  })

  it("keep a policy's own name in its metadata annotation, next to the user's (sorted, as Go marshals a map)", () => {
    const policy = resource('GlobalNetworkPolicy', { name: 'allow-dns', annotations: { zone: 'a', app: 'dns' } }, { selector: 'all()' })
    const value = JSON.parse(encodeValue(kind('GlobalNetworkPolicy'), policy))
    expect(Object.entries(value.metadata.annotations)).toEqual([
      ['app', 'dns'],
      ['projectcalico.org/metadata', '{"name":"allow-dns"}'],
      ['zone', 'a'],
    ])
    expect(policy.metadata.annotations).toEqual({ zone: 'a', app: 'dns' })
  })

  it('read back with the revision as resourceVersion', () => {
    const value = encodeValue(kind('IPPool'), resource('IPPool', { name: 'p1' }, { cidr: '10.0.0.0/16' }))
    expect(decodeValue(kind('IPPool'), value, '17')).toEqual(resource('IPPool', { name: 'p1', resourceVersion: '17' }, { cidr: '10.0.0.0/16' }))
  })

  it("read a policy back under the annotation's name, without the annotation", () => {
    const policy = resource('NetworkPolicy', { name: 'allow-dns', namespace: 'ns1', annotations: { zone: 'a' } }, { tier: 'default' })
    const read = decodeValue(kind('NetworkPolicy'), encodeValue(kind('NetworkPolicy'), policy), '5')
    expect(read?.metadata).toEqual({ name: 'allow-dns', namespace: 'ns1', annotations: { zone: 'a' }, resourceVersion: '5' })
    const bare = decodeValue(kind('NetworkPolicy'), encodeValue(kind('NetworkPolicy'), { ...policy, metadata: { name: 'p', namespace: 'ns1' } }), '6')
    expect(bare?.metadata).toEqual({ name: 'p', namespace: 'ns1', resourceVersion: '6' })
  })

  const stored = (name: string, annotation: string | undefined, tier?: string) =>
    JSON.stringify(
      resource('GlobalNetworkPolicy', { name, ...(annotation === undefined ? {} : { annotations: { 'projectcalico.org/metadata': annotation } }) }, tier ? { tier } : {}),
    )

  it.each<[string, string, string | undefined, string | undefined, string | undefined]>([
    ["the annotation's name wins over the stored one", 'default.web', '{"name":"web-v2"}', undefined, 'web-v2'],
    ['a pre-3.30 default-tier policy loses its prefix', 'default.web', undefined, undefined, 'web'],
    ['... also with the tier named', 'default.web', undefined, 'default', 'web'],
    ['a policy of another tier keeps it', 'default.web', undefined, 'security', 'default.web'],
    ['an empty annotation counts as none', 'default.web', '', undefined, 'web'],
    ['an annotation without a name names nothing', 'web', '{}', undefined, ''],
    ['JSON null names nothing', 'web', 'null', undefined, ''],
    ['an annotation that is not JSON makes the entry unreadable', 'web', '{name', undefined, undefined],
    ['... as does one that is not an object', 'web', '"web"', undefined, undefined],
    ['... or a name that is not a string', 'web', '{"name":5}', undefined, undefined],
  ])('policy names: %s', (_what, name, annotation, tier, expected) => {
    expect(decodeValue(kind('GlobalNetworkPolicy'), stored(name, annotation, tier), '3')?.metadata.name).toBe(expected)
  })

  it('keep an empty annotation, which upstream does not read', () => {
    expect(decodeValue(kind('GlobalNetworkPolicy'), stored('web', ''), '3')?.metadata.annotations).toEqual({ 'projectcalico.org/metadata': '' })
  })

  it('leave the default. prefix of kinds that are no policies', () => {
    expect(decodeValue(kind('GlobalNetworkSet'), stored('default.web', undefined), '3')?.metadata.name).toBe('default.web')
  })

  it.each(['', 'not json', '[]', '"text"', '7', 'null'])('are unreadable when they hold %j', (value) => {
    expect(decodeValue(kind('IPPool'), value, '3')).toBeUndefined()
  })
})
