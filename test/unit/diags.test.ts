import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CommandError } from '../../src/errors.js'
import { DiagsCollector, diagsStamp, type DiagsOptions } from '../../src/node/diags.js'

const scratch = mkdtempSync(join(tmpdir(), 'diags-unit-'))
const NOW = new Date(2026, 10, 29, 8, 5, 9)
let bird: net.Server
const birdSocket = join(scratch, 'bird.ctl')
const BIRD_REPLY = '0001 BIRD 1.6.8 ready.\n2002-name     proto    table    state  since       info\n1002-Mesh_10_0_0_2 BGP master up 08:00:00 Established\n0000 \n'

beforeAll(async () => {
  bird = net.createServer((socket) => {
    socket.write(BIRD_REPLY.slice(0, 23))
    socket.once('data', () => socket.write(BIRD_REPLY.slice(23)))
  })
  await new Promise<void>((resolve) => bird.listen(birdSocket, resolve))
})
afterAll(() => {
  bird.close()
  rmSync(scratch, { recursive: true, force: true })
})

/** A PATH holding only the given fake tools (shell scripts) and links to real ones. */
function toolDir(name: string, scripts: Record<string, string>, real: string[]): string {
  const dir = join(scratch, name)
  mkdirSync(dir)
  for (const [tool, body] of Object.entries(scripts)) writeFileSync(join(dir, tool), `#!/bin/sh\n${body}\n`, { mode: 0o755 })
  for (const tool of real) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(dir, tool))
  return dir
}

function options(name: string, path: string, extra: Partial<DiagsOptions> = {}): DiagsOptions {
  const base = join(scratch, name)
  mkdirSync(join(base, 'tmp'), { recursive: true })
  mkdirSync(join(base, 'log/felix'), { recursive: true })
  writeFileSync(join(base, 'log/felix/current'), 'felix log line\n')
  mkdirSync(join(base, 'net.d'))
  writeFileSync(join(base, 'net.d/10-calico.conflist'), '{"plugins":[{"type":"calico"}]}')
  mkdirSync(join(base, 'bin'))
  writeFileSync(join(base, 'bin/calico'), 'x')
  // Not through writeFileSync's mode, which the umask trims: cni_bin is expected to list 0755.
  chmodSync(join(base, 'bin/calico'), 0o755)
  return {
    logDir: join(base, 'log'),
    cniConfDir: join(base, 'net.d'),
    cniBinDir: join(base, 'bin'),
    birdSockets: { IPv4: [birdSocket], IPv6: [join(base, 'no-bird6.ctl')] },
    birdTimeoutMs: 1000,
    tmpBase: join(base, 'tmp'),
    env: { PATH: path },
    now: NOW,
    ...extra,
  }
}

const listArchive = (archive: string): string[] => execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).trim().split('\n').sort()

