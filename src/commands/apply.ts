import { ModifyCommand } from '../cli/modify-command.js'

export default class Apply extends ModifyCommand {
  static override summary = 'Apply a resource by file, directory or stdin. This creates a resource if it does not exist, and replaces a resource if it does exist.'
  static override usage = 'apply -f FILE [flags]'
  protected readonly verb = 'apply'

  async run(): Promise<void> {
    const { flags } = await this.parse(Apply)
    await this.modify(flags)
  }
}
