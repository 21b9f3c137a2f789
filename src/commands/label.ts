import { Args, Flags } from '../cli/oclif-definitions.js'
import { CalicoCommand } from '../cli/base.js'
import { configFlag } from '../cli/flags.js'
import { runLabel } from '../crud/label.js'
import type { ArgCount } from '../cli/tree.js'

export default class Label extends CalicoCommand {
  static override summary = 'Add or update labels of resources'
  static override description = `Set one label of an existing resource (key=value), or take it away (key with
--remove). A label the resource has already keeps its value unless --overwrite is given.`
  static override usage = 'label KIND NAME [key=value | key]'
  static override examples = [
    '# Mark a node as a route reflector.\ncalicoctl label node rr01 route-reflector=true',
    '# Move a workload set to another zone.\ncalicoctl label networkset build-agents zone=b -n ci --overwrite',
    '# Drop the label again.\ncalicoctl label node rr01 route-reflector --remove',
  ]
  static override strict = false
  static override argCount: ArgCount = { min: 3 }
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
    // Arguments after the label are ignored, as upstream does.
    const args = argv as string[]
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
