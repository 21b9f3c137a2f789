/**
 * The parser of Go's text/template (text/template/parse/parse.go): builds the tree of each
 * template (the top one and every `{{define}}` / `{{block}}`), with Go's error texts:
 * `template: NAME:LINE: MESSAGE`.
 */
import { goQuote } from '../../go-quote.js'
import { itemString, lex, type Item, type ItemType } from './lex.js'
import type { ActionNode, CommandNode, ListNode, Node, NumberNode, PipeNode, TemplateNode, VariableNode } from './nodes.js'
import { nodeString } from './nodes.js'
import { goUnquote } from './unquote.js'

export class TemplateParseError extends Error {}

export interface Tree {
  name: string
  root: ListNode
  /** The whole text parsed, for exec errors' line:column. */
  text: string
  parseName: string
}

/** Parses `text` as template `name`; returns every template it defines, the top one under `name`. */
export function parseTemplates(name: string, text: string, hasFunction: (name: string) => boolean): Map<string, Tree> {
  const items = lex(text, { breakOK: !hasFunction('break'), continueOK: !hasFunction('continue') })
  const set = new Map<string, Tree>()
  const parser = new Parser(name, text, items, hasFunction, set)
  parser.parseTop()
  return set
}

function isEmptyTree(n: Node | undefined): boolean {
  if (!n) return true
  if (n.type === 'list') return n.nodes.every(isEmptyTree)
  if (n.type === 'text') return n.text.trim() === ''
  return false
}

class Parser {
  private index = 0
  private last: Item
  private vars: string[] = ['$']
  private rangeDepth = 0
  private actionLine = 0

  constructor(
    private name: string,
    private text: string,
    private items: Item[],
    private hasFunction: (name: string) => boolean,
    private set: Map<string, Tree>,
    private parseName = name,
  ) {
    this.last = items[0]
  }

  // Tokens.
  private next(): Item {
    const item = this.items[Math.min(this.index, this.items.length - 1)]
    this.index++
    this.last = item
    return item
  }
  private backup(n = 1): void {
    this.index -= n
  }
  private peek(): Item {
    return this.items[Math.min(this.index, this.items.length - 1)]
  }
  private nextNonSpace(): Item {
    let t
    do t = this.next()
    while (t.typ === 'space')
    return t
  }
  private peekNonSpace(): Item {
    const at = this.index
    const t = this.nextNonSpace()
    this.index = at
    // Go's peekNonSpace consumes the spaces before it; harmless to keep them.
    return t
  }

  private errorf(message: string): never {
    // A lexer error is what Go's parser meets next; its line is that of the error item.
    throw new TemplateParseError(`template: ${this.parseName}:${this.last.line}: ${message}`)
  }
  private unexpected(item: Item, context: string): never {
    if (item.typ === 'error') {
      // A lexer error is reported as it is, naming where the action began when on another line.
      this.last = item
      let extra = ''
      if (this.actionLine !== 0 && this.actionLine !== item.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`
        if (item.val.endsWith(' action')) extra = extra.slice(' in action'.length)
      }
      return this.errorf(`${item.val}${extra}`)
    }
    return this.errorf(`unexpected ${itemString(item)} in ${context}`)
  }
  private expect(typ: ItemType, context: string): Item {
    const t = this.nextNonSpace()
    if (t.typ !== typ) this.unexpected(t, context)
    return t
  }

  private add(tree: Tree): void {
    const existing = this.set.get(tree.name)
    if (!existing || isEmptyTree(existing.root)) {
      this.set.set(tree.name, tree)
      return
    }
    if (!isEmptyTree(tree.root)) this.errorf(`template: multiple definition of template ${goQuote(tree.name)}`)
  }

  parseTop(): void {
    const root: ListNode = { type: 'list', pos: this.peek().pos, nodes: [] }
    while (this.peek().typ !== 'eof') {
      if (this.peek().typ === 'leftDelim') {
        const save = this.index
        this.next()
        if (this.nextNonSpace().typ === 'define') {
          this.parseDefinition()
          continue
        }
        this.index = save
      }
      const n = this.textOrAction()
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`)
      root.nodes.push(n)
    }
    this.add({ name: this.name, root, text: this.text, parseName: this.parseName })
  }

