#!/usr/bin/env node
// Speed of `calicoctl apply` on the Kubernetes datastore: N BGPPeers against the Kubernetes test API
// server (test/integration/kube-apiserver) with an artificial latency on every request, written
// one at a time (upstream's order of work) and with calicoctl-ts's concurrent path, measured in the
// same run on the same machine:
//   create:    apply of N new peers          (POST per peer)
//   re-apply:  apply of the same N again     (POST 409, then read and PUT per peer)
// Both paths use the same client rate limit (default: none, to measure the concurrency itself).
// The line after the table estimates upstream, whose client waits behind 5 requests/s (burst 100).
//
// Usage: node bench/kdd-apply.mjs [N=300] [latency ms=10] [repeats=3] [K8S_CLIENT_QPS=-1]
//        (run `npm run build` first)
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import ts from 'typescript'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const count = Number(process.argv[2] ?? 300)
const latencyMs = Number(process.argv[3] ?? 10)
const repeats = Number(process.argv[4] ?? 3)
const qps = Number(process.argv[5] ?? -1)
const UPSTREAM_QPS = 5
const UPSTREAM_BURST = 100

if (!existsSync(join(repo, 'dist/crud/modify.js'))) {
  console.error('kdd-apply: dist/ is missing: run `npm run build` first')
  process.exit(1)
}

/** The test API server is TypeScript: transpile its folder (types only stripped) into the scratch dir. */
function loadTestServer(into) {
  const source = join(repo, 'test/integration/kube-apiserver')
  for (const file of readdirSync(source).filter((f) => f.endsWith('.ts'))) {
    const { outputText } = ts.transpileModule(readFileSync(join(source, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    })
    writeFileSync(join(into, file.replace(/\.ts$/, '.js')), outputText)
  }
  return import(pathToFileURL(join(into, 'server.js')).href)
}

const median = (samples) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]

const state = mkdtempSync(join(tmpdir(), 'calicoctl-kdd-bench-'))
let server
try {
  // The scratch dir needs package.json type=module so the transpiled files load as ES modules.
  writeFileSync(join(state, 'package.json'), '{"type":"module"}')
  const { startKubeApiServer } = await loadTestServer(state)
  const { runModify } = await import(pathToFileURL(join(repo, 'dist/crud/modify.js')).href)
  server = await startKubeApiServer({ latencyMs })

  const peers = Array.from({ length: count }, (_, i) =>
    `apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: peer-${i}\nspec:\n  peerIP: 10.${i >> 16}.${(i >> 8) & 255}.${i & 255}\n  asNumber: 64512\n`).join('---\n')
  const file = join(state, 'peers.yaml')
  writeFileSync(file, peers)
  const config = join(state, 'calicoctl.cfg')
  writeFileSync(config, `apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nspec:\n  datastoreType: kubernetes\n  k8sAPIEndpoint: ${server.url}\n  k8sClientQPS: ${qps}\n`)

  /** One timed apply; `fresh` empties the store first. Returns ms and the requests it made. */
  async function apply(parallelism, fresh) {
    if (fresh) server.store.clear()
    server.resetStats()
    const started = performance.now()
    const report = await runModify('apply', { filename: file, config, parallelism })
    const ms = performance.now() - started
    if (report.error || report.stdout[0] !== `Successfully applied ${count} 'BGPPeer' resource(s)`) throw new Error(`apply failed: ${report.error ?? report.stdout}`)
    return { ms, requests: server.requests.length }
  }

  async function measure(parallelism, fresh) {
    const runs = []
    for (let i = 0; i < repeats; i++) {
      if (!fresh) await apply(parallelism, true)
      runs.push(await apply(parallelism, fresh))
    }
    return { ms: median(runs.map((r) => r.ms)), requests: runs[0].requests }
  }

  console.log(`calicoctl-ts KDD apply: N=${count} BGPPeers, ${latencyMs} ms per request, K8S_CLIENT_QPS=${qps}, median of ${repeats}`)
  for (const [name, fresh] of [['create', true], ['re-apply', false]]) {
    const sequential = await measure(1, fresh)
    const concurrent = await measure(undefined, fresh)
    console.log(
      `${name.padEnd(9)} sequential ${sequential.ms.toFixed(0).padStart(7)} ms   concurrent ${concurrent.ms.toFixed(0).padStart(6)} ms` +
        `   speed-up ${(sequential.ms / concurrent.ms).toFixed(2)}x   (${concurrent.requests} requests)`,
    )
    const upstream = Math.max(0, sequential.requests - UPSTREAM_BURST) / UPSTREAM_QPS
    console.log(`${''.padEnd(9)} upstream at ${UPSTREAM_QPS} requests/s (burst ${UPSTREAM_BURST}): about ${upstream.toFixed(0)} s plus latency`)
  }
} finally {
  await server?.close()
  rmSync(state, { recursive: true, force: true })
}
