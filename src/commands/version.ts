import { Flags } from '../cli/oclif-definitions.js'
import { CalicoCommand } from '../cli/base.js'
import { CommandError } from '../errors.js'
import { parseGoDuration } from '../resources/go-values.js'
import { BUILD, CALICO_VERSION } from '../version.js'

export default class Version extends CalicoCommand {
  static override summary = 'Display the version of this binary'
  static override description = `Print the version of calicoctl and, when the datastore can be reached, the Calico
version and cluster type recorded in it.`
  static override examples = ['# The versions of calicoctl and of the cluster.\ncalicoctl version', '# Only the version of calicoctl, without a datastore.\ncalicoctl version --client']
  static override flags = {
    config: Flags.string({ char: 'c', default: '', description: 'Path to the file containing connection configuration.' }),
    poll: Flags.string({ default: '', description: 'Poll for changes to the cluster information at a frequency specified using POLL duration.' }),
    client: Flags.boolean({ description: 'Display the client version only.' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Version)
    this.applyGlobalFlags(flags)
    const poll = flags.poll ? parseGoDuration(flags.poll) : 0n
    if (typeof poll !== 'bigint') throw new CommandError(`invalid poll duration specified: ${flags.poll}`)
    // The client's lines come first, whatever becomes of the cluster's.
    this.finish({ stdout: [`Client Version:    ${CALICO_VERSION}`, `Git commit:        ${BUILD}`] })
    if (flags.client) return
    // The datastore client and the resource kinds load only when the cluster is asked.
    const { printClusterVersion } = await import('../crud/cluster-version.js')
    await printClusterVersion(flags.config || undefined, Number(poll / 1_000_000n), (line) => process.stdout.write(`${line}\n`))
  }
}
