import type { FlagValues } from './argv.js'
import type { CommandNode } from './tree.js'

/** The command line as src/cli/argv.ts resolved it, for the command that runs. */
export interface Invocation {
  root: CommandNode
  command: CommandNode
  /** The word that named the command (a name or an alias). */
  calledAs: string
  flags: FlagValues
  args: string[]
}

let current: Invocation | undefined

export function setInvocation(invocation: Invocation): void {
  current = invocation
}

export function invocation(): Invocation {
  if (!current) throw new Error('a command ran without a resolved command line (run it through src/main.ts)')
  return current
}
