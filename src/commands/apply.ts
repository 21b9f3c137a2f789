import { ModifyCommand } from '../cli/modify-command.js'

export default class Apply extends ModifyCommand {
  static override summary = 'Apply a resource by file, directory or stdin'
  static override description = `Create the resources in a YAML or JSON file, a directory of them or stdin, and
replace those that exist already. Use apply when it does not matter whether they exist.`
  static override examples = ['# Apply the resources in a file.\ncalicoctl apply -f ./ippools.yaml', '# Apply resources read from stdin.\ncat policy.yaml | calicoctl apply -f -']
  protected readonly verb = 'apply'

  async run(): Promise<void> {
    const { flags } = await this.parse(Apply)
    await this.modify(flags)
  }
}
