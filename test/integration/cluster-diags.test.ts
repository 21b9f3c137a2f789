import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import yaml from 'js-yaml'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { runCli, writeCalicoctlCfg, type CliResult } from './helpers.js'
import { startKddFixture, type KddFixture } from './kube-apiserver/fixture.js'
import { DAEMON_SETS, DEPLOYMENTS, EVENTS, SECRETS } from './kube-apiserver/resources.js'

/**
 * `calicoctl cluster diags` through the built binary and the real kubectl, against the test API
 * server (kubectl and calicoctl both pointed at it) and etcd. kubectl exec is not served (no
 * SPDY/websocket), so the calico-node dataplane steps fail as they would on a cluster that refuses
 * exec: reported, with kubectl's error text in the file.
 */

/** kubectl on PATH; the test setup installs Debian's kubernetes-client when it can. */
const kubectlDir = (process.env.PATH ?? '')
  .split(':')
  .find((dir) => dir && existsSync(join(dir, 'kubectl')))
if (!kubectlDir) console.warn('cluster-diags.test.ts: kubectl is not installed (Debian package kubernetes-client); skipping the tests that run it')

const scratch = mkdtempSync(join(tmpdir(), 'cluster-diags-it-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** A fresh cwd and TMPDIR for one run; the archive lands in the cwd. */
function workDirs(name: string): { cwd: string; tmp: string } {
  const cwd = join(scratch, name, 'cwd')
  const tmp = join(scratch, name, 'tmp')
  mkdirSync(cwd, { recursive: true })
  mkdirSync(tmp, { recursive: true })
  return { cwd, tmp }
}

function archiveOf(cwd: string): string {
  const archives = readdirSync(cwd).filter((f) => /^calico-diagnostics-\d{8}_\d{6}\.tar\.gz$/.test(f))
  expect(archives).toHaveLength(1)
  return join(cwd, archives[0])
}

const tarList = (archive: string): string[] => execFileSync('tar', ['tzf', archive], { encoding: 'utf8' }).split('\n').filter(Boolean)
const tarRead = (archive: string, member: string): string => execFileSync('tar', ['xzOf', archive, member], { encoding: 'utf8' })

/** stdout's `[N] <info>` lines, without their numbers. */
const infoLines = (stdout: string): string[] => stdout.split('\n').flatMap((line) => /^\[\d+\] (.*)$/.exec(line)?.[1] ?? [])

const CERT = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n'
const b64 = (text: string) => Buffer.from(text).toString('base64')

describe.skipIf(!kubectlDir)('cluster diags on the Kubernetes datastore', () => {
  let kdd: KddFixture
  const env = () => ({ KUBECONFIG: kdd.kubeconfig, PATH: `${kubectlDir}:/usr/bin:/bin` })

  beforeAll(async () => {
    kdd = await startKddFixture()
    kdd.addNamespace('calico-system')
    kdd.addNamespace('tigera-operator', { 'unsupported.operator.tigera.io/ignore': 'true' })
    for (const name of ['node-a', 'node-b', 'node-c']) kdd.addNode({ metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: {}, status: {} })
    kdd.server.store.create(DAEMON_SETS, 'calico-system', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'calico-node', namespace: 'calico-system' },
      spec: { selector: { matchLabels: { 'k8s-app': 'calico-node' } }, template: { metadata: { labels: { 'k8s-app': 'calico-node' } }, spec: { containers: [] } } },
    })
    kdd.server.store.create(DEPLOYMENTS, 'calico-system', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'calico-kube-controllers', namespace: 'calico-system' },
      spec: { selector: { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['calico-kube-controllers'] }] }, template: { spec: { containers: [] } } },
    })
    const pod = (name: string, node: string, app: string, container: string, restarted = false) =>
      kdd.addPod({
        metadata: { name, namespace: 'calico-system', labels: { 'k8s-app': app } },
        spec: { nodeName: node, containers: [{ name: container, image: `calico/${container}` }] },
        status: {
          phase: 'Running',
          containerStatuses: [
            { name: container, ready: true, restartCount: restarted ? 1 : 0, image: `calico/${container}`, imageID: '', ...(restarted && { lastState: { terminated: { exitCode: 1 } } }) },
          ],
        },
      })
    const nodeA = pod('calico-node-aaaaa', 'node-a', 'calico-node', 'calico-node')
    // kubectl describe lists the pod's events by its involvedObject fields.
    kdd.server.store.create(EVENTS, 'calico-system', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'calico-node-aaaaa.17f0', namespace: 'calico-system' },
      involvedObject: { kind: 'Pod', namespace: 'calico-system', name: 'calico-node-aaaaa', uid: nodeA.metadata.uid, apiVersion: 'v1' },
      reason: 'Started',
      message: 'Started container calico-node',
      type: 'Normal',
      source: { component: 'kubelet', host: 'node-a' },
      count: 1,
      firstTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    })
    pod('calico-node-bbbbb', 'node-b', 'calico-node', 'calico-node', true)
    pod('calico-node-ccccc', 'node-c', 'calico-node', 'calico-node')
    pod('calico-kube-controllers-1234', 'node-c', 'calico-kube-controllers', 'calico-kube-controllers')
    kdd.server.setPodLog('calico-system', 'calico-node-aaaaa', 'calico-node', 'felix started on node-a\n')
    kdd.server.setPodLog('calico-system', 'calico-node-bbbbb', 'calico-node', 'felix restarted on node-b\n')
    kdd.server.setPodLog('calico-system', 'calico-node-bbbbb', 'calico-node', 'felix crashed on node-b\n', true)
    kdd.server.store.create(SECRETS, 'calico-system', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'node-certs', namespace: 'calico-system' },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': b64(CERT), 'tls.key': b64('PRIVATE KEY'), 'common-name': b64('typha-client') },
    })
    // BPF on: the eBPF steps are part of each calico-node's collection.
    const felix = { apiVersion: 'crd.projectcalico.org/v1', kind: 'FelixConfiguration', metadata: { name: 'default' }, spec: { bpfEnabled: true } }
    expect((await kdd.request('POST', '/apis/crd.projectcalico.org/v1/felixconfigurations', felix)).code).toBe(201)
  })
  afterAll(() => kdd?.close())

  const run = (args: string[], dirs: { cwd: string; tmp: string }): Promise<CliResult> =>
    runCli(['cluster', 'diags', '-c', kdd.cfg, ...args], { cwd: dirs.cwd, env: { ...env(), TMPDIR: dirs.tmp }, timeoutMs: 300_000 })

  it('collects the cluster into ./calico-diagnostics-<UTC stamp>.tar.gz and removes its temp dir', { timeout: 320_000 }, async () => {
    const dirs = workDirs('full')
    const before = new Date()
    const { stdout, stderr, code } = await run(['--max-logs', '2'], dirs)
    expect({ stderr, code }).toEqual({ stderr: '', code: 0 })
    const archive = archiveOf(dirs.cwd)
    const name = archive.slice(dirs.cwd.length + 1, -'.tar.gz'.length)
    // The stamp is UTC, taken while the command ran.
    const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15)
    expect(name >= `calico-diagnostics-${stamp(before)}` && name <= `calico-diagnostics-${stamp(new Date())}`).toBe(true)
    const tempDir = new RegExp(`^Created temporary directory: (${dirs.tmp}/[^/\n]+)$`, 'm').exec(stdout)?.[1]
    expect(stdout.startsWith(`==== Begin collecting diagnostics. ====\nCreated temporary directory: ${tempDir}\nCollecting (censored) TLS secrets\n`)).toBe(true)
    expect(stdout.endsWith(`\n\n==== Producing a diagnostics bundle. ====\nDiagnostic bundle created at ./${name}.tar.gz\n`)).toBe(true)
    expect(readdirSync(dirs.tmp)).toEqual([])

    // Secrets: looked for in their namespace and in tigera-operator, the usual namespace named in both lines.
    expect(stdout).toContain(
      'Collecting secret calico-system/node-certs (censoring sensitive data) \n' +
        'Collecting secret calico-system/node-certs (censoring sensitive data) \n' +
        'unable to get secret calico-system/node-certs, skipping...\n' +
        'Collecting secret calico-system/typha-certs (censoring sensitive data) \n',
    )
    // Pods node by node until --max-logs are taken: calico-node-ccccc on node-c is left out.
    expect(stdout).toContain(
      'Collecting detailed diags for namespace calico-system...\n' +
        'Collecting detailed diags for pod calico-node-aaaaa in namespace calico-system on node node-a...\n' +
        'Collecting dataplane diags for calico-node: calico-node-aaaaa\n[1] Collect iptables (legacy) for node node-a\n',
    )
    expect(stdout).not.toContain('calico-node-ccccc')
    expect(stdout).toContain('Collecting detailed diags for pod calico-kube-controllers-1234 in namespace calico-system on node node-c...\n')
    const infos = infoLines(stdout)
    // FelixConfiguration default has bpfEnabled: the eBPF steps run (and fail here: no exec).
    expect(infos).toContain('Collect eBPF nat maglev table for node node-b')
    expect(infos).toContain('Collect previous logs for container calico-node in pod calico-node-bbbbb')
    expect(infos).not.toContain('Collect previous logs for container calico-node in pod calico-node-aaaaa')
    expect(stdout).toMatch(
      /\n\[\d+\] Failed to run command: kubectl exec -n calico-system -t calico-node-aaaaa -c calico-node -- ip rule\nError: [^\n]+\n\n/,
    )
    expect(stdout).toContain(
      'Could not retrieve eBPF maps: command execution failed: exit status 1\nError listing the Calico CNI logs at /var/log/calico/cni/: command execution failed: exit status 1\n',
    )
    expect(stdout).toContain('\n==== WARNING: Unsupported annotation usage detected in the cluster ====\n')

    const files = tarList(archive).map((f) => f.slice(name.length + 1))
    for (const file of [
      'cluster/version.yaml',
      'cluster/crd/felixconfigurations.crd.projectcalico.org.yaml',
      'cluster/crd/ippools.crd.projectcalico.org.txt',
      'cluster/kubernetes/nodes.yaml',
      'cluster/kubernetes/namespaces.txt',
      'cluster/kubernetes/daemonsets.yaml',
      'cluster/kubernetes/apiservices.yaml',
      'cluster/calico-system/calico-system.yaml',
      'cluster/tigera-operator/tigera-operator.txt',
      'cluster/third-party/kibanas.yaml',
      'nodes/node-a/calico-system/calico-node-aaaaa.log',
      'nodes/node-a/calico-system/calico-node-aaaaa.txt',
      'nodes/node-a/ip-rule.txt',
      'nodes/node-a/bpf-conntrack.json',
      'nodes/node-b/calico-system/calico-node-bbbbb.calico-node.previous.log',
      'nodes/node-c/calico-system/calico-kube-controllers-1234.log',
      'links/calico-system/calico-node-aaaaa.log',
      'links/calico-system/calico-node-bbbbb.calico-node.previous.log',
      'tls/calico-system_node-certs.yaml',
      'files_with_unsupported_annotation.txt',
    ])
      expect(files).toContain(file)
    expect(files.filter((f) => f.startsWith('tls/') && f !== 'tls/')).toEqual(['tls/calico-system_node-certs.yaml'])
    expect(files.some((f) => f.includes('node-c/ip-') || f.includes('calico-node-ccccc'))).toBe(false)

    const read = (file: string) => tarRead(archive, `${name}/${file}`)
    // kubectl's own output of a Calico resource, fetched by its fully qualified name.
    const felix = yaml.load(read('cluster/crd/felixconfigurations.crd.projectcalico.org.yaml')) as any
    expect(felix.items.map((i: any) => [i.metadata.name, i.spec.bpfEnabled])).toEqual([['default', true]])
    const nodes = yaml.load(read('cluster/kubernetes/nodes.yaml')) as any
    expect(nodes.items.map((n: any) => n.metadata.name)).toEqual(['node-a', 'node-b', 'node-c'])
    expect(read('nodes/node-a/calico-system/calico-node-aaaaa.log')).toBe('felix started on node-a\n')
    expect(read('nodes/node-b/calico-system/calico-node-bbbbb.calico-node.previous.log')).toBe('felix crashed on node-b\n')
    const described = read('nodes/node-a/calico-system/calico-node-aaaaa.txt')
    expect(described).toMatch(/^Name:\s+calico-node-aaaaa\nNamespace:\s+calico-system\n/)
    expect(described).toMatch(/\nEvents:\n.*\n.*\n\s+Normal\s+Started\s+\S+\s+kubelet\s+Started container calico-node\n/)
    // A failed command's file keeps what kubectl said.
    expect(read('nodes/node-a/ip-rule.txt')).toMatch(/^Error from server/)
    // The links point into nodes/.
    const listing = execFileSync('tar', ['tvzf', archive], { encoding: 'utf8' })
    expect(listing).toContain(`${name}/links/calico-system/calico-node-aaaaa.log -> ../../nodes/node-a/calico-system/calico-node-aaaaa.log`)
    // Only the certificate is kept; the other values read <censored>.
    const secret = yaml.load(read('tls/calico-system_node-certs.yaml')) as any
    expect(Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v as string, 'base64').toString()]))).toEqual({
      'common-name': '<censored>',
      'tls.crt': CERT,
      'tls.key': '<censored>',
    })
    expect(secret).toMatchObject({ metadata: { name: 'node-certs', namespace: 'calico-system' }, type: 'kubernetes.io/tls' })
    expect(secret.kind).toBeUndefined()
    expect(read('tls/calico-system_node-certs.yaml')).not.toContain(b64('PRIVATE KEY'))
    expect(read('files_with_unsupported_annotation.txt')).toBe('cluster/kubernetes/namespaces.yaml')
  })

  it('takes --focus-nodes first, skips the eBPF steps when BPF is off and keeps the temp dir on request', { timeout: 320_000 }, async () => {
    const felix = '/apis/crd.projectcalico.org/v1/felixconfigurations/default'
    expect((await kdd.request('PATCH', felix, { spec: { bpfEnabled: false } }, 'application/merge-patch+json')).code).toBe(200)
    const dirs = workDirs('focus')
    const { stdout, stderr, code } = await run(['--focus-nodes', 'node-c', '--max-logs', '1', '--skip-temp-dir-cleanup', '--since', '2h'], dirs)
    expect({ stderr, code }).toEqual({ stderr: '', code: 0 })
    expect(stdout).toContain(
      'Collecting detailed diags for pod calico-node-ccccc in namespace calico-system on node node-c...\nCollecting dataplane diags for calico-node: calico-node-ccccc\n',
    )
    expect(stdout).not.toContain('calico-node-aaaaa')
    expect(infoLines(stdout).filter((l) => l.includes('eBPF'))).toEqual([])
    expect(stdout).not.toContain('Could not retrieve eBPF maps')
    const archive = archiveOf(dirs.cwd)
    const name = archive.slice(dirs.cwd.length + 1, -'.tar.gz'.length)
    const [tempDir] = readdirSync(dirs.tmp)
    expect(readdirSync(join(dirs.tmp, tempDir))).toEqual([name])
    expect(readFileSync(join(dirs.tmp, tempDir, name, 'nodes/node-c/calico-system/calico-kube-controllers-1234.log'), 'utf8')).toBe('')
    expect(tarList(archive).some((f) => f.endsWith('bpf-conntrack.json') || f.endsWith('bpf-conntrack.txt'))).toBe(false)
  })

  it.each([
    [['--since', '5d'], 'Error executing command: invalid duration for since flag (try 10s, 5m, or 1h): 5d\n'],
    [['--since', '1h30m'], 'Error executing command: invalid duration for since flag (try 10s, 5m, or 1h): 1h30m\n'],
    [['--max-logs', '-1'], 'Error executing command: negative value for max-logs flag\n'],
  ])('refuses %j before collecting anything', async (args, text) => {
    const dirs = workDirs(`refused-${args.join('')}`)
    const result = await run(args, dirs)
    expect(result).toEqual({ stdout: text, stderr: '', code: 1 })
    expect([readdirSync(dirs.cwd), readdirSync(dirs.tmp)]).toEqual([[], []])
  })

  it('stops when calicoctl cannot build its client, after saying so, and removes the temp dir', async () => {
    const dirs = workDirs('bad-client')
    const missing = join(scratch, 'no-such-kubeconfig')
    const cfg = kdd.write('bad-client.cfg', `apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nmetadata: {}\nspec:\n  datastoreType: kubernetes\n  kubeconfig: ${missing}\n`)
    const { stdout, stderr, code } = await runCli(['cluster', 'diags', '-c', cfg], { cwd: dirs.cwd, env: { ...env(), TMPDIR: dirs.tmp } })
    const reason = `stat ${missing}: no such file or directory`
    expect({ stderr, code }).toEqual({ stderr: `${reason}\n`, code: 1 })
    expect(stdout).toMatch(new RegExp(`^==== Begin collecting diagnostics\\. ====\nCreated temporary directory: ${dirs.tmp}/\\w+\nERROR creating clients: ${reason}\n$`))
    expect([readdirSync(dirs.cwd), readdirSync(dirs.tmp)]).toEqual([[], []])
  })

  it('needs kubectl on PATH', async () => {
    const dirs = workDirs('no-kubectl')
    const empty = join(scratch, 'empty-bin')
    mkdirSync(empty, { recursive: true })
    const result = await runCli(['cluster', 'diags', '-c', kdd.cfg], { cwd: dirs.cwd, env: { KUBECONFIG: kdd.kubeconfig, PATH: empty, TMPDIR: dirs.tmp } })
    expect(result).toEqual({ stdout: '', stderr: 'missing dependency: unable to locate kubectl in PATH\n', code: 1 })
    expect(readdirSync(dirs.tmp)).toEqual([])
  })

  it('on etcd collects only the cluster part: no Kubernetes client, so no secrets or nodes', { timeout: 320_000 }, async () => {
    const dirs = workDirs('etcd')
    const cfg = writeCalicoctlCfg(inject('etcdPlain'))
    const { stdout, stderr, code } = await runCli(['cluster', 'diags', '-c', cfg], { cwd: dirs.cwd, env: { ...env(), TMPDIR: dirs.tmp }, timeoutMs: 300_000 })
    expect({ stderr, code }).toEqual({ stderr: '', code: 0 })
    expect(stdout).toMatch(/^==== Begin collecting diagnostics\. ====\nCreated temporary directory: [^\n]+\nCollecting kubernetes version\.\.\.\n\[1\] Collect kubernetes Client and Server version\n/)
    expect(stdout).not.toContain('TLS secrets')
    const archive = archiveOf(dirs.cwd)
    const name = archive.slice(dirs.cwd.length + 1, -'.tar.gz'.length)
    const top = [...new Set(tarList(archive).map((f) => f.slice(name.length + 1).split('/')[0]))].filter(Boolean).sort()
    expect(top).toEqual(['cluster', 'files_with_unsupported_annotation.txt'])
    expect(readdirSync(dirs.tmp)).toEqual([])
  })
})
