/**
 * What github.com/google/safetext/yamltemplate adds to text/template, which calicoctl executes its
 * templates with: the output is held back and only written when it passes a YAML-injection check.
 * The template runs three times: as written; then, with every value it prints passed through a
 * callback, once with each string replaced by "baseline" and once with each character of each
 * string doubled (quotes and backslashes excepted). The baseline output must be YAML (else
 * `Invalid YAML Template`), the other two must be YAML too with the same structure: the same map
 * keys, list lengths and scalar types, strings aside (else `YAML Injection Detected`).
 */
import yaml from 'js-yaml'
import { FuncError, type GoFunc } from './exec.js'
import type { CommandNode, ListNode, Node, PipeNode } from './nodes.js'
import type { Tree } from './parse.js'
import { typeString, type GoMap, type GoType, type GoValue, type MaybeValue } from './value.js'

const REMEDIATION = 'ApplyInjectionDetection'

/** The baseline and mutation callbacks of safetext's common package. */
export const baselineString = (): string => 'baseline'
export function mutateString(s: string): string {
  let out = ''
  for (const ch of s) out += ch === '\\' || ch === "'" || ch === '"' ? ch : ch + ch
  return out
}

const SET_ZERO = 'reflect: call of reflect.Value.Set on zero Value'

/**
 * safetext's DeepCopyMutateStrings: a copy with every string mutated. As in Go, a struct comes back
 * as a pointer to its copy (reflect.New), with unexported fields (all of time.Time's) zero; so
 * storing a copied struct into a struct field, slice element or map value of the struct type fails
 * with reflect's panic, which text/template reports as the function's error.
 */
function deepCopyMutate(value: MaybeValue, mutate: (s: string) => string): MaybeValue {
  if (!value) return undefined
  const { t, v } = value
  switch (t.kind) {
    case 'ptr': {
      if (v === null) return value
      const copy = deepCopyMutate(v as GoValue, mutate) as GoValue
      // A pointer to the copy, unless the copy already is the pointer (a struct's).
      return typeString(copy.t) === typeString(t.elem as GoType) ? { t, v: copy } : copy
    }
    case 'interface':
      return v === null ? value : deepCopyMutate(v as GoValue, mutate)
    case 'string':
      return { t, v: mutate(v as string) }
    case 'slice':
      return { t, v: ((v as GoValue[] | null) ?? []).map((e) => stored(e, mutate, 'reflect.Set')) }
    case 'map': {
      const m: GoMap = new Map()
      for (const [k, e] of (v as GoMap | null) ?? new Map()) {
        // SetMapIndex with a zero Value (a nil interface{} copied) deletes the key.
        if (e.value.t.kind === 'interface' && e.value.v === null) continue
        m.set(k, { key: e.key, value: stored(e.value, mutate, 'reflect.Value.SetMapIndex') })
      }
      return { t, v: m }
    }
    case 'struct': {
      const fields = Array.isArray(v) ? (v as GoValue[]).map((f) => stored(f, mutate, 'reflect.Set')) : []
      return { t: { kind: 'ptr', elem: t }, v: { t, v: t.fields && t.fields.length > 0 ? fields : {} } }
    }
    default:
      return value
  }
}

/** The copy of `e` stored back where `e` was, with reflect's assignability check. */
function stored(e: GoValue, mutate: (s: string) => string, context: string): GoValue {
  if (e.t.kind === 'interface') {
    if (e.v === null) throw new FuncError(SET_ZERO)
    return { t: e.t, v: deepCopyMutate(e.v as GoValue, mutate) }
  }
  const copy = deepCopyMutate(e, mutate) as GoValue
  if (typeString(copy.t) !== typeString(e.t)) throw new FuncError(`${context}: value of type ${typeString(copy.t)} is not assignable to type ${typeString(e.t)}`)
  return copy
}

const nilCallback = (): never => {
  throw new FuncError('runtime error: invalid memory address or nil pointer dereference')
}

/** The functions safetext adds to every template, given the callback of the current run. */
export function safetextFuncs(callback: () => (s: string) => string): [string, GoFunc][] {
  return [
    [REMEDIATION, { params: ['any'], call: ([data]) => deepCopyMutate(data, callback()) }],
    ['StructuralData', { params: ['any'], call: ([data]) => data }],
    // yamltemplate never sets the callback AllowFlags calls: a string makes it call a nil function.
    ['AllowFlags', { params: ['any'], call: ([data]) => deepCopyMutate(data, nilCallback) }],
  ]
}

// The walk: every field, variable or dot printed by an action goes through the remediation function.

