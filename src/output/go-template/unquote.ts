/** strconv.Unquote for the three Go literal forms templates use: "...", `...` and '.'. */
export function goUnquote(quoted: string): string {
  const syntax = () => new Error('invalid syntax')
  const q = quoted[0]
  if (quoted.length < 2 || quoted[quoted.length - 1] !== q) throw syntax()
  const body = quoted.slice(1, -1)
  if (q === '`') {
    if (body.includes('`')) throw syntax()
    return body.replace(/\r/g, '')
  }
  if (q !== '"' && q !== "'") throw syntax()
  let out = ''
  for (let i = 0; i < body.length; ) {
    const c = body[i]
    if (c === q || c === '\n') throw syntax()
    if (c !== '\\') {
      const ch = String.fromCodePoint(body.codePointAt(i) as number)
      out += ch
      i += ch.length
      continue
    }
    const e = body[i + 1]
    i += 2
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' }
    if (e in simple) out += simple[e]
    else if (e === q) out += q
    else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8
      const hex = body.slice(i, i + n)
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw syntax()
      const v = parseInt(hex, 16)
      if (e !== 'x' && (v > 0x10ffff || (v >= 0xd800 && v < 0xe000))) throw syntax()
      out += e === 'x' ? String.fromCharCode(v) : String.fromCodePoint(v)
      i += n
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i - 1, i + 2)
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) throw syntax()
      out += String.fromCharCode(parseInt(oct, 8))
      i += 2
    } else throw syntax()
  }
  if (q === "'" && [...out].length !== 1) throw syntax()
  return out
}
