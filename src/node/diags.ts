import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { birdCommand } from '../bgp/bird-socket.js'
import type { AddressFamily } from '../bgp/peer-name.js'
import { CommandError } from '../errors.js'
import { goErrnoText, goPathError } from './go-errno.js'
import { lookPath, runTool } from './run-tool.js'

/**
 * `calicoctl node diags`: calicoctl's set of host dumps with its lines, plus BIRD's view of
 * its sessions, the CNI config and a summary of what was not collected, in diagnostics/
 * under a fresh temp dir, packed with the system tar. A missing tool or file is reported
 * and skipped; only an unusable temp dir is fatal (exit 1), as upstream.
 */

export interface DiagsOptions {
  logDir: string
  cniConfDir: string
  cniBinDir: string
  birdSockets: Record<AddressFamily, readonly string[]>
  birdTimeoutMs: number
  /** Parent of the temp dir (os.tmpdir() in the command). */
  tmpBase: string
  /** Environment of the tools run; its PATH decides which are found. */
  env: NodeJS.ProcessEnv
  now: Date
}

interface ToolStep {
  info?: string
  argv: string[]
  /** File under diagnostics/ for the output; none for commands run for their effect. */
  file?: string
  /** Name in the summary when there is no file. */
  label?: string
}

const TOOL_STEPS: ToolStep[] = [
  { argv: ['date'], file: 'date' },
  { argv: ['hostname'], file: 'hostname' },
  { info: 'Dumping routes (IPv4)', argv: ['ip', '-4', 'route'], file: 'ipv4_route' },
  { info: 'Dumping routes (IPv6)', argv: ['ip', '-6', 'route'], file: 'ipv6_route' },
  { info: 'Dumping interface info (IPv4)', argv: ['ip', '-4', 'addr'], file: 'ipv4_addr' },
  { info: 'Dumping interface info (IPv6)', argv: ['ip', '-6', 'addr'], file: 'ipv6_addr' },
  { info: 'Dumping nftables', argv: ['nft', '-n', '-a', 'list', 'ruleset'], file: 'nft_ruleset' },
  { info: 'Dumping iptables (IPv4)', argv: ['iptables-save', '-c'], file: 'ipv4_tables' },
  { info: 'Dumping iptables (IPv6)', argv: ['ip6tables-save', '-c'], file: 'ipv6_tables' },
  { info: 'Dumping ipsets', argv: ['ipset', 'list'], file: 'ipsets' },
  { info: 'Copying journal for calico-node.service', argv: ['journalctl', '-u', 'calico-node.service', '--no-pager'], file: 'journalctl_calico_node' },
  // Felix writes its stats to its log on SIGUSR1.
  { info: 'Dumping felix stats', argv: ['pkill', '-SIGUSR1', 'felix'], label: 'felix stats' },
]

const RUNTIMES = ['docker', 'nerdctl', 'crictl']

/** Go's "20060102_150405" layout of a time, local (node diags) or UTC (cluster diags). */
export function diagsStamp(now: Date, utc = false): string {
  const p = (n: number): string => String(n).padStart(2, '0')
  const [year, month, day, hours, minutes, seconds] = utc
    ? [now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds()]
    : [now.getFullYear(), now.getMonth(), now.getDate(), now.getHours(), now.getMinutes(), now.getSeconds()]
  return `${year}${p(month + 1)}${p(day)}_${p(hours)}${p(minutes)}${p(seconds)}`
}

export class DiagsCollector {
  readonly collected: string[] = []
  readonly missing: string[] = []
  private readonly diagDir: string

  constructor(
    private readonly options: DiagsOptions,
    private readonly print: (line: string) => void,
    readonly tmpDir: string,
  ) {
    this.diagDir = join(tmpDir, 'diagnostics')
  }

  /** Creates the temp dir, collects everything, packs it; returns the archive path if tar worked. */
  static async run(options: DiagsOptions, print: (line: string) => void): Promise<string | undefined> {
    print('Collecting diagnostics')
    let tmpDir: string
    try {
      tmpDir = mkdtempSync(join(options.tmpBase, 'calico'))
    } catch (err) {
      // Go's os.MkdirTemp: a missing parent is reported by its stat.
      const made = (err as NodeJS.ErrnoException).path ?? join(options.tmpBase, 'calico')
      const cause = existsSync(options.tmpBase) ? goPathError('mkdir', made, err) : goPathError('stat', options.tmpBase, err)
      throw new CommandError(`error creating temp directory to dump logs: ${cause}`)
    }
    print(`Using temp dir: ${tmpDir}`)
    const collector = new DiagsCollector(options, print, tmpDir)
    mkdirSync(collector.diagDir)
    return collector.collectAll()
  }

