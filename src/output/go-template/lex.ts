/**
 * The lexer of Go's text/template (text/template/parse/lex.go): text, actions between `{{` and
 * `}}` with the `{{- ` / ` -}}` trim markers, comments, and the tokens inside actions. An error
 * becomes an `error` item, after which nothing more is produced, as Go's lexer stops there.
 */
import { goQuote } from '../../go-quote.js'

export type ItemType =
  | 'error' | 'bool' | 'char' | 'charConstant' | 'complex' | 'assign' | 'declare' | 'eof' | 'field'
  | 'identifier' | 'leftDelim' | 'leftParen' | 'number' | 'pipe' | 'rawString' | 'rightDelim'
  | 'rightParen' | 'space' | 'string' | 'text' | 'variable'
  // Keywords.
  | 'block' | 'break' | 'continue' | 'dot' | 'define' | 'else' | 'end' | 'if' | 'nil' | 'range' | 'template' | 'with'

export interface Item {
  typ: ItemType
  pos: number
  val: string
  line: number
}

const KEYWORDS: Record<string, ItemType> = {
  '.': 'dot', block: 'block', break: 'break', continue: 'continue', define: 'define', else: 'else', end: 'end',
  if: 'if', range: 'range', nil: 'nil', template: 'template', with: 'with',
}

function isKeyword(typ: ItemType): boolean {
  return Object.values(KEYWORDS).includes(typ)
}

/** How Go prints an item in "unexpected X in Y". */
export function itemString(item: Item): string {
  if (item.typ === 'eof') return 'EOF'
  if (item.typ === 'error') return item.val
  if (isKeyword(item.typ)) return `<${item.val}>`
  if ([...item.val].length > 10) return `${goQuote([...item.val].slice(0, 10).join(''))}...`
  return goQuote(item.val)
}

