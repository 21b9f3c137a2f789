#!/usr/bin/env node
// Runs the Kubernetes test API server (test/integration/kube-apiserver) in a process of its own for
// the benchmark: prints its URL on the first line of stdout and serves until stdin closes.
// The server is TypeScript that imports the project's sources: esbuild bundles it into the repo's
// .test-state/ (where node_modules resolve) first.
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const outfile = join(repo, '.test-state', `bench-kube-server-${process.pid}.mjs`)
mkdirSync(dirname(outfile), { recursive: true })
await build({
  entryPoints: [join(repo, 'test/integration/kube-apiserver/server.ts')],
  outfile,
  bundle: true,
  packages: 'external',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'error',
})
const { startKubeApiServer } = await import(pathToFileURL(outfile).href)
const server = await startKubeApiServer({})
process.stdout.write(`${server.url}\n`)
process.stdin.resume()
process.stdin.on('end', async () => {
  await server.close()
  const { rmSync } = await import('node:fs')
  rmSync(outfile, { force: true })
  process.exit(0)
})
