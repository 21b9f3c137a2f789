import { decodePeerName, type AddressFamily } from './peer-name.js'

/**
 * Reading BIRD's reply to `show protocols` line by line, with calicoctl's rules: reply
 * codes decide what a line is, rows are split on whitespace (BIRD pads columns but long
 * names push them right), and only BGP rows with Calico peer names become sessions.
 */

/** One BGP session as `calicoctl node status` reports it. */
export interface BgpSession {
  /** BIRD protocol name, e.g. `Mesh_10_0_0_3`. */
  protocol: string
  /** Address as the status table shows it (upstream decoding, port suffix included). */
  displayAddress: string
  peerAddress: string
  peerPort?: number
  peerType: string
  family: AddressFamily
  /** BIRD protocol state: up, start, stop, ... */
  state: string
  since: string
  /** BGP state: Established, Active, Connect, ... */
  bgpState: string
  /** Extra info after the BGP state, e.g. `Socket: Connection refused`; may be empty. */
  info: string
}

/** A reply calicoctl cannot read; the message is upstream's. */
export class BirdReplyError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BirdReplyError'
  }
}

const HEADINGS = ['name', 'proto', 'table', 'state', 'since', 'info']

export interface ScanOptions {
  /**
   * Read BIRD 2.x replies too. Upstream fails on their capitalised heading with `unknown BIRD
   * table output format`, and so does this scanner without the option.
   */
  bird2?: boolean
}

/** Accumulates sessions from reply lines; `push` returns true once the reply has ended. */
export class ShowProtocolsScanner {
  readonly sessions: BgpSession[] = []
  /** BIRD 2 serves both families from one socket, so addresses are decoded by their shape. */
  private seenBird2 = false

  constructor(
    private readonly family: AddressFamily,
    private readonly options: ScanOptions = {},
  ) {}

  push(line: string): boolean {
    if (line.startsWith('0000')) return true
    if (line.startsWith('0001')) {
      // The greeting, e.g. `0001 BIRD 2.0.12 ready.`
      if (this.options.bird2 && /^0001 BIRD 2\./.test(line)) this.seenBird2 = true
    } else if (line.startsWith('2002')) {
      const fields = line.slice(5).split(/\s+/).filter(Boolean)
      // BIRD 1 writes the headings in lower case, BIRD 2 capitalised.
      if (fields.join(' ') !== HEADINGS.join(' ')) {
        if (!this.options.bird2 || fields.join(' ').toLowerCase() !== HEADINGS.join(' ')) throw new BirdReplyError('unknown BIRD table output format')
        this.seenBird2 = true
      }
    } else if (line.startsWith('1002')) {
      this.addRow(line.slice(5))
    } else if (line.startsWith(' ')) {
      this.addRow(line.slice(1))
    } else {
      throw new BirdReplyError('unexpected output line from BIRD')
    }
    return false
  }

  /** Rows that are not BGP, not Calico-named, or lack a BGP state (a disabled peer) are skipped. */
  private addRow(row: string): void {
    const columns = row.split(/\s+/).filter(Boolean)
    if (columns.length < 6 || columns[1] !== 'BGP') return
    const peer = decodePeerName(columns[0], this.seenBird2 ? 'infer' : this.family)
    if (!peer) return
    this.sessions.push({
      protocol: columns[0],
      displayAddress: peer.displayAddress,
      peerAddress: peer.address,
      peerPort: peer.port,
      peerType: peer.peerType,
      family: peer.family,
      state: columns[3],
      since: columns[4],
      bgpState: columns[5],
      info: columns.slice(6).join(' '),
    })
  }
}
