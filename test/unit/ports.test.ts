/**
 * Ports and protocols as the rule, endpoint and Felix checks read them: numorstring.Port's forms and
 * errors, numorstring.Protocol's number-or-name, and which protocols take ports.
 */
import { describe, expect, it } from 'vitest'
import { decodePort, decodeProtocol, protocolSupportsPorts } from '../../src/resources/ports.js'

describe('numorstring.Port', () => {
  it.each<[unknown, ReturnType<typeof decodePort>]>([
    [0, { min: 0, max: 0 }],
    [65535, { min: 65535, max: 65535 }],
    [65536, undefined],
    [-1, undefined],
    [1.5, undefined],
    [true, undefined],
    [null, undefined],
    ['0', { min: 0, max: 0 }],
    ['65535', { min: 65535, max: 65535 }],
    ['65536', { error: 'invalid port format (65536)' }],
    ['1:65535', { min: 1, max: 65535 }],
    ['80:80', { min: 80, max: 80 }],
    ['65536:65537', { error: 'invalid minimum port number in range (65536:65537)' }],
    ['1:65536', { error: 'invalid maximum port number in range (1:65536)' }],
    ['81:80', { error: 'minimum port number (81) is greater than maximum port number (80) in port range' }],
    ['http', { name: 'http' }],
    ['a-b_c.9', { name: 'a-b_c.9' }],
    ['x'.repeat(128), { name: 'x'.repeat(128) }],
    ['x'.repeat(129), { error: `invalid name for named port (${'x'.repeat(129)})` }],
    ['x1:2', { error: 'invalid name for named port (x1:2)' }],
    ['1:2x', { error: 'invalid name for named port (1:2x)' }],
    ['1:2:3', { error: 'invalid name for named port (1:2:3)' }],
    ['http ', { error: 'invalid name for named port (http )' }],
    ['', { error: 'invalid name for named port ()' }],
  ])('%j', (value, port) => {
    expect(decodePort(value)).toEqual(port)
  })
})

describe('numorstring.Protocol', () => {
  it.each<[unknown, number | string]>([
    [undefined, 0],
    [null, 0],
    [6, 6],
    [300, 300],
    ['17', 17],
    ['255', 255],
    ['256', '256'],
    ['TCP', 'TCP'],
    ['6x', '6x'],
    ['x6', 'x6'],
    [' 6', ' 6'],
  ])('%j is held as %j', (value, held) => {
    expect(decodeProtocol(value)).toBe(held)
  })

  it.each<[number | string, boolean]>([
    [6, true],
    [17, true],
    [132, true],
    [1, false],
    [58, false],
    ['TCP', true],
    ['UDP', true],
    ['SCTP', true],
    ['tcp', true],
    ['udp', true],
    ['sctp', true],
    ['Tcp', false],
    ['ICMP', false],
    ['UDPLite', false],
  ])('%j supports ports: %s', (protocol, supports) => {
    expect(protocolSupportsPorts(protocol)).toBe(supports)
  })
})
