import { Flags } from '../../cli/oclif-definitions.js'
import { CalicoCommand } from '../../cli/base.js'
import { checkSystem } from '../../node/checksystem.js'
import { requireRoot } from '../../node/root.js'

export default class NodeChecksystem extends CalicoCommand {
  static override summary = 'Verify the compute host is able to run a Calico node instance'
  static override description = `Checks the kernel version and the kernel modules Calico needs (loaded, installed or
built in), as upstream calicoctl does, and exits 1 when one is missing. It also checks for a
Calico CNI config in the CNI config directory and the CNI plugins it uses, and reports them
after the kernel checks; a failed CNI check fails the command only with --require-cni (an
etcd host without Kubernetes has no CNI config).

The directory flags let it inspect a host whose file systems are mounted elsewhere
(e.g. in a container).`
  static override flags = {
    'kernel-config': Flags.string({ char: 'f', description: 'Override the Kernel config file location.' }),
    'proc-dir': Flags.string({ default: '/proc', description: 'proc file system (kernel release, loaded modules)' }),
    'sys-dir': Flags.string({ default: '/sys', description: 'sys file system (loaded and built-in modules)' }),
    'modules-dir': Flags.string({ default: '/lib/modules', description: 'Kernel modules directory' }),
    'cni-bin-dir': Flags.string({ default: '/opt/cni/bin', description: 'CNI plugin binaries directory' }),
    'cni-conf-dir': Flags.string({ default: '/etc/cni/net.d', description: 'CNI network config directory' }),
    'require-cni': Flags.boolean({ description: 'Fail when the Calico CNI config or a CNI plugin it needs is missing, as for a missing kernel module' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(NodeChecksystem)
    this.applyGlobalFlags(flags)
    requireRoot()
    this.finish(
      checkSystem({
        procDir: flags['proc-dir'],
        sysDir: flags['sys-dir'],
        modulesDir: flags['modules-dir'],
        kernelConfig: flags['kernel-config'],
        env: flags['proc-dir'] === '/proc' ? process.env : undefined,
        cni: { binDir: flags['cni-bin-dir'], confDir: flags['cni-conf-dir'] },
        requireCni: flags['require-cni'],
      }),
    )
  }
}
