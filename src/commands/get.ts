import { Args, Flags } from '../cli/oclif-definitions.js'
import { CalicoCommand, readStdin } from '../cli/base.js'
import { fileFlags } from '../cli/flags.js'
import { runGet } from '../crud/get.js'

export default class Get extends CalicoCommand {
  static override summary = 'Get a resource by file, directory, stdin, or type and name'
  static override description = `Print resources: every resource of a type, the ones named after the type, or the
ones described in a file. Tables by default (-o wide for more columns), YAML or JSON
that apply and replace accept back, or text from a Go template (-o go-template=...).`
  static override examples = [
    '# List the IP pools.\ncalicoctl get ippools',
    '# Print two network policies of a namespace as YAML.\ncalicoctl get networkpolicy allow-dns deny-all -n prod -o yaml',
    "# Print each pool's CIDR, comma-separated.\ncalicoctl get ippools -o go-template='{{range .}}{{range .Items}}{{.Spec.CIDR}},{{end}}{{end}}'",
  ]
  static override usage = 'get [KIND [NAME...]]'
  static override strict = false
  static override args = { kind: Args.string({ description: 'Resource type, e.g. ippool, bgppeer, node', ignoreStdin: true }) }
  static override flags = {
    ...fileFlags,
    output: Flags.string({ char: 'o', default: 'ps', description: 'Output format: yaml, json, ps, wide, custom-columns=..., go-template=..., go-template-file=...' }),
    'all-namespaces': Flags.boolean({ char: 'A', charAliases: ['a'], description: 'List the requested object(s) across all namespaces.' }),
    export: Flags.boolean({ description: 'Strip cluster-specific information from the output.' }),
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
      write: (text) => process.stdout.write(text),
    })
    this.finish({ stdout: result.stdout, error: result.error })
  }
}
