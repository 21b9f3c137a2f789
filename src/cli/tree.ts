/**
 * The command tree as cobra sees it, built from oclif's generated manifest (oclif.manifest.json)
 * and the topics in package.json. Everything that parses, explains or completes the command line
 * reads this one structure, so a new command file brings its flags and words along by itself.
 * Importing this module loads no command and no oclif code.
 */

/** One flag as pflag knows it. */
export interface FlagSpec {
  name: string
  /** The shorthand shown in help (`-c`). */
  short?: string
  /** Further shorthands that work but are not shown (upstream registers them as hidden flags). */
  hiddenShorts: string[]
  /** `--name value`; otherwise a bool flag that needs no value (`--name`, `--name=false`). */
  takesValue: boolean
  /** pflag's type word after the flag in help: `string`, `int`, `stringArray`; empty for bools. */
  typeName: string
  /** Every occurrence adds a value (pflag's StringArray). */
  repeatable: boolean
  /** pflag's DefValue: the default as text, shown in help unless it is the type's zero value. */
  defaultText: string
  usage: string
  hidden: boolean
  /** The only values accepted, when the command restricts them. */
  options?: string[]
}

/** cobra's Args validators that calicoctl uses. */
export type ArgCount = 'none' | { exact: number } | { min: number }

export interface CommandNode {
  /** oclif's command id (`datastore:migrate:lock`); empty for the root. */
  id: string
  name: string
  aliases: string[]
  /** cobra's Use: the name and what follows it in the usage line, e.g. `get [KIND [NAME...]]`. */
  use: string
  short: string
  long: string
  examples: string[]
  /** Flags defined on this command (persistent ones for the root). */
  flags: FlagSpec[]
  children: CommandNode[]
  parent?: CommandNode
  /** A command that runs; grouping commands only explain their subcommands. */
  runnable: boolean
  hidden: boolean
  argCount?: ArgCount
  /** The command takes its arguments raw, flags included (cobra's DisableFlagParsing). */
  rawArgs: boolean
  disableFlagsInUseLine: boolean
  /** Names of the positional arguments the command defines, e.g. ['kind', 'name']. */
  argNames: string[]
}

/** The parts of an oclif manifest entry the tree is built from (see cacheCommand in @oclif/core). */
export interface ManifestFlag {
  name: string
  char?: string
  charAliases?: string[]
  type: 'boolean' | 'option'
  description?: string
  default?: unknown
  helpValue?: string
  helpGroup?: string
  hidden?: boolean
  multiple?: boolean
  options?: string[]
}

export interface ManifestCommand {
  id: string
  aliases?: string[]
  summary?: string
  description?: string
  examples?: string[]
  usage?: string | string[]
  hidden?: boolean
  flags: Record<string, ManifestFlag>
  args?: Record<string, unknown>
  /** Static properties of CalicoCommand subclasses that oclif copies into the manifest. */
  argCount?: ArgCount
  rawArgs?: boolean
  disableFlagsInUseLine?: boolean
}

/** A grouping command's texts: package.json `oclif.topics.<id>`. */
export interface Topic {
  description?: string
  long?: string
}

export interface TreeSource {
  commands: Record<string, ManifestCommand>
  topics: Record<string, Topic>
  root: { name: string; short: string; long: string }
}

/** Flags in this help group are the root's persistent flags, inherited by every command. */
export const ROOT_FLAG_GROUP = 'GLOBAL'
/** oclif's own help flag; cobra gives every command its own `-h, --help` instead. */
const OCLIF_HELP_FLAG = 'help'

function toFlagSpec(flag: ManifestFlag): FlagSpec {
  const takesValue = flag.type === 'option'
  const repeatable = Boolean(flag.multiple)
  const typeName = takesValue ? (flag.helpValue ?? (repeatable ? 'stringArray' : 'string')) : ''
  let defaultText = takesValue ? '' : 'false'
  if (takesValue && flag.default !== undefined) defaultText = repeatable ? `[${String(flag.default)}]` : String(flag.default)
  if (repeatable && flag.default === undefined) defaultText = '[]'
  return {
    name: flag.name,
    short: flag.char,
    hiddenShorts: flag.charAliases ?? [],
    takesValue,
    typeName,
    repeatable,
    defaultText,
    usage: flag.description ?? '',
    hidden: Boolean(flag.hidden),
    options: flag.options,
  }
}

