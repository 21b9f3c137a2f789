/** Go's strconv.Quote (`%q`) of a string: Go's escapes for control characters, the rest as is. */
export function goQuote(text: string): string {
  const escapes: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' }
  let out = '"'
  for (const c of text) {
    const code = c.codePointAt(0) as number
    if (escapes[c]) out += escapes[c]
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`
    else if (code >= 0x80 && code < 0xa0) out += `\\u${code.toString(16).padStart(4, '0')}`
    else out += c
  }
  return `${out}"`
}
