import { tmpdir } from 'node:os'
import { Flags } from '../../cli/oclif-definitions.js'
import { CalicoCommand } from '../../cli/base.js'
import { configFlag } from '../../cli/flags.js'
import { parseIntFlag } from '../../ipam/go-parse.js'

export default class ClusterDiags extends CalicoCommand {
  static override summary = 'Collect snapshot of diagnostic info and logs related to Calico at the cluster-level'
  static override description = `Gather the cluster's Calico state into a .tar.gz in the current directory: Calico and
Kubernetes resources, the logs and descriptions of the pods in the Calico namespaces,
each calico-node's dataplane (through kubectl exec) and the Calico TLS secrets with all
but their certificates censored. Needs kubectl on PATH, which uses your own kubeconfig
(KUBECONFIG or ~/.kube/config); -c only configures calicoctl's own datastore access.`
  static override examples = ['calicoctl cluster diags']
  static override flags = {
    ...configFlag,
    since: Flags.string({ default: '', description: 'Only collect logs newer than provided relative duration (e.g. 30m, 2h).' }),
    // Int flags upstream: help shows them as such and the command line is checked for a Go integer.
    'max-logs': Flags.string({ default: '5', helpValue: 'int', description: 'Only collect up to this number of logs, for each kind of Calico component.' }),
    'max-parallelism': Flags.string({ default: '10', helpValue: 'int', description: 'Maximum number of parallel threads to use for collecting logs.' }),
    'focus-nodes': Flags.string({ default: '', description: 'Comma-separated list of nodes from which to try first to collect logs.' }),
    'skip-temp-dir-cleanup': Flags.boolean({ description: "Don't clean up the temporary directory." }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(ClusterDiags)
    this.applyGlobalFlags(flags)
    const { clusterDiags } = await import('../../cluster/diags.js')
    await clusterDiags({
      config: flags.config,
      since: flags.since,
      maxLogs: parseIntFlag('max-logs', flags['max-logs']),
      maxParallelism: parseIntFlag('max-parallelism', flags['max-parallelism']),
      focusNodes: flags['focus-nodes'],
      skipTempDirCleanup: flags['skip-temp-dir-cleanup'],
      env: process.env,
      tmpBase: tmpdir(),
      now: new Date(),
      print: (line) => process.stdout.write(`${line}\n`),
    })
  }
}
