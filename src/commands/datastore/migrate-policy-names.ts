import { CalicoCommand } from '../../cli/base.js'
import { configFlag } from '../../cli/flags.js'
import { runMigratePolicyNames } from '../../migrate/policy-names.js'

export default class DatastoreMigratePolicyNames extends CalicoCommand {
  static override summary = 'Rewrite pre-v3.32 policy names in an etcdv3 datastore to drop the legacy "default." tier prefix'
  static override description = `Store default-tier policies written before Calico v3.32 under their v3 name, without the
"default." prefix they were kept under. Run it once when upgrading past v3.32; it is safe
to run again.`
  static override examples = ['calicoctl datastore migrate-policy-names']
  static override flags = { ...configFlag }

  async run(): Promise<void> {
    const { flags } = await this.parse(DatastoreMigratePolicyNames)
    this.applyGlobalFlags(flags)
    const line = await runMigratePolicyNames({ config: flags.config, allowVersionMismatch: flags['allow-version-mismatch'] })
    this.finish({ stdout: [line] })
  }
}
