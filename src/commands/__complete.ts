import { appendFileSync } from 'node:fs'
import { CalicoCommand } from '../cli/base.js'
import { complete, directiveNames } from '../cli/complete.js'
import type { ArgCount } from '../cli/tree.js'
import { parseGoBool } from '../ipam/go-parse.js'

/** The environment variable that turns descriptions off, named after the program as cobra names it. */
function descriptionsVariable(program: string): string {
  return `${program}_COMPLETION_DESCRIPTIONS`.toUpperCase().replace(/[^A-Z0-9_]/g, '_')
}

export default class Complete extends CalicoCommand {
  static override summary = 'Request shell completion choices for the specified command-line'
  static override description = `The completion scripts run this to learn what may come next on a command line: give
the words typed so far and the word being completed (empty for a new word).`
  static override usage = '__complete [command-line]'
  static override hidden = true
  static override aliases = ['__completeNoDesc']
  static override argCount: ArgCount = { min: 1 }
  static rawArgs = true
  static disableFlagsInUseLine = true

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Complete)
    this.applyGlobalFlags(flags)
    const { root, calledAs } = this.invocation
    const result = await complete(root, argv as string[], {
      kinds: async () => (await import('../resources/registry.js')).kindNames(),
    })
    if (result.error !== undefined) {
      const message = `[Error] ${result.error}\n`
      if (process.env.BASH_COMP_DEBUG_FILE) appendFileSync(process.env.BASH_COMP_DEBUG_FILE, `[Debug] ${message}`)
      process.stderr.write(`[Debug] ${message}`)
    }
    const setting = process.env[descriptionsVariable(root.name)] || process.env.COBRA_COMPLETION_DESCRIPTIONS || ''
    const descriptions = calledAs !== '__completeNoDesc' && parseGoBool(setting) !== false
    for (const candidate of result.candidates) {
      const text = descriptions ? candidate : candidate.split('\t')[0]
      process.stdout.write(`${text.split('\n')[0].trim()}\n`)
    }
    process.stdout.write(`:${result.directive}\n`)
    process.stderr.write(`Completion ended with directive: ${directiveNames(result.directive)}\n`)
  }
}
