import { execFile, execFileSync, spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, runCli, type CliResult } from './helpers.js'
import { unixSocketServers } from '../support/unix-socket-servers.js'

/**
 * `calicoctl node status` through the built binary against real BIRD daemons started by
 * scripts/bird.sh (BIRD 1.6 for IPv4, bird6 in network namespaces, BIRD 2 when available),
 * plus tiny socket servers in this process for the replies a healthy BIRD never gives.
 */

const birdSh = join(repoRoot, 'scripts/bird.sh')
// calicoctl's node commands refuse every user but root (as upstream's do), and the BIRD lab binds
// port 179 and makes network namespaces: as any other user, only the refusal can be tested.
const asRoot = process.getuid?.() === 0
let lab: Record<string, string> = {}
let felix: ChildProcess | undefined
const scratch = mkdtempSync(join(tmpdir(), 'node-status-it-'))
const { serve, closeAll } = unixSocketServers(scratch)

beforeAll(async () => {
  if (!asRoot) return
  const { stdout } = await promisify(execFile)('bash', [birdSh, 'start'], { cwd: repoRoot })
  lab = Object.fromEntries(stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))
  for (const key of ['BIRD6_SKIPPED', 'BIRD2_SKIPPED']) if (lab[key]) console.warn(`${key}: ${lab[key]}`)
  // A stand-in for Felix: calicoctl looks for a process whose argv[0] is exactly `calico-felix`.
  felix = spawn('sleep', ['600'], { argv0: 'calico-felix', stdio: 'ignore' })
  await new Promise((resolve) => felix?.once('spawn', resolve))
})

afterAll(async () => {
  felix?.kill()
  closeAll()
  rmSync(scratch, { recursive: true, force: true })
  if (asRoot) await promisify(execFile)('bash', [birdSh, 'stop'], { cwd: repoRoot })
})


/** A fake /proc holding only the given command lines, so no other process on the machine counts. */
function fakeProc(name: string, processes: string[][]): string {
  const dir = join(scratch, name)
  processes.forEach((argv, i) => {
    mkdirSync(join(dir, String(i + 1)), { recursive: true })
    writeFileSync(join(dir, String(i + 1), 'cmdline'), argv.map((a) => `${a}\0`).join(''))
  })
  mkdirSync(dir, { recursive: true })
  return dir
}

/**
 * Runs the CLI as uid 65534 (nobody). The checkout may sit under a directory nobody cannot
 * enter (e.g. a home directory), so the child gets the checkout and node as open file
 * descriptors 3 and 4 and reaches them through /proc/self/fd, which skips the path above
 * them. --preserve-symlinks(-main) keeps node from resolving those links back to the real,
 * unreachable paths.
 */
function runAsNobody(args: string[]): SpawnSyncReturns<string> {
  const checkout = openSync(repoRoot, 'r')
  const node = openSync(process.execPath, 'r')
  try {
    const argv = ['--reuid=65534', '--regid=65534', '--clear-groups', '/proc/self/fd/4', '--preserve-symlinks', '--preserve-symlinks-main', '/proc/self/fd/3/bin/run.js', ...args]
    return spawnSync('setpriv', argv, {
      cwd: '/',
      env: { PATH: process.env.PATH, HOME: '/nonexistent' },
      stdio: ['ignore', 'pipe', 'pipe', checkout, node],
      encoding: 'utf8',
    })
  } finally {
    closeSync(checkout)
    closeSync(node)
  }
}

const TIME = /^\d\d:\d\d:\d\d$/
const NOT_ESTABLISHED = /^(Active|Connect|Idle)( .+)?$/

/**
 * Reads one go-pretty table from the lines starting at `start` and checks its layout
 * exactly: borders, upper-case headers, every column as wide as its widest cell plus one
 * space each side, no rules between rows. Returns the cells and the index after the table.
 */