describe('node diags with some tools missing', () => {
  const lines: string[] = []
  let archive: string | undefined
  let opts: DiagsOptions

  beforeAll(async () => {
    const path = toolDir('tools-basic', {
      date: 'echo "Sun Nov 29 08:05:09 UTC 2026"',
      hostname: 'echo node-1',
      ip: 'echo "ip $*"',
      'iptables-save': 'echo "iptables-save v1.8.9 (legacy): cannot initialize table" >&2; exit 1',
      ss: 'echo "ss $*"',
    }, ['tar', 'gzip'])
    opts = options('basic', path)
    archive = await DiagsCollector.run(opts, (line) => lines.push(...line.split('\n')))
  })

  it('prints what it does and what failed, in calicoctl order', () => {
    const tmp = lines[1].replace('Using temp dir: ', '')
    expect(tmp).toMatch(new RegExp(`^${opts.tmpBase}/calico\\w+$`))
    expect(lines.slice(0, 33)).toEqual([
      'Collecting diagnostics',
      `Using temp dir: ${tmp}`,
      'Skipping container ipset dump: no supported container runtime found in PATH (tried docker, nerdctl, crictl)',
      'Dumping routes (IPv4)',
      'Dumping routes (IPv6)',
      'Dumping interface info (IPv4)',
      'Dumping interface info (IPv6)',
      'Dumping nftables',
      // As upstream: the tool's own output after "Error: ", none when it is not installed.
      'Failed to run command: nft -n -a list ruleset',
      'Error: ',
      'Dumping iptables (IPv4)',
      'Failed to run command: iptables-save -c',
      'Error: iptables-save v1.8.9 (legacy): cannot initialize table',
      '',
      'Dumping iptables (IPv6)',
      'Failed to run command: ip6tables-save -c',
      'Error: ',
      'Dumping ipsets',
      'Failed to run command: ipset list',
      'Error: ',
      'Copying journal for calico-node.service',
      'Failed to run command: journalctl -u calico-node.service --no-pager',
      'Error: ',
      'Dumping felix stats',
      'Failed to run command: pkill -SIGUSR1 felix',
      'Error: ',
      'Dumping ss',
      'Dumping BIRD protocols (IPv4)',
      'Dumping BIRD protocols (IPv6)',
      `Failed to query BIRD (IPv6): dial unix ${opts.birdSockets.IPv6[0]}: connect: no such file or directory`,
      'Copying CNI config',
      'Copying Calico logs',
      'Could not collect container logs: no container runtime found (tried docker, nerdctl, crictl)',
    ])
    expect(lines.slice(33)).toEqual([
      '',
      'Collected: date, hostname, ipv4_route, ipv6_route, ipv4_addr, ipv6_addr, ss, bird_protocols, cni/net.d, cni_bin, logs',
      'Not collected:',
      '  ipset_container: no supported container runtime found in PATH (tried docker, nerdctl, crictl)',
      '  nft_ruleset: nft not installed',
      '  ipv4_tables: iptables-save exited with status 1',
      '  ipv6_tables: ip6tables-save not installed',
      '  ipsets: ipset not installed',
      '  journalctl_calico_node: journalctl not installed',
      '  felix stats: pkill not installed',
      `  bird6_protocols: dial unix ${opts.birdSockets.IPv6[0]}: connect: no such file or directory`,
      '',
      `Diags saved to ${tmp}/diags-20261129_080509.tar.gz`,
      'If required, you can upload the diagnostics bundle to a file sharing service.',
    ])
    expect(archive).toBe(`${tmp}/diags-20261129_080509.tar.gz`)
  })

  it('packs the collected files with the system tar', () => {
    expect(listArchive(archive as string)).toEqual([
      'diagnostics/',
      'diagnostics/bird_protocols',
      'diagnostics/cni/',
      'diagnostics/cni/net.d/',
      'diagnostics/cni/net.d/10-calico.conflist',
      'diagnostics/cni_bin',
      'diagnostics/date',
      'diagnostics/hostname',
      'diagnostics/ipv4_addr',
      'diagnostics/ipv4_route',
      'diagnostics/ipv6_addr',
      'diagnostics/ipv6_route',
      'diagnostics/logs/',
      'diagnostics/logs/felix/',
      'diagnostics/logs/felix/current',
      'diagnostics/ss',
    ])
    const dir = join(archive as string, '..', 'diagnostics')
    expect(readFileSync(join(dir, 'ipv6_route'), 'utf8')).toBe('ip -6 route\n')
    expect(readFileSync(join(dir, 'ss'), 'utf8')).toBe('ss -a -n\n')
    expect(readFileSync(join(dir, 'bird_protocols'), 'utf8')).toBe(BIRD_REPLY)
    expect(readFileSync(join(dir, 'cni_bin'), 'utf8')).toBe('0755          1 calico\n')
    expect(readFileSync(join(dir, 'logs/felix/current'), 'utf8')).toBe('felix log line\n')
  })
})

describe('node diags with a container runtime', () => {
  it('dumps ipsets through it and saves the Calico containers logs, skipping pause containers', async () => {
    const docker = [
      'case "$1" in',
      '  run) echo "Name: cali40all-ipam-pools" ;;',
      '  ps) printf "calico-node: 2026-11-29\\nk8s_POD_calico-node-abc: 2026-11-29\\ncalico-kube-controllers: 2026-11-28\\n" ;;',
      '  logs) echo "log of $2" ;;',
      'esac',
    ].join('\n')
    const path = toolDir('tools-docker', { docker, netstat: 'echo "netstat $*"' }, ['tar', 'gzip'])
    const lines: string[] = []
    const archive = await DiagsCollector.run(options('docker', path), (line) => lines.push(line))
    expect(lines).toContain('Dumping netstat')
    expect(lines).toContain('Dumping ipsets (container)')
    expect(lines).toContain('Copying logs from Calico containers (docker)')
    const dir = join(archive as string, '..', 'diagnostics')
    expect(readFileSync(join(dir, 'logs/container_creation_time'), 'utf8')).toBe('calico-node: 2026-11-29\ncalico-kube-controllers: 2026-11-28\n')
    expect(readFileSync(join(dir, 'netstat'), 'utf8')).toBe('netstat -a -n\n')
    expect(readFileSync(join(dir, 'ipset_container'), 'utf8')).toBe('Name: cali40all-ipam-pools\n')
    expect(readFileSync(join(dir, 'logs/calico-node.log'), 'utf8')).toBe('log of calico-node\n')
    expect(readFileSync(join(dir, 'logs/calico-kube-controllers.log'), 'utf8')).toBe('log of calico-kube-controllers\n')
    expect(existsSync(join(dir, 'logs/k8s_POD_calico-node-abc.log'))).toBe(false)
  })
})

