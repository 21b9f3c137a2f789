import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ShowProtocolsScanner } from '../../src/bgp/show-protocols.js'
import { CommandError } from '../../src/errors.js'
import { renderBoxTable } from '../../src/output/box-table.js'
import { listProcesses, psContains } from '../../src/node/processes.js'
import { requireRoot } from '../../src/node/root.js'
import { renderStatusData, renderStatusText } from '../../src/node/status-render.js'
import { collectNodeStatus, type FamilyStatus, type NodeStatus } from '../../src/node/status.js'

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/bird/${name}`, import.meta.url), 'utf8')

function sessionsOf(name: string, family: 'IPv4' | 'IPv6'): FamilyStatus {
  const scanner = new ShowProtocolsScanner(family)
  for (const line of fixture(name).split('\n')) if (scanner.push(line)) break
  return { family, outcome: 'ok', sessions: scanner.sessions }
}

const scratch = mkdtempSync(join(tmpdir(), 'node-status-unit-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('status text, byte for byte as calicoctl', () => {
  it('prints both tables for the recorded BIRD replies', () => {
    const status: NodeStatus = {
      calico: 'running',
      families: [sessionsOf('bird1-v4-show-protocols.raw', 'IPv4'), sessionsOf('bird1-v6-show-protocols.raw', 'IPv6')],
    }
    expect(renderStatusText(status)).toEqual({ stdout: fixture('expected-node-status-stdout.txt') })
  })

  it('says so when a family has no peers or no daemon', () => {
    const status: NodeStatus = { calico: 'running', families: [{ family: 'IPv4', outcome: 'ok', sessions: [] }, { family: 'IPv6', outcome: 'not-running' }] }
    expect(renderStatusText(status).stdout).toBe(
      "Calico process is running.\n\nIPv4 BGP status\nNo IPv4 peers found.\n\nINFO: BIRDv6 process: 'bird6' is not running.\n\n",
    )
    expect(renderStatusText({ calico: 'running', families: [{ family: 'IPv4', outcome: 'not-running' }, { family: 'IPv6', outcome: 'ok', sessions: [] }] }).stdout).toBe(
      "Calico process is running.\n\nINFO: BIRDv4 process: 'bird' is not running.\n\nIPv6 BGP status\nNo IPv6 peers found.\n\n",
    )
  })

  it('reports no BIRD at all', () => {
    expect(renderStatusText({ calico: 'running', families: [] })).toEqual({
      stdout: 'Calico process is running.\n\nThe BGP backend process (BIRD) is not running.\n\n',
    })
  })

  it('leaves the unreachable-socket message without its own newline', () => {
    const status: NodeStatus = {
      calico: 'running',
      families: [
        { family: 'IPv4', outcome: 'unreachable', error: 'dial unix /var/run/bird/bird.ctl: connect: no such file or directory' },
        { family: 'IPv6', outcome: 'not-running' },
      ],
    }
    expect(renderStatusText(status)).toEqual({
      stdout:
        'Calico process is running.\n\nIPv4 BGP status\nError querying BIRD: unable to connect to BIRDv4 socket: dial unix /var/run/bird/bird.ctl: connect: no such file or directory\n' +
        "INFO: BIRDv6 process: 'bird6' is not running.\n\n",
    })
  })

  it('ends with the error after the heading when a reply is unreadable', () => {
    const status: NodeStatus = { calico: 'running', families: [{ family: 'IPv4', outcome: 'failed', error: 'unexpected output line from BIRD' }] }
    expect(renderStatusText(status)).toEqual({
      stdout: 'Calico process is running.\n\nIPv4 BGP status\n',
      error: 'error executing command: unexpected output line from BIRD',
    })
  })

  it('prints only the error when Calico is not running, after a process-list error', () => {
    expect(renderStatusText({ calico: 'not-running', families: [], processListError: 'open /nope: no such file or directory' })).toEqual({
      stdout: 'open /nope: no such file or directory\n',
      error: 'Calico process is not running.',
    })
  })

  it('marks a skipped process check', () => {
    expect(renderStatusText({ calico: 'unchecked', families: [] }).stdout).toBe(
      'Calico process check skipped.\n\nThe BGP backend process (BIRD) is not running.\n\n',
    )
  })
})

describe('status as data', () => {
  const status: NodeStatus = {
    calico: 'running',
    families: [sessionsOf('bird1-v4-show-protocols.raw', 'IPv4'), sessionsOf('bird1-v6-show-protocols.raw', 'IPv6')],
  }

  it('lists one JSON object per session with both families', () => {
    const { stdout, error } = renderStatusData(status, 'json')
    expect(error).toBeUndefined()
    const records = JSON.parse(stdout)
    expect(records).toHaveLength(6)
    expect(records[3]).toEqual({
      peerAddress: '127.0.0.3',
      peerPort: 1790,
      peerType: 'global',
      state: 'start',
      since: '17:23:02',
      bgpState: 'Active',
      info: 'Socket: Connection refused',
      addressFamily: 'IPv4',
      protocol: 'Global_127_0_0_3_port_1790',
    })
    expect(records[4]).toMatchObject({ peerAddress: 'fdca:11c0::3', addressFamily: 'IPv6', bgpState: 'Established', info: '' })
    expect(stdout.endsWith('}\n]\n')).toBe(true)
  })

  it('writes YAML with sorted keys', () => {
    const { stdout } = renderStatusData({ calico: 'running', families: [sessionsOf('bird1-v6-show-protocols.raw', 'IPv6')] }, 'yaml')
    expect(stdout.split('\n').slice(0, 9)).toEqual([
      '- addressFamily: IPv6',
      '  bgpState: Established',
      "  info: \"\"",
      '  peerAddress: fdca:11c0::3',
      '  peerType: node-to-node mesh',
      '  protocol: Mesh_fdca_11c0__3',
      '  since: "17:23:06"',
      '  state: up',
      '- addressFamily: IPv6',
    ])
  })

  it('fails after the list when a daemon could not be asked', () => {
    const partial: NodeStatus = {
      calico: 'running',
      families: [sessionsOf('bird1-v6-show-protocols.raw', 'IPv6'), { family: 'IPv4', outcome: 'unreachable', error: 'dial unix /x: connect: connection refused' }],
    }
    const { stdout, error } = renderStatusData(partial, 'json')
    expect(JSON.parse(stdout)).toHaveLength(2)
    expect(error).toBe('Error querying BIRD: unable to connect to BIRDv4 socket: dial unix /x: connect: connection refused')
    expect(renderStatusData({ calico: 'running', families: [] }, 'json')).toEqual({ stdout: '[]\n' })
    expect(renderStatusData({ calico: 'not-running', families: [] }, 'json')).toEqual({ stdout: '', error: 'Calico process is not running.' })
  })
})

describe('go-pretty box table', () => {
  it('upper-cases headers, pads cells and has no rules between rows', () => {
    expect(renderBoxTable(['Name', 'State'], [['a', 'up'], ['longer', '']])).toBe(
      '+--------+-------+\n| NAME   | STATE |\n+--------+-------+\n| a      | up    |\n| longer |       |\n+--------+-------+\n',
    )
  })
})

/** A fake /proc with one process per argv (NUL-separated cmdline), plus noise calicoctl must skip. */
function fakeProc(name: string, processes: string[][]): string {
  const dir = join(scratch, name)
  processes.forEach((argv, i) => {
    mkdirSync(join(dir, String(100 + i)), { recursive: true })
    writeFileSync(join(dir, String(100 + i), 'cmdline'), argv.map((a) => `${a}\0`).join(''))
  })
  mkdirSync(join(dir, '7'), { recursive: true })
  writeFileSync(join(dir, '7', 'cmdline'), '') // a zombie
  mkdirSync(join(dir, 'self'), { recursive: true })
  return dir
}

describe('process check', () => {
  it('matches any pattern position exactly (an OR), never by basename', () => {
    expect(psContains(['calico-node', '-felix'], [['calico-node', '-bird']])).toBe(true)
    expect(psContains(['calico-node', '-felix'], [['/usr/bin/anything', '-felix']])).toBe(true)
    expect(psContains(['calico-node', '-felix'], [['calico', 'component', 'felix']])).toBe(false)
    expect(psContains(['bird'], [['/usr/sbin/bird', '-c', 'x']])).toBe(false)
    expect(psContains(['bird'], [['bird6']])).toBe(false)
    expect(psContains(['calico-felix'], [[]])).toBe(false)
  })

  it('reads argv from /proc/<pid>/cmdline and skips empty ones', () => {
    const dir = fakeProc('proc-list', [['bird', '-R', '-s', '/var/run/calico/bird.ctl'], ['calico-felix']])
    expect(listProcesses(dir)).toEqual({ processes: [['bird', '-R', '-s', '/var/run/calico/bird.ctl'], ['calico-felix']] })
    expect(listProcesses(join(scratch, 'missing'))).toEqual({ processes: [], error: `open ${join(scratch, 'missing')}: no such file or directory` })
  })

  it('refuses non-root users on stdout', () => {
    let thrown: unknown
    try {
      requireRoot(() => 1000)
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(CommandError)
    expect(thrown).toMatchObject({ message: 'Need super user privileges: Operation not permitted', stream: 'stdout' })
    expect(() => requireRoot(() => 0)).not.toThrow()
  })
})

/** A fake BIRD: greets, waits for one command line, answers with a recorded reply and keeps the socket open. */
async function fakeBird(path: string, reply: string): Promise<net.Server> {
  const server = net.createServer((socket) => {
    socket.write(reply.slice(0, reply.indexOf('\n') + 1))
    socket.once('data', () => socket.write(reply.slice(reply.indexOf('\n') + 1)))
    socket.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(path, resolve))
  return server
}

describe('collecting the status', () => {
  const options = { skipProcessCheck: false, timeoutMs: 1000, bird2: false }

  it('asks the BIRD sockets of the running daemons', async () => {
    const sock = join(scratch, 'bird.ctl')
    const server = await fakeBird(sock, fixture('bird1-v4-show-protocols.raw'))
    try {
      const procDir = fakeProc('proc-felix-bird', [['calico-node', '-felix'], ['bird', '-R']])
      const status = await collectNodeStatus({ ...options, procDir, sockets: { IPv4: [join(scratch, 'none.ctl'), sock], IPv6: [] } })
      expect(status.calico).toBe('running')
      expect(status.families.map((f) => f.outcome)).toEqual(['ok', 'not-running'])
      expect(status.families[0].outcome === 'ok' && status.families[0].sessions.map((s) => s.displayAddress)).toEqual([
        '127.0.0.3',
        '127.0.0.9',
        '127.0.0.10',
        '127.0.0.3.port.1790',
      ])
    } finally {
      server.close()
    }
  })

  it('stops at the Felix check and does not look for BIRD', async () => {
    const procDir = fakeProc('proc-bird-only', [['bird'], ['calico', 'component', 'felix']])
    expect(await collectNodeStatus({ ...options, procDir, sockets: { IPv4: [], IPv6: [] } })).toEqual({ calico: 'not-running', families: [] })
  })

  it('without the process check, treats existing socket files as running daemons', async () => {
    const stale = join(scratch, 'stale.ctl')
    writeFileSync(stale, '')
    const status = await collectNodeStatus({
      ...options,
      skipProcessCheck: true,
      procDir: join(scratch, 'missing'),
      sockets: { IPv4: [join(scratch, 'absent.ctl')], IPv6: [stale] },
    })
    expect(status).toEqual({
      calico: 'unchecked',
      families: [
        { family: 'IPv4', outcome: 'not-running' },
        { family: 'IPv6', outcome: 'unreachable', error: `dial unix ${stale}: connect: connection refused` },
      ],
    })
  })
})
