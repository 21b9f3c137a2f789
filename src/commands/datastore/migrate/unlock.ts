import { CalicoCommand } from '../../../cli/base.js'
import { configFlag } from '../../../cli/flags.js'
import { runDatastoreLock } from '../../../crud/datastore-lock.js'

export default class DatastoreMigrateUnlock extends CalicoCommand {
  static override summary = 'Unlock the datastore to allow changes after migration'
  static override description = `Mark the datastore as ready again once a migration is done: Calico's components act
on its resources again.`
  static override examples = ['calicoctl datastore migrate unlock']
  static override flags = { ...configFlag }

  async run(): Promise<void> {
    const { flags } = await this.parse(DatastoreMigrateUnlock)
    this.applyGlobalFlags(flags)
    const line = await runDatastoreLock(false, { config: flags.config, allowVersionMismatch: flags['allow-version-mismatch'] })
    this.finish({ stdout: [line] })
  }
}
