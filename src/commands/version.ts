import { Flags } from '@oclif/core'
import { CalicoCommand } from '../cli/base.js'
import { BUILD, CALICO_VERSION } from '../version.js'

export default class Version extends CalicoCommand {
  static override summary = 'Display the version of this binary.'
  static override flags = {
    config: Flags.string({ char: 'c', default: '', description: 'Path to the file containing connection configuration in YAML or JSON format' }),
    client: Flags.boolean({ description: 'Display only the client version (no datastore access)' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Version)
    this.applyGlobalFlags(flags)
    const lines = [`Client Version:    ${CALICO_VERSION}`, `Git commit:        ${BUILD}`]
    if (!flags.client) {
      // The datastore client and the resource kinds load only when the cluster is asked.
      const { clusterVersionLines } = await import('../crud/cluster-version.js')
      lines.push(...(await clusterVersionLines(flags.config || undefined)))
    }
    this.finish({ stdout: lines })
  }
}
