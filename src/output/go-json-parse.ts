/**
 * JSON.parse with Go's encoding/json wording for the usual syntax errors, for messages that quote
 * upstream's (`unexpected end of JSON input`, `invalid character 'x' looking for beginning of value`).
 * Rarer errors keep JavaScript's text.
 */
export function parseJsonLikeGo(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    const first = text.trimStart()[0]
    if (first === undefined || /end of JSON input/.test((err as Error).message)) throw new Error('unexpected end of JSON input')
    if (!/[[{"\-0-9tfn]/.test(first)) throw new Error(`invalid character '${first}' looking for beginning of value`)
    throw new Error((err as Error).message)
  }
}
