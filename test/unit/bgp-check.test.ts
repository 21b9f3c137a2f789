import { describe, expect, it } from 'vitest'
import { checkTopology, type Finding } from '../../src/bgp/topology/checks.js'
import { computeTopology } from '../../src/bgp/topology/compute.js'
import { overlayResources } from '../../src/bgp/topology/load.js'
import { buildGraph, renderDot, renderFindings, renderMermaid, renderSessionTable, topologyDocument } from '../../src/bgp/topology/render.js'
import type { Resource } from '../../src/resources/types.js'

/**
 * The admin notes' route-reflector recipe (mesh off, a node labelled i-am-a-route-reflector with
 * routeReflectorClusterID 224.0.0.1, BGPPeers `!has -> has` and `has -> has`) and the mistakes made
 * with it, as `bgp topology` and `bgp check` show them.
 */

const RR = 'i-am-a-route-reflector'
const node = (name: string, bgp: Record<string, unknown>, labels?: Record<string, string>): Resource => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'Node',
  metadata: { name, ...(labels ? { labels } : {}) },
  spec: { bgp },
})
const peer = (name: string, spec: Record<string, unknown>): Resource => ({ apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', metadata: { name }, spec })
const meshOff: Resource = { apiVersion: 'projectcalico.org/v3', kind: 'BGPConfiguration', metadata: { name: 'default' }, spec: { nodeToNodeMeshEnabled: false, asNumber: 64512 } }
const reflector = (name: string, ip: string, extra: Record<string, unknown> = {}) => node(name, { ipv4Address: ip, routeReflectorClusterID: '224.0.0.1', ...extra }, { [RR]: 'true' })
const PEER_TO_RRS = peer('peer-to-rrs', { nodeSelector: `!has(${RR})`, peerSelector: `has(${RR})` })
const RR_MESH = peer('rr-mesh', { nodeSelector: `has(${RR})`, peerSelector: `has(${RR})` })
const CLIENTS = [node('gihtg-k8s-node01', { ipv4Address: '192.168.2.11/24' }), node('gihtg-k8s-node02', { ipv4Address: '192.168.2.12/24' })]
const RECIPE = [meshOff, reflector('gihtg-k8s-master01', '192.168.2.1/24'), ...CLIENTS, PEER_TO_RRS, RR_MESH]

function run(resources: Resource[]) {
  const input = {
    nodes: resources.filter((r) => r.kind === 'Node'),
    bgpPeers: resources.filter((r) => r.kind === 'BGPPeer'),
    bgpConfigurations: resources.filter((r) => r.kind === 'BGPConfiguration'),
  }
  const topology = computeTopology(input)
  return { topology, findings: checkTopology(topology, input.bgpPeers) }
}
const codes = (findings: Finding[]) => findings.map((f) => `${f.severity} ${f.code} ${f.objects.join(' ')}`)

describe('the recipe', () => {
  it('is a table of each side of every session, reflector and clients', () => {
    const { topology } = run(RECIPE)
    expect(renderSessionTable(topology.sessions)).toBe(
      [
        'NODE                 PEER                 PEER IP        AS      TYPE            ROLE        FROM                  ',
        'gihtg-k8s-master01   gihtg-k8s-node01     192.168.2.11   64512   node specific   rr-client   BGPPeer/peer-to-rrs   ',
        'gihtg-k8s-master01   gihtg-k8s-node02     192.168.2.12   64512   node specific   rr-client   BGPPeer/peer-to-rrs   ',
        'gihtg-k8s-node01     gihtg-k8s-master01   192.168.2.1    64512   node specific   rr          BGPPeer/peer-to-rrs   ',
        'gihtg-k8s-node02     gihtg-k8s-master01   192.168.2.1    64512   node specific   rr          BGPPeer/peer-to-rrs   ',
        '',
      ].join('\n'),
    )
  })

  it('has one finding: the reflector is alone in its cluster', () => {
    const { findings } = run(RECIPE)
    expect(codes(findings)).toEqual(['warning single-reflector Node/gihtg-k8s-master01'])
    expect(renderFindings(findings, { nodes: 3, bgpPeers: 2 })).toBe(
      'WARNING single-reflector (Node/gihtg-k8s-master01)\n' +
        '  Route reflector cluster 224.0.0.1 has one member, gihtg-k8s-master01: when it is down, its clients lose all their routes.\n' +
        '  advice: Give a second node the same routeReflectorClusterID (224.0.0.1) and the reflector label.\n' +
        '\n3 nodes and 2 BGPPeers checked: 0 errors, 1 warning, 0 info.\n',
    )
  })

  it('with a second reflector: reflectors peer with each other, not as clients, and nothing is found', () => {
    const { topology, findings } = run([...RECIPE, reflector('gihtg-k8s-master02', '192.168.2.2/24')])
    const rrSide = topology.sessions.filter((s) => s.node === 'gihtg-k8s-master01').map((s) => `${s.peer} ${s.role || '-'} ${s.source}`)
    expect(rrSide).toEqual(['gihtg-k8s-master02 - BGPPeer/rr-mesh', 'gihtg-k8s-node01 rr-client BGPPeer/peer-to-rrs', 'gihtg-k8s-node02 rr-client BGPPeer/peer-to-rrs'])
    expect(topology.sessions.filter((s) => s.node === 'gihtg-k8s-node01').map((s) => `${s.peer} ${s.role}`)).toEqual(['gihtg-k8s-master01 rr', 'gihtg-k8s-master02 rr'])
    expect(findings).toEqual([])
    expect(renderFindings(findings, { nodes: 4, bgpPeers: 2 })).toBe('No problems found: 4 nodes and 2 BGPPeers checked.\n')
  })

  it('as upstream calicoctl stores an unquoted !has(...) (no nodeSelector): every node, reflectors included, peers with the reflectors', () => {
    const unquoted = peer('peer-to-rrs', { peerSelector: `has(${RR})` })
    const { topology, findings } = run([meshOff, reflector('rr-1', '10.0.0.1/24'), reflector('rr-2', '10.0.0.2/24'), ...CLIENTS, unquoted])
    expect(topology.sessions.filter((s) => s.node === 'rr-1').map((s) => `${s.peer} ${s.type} ${s.role || '-'}`)).toEqual([
      'rr-2 global -',
      'gihtg-k8s-node01 node specific rr-client',
      'gihtg-k8s-node02 node specific rr-client',
    ])
    expect(codes(findings)).toEqual(['warning peer-selector-without-node-selector BGPPeer/peer-to-rrs'])
    expect(findings[0].message).toBe(
      `BGPPeer peer-to-rrs has a peerSelector (has(${RR})) but no nodeSelector: every node, including those the peerSelector matches, peers with them.`,
    )
  })
})

describe('mistakes bgp check finds', () => {
  it('a reflector without a cluster ID: its clients reach nothing but it', () => {
    const { findings } = run([meshOff, node('gihtg-k8s-master01', { ipv4Address: '192.168.2.1/24' }, { [RR]: 'true' }), ...CLIENTS, PEER_TO_RRS, RR_MESH])
    expect(codes(findings)).toEqual(['error reflector-without-cluster-id Node/gihtg-k8s-master01'])
    expect(findings[0].message).toContain('is the only iBGP link between nodes such as gihtg-k8s-node01 and gihtg-k8s-node02')
  })

  it('one of two reflectors without a cluster ID, found by the peerSelector that matches both', () => {
    const { findings } = run([...RECIPE, node('gihtg-k8s-master02', { ipv4Address: '192.168.2.2/24' }, { [RR]: 'true' })])
    expect(codes(findings)).toContain('error reflector-without-cluster-id Node/gihtg-k8s-master02 BGPPeer/peer-to-rrs')
  })

  it('mesh off and no BGPPeer: every node is cut off', () => {
    const { findings } = run([meshOff, ...CLIENTS])
    expect(codes(findings)).toEqual(['error no-sessions Node/gihtg-k8s-node01', 'error no-sessions Node/gihtg-k8s-node02'])
    expect(findings[0].advice).toBe(
      'Add a BGPPeer whose nodeSelector (or node) matches gihtg-k8s-node01 and whose peerSelector matches its route reflectors, or turn the mesh on.',
    )
  })

  it('a peerSelector that matches nothing (a typo in the label)', () => {
    const { findings } = run([meshOff, reflector('rr', '10.0.0.1/24'), ...CLIENTS, peer('peer-to-rrs', { nodeSelector: `!has(${RR})`, peerSelector: 'has(i-am-a-route-reflecter)' })])
    expect(codes(findings)).toEqual([
      'error no-sessions Node/gihtg-k8s-node01',
      'error no-sessions Node/gihtg-k8s-node02',
      'error no-sessions Node/rr',
      'warning selector-matches-nothing BGPPeer/peer-to-rrs',
      'warning single-reflector Node/rr',
    ])
  })

  it('a selector that does not parse', () => {
    const { findings } = run([meshOff, ...CLIENTS, peer('bad', { nodeSelector: 'has(', peerSelector: 'all()' })])
    expect(codes(findings)).toContain('error invalid-selector BGPPeer/bad')
  })

  it('spec.node naming no node, and a peerIP outside the cluster', () => {
    const { findings } = run([...RECIPE, peer('tor', { node: 'gihtg-k8s-node3', peerIP: '192.0.2.1', asNumber: 65000 })])
    expect(codes(findings)).toEqual([
      'error unknown-node BGPPeer/tor',
      'warning single-reflector Node/gihtg-k8s-master01',
      'info external-peer BGPPeer/tor',
    ])
  })

  it('a BGPPeer whose AS number is not the peer node’s: one side only', () => {
    const { findings } = run([meshOff, ...CLIENTS, peer('wrong-as', { node: 'gihtg-k8s-node01', peerIP: '192.168.2.12', asNumber: 64566 })])
    expect(codes(findings)).toEqual(['error no-sessions Node/gihtg-k8s-node02', 'warning one-sided-session Node/gihtg-k8s-node01 Node/gihtg-k8s-node02 BGPPeer/wrong-as'])
  })

  it('a localASNumber the reverse side does not expect', () => {
    const { findings } = run([meshOff, ...CLIENTS, peer('local-as', { node: 'gihtg-k8s-node01', peerIP: '192.168.2.12', asNumber: 64512, localASNumber: 65001 })])
    expect(codes(findings)).toEqual(['error as-mismatch Node/gihtg-k8s-node02 Node/gihtg-k8s-node01 BGPPeer/local-as'])
    expect(findings[0].message).toBe(
      'Node gihtg-k8s-node02 expects AS 64512 from gihtg-k8s-node01 (BGPPeer/local-as), but gihtg-k8s-node01 speaks AS 65001 to it: the session will not come up.',
    )
  })

  it('reflectors of one cluster in different AS numbers, and a client in another AS', () => {
    const { findings } = run([
      meshOff,
      reflector('rr-1', '10.0.0.1/24'),
      reflector('rr-2', '10.0.0.2/24', { asNumber: 65001 }),
      node('c', { ipv4Address: '10.0.0.3/24', asNumber: 65002 }),
      PEER_TO_RRS,
      RR_MESH,
    ])
    expect(codes(findings)).toEqual([
      'error as-mismatch Node/rr-1 Node/rr-2',
      'warning as-mismatch Node/rr-1 Node/c BGPPeer/peer-to-rrs',
      'warning as-mismatch Node/rr-1 Node/rr-2 BGPPeer/rr-mesh',
      'warning as-mismatch Node/rr-2 Node/c BGPPeer/peer-to-rrs',
      'warning as-mismatch Node/rr-2 Node/rr-1 BGPPeer/rr-mesh',
    ])
  })

  it('a reflector without an IPv6 address for dual-stack clients', () => {
    const dual = [node('c1', { ipv4Address: '10.0.0.11/24', ipv6Address: 'fd00::11/64' }), node('c2', { ipv4Address: '10.0.0.12/24', ipv6Address: 'fd00::12/64' })]
    const { topology, findings } = run([meshOff, reflector('rr', '10.0.0.1/24'), reflector('rr-b', '10.0.0.2/24', { ipv6Address: 'fd00::2/64' }), ...dual, PEER_TO_RRS, RR_MESH])
    expect(topology.sessions.filter((s) => s.node === 'c1').map((s) => `${s.peer} IPv${s.ipVersion}`)).toEqual(['rr IPv4', 'rr-b IPv4', 'rr-b IPv6'])
    expect(codes(findings)).toEqual([
      'warning missing-address-family Node/rr Node/c1',
      'warning missing-address-family Node/rr Node/c2',
      'warning missing-address-family Node/rr Node/rr-b',
    ])
  })
})

describe('graphs of the recipe', () => {
  const { topology } = run([...RECIPE, peer('tor', { nodeSelector: `has(${RR})`, peerIP: '192.0.2.1', asNumber: 65000 })])
  const graph = buildGraph(topology, topology.sessions)

  it('DOT: the reflector apart in its cluster, arrows to its clients, the router as its own shape', () => {
    const dot = renderDot(graph)
    expect(dot).toContain('subgraph cluster_0 {\n    label="route reflector cluster 224.0.0.1";')
    expect(dot).toContain('{ rank=min;\n      "gihtg-k8s-master01" [label="gihtg-k8s-master01\\n192.168.2.1/24\\nAS 64512", shape=hexagon')
    expect(dot).toContain('"gihtg-k8s-master01" -> "gihtg-k8s-node01" [label="peer-to-rrs", dir=forward')
    expect(dot).toContain('"192.0.2.1" [label="192.0.2.1\\nAS 65000\\n(external)", shape=cds')
    expect(dot).toContain('"gihtg-k8s-master01" -> "192.0.2.1" [label="tor"]')
  })

  it('Mermaid', () => {
    expect(renderMermaid(graph)).toBe(
      [
        'flowchart TB',
        '  subgraph rr0["route reflector cluster 224.0.0.1"]',
        '    n0{{"gihtg-k8s-master01<br/>192.168.2.1/24<br/>AS 64512"}}',
        '    n1("gihtg-k8s-node01<br/>192.168.2.11/24<br/>AS 64512")',
        '    n2("gihtg-k8s-node02<br/>192.168.2.12/24<br/>AS 64512")',
        '  end',
        '  n3[/"192.0.2.1<br/>AS 65000<br/>(external)"/]',
        '  n0 ---|"tor"| n3',
        '  n0 -->|"peer-to-rrs"| n1',
        '  n0 -->|"peer-to-rrs"| n2',
        '',
      ].join('\n'),
    )
  })

  it('JSON: nodes, sessions with a null peerNode for the router, findings', () => {
    const doc = topologyDocument(topology, topology.sessions, []) as { nodes: unknown[]; sessions: Record<string, unknown>[] }
    expect(doc.nodes[0]).toEqual({
      name: 'gihtg-k8s-master01',
      asNumber: 64512,
      ipv4Address: '192.168.2.1/24',
      ipv6Address: null,
      routeReflectorClusterID: '224.0.0.1',
      labels: { [RR]: 'true' },
    })
    expect(doc.sessions.map((s) => `${s.node} ${s.peerIP} ${s.peerNode}`)).toEqual([
      'gihtg-k8s-master01 192.0.2.1 null',
      'gihtg-k8s-master01 192.168.2.11 gihtg-k8s-node01',
      'gihtg-k8s-master01 192.168.2.12 gihtg-k8s-node02',
      'gihtg-k8s-node01 192.168.2.1 gihtg-k8s-master01',
      'gihtg-k8s-node02 192.168.2.1 gihtg-k8s-master01',
    ])
  })
})

describe('the state a file would produce', () => {
  it('replaces stored resources of the same kind and name and adds the others', () => {
    const stored = { nodes: RECIPE.filter((r) => r.kind === 'Node'), bgpPeers: [PEER_TO_RRS, RR_MESH], bgpConfigurations: [meshOff] }
    const fixed = peer('peer-to-rrs', { nodeSelector: `!has(${RR})`, peerSelector: 'has(rr)' })
    const next = overlayResources(stored, [fixed, reflector('gihtg-k8s-master02', '192.168.2.2/24')])
    expect(next.bgpPeers.map((p) => `${p.metadata.name} ${p.spec?.peerSelector}`)).toEqual([`rr-mesh has(${RR})`, 'peer-to-rrs has(rr)'])
    expect(next.nodes.map((n) => n.metadata.name)).toEqual(['gihtg-k8s-master01', 'gihtg-k8s-node01', 'gihtg-k8s-node02', 'gihtg-k8s-master02'])
  })
})
