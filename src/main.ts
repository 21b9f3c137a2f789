import { run } from '@oclif/core'
import { CommandError, massageError } from './errors.js'
import { GLOBAL_BOOLEAN_FLAGS, GLOBAL_FLAGS_WITH_VALUE } from './cli/flags.js'
import { debug } from './log.js'

/**
 * cobra accepts root flags before the command (`calicoctl -l debug get nodes`); oclif only after it.
 * Move leading root flags behind the command words so both orders work.
 */
export function reorderRootFlags(argv: string[]): string[] {
  const leading: string[] = []
  let i = 0
  while (i < argv.length && argv[i].startsWith('-')) {
    const arg = argv[i]
    const name = arg.split('=')[0]
    if (GLOBAL_FLAGS_WITH_VALUE.includes(name) && !arg.includes('=')) {
      leading.push(arg, argv[i + 1] ?? '')
      i += 2
    } else if (GLOBAL_FLAGS_WITH_VALUE.includes(name) || GLOBAL_BOOLEAN_FLAGS.includes(name) || /^-l.+/.test(arg)) {
      leading.push(arg)
      i += 1
    } else break
  }
  if (leading.length === 0) return argv
  let end = i
  // Command words (e.g. `node status`) come before the relocated flags.
  while (end < argv.length && !argv[end].startsWith('-') && end - i < 2) end++
  return [...argv.slice(i, end), ...leading, ...argv.slice(end)]
}

/** oclif's parse errors in cobra's words, which users and scripts know. */
function upstreamMessage(err: Error & { flags?: string[]; oclif?: { exit?: number } }): string {
  if (err.constructor.name === 'NonExistentFlagsError' && err.flags?.length) {
    const flag = err.flags[0]
    return flag.startsWith('--') ? `unknown flag: ${flag}` : `unknown shorthand flag: '${flag.replace(/^-/, '').charAt(0)}' in ${flag}`
  }
  const missing = /^command (\S+) not found$/.exec(err.message)
  if (missing) return `unknown command "${missing[1].split(':')[0]}" for "calicoctl"`
  return err.message
}

/** Node warns (DEP0123) when gRPC sets a TLS servername to an IP endpoint; that is noise for admins. */
function silenceTlsServernameWarning(): void {
  const listeners = process.listeners('warning')
  process.removeAllListeners('warning')
  process.on('warning', (warning: Error & { code?: string }) => {
    if (warning.code === 'DEP0123') return
    for (const listener of listeners) listener(warning)
  })
}

export async function main(argv: string[]): Promise<void> {
  silenceTlsServernameWarning()
  try {
    await run(reorderRootFlags(argv), import.meta.url)
  } catch (error) {
    const err = error as Error & { oclif?: { exit?: number } }
    // oclif signals a normal exit (e.g. after --help) with exit code 0, after its Command.catch
    // already set process.exitCode to 1.
    if (err.oclif?.exit === 0) {
      process.exitCode = 0
      return
    }
    debug(err.stack ?? String(err))
    if (err instanceof CommandError && err.stream === 'stdout') {
      process.stdout.write(`${err.message}\n`)
    } else {
      // Upstream rewrites every error it prints on stderr; our lines after it stay as they are.
      const message = massageError(err instanceof CommandError ? err.message : upstreamMessage(err))
      const details = err instanceof CommandError ? err.details : []
      process.stderr.write(`${[message, ...details].join('\n')}\n`)
    }
    process.exitCode = 1
  }
}
