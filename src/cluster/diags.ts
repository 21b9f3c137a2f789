import { mkdirSync, mkdtempSync, readdirSync, lstatSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, sep } from 'node:path'
import type { CalicoClient } from '../client/calico-client.js'
import type { KubeRest } from '../datastore/kubernetes/rest.js'
import { CommandError } from '../errors.js'
import { debug } from '../log.js'
import { diagsStamp } from '../node/diags.js'
import { goPathError } from '../node/go-errno.js'
import { lookPath, runToolStdout } from '../node/run-tool.js'
import { toGoYaml } from '../output/yaml.js'
import { knownKind } from '../resources/registry.js'
import { CmdRunner, type DiagCmd } from './exec-cmds.js'
import { kubernetesResourceCmds, podCmds, calicoNodeCmds, bpfMapDumpCmds, cniLogCmds, calicoResourceCmds, namespaceCmds, thirdPartyCmds } from './commands.js'
import { censorSecret, selectorString, TLS_SECRETS, type KubeLabelSelector, type KubePod } from './kube.js'

/**
 * `calicoctl cluster diags`, as upstream's cluster/diags.go: the cluster's Calico and
 * Kubernetes state through the user's kubectl, the logs and descriptions of the pods of the
 * Calico namespaces' workloads (a limited number per workload, focus nodes first), each
 * calico-node's dataplane through kubectl exec, and censored TLS secrets, packed into
 * ./calico-diagnostics-<UTC stamp>.tar.gz. The Kubernetes API is read directly only on the
 * Kubernetes datastore (upstream has no Kubernetes client on etcd): on etcd the per-node and
 * secret parts are skipped.
 */

export interface ClusterDiagsOptions {
  config: string
  since: string
  maxLogs: number
  maxParallelism: number
  focusNodes: string
  skipTempDirCleanup: boolean
  /** Environment of kubectl and tar: PATH, KUBECONFIG, HOME. */
  env: NodeJS.ProcessEnv
  tmpBase: string
  now: Date
  print: (line: string) => void
}

/** How long the default FelixConfiguration may take to read before BPF is assumed on. */
const FELIX_CONFIG_TIMEOUT_MS = 10_000

export async function clusterDiags(options: ClusterDiagsOptions): Promise<void> {
  const { print, env } = options
  // kubectl reads an empty --since as "all logs", which upstream spells 0s.
  const since = options.since || '0s'
  if (!/^[0-9]+[smh]$/.test(since)) throw new CommandError(`Error executing command: invalid duration for since flag (try 10s, 5m, or 1h): ${since}`, 'stdout')
  if (options.maxLogs < 0) throw new CommandError('Error executing command: negative value for max-logs flag', 'stdout')
  if (!lookPath('kubectl', env)) throw new CommandError('missing dependency: unable to locate kubectl in PATH')

  print('==== Begin collecting diagnostics. ====')
  let tempDir: string
  try {
    tempDir = mkdtempSync(options.tmpBase + sep)
  } catch (err) {
    throw new CommandError(goPathError('mkdir', (err as NodeJS.ErrnoException).path ?? options.tmpBase, err))
  }
  print(`Created temporary directory: ${tempDir}`)
  try {
    const directoryName = `calico-diagnostics-${diagsStamp(options.now, true)}`
    const dir = join(tempDir, directoryName)
    const { openClient } = await import('../crud/session.js')
    let client: CalicoClient
    try {
      client = await openClient(options.config)
    } catch (err) {
      print(`ERROR creating clients: ${(err as Error).message}`)
      throw new CommandError((err as Error).message)
    }
    try {
      const collector = new Collector(options, since, new CmdRunner(options.maxParallelism, env, print))
      const bpfEnabled = await isBpfEnabled(client)
      const kube = (client.store as { kube?: KubeRest }).kube
      if (kube) {
        await collector.tlsSecrets(kube, `${dir}/tls`)
        await collector.selectedNodeLogs(kube, `${dir}/nodes`, `${dir}/links`, bpfEnabled)
      }
      await collector.globalClusterInformation(`${dir}/cluster`)
    } finally {
      await client.store.close()
    }
    unsupportedAnnotations(tempDir, directoryName, print)
    await createArchive(tempDir, directoryName, env, print)
  } finally {
    if (!options.skipTempDirCleanup) rmSync(tempDir, { recursive: true, force: true })
  }
}

