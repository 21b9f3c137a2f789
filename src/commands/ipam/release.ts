import { Flags } from '../../cli/oclif-definitions.js'
import { CalicoCommand } from '../../cli/base.js'
import { configFlag } from '../../cli/flags.js'
import { runIpamRelease } from '../../ipam/release-run.js'

export default class IpamRelease extends CalicoCommand {
  static override summary = 'Release a Calico assigned IP address'
  static override description = `Release one address (--ip) as Calico's IPAM would when its owner goes away, or every
leaked address and handle named by all the reports given with --from-report (written by
ipam check -o while the datastore is locked).`
  static override examples = ['calicoctl ipam release --ip 10.65.0.3', 'calicoctl ipam release --from-report report.json']
  static override flags = {
    ...configFlag,
    ip: Flags.string({ description: 'IP address to release.' }),
    'from-report': Flags.string({ multiple: true, description: 'Release all leaked addresses from the report.' }),
    force: Flags.boolean({ description: 'Force release of leaked addresses.' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(IpamRelease)
    this.applyGlobalFlags(flags)
    await runIpamRelease({
      config: flags.config,
      ip: flags.ip,
      fromReport: flags['from-report'],
      force: flags.force,
      allowVersionMismatch: flags['allow-version-mismatch'],
    })
  }
}
