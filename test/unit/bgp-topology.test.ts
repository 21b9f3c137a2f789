import { describe, expect, it } from 'vitest'
import { computeTopology, type IpVersion, type Topology } from '../../src/bgp/topology/compute.js'
import type { Resource } from '../../src/resources/types.js'

/**
 * The peering computation against confd's own golden cases (confd/tests/mock_data/calicoctl/<case>
 * input with confd/tests/compiled_templates/<case>/bird.cfg and bird6.cfg, rendered for node
 * kube-master): each row restates a case's resources and the BIRD protocols kube-master's files
 * have, as `<protocol> <neighbor>[ port <n>] as <asn>[ local as <asn>][ rr client][ next hop keep][ passive]`,
 * in confd's order (by protocol name). Further rows cover the other nodes' side, derived by
 * hand from the same rules.
 */

const meta = (name: string, labels?: Record<string, string>) => ({ name, ...(labels ? { labels } : {}) })
const node = (name: string, bgp: Record<string, unknown>, labels?: Record<string, string>): Resource => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'Node',
  metadata: meta(name, labels),
  spec: { bgp },
})
const peer = (name: string, spec: Record<string, unknown>): Resource => ({ apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', metadata: meta(name), spec })
const config = (name: string, spec: Record<string, unknown>): Resource => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'BGPConfiguration',
  metadata: meta(name),
  spec,
})

/** What node's BIRD file for the family would hold, one line per protocol. */
function bird(topology: Topology, nodeName: string, version: IpVersion): string[] {
  const self = topology.nodes.find((n) => n.name === nodeName)
  return topology.sessions
    .filter((s) => s.node === nodeName && s.ipVersion === version)
    .sort((a, b) => (a.protocol < b.protocol ? -1 : 1))
    .map((s) =>
      [
        `${s.protocol} ${s.peerIP}${s.port ? ` port ${s.port}` : ''} as ${s.asNumber}`,
        s.localASNumber !== self?.asNumber ? ` local as ${s.localASNumber}` : '',
        s.routeReflectorClient ? ' rr client' : '',
        s.nextHop === 'keep' ? ' next hop keep' : '',
        s.passive ? ' passive' : '',
      ].join(''),
    )
}

const three = (v4: [string, string, string], v6?: [string, string, string], labels: (Record<string, string> | undefined)[] = [], extra: Record<string, unknown>[] = []) =>
  ['kube-master', 'kube-node-1', 'kube-node-2'].map((name, i) =>
    node(name, { ipv4Address: v4[i], ...(v6 ? { ipv6Address: v6[i] } : {}), ...(extra[i] ?? {}) }, labels[i]),
  )

interface Case {
  name: string
  resources: Resource[]
  /** node -> [IPv4 lines, IPv6 lines] */
  expect: Record<string, [string[], string[]]>
}

const V4 = ['10.192.0.2/16', '10.192.0.3/16', '10.192.0.4/16'] as [string, string, string]
const RR_PEERS = [
  peer('bgppeer-1', { peerIP: '172.19.4.87', asNumber: 64533, nodeSelector: 'has(routeReflector)' }),
  peer('bgppeer-v6', { peerIP: '[ac13::57]:50', asNumber: 64533, nodeSelector: 'has(routeReflector)' }),
]

