/**
 * `calicoctl bgp check`: mistakes in a BGP configuration that cut nodes off, found in the sessions
 * computeTopology derives and in the resources behind them.
 */
import type { Resource } from '../../resources/types.js'
import { parseSelector } from '../../selector/index.js'
import type { IpVersion, Session, Topology, TopologyNode } from './compute.js'

export type Severity = 'error' | 'warning' | 'info'

export interface Finding {
  severity: Severity
  code: string
  /** `Kind/name` of each object involved. */
  objects: string[]
  message: string
  advice: string
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 }

const text = (v: unknown): string => (typeof v === 'string' ? v : '')
const family = (v: IpVersion) => (v === 4 ? 'IPv4' : 'IPv6')
const list = (names: string[]) => (names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`)

export function checkTopology(topology: Topology, bgpPeers: Resource[]): Finding[] {
  const findings: Finding[] = []
  const add = (f: Finding) => findings.push(f)
  const { nodes, sessions } = topology
  const byName = new Map(nodes.map((n) => [n.name, n]))
  const hasAddress = (n: TopologyNode) => n.ipv4 !== '' || n.ipv6 !== ''
  const matching = (selector: string): TopologyNode[] | undefined => {
    try {
      const sel = parseSelector(selector)
      return nodes.filter((n) => sel.evaluate(n.labels))
    } catch {
      return undefined
    }
  }

  for (const bad of topology.badSelectors)
    add({
      severity: 'error',
      code: 'invalid-selector',
      objects: [`BGPPeer/${bad.peer}`],
      message: `BGPPeer ${bad.peer}: ${bad.field} ${JSON.stringify(bad.selector)} does not parse (${bad.error}); calico-node treats it as matching no node.`,
      advice: 'Fix the selector syntax, e.g. has(label) or label == "value", quoting it in YAML.',
    })

  for (const resource of bgpPeers) {
    const name = resource.metadata.name ?? ''
    const spec = (resource.spec ?? {}) as Record<string, unknown>
    const object = `BGPPeer/${name}`
    for (const field of ['nodeSelector', 'peerSelector'] as const) {
      const selector = text(spec[field])
      if (selector === '') continue
      const matched = matching(selector)
      if (matched && matched.length === 0)
        add({
          severity: 'warning',
          code: 'selector-matches-nothing',
          objects: [object],
          message: `BGPPeer ${name}: ${field} ${selector} matches no node, so it configures no session.`,
          advice: `Check the label in the selector against the nodes' labels (calicoctl get nodes -o yaml).`,
        })
    }
    const node = text(spec.node)
    if (node !== '' && !byName.has(node))
      add({
        severity: 'error',
        code: 'unknown-node',
        objects: [object],
        message: `BGPPeer ${name} applies to node ${node}, which does not exist.`,
        advice: 'Set spec.node to the name of an existing node (calicoctl get nodes), or use a nodeSelector.',
      })
    if (text(spec.peerSelector) !== '' && text(spec.nodeSelector) === '' && node === '')
      add({
        severity: 'warning',
        code: 'peer-selector-without-node-selector',
        objects: [object],
        message: `BGPPeer ${name} has a peerSelector (${text(spec.peerSelector)}) but no nodeSelector: every node, including those the peerSelector matches, peers with them.`,
        advice: 'If a nodeSelector was meant (an unquoted !has(...) in YAML is stored as empty by upstream calicoctl), set it quoted, e.g. nodeSelector: "!has(label)".',
      })
    const peerIP = text(spec.peerIP)
    if (peerIP !== '') {
      const host = /^\[(.*)\]:\d+$/.exec(peerIP)?.[1] ?? (/^[^:]*:\d+$/.test(peerIP) ? peerIP.slice(0, peerIP.lastIndexOf(':')) : peerIP)
      const isNode = nodes.some((n) => n.ipv4 === host || n.ipv6 === host)
      if (!isNode)
        add({
          severity: 'info',
          code: 'external-peer',
          objects: [object],
          message: `BGPPeer ${name}: peerIP ${peerIP} is no node's address; whether it is reachable cannot be told from the configuration.`,
          advice: 'Make sure the router at that address is configured to peer back with the nodes (calicoctl bgp topology lists them).',
        })
    }
  }

  // Nodes BIRD runs for that end up with no session at all.
  const withSessions = new Set(sessions.map((s) => s.node))
  for (const n of nodes) {
    if (!hasAddress(n) || withSessions.has(n.name)) continue
    add({
      severity: 'error',
      code: 'no-sessions',
      objects: [`Node/${n.name}`],
      message: topology.meshEnabled
        ? `Node ${n.name} has no BGP session: it is a route reflector (outside the mesh) and no BGPPeer selects it.`
        : `Node ${n.name} has no BGP session: the node-to-node mesh is off and no BGPPeer selects it.`,
      advice: `Add a BGPPeer whose nodeSelector (or node) matches ${n.name} and whose peerSelector matches its route reflectors, or turn the mesh on.`,
    })
  }

  // Route reflector clusters: where they have one member, and reflectors without a cluster ID.
  const clusters = new Map<string, TopologyNode[]>()
  for (const n of nodes) if (n.routeReflectorClusterID) clusters.set(n.routeReflectorClusterID, [...(clusters.get(n.routeReflectorClusterID) ?? []), n])
  for (const [id, members] of clusters) {
    if (members.length === 1)
      add({
        severity: 'warning',
        code: 'single-reflector',
        objects: [`Node/${members[0].name}`],
        message: `Route reflector cluster ${id} has one member, ${members[0].name}: when it is down, its clients lose all their routes.`,
        advice: `Give a second node the same routeReflectorClusterID (${id}) and the reflector label.`,
      })
    const asNumbers = [...new Set(members.map((m) => m.asNumber))]
    if (asNumbers.length > 1)
      add({
        severity: 'error',
        code: 'as-mismatch',
        objects: members.map((m) => `Node/${m.name}`),
        message: `Route reflector cluster ${id} mixes AS numbers (${members.map((m) => `${m.name}: ${m.asNumber}`).join(', ')}); reflection only works over iBGP.`,
        advice: 'Give every reflector of a cluster the same AS number as its clients.',
      })
  }

  const reflectorNames = new Set(nodes.filter((n) => n.routeReflectorClusterID).map((n) => n.name))
  const flagged = new Set<string>()
  const noClusterID = (n: TopologyNode, why: string, objects: string[]) => {
    if (flagged.has(n.name)) return
    flagged.add(n.name)
    add({
      severity: 'error',
      code: 'reflector-without-cluster-id',
      objects: [`Node/${n.name}`, ...objects],
      message: `Node ${n.name} ${why}, but has no routeReflectorClusterID: it does not reflect routes, so its peers do not learn each other's.`,
      advice: `Set spec.bgp.routeReflectorClusterID on ${n.name} (the same ID as the other reflectors of its cluster, e.g. 224.0.0.1).`,
    })
  }
  // A peerSelector that matches a reflector selects reflectors: every node it matches should be one.
  for (const resource of bgpPeers) {
    const selector = text(resource.spec?.peerSelector)
    const matched = selector ? (matching(selector) ?? []) : []
    if (!matched.some((n) => reflectorNames.has(n.name))) continue
    for (const n of matched)
      if (!n.routeReflectorClusterID) noClusterID(n, `is matched as a route reflector by peerSelector ${selector} of BGPPeer ${resource.metadata.name}`, [`BGPPeer/${resource.metadata.name}`])
  }
  // A hub: a node without a cluster ID whose iBGP peers do not peer with each other.
  const ibgpPeers = new Map<string, Set<string>>()
  for (const s of sessions) {
    if (!s.peerNode || s.asNumber !== s.localASNumber) continue
    const set = ibgpPeers.get(s.node) ?? new Set()
    set.add(s.peerNode)
    ibgpPeers.set(s.node, set)
  }
  const peered = (a: string, b: string) => ibgpPeers.get(a)?.has(b) || ibgpPeers.get(b)?.has(a)
  // Two nodes a reflector serves both learn each other's routes from it.
  const linked = (a: string, b: string) => peered(a, b) || [...reflectorNames].some((r) => peered(r, a) && peered(r, b))
  for (const n of nodes) {
    if (n.routeReflectorClusterID) continue
    const peers = [...(ibgpPeers.get(n.name) ?? [])].filter((p) => !reflectorNames.has(p))
    const apart = peers.flatMap((a, i) => peers.slice(i + 1).filter((b) => !linked(a, b)).map((b) => [a, b]))
    if (apart.length === 0) continue
    const [a, b] = apart[0]
    noClusterID(n, `is the only iBGP link between nodes such as ${a} and ${b}`, [])
  }

  // iBGP sessions of a reflector to nodes of another AS are eBGP: they get no reflected routes.
  const mismatched = new Set<string>()
  for (const s of sessions) {
    const self = byName.get(s.node)
    if (!self?.routeReflectorClusterID || !s.peerNode || s.asNumber === s.localASNumber || mismatched.has(`${s.node}|${s.peerNode}`)) continue
    mismatched.add(`${s.node}|${s.peerNode}`)
    add({
      severity: 'warning',
      code: 'as-mismatch',
      objects: [`Node/${s.node}`, `Node/${s.peerNode}`, s.source],
      message: `Route reflector ${s.node} (AS ${s.localASNumber}) peers with ${s.peerNode} (AS ${s.asNumber}): the session is eBGP, so ${s.peerNode} is not its client.`,
      advice: `Give ${s.peerNode} the reflector's AS number (${s.localASNumber}), or leave it out of the peerSelector pairing.`,
    })
  }

  // Both ends of a session between nodes must configure it, each with the other's AS number.
  const bySides = new Map(sessions.filter((s) => s.peerNode).map((s) => [`${s.node}|${s.peerNode}|${s.ipVersion}`, s]))
  const reported = new Set<string>()
  for (const s of sessions) {
    if (!s.peerNode) continue
    const back = bySides.get(`${s.peerNode}|${s.node}|${s.ipVersion}`)
    const pair = `${[s.node, s.peerNode].sort().join('|')}|${s.ipVersion}`
    if (!back) {
      add({
        severity: 'warning',
        code: 'one-sided-session',
        objects: [`Node/${s.node}`, `Node/${s.peerNode}`, s.source],
        message: `Node ${s.node} configures an ${family(s.ipVersion)} session with ${s.peerNode} (${s.source}), but ${s.peerNode} configures none with ${s.node}: it cannot come up.`,
        advice: `Let the BGPPeer's reverse peering add ${s.peerNode}'s side (reversePeering: Auto, and the peer's actual AS number), or add a BGPPeer for it.`,
      })
    } else if (back.localASNumber !== s.asNumber && !reported.has(pair)) {
      reported.add(pair)
      add({
        severity: 'error',
        code: 'as-mismatch',
        objects: [`Node/${s.node}`, `Node/${s.peerNode}`, s.source],
        message: `Node ${s.node} expects AS ${s.asNumber} from ${s.peerNode} (${s.source}), but ${s.peerNode} speaks AS ${back.localASNumber} to it: the session will not come up.`,
        advice: `Make the BGPPeer's asNumber (or localASNumber) match the node's AS number.`,
      })
    }
  }

  // Families: a session in one family between nodes where only one of them has the other family.
  const pairs = new Map<string, Session>()
  for (const s of sessions) if (s.peerNode) pairs.set([s.node, s.peerNode].sort().join('|'), s)
  for (const [pair, s] of pairs) {
    const [a, b] = pair.split('|').map((name) => byName.get(name) as TopologyNode)
    for (const v of [4, 6] as IpVersion[]) {
      const has = (n: TopologyNode) => (v === 4 ? n.ipv4 : n.ipv6) !== ''
      if (has(a) === has(b)) continue
      const [without, withIt] = has(a) ? [b, a] : [a, b]
      add({
        severity: 'warning',
        code: 'missing-address-family',
        objects: [`Node/${without.name}`, `Node/${withIt.name}`],
        message: `Node ${without.name} has no ${family(v)} BGP address while its peer ${withIt.name} has one: they exchange no ${family(v)} routes (their session is ${family(s.ipVersion)} only).`,
        advice: `Set spec.bgp.${v === 4 ? 'ipv4Address' : 'ipv6Address'} on ${without.name} (calico-node's IP${v === 4 ? '' : '6'} autodetection), or leave ${family(v)} off ${withIt.name}.`,
      })
    }
  }
  // Peers outside the cluster that a node lacking their family never gets (nodes are covered above).
  const droppedSeen = new Set<string>()
  const external = topology.dropped.filter((d) => !nodes.some((n) => n.ipv4 === d.peerIP || n.ipv6 === d.peerIP))
  for (const d of external) {
    const key = `${d.node}|${d.ipVersion}|${d.source}`
    if (droppedSeen.has(key) || !hasAddress(byName.get(d.node) as TopologyNode)) continue
    droppedSeen.add(key)
    const peers = external.filter((o) => o.node === d.node && o.ipVersion === d.ipVersion && o.source === d.source).map((o) => o.peerIP)
    add({
      severity: 'warning',
      code: 'missing-address-family',
      objects: [`Node/${d.node}`, d.source],
      message: `${d.source} gives node ${d.node} ${family(d.ipVersion)} peers (${list(peers)}), but the node has no ${family(d.ipVersion)} BGP address, so BIRD leaves them out.`,
      advice: `Set spec.bgp.${d.ipVersion === 4 ? 'ipv4Address' : 'ipv6Address'} on ${d.node}, or narrow the BGPPeer to the family the node has.`,
    })
  }

  const order = (f: Finding) => `${f.code}|${f.objects.join('|')}`
  return findings.sort((x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity] || (order(x) < order(y) ? -1 : order(x) > order(y) ? 1 : 0))
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 }
  for (const f of findings) counts[f.severity]++
  return counts
}
