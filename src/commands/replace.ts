import { ModifyCommand } from '../cli/modify-command.js'

export default class Replace extends ModifyCommand {
  static override summary = 'Replace a resource by file, directory or stdin'
  static override description = `Replace existing resources with the ones in a YAML or JSON file, a directory of them
or stdin. It fails for a resource that does not exist; apply creates it instead.`
  static override examples = ['# Replace resources with the ones in a file.\ncalicoctl replace -f ./ippools.yaml']
  protected readonly verb = 'replace'

  async run(): Promise<void> {
    const { flags } = await this.parse(Replace)
    await this.modify(flags)
  }
}
