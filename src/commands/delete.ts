import { Args, Flags } from '@oclif/core'
import { ModifyCommand } from '../cli/modify-command.js'
import { fileFlags } from '../cli/flags.js'

export default class Delete extends ModifyCommand {
  static override summary = 'Delete a resource identified by file, directory, stdin or resource type and name.'
  static override usage = 'delete ( -f FILE | KIND NAME... ) [flags]'
  static override strict = false
  static override args = { kind: Args.string({ description: 'Resource type, e.g. bgppeer', ignoreStdin: true }) }
  static override flags = {
    ...fileFlags,
    'skip-not-exists': Flags.boolean({ char: 's', description: 'Skip over and treat as successful, resources that do not exist' }),
  }
  protected readonly verb = 'delete'

  async run(): Promise<void> {
    const { args, argv, flags } = await this.parse(Delete)
    await this.modify(flags, { skipNotExists: flags['skip-not-exists'], kindArg: args.kind, names: (argv as string[]).slice(1) })
  }
}
