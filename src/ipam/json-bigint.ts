/**
 * JSON text to values, as JSON.parse does, except that an integer a float64 cannot hold exactly
 * (beyond ±2^53) becomes a bigint: IPAM blocks carry uint64 sequence numbers (nanosecond
 * timestamps) that must come back byte for byte when the block is written again.
 */
export function parseJsonBig(text: string): unknown {
  let i = 0
  const fail = (): never => {
    throw new SyntaxError(`invalid JSON at offset ${i}`)
  }
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++
  }
  const value = (): unknown => {
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      const out: Record<string, unknown> = {}
      ws()
      if (text[i] === '}') return i++, out
      for (;;) {
        ws()
        if (text[i] !== '"') fail()
        const key = string()
        ws()
        if (text[i++] !== ':') fail()
        out[key] = value()
        ws()
        if (text[i] === ',') i++
        else if (text[i] === '}') return i++, out
        else fail()
      }
    }
    if (c === '[') {
      i++
      const out: unknown[] = []
      ws()
      if (text[i] === ']') return i++, out
      for (;;) {
        out.push(value())
        ws()
        if (text[i] === ',') i++
        else if (text[i] === ']') return i++, out
        else fail()
      }
    }
    if (c === '"') return string()
    for (const [word, result] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) return (i += word.length), result
    }
    const match = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))
    if (!match) return fail()
    i += match[0].length
    const number = Number(match[0])
    if (!match[1] && !match[2] && !Number.isSafeInteger(number)) return BigInt(match[0])
    return number
  }
  const string = (): string => {
    const start = i
    i++
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1
    if (i >= text.length) fail()
    i++
    return JSON.parse(text.slice(start, i)) as string
  }
  const result = value()
  ws()
  if (i !== text.length) fail()
  return result
}
