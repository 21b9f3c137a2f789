/** Ports as Go's numorstring.Port decodes them: a number, a `min:max` range or a port name. */

export type Port = { min: number; max: number } | { name: string }

/** numorstring.PortFromString, or the message of its error. */
export function decodePort(value: unknown): Port | { error: string } | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 65535 ? { min: value, max: value } : undefined
  if (typeof value !== 'string') return undefined
  if (/^\d+$/.test(value)) {
    const n = Number(value)
    return n <= 65535 ? { min: n, max: n } : { error: `invalid port format (${value})` }
  }
  const range = /^(\d+):(\d+)$/.exec(value)
  if (range) {
    const [min, max] = [Number(range[1]), Number(range[2])]
    if (min > 65535) return { error: `invalid minimum port number in range (${value})` }
    if (max > 65535) return { error: `invalid maximum port number in range (${value})` }
    if (min > max) return { error: `minimum port number (${min}) is greater than maximum port number (${max}) in port range` }
    return { min, max }
  }
  if (!/^[a-zA-Z0-9_.-]{1,128}$/.test(value)) return { error: `invalid name for named port (${value})` }
  return { name: value }
}

/** numorstring.Protocol as decoded: absent is the number 0, decimal text up to 255 a number. */
export function decodeProtocol(value: unknown): number | string {
  if (value === undefined || value === null) return 0
  if (typeof value === 'number') return value
  const text = String(value)
  return /^\d+$/.test(text) && Number(text) <= 255 ? Number(text) : text
}

/** Protocol.SupportsPorts: TCP, UDP and SCTP, by number or by name in either case. */
export function protocolSupportsPorts(protocol: number | string): boolean {
  return typeof protocol === 'number' ? [6, 17, 132].includes(protocol) : ['TCP', 'UDP', 'SCTP', 'tcp', 'udp', 'sctp'].includes(protocol)
}
