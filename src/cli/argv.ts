/**
 * The command line as cobra and pflag read it: which command the words name (cobra's Find), then
 * the flags of that command and its ancestors anywhere among the arguments (pflag), then cobra's
 * checks of the positional arguments. The answer is a command to run with its flag values, a
 * command whose help to print, or cobra's error text.
 */
import { parseGoBool, parseIntFlag } from '../ipam/go-parse.js'
import { type CommandNode, commandPath, findChild, type FlagSpec, helpFlag, inheritedFlags, isAvailable } from './tree.js'
import { goQuote } from '../go-quote.js'

/** Flag values given on the command line; a repeatable flag collects every value. */
export type FlagValues = Record<string, string | boolean | string[]>

export type Resolution =
  | { type: 'run'; command: CommandNode; calledAs: string; flags: FlagValues; args: string[] }
  | { type: 'help'; command: CommandNode }
  | { type: 'error'; message: string }

/** Flags by long name and by shorthand. */
interface FlagTable {
  long: Map<string, FlagSpec>
  short: Map<string, FlagSpec>
}

function flagTable(flags: FlagSpec[]): FlagTable {
  const table: FlagTable = { long: new Map(), short: new Map() }
  for (const flag of flags) {
    table.long.set(flag.name, flag)
    for (const s of [flag.short, ...flag.hiddenShorts]) if (s) table.short.set(s, flag)
  }
  return table
}

/** What cobra knows while it looks for the command: no `-h` yet (see helpFlag). */
function findTimeFlags(command: CommandNode): FlagTable {
  return flagTable([...command.flags, ...inheritedFlags(command)])
}

/** A flag that can be followed by its value as the next word (pflag: no NoOptDefVal). */
function takesNextWord(word: string, flags: FlagTable): boolean {
  if (word.includes('=')) return false
  if (word.startsWith('--')) return !(flags.long.get(word.slice(2))?.takesValue === false)
  if (word.startsWith('-') && word.length === 2) return !(flags.short.get(word[1])?.takesValue === false)
  return false
}

/** cobra's stripFlags: the words that are neither flags nor (as far as it can tell) their values. */
function commandWords(args: string[], flags: FlagTable): string[] {
  const words: string[] = []
  for (let i = 0; i < args.length; i++) {
    const s = args[i]
    if (s === '--') break
    if (takesNextWord(s, flags)) {
      // cobra stops looking when such a flag is followed by one word only.
      if (args.length - i - 1 <= 1) break
      i++
    } else if (s !== '' && !s.startsWith('-')) words.push(s)
  }
  return words
}

/** cobra's argsMinusFirstX: the arguments without the first occurrence of a command word. */
function withoutWord(args: string[], word: string, flags: FlagTable): string[] {
  for (let i = 0; i < args.length; i++) {
    const s = args[i]
    if (s === '--') break
    if (takesNextWord(s, flags)) i++
    else if (!s.startsWith('-') && s === word) return [...args.slice(0, i), ...args.slice(i + 1)]
  }
  return args
}

/** Levenshtein distance, case-insensitive, as cobra measures it for suggestions. */
function distance(a: string, b: string): number {
  const s = a.toLowerCase()
  const t = b.toLowerCase()
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j)
  for (let i = 1; i <= s.length; i++) {
    const row = [i]
    for (let j = 1; j <= t.length; j++) {
      row[j] = s[i - 1] === t[j - 1] ? previous[j - 1] : Math.min(previous[j], row[j - 1], previous[j - 1]) + 1
    }
    previous = row
  }
  return previous[t.length]
}

/** cobra's "Did you mean this?" block for an unknown command word. */
function suggestions(command: CommandNode, typed: string): string {
  const names = command.children
    .filter(isAvailable)
    .map((c) => c.name)
    .filter((name) => distance(typed, name) <= 2 || name.toLowerCase().startsWith(typed.toLowerCase()))
  return names.length === 0 ? '' : `\n\nDid you mean this?\n${names.map((n) => `\t${n}\n`).join('')}`
}

/** cobra's Find: follows command words from the root; the rest are the command's arguments. */
export function findCommand(root: CommandNode, argv: string[]): { command: CommandNode; calledAs: string; args: string[] } | { error: string } {
  let command = root
  let calledAs = root.name
  let args = argv
  for (;;) {
    const flags = findTimeFlags(command)
    const [word] = commandWords(args, flags)
    const next = word === undefined ? undefined : findChild(command, word)
    if (!next) break
    args = withoutWord(args, word, flags)
    command = next
    calledAs = word
  }
  // cobra's legacyArgs: only the root rejects words it does not know (commands without an Args rule).
  if (command === root && !command.argCount && command.children.length > 0) {
    const [word] = commandWords(args, findTimeFlags(command))
    if (word !== undefined) return { error: `unknown command ${goQuote(word)} for ${goQuote(commandPath(command))}${suggestions(command, word)}` }
  }
  return { command, calledAs, args }
}


/** Go's %q of a rune (a shorthand letter). */
function goQuoteRune(c: string): string {
  return c === "'" ? "'\\''" : `'${goQuote(c).slice(1, -1).replace(/\\"/g, '"')}'`
}

class FlagError extends Error {}

