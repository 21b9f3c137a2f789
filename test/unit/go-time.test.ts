/**
 * metav1.Time as calicoctl reads it (time.Parse with time.RFC3339) and writes it back (UTC, whole
 * seconds): the instants Go accepts and the ParseError texts it prints for the rest.
 */
import { describe, expect, it } from 'vitest'
import { formatGoRFC3339, parseGoRFC3339 } from '../../src/resources/go-time.js'

const LAYOUT = '"2006-01-02T15:04:05Z07:00"'
const roundTrip = (value: string) => {
  const parsed = parseGoRFC3339(value)
  return typeof parsed === 'number' ? formatGoRFC3339(parsed) : parsed.error
}

describe('time.Parse(time.RFC3339, ...)', () => {
  it.each([
    ['2026-12-05T10:20:30Z', '2026-12-05T10:20:30Z'],
    // The hour takes one digit too (the layout's 15 is not zero-padded); sub-seconds, with . or ,, are dropped.
    ['2026-12-05T7:08:09Z', '2026-12-05T07:08:09Z'],
    ['2026-12-05T10:20:30.999999999Z', '2026-12-05T10:20:30Z'],
    ['2026-12-05T10:20:30,5Z', '2026-12-05T10:20:30Z'],
    // Offsets are taken away, minutes included, across a day and a year boundary.
    ['2026-12-05T01:00:00+05:30', '2026-12-04T19:30:00Z'],
    ['2026-12-31T20:15:00-04:45', '2027-01-01T01:00:00Z'],
    // Go checks only hour <= 24 and minute <= 60 in an offset.
    ['2026-12-05T00:00:00+24:00', '2026-12-04T00:00:00Z'],
    ['2026-12-05T00:00:00-00:60', '2026-12-05T01:00:00Z'],
    // The last valid value of each element, and the calendar's leap days.
    ['2026-12-31T23:59:59Z', '2026-12-31T23:59:59Z'],
    ['2026-01-31T00:00:00Z', '2026-01-31T00:00:00Z'],
    ['2026-04-30T00:00:00Z', '2026-04-30T00:00:00Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00Z'],
    ['2026-02-28T00:00:00Z', '2026-02-28T00:00:00Z'],
    ['0099-03-01T00:00:00Z', '0099-03-01T00:00:00Z'],
  ])('reads %s as %s', (value, written) => {
    expect(roundTrip(value)).toBe(written)
  })

  it.each([
    ['2026-00-01T00:00:00Z', 'month'],
    ['2026-13-01T00:00:00Z', 'month'],
    ['2026-01-00T00:00:00Z', 'day'],
    ['2026-01-32T00:00:00Z', 'day'],
    ['2026-04-31T00:00:00Z', 'day'],
    ['2026-02-29T00:00:00Z', 'day'],
    ['1900-02-29T00:00:00Z', 'day'],
    ['2026-01-01T24:00:00Z', 'hour'],
    ['2026-01-01T00:60:00Z', 'minute'],
    ['2026-01-01T00:00:60Z', 'second'],
    ['2026-01-01T00:00:00+25:00', 'time zone offset hour'],
    ['2026-01-01T00:00:00+01:61', 'time zone offset minute'],
  ])('refuses %s: %s out of range', (value, what) => {
    expect(roundTrip(value)).toBe(`parsing time "${value}": ${what} out of range`)
  })

  it.each([
    ['26-01-01T00:00:00Z', '26-01-01T00:00:00Z', '2006'],
    ['2026/01/01T00:00:00Z', '/01/01T00:00:00Z', '-'],
    ['2026-1-01T00:00:00Z', '1-01T00:00:00Z', '01'],
    ['2026-01-1T00:00:00Z', '1T00:00:00Z', '02'],
    ['2026-01-01Tx:00:00Z', 'x:00:00Z', '15'],
    ['2026-01-01T00:0:00Z', '0:00Z', '04'],
    ['2026-01-01T00:00:0Z', '0Z', '05'],
    ['2026-01-01T00:00Z', 'Z', ':'],
    ['2026-01-01T00:00:00', '', 'Z07:00'],
    ['2026-01-01T00:00:00.Z', '.Z', 'Z07:00'],
    ['2026-01-01T00:00:00+0200', '+0200', 'Z07:00'],
    ['2026-01-01T00:00:00*02:00', '*02:00', 'Z07:00'],
  ])('refuses %s: cannot parse %j as %j', (value, rest, element) => {
    expect(roundTrip(value)).toBe(`parsing time "${value}" as ${LAYOUT}: cannot parse "${rest}" as "${element}"`)
  })

  it('names text after the zone as extra text', () => {
    expect(roundTrip('2026-01-01T00:00:00Zjunk')).toBe('parsing time "2026-01-01T00:00:00Zjunk": extra text: "junk"')
    expect(roundTrip('2026-01-01T00:00:00+01:00Z')).toBe('parsing time "2026-01-01T00:00:00+01:00Z": extra text: "Z"')
  })

  it('quotes the value as Go does, backslashes and double quotes escaped', () => {
    expect(roundTrip('a"b\\c')).toBe(`parsing time "a\\"b\\\\c" as ${LAYOUT}: cannot parse "a\\"b\\\\c" as "2006"`)
  })
})
