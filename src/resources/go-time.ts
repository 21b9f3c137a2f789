/**
 * metav1.Time as Go decodes and encodes it: `time.Parse(time.RFC3339, s)` on the way in, with Go's
 * ParseError texts, and `t.UTC().Format(time.RFC3339)` on the way out (whole seconds, `Z`).
 */

const LAYOUT = '2006-01-02T15:04:05Z07:00'

/** Go's time.quote: the text in double quotes, `"` and `\` escaped. */
const quote = (s: string): string => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`

const isDigit = (s: string, i: number): boolean => i < s.length && s[i] >= '0' && s[i] <= '9'

/** Go's getnum: one or two digits (exactly two when `fixed`). */
function getnum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigit(s, 0)) return undefined
  if (!isDigit(s, 1)) return fixed ? undefined : [Number(s[0]), s.slice(1)]
  return [Number(s.slice(0, 2)), s.slice(2)]
}

const fourDigits = (s: string): [number, string] | undefined => (/^\d{4}/.test(s) ? [Number(s.slice(0, 4)), s.slice(4)] : undefined)

/** The layout's elements after the year: literal prefix, element, reader, what its range error names. */
const ELEMENTS: Array<[string, string, (s: string) => [number, string] | undefined, ((n: number) => boolean)?, string?]> = [
  ['-', '01', (s) => getnum(s, true), (n) => n >= 1 && n <= 12, 'month'],
  ['-', '02', (s) => getnum(s, true)],
  ['T', '15', (s) => getnum(s, false), (n) => n < 24, 'hour'],
  [':', '04', (s) => getnum(s, true), (n) => n < 60, 'minute'],
  [':', '05', (s) => getnum(s, true), (n) => n < 60, 'second'],
]

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/**
 * time.Parse(time.RFC3339, value): the instant in milliseconds (sub-seconds dropped), or Go's error
 * text. The layout is walked element by element as Go's parser does, so errors name the same part.
 */
export function parseGoRFC3339(value: string): number | { error: string } {
  const cannotParse = (valueElem: string, layoutElem: string) => ({
    error: `parsing time ${quote(value)} as ${quote(LAYOUT)}: cannot parse ${quote(valueElem)} as ${quote(layoutElem)}`,
  })
  const outOfRange = (what: string) => ({ error: `parsing time ${quote(value)}: ${what} out of range` })

  const year = fourDigits(value)
  if (!year) return cannotParse(value, '2006')
  const fields = [year[0]]
  let rest = year[1]
  for (const [prefix, element, read, inRange, name] of ELEMENTS) {
    if (!rest.startsWith(prefix)) return cannotParse(rest, prefix)
    rest = rest.slice(prefix.length)
    const parsed = read(rest)
    if (!parsed) return cannotParse(rest, element)
    if (inRange && !inRange(parsed[0])) return outOfRange(name as string)
    fields.push(parsed[0])
    rest = parsed[1]
  }
  // Go accepts a fractional second although the layout has none.
  const fraction = /^[.,]\d+/.exec(rest)
  if (fraction) rest = rest.slice(fraction[0].length)

  let offsetSeconds = 0
  if (rest.startsWith('Z')) {
    rest = rest.slice(1)
  } else {
    const zone = /^([+-])(\d\d):(\d\d)/.exec(rest)
    if (!zone) return cannotParse(rest, 'Z07:00')
    const [hours, minutes] = [Number(zone[2]), Number(zone[3])]
    if (hours > 24) return outOfRange('time zone offset hour')
    if (minutes > 60) return outOfRange('time zone offset minute')
    offsetSeconds = (zone[1] === '-' ? -1 : 1) * (hours * 3600 + minutes * 60)
    rest = rest.slice(6)
  }
  if (rest !== '') return { error: `parsing time ${quote(value)}: extra text: ${quote(rest)}` }
  const [y, month, day, hour, minute, second] = fields
  if (day < 1 || day > daysIn(month, y)) return outOfRange('day')
  const date = new Date(0)
  // setUTCFullYear takes years 0-99 literally, unlike Date.UTC.
  date.setUTCFullYear(y, month - 1, day)
  date.setUTCHours(hour, minute, second, 0)
  return date.getTime() - offsetSeconds * 1000
}

/** metav1.Time's JSON: RFC 3339 in UTC, whole seconds, four-digit years. */
export function formatGoRFC3339(ms: number): string {
  const date = new Date(ms)
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}Z`
  )
}
