/**
 * `bgp topology --live`: this node's computed sessions beside the ones its BIRD daemons report,
 * joined on BIRD's protocol name (which confd derives from the peer's address and port).
 */
import { existsSync, readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { queryBgpSessions } from '../bird-sessions.js'
import type { AddressFamily } from '../peer-name.js'
import type { BgpSession } from '../show-protocols.js'
import { renderTable } from '../../output/table.js'
import type { IpVersion, Session } from './compute.js'
import { peerAddress } from './render.js'

export type Verdict = 'established' | 'down' | 'missing' | 'unexplained' | 'unknown'

export interface LiveEntry {
  protocol: string
  expected?: Session
  live?: BgpSession
  verdict: Verdict
}

export interface LiveReport {
  node: string
  entries: LiveEntry[]
  /** Families whose BIRD could not be asked, with the reason. */
  unreachable: { family: AddressFamily; error: string }[]
}

/** calico-node's own rule for its name: NODENAME, then the file it writes, then the host name. */
export function localNodeName(env: NodeJS.ProcessEnv = process.env, nodenameFile = '/var/lib/calico/nodename'): string {
  if (env.NODENAME) return env.NODENAME
  if (existsSync(nodenameFile)) {
    const name = readFileSync(nodenameFile, 'utf8').trim()
    if (name) return name
  }
  return hostname()
}

const FAMILY: Record<IpVersion, AddressFamily> = { 4: 'IPv4', 6: 'IPv6' }

export async function collectLive(
  node: string,
  expected: Session[],
  sockets: Record<AddressFamily, readonly string[]>,
  timeoutMs: number,
  bird2: boolean,
): Promise<LiveReport> {
  const entries: LiveEntry[] = []
  const unreachable: LiveReport['unreachable'] = []
  const mine = expected.filter((s) => s.node === node)
  for (const version of [4, 6] as IpVersion[]) {
    const family = FAMILY[version]
    const wanted = mine.filter((s) => s.ipVersion === version)
    const query = await queryBgpSessions(sockets[family], family, timeoutMs, { bird2 })
    if (query.outcome !== 'ok') {
      // A family without expected sessions often has no BIRD at all: not worth a word.
      if (wanted.length > 0) unreachable.push({ family, error: query.error })
      for (const s of wanted) entries.push({ protocol: s.protocol, expected: s, verdict: 'unknown' })
      continue
    }
    const live = new Map(query.sessions.filter((s) => s.family === family).map((s) => [s.protocol, s]))
    for (const s of wanted) {
      const found = live.get(s.protocol)
      live.delete(s.protocol)
      entries.push({ protocol: s.protocol, expected: s, live: found, verdict: !found ? 'missing' : found.bgpState === 'Established' ? 'established' : 'down' })
    }
    for (const [protocol, s] of live) entries.push({ protocol, live: s, verdict: 'unexplained' })
  }
  return { node, entries, unreachable }
}

const VERDICT_TEXT: Record<Verdict, string> = {
  established: 'expected, Established',
  down: 'expected, not Established',
  missing: 'expected, not in BIRD',
  unexplained: 'not in the configuration',
  unknown: 'expected, BIRD not reachable',
}

export function renderLive(report: LiveReport): { stdout: string; agrees: boolean } {
  const rows = report.entries.map((e) => {
    const s = e.expected
    const bird = e.live ? [e.live.state, e.live.bgpState, e.live.info].filter(Boolean).join(' ') : ''
    return [
      s?.peer ?? e.live?.peerAddress ?? '',
      s ? peerAddress(s) : (e.live?.displayAddress ?? ''),
      s?.type ?? e.live?.peerType ?? '',
      s?.source ?? '',
      e.protocol,
      bird,
      VERDICT_TEXT[e.verdict],
    ]
  })
  let out = `BGP sessions of node ${report.node}: the configuration against BIRD\n`
  out += rows.length ? renderTable(['PEER', 'PEER IP', 'TYPE', 'FROM', 'PROTOCOL', 'BIRD', 'VERDICT'], rows) : 'No BGP sessions, expected or live.\n'
  for (const u of report.unreachable) out += `BIRD (${u.family}) could not be asked: ${u.error}\n`
  const count = (v: Verdict) => report.entries.filter((e) => e.verdict === v).length
  const expected = report.entries.filter((e) => e.expected).length
  out += `${expected} expected: ${count('established')} Established, ${count('down')} not Established, ${count('missing')} not in BIRD${count('unknown') ? `, ${count('unknown')} unknown` : ''}; ${count('unexplained')} live session(s) the configuration does not explain.\n`
  return { stdout: out, agrees: report.entries.every((e) => e.verdict === 'established') }
}
