import { describe, expect, it } from 'vitest'
import { goFormatFixed0, goFormatG5 } from '../../src/ipam/go-format.js'
import { parseGoAtoi, parseGoBool, parseIntFlag } from '../../src/ipam/go-parse.js'

describe('Go %.5g of a count', () => {
  it.each([
    [0, '0'],
    [1, '1'],
    [64, '64'],
    [100, '100'],
    [65531, '65531'],
    [65536, '65536'],
    [100000, '1e+05'],
    [1000000, '1e+06'],
    [1200000, '1.2e+06'],
    [1048576, '1.0486e+06'],
    [16777216, '1.6777e+07'],
  ])('%d -> %s', (n, text) => {
    expect(goFormatG5(n)).toBe(text)
  })

  it('rounds a tie to the even digit, as strconv does', () => {
    expect(goFormatG5(123445)).toBe('1.2344e+05')
    expect(goFormatG5(123455)).toBe('1.2346e+05')
    expect(goFormatG5(123446)).toBe('1.2345e+05')
  })

  it('carries a round-up into the exponent', () => {
    expect(goFormatG5(9999950)).toBe('1e+07')
    expect(goFormatG5(999996)).toBe('1e+06')
  })

  it('formats the float64 of a huge count (IPv6 pools)', () => {
    expect(goFormatG5((1n << 63n) - 1n)).toBe('9.2234e+18')
    expect(goFormatG5(1n << 64n)).toBe('1.8447e+19')
  })
})

describe('Go %.f of a percentage', () => {
  it.each([
    [0, '0'],
    [0.0076, '0'],
    [0.5, '0'],
    [1.5, '2'],
    [6.25, '6'],
    [12.5, '12'],
    [37.5, '38'],
    [93.75, '94'],
    [98.4375, '98'],
    [99.6017, '100'],
    [100, '100'],
  ])('%d -> %s', (n, text) => {
    expect(goFormatFixed0(n)).toBe(text)
  })
})

describe('Go flag value parsing', () => {
  it('reads every spelling strconv.ParseBool knows, and nothing else', () => {
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(parseGoBool(t)).toBe(true)
    for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) expect(parseGoBool(f)).toBe(false)
    for (const bad of ['yes', 'tRUE', ' true', '']) expect(parseGoBool(bad)).toBeUndefined()
  })

  it('reads decimal integers as strconv.Atoi does', () => {
    expect(parseGoAtoi('4')).toBe(4)
    expect(parseGoAtoi('+07')).toBe(7)
    expect(parseGoAtoi('-3')).toBe(-3)
    for (const bad of ['', '4.0', ' 4', '0x10', '1_000', '9223372036854775808']) expect(parseGoAtoi(bad)).toBeUndefined()
  })

  it('reads an Int flag with base prefixes and underscores, as pflag does', () => {
    expect(parseIntFlag('n', '30')).toBe(30)
    expect(parseIntFlag('n', '0x1e')).toBe(30)
    expect(parseIntFlag('n', '0o36')).toBe(30)
    expect(parseIntFlag('n', '036')).toBe(30)
    expect(parseIntFlag('n', '0b11110')).toBe(30)
    expect(parseIntFlag('n', '1_000')).toBe(1000)
    expect(parseIntFlag('n', '0x_1e')).toBe(30)
    expect(parseIntFlag('n', '-1')).toBe(-1)
    expect(parseIntFlag('n', '0')).toBe(0)
  })

  it("fails with cobra's text for a bad Int flag", () => {
    expect(() => parseIntFlag('ip-cooldown-seconds', 'ten')).toThrow(
      'invalid argument "ten" for "--ip-cooldown-seconds" flag: strconv.ParseInt: parsing "ten": invalid syntax',
    )
    for (const bad of ['08', '1__0', '_1', '1_', '0x', '', '+']) expect(() => parseIntFlag('n', bad)).toThrow('invalid syntax')
    expect(() => parseIntFlag('n', '9223372036854775808')).toThrow(
      'invalid argument "9223372036854775808" for "--n" flag: strconv.ParseInt: parsing "9223372036854775808": value out of range',
    )
    expect(parseIntFlag('n', '-9223372036854775808')).toBe(-9223372036854775808)
  })
})
