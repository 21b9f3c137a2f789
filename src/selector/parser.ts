/**
 * Recursive-descent parser for Calico selectors (datastore spec 4.2). Error
 * texts and the order of checks follow libcalico-go's parser, so the same
 * input fails with the same message.
 */
import { SelectorSyntaxError, describeToken, tokenize, type Token, type TokenKind } from './tokenizer.js'

export { SelectorSyntaxError }

export type CompareOperator = '==' | '!=' | 'contains' | 'starts with' | 'ends with'
export type SetOperator = 'in' | 'not in'

export type SelectorNode =
  | { kind: 'all' }
  | { kind: 'global' }
  | { kind: 'has'; label: string }
  | { kind: 'compare'; op: CompareOperator; label: string; value: string }
  /** `values` is sorted by code point and free of duplicates. */
  | { kind: 'set'; op: SetOperator; label: string; values: readonly string[] }
  | { kind: 'not'; operand: SelectorNode }
  | { kind: 'and'; operands: readonly SelectorNode[] }
  | { kind: 'or'; operands: readonly SelectorNode[] }

const COMPARE_OPERATORS: Partial<Record<TokenKind, CompareOperator>> = {
  Eq: '==',
  Ne: '!=',
  Contains: 'contains',
  StartsWith: 'starts with',
  EndsWith: 'ends with',
}

const SET_OPERATORS: Partial<Record<TokenKind, SetOperator>> = { In: 'in', NotIn: 'not in' }

/** Parses selector text; a blank selector means `all()`. Throws SelectorSyntaxError. */
export function parseSelectorText(text: string): SelectorNode {
  return new Parser(tokenize(text)).parseRoot()
}

class Parser {
  private pos = 0

  constructor(private readonly tokens: Token[]) {}

  parseRoot(): SelectorNode {
    if (this.peek().kind === 'EOF') return { kind: 'all' }
    const node = this.parseOr()
    if (this.peek().kind !== 'EOF') {
      const rest = this.tokens.slice(this.pos).map(describeToken).join(' ')
      this.fail(`unexpected content at end of selector [${rest}]`)
    }
    return node
  }

  private parseOr(): SelectorNode {
    const operands = [this.parseAnd()]
    while (this.accept('Or')) operands.push(this.parseAnd())
    return operands.length === 1 ? operands[0] : { kind: 'or', operands }
  }

  private parseAnd(): SelectorNode {
    const operands = [this.parseUnary()]
    while (this.accept('And')) operands.push(this.parseUnary())
    return operands.length === 1 ? operands[0] : { kind: 'and', operands }
  }

  /** Leading `!`s collapse: an even number cancels out. */
  private parseUnary(): SelectorNode {
    let negated = false
    while (this.accept('Not')) negated = !negated
    const node = this.parsePrimary()
    return negated ? { kind: 'not', operand: node } : node
  }

  private parsePrimary(): SelectorNode {
    const token = this.next()
    switch (token.kind) {
      case 'All':
        return { kind: 'all' }
      case 'Global':
        return { kind: 'global' }
      case 'Has':
        return { kind: 'has', label: token.value }
      case 'LParen': {
        const node = this.parseOr()
        if (!this.accept('RParen')) this.fail('expected )')
        return node
      }
      case 'Label':
        return this.parseLabelOperation(token.value)
      default:
        this.pos--
        return this.fail(`unexpected token: ${describeToken(token)}`)
    }
  }

  private parseLabelOperation(label: string): SelectorNode {
    // Upstream needs an operator and an operand token; only EOF may be left here.
    if (this.tokens.length - this.pos < 2) this.fail('unexpected end of string looking for op')
    const operator = this.next()
    const compareOp = COMPARE_OPERATORS[operator.kind]
    if (compareOp) {
      if (this.peek().kind !== 'StringLiteral') this.fail('expected string')
      return { kind: 'compare', op: compareOp, label, value: this.next().value }
    }
    const setOp = SET_OPERATORS[operator.kind]
    if (setOp) {
      if (!this.accept('LBrace')) this.fail('expected set literal')
      return { kind: 'set', op: setOp, label, values: this.parseSetValues() }
    }
    this.pos--
    return this.fail(`expected == or != not: ${describeToken(operator)}`)
  }

  /** Parses after `{`: strings separated by commas, optional trailing comma, then `}`. */
  private parseSetValues(): string[] {
    const values: string[] = []
    while (this.peek().kind === 'StringLiteral') {
      values.push(this.next().value)
      if (!this.accept('Comma')) break
    }
    if (!this.accept('RBrace')) this.fail('expected }')
    return sortedUnique(values)
  }

  private peek(): Token {
    return this.tokens[this.pos]
  }

  private next(): Token {
    return this.tokens[this.pos++]
  }

  private accept(kind: TokenKind): boolean {
    if (this.peek().kind !== kind) return false
    this.pos++
    return true
  }

  /** Reports an error at the current token. */
  private fail(message: string): never {
    throw new SelectorSyntaxError(message, this.peek().offset)
  }
}

/** Go sorts strings bytewise; UTF-8 byte order is code point order, which JS `<` is not. */
function sortedUnique(values: string[]): string[] {
  const sorted = [...new Set(values)].map((v) => Buffer.from(v, 'utf8'))
  sorted.sort(Buffer.compare)
  return sorted.map((b) => b.toString('utf8'))
}
