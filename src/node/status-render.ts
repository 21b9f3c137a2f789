import type { BgpSession } from '../bgp/show-protocols.js'
import { renderBoxTable } from '../output/box-table.js'
import { toGoJson } from '../output/json.js'
import { toGoYaml } from '../output/yaml.js'
import type { Rendered } from './rendered.js'
import type { FamilyStatus, NodeStatus } from './status.js'


const NOT_RUNNING = 'Calico process is not running.'
const version = (f: FamilyStatus): string => (f.family === 'IPv4' ? '4' : '6')
const unreachable = (f: FamilyStatus & { error: string }): string => `unable to connect to BIRDv${version(f)} socket: ${f.error}`

/** Byte for byte what calicoctl prints (the one addition: the line for a skipped process check). */
export function renderStatusText(status: NodeStatus): Rendered {
  let out = status.processListError === undefined ? '' : `${status.processListError}\n`
  if (status.calico === 'not-running') return { stdout: out, error: NOT_RUNNING }
  out += status.calico === 'running' ? 'Calico process is running.\n' : 'Calico process check skipped.\n'
  if (status.families.length === 0) return { stdout: `${out}\nThe BGP backend process (BIRD) is not running.\n\n` }
  for (const f of status.families) {
    const v = version(f)
    if (f.outcome === 'not-running') {
      out += `\nINFO: BIRDv${v} process: 'bird${v === '4' ? '' : '6'}' is not running.\n`
      continue
    }
    out += `\nIPv${v} BGP status\n`
    if (f.outcome === 'failed') return { stdout: out, error: `error executing command: ${f.error}` }
    // calicoctl ends this message without a newline; the next section's leading one ends it.
    if (f.outcome === 'unreachable') out += `Error querying BIRD: ${unreachable(f)}`
    else if (f.sessions.length === 0) out += `No IPv${v} peers found.\n`
    else out += renderBoxTable(['Peer address', 'Peer type', 'State', 'Since', 'Info'], f.sessions.map(tableRow))
  }
  return { stdout: `${out}\n` }
}

function tableRow(s: BgpSession): string[] {
  return [s.displayAddress, s.peerType, s.state, s.since, s.info ? `${s.bgpState} ${s.info}` : s.bgpState]
}

/** One entry per BGP session, for `-o json|yaml`. */
export interface SessionRecord {
  peerAddress: string
  peerPort?: number
  peerType: string
  state: string
  since: string
  bgpState: string
  info: string
  addressFamily: string
  protocol: string
}

/**
 * All sessions as one list. Anything that kept a daemon from answering is an error (exit 1)
 * after the list, so a monitoring script never mistakes a dead socket for "no peers".
 */
export function renderStatusData(status: NodeStatus, format: 'json' | 'yaml'): Rendered {
  if (status.calico === 'not-running') return { stdout: '', error: NOT_RUNNING }
  const records: SessionRecord[] = []
  const errors: string[] = []
  for (const f of status.families) {
    if (f.outcome === 'ok') records.push(...f.sessions.map(sessionRecord))
    else if (f.outcome === 'unreachable') errors.push(`Error querying BIRD: ${unreachable(f)}`)
    else if (f.outcome === 'failed') errors.push(`error executing command: ${f.error}`)
  }
  const stdout = format === 'json' ? `${toGoJson(records, true)}\n` : toGoYaml(records)
  return errors.length ? { stdout, error: errors.join('\n') } : { stdout }
}

function sessionRecord(s: BgpSession): SessionRecord {
  return {
    peerAddress: s.peerAddress,
    peerPort: s.peerPort,
    peerType: s.peerType,
    state: s.state,
    since: s.since,
    bgpState: s.bgpState,
    info: s.info,
    addressFamily: s.family,
    protocol: s.protocol,
  }
}
