// How go-yaml v2 (v2.4.0) sees the scalars of calicoctl's YAML. calicoctl
// writes Go's JSON text and go-yaml reads it back, so strings arrive as Go's
// JSON left them (readBack), numbers are re-typed from their JSON text
// (formatNumber), and a string that, unquoted, would read back as another type
// must be double-quoted (needsTypeQuoting, from resolve.go and encode.go).
//
// Rules (the first character picks which checks run, as upstream's resolve
// table does; any other first character means "always a string"):
// - fixed words: y Y yes Yes YES n N no No NO true True TRUE false False FALSE
//   on On ON off Off OFF, "" ~ null Null NULL, .nan .NaN .NAN and
//   [+-].inf/.Inf/.INF;
// - first char '.': anything Go's strconv.ParseFloat accepts (".5", ".5e3");
// - first char digit/sign: a timestamp (YYYY-M-D, optionally with a time as
//   T/t + offset or space + no zone), else with every '_' removed: an int in
//   int64/uint64 range (Go base-0 syntax: 0x, 0o, 0b, leading-0 octal), a float
//   matching upstream's yamlStyleFloat that does not overflow, or "0b" + a
//   signed binary int;
// - base-60 floats such as 1:20 (quoted for the sake of YAML 1.1 readers).

const FIXED_NON_STRINGS = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  '', '~', 'null', 'Null', 'NULL',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
])

const MAP_ONLY_FIRST_CHARS = 'yYnNtTfFoO~'
const NUMBER_FIRST_CHARS = '+-0123456789'

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/
// Go's decimal float syntax for a string that starts with '.', underscores
// allowed only between digits.
const DOT_FLOAT = /^\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?$/
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/
const TIMESTAMP =
  /^\d{4}-(\d\d?)-(\d\d?)(?:[Tt](\d\d?):(\d\d?):(\d\d?)(?:[.,]\d+)?(?:Z|[+-](\d\d):(\d\d))| +(\d\d?):(\d\d?):(\d\d?)(?:[.,]\d+)?)?$/

const DIGITS: Record<number, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]*$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }
const BIGINT_PREFIX: Record<number, string> = { 2: '0b', 8: '0o', 10: '', 16: '0x' }
const BASE_PREFIXES: Record<string, number> = { b: 2, o: 8, x: 16 }
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const UINT64_MAX = 2n ** 64n - 1n

/** True when go-yaml v2 must quote `s` so that it reads back as a string. */
export function needsTypeQuoting(s: string): boolean {
  return resolvesToNonString(s) || isBase60Float(s)
}

function resolvesToNonString(s: string): boolean {
  if (FIXED_NON_STRINGS.has(s)) return true
  const first = s[0]
  if (first === '.') return DOT_FLOAT.test(s) && Number.isFinite(Number(s.replaceAll('_', '')))
  if (MAP_ONLY_FIRST_CHARS.includes(first) || !NUMBER_FIRST_CHARS.includes(first)) return false
  if (isTimestamp(s)) return true
  const plain = s.replaceAll('_', '')
  if (fitsGoInt(plain)) return true
  if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain))) return true
  return plain.startsWith('0b') && fitsGoIntInBase(plain.slice(2), 2)
}

function isBase60Float(s: string): boolean {
  return BASE60_FLOAT.test(s)
}

/** Go's strconv.ParseInt(s, 0, 64) or ParseUint(s, 0, 64) succeeds. */
function fitsGoInt(s: string): boolean {
  const signLen = s[0] === '+' || s[0] === '-' ? 1 : 0
  const body = s.slice(signLen)
  if (body[0] !== '0') return fitsGoIntInBase(s, 10)
  const prefix = body[1]?.toLowerCase()
  const base = body.length >= 3 && prefix !== undefined ? BASE_PREFIXES[prefix] : undefined
  const digits = base === undefined ? body.slice(1) : body.slice(2)
  return fitsGoIntInBase(s.slice(0, signLen) + digits, base ?? 8)
}

/** Go's strconv.ParseInt(s, base, 64) or ParseUint(s, base, 64) succeeds. */
function fitsGoIntInBase(s: string, base: number): boolean {
  const sign = s[0] === '+' || s[0] === '-' ? s[0] : ''
  const digits = s.slice(sign.length)
  // Only octal may have no digits: base-0 "0" is a prefix with nothing after it.
  if (!DIGITS[base].test(digits)) return false
  const value = digits === '' ? 0n : BigInt(BIGINT_PREFIX[base] + digits)
  if (sign === '-') return value <= INT64_MAX + 1n
  return value <= INT64_MAX || (sign === '' && value <= UINT64_MAX)
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** Go time.Parse accepts `s` with one of go-yaml v2's timestamp layouts. */
function isTimestamp(s: string): boolean {
  const m = TIMESTAMP.exec(s)
  if (m === null) return false
  const [year, month, day] = [Number(s.slice(0, 4)), Number(m[1]), Number(m[2])]
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const daysInMonth = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return false
  const [hour, minute, second] = (m[3] !== undefined ? [m[3], m[4], m[5]] : [m[8], m[9], m[10]]).map(Number)
  if (hour > 23 || minute > 59 || second > 59) return false
  // Go accepts zone offsets up to 24 hours and 60 minutes.
  return m[6] === undefined || (Number(m[6]) <= 24 && Number(m[7]) <= 60)
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/

// Characters Go's json.Marshal leaves raw and go-yaml's reader then rejects.
const REJECTED_BY_READER = /[\u007f-\u0084\u0086-\u009f\ufffe\uffff]/
const LONE_SURROGATE = /[\ud800-\udfff]/gu

/** A string as go-yaml reads it back out of Go's JSON text. */
export function readBack(s: string): string {
  // Printable ASCII is read back as it is (the usual case: skip the scans below).
  if (PRINTABLE_ASCII.test(s)) return s
  if (REJECTED_BY_READER.test(s)) throw new Error('yaml: control characters are not allowed')
  // Go cannot hold a lone surrogate; its JSON writes U+FFFD instead.
  const text = s.replace(LONE_SURROGATE, '\ufffd')
  // U+0085 stays raw in the JSON and go-yaml reads it as a line break inside a
  // quoted scalar: spaces around it go, a single break reads as one space,
  // each further break as a newline.
  return text.replace(/ *\u0085[ \u0085]*/g, (run) => {
    const breaks = run.split('\u0085').length - 1
    return breaks === 1 ? ' ' : '\n'.repeat(breaks - 1)
  })
}

/** A number as go-yaml prints what it read back from Go's JSON text for it. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`json: unsupported value: ${n}`)
  const jsonText = String(n)
  if (/^-?\d+$/.test(jsonText)) {
    const v = BigInt(jsonText)
    if (v >= INT64_MIN && v <= UINT64_MAX) return jsonText
  }
  return formatGoFloat(n)
}

/** strconv.FormatFloat(n, 'g', -1, 64), which is also what fmt's `%v` (and text/template) prints for a float64. */
export function formatGoFloat(n: number): string {
  const [mantissa, exponentText] = n.toExponential().split('e')
  const exponent = Number(exponentText)
  if (exponent >= -4 && exponent < 6) return String(n)
  const sign = exponent < 0 ? '-' : '+'
  return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`
}
