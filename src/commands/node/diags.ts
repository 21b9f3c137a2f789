import { Flags } from '../../cli/oclif-definitions.js'
import { tmpdir } from 'node:os'
import { CalicoCommand } from '../../cli/base.js'
import { DiagsCollector } from '../../node/diags.js'
import { birdFlags, birdSockets } from '../../node/flags.js'
import { requireRoot } from '../../node/root.js'

export default class NodeDiags extends CalicoCommand {
  static override summary = 'Gather a diagnostics bundle for a Calico node'
  static override description = `Collects routes, addresses, nftables/iptables/ipset dumps, the calico-node journal,
socket tables, BIRD's protocol details, the CNI config and the Calico logs into a
.tar.gz under a new temp dir ($TMPDIR or /tmp). Tools that are missing are reported
and skipped.

Run it on the node you are diagnosing.`
  static override flags = {
    'log-dir': Flags.string({ default: '/var/log/calico', description: 'The directory containing Calico logs.' }),
    'cni-conf-dir': Flags.string({ default: '/etc/cni/net.d', description: 'CNI network config directory to include' }),
    'cni-bin-dir': Flags.string({ default: '/opt/cni/bin', description: 'CNI plugin directory to list' }),
    ...birdFlags,
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(NodeDiags)
    this.applyGlobalFlags(flags)
    requireRoot()
    await DiagsCollector.run(
      {
        logDir: flags['log-dir'],
        cniConfDir: flags['cni-conf-dir'],
        cniBinDir: flags['cni-bin-dir'],
        birdSockets: birdSockets(flags),
        birdTimeoutMs: flags['bird-timeout'],
        tmpBase: tmpdir(),
        env: process.env,
        now: new Date(),
      },
      (line) => process.stdout.write(`${line}\n`),
    )
  }
}
