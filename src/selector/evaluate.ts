/**
 * Evaluates a parsed selector against a resource's labels (datastore spec 4.3).
 * Note the asymmetry users trip over: `!=` and `not in` match when the label is absent.
 */
import type { CompareOperator, SelectorNode } from './parser.js'

export type Labels = Readonly<Record<string, string>>

const COMPARISONS: Record<CompareOperator, (actual: string, wanted: string) => boolean> = {
  '==': (actual, wanted) => actual === wanted,
  '!=': (actual, wanted) => actual !== wanted,
  contains: (actual, wanted) => actual.includes(wanted),
  'starts with': (actual, wanted) => actual.startsWith(wanted),
  'ends with': (actual, wanted) => actual.endsWith(wanted),
}

/** Own properties only, so a label named `constructor` or `toString` is not "present" by accident. */
function labelValue(labels: Labels, name: string): string | undefined {
  return Object.hasOwn(labels, name) ? labels[name] : undefined
}

export function evaluateNode(node: SelectorNode, labels: Labels): boolean {
  switch (node.kind) {
    case 'all':
    case 'global':
      return true
    case 'has':
      return labelValue(labels, node.label) !== undefined
    case 'compare': {
      const actual = labelValue(labels, node.label)
      if (actual === undefined) return node.op === '!='
      return COMPARISONS[node.op](actual, node.value)
    }
    case 'set': {
      const actual = labelValue(labels, node.label)
      const inSet = actual !== undefined && node.values.includes(actual)
      return node.op === 'in' ? inSet : !inSet
    }
    case 'not':
      return !evaluateNode(node.operand, labels)
    case 'and':
      return node.operands.every((operand) => evaluateNode(operand, labels))
    case 'or':
      return node.operands.some((operand) => evaluateNode(operand, labels))
  }
}
