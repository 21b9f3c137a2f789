/**
 * Utilities for integration tests: run the built CLI in a clean environment, read and
 * write the real etcd with etcdctl, and write temporary input and config files.
 */
import { execFile, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { constants, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import yaml from 'js-yaml'
// Type-only: brings the inject('etcdPlain' | 'etcdTls' | 'etcdTlsAuth') declarations into scope.
import type {} from './setup/global-setup.js'

/** Connection settings of one etcd instance, as provided by the global setup. */
export type EtcdEnv = Record<string, string>

export interface CliResult {
  stdout: string
  stderr: string
  code: number
}

export interface RunCliOptions {
  env?: Record<string, string>
  stdin?: string
  cwd?: string
  timeoutMs?: number
}

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

// One scratch directory per test process, removed when the process ends.
let scratch: string | undefined
function scratchDir(): string {
  if (!scratch) {
    const dir = mkdtempSync(join(tmpdir(), 'calicoctl-ts-test-'))
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
    scratch = dir
  }
  return scratch
}

/**
 * Runs `node bin/run.js ...args`. The child sees only PATH, a HOME of its own (so no
 * ~/.kube/config or other user state leaks in) and opts.env: nothing like ETCD_*,
 * CALICO_* or KUBECONFIG from the environment the tests run in.
 */
export function runCli(args: string[], opts: RunCliOptions = {}): Promise<CliResult> {
  const home = join(scratchDir(), 'home')
  mkdirSync(home, { recursive: true })
  const timeoutMs = opts.timeoutMs ?? 30_000
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin/run.js'), ...args], {
      cwd: opts.cwd ?? repoRoot,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`calicoctl ${args.join(' ')} timed out after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`))
    }, timeoutMs)
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      // Killed by a signal: report it the way a shell would, 128 + signal number.
      resolvePromise({ stdout, stderr, code: code ?? 128 + (signal ? constants.signals[signal] : 0) })
    })
    // A CLI that exits without reading its input must not fail the run with EPIPE.
    child.stdin.on('error', () => {})
    child.stdin.end(opts.stdin)
  })
}

/** Runs etcdctl (API v3) with only the instance's ETCDCTL_* settings; resolves to stdout. */
export function etcdctl(env: EtcdEnv, args: string[]): Promise<string> {
  const ctlEnv: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' }
  for (const [k, v] of Object.entries(env)) if (k.startsWith('ETCDCTL_')) ctlEnv[k] = v
  ctlEnv.ETCDCTL_API = '3'
  return new Promise((resolvePromise, reject) => {
    execFile('etcdctl', args, { env: ctlEnv, timeout: 30_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`etcdctl ${args.join(' ')} failed: ${stderr.trim() || err.message}`))
      else resolvePromise(stdout)
    })
  })
}

interface EtcdctlGetJson {
  kvs?: { key: string; value?: string }[]
}

/**
 * Every key under prefix with its value. Read through etcdctl's JSON output (base64
 * keys and values), so values with any content survive intact.
 */
export async function etcdGetPrefix(env: EtcdEnv, prefix: string): Promise<Map<string, string>> {
  const out = JSON.parse(await etcdctl(env, ['get', '--prefix', prefix, '-w', 'json'])) as EtcdctlGetJson
  const decode = (b64: string | undefined) => Buffer.from(b64 ?? '', 'base64').toString('utf8')
  return new Map((out.kvs ?? []).map((kv) => [decode(kv.key), decode(kv.value)]))
}

export async function etcdPut(env: EtcdEnv, key: string, value: string): Promise<void> {
  // `--` so a value starting with '-' is not read as a flag.
  await etcdctl(env, ['put', '--', key, value])
}

/** Deletes every key under prefix, e.g. '/calico/' between tests. */
export async function etcdDelPrefix(env: EtcdEnv, prefix: string): Promise<void> {
  await etcdctl(env, ['del', '--prefix', prefix])
}

/** Writes content to a file in this process's scratch directory and returns its path. */
export function writeTempFile(name: string, content: string): string {
  const path = join(scratchDir(), name)
  writeFileSync(path, content)
  return path
}

let cfgCount = 0

/**
 * Writes a CalicoAPIConfig (etcdv3) pointing at the instance and returns its path.
 * `extra` adds or overrides spec fields.
 */
export function writeCalicoctlCfg(env: EtcdEnv, extra: Record<string, unknown> = {}): string {
  const spec: Record<string, unknown> = { datastoreType: 'etcdv3', etcdEndpoints: env.ETCD_ENDPOINTS }
  const fields: [string, string][] = [
    ['etcdCACertFile', 'ETCD_CA_CERT_FILE'],
    ['etcdCertFile', 'ETCD_CERT_FILE'],
    ['etcdKeyFile', 'ETCD_KEY_FILE'],
    ['etcdUsername', 'ETCD_USERNAME'],
    ['etcdPassword', 'ETCD_PASSWORD'],
  ]
  for (const [field, variable] of fields) if (env[variable] !== undefined) spec[field] = env[variable]
  const doc = { apiVersion: 'projectcalico.org/v3', kind: 'CalicoAPIConfig', metadata: {}, spec: { ...spec, ...extra } }
  return writeTempFile(`calicoctl-${++cfgCount}.cfg`, yaml.dump(doc))
}
