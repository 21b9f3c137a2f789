import { Args, Flags } from '@oclif/core'
import { CalicoCommand } from '../cli/base.js'
import { configFlag } from '../cli/flags.js'
import { runLabel } from '../crud/label.js'
import { CommandError } from '../errors.js'

export default class Label extends CalicoCommand {
  static override summary = 'Add or update labels of resources'
  static override description =
    'Add, update, or remove labels on an existing Calico resource. Set a label with key=value (add --overwrite to replace an existing value), or remove one by passing the key with --remove.'
  static override usage = 'label KIND NAME [key=value | key] [flags]'
  static override examples = [
    '# Add a label to a node.\ncalicoctl label nodes node1 cluster=frontend',
    '# Overwrite an existing label value.\ncalicoctl label nodes node1 cluster=backend --overwrite',
    '# Remove a label.\ncalicoctl label nodes node1 cluster --remove',
  ]
  static override strict = false
  static override args = {
    kind: Args.string({ description: 'Resource type, e.g. nodes', ignoreStdin: true }),
    name: Args.string({ description: 'Resource name' }),
    label: Args.string({ description: 'key=value, or the key with --remove' }),
  }
  static override flags = {
    ...configFlag,
    namespace: Flags.string({ char: 'n', description: 'Namespace of the resource.' }),
    overwrite: Flags.boolean({ description: 'Overwrite the value when the key is already present in labels.' }),
    remove: Flags.boolean({ description: 'Remove the specified key from labels.' }),
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Label)
    this.applyGlobalFlags(flags)
    const args = argv as string[]
    // cobra's MinimumNArgs(3); extra arguments are ignored, as upstream.
    if (args.length < 3) throw new CommandError(`requires at least 3 arg(s), only received ${args.length}`)
    const line = await runLabel({
      kindArg: args[0],
      name: args[1],
      label: args[2],
      overwrite: flags.overwrite,
      remove: flags.remove,
      config: flags.config,
      namespace: flags.namespace,
      allowVersionMismatch: flags['allow-version-mismatch'],
    })
    this.finish({ stdout: [line] })
  }
}