  private async collectAll(): Promise<string | undefined> {
    // Upstream decides on the container dump (and says why not) before running anything.
    const containerIpsets = this.containerIpsetCommand()
    for (const step of TOOL_STEPS) this.tool(step)
    if (lookPath('netstat', this.options.env)) this.tool({ info: 'Dumping netstat', argv: ['netstat', '-a', '-n'], file: 'netstat' })
    else this.tool({ info: 'Dumping ss', argv: ['ss', '-a', '-n'], file: 'ss' })
    if (containerIpsets) this.tool({ info: 'Dumping ipsets (container)', argv: containerIpsets, file: 'ipset_container' })
    await this.bird('IPv4', 'bird_protocols')
    await this.bird('IPv6', 'bird6_protocols')
    this.cni()
    this.logs()
    this.containerLogs()
    return this.pack()
  }

  private tool(step: ToolStep): boolean {
    if (step.info) this.print(step.info)
    const outFile = join(step.file ? this.diagDir : this.tmpDir, step.file ?? '.scratch')
    const run = runTool(step.argv, outFile, this.options.env)
    if (!step.file) rmSync(outFile, { force: true })
    if (run.ok) {
      if (step.file) this.collected.push(step.file)
      return true
    }
    this.print(`Failed to run command: ${step.argv.join(' ')}\nError: ${run.output}`)
    this.missing.push(`${step.file ?? step.label}: ${run.reason}`)
    return false
  }

  private runtime(): string | undefined {
    return RUNTIMES.find((name) => lookPath(name, this.options.env))
  }

  /** A tool's combined output, for the runs whose output is read rather than saved. */
  private capture(argv: string[]): { ok: boolean; output: string; error?: string } {
    const file = join(this.tmpDir, '.capture')
    const run = runTool(argv, file, this.options.env)
    if (!run.ok) return run
    const output = readFileSync(file, 'utf8')
    rmSync(file, { force: true })
    return { ok: true, output }
  }

  /**
   * `ipset list` in a privileged calico/node context: a one-off container with docker or
   * nerdctl, the running calico-node container with crictl.
   */
  private containerIpsetCommand(): string[] | undefined {
    const runtime = this.runtime()
    if (runtime === 'docker' || runtime === 'nerdctl') return [runtime, 'run', '--rm', '--privileged', '--net=host', 'calico/node', 'ipset', 'list']
    let why = `no supported container runtime found in PATH (tried ${RUNTIMES.join(', ')})`
    if (runtime === 'crictl') {
      const found = this.crictlContainer('calico-node')
      if (found.id) return ['crictl', 'exec', found.id, 'ipset', 'list']
      why = `crictl: ${found.error}`
    }
    this.print(`Skipping container ipset dump: ${why}`)
    this.missing.push(`ipset_container: ${why}`)
    return undefined
  }

  /** The first container of that name, running ones first. */
  private crictlContainer(name: string): { id?: string; error?: string } {
    for (const args of [['ps', '--name', name, '-q'], ['ps', '-a', '--name', name, '-q']]) {
      const listed = this.capture(['crictl', ...args])
      if (!listed.ok) return { error: `crictl ${args.join(' ')} failed: ${listed.error}: ${listed.output.trim()}` }
      const id = listed.output.split(/\s+/).find(Boolean)
      if (id) return { id }
    }
    return { error: `no container matching "${name}" found` }
  }

  /** BIRD's own account of every protocol, read from its control socket. */
  private async bird(family: AddressFamily, file: string): Promise<void> {
    this.print(`Dumping BIRD protocols (${family})`)
    try {
      const reply = await birdCommand(this.options.birdSockets[family], 'show protocols all', this.options.birdTimeoutMs)
      writeFileSync(join(this.diagDir, file), reply)
      this.collected.push(file)
    } catch (err) {
      this.print(`Failed to query BIRD (${family}): ${(err as Error).message}`)
      this.missing.push(`${file}: ${(err as Error).message}`)
    }
  }