/** Go's %#U of a rune: U+007D '}' */
function goRuneU(r: string): string {
  const c = r.codePointAt(0) as number
  const hex = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`
  return /\p{L}|\p{N}|\p{P}|\p{S}|\p{Zs}/u.test(r) ? `${hex} '${r}'` : hex
}

const LEFT = '{{'
const RIGHT = '}}'
const isSpace = (r: string) => r === ' ' || r === '\t' || r === '\r' || r === '\n'
const isAlphaNumeric = (r: string) => r === '_' || /^[\p{L}\p{Nd}]$/u.test(r)

/** Lexes the whole input (a template is short); the last item is `eof` or `error`. */
export function lex(input: string, options: { breakOK: boolean; continueOK: boolean }): Item[] {
  const items: Item[] = []
  let pos = 0
  let start = 0
  let parenDepth = 0
  let insideAction = false

  const next = (): string => {
    if (pos >= input.length) return ''
    const ch = String.fromCodePoint(input.codePointAt(pos) as number)
    pos += ch.length
    return ch
  }
  const peek = (): string => (pos >= input.length ? '' : String.fromCodePoint(input.codePointAt(pos) as number))
  const backup = (ch: string) => {
    pos -= ch.length
  }
  const emit = (typ: ItemType) => {
    items.push({ typ, pos: start, val: input.slice(start, pos), line: lineAt(start) })
    start = pos
  }
  const ignore = () => {
    start = pos
  }
  const lineAt = (at: number) => 1 + countNewlines(input.slice(0, at))
  const fail = (message: string): false => {
    items.push({ typ: 'error', pos: start, val: message, line: lineAt(start) })
    return false
  }
  const accept = (valid: string) => {
    const ch = next()
    if (ch !== '' && valid.includes(ch)) return true
    backup(ch)
    return false
  }
  const acceptRun = (valid: string) => {
    let ch
    while ((ch = next()) !== '' && valid.includes(ch));
    backup(ch)
  }
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    if (input.startsWith(` -${RIGHT}`, pos) || input.startsWith(`\t-${RIGHT}`, pos) || input.startsWith(`\r-${RIGHT}`, pos) || input.startsWith(`\n-${RIGHT}`, pos)) return { delim: true, trim: true }
    return { delim: input.startsWith(RIGHT, pos), trim: false }
  }
  const atTerminator = () => {
    const r = peek()
    if (r === '' || isSpace(r)) return true
    if ('.,|:()'.includes(r)) return true
    return r === RIGHT[0]
  }
  const hasLeftTrim = (s: string) => s.length >= 2 && s[0] === '-' && isSpace(s[1])

  const lexText = (): boolean => {
    const x = input.indexOf(LEFT, pos)
    if (x >= 0) {
      const trim = hasLeftTrim(input.slice(x + LEFT.length))
      let end = x
      if (trim) while (end > pos && isSpace(input[end - 1])) end--
      pos = end
      if (pos > start) emit('text')
      pos = x
      ignore()
      return lexLeftDelim(trim)
    }
    pos = input.length
    if (pos > start) emit('text')
    emit('eof')
    return false
  }
  const lexLeftDelim = (trim: boolean): boolean => {
    pos += LEFT.length
    const after = trim ? 2 : 0
    if (input.startsWith('/*', pos + after)) {
      pos += after
      ignore()
      return lexComment()
    }
    emit('leftDelim')
    pos += after
    ignore()
    parenDepth = 0
    insideAction = true
    return true
  }
  const lexComment = (): boolean => {
    pos += 2
    const x = input.indexOf('*/', pos)
    if (x < 0) return fail('unclosed comment')
    pos = x + 2
    const { delim, trim } = atRightDelim()
    if (!delim) return fail('comment ends before closing delimiter')
    pos += (trim ? 2 : 0) + RIGHT.length
    ignore()
    if (trim) skipLeadingSpace()
    return true
  }
  const skipLeadingSpace = () => {
    while (pos < input.length && isSpace(input[pos])) next()
    ignore()
  }
  const lexRightDelim = (trim: boolean): boolean => {
    if (trim) {
      pos += 2
      ignore()
    }
    pos += RIGHT.length
    emit('rightDelim')
    if (trim) skipLeadingSpace()
    insideAction = false
    return true
  }
  const lexInsideAction = (): boolean => {
    const { delim, trim } = atRightDelim()
    if (delim) {
      if (parenDepth === 0) return lexRightDelim(trim)
      return fail('unclosed left paren')
    }
    const r = next()
    if (r === '') return fail('unclosed action')
    if (isSpace(r)) {
      backup(r)
      return lexSpace()
    }
    if (r === '=') {
      emit('assign')
    } else if (r === ':') {
      if (next() !== '=') return fail('expected :=')
      emit('declare')
    } else if (r === '|') emit('pipe')
    else if (r === '"') return lexQuoted('"', 'string', 'quoted string')
    else if (r === '`') return lexRawQuote()
    else if (r === '$') return lexVariable()
    else if (r === "'") return lexQuoted("'", 'charConstant', 'character constant')
    else if (r === '.' && pos < input.length && (input[pos] < '0' || input[pos] > '9')) return lexFieldOrVariable('field')
    else if (r === '.' || r === '+' || r === '-' || (r >= '0' && r <= '9')) {
      backup(r)
      return lexNumber()
    } else if (isAlphaNumeric(r)) {
      backup(r)
      return lexIdentifier()
    } else if (r === '(') {
      emit('leftParen')
      parenDepth++
    } else if (r === ')') {
      emit('rightParen')
      parenDepth--
      if (parenDepth < 0) return fail(`unexpected right paren`)
    } else if ((r.codePointAt(0) as number) <= 0x7f && /^[\x20-\x7e]$/.test(r)) {
      emit('char')
    } else return fail(`unrecognized character in action: ${goRuneU(r)}`)
    return true
  }
  const lexSpace = (): boolean => {
    let n = 0
    while (isSpace(peek())) {
      next()
      n++
    }
    // A space followed by `-}}` is the start of a trim-marked closing delimiter.
    if (input.startsWith(`-${RIGHT}`, pos)) {
      const last = input[pos - 1]
      backup(last)
      if (n === 1) return lexRightDelim(true)
    }
    emit('space')
    return true
  }
  const lexIdentifier = (): boolean => {
    for (;;) {
      const r = next()
      if (isAlphaNumeric(r)) continue
      backup(r)
      const word = input.slice(start, pos)
      if (!atTerminator()) return fail(`bad character ${goRuneU(r)}`)
      const key = KEYWORDS[word]
      if (key && key !== 'dot' && (key !== 'break' || options.breakOK) && (key !== 'continue' || options.continueOK)) emit(key)
      else if (word[0] === '.') emit('field')
      else if (word === 'true' || word === 'false') emit('bool')
      else emit('identifier')
      return true
    }
  }
  const lexVariable = (): boolean => {
    if (atTerminator()) {
      emit('variable')
      return true
    }
    return lexFieldOrVariable('variable')
  }
  const lexFieldOrVariable = (typ: 'field' | 'variable'): boolean => {
    if (atTerminator()) {
      emit(typ === 'variable' ? 'variable' : 'dot')
      return true
    }
    let r
    for (;;) {
      r = next()
      if (!isAlphaNumeric(r)) {
        backup(r)
        break
      }
    }
    if (!atTerminator()) return fail(`bad character ${goRuneU(r)}`)
    emit(typ)
    return true
  }
  /** A character constant or quoted string; the opening quote is read. A backslash escapes anything but a newline. */
  const lexQuoted = (quote: string, typ: ItemType, what: string): boolean => {
    for (;;) {
      const r = next()
      if (r === '\\') {
        const e = next()
        if (e !== '' && e !== '\n') continue
        return fail(`unterminated ${what}`)
      }
      if (r === '' || r === '\n') return fail(`unterminated ${what}`)
      if (r === quote) break
    }
    emit(typ)
    return true
  }
  const scanNumber = (): boolean => {
    accept('+-')
    let digits = '0123456789_'
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_'
      else if (accept('oO')) digits = '01234567_'
      else if (accept('bB')) digits = '01_'
    }
    acceptRun(digits)
    if (accept('.')) acceptRun(digits)
    if (digits.length === 11 && accept('eE')) {
      accept('+-')
      acceptRun('0123456789_')
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-')
      acceptRun('0123456789_')
    }
    accept('i')
    if (isAlphaNumeric(peek())) {
      next()
      return false
    }
    return true
  }
  const lexNumber = (): boolean => {
    if (!scanNumber()) return fail(`bad number syntax: ${goQuote(input.slice(start, pos))}`)
    const sign = peek()
    if (sign === '+' || sign === '-') {
      if (!scanNumber() || input[pos - 1] !== 'i') return fail(`bad number syntax: ${goQuote(input.slice(start, pos))}`)
      emit('complex')
    } else emit('number')
    return true
  }
  const lexRawQuote = (): boolean => {
    for (;;) {
      const r = next()
      if (r === '') return fail('unterminated raw quoted string')
      if (r === '`') break
    }
    emit('rawString')
    return true
  }

  for (;;) {
    const more = insideAction ? lexInsideAction() : lexText()
    if (!more) return items
  }
}

function countNewlines(s: string): number {
  let n = 0
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++
  return n
}
