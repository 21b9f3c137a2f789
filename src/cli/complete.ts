/**
 * What the shell completion scripts ask for (`calicoctl __complete <args...> <word>`): candidates
 * for the word being typed, and a directive telling the shell what to do with them. The protocol
 * and the rules (subcommands, then flags after a dash, flag values, arguments) are cobra's.
 */
import { commandFlags, findCommand, parseCommandFlags } from './argv.js'
import { type CommandNode, type FlagSpec, helpFlag, inheritedFlags, isAvailable } from './tree.js'

/** Bits of cobra's ShellCompDirective. */
export const Directive = {
  Default: 0,
  Error: 1,
  NoSpace: 2,
  NoFileComp: 4,
  FilterFileExt: 8,
  FilterDirs: 16,
  KeepOrder: 32,
} as const

export interface Completions {
  /** `candidate` or `candidate<TAB>description`. */
  candidates: string[]
  directive: number
  /** Explains an empty answer; the scripts never show it. */
  error?: string
}

/** Candidates for a command's positional arguments. */
export interface ArgumentCompleter {
  /** Resource kinds, offered for the KIND argument of get, delete, label and patch. */
  kinds(): Promise<string[]>
}

/** The directive names cobra prints on stderr after the candidates. */
export function directiveNames(directive: number): string {
  const names = Object.entries(Directive)
    .filter(([name, bit]) => bit !== 0 && name !== 'Default' && (directive & bit) !== 0)
    .map(([name]) => `ShellCompDirective${name}`)
  return names.length > 0 ? names.join(', ') : 'ShellCompDirectiveDefault'
}

const isFlagArg = (arg: string) => (arg.length >= 3 && arg.startsWith('--')) || (arg.length >= 2 && arg[0] === '-' && arg[1] !== '-')

function findFlag(command: CommandNode, name: string): FlagSpec | undefined {
  const flags = commandFlags(command)
  return name.length === 1 ? flags.find((f) => f.short === name || f.hiddenShorts.includes(name)) : flags.find((f) => f.name === name)
}

/** cobra's checkIfFlagCompletion: is the word a value of the flag before it (or after `--flag=`)? */
function flagBeingCompleted(command: CommandNode, args: string[], word: string): { flag?: FlagSpec; args: string[]; word: string; error?: string } {
  let flagName = ''
  let withEqual = false
  let trimmed = args
  let value = word
  if (word.startsWith('-')) {
    const eq = word.indexOf('=')
    if (eq < 0) return { args, word }
    flagName = word.startsWith('--') ? word.slice(2, eq) : word.slice(eq - 1, eq)
    value = word.slice(eq + 1)
    withEqual = true
  } else if (args.length > 0) {
    const previous = args[args.length - 1]
    if (isFlagArg(previous) && !previous.includes('=')) {
      flagName = previous.startsWith('--') ? previous.slice(2) : previous.slice(-1)
      trimmed = args.slice(0, -1)
    }
  }
  if (!flagName) return { args: trimmed, word: value }
  const flag = findFlag(command, flagName)
  if (!flag) return { args, word, error: `Subcommand '${command.name}' does not support flag '${flagName}'` }
  // A bool flag takes no separate value: the word is an argument after all.
  if (!withEqual && !flag.takesValue) return { args, word: value }
  return { flag, args: trimmed, word: value }
}

function flagNameCandidates(flag: FlagSpec, word: string): string[] {
  if (flag.hidden) return []
  const out: string[] = []
  if (`--${flag.name}`.startsWith(word)) out.push(`--${flag.name}\t${flag.usage}`)
  if (flag.short && `-${flag.short}`.startsWith(word)) out.push(`-${flag.short}\t${flag.usage}`)
  return out
}

const byName = (a: FlagSpec, b: FlagSpec) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

/** cobra's getCompletions for `__complete <args...> <word>`. */
export async function complete(root: CommandNode, argv: string[], completer: ArgumentCompleter): Promise<Completions> {
  const word = argv[argv.length - 1] ?? ''
  const before = argv.slice(0, -1)
  const found = findCommand(root, before)
  if ('error' in found) return { candidates: [], directive: Directive.Default, error: `unable to find a command for arguments: [${before.join(' ')}]` }
  const { command } = found
  const target = flagBeingCompleted(command, found.args, word)

  // An extra `--` counts as an argument only when one came before: then flags are over.
  const withDash = parseCommandFlags(command, [...target.args, '--'])
  const parsed = parseCommandFlags(command, target.args)
  if ('error' in parsed) {
    return { candidates: [], directive: Directive.Default, error: `Error while parsing flags from args [${target.args.join(' ')}]: ${parsed.error}` }
  }
  const flagsOver = 'args' in withDash && withDash.args.length > parsed.args.length
  if (target.error !== undefined && !flagsOver) return { candidates: [], directive: Directive.Default, error: target.error }
  if (parsed.values.help === true) return { candidates: [], directive: Directive.NoFileComp }

  if (!target.flag && target.word.startsWith('-') && !target.word.includes('=') && !flagsOver) {
    const candidates = [...inheritedFlags(command).sort(byName), ...[...command.flags, helpFlag(command)].sort(byName)]
      .filter((f) => f.repeatable || !(f.name in parsed.values))
      .flatMap((f) => flagNameCandidates(f, target.word))
    const directive = candidates.length === 1 && candidates[0].split('\t')[0].endsWith('=') ? Directive.NoSpace : Directive.NoFileComp
    return { candidates, directive }
  }

  if (target.flag && !flagsOver) {
    const options = target.flag.options ?? []
    if (options.length === 0) return { candidates: [], directive: Directive.Default }
    return { candidates: options.filter((o) => o.startsWith(target.word)), directive: Directive.NoFileComp }
  }

  const candidates: string[] = []
  let directive: number = Directive.Default
  // The root's flags are persistent; a command's own flags end the subcommand words.
  const localGiven = command !== root && command.flags.some((f) => f.name in parsed.values)
  if (parsed.args.length === 0 && !localGiven) {
    for (const child of command.children) {
      if (!isAvailable(child) && !(child.id === 'help' && command === root)) continue
      if (child.name.startsWith(target.word)) candidates.push(`${child.name}\t${child.short}`)
      directive = Directive.NoFileComp
    }
  }
  const more = await argumentCandidates(root, command, parsed.args, target.word, completer)
  if (more) return { candidates: [...candidates, ...more.candidates], directive: more.directive }
  return { candidates, directive }
}

/** Completion of positional arguments, where a command has more to offer than file names. */
async function argumentCandidates(
  root: CommandNode,
  command: CommandNode,
  args: string[],
  word: string,
  completer: ArgumentCompleter,
): Promise<Completions | undefined> {
  if (command.id === 'help') {
    const found = findCommand(root, args)
    if ('error' in found) return { candidates: [], directive: Directive.NoFileComp }
    const candidates = found.command.children
      .filter((c) => (isAvailable(c) || (c.id === 'help' && found.command === root)) && c.name.startsWith(word))
      .map((c) => `${c.name}\t${c.short}`)
    return { candidates, directive: Directive.NoFileComp }
  }
  if (command.argCount === 'none') return { candidates: [], directive: Directive.NoFileComp }
  if (command.argNames[0] === 'kind') {
    if (args.length > 0) return { candidates: [], directive: Directive.NoFileComp }
    const kinds = await completer.kinds()
    return { candidates: kinds.filter((k) => k.startsWith(word)), directive: Directive.NoFileComp }
  }
  return undefined
}