function node(fields: Partial<CommandNode> & Pick<CommandNode, 'id' | 'name'>): CommandNode {
  return {
    aliases: [],
    use: fields.name,
    short: '',
    long: '',
    examples: [],
    flags: [],
    children: [],
    runnable: false,
    hidden: false,
    rawArgs: false,
    disableFlagsInUseLine: false,
    argNames: [],
    ...fields,
  }
}

function commandNode(id: string, entry: ManifestCommand): CommandNode {
  const name = id.split(':').at(-1) as string
  const usage = Array.isArray(entry.usage) ? entry.usage[0] : entry.usage
  return node({
    id,
    name,
    aliases: entry.aliases ?? [],
    use: usage ?? name,
    short: entry.summary ?? '',
    long: entry.description ?? '',
    examples: entry.examples ?? [],
    flags: Object.values(entry.flags)
      .filter((f) => f.helpGroup !== ROOT_FLAG_GROUP && f.name !== OCLIF_HELP_FLAG)
      .map(toFlagSpec),
    runnable: true,
    hidden: Boolean(entry.hidden),
    argCount: entry.argCount,
    rawArgs: Boolean(entry.rawArgs),
    disableFlagsInUseLine: Boolean(entry.disableFlagsInUseLine),
    argNames: Object.keys(entry.args ?? {}),
  })
}

/** Builds the tree: commands under their topics, topics under the root, children sorted by name as cobra lists them. */
export function buildTree(source: TreeSource): CommandNode {
  const rootFlags = new Map<string, FlagSpec>()
  for (const entry of Object.values(source.commands)) {
    for (const flag of Object.values(entry.flags)) {
      if (flag.helpGroup === ROOT_FLAG_GROUP && flag.name !== OCLIF_HELP_FLAG) rootFlags.set(flag.name, toFlagSpec(flag))
    }
  }
  const root = node({ id: '', name: source.root.name, short: source.root.short, long: source.root.long, flags: [...rootFlags.values()] })
  const byId = new Map<string, CommandNode>([['', root]])

  const attach = (child: CommandNode): void => {
    const parentId = child.id.split(':').slice(0, -1).join(':')
    let parent = byId.get(parentId)
    if (!parent) {
      const topic = source.topics[parentId] ?? {}
      parent = node({ id: parentId, name: parentId.split(':').at(-1) as string, short: topic.description ?? '', long: topic.long ?? '' })
      byId.set(parentId, parent)
      attach(parent)
    }
    child.parent = parent
    parent.children.push(child)
  }
  for (const [id, entry] of Object.entries(source.commands)) {
    const command = commandNode(id, entry)
    byId.set(id, command)
  }
  for (const command of [...byId.values()]) if (command !== root) attach(command)
  for (const command of byId.values()) command.children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return root
}

/** `calicoctl datastore migrate`: the words that lead to the command. */
export function commandPath(command: CommandNode): string {
  return command.parent ? `${commandPath(command.parent)} ${command.name}` : command.name
}

/** The persistent flags of the command's ancestors (only the root defines any). */
export function inheritedFlags(command: CommandNode): FlagSpec[] {
  const inherited: FlagSpec[] = []
  for (let p = command.parent; p; p = p.parent) if (!p.parent) inherited.push(...p.flags)
  return inherited.filter((f) => !command.flags.some((own) => own.name === f.name))
}

/** cobra adds `-h, --help` to a command only when it runs it, so finding the command does not know it. */
export function helpFlag(command: CommandNode): FlagSpec {
  return {
    name: 'help',
    short: 'h',
    hiddenShorts: [],
    takesValue: false,
    typeName: '',
    repeatable: false,
    defaultText: 'false',
    usage: `help for ${command.name}`,
    hidden: false,
  }
}

/** A child by its name or an alias, as cobra's findNext matches (exactly, no prefixes). */
export function findChild(command: CommandNode, word: string): CommandNode | undefined {
  return command.children.find((c) => c.name === word || c.aliases.includes(word))
}

/** cobra's IsAvailableCommand: listed in help and completed. */
export function isAvailable(command: CommandNode): boolean {
  if (command.hidden || command.id === 'help') return false
  return command.runnable || command.children.some(isAvailable)
}
