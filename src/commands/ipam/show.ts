import { Flags } from '../../cli/oclif-definitions.js'
import { CalicoCommand } from '../../cli/base.js'
import { configFlag } from '../../cli/flags.js'
import { runIpamShow } from '../../ipam/show.js'

export default class IpamShow extends CalicoCommand {
  static override summary = 'Show details of a Calico assigned IP address or overall IP usage'
  static override description = `Print IP usage per IP pool (with --show-blocks, per allocation block too), whether one
address is assigned and to what, the addresses nodes borrowed from blocks other nodes
own, or the IPAM configuration. With several options, the first of --ip,
--show-blocks, --show-borrowed, --show-configuration wins.`
  static override examples = ['calicoctl ipam show --show-blocks', 'calicoctl ipam show --ip=10.65.0.3']
  static override flags = {
    ...configFlag,
    ip: Flags.string({ description: 'Report whether this specific IP address is in use.' }),
    'show-blocks': Flags.boolean({ description: 'Show detailed information for IP blocks as well as pools.' }),
    'show-borrowed': Flags.boolean({ description: 'Show detailed information for borrowed IP addresses.' }),
    'show-configuration': Flags.boolean({ description: 'Show current Calico IPAM configuration.' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(IpamShow)
    this.applyGlobalFlags(flags)
    const stdout = await runIpamShow({
      config: flags.config,
      ip: flags.ip,
      showBlocks: flags['show-blocks'],
      showBorrowed: flags['show-borrowed'],
      showConfiguration: flags['show-configuration'],
      allowVersionMismatch: flags['allow-version-mismatch'],
    })
    this.finish({ stdout })
  }
}
