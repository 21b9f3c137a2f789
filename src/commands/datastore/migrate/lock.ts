import { CalicoCommand } from '../../../cli/base.js'
import { configFlag } from '../../../cli/flags.js'
import { runDatastoreLock } from '../../../crud/datastore-lock.js'

export default class DatastoreMigrateLock extends CalicoCommand {
  static override summary = 'Lock the datastore to prepare it for migration.'
  static override description = 'Lock the datastore to prepare it for migration. This prevents any new Calico resources from affecting the cluster but does not prevent updating or creating new Calico resources.'
  static override flags = { ...configFlag }

  async run(): Promise<void> {
    const { flags } = await this.parse(DatastoreMigrateLock)
    this.applyGlobalFlags(flags)
    const line = await runDatastoreLock(true, { config: flags.config, allowVersionMismatch: flags['allow-version-mismatch'] })
    this.finish({ stdout: [line] })
  }
}
