import { CalicoCommand } from '../../../cli/base.js'
import { configFlag } from '../../../cli/flags.js'
import { runDatastoreLock } from '../../../crud/datastore-lock.js'

export default class DatastoreMigrateLock extends CalicoCommand {
  static override summary = 'Lock the datastore to prevent changes during migration'
  static override description = `Mark the datastore as not ready before a migration: Calico's components stop acting on
what changes in it, while calicoctl can still read and write resources.`
  static override examples = ['calicoctl datastore migrate lock']
  static override flags = { ...configFlag }

  async run(): Promise<void> {
    const { flags } = await this.parse(DatastoreMigrateLock)
    this.applyGlobalFlags(flags)
    const line = await runDatastoreLock(true, { config: flags.config, allowVersionMismatch: flags['allow-version-mismatch'] })
    this.finish({ stdout: [line] })
  }
}
