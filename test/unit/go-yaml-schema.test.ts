/**
 * Scalars as go-yaml v2 (YAML 1.1) reads them for calicoctl: its booleans, and integers by Go's
 * ParseInt/ParseUint with base 0 after dropping `_`; what is no integer falls to a float or a string.
 */
import { describe, expect, it } from 'vitest'
import { parseYamlStream } from '../../src/manifest/yaml-positions.js'

const read = (scalar: string) => {
  const [doc] = parseYamlStream(`v: ${scalar}\n`)
  return { value: (doc.value as { v: unknown }).v, float: doc.floats.size > 0 }
}

describe("go-yaml v2's scalars", () => {
  it.each(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'])('%s is true', (word) => {
    expect(read(word)).toEqual({ value: true, float: false })
  })

  it.each(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'])('%s is false', (word) => {
    expect(read(word)).toEqual({ value: false, float: false })
  })

  it.each(['yES', 'oN', 'o', 'nO', 'tRUE', 'yess', 'ye'])('%s is a string', (word) => {
    expect(read(word)).toEqual({ value: word, float: false })
  })

  it.each<[string, number | bigint]>([
    ['0', 0],
    ['-0', 0],
    ['+5', 5],
    ['-5', -5],
    ['26', 26],
    ['00', 0],
    ['0777', 511],
    ['-010', -8],
    ['0o17', 15],
    ['0O17', 15],
    ['0x1f', 31],
    ['0X1F', 31],
    ['+0x10', 16],
    ['-0x10', -16],
    ['0b101', 5],
    ['0B11', 3],
    ['1_000', 1000],
    ['_1', 1],
    ['1__0', 10],
    ['0x_ff', 255],
    ['9007199254740991', 9007199254740991],
    ['9007199254740993', 9007199254740993n],
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
    ['-0x8000000000000000', -9223372036854775808n],
    ['18446744073709551615', 18446744073709551615n],
  ])('%s is the integer %s', (text, value) => {
    expect(read(text)).toEqual({ value, float: false })
  })

  it.each<[string, number]>([
    ['08', 8],
    ['-09', -9],
    ['18446744073709551616', 18446744073709551616],
    ['-9223372036854775809', -9223372036854775809],
    ['1.5', 1.5],
    ['1e3', 1000],
  ])('%s is no integer Go reads, but a float', (text, value) => {
    expect(read(text)).toEqual({ value, float: true })
  })

  it.each(['0x', '0xg', '0o', '0o8', '0b', '0b2', '0x1.8', '1_000x', '--1', '+-1', '0b1O'])('%s is a string', (text) => {
    expect(read(text)).toEqual({ value: text, float: false })
  })
})
