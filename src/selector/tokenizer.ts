/**
 * Lexer for the Calico selector language (datastore spec 4.1). It mirrors
 * libcalico-go's tokenizer closely, because which inputs are rejected, and with
 * which message, is part of the behaviour users see.
 */

/** Token kinds; the names are libcalico-go's without the `Tok` prefix, so messages match. */
export type TokenKind =
  | 'Label'
  | 'StringLiteral'
  | 'LBrace'
  | 'RBrace'
  | 'Comma'
  | 'Eq'
  | 'Ne'
  | 'In'
  | 'Not'
  | 'NotIn'
  | 'Contains'
  | 'StartsWith'
  | 'EndsWith'
  | 'All'
  | 'Has'
  | 'LParen'
  | 'RParen'
  | 'And'
  | 'Or'
  | 'Global'
  | 'EOF'

export interface Token {
  kind: TokenKind
  /** Label name, string content, or the label inside `has(...)`; empty otherwise. */
  value: string
  /** 0-based index in the selector text where the token starts. */
  offset: number
}

/** A selector that does not parse. The message is libcalico-go's text. */
export class SelectorSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based character index in the selector where the problem was found. */
    readonly offset: number,
  ) {
    super(message)
    this.name = 'SelectorSyntaxError'
  }
}

export const MAX_LABEL_LENGTH = 512

/** Renders a token as Go's `Token.String()` does, e.g. `TokLabel(app)`, used in parser messages. */
export function describeToken(token: Token): string {
  return `Tok${token.kind}(${token.value})`
}

const SINGLE_CHAR_TOKENS: Record<string, TokenKind> = {
  '(': 'LParen',
  ')': 'RParen',
  '{': 'LBrace',
  '}': 'RBrace',
  ',': 'Comma',
}

const DOUBLE_CHAR_TOKENS: Record<string, TokenKind> = { '=': 'Eq', '&': 'And', '|': 'Or' }

/** Checked in this order; `in` must come after `not in` and after the longer words. */
const WORD_OPERATORS: ReadonlyArray<readonly [TokenKind, readonly string[]]> = [
  ['Contains', ['contains']],
  ['StartsWith', ['starts', 'with']],
  ['EndsWith', ['ends', 'with']],
  ['NotIn', ['not', 'in']],
  ['In', ['in']],
]

const FUNCTIONS: ReadonlyArray<readonly [TokenKind, string]> = [
  ['Has', 'has('],
  ['All', 'all('],
  ['Global', 'global('],
]

function isLabelChar(c: string | undefined): boolean {
  return c !== undefined && /^[A-Za-z0-9_./-]$/.test(c)
}

/** Only space and TAB separate tokens; a newline is an error, as in Calico. */
function skipBlanks(text: string, pos: number): number {
  while (text[pos] === ' ' || text[pos] === '\t') pos++
  return pos
}

/** Reads a label at `pos`, returning the index just after it. */
function readLabel(text: string, pos: number): { label: string; end: number } {
  let end = pos
  while (isLabelChar(text[end])) end++
  const label = text.slice(pos, end)
  if (label.length > MAX_LABEL_LENGTH) throw new SelectorSyntaxError(`label too long: ${label}`, pos)
  if (label.length === 0) throw new SelectorSyntaxError('expected identifier', pos)
  return { label, end }
}

/**
 * Matches a word operator at `pos`; returns the index after it, or -1.
 * Like upstream, blanks are skipped after every word of a two-word operator (so
 * `notin` is accepted) but not after a one-word operator, and the operator must
 * then be followed by a non-label character or the end.
 */
function matchWords(text: string, pos: number, words: readonly string[]): number {
  let p = pos
  for (const word of words) {
    if (!text.startsWith(word, p)) return -1
    p += word.length
    if (words.length > 1) p = skipBlanks(text, p)
  }
  return isLabelChar(text[p]) ? -1 : p
}

function matchWordOperator(text: string, pos: number): [TokenKind, number] | undefined {
  for (const [kind, words] of WORD_OPERATORS) {
    const end = matchWords(text, pos, words)
    if (end !== -1) return [kind, end]
  }
  return undefined
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let pos = 0
  for (;;) {
    pos = skipBlanks(text, pos)
    const start = pos
    const push = (kind: TokenKind, end: number, value = ''): void => {
      tokens.push({ kind, value, offset: start })
      pos = end
    }
    if (pos >= text.length) {
      push('EOF', pos)
      return tokens
    }
    const c = text[pos]
    const previous = tokens.at(-1)
    if (c in SINGLE_CHAR_TOKENS) {
      push(SINGLE_CHAR_TOKENS[c], pos + 1)
    } else if (c === '"' || c === "'") {
      // No escapes: the string ends at the next identical quote.
      const close = text.indexOf(c, pos + 1)
      if (close === -1) throw new SelectorSyntaxError('unterminated string', pos)
      push('StringLiteral', close + 1, text.slice(pos + 1, close))
    } else if (c === '!') {
      if (text[pos + 1] === '=') push('Ne', pos + 2)
      else push('Not', pos + 1)
    } else if (c in DOUBLE_CHAR_TOKENS) {
      if (text[pos + 1] !== c) throw new SelectorSyntaxError(`expected ${c}${c}`, pos)
      push(DOUBLE_CHAR_TOKENS[c], pos + 2)
    } else if (previous?.kind === 'Label') {
      // Right after a label only an operator may follow, never another label.
      const match = matchWordOperator(text, pos)
      if (!match) throw new SelectorSyntaxError(`expected operator after label "${previous.value}"`, pos)
      push(...match)
    } else {
      const fn = FUNCTIONS.find(([, prefix]) => text.startsWith(prefix, pos))
      if (fn) {
        push(fn[0], ...readFunctionArgs(text, pos + fn[1].length, fn))
      } else {
        const { label, end } = readLabel(text, pos)
        push('Label', end, label)
      }
    }
  }
}

/** Reads what follows `has(`, `all(` or `global(` up to and including `)`. */
function readFunctionArgs(
  text: string,
  pos: number,
  [kind, prefix]: readonly [TokenKind, string],
): [end: number, value: string] {
  let p = skipBlanks(text, pos)
  let value = ''
  if (kind === 'Has') {
    const { label, end } = readLabel(text, p)
    value = label
    p = skipBlanks(text, end)
  }
  if (text[p] !== ')') throw new SelectorSyntaxError(`no closing ')' after ${prefix}`, p)
  return [p + 1, value]
}
