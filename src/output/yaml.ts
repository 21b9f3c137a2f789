// YAML exactly as calicoctl prints it. calicoctl marshals to JSON, reads that
// JSON back with go-yaml v2 (v2.4.0) and marshals the generic result, so the
// output is go-yaml v2's block style for plain maps, lists and scalars:
// - map keys in go-yaml's key order (letters before other characters, runs of
//   digits compared as numbers: "a9" < "a10", "a_b" < "aB"), 2-space indents,
//   list items at their parent key's indentation, `{}` / `[]` when empty;
// - numbers as Go re-reads the JSON text: integers in int64/uint64 range
//   verbatim, anything else like Go's %g shortest (1.5, 1.2345675e+06);
// - strings: with a newline -> literal block `|` (chomping `-`/`+` and an
//   indentation digit when it starts with a space or newline), unless it holds
//   non-printable characters, a space before a line break or a trailing
//   space -> double-quoted; strings that
//   would read back as another type -> double-quoted (see yaml-resolve.ts);
//   strings that cannot be plain (leading indicator, ": " or " #", leading or
//   trailing space, starts with "---"/"...") -> single-quoted with '' for ';
//   tab, other controls, U+FEFF and characters beyond U+FFFF -> double-quoted
//   with escapes (\t, \xXX, \uXXXX, \UXXXXXXXX);
// - plain, single- and double-quoted values are folded at the first single
//   space after column 80 (go-yaml v2's default width); keys never fold;
// - keys longer than 128 bytes or spanning lines use the explicit `? key` form.
import { compareKeys } from './yaml-keys.js'
import { formatNumber, needsTypeQuoting, readBack } from './yaml-resolve.js'

const BEST_INDENT = 2
const BEST_WIDTH = 80
const MAX_SIMPLE_KEY_BYTES = 128

type Style = 'plain' | 'single' | 'double' | 'literal'

/** Renders a JSON-like value the way calicoctl's `-o yaml` does (with final newline). */
export function toGoYaml(value: unknown): string {
  const emitter = new Emitter()
  emitter.node(value, false, false)
  return emitter.finish()
}

interface Analysis {
  multiline: boolean
  blockPlainAllowed: boolean
  singleQuotedAllowed: boolean
  blockAllowed: boolean
}

class Emitter {
  private out = ''
  private column = 0
  private whitespace = true
  private indention = true
  private indent = -1
  private readonly indents: number[] = []

  finish(): string {
    this.writeIndent()
    return this.out
  }

