/**
 * `-o go-template=...`: calicoctl's ResourcePrinterTemplate. The template (named "get") runs over
 * R, the list of result objects, with calicoctl's functions, as safetext's yamltemplate runs it:
 * nothing is written unless the whole run succeeds and passes its YAML-injection check.
 */
import { State, TemplateExecError, type ExecContext, type GoFunc } from './exec.js'
import { calicoFuncs } from './calico-funcs.js'
import { builtins } from './funcs.js'
import { parseTemplates, TemplateParseError } from './parse.js'
import type { GoValue } from './value.js'
import { INVALID_YAML_TEMPLATE, YAML_INJECTION, allKeysMatch, baselineString, mutateString, parseYamlDocuments, safetextFuncs, walkedTemplates } from './yaml-injection.js'

/** A template that failed to parse or execute, or that safetext refused; the message is Go's. */
export class TemplateError extends Error {}

const NAME = 'get'

/** The template's output for data R, or TemplateError. `asNumber` serves `config "asnumber"`. */
export function executeTemplate(text: string, data: GoValue, asNumber: () => string): string {
  let callback: (s: string) => string = (s) => s
  const funcs = new Map<string, GoFunc>([...safetextFuncs(() => callback), ...calicoFuncs(asNumber)])
  const builtin = builtins()
  let templates
  try {
    templates = parseTemplates(NAME, text, (name) => funcs.has(name) || builtin.has(name))
  } catch (err) {
    if (err instanceof TemplateParseError) throw new TemplateError(err.message)
    throw err
  }
  const run = (set: typeof templates, cb: (s: string) => string): string => {
    callback = cb
    let out = ''
    const ctx: ExecContext = { templates: set, funcs, builtins: builtin }
    const tree = set.get(NAME)
    if (!tree) throw new TemplateError(`template: ${NAME}: ${JSON.stringify(NAME)} is an incomplete or empty template`)
    try {
      new State(ctx, tree, (t) => (out += t), data).run()
    } catch (err) {
      if (err instanceof TemplateExecError) throw new TemplateError(err.message)
      throw err
    }
    return out
  }
  const requested = run(templates, (s) => s)
  const walked = walkedTemplates(templates, NAME)
  const baseline = parseYamlDocuments(run(walked, baselineString))
  if (!baseline) throw new TemplateError(INVALID_YAML_TEMPLATE)
  const parsedRequested = parseYamlDocuments(requested)
  if (!parsedRequested) throw new TemplateError(YAML_INJECTION)
  const mutated = parseYamlDocuments(run(walked, mutateString))
  if (!mutated || !allKeysMatch(baseline, parsedRequested, mutated)) throw new TemplateError(YAML_INJECTION)
  return requested
}
