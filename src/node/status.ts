import { existsSync } from 'node:fs'
import { queryBgpSessions, type SessionsQuery } from '../bgp/bird-sessions.js'
import type { AddressFamily } from '../bgp/peer-name.js'
import { listProcesses, psContains } from './processes.js'

/**
 * Gathering `calicoctl node status`: is Calico running, which BIRD daemons run, and
 * what their control sockets report.
 */

/** Where calico/node puts the sockets, then where a stock BIRD install does. */
export const DEFAULT_BIRD_SOCKETS: Record<AddressFamily, readonly string[]> = {
  IPv4: ['/var/run/calico/bird.ctl', '/var/run/bird/bird.ctl'],
  IPv6: ['/var/run/calico/bird6.ctl', '/var/run/bird/bird6.ctl'],
}

/** calicoctl waits this long for each line from BIRD. */
export const DEFAULT_BIRD_TIMEOUT_MS = 2000

export interface NodeStatusOptions {
  /** Socket paths tried in order, per family. */
  sockets: Record<AddressFamily, readonly string[]>
  /**
   * Judge by the sockets instead of the process list: a BIRD daemon counts as running when
   * one of its socket files exists, and Felix is not looked for. For calicoctl in its own
   * container, which cannot see calico/node's processes but can mount /var/run/calico.
   */
  skipProcessCheck: boolean
  procDir: string
  timeoutMs: number
  /** Read BIRD 2.x replies, which upstream refuses. */
  bird2: boolean
}

export type FamilyStatus = { family: AddressFamily } & ({ outcome: 'not-running' } | SessionsQuery)

export interface NodeStatus {
  calico: 'running' | 'not-running' | 'unchecked'
  /** Printed as is, like calicoctl does when the process list cannot be read. */
  processListError?: string
  /** Per family in order IPv4, IPv6; empty when no BIRD runs. Stops after a failed query. */
  families: FamilyStatus[]
}

const FAMILIES: readonly AddressFamily[] = ['IPv4', 'IPv6']

export async function collectNodeStatus(options: NodeStatusOptions): Promise<NodeStatus> {
  let calico: NodeStatus['calico'] = 'unchecked'
  let processListError: string | undefined
  let birdRuns: (family: AddressFamily) => boolean
  if (options.skipProcessCheck) {
    birdRuns = (family) => options.sockets[family].some((path) => existsSync(path))
  } else {
    const list = listProcesses(options.procDir)
    processListError = list.error
    // Older calico/node runs `calico-felix`, newer `calico-node -felix`.
    const felix = psContains(['calico-felix'], list.processes) || psContains(['calico-node', '-felix'], list.processes)
    calico = felix ? 'running' : 'not-running'
    if (!felix) return { calico, processListError, families: [] }
    birdRuns = (family) => psContains([family === 'IPv4' ? 'bird' : 'bird6'], list.processes)
  }

  const families: FamilyStatus[] = []
  if (!FAMILIES.some(birdRuns)) return { calico, processListError, families }
  for (const family of FAMILIES) {
    if (!birdRuns(family)) {
      families.push({ family, outcome: 'not-running' })
      continue
    }
    const query = await queryBgpSessions(options.sockets[family], family, options.timeoutMs, { bird2: options.bird2 })
    families.push({ family, ...query })
    if (query.outcome === 'failed') break
  }
  return { calico, processListError, families }
}
