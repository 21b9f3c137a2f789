import { BirdSocketError, dialFirst } from './bird-socket.js'
import type { AddressFamily } from './peer-name.js'
import { BirdReplyError, ShowProtocolsScanner, type BgpSession, type ScanOptions } from './show-protocols.js'

/** What asking one BIRD daemon for its BGP sessions gave. */
export type SessionsQuery =
  /** No candidate socket could be dialled; `error` is the last dial error. */
  | { outcome: 'unreachable'; error: string }
  /** Connected, but the exchange failed (bad reply, timeout, write error). */
  | { outcome: 'failed'; error: string }
  | { outcome: 'ok'; sessions: BgpSession[] }

/**
 * Sends `show protocols` to the first socket that answers and reads the reply. Like
 * calicoctl it writes without waiting for the greeting, allows `timeoutMs` per line, and
 * takes an early end of stream as the end of the reply.
 */
export async function queryBgpSessions(paths: readonly string[], family: AddressFamily, timeoutMs: number, scan: ScanOptions = {}): Promise<SessionsQuery> {
  let connection
  try {
    connection = await dialFirst(paths)
  } catch (err) {
    return { outcome: 'unreachable', error: (err as Error).message }
  }
  try {
    await connection.write('show protocols\n').catch((err: Error) => {
      throw new BirdSocketError(`unable to write to BIRD socket: ${err.message}`)
    })
    const scanner = new ShowProtocolsScanner(family, scan)
    for (;;) {
      const line = await connection.readLine(timeoutMs)
      if (line === undefined || scanner.push(line)) break
    }
    return { outcome: 'ok', sessions: scanner.sessions }
  } catch (err) {
    if (err instanceof BirdSocketError || err instanceof BirdReplyError) return { outcome: 'failed', error: err.message }
    throw err
  } finally {
    connection.close()
  }
}
