import * as Flags from '@oclif/core/flags'
import { CalicoCommand, readStdin } from '../cli/base.js'
import { FILENAME_REQUIRED, fileFlags } from '../cli/flags.js'
import { CommandError } from '../errors.js'
import { runValidate } from '../crud/validate.js'

export default class Validate extends CalicoCommand {
  static override summary = 'Validate a resource by file, directory or stdin without applying it'
  static override description = `Check the resources in a YAML or JSON file, a directory of them or stdin as the
datastore would, without one: syntax, fields and values. Catch mistakes before applying.`
  static override examples = ['# Validate the resources in a file.\ncalicoctl validate -f ./policy.yaml']
  static override flags = {
    ...fileFlags,
    check: Flags.boolean({ description: 'Also run bgp check on the state the file would produce in the datastore (-c)' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Validate)
    this.applyGlobalFlags(flags)
    if (!flags.filename) throw new CommandError(FILENAME_REQUIRED)
    const stdin = flags.check ? (await import('../bgp/topology/preflight.js')).stdinOnce(readStdin) : readStdin
    const report = await runValidate({ filename: flags.filename, recursive: flags.recursive, skipEmpty: flags['skip-empty'], namespace: flags.namespace, stdin })
    this.finish(report)
    if (flags.check) {
      const { preflightBgpCheck } = await import('../bgp/topology/preflight.js')
      await preflightBgpCheck({ ...flags, allowVersionMismatch: flags['allow-version-mismatch'], skipEmpty: flags['skip-empty'], stdin }, 'the file would break BGP')
    }
  }
}
