import { Flags } from '../../cli/oclif-definitions.js'
import { CalicoCommand } from '../../cli/base.js'
import { configFlag } from '../../cli/flags.js'
import { runNode } from '../../node/run.js'

export default class NodeRun extends CalicoCommand {
  static override summary = 'Run the Calico node container image'
  static override description = `Start calico/node in a docker container on this host, pointed at the etcd datastore of
the client configuration, with the routing address, AS number and backend given here
(what is left out is autodetected by calico/node). --dryrun prints the docker command
instead of running it.`
  static override examples = ['calicoctl node run --ip autodetect --ip-autodetection-method can-reach=8.8.8.8']
  static override flags = {
    ip: Flags.string({ default: '', description: 'Set the local IPv4 routing address for this node.' }),
    ip6: Flags.string({ default: '', description: 'Set the local IPv6 routing address for this node.' }),
    as: Flags.string({ default: '', description: 'Set the AS number for this node.' }),
    name: Flags.string({ default: '', description: 'The name of the Calico node.' }),
    'ip-autodetection-method': Flags.string({ default: 'first-found', description: 'Specify the autodetection method for detecting the local IPv4 routing address.' }),
    'ip6-autodetection-method': Flags.string({ default: 'first-found', description: 'Specify the autodetection method for detecting the local IPv6 routing address.' }),
    'log-dir': Flags.string({ default: '/var/log/calico', description: 'The directory containing Calico logs.' }),
    'node-image': Flags.string({ default: 'quay.io/calico/node:latest', description: "Docker image to use for Calico's per-node container." }),
    backend: Flags.string({ default: 'bird', description: 'Specify which networking backend to use (bird|none).' }),
    dryrun: Flags.boolean({ description: 'Output the appropriate command, without starting the container.' }),
    'init-system': Flags.boolean({ description: 'Run the appropriate command to use with an init system.' }),
    'no-default-ippools': Flags.boolean({ description: 'Do not create default pools upon startup.' }),
    'felix-config': Flags.string({ default: '', description: 'Path to the file containing Felix configuration.' }),
    ...configFlag,
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(NodeRun)
    this.applyGlobalFlags(flags)
    await runNode({
      ip: flags.ip,
      ip6: flags.ip6,
      as: flags.as,
      name: flags.name,
      ipAutodetectionMethod: flags['ip-autodetection-method'],
      ip6AutodetectionMethod: flags['ip6-autodetection-method'],
      logDir: flags['log-dir'],
      nodeImage: flags['node-image'],
      backend: flags.backend,
      config: flags.config,
      felixConfig: flags['felix-config'],
      dryrun: flags.dryrun,
      initSystem: flags['init-system'],
      noDefaultIpPools: flags['no-default-ippools'],
      env: process.env,
      out: (text) => process.stdout.write(text),
    })
  }
}
