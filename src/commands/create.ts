import { Flags } from '../cli/oclif-definitions.js'
import { ModifyCommand } from '../cli/modify-command.js'
import { fileFlags } from '../cli/flags.js'

export default class Create extends ModifyCommand {
  static override summary = 'Create a resource by file, directory or stdin'
  static override description = `Create the resources in a YAML or JSON file, a directory of them or stdin. It fails
for a resource that exists already (unless --skip-exists); apply replaces it instead.`
  static override examples = ['# Create the resources in a file.\ncalicoctl create -f ./bgppeers.yaml', '# Create resources read from stdin.\ncat policy.json | calicoctl create -f -']
  static override flags = {
    ...fileFlags,
    'skip-exists': Flags.boolean({ description: 'Skip over resources that already exist.' }),
  }
  protected readonly verb = 'create'

  async run(): Promise<void> {
    const { flags } = await this.parse(Create)
    await this.modify(flags, { skipExists: flags['skip-exists'] })
  }
}
