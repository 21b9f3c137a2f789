/**
 * The BGP sessions calico-node's confd configures in each node's BIRD, computed from the
 * datastore's Nodes, BGPPeers, BGPConfigurations (and, for localWorkloadSelector, workload
 * endpoints). It follows confd in two stages: first the peerings every confd derives from the
 * BGPPeers (client.go's updatePeersV1: global ones, node-specific ones, then automatic reverse
 * peerings), then per node and address family what its BIRD gets (bgp_processor.go: the mesh,
 * then global and node-specific peerings, each turned into one BIRD protocol).
 */
import { ipToBigInt, normalizeIp } from '../../net/cidr.js'
import { parseASNumber } from '../../resources/checks.js'
import type { Resource } from '../../resources/types.js'
import { parseSelector, type Selector } from '../../selector/index.js'

export type IpVersion = 4 | 6

/** The words `node status` uses, plus one for peers that are this node's own workloads. */
export type SessionType = 'node-to-node mesh' | 'global' | 'node specific' | 'local workload'

export interface TopologyInput {
  nodes: Resource[]
  bgpPeers: Resource[]
  bgpConfigurations: Resource[]
  /** Only read when a BGPPeer has a localWorkloadSelector. */
  workloadEndpoints?: Resource[]
}

export interface TopologyNode {
  name: string
  labels: Record<string, string>
  /** As configured on the node (CIDR or IP), or undefined. */
  ipv4Address?: string
  ipv6Address?: string
  /** The bare, canonical addresses confd works with ('' when none). */
  ipv4: string
  ipv6: string
  /** The node's own AS number ('' when it uses the global one). */
  ownASNumber: string
  asNumber: string
  routeReflectorClusterID: string
  /** From the node's `node.<name>` BGPConfiguration. */
  listenPort?: number
}

export interface Session {
  /** The node whose BIRD configures the session. */
  node: string
  /** Node name when the peer is a Calico node, else its IP. */
  peer: string
  peerNode: string | null
  peerIP: string
  port?: number
  ipVersion: IpVersion
  asNumber: string
  /** The AS this node speaks on the session (a BGPPeer's localASNumber, else the node's). */
  localASNumber: string
  type: SessionType
  /** BIRD's `rr client`: this node reflects routes to the peer. */
  routeReflectorClient: boolean
  /** `rr-client`: the peer is this node's client; `rr`: the peer reflects for this node. */
  role: 'rr-client' | 'rr' | ''
  /** `mesh` or `BGPPeer/<name>`. */
  source: string
  /** Added by confd's automatic reverse peering of that BGPPeer. */
  reverse: boolean
  /** BIRD's protocol name, e.g. Node_10_0_0_1_port_179, as `node status` shows it. */
  protocol: string
  passive: boolean
  nextHop?: 'keep' | 'self'
}

/** A BGPPeer confd would apply to a node, dropped because the node lacks an address of its family. */
export interface DroppedSession {
  node: string
  peerIP: string
  ipVersion: IpVersion
  source: string
}

export interface Topology {
  nodes: TopologyNode[]
  sessions: Session[]
  dropped: DroppedSession[]
  meshEnabled: boolean
  globalASNumber: string
  /** Selectors that do not parse, which confd treats as matching nothing. */
  badSelectors: { peer: string; field: string; selector: string; error: string }[]
}

/** confd's backends.BGPPeer: one peering as stored under a global or per-node key. */
interface Peering {
  ip: string
  port: number
  asNumber: string
  localASNumber: string
  rrClusterID: string
  calicoNode: boolean
  keepNextHop: boolean
  nextHopMode: string
  passive: boolean
  localWorkload: boolean
  source: string
  reverse: boolean
}

const DEFAULT_AS = '64512'

const text = (v: unknown): string => (typeof v === 'string' ? v : '')
const asText = (v: unknown): string => {
  const n = parseASNumber(v)
  return n === undefined ? '' : String(n)
}

/** `a.b.c.d` or `a:b::c` with or without a prefix length, as Go's ParseCIDROrIP, made canonical. */
function bareAddress(value: unknown): string {
  const t = text(value)
  return normalizeIp(t.includes('/') ? t.slice(0, t.indexOf('/')) : t) ?? ''
}

