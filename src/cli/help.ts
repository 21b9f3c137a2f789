/**
 * Help and usage texts in the layout of cobra's default templates, flags listed as pflag
 * lists them.
 */
import { goQuote } from '../go-quote.js'
import { type CommandNode, commandPath, type FlagSpec, helpFlag, inheritedFlags, isAvailable } from './tree.js'

/** pflag's FlagUsages: sorted by name, hidden ones left out, descriptions in one column. */
export function flagUsages(flags: FlagSpec[]): string {
  const rows = flags
    .filter((f) => !f.hidden)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((flag) => {
      let left = flag.short ? `  -${flag.short}, --${flag.name}` : `      --${flag.name}`
      // A `word` in back quotes names the value in help; otherwise the type does.
      let usage = flag.usage
      let valueName = flag.typeName
      const quoted = /`([^`]*)`/.exec(usage)
      if (quoted) {
        valueName = quoted[1]
        usage = usage.replace(quoted[0], quoted[1])
      }
      if (valueName) left += ` ${valueName}`
      if (!isZeroDefault(flag)) usage += flag.typeName === 'string' ? ` (default ${goQuote(flag.defaultText)})` : ` (default ${flag.defaultText})`
      return { left, usage }
    })
  const width = Math.max(0, ...rows.map((r) => r.left.length))
  return rows.map(({ left, usage }) => `${left.padEnd(width)}   ${usage.replaceAll('\n', `\n${' '.repeat(width + 3)}`)}\n`).join('')
}

/** pflag's defaultIsZeroValue, for the types calicoctl's flags have. */
function isZeroDefault(flag: FlagSpec): boolean {
  if (!flag.takesValue) return flag.defaultText === 'false' || flag.defaultText === ''
  if (flag.repeatable) return flag.defaultText === '[]'
  if (flag.typeName === 'string') return flag.defaultText === ''
  if (flag.typeName === 'int') return flag.defaultText === '0'
  return ['', '0', 'false', '<nil>'].includes(flag.defaultText)
}

/** cobra's UseLine: the full usage of a runnable command. */
function useLine(command: CommandNode): string {
  const line = command.parent ? `${commandPath(command.parent)} ${command.use}` : command.use
  return command.disableFlagsInUseLine || line.includes('[flags]') ? line : `${line} [flags]`
}

/** Examples as cobra prints them: indented, one blank line between them. */
function examples(command: CommandNode): string {
  return command.examples.map((example) => example.replace(/^/gm, '  ')).join('\n\n')
}

/** cobra's usage template: what `-h` prints after the description, and `help` prints for an unknown topic. */
export function renderUsage(command: CommandNode): string {
  let out = 'Usage:'
  const subcommands = command.children.filter((c) => isAvailable(c) || c.name === 'help')
  if (command.runnable) out += `\n  ${useLine(command)}`
  if (subcommands.length > 0) out += `\n  ${commandPath(command)} [command]`
  if (command.aliases.length > 0) out += `\n\nAliases:\n  ${[command.name, ...command.aliases].join(', ')}`
  if (command.examples.length > 0) out += `\n\nExamples:\n${examples(command)}`
  if (subcommands.length > 0) {
    const padding = Math.max(11, ...command.children.map((c) => c.name.length))
    out += `\n\nAvailable Commands:${subcommands.map((c) => `\n  ${c.name.padEnd(padding)} ${c.short}`).join('')}`
  }
  const local = [...command.flags, helpFlag(command)]
  if (local.some((f) => !f.hidden)) out += `\n\nFlags:\n${flagUsages(local).trimEnd()}`
  const inherited = inheritedFlags(command)
  if (inherited.some((f) => !f.hidden)) out += `\n\nGlobal Flags:\n${flagUsages(inherited).trimEnd()}`
  if (subcommands.length > 0) out += `\n\nUse "${commandPath(command)} [command] --help" for more information about a command.`
  return `${out}\n`
}

/** cobra's help template: the long description (or the short one), then the usage. */
export function renderHelp(command: CommandNode): string {
  const about = (command.long || command.short).trimEnd()
  return `${about ? `${about}\n\n` : ''}${renderUsage(command)}`
}
