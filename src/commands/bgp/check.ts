import * as Flags from '@oclif/core/flags'
import { CalicoCommand } from '../../cli/base.js'
import { configFlag } from '../../cli/flags.js'
import { checkTopology } from '../../bgp/topology/checks.js'
import { computeTopology } from '../../bgp/topology/compute.js'
import { loadTopologyInput } from '../../bgp/topology/load.js'
import { renderDocument, renderFindings } from '../../bgp/topology/render.js'

export default class BgpCheck extends CalicoCommand {
  static override summary = 'Find mistakes in the BGP configuration before they cut nodes off'
  static override description = `Check the BGP sessions the datastore's configuration gives the nodes (see bgp topology)
for mistakes: nodes left without a session, route reflectors without a cluster ID or
alone in their cluster, selectors that match no node, BGPPeers naming missing nodes, AS
numbers that do not match, nodes lacking an address in their peers' family, and more.
Each finding has a severity, a code, the objects involved and advice. Exits 1 when any
finding is an error. apply --check and validate --check run the same checks on the state
a file would produce.`
  static override examples = ['calicoctl bgp check', '# For CI.\ncalicoctl bgp check -o json']
  static override flags = {
    ...configFlag,
    output: Flags.string({ char: 'o', default: 'text', options: ['text', 'json', 'yaml'], description: 'Output format: text, json or yaml' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(BgpCheck)
    this.applyGlobalFlags(flags)
    const input = await loadTopologyInput(flags.config, flags['allow-version-mismatch'])
    const findings = checkTopology(computeTopology(input), input.bgpPeers)
    const stdout =
      flags.output === 'text'
        ? renderFindings(findings, { nodes: input.nodes.length, bgpPeers: input.bgpPeers.length })
        : renderDocument({ findings }, flags.output as 'json' | 'yaml')
    const errors = findings.filter((f) => f.severity === 'error').length
    this.finish({ stdout, error: errors > 0 ? `the BGP configuration has ${errors} error${errors === 1 ? '' : 's'}` : undefined })
  }
}
