/**
 * Starts the real etcd instances the integration tests share (via scripts/etcd.sh) and
 * hands their connection settings to the tests through `inject('etcdPlain')` etc.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
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

const stateDir = (dir: string) => join(repoRoot, '.test-state', dir)
const stopAll = () => Promise.all(instances.map((i) => etcdSh(['stop', '--dir', stateDir(i.dir)])))

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Leftovers of an interrupted run are stopped first, so every run starts from empty stores.
  await stopAll()
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
  }
}