  node(value: unknown, mappingContext: boolean, simpleKey: boolean): void {
    if (Array.isArray(value)) {
      if (value.length === 0) this.emptyCollection('[]')
      else this.blockSequence(value, mappingContext)
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]): [string, unknown] => [readBack(k), v])
      if (entries.length === 0) this.emptyCollection('{}')
      else this.blockMapping(sortedEntries(entries))
    } else {
      const [text, style] = scalarText(value)
      this.scalar(text, style, simpleKey)
    }
  }

  private emptyCollection(text: '[]' | '{}'): void {
    this.writeIndicator(text[0], true, true, false)
    this.writeIndicator(text[1], false, false, false)
  }

  private blockSequence(items: unknown[], mappingContext: boolean): void {
    this.increaseIndent(false, mappingContext && !this.indention)
    for (const item of items) {
      this.writeIndent()
      this.writeIndicator('-', true, false, true)
      this.node(item === undefined ? null : item, false, false)
    }
    this.popIndent()
  }

  private blockMapping(entries: [string, unknown][]): void {
    this.increaseIndent(false, false)
    for (const [key, value] of entries) {
      this.writeIndent()
      const simple = SIMPLE_TEXT.test(key) ? key.length <= MAX_SIMPLE_KEY_BYTES : !analyze(Array.from(key)).multiline && Buffer.byteLength(key) <= MAX_SIMPLE_KEY_BYTES
      if (simple) {
        this.scalar(key, stringStyle(key), true)
        this.writeIndicator(':', false, false, false)
      } else {
        this.writeIndicator('?', true, false, true)
        this.scalar(key, stringStyle(key), false)
        this.writeIndent()
        this.writeIndicator(':', true, false, true)
      }
      this.node(value, true, false)
    }
    this.popIndent()
  }

  private scalar(text: string, requested: Style, simpleKey: boolean): void {
    if (requested === 'plain' && SIMPLE_TEXT.test(text)) {
      // What writePlain does for text without spaces, at once.
      if (!this.whitespace) this.put(' ')
      this.out += text
      this.column += text.length
      this.whitespace = false
      this.indention = false
      return
    }
    const chars = Array.from(text)
    const style = selectStyle(requested, analyze(chars), simpleKey, chars.length)
    this.increaseIndent(true, false)
    const allowBreaks = !simpleKey
    if (style === 'plain') this.writePlain(chars, allowBreaks)
    else if (style === 'single') this.writeSingleQuoted(chars, allowBreaks)
    else if (style === 'double') this.writeDoubleQuoted(chars, allowBreaks)
    else this.writeLiteral(chars)
    this.popIndent()
  }

  private writePlain(chars: string[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ')
    let spaces = false
    chars.forEach((c, i) => {
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== ' ') this.writeIndent()
        else this.put(c)
        spaces = true
      } else {
        this.put(c)
        this.indention = false
        spaces = false
      }
    })
    this.whitespace = false
    this.indention = false
  }

  private writeSingleQuoted(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false)
    let spaces = false
    let breaks = false
    chars.forEach((c, i) => {
      if (c === ' ') {
        const inside = i > 0 && i < chars.length - 1
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && inside && chars[i + 1] !== ' ') this.writeIndent()
        else this.put(c)
        spaces = true
      } else if (isBreak(c)) {
        // Only U+2028/U+2029 get here: other line breaks force another style.
        this.writeBreak(c)
        this.indention = true
        breaks = true
      } else {
        if (breaks) this.writeIndent()
        if (c === "'") this.put("'")
        this.put(c)
        this.indention = false
        spaces = false
        breaks = false
      }
    })
    this.writeIndicator("'", false, false, false)
    this.whitespace = false
    this.indention = false
  }

  private writeDoubleQuoted(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false)
    let spaces = false
    // go-yaml's BOM test looks at the start of the value, not at the current
    // character, so a value that starts with U+FEFF is escaped throughout.
    const escapeAll = chars[0] === '\uFEFF'
    chars.forEach((c, i) => {
      const cp = c.codePointAt(0) as number
      if (escapeAll || !isPrintable(cp) || isBreak(c) || c === '"' || c === '\\') {
        for (const e of '\\' + escapeFor(cp)) this.put(e)
        spaces = false
      } else if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1) {
          this.writeIndent()
          if (chars[i + 1] === ' ') this.put('\\')
        } else {
          this.put(c)
        }
        spaces = true
      } else {
        this.put(c)
        spaces = false
      }
    })
    this.writeIndicator('"', false, false, false)
    this.whitespace = false
    this.indention = false
  }

  private writeLiteral(chars: string[]): void {
    this.writeIndicator('|', true, false, false)
    if (chars[0] === ' ' || isBreak(chars[0])) this.writeIndicator(String(BEST_INDENT), false, false, false)
    const last = chars.length - 1
    if (!isBreak(chars[last])) this.writeIndicator('-', false, false, false)
    else if (last === 0 || isBreak(chars[last - 1])) this.writeIndicator('+', false, false, false)
    this.putBreak()
    this.indention = true
    this.whitespace = true
    let breaks = true
    for (const c of chars) {
      if (isBreak(c)) {
        this.writeBreak(c)
        this.indention = true
        breaks = true
      } else {
        if (breaks) this.writeIndent()
        this.put(c)
        this.indention = false
        breaks = false
      }
    }
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent)
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0
    else if (!indentless) this.indent += BEST_INDENT
  }

  private popIndent(): void {
    this.indent = this.indents.pop() as number
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0)
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak()
    if (this.column < indent) {
      this.out += ' '.repeat(indent - this.column)
      this.column = indent
    }
    this.whitespace = true
    this.indention = true
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ')
    this.put(indicator)
    this.whitespace = isWhitespace
    this.indention = this.indention && isIndention
  }

  private put(c: string): void {
    this.out += c
    this.column++
  }

  private putBreak(): void {
    this.out += '\n'
    this.column = 0
  }

  private writeBreak(c: string): void {
    if (c === '\n') {
      this.putBreak()
    } else {
      this.out += c
      this.column = 0
    }
  }
}

/**
 * Mappings of one shape (every item of a list) share their key order: it is worked out once per
 * set of keys. The memo is bounded, since keys may be the user's (labels).
 */
