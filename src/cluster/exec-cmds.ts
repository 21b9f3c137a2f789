import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, relative } from 'node:path'
import { goPathError } from '../node/go-errno.js'
import { runToolAsync } from '../node/run-tool.js'

/**
 * One diagnostics command of `cluster diags`: what to announce, the command line (split on
 * white space, as upstream does), the file its combined output goes to, an optional link to
 * that file, and a command to try instead when it fails (e.g. an older calico-node that does
 * not know a newer flag), whose output then goes to its own file.
 */
export interface DiagCmd {
  info: string
  cmd: string
  file: string
  symlink?: string
  fallback?: { cmd: string; file: string }
}

/** Gaps between the starts of a batch's commands, as upstream staggers them. */
const STAGGER_MS = 20

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Runs batches of commands with at most `parallelism` at once (a negative limit: none), each
 * announced as `[N] <info>` with N counting on across batches.
 */
export class CmdRunner {
  private next = 0

  constructor(
    private readonly parallelism: number,
    private readonly env: NodeJS.ProcessEnv,
    private readonly print: (line: string) => void,
  ) {}

  async runAll(cmds: readonly DiagCmd[]): Promise<void> {
    if (cmds.length > 0 && this.parallelism === 0) {
      // errgroup's limit of zero admits no goroutine: upstream's Go runtime stops it like this.
      process.stderr.write('fatal error: all goroutines are asleep - deadlock!\n')
      process.exit(2)
    }
    const running = new Set<Promise<void>>()
    for (const cmd of cmds) {
      const prefix = `[${++this.next}]`
      while (this.parallelism > 0 && running.size >= this.parallelism) await Promise.race(running)
      const task = this.run(prefix, cmd).finally(() => running.delete(task))
      running.add(task)
      await sleep(STAGGER_MS)
    }
    await Promise.all(running)
  }

  private async run(prefix: string, c: DiagCmd): Promise<void> {
    if (c.info) this.print(`${prefix} ${c.info}`)
    try {
      mkdirSync(dirname(c.file), { recursive: true })
    } catch (err) {
      this.print(`${prefix} Error creating directory for ${c.file}: ${goPathError('mkdir', dirname(c.file), err)}`)
      return
    }
    const argv = c.cmd.split(/\s+/).filter(Boolean)
    if (argv.length === 0) {
      this.print(`${prefix} No command to execute`)
      return
    }
    let file = c.file
    let run = await runToolAsync(argv, file, this.env)
    if (!run.ok && c.fallback) {
      const fallbackArgv = c.fallback.cmd.split(/\s+/).filter(Boolean)
      const fallback = fallbackArgv.length ? await runToolAsync(fallbackArgv, c.fallback.file, this.env) : run
      if (fallback.ok) [run, file] = [fallback, c.fallback.file]
    }
    if (!run.ok) {
      this.print(`${prefix} Failed to run command: ${c.cmd}\nError: ${run.output}`)
      // Upstream keeps what a failed command printed, so the bundle shows why it failed.
      writeFileSync(file, run.output)
    }
    if (!c.symlink) return
    try {
      mkdirSync(dirname(c.symlink), { recursive: true })
    } catch (err) {
      this.print(`${prefix} Error creating directory for ${c.symlink}: ${goPathError('mkdir', dirname(c.symlink), err)}`)
      return
    }
    try {
      symlinkSync(relative(dirname(c.symlink), file), c.symlink)
    } catch (err) {
      this.print(`${prefix} Error making symlink ${c.symlink}: ${goLinkError(relative(dirname(c.symlink), file), c.symlink, err)}`)
    }
  }
}

/** Go's *LinkError text: `symlink <old> <new>: <errno text>`. */
function goLinkError(target: string, link: string, err: unknown): string {
  return goPathError('symlink', `${target} ${link}`, err)
}
