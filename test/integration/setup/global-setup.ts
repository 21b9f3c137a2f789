/**
 * Starts the real etcd instances the integration tests share (via scripts/etcd.sh) and
 * hands their connection settings to the tests through `inject('etcdPlain')` etc.
 */
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Plain http, no auth. */
    etcdPlain: Record<string, string>
    /** https with client certificates. */
    etcdTls: Record<string, string>
    /** https with client certificates plus user root and its password. */
    etcdTlsAuth: Record<string, string>
  }
}

const run = promisify(execFile)
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const script = join(repoRoot, 'scripts/etcd.sh')

const instances = [
  { key: 'etcdPlain', dir: 'plain', flags: [] },
  { key: 'etcdTls', dir: 'tls', flags: ['--tls'] },
  { key: 'etcdTlsAuth', dir: 'tls-auth', flags: ['--tls', '--auth'] },
] as const

/** Reads the `export NAME='value'` lines etcd.sh writes (values single-quoted, ' as '\''). */
function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const m = /^export ([A-Za-z_][A-Za-z0-9_]*)='(.*)'$/.exec(line)
    if (m) env[m[1]] = m[2].replaceAll(`'\\''`, `'`)
  }
  return env
}

async function etcdSh(args: string[]): Promise<void> {
  try {
    await run('bash', [script, ...args], { cwd: repoRoot })
  } catch (err) {
    const e = err as { stderr?: string; message: string }
    throw new Error(`scripts/etcd.sh ${args.join(' ')} failed:\n${e.stderr ?? e.message}`)
  }
}

// Each run has its own state, so two test runs on one machine never stop each other's etcd.
const runDir = (pid: number) => join(repoRoot, '.test-state', `run-${pid}`)
const stateDir = (dir: string, pid = process.pid) => join(runDir(pid), dir)
const stopAll = (pid = process.pid) => Promise.all(instances.map((i) => etcdSh(['stop', '--dir', stateDir(i.dir, pid)])))

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Stops the instances of runs that were interrupted (their test process is gone). */
async function stopLeftovers(): Promise<void> {
  const root = join(repoRoot, '.test-state')
  const dead = (existsSync(root) ? readdirSync(root) : [])
    .map((name) => /^run-(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null && !alive(Number(m[1])))
  for (const m of dead) {
    await stopAll(Number(m[1]))
    rmSync(runDir(Number(m[1])), { recursive: true, force: true })
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await stopLeftovers()
  const started = await Promise.allSettled(
    instances.map((i) => etcdSh(['start', ...i.flags, '--dir', stateDir(i.dir)])),
  )
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) {
    await stopAll()
    throw failed.reason
  }
  for (const i of instances) {
    project.provide(i.key, parseEnvFile(readFileSync(join(stateDir(i.dir), 'env'), 'utf8')))
  }
  return async () => {
    await stopAll()
    rmSync(runDir(process.pid), { recursive: true, force: true })
  }
}