/**
 * Whether the default FelixConfiguration turns the BPF dataplane on (unset: off). When it
 * cannot be read, upstream collects the BPF dumps anyway rather than miss them on a BPF cluster.
 */
async function isBpfEnabled(client: CalicoClient): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('context deadline exceeded')), FELIX_CONFIG_TIMEOUT_MS)
  })
  try {
    const fc = await Promise.race([client.get(await knownKind('FelixConfiguration'), 'default'), timeout])
    return fc.spec?.bpfEnabled === true
  } catch (err) {
    debug(`Could not read default FelixConfiguration; assuming BPF is enabled: ${(err as Error).message}`)
    return true
  } finally {
    clearTimeout(timer)
  }
}

class Collector {
  constructor(
    private readonly options: ClusterDiagsOptions,
    private readonly since: string,
    private readonly runner: CmdRunner,
  ) {}

  private print(line: string): void {
    this.options.print(line)
  }

  private async list<T>(kube: KubeRest, path: string, resource: string, labelSelector?: string): Promise<T[]> {
    const list = await kube.request<{ items?: T[] }>({ method: 'GET', path, resource, query: { labelSelector } })
    return list.items ?? []
  }

  /** A selection of TLS secrets with everything but their certificates censored. */
  async tlsSecrets(kube: KubeRest, dir: string): Promise<void> {
    this.print('Collecting (censored) TLS secrets')
    try {
      mkdirSync(dir, { recursive: true })
    } catch (err) {
      this.print(`failed to create TLS directory: ${goPathError('mkdir', dir, err)}`)
      return
    }
    for (const [name, home] of TLS_SECRETS) {
      for (const ns of [home, 'tigera-operator']) {
        // Upstream names the secret's usual namespace in both lines, whichever it reads.
        this.print(`Collecting secret ${home}/${name} (censoring sensitive data) `)
        let secret: Record<string, unknown>
        try {
          secret = await kube.request({ method: 'GET', path: `/api/v1/namespaces/${encodeURIComponent(ns)}/secrets/${encodeURIComponent(name)}`, resource: 'secrets', name })
        } catch {
          this.print(`unable to get secret ${home}/${name}, skipping...`)
          continue
        }
        try {
          writeFileSync(`${dir}/${ns}_${name}.yaml`, toGoYaml(censorSecret(secret)))
        } catch (err) {
          this.print(`failed to write YAML to file: ${goPathError('open', `${dir}/${ns}_${name}.yaml`, err)}`)
        }
      }
    }
  }

