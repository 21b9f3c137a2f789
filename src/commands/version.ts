import * as Flags from '@oclif/core/flags'
import { CalicoCommand } from '../cli/base.js'
import { BUILD, CALICO_VERSION } from '../version.js'

export default class Version extends CalicoCommand {
  static override summary = 'Display the version of this binary'
  static override description = `Print the version of calicoctl and, when the datastore can be reached, the Calico
version and cluster type recorded in it.`
  static override examples = ['# The versions of calicoctl and of the cluster.\ncalicoctl version', '# Only the version of calicoctl, without a datastore.\ncalicoctl version --client']
  static override flags = {
    config: Flags.string({ char: 'c', default: '', description: 'Path to the file containing connection configuration.' }),
    client: Flags.boolean({ description: 'Display the client version only.' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Version)
    this.applyGlobalFlags(flags)
    // The client's lines come first, whatever becomes of the cluster's.
    this.finish({ stdout: [`Client Version:    ${CALICO_VERSION}`, `Git commit:        ${BUILD}`] })
    if (flags.client) return
    // The datastore client and the resource kinds load only when the cluster is asked.
    const { clusterVersionLines } = await import('../crud/cluster-version.js')
    this.finish({ stdout: await clusterVersionLines(flags.config || undefined) })
  }
}
