/**
 * What the CEL library's cidr() says of a string Go's net/netip refuses: the text an IP pool's
 * CEL rules report as their evaluation error (`<error> evaluating rule: <message>`). Texts are Go's.
 */
import { describe, expect, it } from 'vitest'
import { goQuote } from '../../src/go-quote.js'
import { celCidrError, netipPrefixError } from '../../src/resources/go-netip.js'

const addr = (input: string, message: string) => `netip.ParsePrefix("${input}/8"): ParseAddr(${goQuote(input)}): ${message}`

describe('netip.ParsePrefix errors', () => {
  it.each<[string, string | undefined]>([
    ['10.0.0.0/8', undefined],
    ['0.0.0.0/0', undefined],
    ['fd00::/128', undefined],
    ['::/0', undefined],
    ['::ffff:1.2.3.4/128', undefined],
    ['1:2:3:4:5:6:255.255.255.255/128', undefined],
    ['1::2/64', undefined],
    ['10.0.0.0', `netip.ParsePrefix("10.0.0.0"): no '/'`],
    ['10.0.0.0/33', 'netip.ParsePrefix("10.0.0.0/33"): prefix length out of range'],
    ['fd00::/129', 'netip.ParsePrefix("fd00::/129"): prefix length out of range'],
    ['10.0.0.0/32', undefined],
    ['10.0.0.0/08', 'netip.ParsePrefix("10.0.0.0/08"): bad bits after slash: "08"'],
    ['10.0.0.0/00', 'netip.ParsePrefix("10.0.0.0/00"): bad bits after slash: "00"'],
    ['10.0.0.0/+8', 'netip.ParsePrefix("10.0.0.0/+8"): bad bits after slash: "+8"'],
    ['10.0.0.0/-1', 'netip.ParsePrefix("10.0.0.0/-1"): bad bits after slash: "-1"'],
    ['10.0.0.0/', 'netip.ParsePrefix("10.0.0.0/"): bad bits after slash: ""'],
    ['10.0.0.0/8 ', 'netip.ParsePrefix("10.0.0.0/8 "): bad bits after slash: "8 "'],
    ['10.0.0.0/99999999999999999999', 'netip.ParsePrefix("10.0.0.0/99999999999999999999"): bad bits after slash: "99999999999999999999"'],
    ['10.0.0.0/9223372036854775807', 'netip.ParsePrefix("10.0.0.0/9223372036854775807"): prefix length out of range'],
    ['10.0.0.0/9223372036854775808', 'netip.ParsePrefix("10.0.0.0/9223372036854775808"): bad bits after slash: "9223372036854775808"'],
    ['fe80::1%eth0/64', 'netip.ParsePrefix("fe80::1%eth0/64"): IPv6 zones cannot be present in a prefix'],
    ['10.0.0.0/8/8', 'netip.ParsePrefix("10.0.0.0/8/8"): ParseAddr("10.0.0.0/8"): unexpected character (at "/8")'],
    ['999/8', addr('999', 'unable to parse IP')],
    ['/8', addr('', 'unable to parse IP')],
    ['%eth0/8', addr('%eth0', 'missing IPv6 address')],
    ['fe80::1%/8', addr('fe80::1%', 'zone must be a non-empty string')],
    ['1.2.3.4.5/8', addr('1.2.3.4.5', 'IPv4 address too long')],
    ['1.2.3/8', addr('1.2.3', 'IPv4 address too short')],
    ['10.0.0.256/8', addr('10.0.0.256', 'IPv4 field has value >255')],
    ['192.168.1.01/8', addr('192.168.1.01', 'IPv4 field has octet with leading zero')],
    ['1.2.3.4./8', addr('1.2.3.4.', 'IPv4 field must have at least one digit (at ".")')],
    ['.1.2.3/8', addr('.1.2.3', 'IPv4 field must have at least one digit (at ".1.2.3")')],
    ['1..2.3/8', addr('1..2.3', 'IPv4 field must have at least one digit (at ".2.3")')],
    ['0x7f.0.0.1/8', addr('0x7f.0.0.1', 'unexpected character (at "x7f.0.0.1")')],
    ['1.2::3/8', addr('1.2::3', 'unexpected character (at "::3")')],
    ['1::2::3/8', addr('1::2::3', 'multiple :: in address (at ":3")')],
    ['1:2:3:4:5:6:7:8:9/8', addr('1:2:3:4:5:6:7:8:9', 'trailing garbage after address (at "9")')],
    ['1:2:3:4:5:6:7:8:/8', addr('1:2:3:4:5:6:7:8:', 'colon must be followed by more characters (at ":")')],
    ['1:2:3:4:5:6:7/8', addr('1:2:3:4:5:6:7', 'address string too short')],
    ['1:2:3:4:5:6:7:8::/8', addr('1:2:3:4:5:6:7:8::', 'the :: must expand to at least one field of zeros')],
    ['12345::/8', addr('12345::', 'each group must have 4 or less digits (at "12345::")')],
    [':1:2:3:4:5:6:7:8/8', addr(':1:2:3:4:5:6:7:8', 'each colon-separated field must have at least one digit (at ":1:2:3:4:5:6:7:8")')],
    ['1:2:3:4:5:6:7.8.9.10:11/8', addr('1:2:3:4:5:6:7.8.9.10:11', 'unexpected character (at ":11")')],
    ['1:2:3:4:5:6:7:1.2.3.4/8', addr('1:2:3:4:5:6:7:1.2.3.4', 'embedded IPv4 address must replace the final 2 fields of the address (at "1.2.3.4")')],
    ['1::2:3:4:5:6:7:1.2.3.4/8', addr('1::2:3:4:5:6:7:1.2.3.4', 'too many hex fields to fit an embedded IPv4 at the end of the address (at "1.2.3.4")')],
    ['::1.2.3.256/8', addr('::1.2.3.256', 'IPv4 field has value >255')],
    ['1:2x::/8', addr('1:2x::', 'unexpected character, want colon (at "x::")')],
  ])('%s', (input, expected) => expect(netipPrefixError(input)).toBe(expected))
})

describe("cidr()'s evaluation errors", () => {
  const conversion = 'network address parse error during conversion from string: '

  it('wraps ParsePrefix errors twice, as the CEL library does', () => {
    expect(celCidrError('10.0.0.1')).toBe(`${conversion}${conversion}netip.ParsePrefix("10.0.0.1"): no '/'`)
  })

  it('refuses IPv4-mapped IPv6 prefixes that ParsePrefix takes', () => {
    expect(celCidrError('::ffff:10.0.0.0/104')).toBe(`${conversion}IPv4-mapped IPv6 address "::ffff:10.0.0.0/104" is not allowed`)
    expect(celCidrError('::fffe:10.0.0.0/104')).toBeUndefined()
    expect(celCidrError('0:0:0:0:1:ffff::/96')).toBeUndefined()
  })

  it('takes plain prefixes', () => {
    expect(celCidrError('10.0.0.0/8')).toBeUndefined()
    expect(celCidrError('fd00::/64')).toBeUndefined()
  })
})

describe("Go's %q", () => {
  it.each<[string, string]>([
    ['plain', '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\x07\b\f\n\r\t\v', '"\\a\\b\\f\\n\\r\\t\\v"'],
    ['\x00\x1f\x7f', '"\\x00\\x1f\\x7f"'],
    [' ~', '" ~"'],
    ['\u0080\u009f', '"\\u0080\\u009f"'],
    ['é€😀', '"é€😀"'],
  ])('%j', (text, quoted) => expect(goQuote(text)).toBe(quoted))
})
