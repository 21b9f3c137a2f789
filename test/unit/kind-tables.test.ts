/**
 * The cells of `get -o wide` (and the short table where it differs) for each kind, as upstream's
 * text/template columns (calicoctl/resourcemgr/*.go) print them, including absent and nil fields.
 */
import { describe, expect, it } from 'vitest'
import type { ColumnContext, KindDefinition } from '../../src/resources/kind.js'
import { allKinds, kindByKind } from '../../src/resources/all-kinds.js'
import type { Resource } from '../../src/resources/types.js'

const resource = (kind: string, name: string, spec?: Record<string, unknown>, extra: Partial<Resource['metadata']> = {}): Resource => ({
  apiVersion: 'projectcalico.org/v3',
  kind,
  metadata: { name, ...extra },
  ...(spec ? { spec } : {}),
})

/** Heading -> cell of each row. */
function table(kindName: string, items: Resource[], format: 'ps' | 'wide' = 'wide', context: ColumnContext = {}) {
  const kind = kindByKind(kindName) as KindDefinition
  return items.map((item) => Object.fromEntries(kind.columns[format].map((c) => [c.header, c.value(item, context)])))
}

describe('wide tables', () => {
  it('IPPool', () => {
    const pools = [
      resource('IPPool', 'p1', { cidr: '10.0.0.0/16', natOutgoing: true, ipipMode: 'CrossSubnet', vxlanMode: 'Always', disabled: true, disableBGPExport: true, nodeSelector: 'all()', assignmentMode: 'Manual' }),
      resource('IPPool', 'p2', { cidr: 'fd00::/64', natOutgoing: false }),
      resource('IPPool', 'p3'),
    ]
    expect(table('IPPool', pools)).toEqual([
      { NAME: 'p1', CIDR: '10.0.0.0/16', NAT: 'true', IPIPMODE: 'CrossSubnet', VXLANMODE: 'Always', DISABLED: 'true', DISABLEBGPEXPORT: 'true', SELECTOR: 'all()', ASSIGNMENTMODE: 'Manual' },
      { NAME: 'p2', CIDR: 'fd00::/64', NAT: 'false', IPIPMODE: 'Never', VXLANMODE: 'Never', DISABLED: 'false', DISABLEBGPEXPORT: 'false', SELECTOR: '', ASSIGNMENTMODE: '' },
      { NAME: 'p3', CIDR: '', NAT: 'false', IPIPMODE: 'Never', VXLANMODE: 'Never', DISABLED: 'false', DISABLEBGPEXPORT: 'false', SELECTOR: '', ASSIGNMENTMODE: '' },
    ])
    expect(table('IPPool', pools.slice(0, 1), 'ps')).toEqual([{ NAME: 'p1', CIDR: '10.0.0.0/16', SELECTOR: 'all()' }])
  })

  it('BGPPeer: the node, else the node selector, else (global)', () => {
    const peers = [
      resource('BGPPeer', 'a', { peerIP: '10.0.0.1', node: 'n1', nodeSelector: 'all()', asNumber: 64512 }),
      resource('BGPPeer', 'b', { nodeSelector: 'rr == "true"' }),
      resource('BGPPeer', 'c', {}),
      resource('BGPPeer', 'd'),
    ]
    expect(table('BGPPeer', peers)).toEqual([
      { NAME: 'a', PEERIP: '10.0.0.1', NODE: 'n1', ASN: '64512' },
      { NAME: 'b', PEERIP: '', NODE: 'rr == "true"', ASN: '0' },
      { NAME: 'c', PEERIP: '', NODE: '(global)', ASN: '0' },
      { NAME: 'd', PEERIP: '', NODE: '(global)', ASN: '0' },
    ])
  })

  it('Node: its own AS number, else the global one in brackets, nothing without BGP', () => {
    const nodes = [
      resource('Node', 'n1', { bgp: { asNumber: 65001, ipv4Address: '10.0.0.1/24', ipv6Address: 'fd00::1/64' } }),
      resource('Node', 'n2', { bgp: { ipv4Address: '10.0.0.2/24' } }),
      resource('Node', 'n3', {}),
      resource('Node', 'n4'),
    ]
    expect(table('Node', nodes, 'wide', { globalASNumber: '65000' })).toEqual([
      { NAME: 'n1', ASN: '65001', IPV4: '10.0.0.1/24', IPV6: 'fd00::1/64' },
      { NAME: 'n2', ASN: '(65000)', IPV4: '10.0.0.2/24', IPV6: '' },
      { NAME: 'n3', ASN: '', IPV4: '', IPV6: '' },
      { NAME: 'n4', ASN: '', IPV4: '', IPV6: '' },
    ])
    expect(table('Node', nodes.slice(1, 2))[0].ASN).toBe('(64512)')
  })

  it('ClusterInformation: a nil datastoreReady prints as <nil>', () => {
    const infos = [
      resource('ClusterInformation', 'default', { clusterGUID: 'abc', clusterType: 'k8s,kdd', calicoVersion: 'v3.31.0', datastoreReady: false }),
      resource('ClusterInformation', 'other', {}),
    ]
    expect(table('ClusterInformation', infos)).toEqual([
      { NAME: 'default', CLUSTERGUID: 'abc', CLUSTERTYPE: 'k8s,kdd', CALICOVERSION: 'v3.31.0', DATASTOREREADY: 'false' },
      { NAME: 'other', CLUSTERGUID: '', CLUSTERTYPE: '', CALICOVERSION: '', DATASTOREREADY: '<nil>' },
    ])
  })

  it('BGPConfiguration: "-" for a mesh setting or AS number never set', () => {
    const configs = [
      resource('BGPConfiguration', 'default', { logSeverityScreen: 'Info', nodeToNodeMeshEnabled: false, asNumber: 64512 }),
      resource('BGPConfiguration', 'node.n1', {}),
    ]
    expect(table('BGPConfiguration', configs)).toEqual([
      { NAME: 'default', LOGSEVERITY: 'Info', MESHENABLED: 'false', ASNUMBER: '64512' },
      { NAME: 'node.n1', LOGSEVERITY: '', MESHENABLED: '-', ASNUMBER: '-' },
    ])
  })

  it('Profile: the labels it applies as k=v', () => {
    const profiles = [resource('Profile', 'web', { labelsToApply: { tier: 'web', app: 'shop' } }), resource('Profile', 'bare')]
    expect(table('Profile', profiles)).toEqual([
      { NAME: 'web', LABELS: 'app=shop,tier=web' },
      { NAME: 'bare', LABELS: '' },
    ])
  })

  it('Tier: the order as text/template prints a *float64', () => {
    const tiers = [resource('Tier', 'a', { order: 100 }), resource('Tier', 'b', { order: 1000000 }), resource('Tier', 'c', { order: 0.5 }), resource('Tier', 'd')]
    expect(table('Tier', tiers)).toEqual([
      { NAME: 'a', ORDER: '100' },
      { NAME: 'b', ORDER: '1e+06' },
      { NAME: 'c', ORDER: '0.5' },
      { NAME: 'd', ORDER: '<nil>' },
    ])
  })

  it('Tier: get lists tiers by order, those without one last, ties as stored (sort.SliceStable)', () => {
    const kind = kindByKind('Tier') as KindDefinition
    const tiers = [resource('Tier', 'a', { order: 300 }), resource('Tier', 'none'), resource('Tier', 'b', { order: 100 }), resource('Tier', 'c', { order: 300 }), resource('Tier', 'd', { order: 0.5 })]
    expect([...tiers].sort(kind.listOrder).map((t) => t.metadata.name)).toEqual(['d', 'b', 'a', 'c', 'none'])
  })

  it('WorkloadEndpoint: the workload, else the pod; lists joined; NATs as Go prints the struct', () => {
    const endpoints = [
      resource('WorkloadEndpoint', 'n1-k8s-web--0-eth0', {
        workload: 'wl', pod: 'web-0', node: 'n1', ipNetworks: ['10.0.0.1/32', 'fd00::1/128'], interfaceName: 'cali0', profiles: ['kns.prod', 'ksa.prod.default'],
        ipNATs: [{ internalIP: '10.0.0.1', externalIP: '192.0.2.1' }, { internalIP: '10.0.0.2' }],
      }),
      resource('WorkloadEndpoint', 'bare', { pod: 'web-1' }),
    ]
    expect(table('WorkloadEndpoint', endpoints)).toEqual([
      { NAME: 'n1-k8s-web--0-eth0', WORKLOAD: 'wl', NODE: 'n1', NETWORKS: '10.0.0.1/32,fd00::1/128', INTERFACE: 'cali0', PROFILES: 'kns.prod,ksa.prod.default', NATS: '{10.0.0.1 192.0.2.1},{10.0.0.2 }' },
      { NAME: 'bare', WORKLOAD: 'web-1', NODE: '', NETWORKS: '', INTERFACE: '', PROFILES: '', NATS: '' },
    ])
    expect(table('WorkloadEndpoint', endpoints.slice(1), 'ps')).toEqual([{ WORKLOAD: 'web-1', NODE: '', NETWORKS: '', INTERFACE: '' }])
    const kind = kindByKind('WorkloadEndpoint') as KindDefinition
    expect(kind.extraColumns?.map((c) => [c.header, c.value(resource('WorkloadEndpoint', 'x', { orchestrator: 'k8s' }), {})])).toEqual([['ORCHESTRATOR', 'k8s']])
  })

  // A resource written without a spec (Go would have written an empty struct) prints as one with `spec: {}`.
  it.each(allKinds().map((k) => [k.kind]))('%s without a spec prints like an empty spec', (kindName) => {
    for (const format of ['ps', 'wide'] as const) expect(table(kindName, [resource(kindName, 'x')], format)).toEqual(table(kindName, [resource(kindName, 'x', {})], format))
  })
})
