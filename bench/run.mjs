#!/usr/bin/env node
// `npm run bench`: calicoctl-ts against baselines measured in the same run, on the same machine,
// as a table (our figure, the baseline's, the ratio, the goal). Each figure is the median of
// repeats that alternate ours and the baseline's, so a busy machine slows both alike.
//
//   start-up   version --client, -h                        vs  node -e 0
//   get        get ippool (1 pool), etcd and Kubernetes     vs  node -e 0 (and etcdctl get --prefix)
//   apply      apply -f of N BGPPeers, new and re-applied  vs  the same transactions from the raw
//                                                              etcd3 client, 8 in flight (raw-etcd.mjs)
//   list       get workloadendpoints -A, -o yaml|json|ps,  vs  etcdctl get --prefix -w json
//              at each list size (the last carries the goal; the others give the slope)
//
// Usage: node bench/run.mjs [--apply N=5000] [--lists 5000,20000,50000] [--repeats 3] [--startup-repeats 11]
// Needs etcd and etcdctl (scripts/etcd.sh installs them) and /usr/bin/time for peak RSS.
import { execFileSync, spawn } from 'node:child_process'
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const { values: opts } = parseArgs({
  options: {
    apply: { type: 'string', default: '5000' },
    lists: { type: 'string', default: '5000,20000,50000' },
    repeats: { type: 'string', default: '3' },
    'startup-repeats': { type: 'string', default: '11' },
  },
})
const APPLY_N = Number(opts.apply)
const LIST_SIZES = opts.lists.split(',').map(Number)
const REPEATS = Number(opts.repeats)
const STARTUP_REPEATS = Number(opts['startup-repeats'])
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined
const state = mkdtempSync(join(tmpdir(), 'calicoctl-bench-'))
const CLI = join(repo, 'bin/run.js')
const PEERS_PREFIX = '/calico/resources/v3/projectcalico.org/bgppeers/'
const WEPS_PREFIX = '/calico/resources/v3/projectcalico.org/workloadendpoints/'
const RAW_PREFIX = '/bench/raw/bgppeers/'

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ')

