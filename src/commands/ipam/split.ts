import { Args, Flags } from '../../cli/oclif-definitions.js'
import { CalicoCommand } from '../../cli/base.js'
import { configFlag } from '../../cli/flags.js'
import type { ArgCount } from '../../cli/tree.js'
import { runIpamSplit } from '../../ipam/split.js'

export default class IpamSplit extends CalicoCommand {
  static override summary = 'Split an IP pool into the specified number of smaller IP pools'
  static override description = `Replace one IP pool (by --name or --cidr) with NUMBER pools of equal size (a power of
two) covering the same addresses, named split-<name>-<i>. The datastore must be locked
first (calicoctl datastore migrate lock); existing blocks and affinities stay as they are.`
  static override usage = 'split NUMBER'
  static override examples = ['calicoctl ipam split 4 --name my-pool']
  static override strict = false
  static override argCount: ArgCount = { exact: 1 }
  static override args = { number: Args.string({ description: 'How many pools to split the pool into' }) }
  static override flags = {
    ...configFlag,
    cidr: Flags.string({ description: 'CIDR of the IP pool to split.' }),
    name: Flags.string({ description: 'Name of the IP pool to split.' }),
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(IpamSplit)
    this.applyGlobalFlags(flags)
    const out = await runIpamSplit({
      config: flags.config,
      number: (argv as string[])[0],
      cidr: flags.cidr,
      name: flags.name,
      allowVersionMismatch: flags['allow-version-mismatch'],
    })
    this.finish({ stdout: out })
  }
}