function versionOf(ip: string): IpVersion {
  return ip.includes(':') ? 6 : 4
}

/** Go's net.SplitHostPort as confd's parseIPPort uses it: without a port the text is the host. */
function splitIPPort(value: string): { host: string; port: number } {
  const bracketed = /^\[([^\]]*)\]:(\d+)$/.exec(value)
  const plain = /^([^:[\]]*):(\d+)$/.exec(value)
  const match = bracketed ?? plain
  if (!match) return { host: value, port: 0 }
  const port = Number(match[2])
  return port <= 0xffff ? { host: match[1], port } : { host: value, port: 0 }
}

/** BIRD protocol name as confd writes it. */
export function protocolName(prefix: string, ip: string, port?: number): string {
  const base = `${prefix}_${ip.replaceAll(versionOf(ip) === 4 ? '.' : ':', '_')}`
  return port ? `${base}_port_${port}` : base
}

const TYPE_OF_PREFIX: Record<string, SessionType> = {
  Global: 'global',
  Node: 'node specific',
  Local_Workload: 'local workload',
}

/** Sorts by address value, IPv4 first, so 10.0.0.9 comes before 10.0.0.10. */
export function compareIPs(a: string, b: string): number {
  const x = ipToBigInt(a)
  const y = ipToBigInt(b)
  if (!x || !y) return a < b ? -1 : a > b ? 1 : 0
  if (x.family !== y.family) return x.family - y.family
  return x.value < y.value ? -1 : x.value > y.value ? 1 : 0
}

