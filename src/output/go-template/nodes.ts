/**
 * The parse tree of a Go text/template (text/template/parse/node.go), with each node's String()
 * as Go writes it: exec errors quote it (`executing "get" at <.Spec.Foo>`).
 */
import { goQuote } from '../../go-quote.js'

export type Node =
  | TextNode | ActionNode | IfNode | RangeNode | WithNode | TemplateNode | BreakNode | ContinueNode | ListNode
  | PipeNode | CommandNode | FieldNode | ChainNode | VariableNode | IdentifierNode | DotNode | NilNode | BoolNode | NumberNode | StringNode
  | EndNode | ElseNode

interface Base {
  pos: number
}
export interface TextNode extends Base { type: 'text'; text: string }
export interface ListNode extends Base { type: 'list'; nodes: Node[] }
export interface ActionNode extends Base { type: 'action'; line: number; pipe: PipeNode }
export interface PipeNode extends Base { type: 'pipe'; line: number; isAssign: boolean; decl: VariableNode[]; cmds: CommandNode[] }
export interface CommandNode extends Base { type: 'command'; args: Node[] }
export interface BranchFields extends Base { line: number; pipe: PipeNode; list: ListNode; elseList?: ListNode }
export interface IfNode extends BranchFields { type: 'if' }
export interface RangeNode extends BranchFields { type: 'range' }
export interface WithNode extends BranchFields { type: 'with' }
export interface TemplateNode extends Base { type: 'template'; line: number; name: string; pipe?: PipeNode }
export interface BreakNode extends Base { type: 'break'; line: number }
export interface ContinueNode extends Base { type: 'continue'; line: number }
export interface FieldNode extends Base { type: 'field'; ident: string[] }
export interface ChainNode extends Base { type: 'chain'; node: Node; field: string[] }
export interface VariableNode extends Base { type: 'variable'; ident: string[] }
export interface IdentifierNode extends Base { type: 'identifier'; ident: string }
export interface DotNode extends Base { type: 'dot' }
export interface NilNode extends Base { type: 'nil' }
export interface BoolNode extends Base { type: 'bool'; value: boolean }
export interface StringNode extends Base { type: 'string'; quoted: string; text: string }
export interface EndNode extends Base { type: 'end' }
export interface ElseNode extends Base { type: 'else'; line: number }
/** A number constant as Go's NumberNode holds it: which Go types it fits and its value in each. */
export interface NumberNode extends Base {
  type: 'number'
  text: string
  isInt: boolean
  isUint: boolean
  isFloat: boolean
  isComplex: boolean
  int: bigint
  float: number
}

/** node.String() as Go prints it. */
export function nodeString(n: Node): string {
  switch (n.type) {
    case 'text':
      return n.text
    case 'list':
      return n.nodes.map(nodeString).join('')
    case 'action':
      return `{{${nodeString(n.pipe)}}}`
    case 'pipe': {
      let s = ''
      if (n.decl.length > 0) s = `${n.decl.map(nodeString).join(', ')} ${n.isAssign ? '=' : ':='} `
      return s + n.cmds.map(nodeString).join(' | ')
    }
    case 'command':
      return n.args.map((a) => (a.type === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ')
    case 'if':
    case 'range':
    case 'with': {
      let s = `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}`
      if (n.elseList) s += `{{else}}${nodeString(n.elseList)}`
      return `${s}{{end}}`
    }
    case 'template':
      return n.pipe ? `{{template ${goQuote(n.name)} ${nodeString(n.pipe)}}}` : `{{template ${goQuote(n.name)}}}`
    case 'break':
      return '{{break}}'
    case 'continue':
      return '{{continue}}'
    case 'field':
      return n.ident.map((i) => `.${i}`).join('')
    case 'chain':
      return (n.node.type === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node)) + n.field.map((f) => `.${f}`).join('')
    case 'variable':
      return n.ident.join('.')
    case 'identifier':
      return n.ident
    case 'dot':
      return '.'
    case 'nil':
      return 'nil'
    case 'bool':
      return String(n.value)
    case 'number':
      return n.text
    case 'string':
      return n.quoted
    case 'end':
      return '{{end}}'
    case 'else':
      return '{{else}}'
  }
}
