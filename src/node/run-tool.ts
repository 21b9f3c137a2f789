import { spawnSync } from 'node:child_process'
import { closeSync, openSync, readFileSync, rmSync, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/**
 * How one external tool run went. A failure carries the tool's own output (empty when it
 * did not start), Go's error text as calicoctl prints it (`exit status 1`, `exec: "x":
 * executable file not found in $PATH`) and a short reason for our summary.
 */
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

/**
 * Runs a tool with stdout and stderr both written to `outFile` in the order they come
 * (Go's CombinedOutput). On failure the file is removed and its text returned; a tool that
 * is not installed fails like Go's exec does.
 */
export function runTool(argv: readonly string[], outFile: string, env: NodeJS.ProcessEnv, cwd?: string): ToolRun {
  const [command, ...args] = argv
  if (!lookPath(command, env)) {
    return { ok: false, output: '', error: `exec: "${command}": executable file not found in $PATH`, reason: `${command} not installed` }
  }
  const fd = openSync(outFile, 'w')
  let result
  try {
    result = spawnSync(command, args, { env, cwd, stdio: ['ignore', fd, fd], timeout: 120_000 })
  } finally {
    closeSync(fd)
  }
  if (result.status === 0) return { ok: true }
  const output = readFileSync(outFile, 'utf8')
  rmSync(outFile, { force: true })
  if (result.error) return { ok: false, output, error: result.error.message, reason: result.error.message }
  if (result.signal) return { ok: false, output, error: `signal: ${goSignalName(result.signal)}`, reason: `${command} killed by ${result.signal}` }
  return { ok: false, output, error: `exit status ${result.status}`, reason: `${command} exited with status ${result.status}` }
}

/** Go's names of the signals a tool dies of here: the timeout's SIGTERM, or a SIGKILL. */
function goSignalName(signal: NodeJS.Signals): string {
  return signal === 'SIGTERM' ? 'terminated' : signal === 'SIGKILL' ? 'killed' : signal
}