export function computeTopology(input: TopologyInput): Topology {
  const configs = new Map(input.bgpConfigurations.map((c) => [c.metadata.name ?? '', c.spec ?? {}]))
  const global = configs.get('default')
  // confd's defaults when BGPConfiguration `default` leaves them out: AS 64512, the mesh on.
  const globalAS = asText(global?.asNumber) || DEFAULT_AS
  const meshEnabled = global?.nodeToNodeMeshEnabled !== false
  const globalListenPort = Number(global?.listenPort ?? 0) || 0

  const nodes: TopologyNode[] = input.nodes
    .map((resource) => {
      const name = resource.metadata.name ?? ''
      const bgp = (resource.spec?.bgp ?? {}) as Record<string, unknown>
      const ownAS = asText(bgp.asNumber)
      const nodePort = Number(configs.get(`node.${name}`)?.listenPort ?? 0) || undefined
      return {
        name,
        // A manifest not yet through the client may hold YAML booleans or numbers as label values.
        labels: Object.fromEntries(Object.entries(resource.metadata.labels ?? {}).map(([k, v]) => [k, String(v)])),
        ipv4Address: text(bgp.ipv4Address) || undefined,
        ipv6Address: text(bgp.ipv6Address) || undefined,
        ipv4: bareAddress(bgp.ipv4Address),
        ipv6: bareAddress(bgp.ipv6Address),
        ownASNumber: ownAS,
        asNumber: ownAS || globalAS,
        routeReflectorClusterID: text(bgp.routeReflectorClusterID),
        listenPort: nodePort,
      }
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const byName = new Map(nodes.map((n) => [n.name, n]))
  const addressOf = (n: TopologyNode, v: IpVersion) => (v === 4 ? n.ipv4 : n.ipv6)
  const nodeIPs = new Set(nodes.flatMap((n) => [n.ipv4, n.ipv6].filter(Boolean)))
  const listenPortOf = (n: TopologyNode) => n.listenPort ?? globalListenPort

  const badSelectors: Topology['badSelectors'] = []
  const parsed = new Map<string, Selector | undefined>()
  /** confd's nodeLabelManager.nodesMatching: a selector that does not parse matches nothing. */
  const nodesMatching = (selector: string, peer?: string, field?: string): TopologyNode[] => {
    if (!parsed.has(selector)) {
      try {
        parsed.set(selector, parseSelector(selector))
      } catch (err) {
        parsed.set(selector, undefined)
        if (peer && field) badSelectors.push({ peer, field, selector, error: (err as Error).message })
      }
    }
    const sel = parsed.get(selector)
    return sel ? nodes.filter((n) => sel.evaluate(n.labels)) : []
  }

  /**
   * confd's nodesWithIPPortAndAS: the nodes a peerIP BGPPeer points at. The address is compared as
   * written; a port must agree with the node's listen port, where confd's else-if means a node with a
   * port of its own still has to match a global port too.
   */
  const nodesWithIPPortAndAS = (ip: string, asNumber: string, port: number): TopologyNode[] => {
    const wanted = asNumber && asNumber !== '0' ? asNumber : globalAS
    return nodes.filter((n) => {
      if (n.ipv4 !== ip && n.ipv6 !== ip) return false
      if (n.asNumber !== wanted) return false
      if (port !== 0) {
        if (n.listenPort !== undefined && port !== n.listenPort) return false
        else if (globalListenPort !== 0 && globalListenPort !== port) return false
      }
      return true
    })
  }

  const nextHopOf = (spec: Record<string, unknown>) =>
    spec.nextHopMode !== undefined && spec.nextHopMode !== null
      ? { keepNextHop: false, nextHopMode: text(spec.nextHopMode) }
      : { keepNextHop: spec.keepOriginalNextHop === true, nextHopMode: '' }

  /** confd's nodeAsBGPPeers: a Calico node as the peer, in the families asked for. */
  const nodeAsPeerings = (node: TopologyNode, versions: IpVersion[], spec: Record<string, unknown>, source: string, reverse: boolean): Peering[] =>
    versions
      .filter((v) => addressOf(node, v) !== '')
      .map((v) => ({
        ip: addressOf(node, v),
        port: listenPortOf(node),
        asNumber: node.ownASNumber || globalAS,
        localASNumber: '',
        rrClusterID: node.routeReflectorClusterID,
        calicoNode: false,
        ...nextHopOf(spec),
        passive: false,
        localWorkload: false,
        source,
        reverse,
      }))

  // Peerings keyed as confd's v1 keys: `<ip>|<port>` for global ones, `<node>|<ip>|<port>` per node.
  const globalPeerings = new Map<string, Peering>()
  const nodePeerings = new Map<string, Peering>()
  const emitGlobal = (p: Peering) => {
    const key = `${p.ip}|${p.port}`
    if (!globalPeerings.has(key)) globalPeerings.set(key, p)
  }
  /** The first peering for a key wins, and a node-specific one never duplicates a global one. */
  const emitNode = (node: string, p: Peering) => {
    const key = `${node}|${p.ip}|${p.port}`
    if (nodePeerings.has(key) || globalPeerings.has(`${p.ip}|${p.port}`)) return
    nodePeerings.set(key, p)
  }

  // confd walks a Go map, in no set order; name order makes the rare collisions deterministic.
  const bgpPeers = [...input.bgpPeers].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1))
  const specOf = (p: Resource) => (p.spec ?? {}) as Record<string, unknown>
  const isGlobal = (spec: Record<string, unknown>) => text(spec.nodeSelector) === '' && text(spec.node) === ''

  // Global BGPPeers first, so node-specific peerings that repeat a global one are skipped.
  for (const globalPass of [true, false]) {
    for (const resource of bgpPeers) {
      const spec = specOf(resource)
      const name = resource.metadata.name ?? ''
      const source = `BGPPeer/${name}`
      if (globalPass !== isGlobal(spec)) continue
      if (text(spec.localWorkloadSelector) !== '') continue // per node, below
      const localNodes = text(spec.nodeSelector)
        ? nodesMatching(text(spec.nodeSelector), name, 'nodeSelector')
        : text(spec.node)
          ? [text(spec.node)]
          : []
      let peerings: Peering[] = []
      if (text(spec.peerSelector) !== '') {
        for (const peerNode of nodesMatching(text(spec.peerSelector), name, 'peerSelector')) peerings.push(...nodeAsPeerings(peerNode, [4, 6], spec, source, false))
      } else {
        let { host, port } = splitIPPort(text(spec.peerIP))
        const ip = normalizeIp(host)
        if (!ip) continue
        const asNumber = asText(spec.asNumber) || '0'
        if (port === 0) {
          const calicoNodes = nodesWithIPPortAndAS(host, asNumber, 0)
          if (calicoNodes.length > 0) port = listenPortOf(calicoNodes[0])
        }
        peerings = [
          {
            ip,
            port,
            asNumber,
            localASNumber: asText(spec.localASNumber) === '0' ? '' : asText(spec.localASNumber),
            rrClusterID: '',
            calicoNode: nodeIPs.has(host),
            ...nextHopOf(spec),
            passive: false,
            localWorkload: false,
            source,
            reverse: false,
          },
        ]
      }
      for (const p of peerings) {
        if (globalPass) emitGlobal(p)
        else for (const local of localNodes) emitNode(typeof local === 'string' ? local : local.name, p)
      }
    }
  }

  // Automatic reverse peering: the nodes a BGPPeer points at peer back with the nodes it applies to.
  for (const resource of bgpPeers) {
    const spec = specOf(resource)
    const name = resource.metadata.name ?? ''
    if (spec.reversePeering === 'Manual' || text(spec.localWorkloadSelector) !== '') continue
    let localNodes: TopologyNode[]
    let versions: IpVersion[]
    if (text(spec.peerSelector) !== '') {
      localNodes = nodesMatching(text(spec.peerSelector))
      versions = [4, 6]
    } else {
      const { host, port } = splitIPPort(text(spec.peerIP))
      localNodes = nodesWithIPPortAndAS(host, asText(spec.asNumber) || '0', port)
      versions = host.includes(':') ? [6] : [4]
    }
    if (localNodes.length === 0) continue
    const peerNodes = text(spec.nodeSelector)
      ? nodesMatching(text(spec.nodeSelector))
      : text(spec.node)
        ? [byName.get(text(spec.node))].filter((n): n is TopologyNode => n !== undefined)
        : nodes
    const peerings = peerNodes.flatMap((n) => nodeAsPeerings(n, versions, spec, `BGPPeer/${name}`, true))
    for (const p of peerings) for (const local of localNodes) emitNode(local.name, p)
  }

  const localWorkloadPeerings = localWorkloadPeers(input, bgpPeers, nodesMatching)

  // Per node and family, what confd's GetBirdBGPConfig puts in BIRD's configuration.
  const sessions: Session[] = []
  const dropped: DroppedSession[] = []
  for (const node of nodes) {
    const clusterID = node.routeReflectorClusterID
    for (const version of [4, 6] as IpVersion[]) {
      const self = addressOf(node, version)
      const ofFamily = (p: Peering) => versionOf(p.ip) === version
      const configured: { prefix: string; peering: Peering }[] = [
        ...[...globalPeerings.values()].filter(ofFamily).map((peering) => ({ prefix: 'Global', peering })),
        ...[...nodePeerings.entries()]
          .filter(([key, p]) => key.startsWith(`${node.name}|`) && ofFamily(p))
          .map(([, peering]) => ({ prefix: 'Node', peering })),
        ...(localWorkloadPeerings.get(node.name) ?? []).filter(ofFamily).map((peering) => ({ prefix: 'Local_Workload', peering })),
      ]
      // BIRD's template leaves a family out of a node without an address in it.
      if (self === '') {
        for (const { peering } of configured) if (!peering.localWorkload) dropped.push({ node: node.name, peerIP: peering.ip, ipVersion: version, source: peering.source })
        continue
      }
      // The mesh: every other node with an address in the family, except route reflectors (and a
      // reflector joins no mesh itself).
      if (meshEnabled && clusterID === '') {
        for (const other of nodes) {
          const ip = addressOf(other, version)
          if (ip === '' || ip === self || other.routeReflectorClusterID !== '') continue
          const port = listenPortOf(other)
          sessions.push({
            node: node.name,
            peer: other.name,
            peerNode: other.name,
            peerIP: ip,
            port: port || undefined,
            ipVersion: version,
            // confd falls back to this node's AS, not the global one, for a peer without its own.
            asNumber: other.ownASNumber || node.asNumber,
            localASNumber: node.asNumber,
            type: 'node-to-node mesh',
            routeReflectorClient: false,
            role: '',
            source: 'mesh',
            reverse: false,
            protocol: protocolName('Mesh', ip),
            passive: ip > self,
          })
        }
      }
      for (const { prefix, peering } of configured) {
        if (peering.ip === self) continue
        const localAS = peering.localASNumber || node.asNumber
        const nextHop = peering.nextHopMode === 'Self' ? 'self' : peering.nextHopMode === 'Keep' || (peering.keepNextHop && peering.asNumber !== localAS) ? 'keep' : undefined
        const rrClient = peering.asNumber === localAS && clusterID !== '' && peering.rrClusterID !== clusterID
        const type = TYPE_OF_PREFIX[prefix]
        const peerNode = nodes.find((n) => addressOf(n, version) === peering.ip)
        sessions.push({
          node: node.name,
          peer: peerNode?.name ?? peering.ip,
          peerNode: peerNode?.name ?? null,
          peerIP: peering.ip,
          port: peering.port || undefined,
          ipVersion: version,
          asNumber: peering.asNumber,
          localASNumber: localAS,
          type,
          routeReflectorClient: rrClient,
          role: '',
          source: peering.source,
          reverse: peering.reverse,
          protocol: protocolName(prefix, peering.ip, peering.port || undefined),
          passive: peering.passive || ((type === 'global' || type === 'local workload') && peering.calicoNode && peering.ip > self),
          ...(nextHop ? { nextHop } : {}),
        })
      }
    }
  }

  // The peer's side of the same session tells whether the peer reflects for this node.
  const reflects = new Set(sessions.filter((s) => s.routeReflectorClient && s.peerNode).map((s) => `${s.node}|${s.peerNode}|${s.ipVersion}`))
  for (const s of sessions) {
    if (s.routeReflectorClient) s.role = 'rr-client'
    else if (s.peerNode && reflects.has(`${s.peerNode}|${s.node}|${s.ipVersion}`)) s.role = 'rr'
  }
  sessions.sort(compareSessions)
  return { nodes, sessions, dropped, meshEnabled, globalASNumber: globalAS, badSelectors }
}

