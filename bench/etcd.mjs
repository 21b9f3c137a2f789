#!/usr/bin/env node
// Speed of calicoctl-ts against a throwaway local etcd, as ratios against baselines measured in
// the same run on the same machine:
//   start-up:  `calicoctl version --client`            vs  `node -e 0`
//   list:      `calicoctl get bgppeers -o yaml` (N)     vs  `etcdctl get --prefix -w json` of the same keys
//   apply:     `calicoctl apply -f` of N new peers     vs  N sequential puts with the raw etcd3 client
//                                                         (the floor: same library, same round trips)
// Usage: node bench/etcd.mjs [N=1000] [repeats=3]     (run `npm run build` first)
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const count = Number(process.argv[2] ?? 1000)
const repeats = Number(process.argv[3] ?? 3)
const state = mkdtempSync(join(tmpdir(), 'calicoctl-bench-'))
const etcdDir = join(state, 'etcd')

function time(label, command, args, input) {
  const samples = []
  for (let i = 0; i < repeats; i++) {
    const started = process.hrtime.bigint()
    const r = spawnSync(command, args, { input, env: { ...process.env, ...env }, maxBuffer: 1 << 30 })
    if (r.status !== 0) throw new Error(`${label} failed: ${r.stderr}`)
    samples.push(Number(process.hrtime.bigint() - started) / 1e6)
  }
  samples.sort((a, b) => a - b)
  return samples[Math.floor(samples.length / 2)]
}

function report(name, ours, baseline, baselineName) {
  console.log(`${name.padEnd(10)} ours ${ours.toFixed(0).padStart(6)} ms   ${baselineName.padEnd(34)} ${baseline.toFixed(0).padStart(6)} ms   ratio ${(ours / baseline).toFixed(2)}`)
}

let env = {}
try {
  const endpoints = execFileSync('bash', [join(repo, 'scripts/etcd.sh'), 'start', '--dir', etcdDir], { stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim()
  env = { ETCD_ENDPOINTS: endpoints, DATASTORE_TYPE: 'etcdv3', ETCDCTL_API: '3', ETCDCTL_ENDPOINTS: endpoints }
  const cli = ['bin/run.js']
  process.chdir(repo)
  console.log(`calicoctl-ts benchmark: N=${count}, median of ${repeats}, etcd at ${endpoints}`)

  report('start-up', time('version', 'node', [...cli, 'version', '--client']), time('node', 'node', ['-e', '0']), 'node -e 0')

  const peers = Array.from({ length: count }, (_, i) =>
    `apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: peer-${i}\nspec:\n  peerIP: 10.${i >> 16}.${(i >> 8) & 255}.${i & 255}\n  asNumber: 64512\n`).join('---\n')
  const file = join(state, 'peers.yaml')
  writeFileSync(file, peers)
  const rawPuts = `import('etcd3').then(async ({ Etcd3 }) => {
    const client = new Etcd3({ hosts: process.env.ETCD_ENDPOINTS.split(',') })
    for (let i = 0; i < ${count}; i++) await client.put('/bench/raw/peer-' + i).value(JSON.stringify({ spec: { peerIP: '10.0.0.1' } }))
    client.close()
  })`
  const applyBase = time('raw puts', 'node', ['--input-type=module', '-e', rawPuts])
  // Each timed apply must create: start every repeat from an empty store.
  const applyOurs = time('apply', 'bash', ['-c', `etcdctl del --prefix /calico/ >/dev/null && node bin/run.js apply -f ${file}`])
  report('apply', applyOurs, applyBase, `${count} puts with etcd3 (one process)`)

  const listOurs = time('get', 'node', [...cli, 'get', 'bgppeers', '-o', 'yaml'])
  const listBase = time('etcdctl get', 'etcdctl', ['get', '--prefix', '/calico/resources/v3/projectcalico.org/bgppeers/', '-w', 'json'])
  report('list', listOurs, listBase, `etcdctl get --prefix (${count} keys)`)
  const json = JSON.parse(spawnSync('node', [...cli, 'get', 'bgppeers', '-o', 'json'], { env: { ...process.env, ...env }, maxBuffer: 1 << 30 }).stdout)
  if (json.items.length !== count) throw new Error(`listed ${json.items.length} peers, expected ${count}`)
} finally {
  spawnSync('bash', [join(repo, 'scripts/etcd.sh'), 'stop', '--dir', etcdDir], { stdio: 'ignore' })
  rmSync(state, { recursive: true, force: true })
}
