import { CalicoCommand } from '../../../cli/base.js'
import { configFlag } from '../../../cli/flags.js'
import { runExport } from '../../../migrate/export.js'

export default class DatastoreMigrateExport extends CalicoCommand {
  static override summary = 'Export the contents of the etcdv3 datastore to yaml'
  static override description = `Print the Calico resources and IPAM data of a locked etcdv3 datastore, in the format
datastore migrate import reads: the first step of moving to a Kubernetes datastore.`
  static override examples = ['calicoctl datastore migrate export > datastore.yaml']
  static override flags = { ...configFlag }

  async run(): Promise<void> {
    const { flags } = await this.parse(DatastoreMigrateExport)
    this.applyGlobalFlags(flags)
    await runExport({ config: flags.config, allowVersionMismatch: flags['allow-version-mismatch'], write: (text) => process.stdout.write(text) })
  }
}