  /**
   * The workloads of the namespaces named like calico or tigera: for each DaemonSet, Deployment
   * and StatefulSet, the pods its selector picks, node by node (--focus-nodes first) until
   * --max-logs pods are taken.
   */
  async selectedNodeLogs(kube: KubeRest, dir: string, linkDir: string, bpfEnabled: boolean): Promise<void> {
    const nodeList = this.options.focusNodes.split(',')
    const listed = new Set(nodeList)
    try {
      for (const node of await this.list<{ metadata?: { name?: string } }>(kube, '/api/v1/nodes', 'nodes')) {
        const name = node.metadata?.name ?? ''
        if (!listed.has(name)) nodeList.push(name)
      }
    } catch (err) {
      // The focus nodes can still be searched.
      this.print(`ERROR listing all nodes in cluster: ${(err as Error).message}`)
    }
    let namespaces: Array<{ metadata?: { name?: string } }>
    try {
      namespaces = await this.list(kube, '/api/v1/namespaces', 'namespaces')
    } catch (err) {
      this.print(`ERROR listing namespaces: ${(err as Error).message}`)
      return
    }
    for (const namespace of namespaces) {
      const ns = namespace.metadata?.name ?? ''
      if (!ns.includes('calico') && !ns.includes('tigera')) continue
      this.print(`Collecting detailed diags for namespace ${ns}...`)
      for (const [plural, kind] of [
        ['daemonsets', 'DaemonSets'],
        ['deployments', 'Deployments'],
        ['statefulsets', 'StatefulSets'],
      ]) {
        let workloads: Array<{ spec?: { selector?: KubeLabelSelector } }>
        try {
          workloads = await this.list(kube, `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/${plural}`, `${plural}.apps`)
        } catch (err) {
          this.print(`ERROR listing ${kind} in namespace ${ns}: ${(err as Error).message}`)
          continue
        }
        for (const workload of workloads) await this.selectedPods(kube, dir, linkDir, nodeList, bpfEnabled, ns, workload.spec?.selector)
      }
    }
  }

  private async selectedPods(kube: KubeRest, dir: string, linkDir: string, nodeList: string[], bpfEnabled: boolean, ns: string, selector: KubeLabelSelector | undefined): Promise<void> {
    let labelSelector: string
    try {
      labelSelector = selectorString(selector)
    } catch (err) {
      this.print(`ERROR forming pod selector: ${(err as Error).message}`)
      return
    }
    let pods: KubePod[]
    try {
      pods = await this.list(kube, `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`, 'pods', labelSelector)
    } catch (err) {
      this.print(`ERROR listing pods in namespace ${ns} matching '${labelSelector}': ${(err as Error).message}`)
      return
    }
    const podsByNode = new Map<string, KubePod[]>()
    for (const pod of pods) {
      const node = pod.spec?.nodeName ?? ''
      podsByNode.set(node, [...(podsByNode.get(node) ?? []), pod])
    }
    const cmds: DiagCmd[] = []
    let wanted = this.options.maxLogs
    for (const nodeName of nodeList) {
      if (wanted <= 0) break
      for (const pod of podsByNode.get(nodeName) ?? []) {
        const podName = pod.metadata?.name ?? ''
        this.print(`Collecting detailed diags for pod ${podName} in namespace ${ns} on node ${nodeName}...`)
        if (podName.startsWith('calico-node-')) await this.calicoNode(`${dir}/${nodeName}`, nodeName, ns, podName, bpfEnabled)
        cmds.push(...podCmds(dir, linkDir, this.since, nodeName, ns, pod))
        if (--wanted <= 0) break
      }
    }
    await this.runner.runAll(cmds)
  }

  /** The node's dataplane as calico-node sees it, its BPF maps when BPF is on, and the CNI plugin's logs. */
  private async calicoNode(nodeDir: string, nodeName: string, ns: string, podName: string, bpfEnabled: boolean): Promise<void> {
    this.print(`Collecting dataplane diags for calico-node: ${podName}`)
    await this.runner.runAll(calicoNodeCmds(nodeDir, nodeName, ns, podName, bpfEnabled))
    const exec = `kubectl exec -n ${ns} -t ${podName} -c calico-node --`
    if (bpfEnabled) {
      const maps = await this.capture(`${exec} bpftool map list`)
      if (!maps.ok) this.print(`Could not retrieve eBPF maps: ${maps.error}`)
      else await this.runner.runAll(bpfMapDumpCmds(nodeDir, nodeName, ns, podName, maps.stdout))
    }
    const logs = await this.capture(`${exec} ls /var/log/calico/cni`)
    if (!logs.ok) this.print(`Error listing the Calico CNI logs at /var/log/calico/cni/: ${logs.error}`)
    else await this.runner.runAll(cniLogCmds(nodeDir, nodeName, ns, podName, logs.stdout))
  }

