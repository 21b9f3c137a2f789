import { readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { buildTree, type CommandNode, type ManifestCommand, type Topic } from './tree.js'

const ROOT_SHORT = 'Calico CLI tool for managing Calico resources'
const ROOT_LONG = `calicoctl manages Calico: its network and security policy, the endpoints and IP
addresses of workloads and hosts, the datastore, and the Calico node on this host.`

/** The name help and errors use: upstream names itself after its binary, kubectl-calico as a kubectl plugin. */
export function programName(scriptPath: string | undefined): string {
  return basename(scriptPath ?? '').startsWith('kubectl-') ? 'kubectl-calico' : 'calicoctl'
}

/** The command tree of the installed package, from its oclif manifest and package.json topics. */
export function loadCommandTree(packageRoot: string, name: string): CommandNode {
  const read = (file: string) => JSON.parse(readFileSync(join(packageRoot, file), 'utf8'))
  const manifest = read('oclif.manifest.json') as { commands: Record<string, ManifestCommand> }
  const pjson = read('package.json') as { oclif: { topics?: Record<string, Topic> } }
  return buildTree({ commands: manifest.commands, topics: pjson.oclif.topics ?? {}, root: { name, short: ROOT_SHORT, long: ROOT_LONG } })
}
