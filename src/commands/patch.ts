import { Args, Flags } from '../cli/oclif-definitions.js'
import { CalicoCommand } from '../cli/base.js'
import { configFlag } from '../cli/flags.js'
import { runPatch } from '../crud/patch.js'
import type { ArgCount } from '../cli/tree.js'

export default class Patch extends CalicoCommand {
  static override summary = 'Patch a pre-existing resource in place'
  static override description = `Change some fields of one existing resource in place: --patch gives them as JSON,
merged into the stored resource. Unlike replace, the whole resource need not be written out.`
  static override usage = 'patch KIND NAME'
  static override examples = [
    `# Partially update a node using a strategic merge patch.\ncalicoctl patch node node-0 --patch '{"spec":{"bgp": {"routeReflectorClusterID": "CLUSTER_ID"}}}'`,
    `# Switch off the BGP full mesh.\ncalicoctl patch bgpconfiguration default --patch '{"spec": {"nodeToNodeMeshEnabled": false}}'`,
  ]
  static override strict = false
  static override argCount: ArgCount = { exact: 2 }
  static override args = {
    kind: Args.string({ description: 'Resource type, e.g. node', ignoreStdin: true }),
    name: Args.string({ description: 'Resource name' }),
  }
  static override flags = {
    ...configFlag,
    patch: Flags.string({ char: 'p', default: '', description: 'Spec to use to patch the resource.' }),
    type: Flags.string({ char: 't', default: 'strategic', description: 'Format of patch type: strategic, json, or merge.' }),
    namespace: Flags.string({ char: 'n', description: 'Namespace of the resource.' }),
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Patch)
    this.applyGlobalFlags(flags)
    const args = argv as string[]
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
