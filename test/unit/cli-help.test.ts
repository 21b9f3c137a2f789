import { describe, expect, it } from 'vitest'
import { findCommand } from '../../src/cli/argv.js'
import { renderHelp, renderUsage } from '../../src/cli/help.js'
import type { CommandNode } from '../../src/cli/tree.js'
import { fixtureTree } from './cli-fixture.js'

const root = fixtureTree()

function node(...words: string[]): CommandNode {
  const found = findCommand(root, words)
  if ('error' in found) throw new Error(found.error)
  return found.command
}

const GLOBAL_FLAGS = `Global Flags:
      --allow-version-mismatch   Allow client and cluster versions mismatch
      --context string           The name of the kubeconfig context to use
  -l, --log-level string         Set the log level (panic, fatal, error, warn, info, debug) (default "panic")
`

describe("help in the layout of cobra's templates", () => {
  it('lists the root commands, without hidden ones, and the root flags', () => {
    expect(renderHelp(root)).toBe(`The root, at length.

Usage:
  calicoctl [command]

Available Commands:
  completion  Generate the autocompletion script for the specified shell
  datastore   Calico datastore management
  get         Get a resource by file, directory, stdin, or type and name
  help        Help about any command
  ipam        IP address management
  label       Add or update labels of resources
  node        Calico node management
  patch       Patch a pre-existing resource in place
  version     Display the version of this binary

Flags:
      --allow-version-mismatch   Allow client and cluster versions mismatch
      --context string           The name of the kubeconfig context to use
  -h, --help                     help for calicoctl
  -l, --log-level string         Set the log level (panic, fatal, error, warn, info, debug) (default "panic")

Use "calicoctl [command] --help" for more information about a command.
`)
  })

  it('shows a command with its use line, sorted local flags (hidden shorthands left out) and the global ones', () => {
    expect(renderHelp(node('get'))).toBe(`Get a resource by file, directory, stdin, or type and name

Usage:
  calicoctl get [KIND [NAME...]] [flags]

Flags:
  -A, --all-namespaces     List the requested object(s) across all namespaces.
  -c, --config string      Path to the file containing connection configuration in YAML or JSON format. (default "/etc/calico/calicoctl.cfg")
  -f, --filename string    Filename to use to create/apply/replace/delete the resource. Use '-' for stdin.
  -h, --help               help for get
  -n, --namespace string   Namespace of the resource.
  -o, --output string      Output format: yaml, json, ps, wide (default "ps")

${GLOBAL_FLAGS}`)
  })

  it('shows an int flag with its type and an unquoted default', () => {
    expect(renderUsage(node('ipam', 'configure'))).toContain(
      '      --ip-cooldown-seconds int   Set the minimum time between release and re-allocation of an IP address. (default -1)\n',
    )
  })

  it('gives a grouping command its subcommands and the hint to their help', () => {
    expect(renderHelp(node('ipam'))).toBe(`All about addresses.

Usage:
  calicoctl ipam [command]

Available Commands:
  configure   Configure IPAM
  show        Show details of a Calico assigned IP address or overall IP usage

Flags:
  -h, --help   help for ipam

${GLOBAL_FLAGS}
Use "calicoctl ipam [command] --help" for more information about a command.
`)
  })

  it('leaves [flags] out of a use line that disables it, and prints examples indented', () => {
    expect(renderUsage(node('completion', 'bash'))).toMatch(/^Usage:\n {2}calicoctl completion bash\n\nFlags:\n/)
    const get = { ...node('get'), examples: ['# List pools.\ncalicoctl get ippools', 'calicoctl get nodes'] }
    expect(renderUsage(get)).toContain('Examples:\n  # List pools.\n  calicoctl get ippools\n\n  calicoctl get nodes\n\nFlags:\n')
  })
})
