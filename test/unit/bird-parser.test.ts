import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { decodePeerName, type AddressFamily } from '../../src/bgp/peer-name.js'
import { ShowProtocolsScanner, type BgpSession, type ScanOptions } from '../../src/bgp/show-protocols.js'

/** Raw control-socket transcripts (greeting + reply to `show protocols`) recorded from real BIRD daemons. */
const fixture = (name: string): string => readFileSync(new URL(`../fixtures/bird/${name}`, import.meta.url), 'utf8')

/** Feeds a transcript line by line, as the socket client does. */
function scan(reply: string, family: AddressFamily, options: ScanOptions = {}): BgpSession[] {
  const scanner = new ShowProtocolsScanner(family, options)
  for (const line of reply.split('\n')) if (scanner.push(line)) return scanner.sessions
  throw new Error('reply did not end with 0000')
}

const row = (s: BgpSession): string[] => [s.protocol, s.displayAddress, s.peerType, s.state, s.since, s.bgpState, s.info]

describe('BIRD 1.6 show protocols (IPv4 transcript)', () => {
  const sessions = scan(fixture('bird1-v4-show-protocols.raw'), 'IPv4')

  it('keeps only BGP rows with Calico peer names, in BIRD order', () => {
    expect(sessions.map(row)).toEqual([
      ['Mesh_127_0_0_3', '127.0.0.3', 'node-to-node mesh', 'up', '17:23:04', 'Established', ''],
      ['Node_127_0_0_9', '127.0.0.9', 'node specific', 'start', '17:23:02', 'Active', 'Socket: Connection refused'],
      ['Global_127_0_0_10', '127.0.0.10', 'global', 'start', '17:23:02', 'Active', 'Socket: Connection refused'],
      ['Global_127_0_0_3_port_1790', '127.0.0.3.port.1790', 'global', 'start', '17:23:02', 'Active', 'Socket: Connection refused'],
    ])
  })

  it('separates the port of a port-suffixed name for machine output', () => {
    expect(sessions[3]).toMatchObject({ peerAddress: '127.0.0.3', peerPort: 1790, family: 'IPv4' })
    expect(sessions[0].peerPort).toBeUndefined()
  })
})

describe('BIRD 1.6 show protocols (IPv6 transcript)', () => {
  it('decodes addresses with ":" on the IPv6 socket', () => {
    expect(scan(fixture('bird1-v6-show-protocols.raw'), 'IPv6').map(row)).toEqual([
      ['Mesh_fdca_11c0__3', 'fdca:11c0::3', 'node-to-node mesh', 'up', '17:23:06', 'Established', ''],
      ['Node_fdca_11c0__9', 'fdca:11c0::9', 'node specific', 'start', '17:23:05', 'Connect', 'Error: Neighbor lost'],
    ])
  })
})

describe('BIRD 2.x show protocols', () => {
  it("refuses the capitalised heading by default, with upstream's error", () => {
    expect(() => scan(fixture('bird2-v4-show-protocols.raw'), 'IPv4')).toThrow('unknown BIRD table output format')
  })

  it('with the bird2 option, accepts the capitalised heading and keeps the millisecond times', () => {
    expect(scan(fixture('bird2-v4-show-protocols.raw'), 'IPv4', { bird2: true }).map(row)).toEqual([
      ['Mesh_127_0_0_5', '127.0.0.5', 'node-to-node mesh', 'up', '17:23:13.951', 'Established', ''],
      ['Node_127_0_0_9', '127.0.0.9', 'node specific', 'start', '17:23:12.434', 'Active', 'Socket: Connection refused'],
    ])
  })

  it('decodes each name by its shape, since one BIRD 2 socket serves both families', () => {
    // Recorded from scripts/bird.sh's BIRD 2.0.12 node A2.
    const sessions = scan(fixture('bird2-lab-show-protocols.raw'), 'IPv4', { bird2: true })
    expect(sessions.map((s) => [s.displayAddress, s.peerAddress, s.peerPort, s.family, s.bgpState, s.info])).toEqual([
      ['127.0.0.15', '127.0.0.15', undefined, 'IPv4', 'Established', ''],
      ['::1:port:1790', '::1', 1790, 'IPv6', 'Active', 'Socket: Connection refused'],
    ])
  })
})

