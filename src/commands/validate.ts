import { CalicoCommand, readStdin } from '../cli/base.js'
import { fileFlags } from '../cli/flags.js'
import { runValidate } from '../crud/validate.js'

export default class Validate extends CalicoCommand {
  static override summary = 'Validate a resource by file, directory or stdin, without a datastore.'
  static override usage = 'validate -f FILE [flags]'
  static override flags = fileFlags

  async run(): Promise<void> {
    const { flags } = await this.parse(Validate)
    this.applyGlobalFlags(flags)
    this.finish(await runValidate({ filename: flags.filename, recursive: flags.recursive, skipEmpty: flags['skip-empty'], stdin: readStdin }))
  }
}
