/**
 * JSON with 64-bit integers kept exact: Calico's IPAM blocks hold uint64 sequence numbers, which
 * JSON.parse would round to the nearest double past 2^53. Integers beyond Number's safe range are
 * read as bigint (toGoJson writes a bigint as its digits), everything else as JSON.parse reads it.
 */

const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y

/** Parses `text`; throws SyntaxError with the offset on malformed input. */
export function parseJson64(text: string): unknown {
  let at = 0
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${at}`)
  }
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at])) at++
  }
  const value = (): unknown => {
    space()
    const c = text[at]
    if (c === '{') {
      at++
      const out: Record<string, unknown> = {}
      space()
      if (text[at] === '}') {
        at++
        return out
      }
      for (;;) {
        space()
        if (text[at] !== '"') fail('expected a string key')
        const key = string()
        space()
        if (text[at++] !== ':') fail("expected ':'")
        // A key like __proto__ must stay an own property, as JSON.parse keeps it.
        Object.defineProperty(out, key, { value: value(), enumerable: true, writable: true, configurable: true })
        space()
        const next = text[at++]
        if (next === '}') return out
        if (next !== ',') fail("expected ',' or '}'")
      }
    }
    if (c === '[') {
      at++
      const out: unknown[] = []
      space()
      if (text[at] === ']') {
        at++
        return out
      }
      for (;;) {
        out.push(value())
        space()
        const next = text[at++]
        if (next === ']') return out
        if (next !== ',') fail("expected ',' or ']'")
      }
    }
    if (c === '"') return string()
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, at)) {
        at += word.length
        return v
      }
    }
    NUMBER.lastIndex = at
    const number = NUMBER.exec(text)
    if (!number) return fail(c === undefined ? 'unexpected end of JSON input' : `unexpected character ${JSON.stringify(c)}`)
    at += number[0].length
    if (number[2] === undefined && number[3] === undefined) {
      const n = Number(number[0])
      return Number.isSafeInteger(n) ? n : BigInt(number[0])
    }
    return Number(number[0])
  }
  const string = (): string => {
    STRING.lastIndex = at
    const match = STRING.exec(text)
    if (!match) return fail('invalid string')
    at += match[0].length
    return JSON.parse(match[0]) as string
  }
  const result = value()
  space()
  if (at < text.length) fail('unexpected data after the value')
  return result
}

/** A JSON integer read by parseJson64, as a bigint; undefined when it is no integer. */
export function asBigInt(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value)
  return undefined
}
