import { Flags } from '../../cli/oclif-definitions.js'
import { CalicoCommand } from '../../cli/base.js'
import { configFlag } from '../../cli/flags.js'
import { runIpamCheck } from '../../ipam/check-run.js'

export default class IpamCheck extends CalicoCommand {
  static override summary = 'Check the integrity of the IPAM datastructures'
  static override description = `Compare every address the IPAM blocks record as allocated with what uses addresses
(node tunnel addresses, Calico load balancer Services, workload endpoints), look for
handles without addresses and addresses without handles, and check each block's own
structure. With -o, write a report that ipam release --from-report can act on.`
  static override examples = ['calicoctl ipam check --show-problem-ips -o report.json']
  static override flags = {
    ...configFlag,
    'show-all-ips': Flags.boolean({ description: 'Print all IPs that are checked.' }),
    'show-problem-ips': Flags.boolean({ description: 'Print all IPs that are leaked or not allocated properly.' }),
    output: Flags.string({ char: 'o', description: 'Path to output report file.' }),
    kubeconfig: Flags.string({ description: 'Path to Kubeconfig file.' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(IpamCheck)
    this.applyGlobalFlags(flags)
    await runIpamCheck({
      config: flags.config,
      showAllIps: flags['show-all-ips'],
      showProblemIps: flags['show-problem-ips'],
      output: flags.output,
      kubeconfig: flags.kubeconfig,
      allowVersionMismatch: flags['allow-version-mismatch'],
    })
  }
}
