import { Flags } from '../../cli/oclif-definitions.js'
import { CalicoCommand } from '../../cli/base.js'
import { configFlag } from '../../cli/flags.js'
import { runIpamConfigure } from '../../ipam/configure.js'
import { parseIntFlag } from '../../ipam/go-parse.js'

export default class IpamConfigure extends CalicoCommand {
  static override summary = 'Configure IPAM'
  static override description = `Modify the Calico IPAM configuration: strict affinity (no borrowing of addresses from
blocks other nodes own), the maximum number of blocks per host (requires strict
affinity), whether KubeVirt VMs keep their addresses, and how long a released address
cools down before reuse.`
  static override examples = ['calicoctl ipam configure --strictaffinity=true', 'calicoctl ipam configure --strictaffinity=true --max-blocks-per-host=4']
  static override flags = {
    ...configFlag,
    strictaffinity: Flags.string({ description: 'Set StrictAffinity to true/false.' }),
    'max-blocks-per-host': Flags.string({ description: 'Set the maximum number of blocks that can be affine to a host.' }),
    'kubevirt-ip-persistence': Flags.string({ description: 'Control whether KubeVirt VMs retain persistent IP addresses (Enabled|Disabled).' }),
    // An Int flag upstream: help shows it as one and the command line is checked for a Go integer.
    'ip-cooldown-seconds': Flags.string({ default: '-1', helpValue: 'int', description: 'Set the minimum time between release and re-allocation of an IP address.' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(IpamConfigure)
    this.applyGlobalFlags(flags)
    const lines = await runIpamConfigure({
      config: flags.config,
      strictAffinity: flags.strictaffinity,
      maxBlocksPerHost: flags['max-blocks-per-host'],
      kubevirtIpPersistence: flags['kubevirt-ip-persistence'],
      ipCooldownSeconds: parseIntFlag('ip-cooldown-seconds', flags['ip-cooldown-seconds']),
      allowVersionMismatch: flags['allow-version-mismatch'],
    })
    this.finish({ stdout: lines })
  }
}