/** Runs a command to completion: wall ms, peak RSS (MiB, from /usr/bin/time), exit code, stdout bytes. */
function run(command, args, { env = {}, stdin } = {}) {
  const out = join(state, 'stdout')
  const rssFile = join(state, 'rss')
  const fd = openSync(out, 'w')
  const [cmd, argv] = TIME ? [TIME, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args]
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: [stdin === undefined ? 'ignore' : 'pipe', fd, 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    if (stdin !== undefined) child.stdin.end(stdin)
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      closeSync(fd)
      const bytes = statSync(out).size
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 2000)}`))
      const rss = TIME ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : NaN
      resolve({ ms, rss, bytes, stderr })
    })
  })
}

/** Alternates ours and the baseline `repeats` times (each after its `before`); medians of both. */
async function compare(repeats, ours, baseline) {
  const a = []
  const b = []
  for (let i = 0; i < repeats; i++) {
    await ours.before?.()
    a.push(await ours.run())
    await baseline.before?.()
    b.push(await baseline.run())
  }
  const pick = (runs) => ({ ms: median(runs.map((r) => r.ms)), rss: median(runs.map((r) => r.rss)), bytes: runs[0].bytes })
  return { ours: pick(a), base: pick(b) }
}

const rows = []
function row(r) {
  rows.push(r)
  const met = r.goal === undefined ? '' : r.met ? 'met' : 'NOT MET'
  console.log(`  ${r.name.padEnd(38)} ${r.store.padEnd(5)} ${r.ours.padStart(16)}  ${r.baseName.padEnd(34)} ${r.base.padStart(14)}  ${r.ratio.padStart(7)}  ${(r.goal ?? '').padEnd(8)} ${met}`)
}
const seconds = (ms) => `${(ms / 1000).toFixed(3)} s`
const mib = (mb) => `${mb.toFixed(0)} MB`

/** A row of two timings whose ratio (ours / baseline) has a ceiling. */
function timeRow(name, store, result, baseName, ceiling) {
  const ratio = result.ours.ms / result.base.ms
  row({ name, store, ours: seconds(result.ours.ms), baseName, base: seconds(result.base.ms), ratio: `${ratio.toFixed(2)}x`, goal: ceiling && `<= ${ceiling}x`, met: ratio <= ceiling })
}

const etcdDir = join(state, 'etcd')
let kube
try {
  console.log(`calicoctl-ts benchmark, ${new Date().toISOString()}, node ${process.version}, load average at start: ${load()}`)
  const endpoints = execFileSync('bash', [join(repo, 'scripts/etcd.sh'), 'start', '--dir', etcdDir], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()
  const etcdEnv = { ETCD_ENDPOINTS: endpoints, DATASTORE_TYPE: 'etcdv3', ETCDCTL_API: '3', ETCDCTL_ENDPOINTS: endpoints }
  const etcdctl = (...args) => execFileSync('etcdctl', args, { env: { ...process.env, ...etcdEnv }, stdio: ['ignore', 'ignore', 'inherit'] })
  const node = (...args) => ({ run: () => run(process.execPath, args) })
  const cli = (env, ...args) => ({ run: () => run(process.execPath, [CLI, ...args], { env }) })

  // A Kubernetes API server of the test suite's, in a process of its own.
  kube = spawn(process.execPath, [join(repo, 'bench/kube-server.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] })
  const kubeUrl = await new Promise((resolve, reject) => {
    kube.stdout.once('data', (d) => resolve(d.toString().trim()))
    kube.once('exit', (code) => reject(new Error(`kube-server exited ${code}`)))
  })
  const kddEnv = { DATASTORE_TYPE: 'kubernetes', K8S_API_ENDPOINT: kubeUrl, K8S_CLIENT_QPS: '-1' }

  const pool = 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: pool-1\nspec:\n  cidr: 10.1.0.0/16\n'
  for (const env of [etcdEnv, kddEnv]) await run(process.execPath, [CLI, 'apply', '-f', '-'], { env, stdin: pool })

  console.log(`\n  ${'what'.padEnd(38)} ${'store'.padEnd(5)} ${'ours'.padStart(16)}  ${'baseline'.padEnd(34)} ${''.padStart(14)}  ${'ratio'.padStart(7)}  goal`)
  timeRow('version --client', '-', await compare(STARTUP_REPEATS, cli({}, 'version', '--client'), node('-e', '0')), 'node -e 0', 1.8)
  timeRow('-h', '-', await compare(STARTUP_REPEATS, cli({}, '-h'), node('-e', '0')), 'node -e 0', 1.8)
  timeRow('get ippool (1 pool)', 'etcd', await compare(STARTUP_REPEATS, cli(etcdEnv, 'get', 'ippool'), node('-e', '0')), 'node -e 0', 2.5)
  const etcdctlPools = { run: () => run('etcdctl', ['get', '--prefix', '/calico/resources/v3/projectcalico.org/ippools/'], { env: etcdEnv }) }
  timeRow('get ippool (1 pool)', 'etcd', await compare(STARTUP_REPEATS, cli(etcdEnv, 'get', 'ippool'), etcdctlPools), 'etcdctl get --prefix')
  timeRow('get ippool (1 pool)', 'kdd', await compare(STARTUP_REPEATS, cli(kddEnv, 'get', 'ippool'), node('-e', '0')), 'node -e 0', 3)

  // apply: throughput against the raw client's, new and re-applied.
  const peers = Array.from({ length: APPLY_N }, (_, i) =>
    `apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: peer-${i}\nspec:\n  peerIP: 10.0.${(i >> 8) & 255}.${i & 255}\n  asNumber: 64512\n`).join('---\n')
  const peersFile = join(state, 'peers.yaml')
  writeFileSync(peersFile, peers)
  const raw = (mode) => ({ run: () => run(process.execPath, [join(repo, 'bench/raw-etcd.mjs'), mode, String(APPLY_N), RAW_PREFIX], { env: etcdEnv }) })
  const applyRow = (name, result) => {
    const ours = APPLY_N / (result.ours.ms / 1000)
    const base = APPLY_N / (result.base.ms / 1000)
    row({ name, store: 'etcd', ours: `${ours.toFixed(0)}/s ${mib(result.ours.rss)}`, baseName: 'raw etcd3 txns, 8 in flight', base: `${base.toFixed(0)}/s`, ratio: `${((100 * ours) / base).toFixed(0)}%`, goal: '>= 70%', met: ours / base >= 0.7 })
  }
  const created = await compare(
    REPEATS,
    { before: () => etcdctl('del', '--prefix', PEERS_PREFIX), run: () => run(process.execPath, [CLI, 'apply', '-f', peersFile], { env: etcdEnv }) },
    { before: () => etcdctl('del', '--prefix', RAW_PREFIX), run: raw('create').run },
  )
  applyRow(`apply -f ${APPLY_N} new BGPPeers`, created)
  applyRow(`apply -f the same ${APPLY_N} again`, await compare(REPEATS, cli(etcdEnv, 'apply', '-f', peersFile), raw('reapply')))
  etcdctl('del', '--prefix', PEERS_PREFIX)
  etcdctl('del', '--prefix', RAW_PREFIX)

  // Lists: grown in place to each size; the slope between sizes shows growth is linear.
  const slopes = new Map()
  let stored = 0
  for (const size of LIST_SIZES) {
    execFileSync(process.execPath, [join(repo, 'bench/raw-etcd.mjs'), 'weps', String(stored), String(size)], { env: { ...process.env, ...etcdEnv } })
    stored = size
    const etcdctlList = { run: () => run('etcdctl', ['get', '--prefix', WEPS_PREFIX, '-w', 'json'], { env: etcdEnv }) }
    for (const format of ['yaml', 'json', 'ps']) {
      const result = await compare(REPEATS, cli(etcdEnv, 'get', 'workloadendpoints', '-A', '-o', format), etcdctlList)
      const name = `get wep -A -o ${format} (${size / 1000}k, ${(result.ours.bytes / 2 ** 20).toFixed(0)} MB)`
      const ratio = result.ours.ms / result.base.ms
      const last = size === LIST_SIZES[LIST_SIZES.length - 1]
      row({
        name,
        store: 'etcd',
        ours: `${seconds(result.ours.ms)} ${mib(result.ours.rss)}`,
        baseName: 'etcdctl get --prefix -w json',
        base: `${seconds(result.base.ms)} ${mib(result.base.rss)}`,
        ratio: `${ratio.toFixed(2)}x`,
        goal: last ? '<= 3x, 300 MB' : undefined,
        met: ratio <= 3 && result.ours.rss <= 300,
      })
      slopes.set(format, [...(slopes.get(format) ?? []), { size, ms: result.ours.ms, rss: result.ours.rss }])
    }
  }
  if (LIST_SIZES.length > 1) {
    console.log('\n  growth between list sizes (per 1,000 endpoints): time, peak RSS')
    for (const [format, points] of slopes) {
      const parts = points.slice(1).map((p, i) => {
        const q = points[i]
        const k = (p.size - q.size) / 1000
        return `${q.size / 1000}k->${p.size / 1000}k: ${((p.ms - q.ms) / k).toFixed(1)} ms, ${((p.rss - q.rss) / k).toFixed(2)} MB`
      })
      console.log(`  -o ${format.padEnd(5)} ${parts.join('   ')}`)
    }
  }
  console.log(`\nload average at end: ${load()}; goals met: ${rows.filter((r) => r.goal && r.met).length} of ${rows.filter((r) => r.goal).length}`)
} finally {
  kube?.stdin.end()
  execFileSync('bash', [join(repo, 'scripts/etcd.sh'), 'stop', '--dir', etcdDir], { stdio: 'ignore' })
  rmSync(state, { recursive: true, force: true })
}
