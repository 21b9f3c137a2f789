import { Flags } from '../../../cli/oclif-definitions.js'
import { CalicoCommand, readStdin } from '../../../cli/base.js'
import { configFlag } from '../../../cli/flags.js'
import { runImport } from '../../../migrate/import.js'

export default class DatastoreMigrateImport extends CalicoCommand {
  static override summary = 'Store and convert yaml of resources into the Kubernetes datastore'
  static override description = `Write the output of datastore migrate export into a Kubernetes datastore: the Calico
CRDs first, then the resources and the IPAM data. The target must hold no Calico
resources yet.`
  static override examples = ['calicoctl datastore migrate import -f datastore.yaml']
  static override flags = {
    ...configFlag,
    filename: Flags.string({ char: 'f', default: '', description: 'Filename to use to import resources.' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(DatastoreMigrateImport)
    this.applyGlobalFlags(flags)
    await runImport({ config: flags.config, filename: flags.filename, stdin: readStdin, write: (text) => process.stdout.write(text) })
  }
}