  private cni(): void {
    const { cniConfDir, cniBinDir } = this.options
    this.print('Copying CNI config')
    try {
      cpSync(cniConfDir, join(this.diagDir, 'cni/net.d'), { recursive: true })
      this.collected.push('cni/net.d')
    } catch (err) {
      this.print(`Error copying CNI config: ${goPathError('open', cniConfDir, err)}`)
      this.missing.push(`cni/net.d: ${goPathError('open', cniConfDir, err)}`)
    }
    try {
      const listing = readdirSync(cniBinDir)
        .sort()
        .map((name) => {
          const stat = statSync(join(cniBinDir, name))
          return `${(stat.mode & 0o7777).toString(8).padStart(4, '0')} ${String(stat.size).padStart(10)} ${name}\n`
        })
      writeFileSync(join(this.diagDir, 'cni_bin'), listing.join(''))
      this.collected.push('cni_bin')
    } catch (err) {
      this.print(`Error listing CNI plugins: ${goPathError('open', cniBinDir, err)}`)
      this.missing.push(`cni_bin: ${goPathError('open', cniBinDir, err)}`)
    }
  }

  private logs(): void {
    const { logDir } = this.options
    let isDir: boolean
    try {
      isDir = statSync(logDir).isDirectory()
    } catch (err) {
      this.print(`Error copying log files: ${goPathError('stat', logDir, err)}`)
      this.missing.push(`logs: ${goPathError('stat', logDir, err)}`)
      return
    }
    if (!isDir) {
      this.print(`No logs found in ${logDir}; skipping log copying`)
      this.missing.push(`logs: ${logDir} is not a directory`)
      return
    }
    this.print('Copying Calico logs')
    try {
      cpSync(logDir, join(this.diagDir, 'logs'), { recursive: true })
      this.collected.push('logs')
    } catch (err) {
      this.print(`Error copying log files: ${goSysError(err, 'open', logDir)}`)
      this.missing.push(`logs: ${goSysError(err, 'open', logDir)}`)
    }
  }

  /** Logs of the containers named like calico, for hosted installs. */
  private containerLogs(): void {
    const dir = join(this.diagDir, 'logs')
    mkdirSync(dir, { recursive: true })
    const runtime = this.runtime()
    if (!runtime) {
      this.print(`Could not collect container logs: no container runtime found (tried ${RUNTIMES.join(', ')})`)
      return
    }
    let names: string[]
    let listing: string
    if (runtime === 'crictl') {
      const listed = this.capture(['crictl', 'ps', '-a', '--name', 'calico', '-q'])
      if (!listed.ok) return this.print(`Could not run crictl command: ${listed.output.trim()}`)
      names = listed.output.split(/\s+/).filter(Boolean)
      listing = `${names.join('\n')}\n`
    } else {
      const listed = this.capture([runtime, 'ps', '-a', '--filter', 'name=calico', '--format', '{{.Names}}: {{.CreatedAt}}'])
      if (!listed.ok) return this.print(`Could not run ${runtime} command: ${listed.output}`)
      // Kubernetes pause containers (k8s_POD_...) have no logs worth keeping.
      listing = listed.output.replace(/[\r\n]+^.*k8s_POD.*$/gm, '')
      names = listing.split('\n').map((line) => line.split(':')[0])
      if (names.at(-1) === '') names.pop()
    }
    if (names.length === 0) return
    this.print(`Copying logs from Calico containers (${runtime})`)
    writeFileSync(join(dir, 'container_creation_time'), listing)
    for (const name of names) {
      const run = runTool([runtime, 'logs', name], join(dir, `${name}.log`), this.options.env)
      if (run.ok) this.collected.push(`logs/${name}.log`)
      else this.print(`Could not pull log for container ${name}: ${run.error}`)
    }
  }

  private pack(): string | undefined {
    this.print('')
    this.print(`Collected: ${this.collected.join(', ') || 'nothing'}`)
    if (this.missing.length) this.print(['Not collected:', ...this.missing.map((m) => `  ${m}`)].join('\n'))
    const archive = `diags-${diagsStamp(this.options.now)}.tar.gz`
    const run = runTool(['tar', '-zcvf', archive, 'diagnostics'], join(this.tmpDir, '.tar-output'), this.options.env, this.tmpDir)
    rmSync(join(this.tmpDir, '.tar-output'), { force: true })
    if (!run.ok) {
      this.print(`Error compressing the diagnostics: ${run.error}`)
      this.print(`\nThe diagnostics are left uncompressed in ${this.diagDir}`)
      return undefined
    }
    const path = join(this.tmpDir, archive)
    this.print(`\nDiags saved to ${path}`)
    this.print('If required, you can upload the diagnostics bundle to a file sharing service.')
    return path
  }
}

/** A Node file-system error as Go words it, `<op> <path>: <errno text>`; others as they are. */
function goSysError(err: unknown, op: string, path: string): string {
  const e = err as NodeJS.ErrnoException
  const text = goErrnoText(err)
  return text === e.message ? text : `${e.syscall ?? op} ${e.path ?? path}: ${text}`
}
