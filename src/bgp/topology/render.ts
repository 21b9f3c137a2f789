/**
 * The outputs of `calicoctl bgp topology`: the session table, the data as JSON or YAML, and the
 * graph as Graphviz DOT or Mermaid. The pictures (SVG, HTML) are drawn from the DOT in picture.ts.
 */
import { toGoJson } from '../../output/json.js'
import { renderTable } from '../../output/table.js'
import { toGoYaml } from '../../output/yaml.js'
import type { Finding } from './checks.js'
import type { Session, Topology, TopologyNode } from './compute.js'

/** `10.0.0.1`, `10.0.0.1:179`, `[fd00::1]:179`. */
export function peerAddress(s: Pick<Session, 'peerIP' | 'port'>): string {
  if (!s.port) return s.peerIP
  return s.peerIP.includes(':') ? `[${s.peerIP}]:${s.port}` : `${s.peerIP}:${s.port}`
}

export function renderSessionTable(sessions: Session[]): string {
  if (sessions.length === 0) return 'No BGP sessions are configured.\n'
  return renderTable(
    ['NODE', 'PEER', 'PEER IP', 'AS', 'TYPE', 'ROLE', 'FROM'],
    sessions.map((s) => [s.node, s.peer, peerAddress(s), s.asNumber, s.type, s.role, s.source]),
  )
}

const asNumber = (value: string): number | string => (/^\d+$/.test(value) ? Number(value) : value)

/** The `-o json|yaml` document: nodes, sessions (by node, then peer IP) and findings. */
export function topologyDocument(topology: Topology, sessions: Session[], findings: Finding[]): Record<string, unknown> {
  return {
    nodes: topology.nodes.map((n) => ({
      name: n.name,
      asNumber: asNumber(n.asNumber),
      ipv4Address: n.ipv4Address ?? null,
      ipv6Address: n.ipv6Address ?? null,
      routeReflectorClusterID: n.routeReflectorClusterID || null,
      labels: n.labels,
    })),
    sessions: sessions.map((s) => ({
      node: s.node,
      peer: s.peer,
      peerNode: s.peerNode,
      peerIP: s.peerIP,
      port: s.port ?? null,
      ipVersion: s.ipVersion,
      asNumber: asNumber(s.asNumber),
      localASNumber: asNumber(s.localASNumber),
      type: s.type,
      routeReflectorClient: s.routeReflectorClient,
      role: s.role,
      source: s.source,
      reverse: s.reverse,
      protocol: s.protocol,
      passive: s.passive,
      nextHop: s.nextHop ?? null,
    })),
    findings: findings.map((f) => ({ severity: f.severity, code: f.code, objects: f.objects, message: f.message, advice: f.advice })),
  }
}