describe('replies calicoctl refuses', () => {
  it('fails on an error reply instead of the table', () => {
    expect(() => scan(fixture('bird1-v4-syntax-error.raw'), 'IPv4')).toThrow('unexpected output line from BIRD')
    expect(() => scan(fixture('bird2-syntax-error.raw'), 'IPv4')).toThrow('unexpected output line from BIRD')
  })

  it('fails on detail lines (1006-) of `show protocols all`', () => {
    expect(() => scan(fixture('bird1-v4-show-protocols-all.raw'), 'IPv4')).toThrow('unexpected output line from BIRD')
  })

  it('fails on a heading with other columns', () => {
    expect(() => scan('0001 BIRD 1.6.8 ready.\n2002-name proto table state since\n0000 \n', 'IPv4')).toThrow('unknown BIRD table output format')
  })

  it('fails on an empty line', () => {
    expect(() => scan('2002-name proto table state since info\n\n0000 \n', 'IPv4')).toThrow('unexpected output line from BIRD')
  })
})

describe('row rules', () => {
  const reply = (rows: string[]): string => `0001 BIRD 1.6.8 ready.\n2002-name     proto    table    state  since       info\n${rows.join('\n')}\n0000 \n`

  it('skips a disabled peer whose info column is empty', () => {
    const sessions = scan(reply(['1002-Node_127_0_0_9 BGP      master   down   17:21:58    ', ' Mesh_10_0_0_1 BGP master up 2024-01-02 Established']), 'IPv4')
    expect(sessions.map((s) => s.protocol)).toEqual(['Mesh_10_0_0_1'])
    expect(sessions[0].since).toBe('2024-01-02')
  })

  it('collapses runs of spaces inside the extra info', () => {
    const [session] = scan(reply([' Global_10_0_0_1 BGP master start 17:00:00 Active   Socket:   Connection   refused']), 'IPv4')
    expect(session.info).toBe('Socket: Connection refused')
  })

  it('stops at 0000 and ignores what follows', () => {
    const scanner = new ShowProtocolsScanner('IPv4')
    expect(scanner.push('1002-Mesh_10_0_0_1 BGP master up 17:00:00 Established')).toBe(false)
    expect(scanner.push('0000 ')).toBe(true)
    expect(scanner.sessions).toHaveLength(1)
  })
})

describe('protocol name decoding', () => {
  it('maps the three Calico kinds to their peer types', () => {
    expect(decodePeerName('Mesh_10_0_0_1', 'IPv4')?.peerType).toBe('node-to-node mesh')
    expect(decodePeerName('Node_10_0_0_1', 'IPv4')?.peerType).toBe('node specific')
    expect(decodePeerName('Global_10_0_0_1', 'IPv4')?.peerType).toBe('global')
  })

  it('ignores names that are not exactly Mesh_/Node_/Global_', () => {
    for (const name of ['Local_Workload_10_0_0_1', 'Meshd_10_0_0_1', 'mesh_10_0_0_1', 'Mesh_', 'kernel1']) {
      expect(decodePeerName(name, 'IPv4')).toBeUndefined()
    }
  })

  it('replaces every underscore, port suffix included, like calicoctl', () => {
    expect(decodePeerName('Global_ac13__57_port_50', 'IPv6')).toEqual({
      peerType: 'global',
      displayAddress: 'ac13::57:port:50',
      address: 'ac13::57',
      port: 50,
      family: 'IPv6',
    })
  })

  it('follows the socket family even for a name of the other shape (BIRD 1)', () => {
    expect(decodePeerName('Mesh_fd00__1', 'IPv4')?.displayAddress).toBe('fd00..1')
  })

  it('infers the family from the shape for BIRD 2', () => {
    expect(decodePeerName('Node_192_168_1_1_port_179', 'infer')).toMatchObject({ address: '192.168.1.1', port: 179, family: 'IPv4' })
    expect(decodePeerName('Node_2001_db8__1', 'infer')).toMatchObject({ address: '2001:db8::1', family: 'IPv6' })
  })
})
