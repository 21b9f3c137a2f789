import * as Flags from '@oclif/core/flags'
import { CalicoCommand } from '../../cli/base.js'
import { configFlag } from '../../cli/flags.js'
import { CommandError } from '../../errors.js'
import { birdFlags, birdSockets } from '../../node/flags.js'
import { checkTopology } from '../../bgp/topology/checks.js'
import { computeTopology, type IpVersion } from '../../bgp/topology/compute.js'
import { loadTopologyInput } from '../../bgp/topology/load.js'
import { buildGraph, renderDocument, renderDot, renderMermaid, renderSessionTable, topologyDocument } from '../../bgp/topology/render.js'

const FORMATS = ['table', 'json', 'yaml', 'dot', 'mermaid', 'svg', 'html']

export default class BgpTopology extends CalicoCommand {
  static override summary = 'Show the BGP sessions the configuration gives each node'
  static override description = `Compute from the datastore the BGP sessions calico-node configures in each node's BIRD,
as its confd does: the node-to-node mesh, global and node-specific BGPPeers (selectors in
both directions, automatic reverse peering), route reflector clients, AS numbers, ports,
IPv4 and IPv6. A session between two nodes is listed from each side.

As a table (default), JSON or YAML (with nodes and the findings of bgp check), a graph in
Graphviz DOT or Mermaid, or a picture: SVG, or an HTML page with the tables.

With --live, run on a node: its computed sessions are joined with those its BIRD daemons
report (as node status reads them); exits 1 unless every expected session is Established
and BIRD has no other.`
  static override examples = [
    'calicoctl bgp topology',
    '# One node, IPv4 only, as a picture.\ncalicoctl bgp topology --node rr-1 --ip-version 4 -o svg > rr-1.svg',
    '# On a node: the configuration against BIRD.\ncalicoctl bgp topology --live',
  ]
  static override flags = {
    ...configFlag,
    output: Flags.string({ char: 'o', default: 'table', options: FORMATS, description: `Output format: ${FORMATS.join(', ')}` }),
    node: Flags.string({ description: 'Only the sessions of this node (with --live: the node this runs on, by default as calico-node names it)' }),
    'ip-version': Flags.string({ options: ['4', '6'], description: 'Only IPv4 or IPv6 sessions' }),
    live: Flags.boolean({ description: "Compare this node's sessions with its BIRD daemons' (table output only)" }),
    ...birdFlags,
    bird2: Flags.boolean({ description: 'With --live: read the replies of a BIRD 2.x daemon too' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(BgpTopology)
    this.applyGlobalFlags(flags)
    if (flags.live && flags.output !== 'table') throw new CommandError('--live prints a table: leave out -o')
    const input = await loadTopologyInput(flags.config, flags['allow-version-mismatch'])
    const topology = computeTopology(input)
    const version = flags['ip-version'] ? (Number(flags['ip-version']) as IpVersion) : undefined
    const node = flags.live ? (flags.node ?? (await import('../../bgp/topology/live.js')).localNodeName()) : flags.node
    if (node !== undefined && !topology.nodes.some((n) => n.name === node)) throw new CommandError(`node ${JSON.stringify(node)} does not exist`)
    const sessions = topology.sessions.filter((s) => (node === undefined || s.node === node) && (version === undefined || s.ipVersion === version))

    if (flags.live) {
      const { collectLive, renderLive } = await import('../../bgp/topology/live.js')
      const report = await collectLive(node as string, sessions, birdSockets(flags), flags['bird-timeout'], flags.bird2)
      const { stdout, agrees } = renderLive(report)
      this.finish({ stdout, error: agrees ? undefined : 'the BGP sessions in BIRD do not match the configuration' })
      return
    }
    const findings = checkTopology(topology, input.bgpPeers).filter((f) => node === undefined || f.objects.includes(`Node/${node}`))
    const format = flags.output
    if (format === 'table') return this.finish({ stdout: renderSessionTable(sessions) })
    if (format === 'json' || format === 'yaml') return this.finish({ stdout: renderDocument(topologyDocument(topology, sessions, findings), format) })
    const graph = buildGraph(topology, sessions, node !== undefined)
    if (format === 'mermaid') return this.finish({ stdout: renderMermaid(graph) })
    const dot = renderDot(graph)
    if (format === 'dot') return this.finish({ stdout: dot })
    const { renderHtml, renderSvg } = await import('../../bgp/topology/picture.js')
    const svg = await renderSvg(dot)
    const title = `BGP topology${node ? ` of node ${node}` : ''}${version ? ` (IPv${version})` : ''}`
    this.finish({ stdout: format === 'svg' ? svg : renderHtml(svg, sessions, findings, title) })
  }
}
