import { findCommand } from '../cli/argv.js'
import { goQuote } from '../go-quote.js'
import { CalicoCommand } from '../cli/base.js'
import { renderHelp, renderUsage } from '../cli/help.js'

/** Go's %#q of a list of words, as cobra names an unknown topic: back quotes where they can stand. */
function goBackquotedList(words: string[]): string {
  return `[${words.map((w) => (/^[^`\x00-\x08\x0a-\x1f\x7f\ufeff]*$/.test(w) ? `\`${w}\`` : goQuote(w))).join(' ')}]`
}

export default class Help extends CalicoCommand {
  static override summary = 'Help about any command'
  static override description = `Print the description, usage and flags of any calicoctl command: give the words of
the command after help, e.g. "calicoctl help ipam show".`
  static override usage = 'help [command]'

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Help)
    this.applyGlobalFlags(flags)
    const found = findCommand(this.invocation.root, argv as string[])
    if ('error' in found) {
      // cobra prints this on stderr and exits 0.
      process.stderr.write(`Unknown help topic ${goBackquotedList(argv as string[])}\n${renderUsage(this.invocation.root)}`)
      return
    }
    process.stdout.write(renderHelp(found.command))
  }
}