function readBoxTable(lines: string[], start: number): { header: string[]; rows: string[][]; next: number } {
  let end = start + 3
  while (!lines[end].startsWith('+')) end++
  const cells = (line: string): string[] => line.slice(2, -2).split(' | ').map((c) => c.trimEnd())
  const header = cells(lines[start + 1])
  const rows = lines.slice(start + 3, end).map(cells)
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`
  const text = (row: string[]): string => `| ${row.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`
  expect(lines.slice(start, end + 1)).toEqual([rule, text(header), rule, ...rows.map(text), rule])
  return { header, rows, next: end + 1 }
}

const HEADER = ['PEER ADDRESS', 'PEER TYPE', 'STATE', 'SINCE', 'INFO']

function expectIpv4Rows(rows: string[][]): void {
  expect(rows.map((r) => r.slice(0, 3))).toEqual([
    [lab.BIRD_B_IP, 'node-to-node mesh', 'up'],
    ['127.0.0.9', 'node specific', 'start'],
    ['127.0.0.10', 'global', 'start'],
    [`${lab.BIRD_B_IP}.port.1790`, 'global', 'start'],
  ])
  for (const row of rows) expect(row[3]).toMatch(TIME)
  expect(rows[0][4]).toBe('Established')
  for (const row of rows.slice(1)) expect(row[4]).toMatch(NOT_ESTABLISHED)
}

describe.skipIf(!asRoot)('node status against real BIRD 1.6 daemons', () => {
  it('prints the IPv4 and IPv6 tables in the upstream layout', async ({ skip }) => {
    if (lab.BIRD6_SKIPPED) skip(lab.BIRD6_SKIPPED)
    const { stdout, stderr, code } = await runCli(['node', 'status', '--bird-socket', lab.BIRD_A_SOCKET, '--bird6-socket', lab.BIRD6_A_SOCKET])
    expect({ stderr, code }).toEqual({ stderr: '', code: 0 })
    const lines = stdout.split('\n')
    expect(lines.slice(0, 3)).toEqual(['Calico process is running.', '', 'IPv4 BGP status'])
    const v4 = readBoxTable(lines, 3)
    expect(v4.header).toEqual(HEADER)
    expectIpv4Rows(v4.rows)
    expect(lines.slice(v4.next, v4.next + 2)).toEqual(['', 'IPv6 BGP status'])
    const v6 = readBoxTable(lines, v4.next + 2)
    expect(v6.rows.map((r) => r.slice(0, 3))).toEqual([
      ['fd5e:1ab::3', 'node-to-node mesh', 'up'],
      ['fd5e:1ab::9', 'node specific', 'start'],
    ])
    expect(v6.rows[0][4]).toBe('Established')
    expect(v6.rows[1][4]).toMatch(NOT_ESTABLISHED)
    // The table's own newline, then one empty line.
    expect(lines.slice(v6.next)).toEqual(['', ''])
  })

  it('takes the sockets from CALICO_BIRD_SOCKET / CALICO_BIRD6_SOCKET', async () => {
    const env = { CALICO_BIRD_SOCKET: lab.BIRD_A_SOCKET, CALICO_BIRD6_SOCKET: lab.BIRD6_A_SOCKET ?? join(scratch, 'none.ctl') }
    const { stdout, code } = await runCli(['node', 'status'], { env })
    expect(code).toBe(0)
    expectIpv4Rows(readBoxTable(stdout.split('\n'), 3).rows)
  })

  it('reports every session as JSON with the same facts', async () => {
    const args = ['node', 'status', '-o', 'json', '--bird-socket', lab.BIRD_A_SOCKET]
    if (lab.BIRD6_A_SOCKET) args.push('--bird6-socket', lab.BIRD6_A_SOCKET)
    else args.push('--proc-dir', fakeProc('proc-v4-only', [['calico-felix'], ['bird']]))
    const { stdout, stderr, code } = await runCli(args)
    expect({ stderr, code }).toEqual({ stderr: '', code: 0 })
    const sessions = JSON.parse(stdout) as Record<string, unknown>[]
    expect(sessions.map((s) => [s.protocol, s.peerAddress, s.peerPort, s.peerType, s.addressFamily, s.state])).toEqual([
      [`Mesh_${lab.BIRD_B_IP.replaceAll('.', '_')}`, lab.BIRD_B_IP, undefined, 'node-to-node mesh', 'IPv4', 'up'],
      ['Node_127_0_0_9', '127.0.0.9', undefined, 'node specific', 'IPv4', 'start'],
      ['Global_127_0_0_10', '127.0.0.10', undefined, 'global', 'IPv4', 'start'],
      [`Global_${lab.BIRD_B_IP.replaceAll('.', '_')}_port_1790`, lab.BIRD_B_IP, 1790, 'global', 'IPv4', 'start'],
      ...(lab.BIRD6_A_SOCKET
        ? [
            ['Mesh_fd5e_1ab__3', 'fd5e:1ab::3', undefined, 'node-to-node mesh', 'IPv6', 'up'],
            ['Node_fd5e_1ab__9', 'fd5e:1ab::9', undefined, 'node specific', 'IPv6', 'start'],
          ]
        : []),
    ])
    expect(sessions[0]).toMatchObject({ bgpState: 'Established', info: '' })
    expect(sessions[1].bgpState).toMatch(/^(Active|Connect|Idle)$/)
    for (const s of sessions) expect(s.since).toMatch(TIME)
  })

  it('prints YAML on -o yaml', async () => {
    const proc = fakeProc('proc-yaml', [['calico-felix'], ['bird']])
    const { stdout, code } = await runCli(['node', 'status', '-o', 'yaml', '--proc-dir', proc, '--bird-socket', lab.BIRD_A_SOCKET])
    expect(code).toBe(0)
    expect(stdout).toMatch(new RegExp(`^- addressFamily: IPv4\n  bgpState: Established\n  info: ""\n  peerAddress: ${lab.BIRD_B_IP.replaceAll('.', '\\.')}\n`))
  })
})

describe.skipIf(!asRoot)('node status against a real BIRD 2 daemon', () => {
  it("fails on BIRD 2's reply with upstream's error", async ({ skip }) => {
    if (lab.BIRD2_SKIPPED) skip(lab.BIRD2_SKIPPED)
    const proc = fakeProc('proc-bird2-upstream', [['calico-felix'], ['bird']])
    expect(await runCli(['node', 'status', '--proc-dir', proc, '--bird-socket', lab.BIRD2_A_SOCKET])).toEqual({
      stdout: 'Calico process is running.\n\nIPv4 BGP status\n',
      stderr: 'error executing command: unknown BIRD table output format\n',
      code: 1,
    })
  })

  it('with --bird2, reads BIRD 2 output and decodes each peer by its address shape', async ({ skip }) => {
    if (lab.BIRD2_SKIPPED) skip(lab.BIRD2_SKIPPED)
    const proc = fakeProc('proc-bird2', [['calico-felix'], ['bird']])
    const { stdout, stderr, code } = await runCli(['node', 'status', '--bird2', '--proc-dir', proc, '--bird-socket', lab.BIRD2_A_SOCKET])
    expect({ stderr, code }).toEqual({ stderr: '', code: 0 })
    const lines = stdout.split('\n')
    const table = readBoxTable(lines, 3)
    expect(table.rows.map((r) => r.slice(0, 3))).toEqual([
      [lab.BIRD2_B_IP, 'node-to-node mesh', 'up'],
      ['::1:port:1790', 'node specific', 'start'],
    ])
    // BIRD 2 reports times with milliseconds.
    expect(table.rows[0][3]).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/)
    expect(table.rows[0][4]).toBe('Established')
    expect(table.rows[1][4]).toMatch(NOT_ESTABLISHED)
    const json = await runCli(['node', 'status', '--bird2', '-o', 'json', '--proc-dir', proc, '--bird-socket', lab.BIRD2_A_SOCKET])
    expect((JSON.parse(json.stdout) as Record<string, unknown>[]).map((s) => [s.peerAddress, s.peerPort, s.addressFamily])).toEqual([
      [lab.BIRD2_B_IP, undefined, 'IPv4'],
      ['::1', 1790, 'IPv6'],
    ])
    expect(lines.slice(table.next)).toEqual(['', "INFO: BIRDv6 process: 'bird6' is not running.", '', ''])
  })
})

describe.skipIf(!asRoot)('process checks', () => {
  it('fails when no Felix process runs, printing nothing on stdout', async () => {
    const proc = fakeProc('proc-no-felix', [['bird'], ['bird6'], ['calico', 'component', 'felix']])
    expect(await runCli(['node', 'status', '--proc-dir', proc])).toEqual({ stdout: '', stderr: 'Calico process is not running.\n', code: 1 })
  })

  it('reads the process list from HOST_PROC, as upstream (gopsutil) does', async () => {
    const proc = fakeProc('proc-host-proc', [['bird']])
    expect(await runCli(['node', 'status'], { env: { HOST_PROC: proc } })).toEqual({ stdout: '', stderr: 'Calico process is not running.\n', code: 1 })
  })

  it('says when no BIRD runs', async () => {
    const proc = fakeProc('proc-no-bird', [['calico-node', '-felix'], ['/usr/sbin/bird', '-c', 'x']])
    expect(await runCli(['node', 'status', '--proc-dir', proc])).toEqual({
      stdout: 'Calico process is running.\n\nThe BGP backend process (BIRD) is not running.\n\n',
      stderr: '',
      code: 0,
    })
  })

  it('with --skip-process-check, uses the sockets that exist', async () => {
    const missing6 = join(scratch, 'absent6.ctl')
    const { stdout, code } = await runCli(['node', 'status', '--skip-process-check', '--proc-dir', join(scratch, 'nowhere'), '--bird-socket', lab.BIRD_A_SOCKET, '--bird6-socket', missing6])
    expect(code).toBe(0)
    const lines = stdout.split('\n')
    expect(lines.slice(0, 3)).toEqual(['Calico process check skipped.', '', 'IPv4 BGP status'])
    const table = readBoxTable(lines, 3)
    expectIpv4Rows(table.rows)
    expect(lines.slice(table.next)).toEqual(['', "INFO: BIRDv6 process: 'bird6' is not running.", '', ''])
  })

  it('takes CALICO_SKIP_PROCESS_CHECK from the environment', async () => {
    const env = { CALICO_SKIP_PROCESS_CHECK: 'true', CALICO_BIRD_SOCKET: join(scratch, 'none4.ctl'), CALICO_BIRD6_SOCKET: join(scratch, 'none6.ctl') }
    expect(await runCli(['node', 'status', '--proc-dir', join(scratch, 'nowhere')], { env })).toEqual({
      stdout: 'Calico process check skipped.\n\nThe BGP backend process (BIRD) is not running.\n\n',
      stderr: '',
      code: 0,
    })
  })
})

describe('a user other than root', () => {
  it('is refused on stdout with exit 1', async ({ skip }) => {
    let result: CliResult
    if (asRoot) {
      const run = runAsNobody(['node', 'status'])
      if (run.error) skip(`cannot run setpriv (util-linux): ${run.error.message}`)
      // setpriv's own errors (no uid 65534 in a user namespace, node not executable by others), and
      // node's when the checkout's files are not readable by others (umask 077): nothing to test then.
      const cannot = /^(setpriv: .*|.*EACCES: permission denied, \w+ '\/proc\/self\/fd\/3\/.*)$/m.exec(run.stderr)
      if (cannot) skip(`cannot run the CLI as uid 65534 here: ${cannot[0]}`)
      result = { stdout: run.stdout, stderr: run.stderr, code: run.status ?? -1 }
    } else {
      result = await runCli(['node', 'status'])
    }
    expect(result).toEqual({ stdout: 'Need super user privileges: Operation not permitted\n', stderr: '', code: 1 })
  })
})

describe.skipIf(!asRoot)('socket errors', () => {
  const felixAndBird = (): string => fakeProc('proc-felix-bird', [['calico-felix'], ['bird']])

  it('reports a missing socket and carries on with exit 0', async () => {
    const missing = join(scratch, 'missing', 'bird.ctl')
    expect(await runCli(['node', 'status', '--proc-dir', felixAndBird(), '--bird-socket', missing])).toEqual({
      stdout:
        'Calico process is running.\n\nIPv4 BGP status\n' +
        `Error querying BIRD: unable to connect to BIRDv4 socket: dial unix ${missing}: connect: no such file or directory\n` +
        "INFO: BIRDv6 process: 'bird6' is not running.\n\n",
      stderr: '',
      code: 0,
    })
  })

  it('reports a stale socket nobody listens on', async () => {
    const stale = join(scratch, 'stale.ctl')
    spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`])
    expect(existsSync(stale)).toBe(true)
    const { stdout, code } = await runCli(['node', 'status', '--proc-dir', felixAndBird(), '--bird-socket', stale])
    expect(code).toBe(0)
    expect(stdout).toContain(`\nIPv4 BGP status\nError querying BIRD: unable to connect to BIRDv4 socket: dial unix ${stale}: connect: connection refused\nINFO: BIRDv6`)
  })

  it('reports a path that is not a socket at all', async () => {
    const file = join(scratch, 'not-a-socket')
    writeFileSync(file, 'x')
    const { stdout } = await runCli(['node', 'status', '--proc-dir', felixAndBird(), '--bird-socket', file])
    expect(stdout).toContain(`Error querying BIRD: unable to connect to BIRDv4 socket: dial unix ${file}: connect: connection refused\n`)
  })

  it('fails on a socket that speaks something else', async () => {
    const path = await serve('http.ctl', (socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'))
    expect(await runCli(['node', 'status', '--proc-dir', felixAndBird(), '--bird-socket', path])).toEqual({
      stdout: 'Calico process is running.\n\nIPv4 BGP status\n',
      stderr: 'error executing command: unexpected output line from BIRD\n',
      code: 1,
    })
  })

  it('fails on a BIRD error reply', async () => {
    const transcript = readFileSync(new URL('../fixtures/bird/bird1-v4-syntax-error.raw', import.meta.url), 'utf8')
    const path = await serve('syntax.ctl', (socket) => {
      socket.write(transcript.slice(0, transcript.indexOf('\n') + 1))
      socket.once('data', () => socket.write(transcript.slice(transcript.indexOf('\n') + 1)))
    })
    expect(await runCli(['node', 'status', '--proc-dir', felixAndBird(), '--bird-socket', path])).toEqual({
      stdout: 'Calico process is running.\n\nIPv4 BGP status\n',
      stderr: 'error executing command: unexpected output line from BIRD\n',
      code: 1,
    })
  })

  it('times out on a socket that accepts but never answers', async () => {
    const path = await serve('silent.ctl', () => {})
    const started = Date.now()
    const result = await runCli(['node', 'status', '--proc-dir', felixAndBird(), '--bird-socket', path, '--bird-timeout', '500ms'])
    expect(result).toEqual({
      stdout: 'Calico process is running.\n\nIPv4 BGP status\n',
      stderr: `error executing command: read unix @->${path}: i/o timeout\n`,
      code: 1,
    })
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('times out after CALICO_BIRD_TIMEOUT, and after 2 s by default', async () => {
    const path = await serve('silent2.ctl', () => {})
    const args = ['node', 'status', '--proc-dir', felixAndBird(), '--bird-socket', path]
    let started = Date.now()
    expect((await runCli(args, { env: { CALICO_BIRD_TIMEOUT: '0.2' } })).code).toBe(1)
    const short = Date.now() - started
    started = Date.now()
    expect((await runCli(args)).stderr).toBe(`error executing command: read unix @->${path}: i/o timeout\n`)
    const long = Date.now() - started
    expect(long - short).toBeGreaterThanOrEqual(1500)
  })
})

describe.skipIf(!asRoot)('node diags against real BIRD daemons', () => {
  it("saves BIRD's detailed protocol state from the control sockets", async () => {
    const tools = join(scratch, 'diag-tools')
    mkdirSync(tools)
    for (const tool of ['tar', 'gzip']) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(tools, tool))
    mkdirSync(join(scratch, 'diag-tmp'))
    // Every input in scratch: the host's own CNI config and logs are not this test's business.
    const inputs = ['--log-dir', join(scratch, 'no-logs'), '--cni-conf-dir', join(scratch, 'no-net.d'), '--cni-bin-dir', join(scratch, 'no-cni-bin')]
    const args = ['node', 'diags', ...inputs, '--bird-socket', lab.BIRD_A_SOCKET, '--bird6-socket', lab.BIRD6_A_SOCKET ?? join(scratch, 'none6.ctl')]
    const { stdout, code } = await runCli(args, { env: { PATH: tools, TMPDIR: join(scratch, 'diag-tmp') } })
    expect(code).toBe(0)
    const archive = /\nDiags saved to (\S+)\n/.exec(stdout)?.[1] ?? ''
    const v4 = execFileSync('tar', ['-xzOf', archive, 'diagnostics/bird_protocols'], { encoding: 'utf8' })
    expect(v4).toMatch(/^0001 BIRD 1\.6\.\d+ ready\.\n2002-name +proto +table +state +since +info\n/)
    expect(v4).toMatch(new RegExp(`\n1002-Mesh_${lab.BIRD_B_IP.replaceAll('.', '_')} +BGP .*Established *\n1006- .*\n(.*\n)* +BGP state: +Established\n`))
    expect(v4.endsWith('\n0000 \n')).toBe(true)
    if (lab.BIRD6_A_SOCKET) {
      expect(execFileSync('tar', ['-xzOf', archive, 'diagnostics/bird6_protocols'], { encoding: 'utf8' })).toContain('Neighbor address: fd5e:1ab::3')
    }
  })
})
