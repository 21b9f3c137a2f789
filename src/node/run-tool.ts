import { spawn, spawnSync } from 'node:child_process'
import { closeSync, openSync, readFileSync, rmSync, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/**
 * How one external tool run went. A failure carries the tool's own output (empty when it
 * did not start), Go's error text as calicoctl prints it (`exit status 1`, `exec: "x":
 * executable file not found in $PATH`) and a short reason for our summary.
 */
/** A tool still running after this long is stopped (SIGTERM). */
const TOOL_TIMEOUT_MS = 120_000

export type ToolRun = { ok: true } | { ok: false; output: string; error: string; reason: string }

/** The first executable called `name` on the PATH of `env`, like exec.LookPath. */
export function lookPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, name)
    try {
      const stat = statSync(candidate)
      if (stat.isFile() && (stat.mode & 0o111) !== 0) return candidate
    } catch {
      // not in this directory
    }
  }
  return undefined
}

/** A tool that is not installed fails as Go's exec does. */
function notInstalled(command: string): ToolRun & { ok: false } {
  return { ok: false, output: '', error: `exec: "${command}": executable file not found in $PATH`, reason: `${command} not installed` }
}

/** How a finished run went, its combined output read from `outFile` (removed on failure). */
function outcome(command: string, outFile: string, status: number | null, signal: NodeJS.Signals | null, error?: Error): ToolRun {
  if (status === 0) return { ok: true }
  const output = readFileSync(outFile, 'utf8')
  rmSync(outFile, { force: true })
  if (error) return { ok: false, output, error: error.message, reason: error.message }
  if (signal) return { ok: false, output, error: `signal: ${goSignalName(signal)}`, reason: `${command} killed by ${signal}` }
  return { ok: false, output, error: `exit status ${status}`, reason: `${command} exited with status ${status}` }
}

/**
 * Runs a tool with stdout and stderr both written to `outFile` in the order they come
 * (Go's CombinedOutput). On failure the file is removed and its text returned; a tool that
 * is not installed fails like Go's exec does.
 */
export function runTool(argv: readonly string[], outFile: string, env: NodeJS.ProcessEnv, cwd?: string): ToolRun {
  const [command, ...args] = argv
  if (!lookPath(command, env)) return notInstalled(command)
  const fd = openSync(outFile, 'w')
  let result
  try {
    result = spawnSync(command, args, { env, cwd, stdio: ['ignore', fd, fd], timeout: TOOL_TIMEOUT_MS })
  } finally {
    closeSync(fd)
  }
  return outcome(command, outFile, result.status, result.signal, result.error)
}

/** runTool without blocking, for the diagnostics that run several tools at once. */
export async function runToolAsync(argv: readonly string[], outFile: string, env: NodeJS.ProcessEnv): Promise<ToolRun> {
  const [command, ...args] = argv
  if (!lookPath(command, env)) return notInstalled(command)
  const fd = openSync(outFile, 'w')
  try {
    return await new Promise<ToolRun>((resolve) => {
      const child = spawn(command, args, { env, stdio: ['ignore', fd, fd], timeout: TOOL_TIMEOUT_MS })
      // A child that fails to start may report both an error and an exit: the first one counts.
      let settled = false
      const settle = (status: number | null, signal: NodeJS.Signals | null, err?: Error) => {
        if (!settled) resolve(outcome(command, outFile, status, signal, err))
        settled = true
      }
      child.once('error', (err) => settle(null, null, err))
      child.once('exit', (status, signal) => settle(status, signal))
    })
  } finally {
    closeSync(fd)
  }
}

/** Go's names of the signals a tool dies of here: the timeout's SIGTERM, or a SIGKILL. */
export function goSignalName(signal: NodeJS.Signals): string {
  return signal === 'SIGTERM' ? 'terminated' : signal === 'SIGKILL' ? 'killed' : signal
}

/**
 * A tool's stdout alone (its stderr discarded), for output that is read rather than saved; the
 * error as Go's exec words it, like runTool's.
 */
export function runToolStdout(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<{ ok: true; stdout: string } | { ok: false; error: string }> {
  const [command, ...args] = argv
  if (!lookPath(command, env)) return Promise.resolve({ ok: false, error: notInstalled(command).error })
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'ignore'], timeout: TOOL_TIMEOUT_MS })
    const chunks: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => chunks.push(c))
    child.once('error', (err) => resolve({ ok: false, error: err.message }))
    child.once('close', (status, signal) => {
      if (status === 0) resolve({ ok: true, stdout: Buffer.concat(chunks).toString('utf8') })
      else resolve({ ok: false, error: signal ? `signal: ${goSignalName(signal)}` : `exit status ${status}` })
    })
  })
}
