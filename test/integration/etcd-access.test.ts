import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { etcdDelPrefix, etcdGetPrefix, repoRoot, runCli, writeCalicoctlCfg } from './helpers.js'

const run = promisify(execFile)
const POOL = 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p1\nspec:\n  cidr: 10.7.0.0/16\n'
const POOL_KEY = '/calico/resources/v3/projectcalico.org/ippools/p1'

describe('etcd with TLS client certificates and user/password auth', () => {
  const env = inject('etcdTlsAuth')

  beforeAll(() => etcdDelPrefix(env, '/calico/'))

  it('writes with the configured user', async () => {
    const r = await runCli(['apply', '-f', '-', '-c', writeCalicoctlCfg(env)], { stdin: POOL })
    expect(r).toMatchObject({ code: 0, stdout: "Successfully applied 1 'IPPool' resource(s)\n", stderr: '' })
    expect((await etcdGetPrefix(env, POOL_KEY)).has(POOL_KEY)).toBe(true)
  })

  it('takes the same settings from environment variables', async () => {
    const r = await runCli(['get', 'ippool', 'p1', '-o', 'yaml'], { env })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('cidr: 10.7.0.0/16')
  })

  it('reports a wrong password without printing it, even at debug level', async () => {
    const secret = 'not-the-password-4711'
    const r = await runCli(['-l', 'debug', 'get', 'ippool', '-c', writeCalicoctlCfg(env, { etcdPassword: secret })])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('connection is unauthorized')
    expect(r.stdout + r.stderr).not.toContain(secret)
    // logrus quotes the message, so the logged configuration's quotes are escaped.
    expect(r.stderr).toContain('\\"etcdPassword\\":\\"<redacted>\\"')
  })

  it('never prints the key material of inline certificates', async () => {
    const key = readFileSync(env.ETCD_KEY_FILE, 'utf8')
    const cfg = writeCalicoctlCfg(env, { etcdKeyFile: undefined, etcdCertFile: undefined, etcdCACertFile: undefined, etcdKey: key, etcdCert: readFileSync(env.ETCD_CERT_FILE, 'utf8'), etcdCACert: readFileSync(env.ETCD_CA_CERT_FILE, 'utf8') })
    const r = await runCli(['-l', 'debug', 'get', 'ippool', 'p1', '-c', cfg])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('p1')
    expect(r.stderr).not.toContain('PRIVATE KEY')
  })

  it("reports a TLS file it cannot read with etcd's text, before asking the datastore; version too", async () => {
    const missing = join(repoRoot, 'no-such-dir', 'ca.pem')
    const cfg = writeCalicoctlCfg(env, { etcdCACertFile: missing })
    const text = `could not initialize etcdv3 client: open ${missing}: no such file or directory`
    expect(await runCli(['get', 'ippool', '-c', cfg])).toEqual({ code: 1, stdout: `Failed to create Calico API client: ${text}\n`, stderr: '' })
    expect(await runCli(['ipam', 'show', '-c', cfg])).toEqual({ code: 1, stdout: '', stderr: `${text}\n` })
    // Only a datastore error is "Unable to detect installed Calico version"; this is the user's to fix.
    expect(await runCli(['version', '-c', cfg])).toEqual({ code: 1, stdout: 'Client Version:    v3.31.0\nGit commit:        calicoctl-ts-0.1.0\n', stderr: `${text}\n` })
    const halfPair = writeCalicoctlCfg(env, { etcdKeyFile: undefined })
    expect((await runCli(['get', 'ippool', '-c', halfPair])).stdout).toBe(
      `Failed to create Calico API client: could not initialize etcdv3 client: KeyFile and CertFile must both be present[key: , cert: ${env.ETCD_CERT_FILE}]\n`,
    )
  })
})

describe('a 3-member TLS etcd cluster with one member down', () => {
  const dir = join(repoRoot, '.test-state', `cluster-${process.pid}`)
  let env: Record<string, string> = {}

  beforeAll(async () => {
    await run('bash', [join(repoRoot, 'scripts/etcd.sh'), 'start', '--cluster', '--tls', '--dir', dir])
    const text = readFileSync(join(dir, 'env'), 'utf8')
    env = Object.fromEntries([...text.matchAll(/^export (\w+)='?([^'\n]*)'?$/gm)].map((m) => [m[1], m[2]]))
  }, 120000)
  afterAll(() => run('bash', [join(repoRoot, 'scripts/etcd.sh'), 'stop', '--dir', dir]))

  it('keeps working through the remaining members', async () => {
    const cfg = writeCalicoctlCfg(env)
    expect(env.ETCD_ENDPOINTS.split(',')).toHaveLength(3)
    const first = await runCli(['apply', '-f', '-', '-c', cfg], { stdin: POOL })
    expect(first.code).toBe(0)
    // Stop the first member: clients that only knew it would fail now.
    const pidFile = readdirSync(join(dir, 'run')).filter((f) => f.endsWith('.pid')).sort()[0]
    process.kill(Number(readFileSync(join(dir, 'run', pidFile), 'utf8').trim()), 'SIGTERM')
    await new Promise((resolve) => setTimeout(resolve, 1500))
    for (let i = 0; i < 3; i++) {
      const r = await runCli(['get', 'ippool', '-c', cfg])
      expect(r).toMatchObject({ code: 0, stderr: '' })
      expect(r.stdout).toMatch(/^p1 +10\.7\.0\.0\/16 +all\(\) +$/m)
    }
    const replaced = await runCli(['replace', '-f', '-', '-c', cfg], { stdin: POOL.replace('name: p1', 'name: p1\n  labels:\n    after: failover') })
    expect(replaced).toMatchObject({ code: 0, stdout: "Successfully replaced 1 'IPPool' resource(s)\n" })
  })
})
