/**
 * Public API of the Calico selector language: parse once, then evaluate against
 * labels or print the canonical form libcalico-go uses to compare selectors.
 */
import { evaluateNode, type Labels } from './evaluate.js'
import { SelectorSyntaxError, parseSelectorText, type SelectorNode } from './parser.js'

export { SelectorSyntaxError }
export type { Labels }

export interface Selector {
  evaluate(labels: Labels): boolean
  /** Canonical form, e.g. `(has(a) && b == "c")`. */
  toString(): string
  /** True when `global()` appears anywhere; validation allows it only as a whole namespaceSelector. */
  usesGlobal(): boolean
}

/** Parses a selector; blank text selects everything. Throws SelectorSyntaxError. */
export function parseSelector(text: string): Selector {
  const root = parseSelectorText(text)
  return {
    evaluate: (labels) => evaluateNode(root, labels),
    toString: () => canonical(root),
    usesGlobal: () => containsGlobal(root),
  }
}

/** The parser's message when `text` is not a valid selector, otherwise undefined. */
export function validateSelector(text: string): string | undefined {
  try {
    parseSelectorText(text)
    return undefined
  } catch (err) {
    if (err instanceof SelectorSyntaxError) return err.message
    throw err
  }
}

/** Values are printed in double quotes unless they contain one (strings have no escapes). */
function quote(value: string): string {
  return value.includes('"') ? `'${value}'` : `"${value}"`
}

function canonical(node: SelectorNode): string {
  switch (node.kind) {
    case 'all':
      return 'all()'
    case 'global':
      return 'global()'
    case 'has':
      return `has(${node.label})`
    case 'compare':
      return `${node.label} ${node.op} ${quote(node.value)}`
    case 'set':
      return `${node.label} ${node.op} {${node.values.map(quote).join(', ')}}`
    case 'not':
      return `!${canonical(node.operand)}`
    case 'and':
      return `(${node.operands.map(canonical).join(' && ')})`
    case 'or':
      return `(${node.operands.map(canonical).join(' || ')})`
  }
}

function containsGlobal(node: SelectorNode): boolean {
  switch (node.kind) {
    case 'global':
      return true
    case 'not':
      return containsGlobal(node.operand)
    case 'and':
    case 'or':
      return node.operands.some(containsGlobal)
    default:
      return false
  }
}
