import { Flags } from '@oclif/core'
import { CalicoCommand } from '../../cli/base.js'
import { checkSystem } from '../../node/checksystem.js'
import { requireRoot } from '../../node/root.js'

export default class NodeChecksystem extends CalicoCommand {
  static override summary = 'Verify the compute host is able to run a Calico node instance'
  static override description = `Checks the kernel version, the kernel modules Calico needs (loaded, installed or built
in), a Calico CNI config in the CNI config directory and the CNI plugins it uses.
Exits 1 when something required is missing.

The directory flags let it inspect a host whose file systems are mounted elsewhere
(e.g. in a container).`
  static override flags = {
    'kernel-config': Flags.string({ char: 'f', description: 'Override the Kernel config file location.' }),
    'proc-dir': Flags.string({ default: '/proc', description: 'proc file system (kernel release, loaded modules)' }),
    'sys-dir': Flags.string({ default: '/sys', description: 'sys file system (loaded and built-in modules)' }),
    'modules-dir': Flags.string({ default: '/lib/modules', description: 'Kernel modules directory' }),
    'cni-bin-dir': Flags.string({ default: '/opt/cni/bin', description: 'CNI plugin binaries directory' }),
    'cni-conf-dir': Flags.string({ default: '/etc/cni/net.d', description: 'CNI network config directory' }),
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
        cni: { binDir: flags['cni-bin-dir'], confDir: flags['cni-conf-dir'] },
      }),
    )
  }
}
