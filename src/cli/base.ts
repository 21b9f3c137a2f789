import { Command } from '@oclif/core'
import { CommandError } from '../errors.js'
import { parseLogLevel, setLogLevel } from '../log.js'
import { globalFlags } from './flags.js'

/** Every calicoctl command: the root flags, and result printing that matches upstream streams. */
export abstract class CalicoCommand extends Command {
  static override baseFlags = globalFlags

  protected applyGlobalFlags(flags: { 'log-level'?: string; context?: string }): void {
    const level = flags['log-level'] ?? 'panic'
    const parsed = parseLogLevel(level)
    if (!parsed) throw new CommandError(`unknown log level: ${level}, expected one of: panic, fatal, error, warn, info, debug`)
    setLogLevel(parsed)
    // Upstream implements --context by exporting K8S_CURRENT_CONTEXT for the config loader.
    if (flags.context) process.env.K8S_CURRENT_CONTEXT = flags.context
  }

  /** Prints result lines on stdout, then fails with the command error if there is one. */
  protected finish(report: { stdout: string[] | string; error?: string; details?: string[] }): void {
    const out = Array.isArray(report.stdout) ? report.stdout.map((l) => `${l}\n`).join('') : report.stdout
    if (out) process.stdout.write(out)
    if (report.error !== undefined) throw new CommandError(report.error, 'stderr', report.details)
  }
}

/** Reads all of stdin for `-f -`. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
