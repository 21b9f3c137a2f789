import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadCommandTree } from '../../src/cli/root.js'
import type { CommandNode } from '../../src/cli/tree.js'
import { repoRoot, runCli, writeTempFile } from './helpers.js'
import { DEFAULT_CONFIG_PATH } from '../../src/datastore/config.js'

const onPath = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0

const CLIENT_LINES = 'Client Version:    v3.31.0\nGit commit:        calicoctl-ts-0.1.0\n'

const GLOBAL_FLAGS = `Global Flags:
      --allow-version-mismatch   Allow client and cluster versions mismatch
      --context string           The name of the kubeconfig context to use
  -l, --log-level string         Set the log level (panic, fatal, error, warn, info, debug) (default "panic")
`

/** Behaviour of the CLI itself, no datastore: flags, help, exit codes, offline commands. */
describe('calicoctl command line', () => {
  it('prints the root usage, with the root flags, for no arguments and for -h or --help anywhere among root flags', async () => {
    for (const args of [[], ['-h'], ['--help'], ['--allow-version-mismatch', '-h'], ['-l', 'debug', '--help'], ['help']]) {
      const r = await runCli(args)
      expect({ code: r.code, stderr: r.stderr }, args.join(' ')).toEqual({ code: 0, stderr: '' })
      expect(r.stdout).toMatch(/^calicoctl manages Calico[^]*\n\nUsage:\n {2}calicoctl \[command\]\n\nAvailable Commands:\n/)
      expect(r.stdout).toContain(`
  get         Get a resource by file, directory, stdin, or type and name
  help        Help about any command
  ipam        IP address management
`)
      expect(r.stdout).toContain(`
Flags:
      --allow-version-mismatch   Allow client and cluster versions mismatch
      --context string           The name of the kubeconfig context to use
  -h, --help                     help for calicoctl
  -l, --log-level string         Set the log level (panic, fatal, error, warn, info, debug) (default "panic")

Use "calicoctl [command] --help" for more information about a command.
`)
    }
  })

  it("prints a command's help in cobra's layout for -h, --help (before or after its arguments) and help COMMAND", async () => {
    const expected = `Print resources: every resource of a type, the ones named after the type, or the
ones described in a file. Tables by default (-o wide for more columns), YAML or JSON
that apply and replace accept back, or text from a Go template (-o go-template=...).

Usage:
  calicoctl get [KIND [NAME...]] [flags]

Examples:
  # List the IP pools.
  calicoctl get ippools

  # Print two network policies of a namespace as YAML.
  calicoctl get networkpolicy allow-dns deny-all -n prod -o yaml

  # Print each pool's CIDR, comma-separated.
  calicoctl get ippools -o go-template='{{range .}}{{range .Items}}{{.Spec.CIDR}},{{end}}{{end}}'

Flags:
  -A, --all-namespaces     List the requested object(s) across all namespaces.
  -c, --config string      Path to the file containing connection configuration in YAML or JSON format. (default "/etc/calico/calicoctl.cfg")
      --export             Strip cluster-specific information from the output.
  -f, --filename string    Filename to use to create/apply/replace/delete the resource. Use '-' for stdin.
  -h, --help               help for get
  -n, --namespace string   Namespace of the resource.
  -o, --output string      Output format: yaml, json, ps, wide, custom-columns=..., go-template=..., go-template-file=... (default "ps")
  -R, --recursive          Process the filename specified in -f recursively.
      --skip-empty         Do not error if files contain no data.

${GLOBAL_FLAGS}`
    for (const args of [['get', '-h'], ['get', 'ippool', '--help'], ['-l', 'info', 'get', '-h'], ['help', 'get']]) {
      expect(await runCli(args), args.join(' ')).toEqual({ code: 0, stdout: expected, stderr: '' })
    }
  })

  it('explains grouping commands, also when given words they do not know', async () => {
    for (const args of [['ipam'], ['ipam', 'junk'], ['ipam', '-h'], ['help', 'ipam']]) {
      const r = await runCli(args)
      expect({ code: r.code, stderr: r.stderr }, args.join(' ')).toEqual({ code: 0, stderr: '' })
      expect(r.stdout).toContain(`Usage:
  calicoctl ipam [command]

Available Commands:
  check       Check the integrity of the IPAM datastructures
  configure   Configure IPAM
  release     Release a Calico assigned IP address
  show        Show details of a Calico assigned IP address or overall IP usage
  split       Split an IP pool into the specified number of smaller IP pools

Flags:
  -h, --help   help for ipam

${GLOBAL_FLAGS}
Use "calicoctl ipam [command] --help" for more information about a command.
`)
    }
    const migrate = await runCli(['datastore', 'migrate'])
    expect(migrate.stdout).toContain('\nUsage:\n  calicoctl datastore migrate [command]\n\nAvailable Commands:\n  export      Export the contents of the etcdv3 datastore to yaml\n  import      Store and convert yaml of resources into the Kubernetes datastore\n  lock        Lock the datastore to prevent changes during migration\n')
  })

  it('has a short text for every command and group of the built command tree, as cobra lists them', () => {
    const missing: string[] = []
    const walk = (node: CommandNode): void => {
      if (!node.short) missing.push(node.id)
      node.children.forEach(walk)
    }
    walk(loadCommandTree(repoRoot, 'calicoctl'))
    expect(missing).toEqual([])
  })

  it('says what it does not know about a help topic, on stderr with the root usage, exit 0', async () => {
    const r = await runCli(['help', 'nodes'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^Unknown help topic \[`nodes`\]\nUsage:\n {2}calicoctl \[command\]\n/)
  })

  it('runs a command with root flags before, between and after its words, at any depth', async () => {
    const missing = { code: 1, stdout: 'Error reading config file: /nonexistent.cfg\n', stderr: '' }
    for (const args of [
      ['--allow-version-mismatch', 'datastore', 'migrate', 'lock', '-c', '/nonexistent.cfg'],
      ['datastore', '--allow-version-mismatch', 'migrate', '-c', '/nonexistent.cfg', 'lock'],
      ['-l', 'warn', '--context=prod', 'datastore', 'migrate', 'unlock', '--config=/nonexistent.cfg'],
      ['ipam', '-lpanic', 'show', '-c/nonexistent.cfg'],
    ]) {
      expect(await runCli(args), args.join(' ')).toEqual(missing)
    }
    for (const args of [['-l', 'info', 'version', '--client'], ['version', '--client', '--log-level=info'], ['--allow-version-mismatch', 'version', '--client'], ['version', '-l=info', '--client=true']]) {
      expect(await runCli(args), args.join(' ')).toEqual({ code: 0, stdout: CLIENT_LINES, stderr: '' })
    }
  })

  it.each([
    [['get', 'ippool', '--unknown-flag'], 'unknown flag: --unknown-flag\n'],
    [['get', 'ippool', '-m'], "unknown shorthand flag: 'm' in -m\n"],
    [['--allow-version-mismatch', '-m'], "unknown shorthand flag: 'm' in -m\n"],
    [['get', '-Am', 'ippool'], "unknown shorthand flag: 'm' in -m\n"],
    [['ipam', '--x'], 'unknown flag: --x\n'],
    [['foo'], 'unknown command "foo" for "calicoctl"\n'],
    // As cobra would with our command tree: `bgp` (ours, not upstream's) is as near to "ge" as `get`.
    [['ge', 'ippool'], 'unknown command "ge" for "calicoctl"\n\nDid you mean this?\n\tbgp\n\tget\n\n'],
    [['-l'], "flag needs an argument: 'l' in -l\n"],
    [['get', 'ippool', '--context'], 'flag needs an argument: --context\n'],
    [['version', '--allow-version-mismatch=maybe'], 'invalid argument "maybe" for "--allow-version-mismatch" flag: strconv.ParseBool: parsing "maybe": invalid syntax\n'],
    [['get', '-R=1x', 'ippool'], 'invalid argument "1x" for "-R, --recursive" flag: strconv.ParseBool: parsing "1x": invalid syntax\n'],
    [['ipam', 'configure', '--ip-cooldown-seconds=soon'], 'invalid argument "soon" for "--ip-cooldown-seconds" flag: strconv.ParseInt: parsing "soon": invalid syntax\n'],
    [['patch', 'ippool'], 'accepts 2 arg(s), received 1\n'],
    [['label', 'node', 'rr01'], 'requires at least 3 arg(s), only received 2\n'],
    [['completion', 'bash', 'now'], 'unknown command "now" for "calicoctl completion bash"\n'],
    [['-l', 'bogus', 'version', '--client'], 'unknown log level: bogus, expected one of: panic, fatal, error, warn, info, debug\n'],
    [['version', '--poll', 'often'], 'invalid poll duration specified: often\n'],
    [['apply'], 'required flag(s) "filename" not set\n'],
    [['get', 'ippool', '-n', 'kube-system'], 'IPPool is not namespaced\n'],
    [['get', 'ippool', '-a'], 'IPPool is not namespaced\n'],
    [['get', 'ippool', '-o', 'table'], "unrecognized output format 'table'\n"],
    [['get', 'ippool', '-o', 'custom-columns='], 'need to specify at least one column\n'],
    [['get', 'somekind'], "failed to get resources: resource type 'somekind' is not supported\n"],
    [['get', 'somekind', 'thing'], "failed to get resources: resource type 'somekind' is not supported\n"],
    [['delete', 'somekind', 'thing'], "resource type 'somekind' is not supported\n"],
    [['delete', 'networkpolicy'], 'no resources specified\n'],
  ])('%j fails with upstream wording and exit 1', async (args, stderr) => {
    expect(await runCli(args)).toEqual({ code: 1, stdout: '', stderr })
  })

  it('reports a missing -c file on stdout like upstream', async () => {
    expect(await runCli(['get', 'ippool', '-c', '/nonexistent/calicoctl.cfg'])).toEqual({ code: 1, stdout: 'Error reading config file: /nonexistent/calicoctl.cfg\n', stderr: '' })
  })

  it('reads the configuration before the input', async () => {
    const broken = writeTempFile('broken.yaml', 'kind: [\n')
    expect(await runCli(['create', '-f', broken, '-c', '/nonexistent.cfg'])).toEqual({ code: 1, stdout: 'Error reading config file: /nonexistent.cfg\n', stderr: '' })
  })

  it('prints the client version before it fails on the cluster: a missing -c file, a bad one, an unreachable datastore', async () => {
    expect(await runCli(['version', '-c', '/nonexistent.cfg'])).toEqual({ code: 1, stdout: `${CLIENT_LINES}Error reading config file: /nonexistent.cfg\n`, stderr: '' })
    const v2 = writeTempFile('v2.cfg', 'apiVersion: projectcalico.org/v2\nkind: CalicoAPIConfig\nspec: {}\n')
    expect(await runCli(['version', '-c', v2])).toEqual({
      code: 1,
      stdout: CLIENT_LINES,
      stderr: `syntax error in ${v2}: invalid config file: unknown APIVersion 'projectcalico.org/v2'\n`,
    })
    const unreachable = await runCli(['version'], { env: { DATASTORE_TYPE: 'etcdv3', ETCD_ENDPOINTS: 'http://127.0.0.1:1' } })
    expect(unreachable.code).toBe(1)
    expect(unreachable.stdout).toBe(CLIENT_LINES)
    expect(unreachable.stderr).toMatch(/^unable to retrieve Cluster Version or Type: /)
  })

  it('reports empty input and empty names as the command error', async () => {
    const empty = writeTempFile('only-comments.yaml', '# nothing\n')
    expect(await runCli(['delete', '-f', empty])).toEqual({ code: 1, stdout: '', stderr: `no resources specified in file ${empty}\n` })
    expect(await runCli(['get', '-f', empty])).toEqual({ code: 1, stdout: '', stderr: `failed to get resources: no resources specified in file ${empty}\n` })
    expect(await runCli(['get', 'ippool', ''])).toEqual({ code: 1, stdout: '', stderr: 'failed to get resources: resource name may not be empty\n' })
  })

  // Environment mode applies only when the default /etc/calico/calicoctl.cfg does not exist (as upstream).
  it.skipIf(existsSync(DEFAULT_CONFIG_PATH))('says it cannot detect the cluster version without a datastore, exit 0', async () => {
    const r = await runCli(['version'], { env: { DATASTORE_TYPE: 'etcdv3' } })
    expect(r).toEqual({ code: 0, stdout: `${CLIENT_LINES}Unable to detect installed Calico version\n`, stderr: '' })
  })

  it('validates offline, counting resources per kind', async () => {
    const file = writeTempFile(
      'mixed.yaml',
      'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\nspec:\n  cidr: 10.0.0.0/24\n---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: b\nspec:\n  peerIP: 10.0.0.1\n  asNumber: 64512\n',
    )
    expect(await runCli(['validate', '-f', file])).toEqual({ code: 0, stdout: 'Successfully validated 2 resource(s)\n', stderr: '' })
    const bad = await runCli(['validate', '-f', '-'], { stdin: 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\nspec:\n  cidr: 10.0.0.1/24\n' })
    expect(bad).toEqual({
      code: 1,
      stdout: '',
      // validate runs the validator alone: its tag, validateIPPoolSpec and the CRD rule on the CIDR as
      // written, not the client's check of its canonical form.
      stderr:
        "failed to validate 'IPPool' resource: [error with the following fields:\n" +
        "-  CIDR = '10.0.0.1/24' (Reason: failed to validate Field: CIDR because of Tag: net )\n" +
        "-  IPpool.CIDR = '10.0.0.1/24' (IP pool CIDR is not strictly masked)\n" +
        '-  spec (IPPool CIDR must be strictly masked)\n' +
        ']\n  at stdin: document 1, line 6 (spec.cidr)\n',
    })

  })

  it('accepts a boolean label like upstream, quietly, and says how it is stored at -l warn', async () => {
    const node = 'apiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: rr01\n  labels:\n    i-am-a-route-reflector: true\nspec:\n  bgp:\n    ipv4Address: 192.168.2.1/24\n    routeReflectorClusterID: 224.0.0.1\n'
    expect(await runCli(['validate', '-f', '-'], { stdin: node })).toEqual({ code: 0, stdout: "Successfully validated 1 'Node' resource(s)\n", stderr: '' })
    const warned = await runCli(['validate', '-f', '-', '-l', 'warn'], { stdin: node })
    expect(warned.stderr).toMatch(
      /^time="[^"]+" level=warning msg="stdin: document 1, line 6 \(metadata.labels.i-am-a-route-reflector\): true is stored as the string \\"true\\" \(quote it to say so\)"\n$/,
    )
  })

  it('skips empty input with --skip-empty', async () => {
    const empty = writeTempFile('empty.yaml', '# nothing here\n')
    expect(await runCli(['validate', '-f', empty, '--skip-empty'])).toEqual({ code: 0, stdout: 'No resources specified\n', stderr: '' })
    expect(await runCli(['validate', '-f', empty])).toEqual({ code: 1, stdout: '', stderr: `no resources specified in file ${empty}\n` })
  })
})

/** The scripts of `calicoctl completion`, and the `__complete` requests they make. */
describe('shell completion', () => {
  // The scripts run `calicoctl` from PATH: a directory where it is the built binary.
  const bin = mkdtempSync(join(tmpdir(), 'calicoctl-bin-'))
  symlinkSync(join(repoRoot, 'bin/run.js'), join(bin, 'calicoctl'))
  afterAll(() => rmSync(bin, { recursive: true, force: true }))
  const env = { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: bin }

  /** What a sourced bash script offers when tab is pressed at the end of line (type 63: listing the choices). */
  function bashComplete(line: string, compType = 9): string[] {
    const script = `source <(calicoctl completion bash)
COMP_LINE=$1; COMP_POINT=\${#COMP_LINE}; COMP_TYPE=$2
read -r -a COMP_WORDS <<<"$COMP_LINE"; [[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
__start_calicoctl
printf '%s\\n' "\${COMPREPLY[@]}"`
    const out = execFileSync('bash', ['-c', script, 'bash', line, String(compType)], { env, encoding: 'utf8' })
    return out.split('\n').filter((l) => l !== '')
  }

  it('completes commands, subcommands, flags, flag values and resource kinds in bash', () => {
    expect(bashComplete('calicoctl ge')).toEqual(['get'])
    expect(bashComplete('calicoctl -l debug datastore migrate ')).toEqual(['export', 'import', 'lock', 'unlock'])
    expect(bashComplete('calicoctl get --al')).toEqual(['--allow-version-mismatch', '--all-namespaces'])
    expect(bashComplete('calicoctl get ippo')).toEqual(['ippool'])
    expect(bashComplete('calicoctl label hostend')).toEqual(['hostendpoint'])
    expect(bashComplete('calicoctl node status --output=j')).toEqual(['json'])
    expect(bashComplete('calicoctl help ipam s')).toEqual(['show', 'split'])
    expect(bashComplete('calicoctl get ippool ')).toEqual([])
  })

  it('shows descriptions in bash when it lists several choices', () => {
    expect(bashComplete('calicoctl ipam ', 63)).toEqual([
      'check      (Check the integrity of the IPAM datastructures)',
      'configure  (Configure IPAM)',
      'release    (Release a Calico assigned IP address)',
      'show       (Show details of a Calico assigned IP address or overall IP usage)',
      'split      (Split an IP pool into the specified number of smaller IP pools)',
    ])
  })

  it('answers completion requests as cobra does: candidates, then the directive', async () => {
    expect(await runCli(['__complete', 'datastore', 'migrate', 'l'])).toEqual({
      code: 0,
      stdout: 'lock\tLock the datastore to prevent changes during migration\n:4\n',
      stderr: 'Completion ended with directive: ShellCompDirectiveNoFileComp\n',
    })
    expect(await runCli(['__completeNoDesc', 'datastore', 'migrate', 'l'])).toEqual({
      code: 0,
      stdout: 'lock\n:4\n',
      stderr: 'Completion ended with directive: ShellCompDirectiveNoFileComp\n',
    })
    expect(await runCli(['__complete', 'get', '-f', ''])).toEqual({ code: 0, stdout: ':0\n', stderr: 'Completion ended with directive: ShellCompDirectiveDefault\n' })
  })

  it.skipIf(!onPath('fish'))('completes in fish', () => {
    const complete = (line: string) => execFileSync('fish', ['-c', `calicoctl completion fish | source; complete -C '${line}'`], { env, encoding: 'utf8' })
    expect(complete('calicoctl -l info datastore migrate ')).toBe('export\tExport the contents of the etcdv3 datastore to yaml\nimport\tStore and convert yaml of resources into the Kubernetes datastore\nlock\tLock the datastore to prevent changes during migration\nunlock\tUnlock the datastore to allow changes after migration\n')
    expect(complete('calicoctl get --output')).toBe('--output\tOutput format: yaml, json, ps, wide, custom-columns=..., go-template=..., go-template-file=...\n')
    expect(complete('calicoctl node status --output=y')).toBe('--output=yaml\n')
  })

  it('names itself kubectl-calico when run as a kubectl plugin', () => {
    symlinkSync(join(repoRoot, 'bin/run.js'), join(bin, 'kubectl-calico'))
    const r = spawnSync('kubectl-calico', ['foo'], { env, encoding: 'utf8' })
    expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 1, stdout: '', stderr: 'unknown command "foo" for "kubectl-calico"\n' })
  })

  it('prints a script for every shell that asks calicoctl for its candidates', async () => {
    for (const shell of ['bash', 'zsh', 'fish', 'powershell']) {
      const r = await runCli(['completion', shell])
      expect(r.code, shell).toBe(0)
      expect(r.stdout, shell).toMatch(/\b__complete\b/)
      expect(r.stdout, shell).not.toContain('__completeNoDesc')
      expect((await runCli(['completion', shell, '--no-descriptions'])).stdout, shell).toMatch(/\b__completeNoDesc\b/)
    }
  })
})
