import { Args, Flags } from '@oclif/core'
import { CalicoCommand } from '../cli/base.js'
import { configFlag } from '../cli/flags.js'
import { runPatch } from '../crud/patch.js'
import { CommandError } from '../errors.js'

export default class Patch extends CalicoCommand {
  static override summary = 'Patch a pre-existing resource in place.'
  static override usage = "patch KIND NAME --patch '<json>' [flags]"
  static override examples = [
    `# Partially update a node using a strategic merge patch.\ncalicoctl patch node node-0 --patch '{"spec":{"bgp": {"routeReflectorClusterID": "CLUSTER_ID"}}}'`,
    `# Switch off the BGP full mesh.\ncalicoctl patch bgpconfiguration default --patch '{"spec": {"nodeToNodeMeshEnabled": false}}'`,
  ]
  static override strict = false
  static override args = {
    kind: Args.string({ description: 'Resource type, e.g. node', ignoreStdin: true }),
    name: Args.string({ description: 'Resource name' }),
  }
  static override flags = {
    ...configFlag,
    patch: Flags.string({ char: 'p', default: '', description: 'Spec to use to patch the resource.' }),
    type: Flags.string({ char: 't', default: 'strategic', description: 'Format of patch type: strategic (the only one upstream implements; other values are ignored)' }),
    namespace: Flags.string({ char: 'n', description: 'Namespace of the resource.' }),
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Patch)
    this.applyGlobalFlags(flags)
    const args = argv as string[]
    // cobra's ExactArgs(2).
    if (args.length !== 2) throw new CommandError(`accepts 2 arg(s), received ${args.length}`)
    const line = await runPatch({
      kindArg: args[0],
      name: args[1],
      patch: flags.patch,
      config: flags.config,
      namespace: flags.namespace,
      allowVersionMismatch: flags['allow-version-mismatch'],
    })
    this.finish({ stdout: [line] })
  }
}