const keyOrders = new Map<string, number[]>()
const KEY_ORDERS_MAX = 4096

function sortedEntries(entries: [string, unknown][]): [string, unknown][] {
  const id = entries.map(([k]) => k).join('\0')
  let order = keyOrders.get(id)
  if (!order) {
    order = entries.map((_, i) => i).sort((a, b) => compareKeys(entries[a][0], entries[b][0]))
    if (keyOrders.size >= KEY_ORDERS_MAX) keyOrders.clear()
    keyOrders.set(id, order)
  }
  return order.map((i) => entries[i])
}

function scalarText(value: unknown): [string, Style] {
  if (value === null || value === undefined) return ['null', 'plain']
  if (typeof value === 'boolean') return [String(value), 'plain']
  if (typeof value === 'number') return [formatNumber(value), 'plain']
  if (typeof value === 'string') {
    const text = readBack(value)
    return [text, stringStyle(text)]
  }
  throw new TypeError(`cannot render ${typeof value} as YAML`)
}

function stringStyle(s: string): Style {
  if (s.includes('\n')) return 'literal'
  return needsTypeQuoting(s) ? 'double' : 'plain'
}

function selectStyle(requested: Style, a: Analysis, simpleKey: boolean, length: number): Style {
  let style = requested
  if (simpleKey && a.multiline) style = 'double'
  if (style === 'plain' && (!a.blockPlainAllowed || (length === 0 && simpleKey))) style = 'single'
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double'
  if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double'
  return style
}

const FIRST_CHAR_INDICATORS = "#,[]{}&*!|>'\"%@`"

/**
 * Text made only of these, starting with a letter or digit, has nothing analyze() looks for (no
 * break, space, indicator or special character): plain text stays plain and never folds.
 */
const SIMPLE_TEXT = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/

/** go-yaml's yaml_emitter_analyze_scalar, reduced to block context. */
function analyze(chars: string[]): Analysis {
  if (chars.length === 0) {
    return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false }
  }
  const text = chars.join('')
  let indicators = text.startsWith('---') || text.startsWith('...')
  let lineBreaks = false
  let special = false
  let leadingOrTrailing = false
  let trailingSpace = false
  let breakSpace = false
  let spaceBreak = false
  let previousSpace = false
  let previousBreak = false
  let precededByWhitespace = true
  const last = chars.length - 1
  chars.forEach((c, i) => {
    const followedByWhitespace = i === last || chars[i + 1] === ' ' || chars[i + 1] === '\t'
    if (i === 0) {
      if (FIRST_CHAR_INDICATORS.includes(c)) indicators = true
      else if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) indicators = true
    } else if ((c === ':' && followedByWhitespace) || (c === '#' && precededByWhitespace)) {
      indicators = true
    }
    if (!isPrintable(c.codePointAt(0) as number)) special = true
    if (c === ' ') {
      if (i === 0 || i === last) leadingOrTrailing = true
      if (i === last) trailingSpace = true
      if (previousBreak) breakSpace = true
      previousSpace = true
      previousBreak = false
    } else if (isBreak(c)) {
      lineBreaks = true
      if (i === 0 || i === last) leadingOrTrailing = true
      if (previousSpace) spaceBreak = true
      previousSpace = false
      previousBreak = true
    } else {
      previousSpace = false
      previousBreak = false
    }
    precededByWhitespace = c === ' ' || c === '\t' || isBreak(c) || c === '\0'
  })
  const noQuoting = spaceBreak || special
  return {
    multiline: lineBreaks,
    blockPlainAllowed: !(leadingOrTrailing || breakSpace || noQuoting || lineBreaks || indicators),
    singleQuotedAllowed: !(breakSpace || noQuoting),
    blockAllowed: !(trailingSpace || noQuoting),
  }
}

function isBreak(c: string): boolean {
  return c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029'
}

/** go-yaml's is_printable, on code points. */
function isPrintable(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
  )
}

const NAMED_ESCAPES: Record<number, string> = {
  0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e',
  0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
}

function escapeFor(cp: number): string {
  const named = NAMED_ESCAPES[cp]
  if (named !== undefined) return named
  const hex = cp.toString(16).toUpperCase()
  if (cp <= 0xff) return 'x' + hex.padStart(2, '0')
  if (cp <= 0xffff) return 'u' + hex.padStart(4, '0')
  return 'U' + hex.padStart(8, '0')
}
