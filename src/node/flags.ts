import { Flags } from '../cli/oclif-definitions.js'
import type { AddressFamily } from '../bgp/peer-name.js'
import { DEFAULT_BIRD_SOCKETS, DEFAULT_BIRD_TIMEOUT_MS } from './status.js'

/** Flags of the node commands that talk to BIRD (status, diags). */
export const birdFlags = {
  'bird-socket': Flags.string({
    env: 'CALICO_BIRD_SOCKET',
    description: `BIRD (IPv4) control socket to use instead of ${DEFAULT_BIRD_SOCKETS.IPv4.join(', then ')}`,
  }),
  'bird6-socket': Flags.string({
    env: 'CALICO_BIRD6_SOCKET',
    description: `BIRD6 control socket to use instead of ${DEFAULT_BIRD_SOCKETS.IPv6.join(', then ')}`,
  }),
  'bird-timeout': Flags.custom<number>({
    env: 'CALICO_BIRD_TIMEOUT',
    default: DEFAULT_BIRD_TIMEOUT_MS,
    defaultHelp: async () => `${DEFAULT_BIRD_TIMEOUT_MS / 1000}s`,
    description: 'How long to wait for each line from BIRD, e.g. 2s, 500ms',
    parse: async (input) => parseTimeout(input),
  })(),
}

/** `2s`, `500ms`, `1.5` (seconds) -> milliseconds. */
export function parseTimeout(input: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(input.trim())
  if (!match || Number(match[1]) <= 0) throw new Error(`invalid timeout "${input}": use e.g. 2s or 500ms`)
  return match[2] === 'ms' ? Number(match[1]) : Number(match[1]) * 1000
}

/** A socket given by flag or environment replaces both default locations for its family. */
export function birdSockets(flags: { 'bird-socket'?: string; 'bird6-socket'?: string }): Record<AddressFamily, readonly string[]> {
  return {
    IPv4: flags['bird-socket'] ? [flags['bird-socket']] : DEFAULT_BIRD_SOCKETS.IPv4,
    IPv6: flags['bird6-socket'] ? [flags['bird6-socket']] : DEFAULT_BIRD_SOCKETS.IPv6,
  }
}
