import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { etcdctl, etcdDelPrefix, etcdGetPrefix, repoRoot, runCli, writeCalicoctlCfg, writeTempFile } from './helpers.js'

const run = promisify(execFile)
const PEERS = '/calico/resources/v3/projectcalico.org/bgppeers/'
const COUNT = 2000

const peer = (i: number) => ({ name: `peer-${i}`, peerIP: `10.9.${i >> 8}.${i & 255}`, asNumber: 64512 + (i % 100) })
const peersFile = writeTempFile(
  'failover-peers.yaml',
  Array.from({ length: COUNT }, (_, i) => {
    const p = peer(i)
    return `apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: ${p.name}\nspec:\n  peerIP: ${p.peerIP}\n  asNumber: ${p.asNumber}\n`
  }).join('---\n'),
)

/**
 * A member of a 3-member etcd cluster fails (killed, or paused and so silent) while a concurrent
 * apply of 2,000 BGPPeers runs: the client must carry on through the other members, and what it
 * prints must be what is stored. Each case has a cluster of its own (two failed members of one
 * would leave no quorum).
 */
describe.each([
  { signal: 'SIGKILL' as const, what: 'is killed' },
  { signal: 'SIGSTOP' as const, what: 'stops answering (paused)' },
])('a concurrent apply while one of 3 etcd members $what', ({ signal }) => {
  const dir = join(repoRoot, '.test-state', `failover-${signal}-${process.pid}`)
  let env: Record<string, string> = {}
  let members: { pid: number; endpoint: string }[] = []
  let paused: number | undefined

  beforeAll(async () => {
    await run('bash', [join(repoRoot, 'scripts/etcd.sh'), 'start', '--cluster', '--dir', dir])
    const text = readFileSync(join(dir, 'env'), 'utf8')
    env = Object.fromEntries([...text.matchAll(/^export (\w+)='?([^'\n]*)'?$/gm)].map((m) => [m[1], m[2]]))
    const endpoints = env.ETCD_ENDPOINTS.split(',')
    const pidFiles = readdirSync(join(dir, 'run')).filter((f) => f.endsWith('.pid')).sort()
    members = pidFiles.map((f, i) => ({ pid: Number(readFileSync(join(dir, 'run', f), 'utf8').trim()), endpoint: endpoints[i] }))
  }, 120000)
  afterAll(async () => {
    if (paused !== undefined) process.kill(paused, 'SIGCONT')
    await run('bash', [join(repoRoot, 'scripts/etcd.sh'), 'stop', '--dir', dir])
  })

  it('stores every resource once, as the file has it, and prints what is stored', async () => {
    expect(members).toHaveLength(3)
    const failed = 0
    // etcdctl through the members that keep answering.
    const ctl = { ...env, ETCDCTL_ENDPOINTS: members.filter((_, i) => i !== failed).map((m) => m.endpoint).join(',') }
    await etcdDelPrefix(ctl, PEERS)
    const applying = runCli(['apply', '-f', peersFile, '-c', writeCalicoctlCfg(env)], { timeoutMs: 240_000 })
    // Fail the member once a tenth of the file is stored: in the middle of the writes.
    for (let stored = 0; stored < COUNT / 10; ) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      stored = Number(/"count":(\d+)/.exec(await etcdctl(ctl, ['get', '--prefix', PEERS, '--limit', '1', '-w', 'json']))?.[1] ?? 0)
    }
    expect(process.kill(members[failed].pid, signal)).toBe(true)
    if (signal === 'SIGSTOP') paused = members[failed].pid
    const result = await applying
    const stored = await etcdGetPrefix(ctl, PEERS)

    expect(result).toMatchObject({ code: 0, stdout: `Successfully applied ${COUNT} 'BGPPeer' resource(s)\n`, stderr: '' })
    expect(stored.size).toBe(COUNT)
    for (let i = 0; i < COUNT; i++) {
      const { name, peerIP, asNumber } = peer(i)
      const value = JSON.parse(stored.get(`${PEERS}${name}`) ?? 'null')
      expect(value, name).toMatchObject({ kind: 'BGPPeer', metadata: { name }, spec: { peerIP, asNumber } })
    }
  }, 300_000)
})
