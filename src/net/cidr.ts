import { isIPv4, isIPv6 } from 'node:net'

/** An IP network in canonical form (Go's net.IPNet String()). */
export interface Cidr {
  family: 4 | 6
  /** Network address as an integer (host bits cleared). */
  network: bigint
  prefix: number
  /** Whether the text had host bits set (e.g. 10.0.0.1/24). */
  hadHostBits: boolean
  /** Canonical text: masked network, IPv6 compressed, e.g. `fd00::/64`. */
  text: string
}

function ipv4ToBigInt(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n)
}

function ipv6ToBigInt(ip: string): bigint {
  let text = ip
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (v4) {
    const n = ipv4ToBigInt(v4[1])
    text = `${text.slice(0, -v4[1].length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined]
  const headParts = head ? head.split(':') : []
  const tailParts = tail ? tail.split(':') : []
  const missing = 8 - headParts.length - tailParts.length
  const parts = tail === undefined ? headParts : [...headParts, ...Array(missing).fill('0'), ...tailParts]
  return parts.reduce((acc, h) => (acc << 16n) | BigInt(parseInt(h, 16)), 0n)
}

export function ipToBigInt(ip: string): { family: 4 | 6; value: bigint } | undefined {
  if (isIPv4(ip)) return { family: 4, value: ipv4ToBigInt(ip) }
  if (isIPv6(ip) && !ip.includes('%')) return { family: 6, value: ipv6ToBigInt(ip) }
  return undefined
}

function formatIPv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.')
}

/** RFC 5952 text as Go prints it: longest run (>1) of zero hextets compressed, lower case. */
function formatIPv6(value: bigint): string {
  const hextets = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt((7 - i) * 16)) & 0xffffn))
  let bestStart = -1
  let bestLen = 0
  for (let i = 0; i < 8; ) {
    if (hextets[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && hextets[j] === 0) j++
    if (j - i > bestLen) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  const hex = hextets.map((h) => h.toString(16))
  if (bestLen < 2) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`
}

export function formatIp(family: 4 | 6, value: bigint): string {
  return family === 4 ? formatIPv4(value) : formatIPv6(value)
}

/** Canonical text of a plain IP address, or undefined when it is not one. */
export function normalizeIp(ip: string): string | undefined {
  const parsed = ipToBigInt(ip)
  return parsed && formatIp(parsed.family, parsed.value)
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/')
  if (slash < 0) return undefined
  const ip = ipToBigInt(text.slice(0, slash))
  const prefixText = text.slice(slash + 1)
  if (!ip || !/^\d{1,3}$/.test(prefixText)) return undefined
  const prefix = Number(prefixText)
  const bits = ip.family === 4 ? 32 : 128
  if (prefix > bits) return undefined
  const hostMask = (1n << BigInt(bits - prefix)) - 1n
  const network = ip.value & ~hostMask
  return {
    family: ip.family,
    network,
    prefix,
    hadHostBits: network !== ip.value,
    text: `${formatIp(ip.family, network)}/${prefix}`,
  }
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false
  const bits = a.family === 4 ? 32 : 128
  const prefix = Math.min(a.prefix, b.prefix)
  const shift = BigInt(bits - prefix)
  return a.network >> shift === b.network >> shift
}

/** Go's net.ParseIP, with an IPv4-mapped IPv6 address read as IPv4 as Calico's IP type does. */
export function parseGoIp(text: string): { family: 4 | 6; value: bigint } | undefined {
  const ip = ipToBigInt(text)
  if (ip?.family === 6 && ip.value >> 32n === 0xffffn) return { family: 4, value: ip.value & 0xffffffffn }
  return ip
}
