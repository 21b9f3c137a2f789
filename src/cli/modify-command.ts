import { runModify, type ModifyOptions, type ModifyVerb } from '../crud/modify.js'
import { CalicoCommand, readStdin } from './base.js'
import { CommandError } from '../errors.js'
import { FILENAME_REQUIRED, fileFlags } from './flags.js'

/** create, apply and replace differ only in the verb (and create's --skip-exists). */
export abstract class ModifyCommand extends CalicoCommand {
  static override flags = fileFlags
  protected abstract readonly verb: ModifyVerb

  protected async modify(flags: Record<string, unknown>, extra: Partial<ModifyOptions> = {}): Promise<void> {
    this.applyGlobalFlags(flags)
    if (this.verb !== 'delete' && !flags.filename) throw new CommandError(FILENAME_REQUIRED)
    const report = await runModify(this.verb, {
      filename: flags.filename as string | undefined,
      recursive: flags.recursive as boolean,
      skipEmpty: flags['skip-empty'] as boolean,
      config: flags.config as string,
      namespace: flags.namespace as string | undefined,
      allowVersionMismatch: flags['allow-version-mismatch'] as boolean,
      stdin: readStdin,
      ...extra,
    })
    this.finish(report)
  }
}
