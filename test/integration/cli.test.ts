import { describe, expect, it } from 'vitest'
import { runCli, writeTempFile } from './helpers.js'

/** Behaviour of the CLI itself, no datastore: flags, help, exit codes, offline commands. */
describe('calicoctl command line', () => {
  it('prints help with exit 0 for the root, grouping commands, -h and --help', async () => {
    for (const args of [[], ['node'], ['get', '-h'], ['apply', '--help']]) {
      const r = await runCli(args)
      expect(r.code, args.join(' ')).toBe(0)
      expect(r.stdout).toContain('USAGE')
    }
  })

  it.each([
    [['get', 'ippool', '--unknown-flag'], 'unknown flag: --unknown-flag\n'],
    [['get', 'ippool', '-m'], "unknown shorthand flag: 'm' in -m\n"],
    [['foo'], 'unknown command "foo" for "calicoctl"\n'],
    [['-l', 'bogus', 'version', '--client'], 'unknown log level: bogus, expected one of: panic, fatal, error, warn, info, debug\n'],
    [['apply'], 'required flag(s) "filename" not set\n'],
    [['get', 'ippool', '-n', 'kube-system'], 'IPPool is not namespaced\n'],
    [['get', 'ippool', '-a'], 'IPPool is not namespaced\n'],
    [['get', 'ippool', '-o', 'table'], "unrecognized output format 'table'\n"],
    [['get', 'ippool', '-o', 'custom-columns='], 'need to specify at least one column\n'],
    [['get', 'somekind'], "failed to get resources: resource type 'somekind' is not supported\n"],
    [['delete', 'networkpolicy'], 'no resources specified\n'],
  ])('%j fails with upstream wording and exit 1', async (args, stderr) => {
    expect(await runCli(args)).toEqual({ code: 1, stdout: '', stderr })
  })

  it('accepts root flags before and after the command', async () => {
    for (const args of [['-l', 'info', 'version', '--client'], ['version', '--client', '--log-level=info'], ['--allow-version-mismatch', 'version', '--client']]) {
      expect(await runCli(args)).toEqual({ code: 0, stdout: 'Client Version:    v3.31.0\nGit commit:        calicoctl-ts-0.1.0\n', stderr: '' })
    }
  })

  it('reports a missing -c file on stdout like upstream', async () => {
    expect(await runCli(['get', 'ippool', '-c', '/nonexistent/calicoctl.cfg'])).toEqual({ code: 1, stdout: 'Error reading config file: /nonexistent/calicoctl.cfg\n', stderr: '' })
  })

  it('reads the configuration before the input, and fails version on a missing -c file', async () => {
    const broken = writeTempFile('broken.yaml', 'kind: [\n')
    expect(await runCli(['create', '-f', broken, '-c', '/nonexistent.cfg'])).toEqual({ code: 1, stdout: 'Error reading config file: /nonexistent.cfg\n', stderr: '' })
    expect(await runCli(['version', '-c', '/nonexistent.cfg'])).toEqual({ code: 1, stdout: 'Error reading config file: /nonexistent.cfg\n', stderr: '' })
    const v2 = writeTempFile('v2.cfg', 'apiVersion: projectcalico.org/v2\nkind: CalicoAPIConfig\nspec: {}\n')
    const r = await runCli(['version', '-c', v2])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(`syntax error in ${v2}: invalid config file: unknown APIVersion 'projectcalico.org/v2'\n`)
  })

  it('reports empty input and empty names as the command error', async () => {
    const empty = writeTempFile('only-comments.yaml', '# nothing\n')
    expect(await runCli(['delete', '-f', empty])).toEqual({ code: 1, stdout: '', stderr: `no resources specified in file ${empty}\n` })
    expect(await runCli(['get', '-f', empty])).toEqual({ code: 1, stdout: '', stderr: `failed to get resources: no resources specified in file ${empty}\n` })
    expect(await runCli(['get', 'ippool', ''])).toEqual({ code: 1, stdout: '', stderr: 'failed to get resources: resource name may not be empty\n' })
  })

  it('says it cannot detect the cluster version without a datastore, exit 0', async () => {
    const r = await runCli(['version'], { env: { DATASTORE_TYPE: 'etcdv3' } })
    expect(r).toEqual({ code: 0, stdout: 'Client Version:    v3.31.0\nGit commit:        calicoctl-ts-0.1.0\nUnable to detect installed Calico version\n', stderr: '' })
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
      stderr: "failed to validate 'IPPool' resource: [error with field IPPool.Spec.CIDR = '10.0.0.0/24' (IPPool CIDR is not strictly masked)]\n  at stdin: document 1, line 6 (spec.cidr)\n",
    })
  })

  it('accepts a boolean label like upstream, and validate says how it is stored', async () => {
    const node = 'apiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: rr01\n  labels:\n    i-am-a-route-reflector: true\nspec:\n  bgp:\n    ipv4Address: 192.168.2.1/24\n    routeReflectorClusterID: 224.0.0.1\n'
    expect(await runCli(['validate', '-f', '-'], { stdin: node })).toEqual({
      code: 0,
      stdout: "Successfully validated 1 'Node' resource(s)\n",
      stderr: 'note: stdin: document 1, line 6: metadata.labels.i-am-a-route-reflector: true is stored as the string "true" (quote it to say so)\n',
    })
  })

  it('skips empty input with --skip-empty', async () => {
    const empty = writeTempFile('empty.yaml', '# nothing here\n')
    expect(await runCli(['validate', '-f', empty, '--skip-empty'])).toEqual({ code: 0, stdout: 'No resources specified\n', stderr: '' })
    expect(await runCli(['validate', '-f', empty])).toEqual({ code: 1, stdout: '', stderr: `no resources specified in file ${empty}\n` })
  })
})