describe('node diags with crictl', () => {
  it('dumps ipsets inside the running calico-node container and saves the logs by container id', async () => {
    const crictl = [
      'case "$1 $2" in',
      '  "ps --name") echo "" ;;',
      '  "ps -a") if [ "$4" = calico-node ]; then echo 4f1c; else printf "4f1c\\n9a2b\\n"; fi ;;',
      '  "exec 4f1c") echo "Name: cali40all-ipam-pools" ;;',
      '  "logs 4f1c") echo "node log" ;;',
      '  *) echo "no such container" >&2; exit 1 ;;',
      'esac',
    ].join('\n')
    const lines: string[] = []
    const archive = await DiagsCollector.run(options('crictl', toolDir('tools-crictl', { crictl }, ['tar', 'gzip'])), (line) => lines.push(...line.split('\n')))
    expect(lines).not.toContain('Skipping container ipset dump')
    expect(lines).toContain('Dumping ipsets (container)')
    expect(lines).toContain('Copying logs from Calico containers (crictl)')
    expect(lines).toContain('Could not pull log for container 9a2b: exit status 1')
    const dir = join(archive as string, '..', 'diagnostics')
    expect(readFileSync(join(dir, 'ipset_container'), 'utf8')).toBe('Name: cali40all-ipam-pools\n')
    expect(readFileSync(join(dir, 'logs/container_creation_time'), 'utf8')).toBe('4f1c\n9a2b\n')
    expect(readFileSync(join(dir, 'logs/4f1c.log'), 'utf8')).toBe('node log\n')
  })

  it('says why it skips the container dump when no calico-node container exists', async () => {
    const lines: string[] = []
    await DiagsCollector.run(options('crictl-none', toolDir('tools-crictl-none', { crictl: 'exit 0' }, ['tar', 'gzip'])), (line) => lines.push(...line.split('\n')))
    expect(lines[2]).toBe('Skipping container ipset dump: crictl: no container matching "calico-node" found')
  })
})

describe('node diags without tar or logs', () => {
  it('reports missing logs and leaves the files uncompressed', async () => {
    const lines: string[] = []
    const opts = options('no-tar', toolDir('tools-none', {}, []))
    const logDir = join(opts.logDir, 'absent')
    const archive = await DiagsCollector.run({ ...opts, logDir }, (line) => lines.push(...line.split('\n')))
    expect(archive).toBeUndefined()
    expect(lines).toContain(`Error copying log files: stat ${logDir}: no such file or directory`)
    expect(lines).toContain(`  logs: stat ${logDir}: no such file or directory`)
    expect(lines).toContain('Error compressing the diagnostics: exec: "tar": executable file not found in $PATH')
    const diagDir = join(lines[1].replace('Using temp dir: ', ''), 'diagnostics')
    expect(lines.at(-1)).toBe(`The diagnostics are left uncompressed in ${diagDir}`)
    expect(existsSync(join(diagDir, 'bird_protocols'))).toBe(true)
  })
})

describe('node diags failures', () => {
  it('fails, as upstream, only when it cannot make its temp dir', async () => {
    const opts = options('no-tmp', toolDir('tools-no-tmp', {}, []))
    const tmpBase = join(scratch, 'no-such-dir')
    await expect(DiagsCollector.run({ ...opts, tmpBase }, () => {})).rejects.toThrow(
      new CommandError(`error creating temp directory to dump logs: stat ${tmpBase}: no such file or directory`),
    )
  })

  it('reports a log directory it cannot copy and goes on', async () => {
    const lines: string[] = []
    const opts = options('fifo-log', toolDir('tools-fifo-log', {}, ['tar', 'gzip']))
    execFileSync('mkfifo', [join(opts.logDir, 'felix/pipe')])
    const archive = await DiagsCollector.run(opts, (line) => lines.push(...line.split('\n')))
    expect(lines).toContainEqual(expect.stringMatching(/^Error copying log files: Cannot copy a FIFO pipe/))
    expect(archive).toBeDefined()
  })
})

describe('archive name', () => {
  it('uses local time as YYYYMMDD_HHMMSS', () => {
    expect(diagsStamp(new Date(2027, 0, 2, 3, 4, 5))).toBe('20270102_030405')
  })

  it('uses UTC when asked (cluster diags)', () => {
    expect(diagsStamp(new Date(Date.UTC(2027, 11, 31, 23, 59, 58)), true)).toBe('20271231_235958')
  })
})
