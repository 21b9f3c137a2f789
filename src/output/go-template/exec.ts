/**
 * The executor of Go's text/template (text/template/exec.go): walks a parsed template over a Go
 * value, writing text as it goes, with Go's exec error texts:
 * `template: get:1:10: executing "get" at <.Spec.Foo>: can't evaluate field Foo in type v3.IPPoolSpec`.
 */
import { formatV } from './fmt.js'
import type { CommandNode, Node, NumberNode, PipeNode, RangeNode } from './nodes.js'
import { nodeString } from './nodes.js'
import type { Tree } from './parse.js'
import { BOOL, FLOAT64, INT, STRING, fieldByName, indirect, indirectInterface, isFloat, isInt, sortedEntries, typeString, zero, type GoMap, type GoType, type GoValue, type MaybeValue } from './value.js'

/** A parameter: a Go type, `any` (interface{}) or `value` (reflect.Value: anything, even invalid). */
export type Param = GoType | 'any' | 'value'

export interface GoFunc {
  params: Param[]
  variadic?: boolean
  /** Returns the result; throws FuncError for the function's error result (or a panic). */
  call: (args: MaybeValue[]) => MaybeValue
}

/** A function's error result, reported as `error calling NAME: MESSAGE`. */
export class FuncError extends Error {}

export class TemplateExecError extends Error {}

const MISSING: GoValue = { t: { kind: 'struct', name: 'missingValType', fields: [] }, v: [] }
const isMissing = (v: MaybeValue) => v === MISSING

class Break {}
class Continue {}

const MAX_DEPTH = 100000

interface Variable {
  name: string
  value: MaybeValue
}

export interface ExecContext {
  templates: Map<string, Tree>
  funcs: Map<string, GoFunc>
  builtins: Map<string, GoFunc>
}

/** isTrue: Go's truth of a value for if, with, and, or, not. */
export function isTrue(v: MaybeValue): { truth: boolean; ok: boolean } {
  if (!v) return { truth: false, ok: true }
  const { kind } = v.t
  if (kind === 'string') return { truth: (v.v as string).length > 0, ok: true }
  if (kind === 'slice') return { truth: v.v !== null && (v.v as unknown[]).length > 0, ok: true }
  if (kind === 'map') return { truth: v.v !== null && (v.v as GoMap).size > 0, ok: true }
  if (kind === 'bool') return { truth: v.v as boolean, ok: true }
  if (kind === 'ptr' || kind === 'interface' || kind === 'func') return { truth: v.v !== null, ok: true }
  if (isInt(kind)) return { truth: v.v !== 0n, ok: true }
  if (isFloat(kind)) return { truth: v.v !== 0, ok: true }
  if (kind === 'struct') return { truth: true, ok: true }
  return { truth: false, ok: false }
}

function canBeNil(p: Param): boolean {
  return p === 'any' || p === 'value' || ['ptr', 'slice', 'map', 'interface', 'func'].includes(p.kind)
}

const paramString = (p: Param) => (p === 'any' ? 'interface {}' : p === 'value' ? 'reflect.Value' : typeString(p))

export class State {
  private node: Node | undefined
  private vars: Variable[]
  private depth = 0

  constructor(
    private ctx: ExecContext,
    private tree: Tree,
    private write: (text: string) => void,
    data: MaybeValue,
  ) {
    this.vars = [{ name: '$', value: data }]
  }

  run(): void {
    const dot = this.vars[0].value
    this.walk(dot, this.tree.root)
  }

  // Errors.
  private at(node: Node): void {
    this.node = node
  }
  errorf(message: string): never {
    const name = this.tree.name
    if (!this.node) throw new TemplateExecError(`template: ${name}: ${message}`)
    // Line and byte column of the node in the text parsed, as Go's ErrorContext counts them.
    const text = this.tree.text.slice(0, this.node.pos)
    const lineStart = text.lastIndexOf('\n') + 1
    const line = 1 + (text.match(/\n/g)?.length ?? 0)
    const col = Buffer.byteLength(text.slice(lineStart))
    throw new TemplateExecError(`template: ${this.tree.parseName}:${line}:${col}: executing ${JSON.stringify(name)} at <${nodeString(this.node)}>: ${message}`)
  }