const CASES: Case[] = [
  {
    name: 'mesh/ipip-always: the full mesh with confd defaults',
    resources: [config('default', {}), ...three(V4)],
    expect: {
      'kube-master': [['Mesh_10_192_0_3 10.192.0.3 as 64512 passive', 'Mesh_10_192_0_4 10.192.0.4 as 64512 passive'], []],
      'kube-node-2': [['Mesh_10_192_0_2 10.192.0.2 as 64512', 'Mesh_10_192_0_3 10.192.0.3 as 64512'], []],
    },
  },
  {
    name: 'mesh/route-reflector-mesh-enabled: a reflector leaves the mesh and serves it by selectors',
    resources: [
      config('default', { asNumber: 64532, nodeToNodeMeshEnabled: true }),
      ...RR_PEERS,
      peer('bgppeer-other-nodes', { nodeSelector: 'has(routeReflector)', peerSelector: '!has(routeReflector)' }),
      ...three(V4, ['fe0a::2/96', 'fe0a::4/96', 'fe0a::6/96'], [undefined, undefined, { routeReflector: 'true' }], [{}, {}, { routeReflectorClusterID: '10.0.0.1' }]),
    ],
    expect: {
      'kube-master': [
        ['Mesh_10_192_0_3 10.192.0.3 as 64532 passive', 'Node_10_192_0_4 10.192.0.4 as 64532'],
        ['Mesh_fe0a__4 fe0a::4 as 64532 passive', 'Node_fe0a__6 fe0a::6 as 64532'],
      ],
      'kube-node-2': [
        ['Node_10_192_0_2 10.192.0.2 as 64532 rr client', 'Node_10_192_0_3 10.192.0.3 as 64532 rr client', 'Node_172_19_4_87 172.19.4.87 as 64533'],
        ['Node_ac13__57_port_50 ac13::57 port 50 as 64533', 'Node_fe0a__2 fe0a::2 as 64532 rr client', 'Node_fe0a__4 fe0a::4 as 64532 rr client'],
      ],
    },
  },
  {
    name: 'explicit_peering/global: peerIP peers, node listen ports, explicit ports',
    resources: [
      config('default', { nodeToNodeMeshEnabled: false, asNumber: 64567, listenPort: 150, bindMode: 'NodeIP' }),
      peer('bgppeer-1', { peerIP: '10.192.0.3', asNumber: 64567, sourceAddress: 'None' }),
      peer('bgppeer-2', { peerIP: '10.192.0.1:166', asNumber: 64567 }),
      peer('bgppeer-3', { peerIP: '10.192.0.1', asNumber: 64567 }),
      ...three(['10.192.0.2/16', '10.192.0.3/16', '10.192.0.1/16']),
    ],
    expect: {
      'kube-master': [
        ['Global_10_192_0_1_port_150 10.192.0.1 port 150 as 64567', 'Global_10_192_0_1_port_166 10.192.0.1 port 166 as 64567', 'Global_10_192_0_3_port_150 10.192.0.3 port 150 as 64567 passive'],
        [],
      ],
      // The reverse of bgppeer-1 adds kube-master; the other reverse peerings repeat global ones.
      'kube-node-1': [
        ['Global_10_192_0_1_port_150 10.192.0.1 port 150 as 64567', 'Global_10_192_0_1_port_166 10.192.0.1 port 166 as 64567', 'Node_10_192_0_2_port_150 10.192.0.2 port 150 as 64567'],
        [],
      ],
    },
  },
  {
    name: 'explicit_peering/global-external: an address no node has keeps no port',
    resources: [
      config('default', { nodeToNodeMeshEnabled: false, asNumber: 64567, listenPort: 150 }),
      peer('bgppeer-1', { peerIP: '10.192.0.3', asNumber: 64567, sourceAddress: 'None' }),
      peer('bgppeer-2', { peerIP: '10.192.0.4:166', asNumber: 64567 }),
      peer('bgppeer-3', { peerIP: '10.192.0.4', asNumber: 64567 }),
      ...three(['10.192.0.2/16', '10.192.0.3/16', '10.192.0.5/16']),
    ],
    expect: {
      'kube-master': [
        ['Global_10_192_0_3_port_150 10.192.0.3 port 150 as 64567 passive', 'Global_10_192_0_4 10.192.0.4 as 64567', 'Global_10_192_0_4_port_166 10.192.0.4 port 166 as 64567'],
        [],
      ],
    },
  },
  {
    name: 'explicit_peering/global-ipv6: IPv6 peerIP peers',
    resources: [
      config('default', { nodeToNodeMeshEnabled: false, asNumber: 64567 }),
      peer('bgppeer-1', { peerIP: '2001::102', asNumber: 64567, sourceAddress: 'None' }),
      peer('bgppeer-2', { peerIP: '2001::104', asNumber: 64567 }),
      ...three(['10.192.0.2/16', '10.192.0.3/16', '10.192.0.1/16'], ['2001::103/64', '2001::102/64', '2001::104/64']),
    ],
    expect: {
      'kube-master': [[], ['Global_2001__102 2001::102 as 64567', 'Global_2001__104 2001::104 as 64567 passive']],
    },
  },
  {
    name: 'explicit_peering/specific_node: peers of one node, one of another AS',
    resources: [
      config('default', { nodeToNodeMeshEnabled: false }),
      peer('bgppeer-1', { peerIP: '10.192.0.3', asNumber: 64512, node: 'kube-master' }),
      peer('bgppeer-2', { peerIP: '10.192.0.4', asNumber: 64566, node: 'kube-master' }),
      ...three(V4),
    ],
    expect: {
      'kube-master': [['Node_10_192_0_3 10.192.0.3 as 64512', 'Node_10_192_0_4 10.192.0.4 as 64566'], []],
      // bgppeer-1 is reversed; bgppeer-2's AS is not kube-node-2's, so it is not.
      'kube-node-1': [['Node_10_192_0_2 10.192.0.2 as 64512'], []],
      'kube-node-2': [[], []],
    },
  },
  {
    name: 'explicit_peering/selectors: nodeSelector to peerSelector, with a per-node listen port',
    resources: [
      config('default', { nodeToNodeMeshEnabled: false }),
      config('node.kube-node-1', { listenPort: 500 }),
      peer('bgppeer-1', { nodeSelector: "group=='one'", peerSelector: "group=='two'" }),
      ...three(V4, ['fd5f::2/96', 'fd5f::3/96', 'fd5f::4/96'], [{ group: 'one' }, { group: 'two' }, { group: 'two' }]),
    ],
    expect: {
      'kube-master': [
        ['Node_10_192_0_3_port_500 10.192.0.3 port 500 as 64512', 'Node_10_192_0_4 10.192.0.4 as 64512'],
        ['Node_fd5f__3_port_500 fd5f::3 port 500 as 64512', 'Node_fd5f__4 fd5f::4 as 64512'],
      ],
      'kube-node-1': [['Node_10_192_0_2 10.192.0.2 as 64512'], ['Node_fd5f__2 fd5f::2 as 64512']],
    },
  },
  {
    name: 'explicit_peering/route_reflector: a reflector with clients and external peers',
    resources: [
      config('default', { asNumber: 64532, nodeToNodeMeshEnabled: false }),
      ...RR_PEERS,
      peer('bgppeer-other-nodes', { nodeSelector: 'has(routeReflector)', peerSelector: '!has(routeReflector)' }),
      ...three(V4, ['fe0a::2/96', 'fe0a::3/96', 'fe0a::4/96'], [{ routeReflector: 'true' }], [{ routeReflectorClusterID: '10.0.0.1' }]),
    ],
    expect: {
      'kube-master': [
        ['Node_10_192_0_3 10.192.0.3 as 64532 rr client', 'Node_10_192_0_4 10.192.0.4 as 64532 rr client', 'Node_172_19_4_87 172.19.4.87 as 64533'],
        ['Node_ac13__57_port_50 ac13::57 port 50 as 64533', 'Node_fe0a__3 fe0a::3 as 64532 rr client', 'Node_fe0a__4 fe0a::4 as 64532 rr client'],
      ],
      'kube-node-1': [['Node_10_192_0_2 10.192.0.2 as 64532'], ['Node_fe0a__2 fe0a::2 as 64532']],
    },
  },
  {
    name: 'explicit_peering/route_reflector_v6_by_ip: a global IPv6 peerIP that is the reflector',
    resources: [
      config('default', { asNumber: 64532, nodeToNodeMeshEnabled: false }),
      ...RR_PEERS,
      peer('bgppeer-other-nodes', { peerIP: 'fe0a::2' }),
      ...three(V4, ['fe0a::2/96', 'fe0a::3/96', 'fe0a::4/96'], [{ routeReflector: 'true' }], [{ routeReflectorClusterID: '10.0.0.1' }]),
    ],
    expect: {
      'kube-master': [
        ['Node_172_19_4_87 172.19.4.87 as 64533'],
        ['Node_ac13__57_port_50 ac13::57 port 50 as 64533', 'Node_fe0a__3 fe0a::3 as 64532 rr client', 'Node_fe0a__4 fe0a::4 as 64532 rr client'],
      ],
      // confd copies the BGPPeer's AS number, unset here, to the clients' side.
      'kube-node-1': [[], ['Global_fe0a__2 fe0a::2 as 0']],
    },
  },
  {
    name: 'explicit_peering/keepnexthop: keepOriginalNextHop on eBGP peers of node-specific BGPPeers',
    resources: [
      config('default', { asNumber: 64532, nodeToNodeMeshEnabled: false }),
      peer('bgppeer-1', { peerIP: '172.19.4.87', asNumber: 64533, nodeSelector: 'has(routeReflector)', keepOriginalNextHop: true }),
      peer('bgppeer-v6', { peerIP: '[ac13::57]:50', asNumber: 64533, nodeSelector: 'has(routeReflector)', keepOriginalNextHop: true }),
      peer('bgppeer-other-nodes', { nodeSelector: 'all()', peerSelector: 'has(routeReflector)' }),
      node('kube-master', { ipv4Address: '10.192.0.2/16', ipv6Address: 'fe0a::2/96', routeReflectorClusterID: '10.0.0.1' }, { routeReflector: 'true' }),
      node('kube-node-1', { ipv4Address: '10.192.0.3/16' }),
      node('kube-node-2', { ipv4Address: '10.192.0.4/16' }),
    ],
    expect: {
      'kube-master': [
        ['Node_10_192_0_3 10.192.0.3 as 64532 rr client', 'Node_10_192_0_4 10.192.0.4 as 64532 rr client', 'Node_172_19_4_87 172.19.4.87 as 64533 next hop keep'],
        ['Node_ac13__57_port_50 ac13::57 port 50 as 64533 next hop keep'],
      ],
    },
  },
  {
    name: 'explicit_peering/keepnexthop-global: keepOriginalNextHop on global BGPPeers',
    resources: [
      config('default', { asNumber: 64532, nodeToNodeMeshEnabled: false }),
      peer('bgppeer-1', { peerIP: '172.19.4.87', asNumber: 64533, keepOriginalNextHop: true }),
      peer('bgppeer-v6', { peerIP: '[ac13::57]:50', asNumber: 64533, keepOriginalNextHop: true }),
      node('kube-master', { ipv4Address: '10.192.0.2/16', ipv6Address: 'fe0a::2/96', routeReflectorClusterID: '10.0.0.1' }, { routeReflector: 'true' }),
      node('kube-node-1', { ipv4Address: '10.192.0.3/16' }),
      node('kube-node-2', { ipv4Address: '10.192.0.4/16' }),
    ],
    expect: {
      'kube-master': [['Global_172_19_4_87 172.19.4.87 as 64533 next hop keep'], ['Global_ac13__57_port_50 ac13::57 port 50 as 64533 next hop keep']],
    },
  },
  {
    name: 'explicit_peering/local-as: a localASNumber per BGPPeer',
    resources: [
      config('default', { nodeToNodeMeshEnabled: false }),
      peer('bgppeer-1', { peerIP: '10.192.0.3', asNumber: 64512, localASNumber: 64512, node: 'kube-master', numAllowedLocalASNumbers: 1 }),
      peer('bgppeer-2', { peerIP: '10.192.0.4', asNumber: 64566, localASNumber: 65001, node: 'kube-master' }),
      ...three(V4),
    ],
    expect: {
      'kube-master': [['Node_10_192_0_3 10.192.0.3 as 64512', 'Node_10_192_0_4 10.192.0.4 as 64566 local as 65001'], []],
    },
  },
  {
    name: 'reverse_peering/auto: every node peers with the reflector, which peers back',
    resources: [
      config('default', { nodeToNodeMeshEnabled: false }),
      ...three(V4, ['2001::103/64', '2001::102/64', '2001::104/64'], [{ 'route-reflector': 'true' }]),
      peer('peer-with-route-reflectors', { nodeSelector: 'all()', peerSelector: "route-reflector == 'true'", reversePeering: 'Auto' }),
    ],
    expect: {
      'kube-master': [
        ['Node_10_192_0_3 10.192.0.3 as 64512', 'Node_10_192_0_4 10.192.0.4 as 64512'],
        ['Node_2001__102 2001::102 as 64512', 'Node_2001__104 2001::104 as 64512'],
      ],
      'kube-node-1': [['Node_10_192_0_2 10.192.0.2 as 64512'], ['Node_2001__103 2001::103 as 64512']],
    },
  },
  {
    name: 'reverse_peering/manual: no reverse peering, so the peered node configures nothing',
    resources: [
      config('default', { nodeToNodeMeshEnabled: false }),
      ...three(V4, ['2001::103/64', '2001::102/64', '2001::104/64'], [{ 'route-reflector': 'true' }]),
      peer('peer-with-route-reflectors', { nodeSelector: 'all()', peerSelector: "route-reflector == 'true'", reversePeering: 'Manual' }),
    ],
    expect: {
      'kube-master': [[], []],
      'kube-node-1': [['Node_10_192_0_2 10.192.0.2 as 64512'], ['Node_2001__103 2001::103 as 64512']],
    },
  },
  {
    name: 'mixed AS numbers: the mesh takes each node’s own AS, falling back to this node’s',
    resources: [
      config('default', { asNumber: 64512 }),
      node('a', { ipv4Address: '10.0.0.1/24', asNumber: 65001 }),
      node('b', { ipv4Address: '10.0.0.2/24', asNumber: 65002 }),
      node('c', { ipv4Address: '10.0.0.3/24' }),
    ],
    expect: {
      a: [['Mesh_10_0_0_2 10.0.0.2 as 65002 passive', 'Mesh_10_0_0_3 10.0.0.3 as 65001 passive'], []],
      c: [['Mesh_10_0_0_1 10.0.0.1 as 65001', 'Mesh_10_0_0_2 10.0.0.2 as 65002'], []],
    },
  },
  {
    name: 'IPv6 mesh: only nodes with an IPv6 address take part, each family on its own',
    resources: [
      node('a', { ipv4Address: '10.0.0.1/24', ipv6Address: 'fd00::1/64' }),
      node('b', { ipv4Address: '10.0.0.2/24', ipv6Address: 'fd00:0:0::2/64' }),
      node('c', { ipv4Address: '10.0.0.3/24' }),
    ],
    expect: {
      a: [['Mesh_10_0_0_2 10.0.0.2 as 64512 passive', 'Mesh_10_0_0_3 10.0.0.3 as 64512 passive'], ['Mesh_fd00__2 fd00::2 as 64512 passive']],
      c: [['Mesh_10_0_0_1 10.0.0.1 as 64512', 'Mesh_10_0_0_2 10.0.0.2 as 64512'], []],
    },
  },
]

describe('BGP sessions as confd configures them', () => {
  it.each(CASES)('$name', ({ resources, expect: expected }) => {
    const topology = computeTopology({
      nodes: resources.filter((r) => r.kind === 'Node'),
      bgpPeers: resources.filter((r) => r.kind === 'BGPPeer'),
      bgpConfigurations: resources.filter((r) => r.kind === 'BGPConfiguration'),
    })
    for (const [name, [v4, v6]] of Object.entries(expected)) {
      expect({ name, v4: bird(topology, name, 4), v6: bird(topology, name, 6) }).toEqual({ name, v4, v6 })
    }
  })
})