  private subParser(name: string): Parser {
    const p = new Parser(name, this.text, this.items, this.hasFunction, this.set, this.parseName)
    p.index = this.index
    p.last = this.last
    return p
  }

  private parseDefinition(): void {
    const context = 'define clause'
    const t = this.nextNonSpace()
    if (t.typ !== 'string' && t.typ !== 'rawString') this.unexpected(t, context)
    const name = this.unquote(t.val)
    this.expect('rightDelim', context)
    this.parseBody(name, context)
  }

  /** The body of a {{define}} or {{block}} up to its {{end}}, added as template `name`. */
  private parseBody(name: string, context: string): void {
    const sub = this.subParser(name)
    const [root, end] = sub.itemList()
    this.index = sub.index
    this.last = sub.last
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`)
    this.add({ name, root, text: this.text, parseName: this.parseName })
  }

  private unquote(quoted: string): string {
    try {
      return goUnquote(quoted)
    } catch (err) {
      return this.errorf((err as Error).message)
    }
  }

  /** textOrAction* up to {{end}} or {{else}}, returned separately. */
  itemList(): [ListNode, Node] {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] }
    while (this.peekNonSpace().typ !== 'eof') {
      const n = this.textOrAction()
      if (n.type === 'end' || n.type === 'else') return [list, n]
      list.nodes.push(n)
    }
    return this.errorf('unexpected EOF')
  }

  private textOrAction(): Node {
    const t = this.nextNonSpace()
    if (t.typ === 'text') return { type: 'text', pos: t.pos, text: t.val }
    if (t.typ === 'leftDelim') {
      this.actionLine = t.line
      try {
        return this.action()
      } finally {
        this.actionLine = 0
      }
    }
    return this.unexpected(t, 'input')
  }

  private action(): Node {
    const t = this.nextNonSpace()
    switch (t.typ) {
      case 'block':
        return this.blockControl()
      case 'break':
        return this.breakControl(t, 'break')
      case 'continue':
        return this.breakControl(t, 'continue')
      case 'else':
        return this.elseControl()
      case 'end': {
        const e = this.expect('rightDelim', 'end')
        return { type: 'end', pos: e.pos }
      }
      case 'if':
      case 'range':
      case 'with':
        return this.control(t.typ)
      case 'template':
        return this.templateControl()
    }
    this.backup()
    const token = this.peek()
    const action: ActionNode = { type: 'action', pos: token.pos, line: token.line, pipe: this.pipeline('command', 'rightDelim') }
    return action
  }

  private breakControl(t: Item, word: 'break' | 'continue'): Node {
    const next = this.nextNonSpace()
    if (next.typ !== 'rightDelim') this.unexpected(next, `{{${word}}}`)
    if (this.rangeDepth === 0) this.errorf(`{{${word}}} outside {{range}}`)
    return { type: word, pos: t.pos, line: t.line }
  }

  private elseControl(): Node {
    const peek = this.peekNonSpace()
    // "else if" / "else with": the keyword is left for the caller.
    if (peek.typ === 'if' || peek.typ === 'with') return { type: 'else', pos: peek.pos, line: peek.line }
    const t = this.expect('rightDelim', 'else')
    return { type: 'else', pos: t.pos, line: t.line }
  }

  private control(kind: 'if' | 'range' | 'with'): Node {
    const mark = this.vars.length
    const pipe = this.pipeline(kind, 'rightDelim')
    if (kind === 'range') this.rangeDepth++
    let [list, next] = this.itemList()
    if (kind === 'range') this.rangeDepth--
    let elseList: ListNode | undefined
    if (next.type === 'else') {
      const chained = (kind === 'if' && this.peekNonSpace().typ === 'if') || (kind === 'with' && this.peekNonSpace().typ === 'with')
      if (chained) {
        this.nextNonSpace()
        elseList = { type: 'list', pos: next.pos, nodes: [this.control(kind)] }
      } else {
        ;[elseList, next] = this.itemList()
        if (next.type !== 'end') this.errorf(`expected end; found ${nodeString(next)}`)
      }
    }
    this.vars.length = mark
    return { type: kind, pos: pipe.pos, line: pipe.line, pipe, list, elseList }
  }

  private templateName(t: Item, context: string): string {
    if (t.typ !== 'string' && t.typ !== 'rawString') this.unexpected(t, context)
    return this.unquote(t.val)
  }

  private blockControl(): Node {
    const context = 'block clause'
    const t = this.nextNonSpace()
    const name = this.templateName(t, context)
    const pipe = this.pipeline(context, 'rightDelim')
    this.parseBody(name, context)
    const node: TemplateNode = { type: 'template', pos: t.pos, line: t.line, name, pipe }
    return node
  }

  private templateControl(): Node {
    const context = 'template clause'
    const t = this.nextNonSpace()
    const name = this.templateName(t, context)
    let pipe: PipeNode | undefined
    if (this.nextNonSpace().typ !== 'rightDelim') {
      this.backup()
      pipe = this.pipeline(context, 'rightDelim')
    }
    return { type: 'template', pos: t.pos, line: t.line, name, pipe }
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const token = this.peekNonSpace()
    const pipe: PipeNode = { type: 'pipe', pos: token.pos, line: token.line, isAssign: false, decl: [], cmds: [] }
    for (;;) {
      const v = this.peekNonSpace()
      if (v.typ !== 'variable') break
      const save = this.index
      this.nextNonSpace()
      const next = this.peekNonSpace()
      if (next.typ === 'assign' || next.typ === 'declare') {
        pipe.isAssign = next.typ === 'assign'
        this.nextNonSpace()
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: v.val.split('.') })
        this.vars.push(v.val)
        break
      }
      if (next.typ === 'char' && next.val === ',') {
        this.nextNonSpace()
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: v.val.split('.') })
        this.vars.push(v.val)
        if (context === 'range' && pipe.decl.length < 2) {
          const after = this.peekNonSpace().typ
          if (after === 'variable' || after === 'rightDelim' || after === 'rightParen') continue
          this.errorf('range can only initialize variables')
        }
        this.errorf(`too many declarations in ${context}`)
      }
      this.index = save
      break
    }
    for (;;) {
      const t = this.nextNonSpace()
      if (t.typ === end) {
        this.checkPipeline(pipe, context)
        return pipe
      }
      switch (t.typ) {
        case 'bool': case 'charConstant': case 'complex': case 'dot': case 'field': case 'identifier':
        case 'number': case 'nil': case 'rawString': case 'string': case 'variable': case 'leftParen':
          this.backup()
          pipe.cmds.push(this.command())
          break
        default:
          this.unexpected(t, context)
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`)
    pipe.cmds.slice(1).forEach((c, i) => {
      if (['bool', 'dot', 'nil', 'number', 'string'].includes(c.args[0].type)) this.errorf(`non executable command in pipeline stage ${i + 2}`)
    })
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] }
    for (;;) {
      this.peekNonSpace()
      const operand = this.operand()
      if (operand) cmd.args.push(operand)
      const t = this.next()
      if (t.typ === 'space') continue
      if (t.typ === 'rightDelim' || t.typ === 'rightParen') this.backup()
      else if (t.typ !== 'pipe') this.unexpected(t, 'operand')
      break
    }
    if (cmd.args.length === 0) this.errorf('empty command')
    return cmd
  }

  private operand(): Node | undefined {
    const node = this.term()
    if (!node) return undefined
    if (this.peek().typ !== 'field') return node
    const pos = this.peek().pos
    const fields: string[] = []
    while (this.peek().typ === 'field') fields.push(this.next().val.slice(1))
    switch (node.type) {
      case 'field':
        return { type: 'field', pos, ident: [...node.ident, ...fields] }
      case 'variable':
        return { type: 'variable', pos, ident: [...node.ident, ...fields] }
      case 'bool': case 'string': case 'number': case 'nil': case 'dot':
        return this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`)
      default:
        return { type: 'chain', pos, node, field: fields }
    }
  }

  private term(): Node | undefined {
    const t = this.nextNonSpace()
    switch (t.typ) {
      case 'identifier':
        if (!this.hasFunction(t.val)) this.errorf(`function ${goQuote(t.val)} not defined`)
        return { type: 'identifier', pos: t.pos, ident: t.val }
      case 'dot':
        return { type: 'dot', pos: t.pos }
      case 'nil':
        return { type: 'nil', pos: t.pos }
      case 'variable':
        return this.useVar(t)
      case 'field':
        return { type: 'field', pos: t.pos, ident: t.val.slice(1).split('.') }
      case 'bool':
        return { type: 'bool', pos: t.pos, value: t.val === 'true' }
      case 'charConstant':
      case 'complex':
      case 'number':
        return this.number(t)
      case 'leftParen':
        return this.pipeline('parenthesized pipeline', 'rightParen')
      case 'string':
      case 'rawString':
        return { type: 'string', pos: t.pos, quoted: t.val, text: this.unquote(t.val) }
    }
    this.backup()
    return undefined
  }

  private useVar(t: Item): VariableNode {
    const ident = t.val.split('.')
    if (!this.vars.includes(ident[0])) this.errorf(`undefined variable ${goQuote(ident[0])}`)
    return { type: 'variable', pos: t.pos, ident }
  }

  private number(t: Item): NumberNode {
    const n: NumberNode = { type: 'number', pos: t.pos, text: t.val, isInt: false, isUint: false, isFloat: false, isComplex: false, int: 0n, float: 0 }
    if (t.typ === 'charConstant') {
      const body = this.unquoteChar(t.val)
      n.isInt = n.isUint = n.isFloat = true
      n.int = BigInt(body)
      n.float = body
      return n
    }
    if (t.typ === 'complex' || t.val.endsWith('i')) {
      // Complex constants are rare in templates; Go would accept them, we do not model complex128.
      this.errorf(`illegal number syntax: ${goQuote(t.val)}`)
    }
    const text = t.val
    const int = parseGoInt(text)
    if (int !== undefined) {
      n.int = int
      n.isInt = int >= -(1n << 63n) && int < 1n << 63n
      n.isUint = int >= 0n && int < 1n << 64n
      n.isFloat = true
      n.float = Number(int)
    } else {
      const f = parseGoFloat(text)
      if (f === undefined) this.errorf(`illegal number syntax: ${goQuote(text)}`)
      n.isFloat = true
      n.float = f
      if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
        n.int = BigInt(f)
        n.isInt = true
        n.isUint = f >= 0
      }
    }
    return n
  }

  private unquoteChar(quoted: string): number {
    try {
      const s = goUnquote(quoted)
      const cps = [...s]
      if (cps.length !== 1) this.errorf(`malformed character constant: ${quoted}`)
      return cps[0].codePointAt(0) as number
    } catch (err) {
      if (err instanceof TemplateParseError) throw err
      return this.errorf(`malformed character constant: ${quoted}`)
    }
  }
}

/** strconv.ParseInt(text, 0, 64)'s syntax (sign, 0x/0o/0b/0 prefixes, underscores after a prefix). */
function parseGoInt(text: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(text)
  if (!m) return undefined
  let digits = m[2]
  // Underscores only between digits (or after a base prefix), as strconv's underscoreOK has them.
  if (/__|_$/.test(digits)) return undefined
  digits = digits.replace(/_/g, '')
  let value: bigint
  if (/^0[xXoObB]/.test(digits)) value = BigInt(digits.toLowerCase())
  else if (digits.length > 1 && digits[0] === '0') value = BigInt(`0o${digits.slice(1)}`)
  else value = BigInt(digits)
  return m[1] === '-' ? -value : value
}

function parseGoFloat(text: string): number | undefined {
  if (!/^[+-]?(\d[\d_]*\.?[\d_]*([eE][+-]?\d+)?|\.\d[\d_]*([eE][+-]?\d+)?)$/.test(text)) return undefined
  return Number(text.replace(/_/g, ''))
}
