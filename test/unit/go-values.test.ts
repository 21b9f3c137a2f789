/**
 * Go's time.ParseDuration and Duration.String (how metav1.Duration fields are read and stored) and
 * which patterns Go's RE2 compiles (the validator's regexp tag).
 */
import { describe, expect, it } from 'vitest'
import { compilesAsGoRegexp, durationErrors, formatGoDuration, normalizeDuration, parseGoDuration } from '../../src/resources/go-values.js'

const stored = (text: string) => {
  const ns = parseGoDuration(text)
  return typeof ns === 'bigint' ? formatGoDuration(ns) : ns.error
}

describe('time.ParseDuration, then Duration.String', () => {
  it.each([
    ['0', '0s'],
    ['-0', '0s'],
    ['+0', '0s'],
    ['0s', '0s'],
    ['+5s', '5s'],
    ['-5s', '-5s'],
    ['90s', '1m30s'],
    ['3600s', '1h0m0s'],
    ['1.5h', '1h30m0s'],
    ['1h1h', '2h0m0s'],
    ['.5s', '500ms'],
    ['5.s', '5s'],
    ['1us', '1µs'],
    ['1µs', '1µs'],
    ['1μs', '1µs'],
    ['999ns', '999ns'],
    ['1000ns', '1µs'],
    ['1500ns', '1.5µs'],
    ['999999ns', '999.999µs'],
    ['1000000ns', '1ms'],
    ['100ms', '100ms'],
    ['1001ms', '1.001s'],
    ['59.999999999s', '59.999999999s'],
    ['-1500ns', '-1.5µs'],
    ['-1ns', '-1ns'],
    ['1m0.5s', '1m0.5s'],
    ['0.123456789123456789s', '123.456789ms'],
    ['1.0000000000000000000009h', '1h0m0s'],
    ['9223372036854775807ns', '2562047h47m16.854775807s'],
    ['-9223372036854775808ns', '-2562047h47m16.854775808s'],
    ['2562047h', '2562047h0m0s'],
  ])('%s is stored as %s', (text, written) => {
    expect(stored(text)).toBe(written)
  })

  it.each([
    ['', 'time: invalid duration ""'],
    ['-', 'time: invalid duration "-"'],
    ['.', 'time: invalid duration "."'],
    ['.s', 'time: invalid duration ".s"'],
    ['s', 'time: invalid duration "s"'],
    ['1', 'time: missing unit in duration "1"'],
    ['1h2', 'time: missing unit in duration "1h2"'],
    ['1x', 'time: unknown unit "x" in duration "1x"'],
    ['1 s', 'time: unknown unit " s" in duration "1 s"'],
    ['5s-', 'time: unknown unit "s-" in duration "5s-"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
    ['92233720368547758080ns', 'time: invalid duration "92233720368547758080ns"'],
    ['2562048h', 'time: invalid duration "2562048h"'],
    ['2562047h48m', 'time: invalid duration "2562047h48m"'],
    ['-9223372036854775809ns', 'time: invalid duration "-9223372036854775809ns"'],
    // Each term fits, their sum does not: Go checks the running total, before the sign is applied.
    ['-2000000h2000000h', 'time: invalid duration "-2000000h2000000h"'],
  ])('%j fails: %s', (text, error) => {
    expect(stored(text)).toBe(error)
  })

  it('rewrites a readable field as Go stores it, and reports an unreadable one', () => {
    const holder: Record<string, unknown> = { a: '90s', b: '1x', c: 5 }
    normalizeDuration(holder, 'a')
    normalizeDuration(holder, 'b')
    normalizeDuration(holder, 'c')
    normalizeDuration(undefined, 'a')
    expect(holder).toEqual({ a: '1m30s', b: '1x', c: 5 })
    expect(durationErrors(holder, 'b', 'Interval')).toEqual([{ name: 'Interval', value: '1x', reason: 'time: unknown unit "x" in duration "1x"' }])
    expect([durationErrors(holder, 'a', 'A'), durationErrors(holder, 'c', 'C'), durationErrors(undefined, 'a', 'A')]).toEqual([[], [], []])
  })
})

describe("the regexp tag: what Go's RE2 compiles", () => {
  it.each(['', 'abc', 'a{2}', '^cali.*', '\\\\1', 'a\\\\2b', '(?P<name>a)', '(?P<ab>a)', '(?<name>a)', '(?i)abc', '(?i:abc)', '(?s-i)a.b', '(?U)a+', '(?i)(?m)x'])('%j compiles', (pattern) => {
    expect(compilesAsGoRegexp(pattern)).toBe(true)
  })

  it.each(['[', '(?=a)', 'a(?!b)', '(?<=a)b', '(?<!a)b', '(a)\\1', '\\1', '(?P<1a>x)', 'a)', '(?i'])('%j does not', (pattern) => {
    expect(compilesAsGoRegexp(pattern)).toBe(false)
  })
})
