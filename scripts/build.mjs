#!/usr/bin/env node
// build.mjs - `npm run build`: type-check, then bundle with esbuild into dist/.
//
// dist/main.js is the entry bin/run.js loads; every command is an entry of its own
// (dist/commands/**.js, which `oclif manifest` reads and main.js imports when the command runs);
// code they share sits in dist/chunks/. Dynamic imports (a datastore's client, a kind's module)
// become chunks loaded only when used, so a command loads what it runs and nothing else, from a
// handful of files instead of hundreds of node_modules files.
import { execFileSync } from 'node:child_process'
import { readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import protobuf from 'protobufjs'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(repo)

const commandFiles = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? commandFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))

/**
 * etcd3 parses its .proto files at run time with @grpc/proto-loader; the bundle gets the same
 * package definition built from a descriptor made here, at build time (src/datastore/etcd/grpc-definition.ts).
 */
const precompiledProtos = {
  name: 'etcd3-precompiled-protos',
  setup(b) {
    b.onResolve({ filter: /^@grpc\/proto-loader$/ }, (args) =>
      args.importer.includes(`${join('node_modules', 'etcd3')}`) ? { path: join(repo, 'src/datastore/etcd/grpc-definition.ts') } : undefined,
    )
  },
}

/** etcd3's .proto files as proto-loader reads them (field names kept), as protobufjs JSON. */
function etcdDescriptor() {
  const root = new protobuf.Root()
  root.loadSync(join(repo, 'node_modules/etcd3/proto/rpc.proto'), { keepCase: true })
  root.resolveAll()
  return JSON.stringify(root.toJSON())
}

rmSync('dist', { recursive: true, force: true })
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--noEmit'], { stdio: 'inherit' })
await build({
  entryPoints: ['src/main.ts', ...commandFiles('src/commands')],
  outdir: 'dist',
  outbase: 'src',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The Kubernetes client is loaded for kubeconfig plugins only, from node_modules as it ships.
  // oclif's Config may load TypeScript for plugins written in it: never here, so it stays out.
  external: ['@kubernetes/client-node', '@kubernetes/client-node/*', 'typescript', 'ts-node'],
  // CommonJS dependencies bundled into ES modules still call require() for Node's built-ins and
  // name __dirname (etcd3 for the .proto file the precompiled definition replaces).
  banner: {
    js: [
      "import { createRequire as __cjsRequire } from 'node:module';",
      "import { dirname as __cjsDirname } from 'node:path';",
      "import { fileURLToPath as __cjsPath } from 'node:url';",
      'const require = __cjsRequire(import.meta.url), __filename = __cjsPath(import.meta.url), __dirname = __cjsDirname(__filename);',
    ].join(' '),
  },
  plugins: [precompiledProtos],
  define: { ETCD_RPC_DESCRIPTOR: etcdDescriptor() },
  logLevel: 'warning',
})
execFileSync('npx', ['oclif', 'manifest', '.'], { stdio: ['ignore', 'inherit', 'inherit'] })