  // Variables.
  private mark(): number {
    return this.vars.length
  }
  private pop(mark: number): void {
    this.vars.length = mark
  }
  private setVar(name: string, value: MaybeValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value
        return
      }
    }
    this.errorf(`undefined variable: ${name}`)
  }
  private varValue(name: string): MaybeValue {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value
    return this.errorf(`undefined variable: ${name}`)
  }

  // Walking.
  private walk(dot: MaybeValue, node: Node): void {
    this.at(node)
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe)
        if (node.pipe.decl.length === 0) this.printValue(node, val)
        return
      }
      case 'break':
        throw new Break()
      case 'continue':
        throw new Continue()
      case 'if':
      case 'with': {
        const mark = this.mark()
        const val = this.evalPipeline(dot, node.pipe)
        const { truth, ok } = isTrue(indirectInterface(val))
        if (!ok) this.errorf(`if/with can't use ${formatV(val)}`)
        if (truth) this.walk(node.type === 'with' ? val : dot, node.list)
        else if (node.elseList) this.walk(dot, node.elseList)
        this.pop(mark)
        return
      }
      case 'list':
        for (const n of node.nodes) this.walk(dot, n)
        return
      case 'range':
        this.walkRange(dot, node)
        return
      case 'template':
        this.walkTemplate(dot, node.name, node.pipe, node)
        return
      case 'text':
        this.write(node.text)
        return
      default:
        this.errorf(`unknown node: ${nodeString(node)}`)
    }
  }

  private walkRange(dot: MaybeValue, r: RangeNode): void {
    this.at(r)
    const outer = this.mark()
    try {
      const piped = this.evalPipeline(dot, r.pipe)
      const val = piped ? indirect(piped).value : undefined
      const mark = this.mark()
      const decl = r.pipe.decl
      const one = (index: GoValue, elem: MaybeValue) => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0].ident[0], decl.length > 1 ? index : elem)
          else this.vars[this.vars.length - 1].value = elem
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1].ident[0], elem)
          else this.vars[this.vars.length - 2].value = index
        }
        try {
          this.walk(elem, r.list)
        } catch (err) {
          if (!(err instanceof Continue)) throw err
        } finally {
          this.pop(mark)
        }
      }
      if (!val) {
        // An invalid value (a nil map, a missing key) ranges like an empty map.
      } else if (val.t.kind === 'slice') {
        const items = (val.v as GoValue[] | null) ?? []
        if (items.length > 0) {
          items.forEach((item, i) => one({ t: INT, v: BigInt(i) }, item))
          return
        }
      } else if (val.t.kind === 'map') {
        if (val.v !== null && (val.v as GoMap).size > 0) {
          for (const e of sortedEntries(val.v as GoMap)) one(e.key, e.value)
          return
        }
      } else if (isInt(val.t.kind)) {
        if (decl.length > 1) this.errorf(`can't use ${formatV(val)} to iterate over more than one variable`)
        const n = val.v as bigint
        for (let i = 0n; i < n; i++) one({ t: val.t, v: i }, { t: val.t, v: i })
        if (n > 0n) return
      } else {
        this.errorf(`range can't iterate over ${formatV(val)}`)
      }
      if (r.elseList) this.walk(dot, r.elseList)
    } catch (err) {
      if (!(err instanceof Break)) throw err
    } finally {
      this.pop(outer)
    }
  }

  private walkTemplate(dot: MaybeValue, name: string, pipe: PipeNode | undefined, node: Node): void {
    this.at(node)
    const tree = this.ctx.templates.get(name)
    if (!tree) this.errorf(`template ${JSON.stringify(name)} not defined`)
    if (this.depth === MAX_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_DEPTH})`)
    const newDot = pipe ? this.evalPipeline(dot, pipe) : undefined
    const inner = new State(this.ctx, tree, this.write, newDot)
    inner.depth = this.depth + 1
    inner.walk(newDot, tree.root)
  }

  // Evaluation.
  private evalPipeline(dot: MaybeValue, pipe: PipeNode): MaybeValue {
    this.at(pipe)
    let value: MaybeValue = MISSING
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value)
      // An interface{} result is replaced by what it holds.
      if (value && value.t.kind === 'interface' && value.t.name === 'interface {}') value = value.v === null ? undefined : (value.v as GoValue)
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0], value)
      else this.vars.push({ name: v.ident[0], value })
    }
    return value
  }

  private notAFunction(args: Node[], final: MaybeValue): void {
    if (args.length > 1 || !isMissing(final)) this.errorf(`can't give argument to non-function ${nodeString(args[0])}`)
  }

  private evalCommand(dot: MaybeValue, cmd: CommandNode, final: MaybeValue): MaybeValue {
    const first = cmd.args[0]
    switch (first.type) {
      case 'field':
        this.at(first)
        return this.evalFieldChain(dot, dot, first, first.ident, cmd.args, final)
      case 'chain':
        return this.evalChain(dot, first, cmd.args, final)
      case 'identifier':
        return this.evalFunction(dot, first.ident, first, cmd, cmd.args, final)
      case 'pipe':
        this.notAFunction(cmd.args, final)
        return this.evalPipeline(dot, first)
      case 'variable':
        return this.evalVariable(dot, first, cmd.args, final)
    }
    this.at(first)
    this.notAFunction(cmd.args, final)
    switch (first.type) {
      case 'bool':
        return { t: BOOL, v: first.value }
      case 'dot':
        return dot
      case 'nil':
        return this.errorf('nil is not a command')
      case 'number':
        return this.idealConstant(first)
      case 'string':
        return { t: STRING, v: first.text }
    }
    return this.errorf(`can't evaluate command ${JSON.stringify(nodeString(first))}`)
  }

  private idealConstant(n: NumberNode): GoValue {
    this.at(n)
    if (n.isFloat && !/^0[xX]/.test(n.text) && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) return { t: FLOAT64, v: n.float }
    if (n.isInt) return { t: INT, v: n.int }
    return this.errorf(`${n.text} overflows int`)
  }

  private evalChain(dot: MaybeValue, chain: Extract<Node, { type: 'chain' }>, args: Node[], final: MaybeValue): MaybeValue {
    this.at(chain)
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`)
    const pipe = this.evalArg(dot, 'value', chain.node)
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final)
  }

  private evalVariable(dot: MaybeValue, variable: Extract<Node, { type: 'variable' }>, args: Node[], final: MaybeValue): MaybeValue {
    this.at(variable)
    const value = this.varValue(variable.ident[0])
    if (variable.ident.length === 1) {
      this.notAFunction(args, final)
      return value
    }
    return this.evalFieldChain(dot, value, variable, variable.ident.slice(1), args, final)
  }

  private evalFieldChain(dot: MaybeValue, receiver: MaybeValue, node: Node, ident: string[], args: Node[] | undefined, final: MaybeValue): MaybeValue {
    for (let i = 0; i < ident.length - 1; i++) receiver = this.evalField(dot, ident[i], node, undefined, MISSING, receiver)
    return this.evalField(dot, ident[ident.length - 1], node, args, final, receiver)
  }

  private evalField(dot: MaybeValue, name: string, node: Node, args: Node[] | undefined, final: MaybeValue, receiver: MaybeValue): MaybeValue {
    if (!receiver) return undefined
    const typ = typeString(receiver.t)
    const { value, isNil } = indirect(receiver)
    if (value.t.kind === 'interface' && isNil) this.errorf(`nil pointer evaluating ${typ}.${name}`)
    // The only methods modelled are the String methods of the types that print through them.
    if (name === 'String' && value.t.stringer && !isNil) {
      const method: GoFunc = { params: [], call: () => ({ t: STRING, v: value.t.stringer!(value) }) }
      return this.evalCall(dot, method, false, node, name, args, final)
    }
    const hasArgs = (args?.length ?? 0) > 1 || !isMissing(final)
    switch (value.t.kind) {
      case 'struct': {
        const path = fieldByName(value.t, name)
        if (path) {
          if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`)
          let field = value
          for (const i of path) field = (field.v as GoValue[])[i]
          return field
        }
        break
      }
      case 'map':
        if (value.t.key?.kind === 'string') {
          if (hasArgs) this.errorf(`${name} is not a method but has arguments`)
          return value.v === null ? undefined : (value.v as GoMap).get(name)?.value
        }
        break
      case 'ptr': {
        const elem = value.t.elem as GoType
        if (elem.kind === 'struct' && !fieldByName(elem, name)) break
        if (isNil) this.errorf(`nil pointer evaluating ${typ}.${name}`)
      }
    }
    return this.errorf(`can't evaluate field ${name} in type ${typ}`)
  }

  private evalFunction(dot: MaybeValue, name: string, ident: Node, cmd: Node, args: Node[] | undefined, final: MaybeValue): MaybeValue {
    this.at(ident)
    const builtin = this.ctx.builtins.get(name)
    const fn = this.ctx.funcs.get(name) ?? builtin
    if (!fn) this.errorf(`${JSON.stringify(name)} is not a defined function`)
    return this.evalCall(dot, fn, !this.ctx.funcs.has(name), cmd, name, args, final)
  }

  private evalCall(dot: MaybeValue, fn: GoFunc, isBuiltin: boolean, node: Node, name: string, allArgs: Node[] | undefined, final: MaybeValue): MaybeValue {
    const args = allArgs ? allArgs.slice(1) : []
    const numIn = args.length + (isMissing(final) ? 0 : 1)
    let numFixed = args.length
    if (fn.variadic) {
      numFixed = fn.params.length - 1
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${fn.params.length - 1} got ${args.length}`)
    } else if (numIn !== fn.params.length) this.errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`)

    if (isBuiltin && (name === 'and' || name === 'or')) {
      let v: MaybeValue
      for (const arg of args) {
        v = this.evalArg(dot, 'value', arg)
        if (isTrue(indirectInterface(v)).truth === (name === 'or')) return v
      }
      if (!isMissing(final)) v = final
      return v
    }
    const argv: MaybeValue[] = []
    let i = 0
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, fn.params[i], args[i]))
    if (fn.variadic) for (; i < args.length; i++) argv.push(this.evalArg(dot, fn.params[fn.params.length - 1], args[i]))
    if (!isMissing(final)) {
      const t = fn.variadic && numIn - 1 < numFixed ? fn.params[numIn - 1] : fn.params[fn.params.length - 1]
      argv.push(this.validateType(final, t))
    }
    try {
      return fn.call(argv)
    } catch (err) {
      if (err instanceof TemplateExecError) throw err
      this.at(node)
      return this.errorf(`error calling ${name}: ${(err as Error).message}`)
    }
  }

  private validateType(value: MaybeValue, typ: Param): MaybeValue {
    if (!value) {
      if (typ === 'any' || typ === 'value') return undefined
      if (canBeNil(typ)) return zero(typ)
      return this.errorf(`invalid value; expected ${paramString(typ)}`)
    }
    if (typ === 'value' || typ === 'any') return value
    if (typeString(value.t) === typeString(typ)) return value
    if (value.t.kind === 'interface' && value.v !== null && typeString((value.v as GoValue).t) === typeString(typ)) return value.v as GoValue
    if (value.t.kind === 'ptr' && typeString(value.t.elem as GoType) === typeString(typ)) {
      if (value.v === null) this.errorf(`dereference of nil pointer of type ${typeString(typ)}`)
      return value.v as GoValue
    }
    return this.errorf(`wrong type for value; expected ${typeString(typ)}; got ${typeString(value.t)}`)
  }

  private evalArg(dot: MaybeValue, typ: Param, n: Node): MaybeValue {
    this.at(n)
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, typ)
      case 'nil':
        if (canBeNil(typ)) return typ === 'any' || typ === 'value' ? undefined : zero(typ as GoType)
        return this.errorf(`cannot assign nil to ${paramString(typ)}`)
      case 'field':
        return this.validateType(this.evalFieldChain(dot, dot, n, n.ident, [n], MISSING), typ)
      case 'variable':
        return this.validateType(this.evalVariable(dot, n, [], MISSING), typ)
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ)
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n.ident, n, n, undefined, MISSING), typ)
      case 'chain':
        return this.validateType(this.evalChain(dot, n, [], MISSING), typ)
    }
    if (typ === 'any' || typ === 'value') return this.evalEmptyInterface(n)
    const s = nodeString(n)
    if (typ.kind === 'bool') return n.type === 'bool' ? { t: typ, v: n.value } : this.errorf(`expected bool; found ${s}`)
    if (typ.kind === 'string') return n.type === 'string' ? { t: typ, v: n.text } : this.errorf(`expected string; found ${s}`)
    if (isInt(typ.kind) && !typ.kind.startsWith('u')) return n.type === 'number' && n.isInt ? { t: typ, v: n.int } : this.errorf(`expected integer; found ${s}`)
    if (isInt(typ.kind)) return n.type === 'number' && n.isUint ? { t: typ, v: n.int } : this.errorf(`expected unsigned integer; found ${s}`)
    if (isFloat(typ.kind)) return n.type === 'number' && n.isFloat ? { t: typ, v: n.float } : this.errorf(`expected float; found ${s}`)
    return this.errorf(`can't handle ${s} for arg of type ${paramString(typ)}`)
  }

  private evalEmptyInterface(n: Node): MaybeValue {
    this.at(n)
    switch (n.type) {
      case 'bool':
        return { t: BOOL, v: n.value }
      case 'number':
        return this.idealConstant(n)
      case 'string':
        return { t: STRING, v: n.text }
    }
    return this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`)
  }

  private printValue(node: Node, v: MaybeValue): void {
    this.at(node)
    let value = v
    if (value && value.t.kind === 'ptr') value = indirect(value).value
    if (!value) {
      this.write('<no value>')
      return
    }
    if (value.t.kind === 'func') this.errorf(`can't print ${nodeString(node)} of type ${typeString(value.t)}`)
    this.write(formatV(value))
  }
}