  /** Stdout of a command whose output is read, not saved; errors worded as upstream's Exec. */
  private async capture(cmd: string | string[]): Promise<{ ok: true; stdout: string } | { ok: false; error: string }> {
    const run = await runToolStdout(typeof cmd === 'string' ? cmd.split(/\s+/).filter(Boolean) : cmd, this.options.env)
    return run.ok ? run : { ok: false, error: `command execution failed: ${run.error}` }
  }

  async globalClusterInformation(dir: string): Promise<void> {
    this.print('Collecting kubernetes version...')
    await this.runner.runAll([{ info: 'Collect kubernetes Client and Server version', cmd: 'kubectl version -o yaml', file: `${dir}/version.yaml` }])
    await this.calicoResources(`${dir}/crd`)
    await this.runner.runAll(namespaceCmds(`${dir}/tigera-operator`, 'tigera-operator'))
    await this.runner.runAll(namespaceCmds(`${dir}/calico-system`, 'calico-system'))
    this.print('Collecting core kubernetes resources...')
    await this.runner.runAll(kubernetesResourceCmds(`${dir}/kubernetes`))
    this.print('Collecting third party resources...')
    await this.runner.runAll(thirdPartyCmds(`${dir}/third-party`))
  }

  /** Every Calico and Tigera resource type, from the CRDs and from the projectcalico.org API group. */
  private async calicoResources(dir: string): Promise<void> {
    const template = '{{range .items}}{{.metadata.name}}={{range .spec.versions}}{{if .storage}}{{.name}}{{end}}{{end}} {{end}}'
    const crds = await this.capture(['kubectl', 'get', 'customresourcedefinition', '-o', 'go-template', '--template', template])
    if (!crds.ok) this.print(`Couldn't list CRDs: ${crds.error}`)
    // Resources an aggregated API server serves have no CRD.
    const v3 = await this.capture('kubectl api-resources --api-group=projectcalico.org --no-headers')
    if (!v3.ok) this.print(`Couldn't list api-resources for projectcalico.org group, skipping v3 API resource discovery: ${v3.error}`)
    await this.runner.runAll(calicoResourceCmds(dir, crds.ok ? crds.stdout : undefined, v3.ok ? v3.stdout : undefined))
  }
}

/** Lists the bundle's files that use the operator's unsupported annotations, and warns. */
function unsupportedAnnotations(tempDir: string, directoryName: string, print: (line: string) => void): void {
  const root = join(tempDir, directoryName)
  const found: string[] = []
  // filepath.Walk: lexical order, symbolic links read as the files they point to, not followed as directories.
  const walk = (path: string, rel: string): void => {
    const stat = lstatSync(path)
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) walk(join(path, name), rel ? `${rel}/${name}` : name)
    } else if (readFileSync(path, 'utf8').includes('unsupported.operator.tigera.io')) found.push(rel || '.')
  }
  try {
    walk(root, '')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    print(`Error checking files for unsupported annotation: ${goPathError(e.syscall ?? 'open', e.path ?? root, err)}`)
    return
  }
  if (found.length === 0) return
  print('\n==== WARNING: Unsupported annotation usage detected in the cluster ====')
  const file = `${root}/files_with_unsupported_annotation.txt`
  try {
    writeFileSync(file, found.join('\n'))
  } catch (err) {
    print(`Error writing list of files with unsupported annotation: ${goPathError('open', file, err)}`)
  }
}

async function createArchive(tempDir: string, directoryName: string, env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<void> {
  print('\n==== Producing a diagnostics bundle. ====')
  const archive = `${directoryName}.tar.gz`
  const run = await runToolStdout(['tar', 'cfz', `./${archive}`, '-C', tempDir, directoryName], env)
  if (!run.ok) {
    print(`Could not create new archive ${archive}: command execution failed: ${run.error}`)
    return
  }
  print(`Diagnostic bundle created at ./${archive}`)
}