function applyPipeCmds(cmds: CommandNode[]): CommandNode[] {
  return cmds.map((c) => ({
    ...c,
    args: c.args.map((a, i) => {
      if (a.type === 'dot' || a.type === 'field' || a.type === 'variable') {
        if (i === 0 && c.args.length > 1) return a
        const first = c.args[0]
        if (first.type === 'identifier' && first.ident === 'StructuralData') return a
        // Built without positions, as safetext builds them: errors there read `get:1:0`.
        const wrapped: PipeNode = {
          type: 'pipe',
          pos: 0,
          line: 0,
          isAssign: false,
          decl: [],
          cmds: [
            { type: 'command', pos: 0, args: [a] },
            { type: 'command', pos: 0, args: [{ type: 'identifier', pos: 0, ident: REMEDIATION }] },
          ],
        }
        return wrapped
      }
      if (a.type === 'pipe') return { ...a, cmds: applyPipeCmds(a.cmds) }
      return a
    }),
  }))
}

function walk(templates: Map<string, Tree>, node: Node): Node {
  switch (node.type) {
    case 'action':
      return node.pipe.decl.length === 0 ? { ...node, pipe: { ...node.pipe, cmds: applyPipeCmds(node.pipe.cmds) } } : node
    case 'if':
    case 'range':
    case 'with':
      return { ...node, list: walk(templates, node.list) as ListNode, elseList: node.elseList && (walk(templates, node.elseList) as ListNode) }
    case 'list':
      return { ...node, nodes: node.nodes.map((n) => walk(templates, n)) }
    case 'template': {
      const tree = templates.get(node.name)
      if (tree) templates.set(node.name, { ...tree, root: walk(templates, tree.root) as ListNode })
      return node
    }
    default:
      return node
  }
}

/** The templates with the top one (`name`) walked, as safetext prepares its baseline and mutation runs. */
export function walkedTemplates(templates: Map<string, Tree>, name: string): Map<string, Tree> {
  const walked = new Map(templates)
  const top = walked.get(name) as Tree
  walked.set(name, { ...top, root: walk(walked, top.root) as ListNode })
  return walked
}

// Comparing the outputs as yaml.v3 decodes them into interface{}.

/** A float scalar, kept apart from integers: yaml.v3 gives float64 and int, which must not match. */
class YamlFloat {
  constructor(readonly value: number) {}
}

/** js-yaml's built-in core types (the typings do not declare `types`). */
const types = (yaml as unknown as { types: Record<'null' | 'bool' | 'int' | 'float', yaml.Type> }).types
const coreFloat = types.float
const floatType = new yaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (s: string | null) => (coreFloat.resolve as (s: string | null) => boolean)(s),
  construct: (s: string) => new YamlFloat((coreFloat.construct as (s: string) => number)(s)),
})
const SCHEMA = yaml.FAILSAFE_SCHEMA.extend({ implicit: [types.null, types.bool, types.int, floatType] })

export function parseYamlDocuments(text: string): unknown[] | undefined {
  // yaml.v3 takes a tab where its first token should start for a character that cannot start one.
  if (/^(?:[ \n]*(?:#[^\n]*)?\n)*[ ]*\t/.test(text)) return undefined
  try {
    const docs: unknown[] = []
    yaml.loadAll(text, (d) => docs.push(d), { schema: SCHEMA })
    return docs
  } catch {
    return undefined
  }
}

type Shape = 'nil' | 'map' | 'slice' | 'string' | 'int' | 'float' | 'bool'
function shape(v: unknown): Shape {
  if (v === null || v === undefined) return 'nil'
  if (Array.isArray(v)) return 'slice'
  if (v instanceof YamlFloat) return 'float'
  if (typeof v === 'object') return 'map'
  if (typeof v === 'string') return 'string'
  if (typeof v === 'boolean') return 'bool'
  return 'int'
}

/** safetext's allKeysMatch over the decoded documents. */
export function allKeysMatch(base: unknown, a: unknown, b: unknown): boolean {
  const kind = shape(base)
  switch (kind) {
    case 'nil':
      return shape(a) === 'nil' && shape(b) === 'nil'
    case 'map': {
      if (shape(a) !== 'map' || shape(b) !== 'map') return false
      const [bm, am, cm] = [base, a, b] as Record<string, unknown>[]
      const keys = Object.keys(bm)
      if (Object.keys(am).length !== keys.length || Object.keys(cm).length !== keys.length) return false
      return keys.every((k) => Object.hasOwn(am, k) && Object.hasOwn(cm, k) && allKeysMatch(bm[k], am[k], cm[k]))
    }
    case 'slice': {
      if (shape(a) !== 'slice' || shape(b) !== 'slice') return false
      const [bs, as, cs] = [base, a, b] as unknown[][]
      if (as.length !== bs.length || cs.length !== bs.length) return false
      return bs.every((x, i) => allKeysMatch(x, as[i], cs[i]))
    }
    case 'string':
      return !['map', 'slice'].includes(shape(a)) && !['map', 'slice'].includes(shape(b))
    default:
      return shape(a) === kind && shape(b) === kind
  }
}

export const INVALID_YAML_TEMPLATE = 'Invalid YAML Template'
export const YAML_INJECTION = 'YAML Injection Detected'

