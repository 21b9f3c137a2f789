import { CalicoCommand, readStdin } from '../cli/base.js'
import { FILENAME_REQUIRED, fileFlags } from '../cli/flags.js'
import { CommandError } from '../errors.js'
import { runValidate } from '../crud/validate.js'

export default class Validate extends CalicoCommand {
  static override summary = 'Validate a resource by file, directory or stdin without applying it'
  static override description = `Check the resources in a YAML or JSON file, a directory of them or stdin as the
datastore would, without one: syntax, fields and values. Catch mistakes before applying.`
  static override examples = ['# Validate the resources in a file.\ncalicoctl validate -f ./policy.yaml']
  static override flags = fileFlags

  async run(): Promise<void> {
    const { flags } = await this.parse(Validate)
    this.applyGlobalFlags(flags)
    if (!flags.filename) throw new CommandError(FILENAME_REQUIRED)
    this.finish(
      await runValidate({ filename: flags.filename, recursive: flags.recursive, skipEmpty: flags['skip-empty'], namespace: flags.namespace, stdin: readStdin }),
    )
  }
}
