import * as Flags from '@oclif/core/flags'
import { readStdin } from '../cli/base.js'
import { fileFlags } from '../cli/flags.js'
import { ModifyCommand } from '../cli/modify-command.js'

export default class Apply extends ModifyCommand {
  static override summary = 'Apply a resource by file, directory or stdin'
  static override description = `Create the resources in a YAML or JSON file, a directory of them or stdin, and
replace those that exist already. Use apply when it does not matter whether they exist.`
  static override examples = ['# Apply the resources in a file.\ncalicoctl apply -f ./ippools.yaml', '# Apply resources read from stdin.\ncat policy.yaml | calicoctl apply -f -']
  static override flags = {
    ...fileFlags,
    check: Flags.boolean({ description: 'First run bgp check on the state the file would produce; write nothing if it finds an error' }),
  }
  protected readonly verb = 'apply'

  async run(): Promise<void> {
    const { flags } = await this.parse(Apply)
    if (!flags.check) return this.modify(flags)
    this.applyGlobalFlags(flags)
    const { preflightBgpCheck, stdinOnce } = await import('../bgp/topology/preflight.js')
    const stdin = stdinOnce(readStdin)
    await preflightBgpCheck({ ...flags, allowVersionMismatch: flags['allow-version-mismatch'], skipEmpty: flags['skip-empty'], stdin }, 'nothing was applied')
    await this.modify(flags, { stdin })
  }
}
