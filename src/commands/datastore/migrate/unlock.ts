import { CalicoCommand } from '../../../cli/base.js'
import { configFlag } from '../../../cli/flags.js'
import { runDatastoreLock } from '../../../crud/datastore-lock.js'

export default class DatastoreMigrateUnlock extends CalicoCommand {
  static override summary = 'Unlock the datastore to complete migration.'
  static override description = 'Unlock the datastore to complete migration. This once again allows Calico resources to take effect in the cluster.'
  static override flags = { ...configFlag }

  async run(): Promise<void> {
    const { flags } = await this.parse(DatastoreMigrateUnlock)
    this.applyGlobalFlags(flags)
    const line = await runDatastoreLock(false, { config: flags.config, allowVersionMismatch: flags['allow-version-mismatch'] })
    this.finish({ stdout: [line] })
  }
}
