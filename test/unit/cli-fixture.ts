/**
 * A command tree shaped like calicoctl's, as oclif's manifest and package.json describe it,
 * for tests of the command line layer without a build.
 */
import { buildTree, type CommandNode, type ManifestCommand, type ManifestFlag } from '../../src/cli/tree.js'

const option = (name: string, fields: Partial<ManifestFlag> = {}): ManifestFlag => ({ name, type: 'option', ...fields })
const bool = (name: string, fields: Partial<ManifestFlag> = {}): ManifestFlag => ({ name, type: 'boolean', ...fields })

const rootFlags = [
  option('log-level', { char: 'l', default: 'panic', helpGroup: 'GLOBAL', description: 'Set the log level (panic, fatal, error, warn, info, debug)' }),
  option('context', { helpGroup: 'GLOBAL', description: 'The name of the kubeconfig context to use' }),
  bool('allow-version-mismatch', { helpGroup: 'GLOBAL', description: 'Allow client and cluster versions mismatch' }),
]
const config = option('config', { char: 'c', default: '/etc/calico/calicoctl.cfg', description: 'Path to the file containing connection configuration in YAML or JSON format.' })

function command(id: string, flags: ManifestFlag[], fields: Partial<ManifestCommand> = {}): [string, ManifestCommand] {
  return [id, { id, flags: Object.fromEntries([...rootFlags, ...flags].map((f) => [f.name, f])), ...fields }]
}

export function fixtureTree(): CommandNode {
  const commands = Object.fromEntries([
    command(
      'get',
      [
        option('filename', { char: 'f', description: "Filename to use to create/apply/replace/delete the resource. Use '-' for stdin." }),
        config,
        option('namespace', { char: 'n', description: 'Namespace of the resource.' }),
        option('output', { char: 'o', default: 'ps', description: 'Output format: yaml, json, ps, wide' }),
        bool('all-namespaces', { char: 'A', charAliases: ['a'], description: 'List the requested object(s) across all namespaces.' }),
      ],
      { summary: 'Get a resource by file, directory, stdin, or type and name', usage: 'get [KIND [NAME...]]', args: { kind: {} } },
    ),
    command('patch', [config, option('patch', { char: 'p', default: '' })], { summary: 'Patch a pre-existing resource in place', usage: 'patch KIND NAME', argCount: { exact: 2 }, args: { kind: {}, name: {} } }),
    command('label', [config], { summary: 'Add or update labels of resources', argCount: { min: 3 }, args: { kind: {}, name: {}, label: {} } }),
    command('version', [option('config', { char: 'c', default: '' }), bool('client')], { summary: 'Display the version of this binary' }),
    command('help', [], { summary: 'Help about any command', usage: 'help [command]' }),
    command('ipam:show', [config, option('ip')], { summary: 'Show details of a Calico assigned IP address or overall IP usage' }),
    command('ipam:configure', [config, option('ip-cooldown-seconds', { default: '-1', helpValue: 'int', description: 'Set the minimum time between release and re-allocation of an IP address.' })], { summary: 'Configure IPAM' }),
    command('node:status', [option('output', { char: 'o', options: ['json', 'yaml'] })], { summary: 'View the current status of a Calico node' }),
    command('datastore:migrate:lock', [config], { summary: 'Lock the datastore to prevent changes during migration' }),
    command('datastore:migrate:unlock', [config], { summary: 'Unlock the datastore to allow changes after migration' }),
    command('completion:bash', [bool('no-descriptions', { description: 'disable completion descriptions' })], {
      summary: 'Generate the autocompletion script for bash',
      argCount: 'none',
      disableFlagsInUseLine: true,
    }),
    command('completion:zsh', [bool('no-descriptions', { description: 'disable completion descriptions' })], { summary: 'Generate the autocompletion script for zsh', argCount: 'none' }),
    command('__complete', [], { hidden: true, aliases: ['__completeNoDesc'], rawArgs: true, argCount: { min: 1 }, summary: 'Request shell completion choices for the specified command-line' }),
  ])
  return buildTree({
    commands,
    topics: {
      ipam: { description: 'IP address management', long: 'All about addresses.' },
      node: { description: 'Calico node management' },
      datastore: { description: 'Calico datastore management' },
      'datastore:migrate': { description: 'Migrate the contents of an etcdv3 datastore to a Kubernetes datastore' },
      completion: { description: 'Generate the autocompletion script for the specified shell' },
    },
    root: { name: 'calicoctl', short: 'Calico CLI tool for managing Calico resources', long: 'The root, at length.' },
  })
}
