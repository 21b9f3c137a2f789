import { Args, Flags } from '@oclif/core'
import { CalicoCommand, readStdin } from '../cli/base.js'
import { fileFlags } from '../cli/flags.js'
import { runGet } from '../crud/get.js'

export default class Get extends CalicoCommand {
  static override summary = 'Get a resource identified by file, directory, stdin or resource type and name.'
  static override usage = 'get ( -f FILE | KIND [NAME...] ) [flags]'
  static override strict = false
  static override args = { kind: Args.string({ description: 'Resource type, e.g. ippool, bgppeer, node', ignoreStdin: true }) }
  static override flags = {
    ...fileFlags,
    output: Flags.string({ char: 'o', default: 'ps', description: 'Output format: ps, wide, yaml, json, custom-columns=A,B' }),
    'all-namespaces': Flags.boolean({ char: 'A', charAliases: ['a'], description: 'List the requested object(s) across all namespaces' }),
    export: Flags.boolean({ description: 'Strip cluster-specific metadata when getting named resources' }),
  }

  async run(): Promise<void> {
    const { args, argv, flags } = await this.parse(Get)
    this.applyGlobalFlags(flags)
    const result = await runGet({
      filename: flags.filename,
      recursive: flags.recursive,
      skipEmpty: flags['skip-empty'],
      config: flags.config,
      namespace: flags.namespace,
      allNamespaces: flags['all-namespaces'],
      allowVersionMismatch: flags['allow-version-mismatch'],
      output: flags.output,
      export: flags.export,
      kindArg: args.kind,
      names: (argv as string[]).slice(1),
      stdin: readStdin,
    })
    this.finish({ stdout: result.stdout, error: result.error })
  }
}
