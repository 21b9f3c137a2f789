import { Flags } from './oclif-definitions.js'
import { CalicoCommand } from './base.js'
import { completionScript, type Shell } from './completion-scripts.js'
import type { ArgCount } from './tree.js'

/** `calicoctl completion <shell>`: prints the script that completes calicoctl in that shell. */
export abstract class CompletionCommand extends CalicoCommand {
  static override argCount: ArgCount = 'none'
  static override flags = {
    'no-descriptions': Flags.boolean({ description: 'disable completion descriptions' }),
  }
  protected abstract readonly shell: Shell

  async run(): Promise<void> {
    const { flags } = await this.parse(this.constructor as typeof CompletionCommand)
    this.applyGlobalFlags(flags)
    process.stdout.write(completionScript(this.shell, this.invocation.root.name, !flags['no-descriptions']))
  }
}