export function compareSessions(a: Session, b: Session): number {
  if (a.node !== b.node) return a.node < b.node ? -1 : 1
  return compareIPs(a.peerIP, b.peerIP) || (a.port ?? 0) - (b.port ?? 0) || (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0)
}

/**
 * Peers from a localWorkloadSelector. confd learns them from Felix's endpoint status files on the
 * node; from the datastore, they are the node's workload endpoints the selector matches (their first
 * IPv4 and IPv6 address), on the nodes the BGPPeer applies to (all, without node or nodeSelector).
 */
function localWorkloadPeers(
  input: TopologyInput,
  bgpPeers: Resource[],
  nodesMatching: (selector: string, peer?: string, field?: string) => TopologyNode[],
): Map<string, Peering[]> {
  const result = new Map<string, Peering[]>()
  for (const resource of bgpPeers) {
    const spec = (resource.spec ?? {}) as Record<string, unknown>
    const selectorText = text(spec.localWorkloadSelector)
    if (selectorText === '') continue
    let selector: Selector
    try {
      selector = parseSelector(selectorText)
    } catch {
      continue
    }
    const applies = text(spec.nodeSelector)
      ? new Set(nodesMatching(text(spec.nodeSelector), resource.metadata.name, 'nodeSelector').map((n) => n.name))
      : text(spec.node)
        ? new Set([text(spec.node)])
        : undefined
    for (const endpoint of input.workloadEndpoints ?? []) {
      const node = text(endpoint.spec?.node)
      if ((applies && !applies.has(node)) || !selector.evaluate(endpoint.metadata.labels ?? {})) continue
      const nets = ((endpoint.spec?.ipNetworks as unknown[]) ?? []).map(bareAddress).filter(Boolean)
      for (const version of [4, 6] as IpVersion[]) {
        const ip = nets.find((n) => versionOf(n) === version)
        if (!ip) continue
        const list = result.get(node) ?? []
        list.push({
          ip,
          port: 0,
          asNumber: asText(spec.asNumber) || '0',
          localASNumber: asText(spec.localASNumber) === '0' ? '' : asText(spec.localASNumber),
          rrClusterID: '',
          calicoNode: false,
          keepNextHop: false,
          nextHopMode: '',
          passive: true,
          localWorkload: true,
          source: `BGPPeer/${resource.metadata.name ?? ''}`,
          reverse: false,
        })
        result.set(node, list)
      }
    }
  }
  return result
}