/** pflag's Set: checks the value for the flag's type and records it. */
function setFlag(values: FlagValues, flag: FlagSpec, value: string): void {
  const shown = flag.short ? `-${flag.short}, --${flag.name}` : `--${flag.name}`
  const invalid = (cause: string) => new FlagError(`invalid argument ${goQuote(value)} for ${goQuote(shown)} flag: ${cause}`)
  if (!flag.takesValue) {
    const parsed = parseGoBool(value)
    if (parsed === undefined) throw invalid(`strconv.ParseBool: parsing ${goQuote(value)}: invalid syntax`)
    values[flag.name] = parsed
    return
  }
  if (flag.typeName === 'int') {
    try {
      parseIntFlag(flag.name, value)
    } catch (err) {
      throw invalid((err as Error).message.slice(`invalid argument "${value}" for "--${flag.name}" flag: `.length))
    }
  }
  if (flag.options && !flag.options.includes(value)) throw invalid(`must be one of ${flag.options.join(', ')}`)
  if (flag.repeatable) values[flag.name] = [...((values[flag.name] as string[] | undefined) ?? []), value]
  else values[flag.name] = value
}

/** pflag's Parse with interspersed arguments: flags anywhere, `--` ends them. */
function parseFlags(flags: FlagTable, argv: string[]): { values: FlagValues; args: string[] } {
  const values: FlagValues = {}
  const args: string[] = []
  const rest = [...argv]
  while (rest.length > 0) {
    const s = rest.shift() as string
    if (s.length < 2 || !s.startsWith('-')) {
      args.push(s)
    } else if (s === '--') {
      args.push(...rest)
      break
    } else if (s.startsWith('--')) {
      const body = s.slice(2)
      if (body.startsWith('-') || body.startsWith('=')) throw new FlagError(`bad flag syntax: ${s}`)
      const eq = body.indexOf('=')
      const name = eq < 0 ? body : body.slice(0, eq)
      const flag = flags.long.get(name)
      if (!flag) throw new FlagError(`unknown flag: --${name}`)
      if (eq >= 0) setFlag(values, flag, body.slice(eq + 1))
      else if (!flag.takesValue) setFlag(values, flag, 'true')
      else if (rest.length > 0) setFlag(values, flag, rest.shift() as string)
      else throw new FlagError(`flag needs an argument: --${name}`)
    } else {
      let shorthands = s.slice(1)
      while (shorthands.length > 0) {
        const c = shorthands[0]
        const flag = flags.short.get(c)
        if (!flag) throw new FlagError(`unknown shorthand flag: ${goQuoteRune(c)} in -${shorthands}`)
        if (shorthands.length > 2 && shorthands[1] === '=') {
          setFlag(values, flag, shorthands.slice(2))
          shorthands = ''
        } else if (!flag.takesValue) {
          setFlag(values, flag, 'true')
          shorthands = shorthands.slice(1)
        } else if (shorthands.length > 1) {
          setFlag(values, flag, shorthands.slice(1))
          shorthands = ''
        } else if (rest.length > 0) {
          setFlag(values, flag, rest.shift() as string)
          shorthands = ''
        } else {
          throw new FlagError(`flag needs an argument: ${goQuoteRune(c)} in -${shorthands}`)
        }
      }
    }
  }
  return { values, args }
}

/** cobra's Args validators, with their texts. */
function checkArgCount(command: CommandNode, args: string[]): string | undefined {
  const rule = command.argCount
  if (rule === undefined) return undefined
  if (rule === 'none') return args.length > 0 ? `unknown command ${goQuote(args[0])} for ${goQuote(commandPath(command))}` : undefined
  if ('exact' in rule) return args.length !== rule.exact ? `accepts ${rule.exact} arg(s), received ${args.length}` : undefined
  return args.length < rule.min ? `requires at least ${rule.min} arg(s), only received ${args.length}` : undefined
}

/** Every flag the command accepts once cobra runs it: its own, `-h`, and the root's. */
export function commandFlags(command: CommandNode): FlagSpec[] {
  return [...command.flags, helpFlag(command), ...inheritedFlags(command)]
}

/** Parses the flags of a found command without any other check (also used for completion). */
export function parseCommandFlags(command: CommandNode, args: string[]): { values: FlagValues; args: string[] } | { error: string } {
  try {
    return parseFlags(flagTable(commandFlags(command)), args)
  } catch (err) {
    if (err instanceof FlagError) return { error: err.message }
    throw err
  }
}

/** The command line in cobra's order: find the command, parse flags, help, argument checks. */
export function resolveArgv(root: CommandNode, argv: string[]): Resolution {
  const found = findCommand(root, argv)
  if ('error' in found) return { type: 'error', message: found.error }
  const { command, calledAs } = found
  let flags: FlagValues = {}
  let args = found.args
  if (!command.rawArgs) {
    const parsed = parseCommandFlags(command, found.args)
    if ('error' in parsed) return { type: 'error', message: parsed.error }
    if (parsed.values.help === true || !command.runnable) return { type: 'help', command }
    flags = parsed.values
    args = parsed.args
  }
  const countError = checkArgCount(command, args)
  if (countError !== undefined) return { type: 'error', message: countError }
  return { type: 'run', command, calledAs, flags, args }
}
