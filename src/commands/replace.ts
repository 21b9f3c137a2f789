import { ModifyCommand } from '../cli/modify-command.js'

export default class Replace extends ModifyCommand {
  static override summary = 'Replace a resource by file, directory or stdin.'
  static override usage = 'replace -f FILE [flags]'
  protected readonly verb = 'replace'

  async run(): Promise<void> {
    const { flags } = await this.parse(Replace)
    await this.modify(flags)
  }
}
