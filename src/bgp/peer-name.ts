/**
 * Calico's BIRD protocol names: confd names each BGP session `<Kind>_<peer IP>` with the
 * address's `.` or `:` turned into `_`, plus `_port_<n>` when the peer has a port, e.g.
 * `Mesh_10_0_0_3`, `Node_fd00_1__3`, `Global_10_0_0_9_port_1790`.
 */

export type AddressFamily = 'IPv4' | 'IPv6'

const PEER_NAME = /^(Global|Node|Mesh)_(.+)$/

const PEER_TYPES: Record<string, string> = {
  Mesh: 'node-to-node mesh',
  Node: 'node specific',
  Global: 'global',
}

export interface PeerName {
  /** `node-to-node mesh`, `node specific` or `global`. */
  peerType: string
  /** The name's address part decoded as calicoctl shows it: every `_` replaced, port suffix included. */
  displayAddress: string
  /** The peer's IP without the port suffix. */
  address: string
  port?: number
  family: AddressFamily
}

const PORT_SUFFIX = /^(.+)_port_(\d+)$/
const IPV4_SHAPE = /^\d{1,3}(_\d{1,3}){3}$/

/**
 * Decodes a protocol name, or returns undefined for names that are not Calico peers
 * (`kernel1`, `Local_Workload_...`). `family` is the family of the socket the name came
 * from; 'infer' (for BIRD 2, one daemon for both families) decides from the name's shape.
 */
export function decodePeerName(name: string, family: AddressFamily | 'infer'): PeerName | undefined {
  const match = PEER_NAME.exec(name)
  if (!match) return undefined
  const encoded = match[2]
  const withPort = PORT_SUFFIX.exec(encoded)
  const encodedAddress = withPort ? withPort[1] : encoded
  const resolved: AddressFamily = family === 'infer' ? (IPV4_SHAPE.test(encodedAddress) ? 'IPv4' : 'IPv6') : family
  const separator = resolved === 'IPv4' ? '.' : ':'
  return {
    peerType: PEER_TYPES[match[1]],
    displayAddress: encoded.replaceAll('_', separator),
    address: encodedAddress.replaceAll('_', separator),
    port: withPort ? Number(withPort[2]) : undefined,
    family: resolved,
  }
}
