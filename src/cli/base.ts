import type { Interfaces } from '@oclif/core'
import { CommandError } from '../errors.js'
import { parseLogLevel, setLogLevel } from '../log.js'
import { goQuote } from '../go-quote.js'
import { globalFlags } from './flags.js'
import { type Invocation, invocation } from './invocation.js'
import type { ArgCount } from './tree.js'

// oclif's FlagOutput and ArgOutput, which its index does not export.
type Output = { [name: string]: any }
type FlagDefinition = Interfaces.Flag<unknown> & { parse?: (input: unknown, context: unknown, flag: unknown) => Promise<unknown> }

/** oclif's reading of a boolean from the environment. */
const TRUTHY = ['true', '1', 'yes', 'y']

/** A flag's value: from the command line, else its environment variable, else its default. */
async function flagValue(
  name: string,
  flag: FlagDefinition,
  given: string | boolean | string[] | undefined,
  flags: Record<string, unknown>,
): Promise<unknown> {
  let value = given
  const fromEnv = flag.env ? process.env[flag.env] : undefined
  if (value === undefined && fromEnv) value = flag.type === 'boolean' ? TRUTHY.includes(fromEnv.toLowerCase()) : fromEnv
  if (value === undefined) {
    return typeof flag.default === 'function' ? (flag.default as (c: object) => unknown)({ flags, options: flag }) : flag.default
  }
  if (flag.type === 'boolean' || !flag.parse) return value
  const parse = async (text: string) => {
    try {
      return await flag.parse?.(text, {}, flag)
    } catch (err) {
      // pflag's wording for a value its type rejects.
      const shown = flag.char ? `-${flag.char}, --${name}` : `--${name}`
      throw new CommandError(`invalid argument ${goQuote(text)} for ${goQuote(shown)} flag: ${(err as Error).message}`)
    }
  }
  return Array.isArray(value) ? Promise.all(value.map(parse)) : parse(value as string)
}

/**
 * Every calicoctl command: the root flags, and result printing that matches upstream streams.
 * The statics describe the command as oclif's Command class does (oclif's manifest copies them at
 * build time, with the defaults below); at run time src/main.ts calls the static `run`.
 */
export abstract class CalicoCommand {
  static aliases: string[] = []
  static args: Interfaces.ArgInput = {}
  static baseFlags = globalFlags
  static description?: string
  static enableJsonFlag = false
  static examples?: string[]
  static flags?: Interfaces.FlagInput
  static hasDynamicHelp = false
  static hidden?: boolean
  static hiddenAliases: string[] = []
  static strict = true
  static summary?: string
  static usage?: string
  /** cobra's Args rule for the positional arguments; without one, any are accepted. */
  static argCount?: ArgCount

  /** Runs the command on the resolved command line (oclif's manifest also finds a command class by it). */
  static async run(this: new () => CalicoCommand): Promise<void> {
    await new this().run()
  }

  abstract run(): Promise<unknown>

  /** The resolved command line; the help and completion commands read the command tree from it. */
  protected get invocation(): Invocation {
    return invocation()
  }

  /**
   * Flags and arguments as src/cli/argv.ts read them the way pflag does (oclif's own parser reads
   * flags differently); values go through the flags' own parsing, environment variables and defaults.
   */
  protected async parse<F extends Output, B extends Output, A extends Output>(
    options?: Interfaces.Input<F, B, A>,
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    const input = options ?? (this.constructor as unknown as Interfaces.Input<F, B, A>)
    const { flags: given, args } = this.invocation
    const flags: Record<string, unknown> = {}
    const definitions = Object.entries({ ...input.baseFlags, ...input.flags })
    for (const [name, flag] of definitions) flags[name] = await flagValue(name, flag as FlagDefinition, given[name], flags)
    const missing = definitions.filter(([name, flag]) => flag.required && flags[name] === undefined).map(([name]) => name)
    if (missing.length > 0) throw new CommandError(`required flag(s) "${missing.join('", "')}" not set`)
    const named = Object.fromEntries(Object.keys(input.args ?? {}).map((name, i) => [name, args[i]]))
    return { flags, args: named, argv: args, raw: [], metadata: { flags: {} }, nonExistentFlags: [] } as unknown as Interfaces.ParserOutput<F, B, A>
  }

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
