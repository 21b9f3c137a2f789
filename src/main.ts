import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveArgv } from './cli/argv.js'
import { renderHelp } from './cli/help.js'
import { setInvocation } from './cli/invocation.js'
import { loadCommandTree, programName } from './cli/root.js'
import { CommandError, massageError } from './errors.js'
import { debug } from './log.js'

/** Node warns (DEP0123) when gRPC sets a TLS servername to an IP endpoint; that is noise for admins. */
function silenceTlsServernameWarning(): void {
  const listeners = process.listeners('warning')
  process.removeAllListeners('warning')
  process.on('warning', (warning: Error & { code?: string }) => {
    if (warning.code === 'DEP0123') return
    for (const listener of listeners) listener(warning)
  })
}

/**
 * Loads the one command that runs, as oclif lays commands out (`datastore:migrate:lock` in
 * commands/datastore/migrate/lock.js), and runs it on the invocation set above. oclif's Config,
 * which would find the command by reading and loading its plugins first, is not needed: the
 * command line is already resolved.
 */
async function runCommand(id: string): Promise<void> {
  const url = new URL(`./commands/${id.split(':').join('/')}.js`, import.meta.url)
  const command = (await import(url.href)).default as { run(): Promise<void> }
  await command.run()
}

/**
 * The command line is read as cobra reads it (src/cli/argv.ts); help and mistakes are answered
 * without loading any command; oclif loads and runs the command that was found.
 */
export async function main(argv: string[]): Promise<void> {
  silenceTlsServernameWarning()
  const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
  const root = loadCommandTree(packageRoot, programName(process.argv[1]))
  const resolved = resolveArgv(root, argv)
  if (resolved.type === 'help') {
    process.stdout.write(renderHelp(resolved.command))
    return
  }
  if (resolved.type === 'error') {
    process.stderr.write(`${resolved.message}\n`)
    process.exitCode = 1
    return
  }
  setInvocation({ root, ...resolved })
  try {
    await runCommand(resolved.command.id)
  } catch (error) {
    const err = error as Error
    debug(err.stack ?? String(err))
    if (err instanceof CommandError && err.stream === 'stdout') {
      process.stdout.write(`${err.message}\n`)
    } else {
      // Upstream rewrites every error it prints on stderr; our lines after it stay as they are.
      const details = err instanceof CommandError ? err.details : []
      process.stderr.write(`${[massageError(err.message), ...details].join('\n')}\n`)
    }
    process.exitCode = 1
  }
}