export function renderDocument(document: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${toGoJson(document, true)}\n` : toGoYaml(document)
}

/** One line of the picture: the sessions between two ends, from both sides. */
export interface Edge {
  a: string
  b: string
  /** Whether `b` is an address outside the cluster. */
  external: boolean
  mesh: boolean
  families: Set<number>
  sources: Set<string>
  /** The end that reflects routes to the other, when one does. */
  reflector?: string
  /** Calico nodes of which only one configures the session: it cannot come up. */
  oneSided: boolean
}

/** The nodes and peers to draw, and one edge per pair of ends. */
export interface Graph {
  nodes: TopologyNode[]
  externals: { ip: string; asNumber: string }[]
  edges: Edge[]
  clusters: Map<string, { reflectors: TopologyNode[]; clients: TopologyNode[] }>
}

/** `onlyEnds`: draw just the nodes the sessions touch (one node's view); else every node, isolated ones too. */
export function buildGraph(topology: Topology, sessions: Session[], onlyEnds = false): Graph {
  const edges = new Map<string, Edge>()
  const sides = new Set(sessions.map((s) => `${s.node}|${s.peerNode ?? ''}`))
  const externals = new Map<string, string>()
  for (const s of sessions) {
    const other = s.peerNode ?? s.peerIP
    const [a, b] = s.peerNode ? [s.node, other].sort() : [s.node, other]
    const key = `${a}|${b}`
    const edge = edges.get(key) ?? {
      a,
      b,
      external: !s.peerNode,
      mesh: false,
      families: new Set<number>(),
      sources: new Set<string>(),
      oneSided: s.peerNode !== null && !sides.has(`${s.peerNode}|${s.node}`),
    }
    edge.families.add(s.ipVersion)
    if (s.source === 'mesh') edge.mesh = true
    else edge.sources.add(s.source.replace(/^BGPPeer\//, ''))
    if (s.routeReflectorClient) edge.reflector = s.node
    edges.set(key, edge)
    if (!s.peerNode) externals.set(s.peerIP, s.asNumber)
  }
  const ends = new Set([...edges.values()].flatMap((e) => [e.a, e.b]))
  const nodes = topology.nodes.filter((n) => !onlyEnds || ends.has(n.name))
  const clusters = new Map<string, { reflectors: TopologyNode[]; clients: TopologyNode[] }>()
  for (const n of nodes) {
    if (!n.routeReflectorClusterID) continue
    const cluster = clusters.get(n.routeReflectorClusterID) ?? { reflectors: [], clients: [] }
    cluster.reflectors.push(n)
    clusters.set(n.routeReflectorClusterID, cluster)
  }
  // A client served by the reflectors of one cluster only is drawn in that cluster's group.
  for (const n of nodes) {
    if (n.routeReflectorClusterID) continue
    const served = new Set(
      [...edges.values()]
        .filter((e) => e.reflector && e.reflector !== n.name && (e.a === n.name || e.b === n.name))
        .map((e) => topology.nodes.find((r) => r.name === e.reflector)?.routeReflectorClusterID),
    )
    if (served.size === 1) clusters.get([...served][0] as string)?.clients.push(n)
  }
  return { nodes, externals: [...externals].map(([ip, as]) => ({ ip, asNumber: as })).sort((x, y) => (x.ip < y.ip ? -1 : 1)), edges: [...edges.values()], clusters }
}

const familyText = (families: Set<number>) => (families.size === 2 ? 'IPv4+IPv6' : families.has(6) ? 'IPv6' : '')

function edgeLabel(e: Edge): string {
  return [[...e.sources].join(', '), familyText(e.families), e.oneSided ? 'one-sided' : ''].filter(Boolean).join('\n')
}

function nodeLabel(n: TopologyNode): string {
  return [n.name, n.ipv4Address, n.ipv6Address, `AS ${n.asNumber}`].filter(Boolean).join('\n')
}

const dotString = (s: string) => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`

export function renderDot(graph: Graph): string {
  const lines = ['digraph bgp {', '  graph [rankdir=TB, fontname="Helvetica", fontsize=11, nodesep=0.4, ranksep=0.9];', '  node [fontname="Helvetica", fontsize=10, margin="0.2,0.08", shape=box, style="rounded,filled", fillcolor="#eef4fb", color="#4a6fa5"];', '  edge [fontname="Helvetica", fontsize=9, color="#4a6fa5", dir=none];']
  const grouped = new Set<string>()
  let index = 0
  for (const [id, cluster] of graph.clusters) {
    lines.push(`  subgraph cluster_${index++} {`, `    label=${dotString(`route reflector cluster ${id}`)}; style="rounded,dashed"; color="#a0522d";`)
    lines.push('    { rank=min;')
    for (const r of cluster.reflectors) {
      lines.push(`      ${dotString(r.name)} [label=${dotString(nodeLabel(r))}, shape=hexagon, fillcolor="#fbe3c8", color="#a0522d"];`)
      grouped.add(r.name)
    }
    lines.push('    }')
    for (const c of cluster.clients) {
      lines.push(`    ${dotString(c.name)} [label=${dotString(nodeLabel(c))}];`)
      grouped.add(c.name)
    }
    lines.push('  }')
  }
  for (const n of graph.nodes) if (!grouped.has(n.name)) lines.push(`  ${dotString(n.name)} [label=${dotString(nodeLabel(n))}];`)
  for (const x of graph.externals) lines.push(`  ${dotString(x.ip)} [label=${dotString(`${x.ip}\nAS ${x.asNumber}\n(external)`)}, shape=cds, style="filled,dashed", fillcolor="#f2f2f2", color="#666666"];`)
  for (const e of graph.edges) {
    const attributes = [`label=${dotString(edgeLabel(e))}`]
    if (e.mesh && e.sources.size === 0) attributes.push('style=dashed', 'color="#8c8c8c"')
    if (e.oneSided) attributes.push('style=dotted', 'color="#c0392b"', 'fontcolor="#c0392b"')
    // An arrow from a reflector to each of its clients; other sessions have none.
    const [from, to] = e.reflector === e.b ? [e.b, e.a] : [e.a, e.b]
    if (e.reflector) attributes.push('dir=forward', 'color="#a0522d"')
    lines.push(`  ${dotString(from)} -> ${dotString(to)} [${attributes.join(', ')}];`)
  }
  lines.push('}')
  return `${lines.join('\n')}\n`
}

export function renderMermaid(graph: Graph): string {
  const ids = new Map<string, string>()
  const id = (name: string) => {
    if (!ids.has(name)) ids.set(name, `n${ids.size}`)
    return ids.get(name) as string
  }
  const quoted = (s: string) => `"${s.replaceAll('"', '#quot;').replaceAll('\n', '<br/>')}"`
  const lines = ['flowchart TB']
  const grouped = new Set<string>()
  let index = 0
  for (const [clusterID, cluster] of graph.clusters) {
    lines.push(`  subgraph rr${index++}[${quoted(`route reflector cluster ${clusterID}`)}]`)
    for (const r of cluster.reflectors) {
      lines.push(`    ${id(r.name)}{{${quoted(nodeLabel(r))}}}`)
      grouped.add(r.name)
    }
    for (const c of cluster.clients) {
      lines.push(`    ${id(c.name)}(${quoted(nodeLabel(c))})`)
      grouped.add(c.name)
    }
    lines.push('  end')
  }
  for (const n of graph.nodes) if (!grouped.has(n.name)) lines.push(`  ${id(n.name)}(${quoted(nodeLabel(n))})`)
  for (const x of graph.externals) lines.push(`  ${id(x.ip)}[/${quoted(`${x.ip}<br/>AS ${x.asNumber}<br/>(external)`)}/]`)
  for (const e of graph.edges) {
    const label = edgeLabel(e)
    const [from, to] = e.reflector === e.b ? [e.b, e.a] : [e.a, e.b]
    const arrow = e.oneSided || (e.mesh && e.sources.size === 0) ? (e.reflector ? '-.->' : '-.-') : e.reflector ? '-->' : '---'
    lines.push(`  ${id(from)} ${arrow}${label ? `|${quoted(label)}|` : ''} ${id(to)}`)
  }
  return `${lines.join('\n')}\n`
}

/** `bgp check`'s text: one block per finding, then the counts. */
export function renderFindings(findings: Finding[], summary: { nodes: number; bgpPeers: number }): string {
  const blocks = findings.map((f) => `${f.severity.toUpperCase()} ${f.code} (${f.objects.join(', ')})\n  ${f.message}\n  advice: ${f.advice}\n`)
  const count = (severity: Finding['severity']) => findings.filter((f) => f.severity === severity).length
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 || word === 'info' ? '' : 's'}`
  const scope = `${plural(summary.nodes, 'node')} and ${plural(summary.bgpPeers, 'BGPPeer')} checked`
  if (findings.length === 0) return `No problems found: ${scope}.\n`
  return `${blocks.join('\n')}\n${scope}: ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('info'), 'info')}.\n`
}
