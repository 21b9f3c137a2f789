// JSON exactly as calicoctl's Go json.Marshal / json.MarshalIndent(v, "", "  ")
// prints it. Object keys are written in the order given (callers arrange Go's
// struct-field order); properties whose value is undefined are left out, as
// Go leaves out empty omitempty fields. Strings are escaped like Go: `"` `\`
// \n \r \t by name, other control characters and the HTML-sensitive < > & as
// \u00xx (lower-case hex), U+2028/U+2029 as \u2028/\u2029; everything else,
// including non-ASCII text, is written as is. Numbers follow Go's float64
// formatting, which matches JavaScript's; a bigint is written as its digits. No trailing newline.

/** Renders a JSON-like value like Go's json.Marshal (indent=false) or MarshalIndent with two spaces. */
export function toGoJson(value: unknown, indent: boolean): string {
  return encode(value, indent ? '\n' : null)
}

/**
 * One value nested in an indented document, `depth` levels down (what toGoJson(..., true) writes
 * for it there), so a long array can be printed item by item.
 */
export function toGoJsonNested(value: unknown, depth: number): string {
  return encode(value, '\n' + '  '.repeat(depth))
}

/** `newline` is the line break plus current indentation, or null when compact. */
function encode(value: unknown, newline: string | null): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'boolean') return String(value)
  // 64-bit integers (IPAM sequence numbers) travel as bigint to keep every digit.
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`json: unsupported value: ${value}`)
    return String(value)
  }
  if (typeof value === 'string') return goJsonString(value)
  if (typeof value !== 'object') throw new TypeError(`json: unsupported type: ${typeof value}`)

  const inner = newline === null ? null : newline + '  '
  const members = Array.isArray(value)
    ? value.map((item) => encode(item, inner))
    : Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => goJsonString(k) + (inner === null ? ':' : ': ') + encode(v, inner))
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}']
  if (members.length === 0) return open + close
  if (inner === null) return open + members.join(',') + close
  return open + inner + members.join(',' + inner) + newline + close
}

/** Printable ASCII that Go writes as it is (no `"`, `\\`, `<`, `>` or `&`). */
const PLAIN_ASCII = /^[\x20\x21\x23-\x25\x27-\x3b\x3d\x3f-\x5b\x5d-\x7e]*$/

function goJsonString(s: string): string {
  if (PLAIN_ASCII.test(s)) return `"${s}"`
  let out = '"'
  for (const c of s) {
    const cp = c.codePointAt(0) as number
    if (c === '"' || c === '\\') out += '\\' + c
    else if (c === '\n') out += '\\n'
    else if (c === '\r') out += '\\r'
    else if (c === '\t') out += '\\t'
    else if (cp < 0x20 || c === '<' || c === '>' || c === '&') out += '\\u00' + cp.toString(16).padStart(2, '0')
    else if (cp === 0x2028 || cp === 0x2029) out += '\\u' + cp.toString(16)
    // A lone surrogate is invalid UTF-8 to Go, which writes the replacement character.
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd'
    else out += c
  }
  return out + '"'
}
