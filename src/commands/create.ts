import { Flags } from '@oclif/core'
import { ModifyCommand } from '../cli/modify-command.js'
import { fileFlags } from '../cli/flags.js'

export default class Create extends ModifyCommand {
  static override summary = 'Create a resource by file, directory or stdin.'
  static override usage = 'create -f FILE [flags]'
  static override flags = {
    ...fileFlags,
    'skip-exists': Flags.boolean({ description: 'Skip over and treat as successful any attempts to create an entry that already exists' }),
  }
  protected readonly verb = 'create'

  async run(): Promise<void> {
    const { flags } = await this.parse(Create)
    await this.modify(flags, { skipExists: flags['skip-exists'] })
  }
}
