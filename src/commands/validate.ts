import { CalicoCommand, readStdin } from '../cli/base.js'
import { FILENAME_REQUIRED, fileFlags } from '../cli/flags.js'
import { CommandError } from '../errors.js'
import { runValidate } from '../crud/validate.js'

export default class Validate extends CalicoCommand {
  static override summary = 'Validate a resource by file, directory or stdin, without a datastore.'
  static override usage = 'validate -f FILE [flags]'
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
