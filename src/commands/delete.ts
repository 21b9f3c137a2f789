import { Args, Flags } from '../cli/oclif-definitions.js'
import { ModifyCommand } from '../cli/modify-command.js'
import { fileFlags } from '../cli/flags.js'

export default class Delete extends ModifyCommand {
  static override summary = 'Delete a resource by file, directory, stdin, or type and name'
  static override description = `Delete resources named on the command line (a type and one or more names) or
described in a YAML or JSON file, a directory of them or stdin. A resource that does
not exist is an error unless --skip-not-exists is given.`
  static override examples = ['# Delete two IP pools by name.\ncalicoctl delete ippool pool-a pool-b', '# Delete the resources described in a file.\ncalicoctl delete -f ./policy.yaml']
  static override usage = 'delete [KIND [NAME...]]'
  static override strict = false
  static override args = { kind: Args.string({ description: 'Resource type, e.g. bgppeer', ignoreStdin: true }) }
  static override flags = {
    ...fileFlags,
    'skip-not-exists': Flags.boolean({ char: 's', description: 'Skip over resources that do not exist.' }),
  }
  protected readonly verb = 'delete'

  async run(): Promise<void> {
    const { args, argv, flags } = await this.parse(Delete)
    await this.modify(flags, { skipNotExists: flags['skip-not-exists'], kindArg: args.kind, names: (argv as string[]).slice(1) })
  }
}
