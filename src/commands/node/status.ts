import { Flags } from '../../cli/oclif-definitions.js'
import { CalicoCommand } from '../../cli/base.js'
import { birdFlags, birdSockets } from '../../node/flags.js'
import { requireRoot } from '../../node/root.js'
import { collectNodeStatus } from '../../node/status.js'
import { renderStatusData, renderStatusText } from '../../node/status-render.js'

export default class NodeStatus extends CalicoCommand {
  static override summary = 'View the current status of a Calico node'
  static override description = `Check the status of the Calico node instance: whether Felix runs and the state of each
BGP session of its BIRD daemons. Must run as root on the node.

In a container that cannot see calico/node's processes (but has /var/run/calico
mounted), use --skip-process-check: BIRD then counts as running when its socket file
exists.`
  static override flags = {
    output: Flags.string({ char: 'o', options: ['json', 'yaml'], description: 'Print the BGP sessions as json or yaml instead of tables' }),
    ...birdFlags,
    'skip-process-check': Flags.boolean({
      env: 'CALICO_SKIP_PROCESS_CHECK',
      description: 'Do not look for the Felix and BIRD processes; use the BIRD sockets that exist',
    }),
    // Upstream lists processes with gopsutil, which reads HOST_PROC too.
    'proc-dir': Flags.string({ default: '/proc', env: 'HOST_PROC', description: 'Where to read the process list, e.g. the host /proc mounted in a container' }),
    bird2: Flags.boolean({ description: 'Read the replies of a BIRD 2.x daemon too (upstream fails on them: unknown BIRD table output format)' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(NodeStatus)
    this.applyGlobalFlags(flags)
    requireRoot()
    const status = await collectNodeStatus({
      sockets: birdSockets(flags),
      skipProcessCheck: flags['skip-process-check'],
      procDir: flags['proc-dir'],
      timeoutMs: flags['bird-timeout'],
      bird2: flags.bird2,
    })
    const format = flags.output as 'json' | 'yaml' | undefined
    this.finish(format ? renderStatusData(status, format) : renderStatusText(status))
  }
}
