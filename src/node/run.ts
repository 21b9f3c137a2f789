import { spawn, spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { createInterface } from 'node:readline'
import { lookup } from 'node:dns/promises'
import { loadClientConfig } from '../datastore/config.js'
import { CommandError } from '../errors.js'
import { parseGoIp } from '../net/cidr.js'
import { parseASNumber } from '../resources/checks.js'
import { compilesAsGoRegexp } from '../resources/go-values.js'
import { requireRoot } from './root.js'
import { goSignalName, lookPath } from './run-tool.js'

/**
 * `calicoctl node run`: starts the calico/node container with docker, configured from the flags
 * and the etcd datastore of the client configuration, as calicoctl does (`--dryrun` prints the
 * command instead). Only etcd: on Kubernetes calico-node runs as a DaemonSet.
 */

export interface NodeRunOptions {
  ip: string
  ip6: string
  as: string
  name: string
  ipAutodetectionMethod: string
  ip6AutodetectionMethod: string
  logDir: string
  nodeImage: string
  backend: string
  config: string
  felixConfig: string
  dryrun: boolean
  initSystem: boolean
  noDefaultIpPools: boolean
  env: NodeJS.ProcessEnv
  out: (text: string) => void
  /** How long `docker logs` is followed for calico/node's start-up line. */
  logTimeoutMs?: number
}

const FIRST_FOUND = 'first-found'
/** Where the container finds the files given on the host. */
const IN_CONTAINER = {
  felixConfig: '/etc/calico/felix.cfg',
  etcdCa: '/etc/calico/certs/ca_cert.crt',
  etcdKey: '/etc/calico/certs/key.pem',
  etcdCert: '/etc/calico/certs/cert.crt',
}
const STARTED = 'Calico node started successfully'

const fail = (message: string): never => {
  throw new CommandError(`error executing command: ${message}`)
}

/** argutils' checks end the command at once, on stdout. */
function checkIp(text: string, flag: string, version: 4 | 6): void {
  if (text === '' || text === 'autodetect') return
  const ip = parseGoIp(text)
  if (!ip) throw new CommandError(`Error executing command: invalid IP address specified: ${text}`, 'stdout')
  if (ip.family !== version) fail(`--${flag} is wrong IP version`)
}

async function checkAutodetection(method: string, version: 4 | 6): Promise<void> {
  if (method === FIRST_FOUND) return
  if (method.startsWith('can-reach=')) {
    const host = method.slice('can-reach='.length)
    let addresses: Array<{ family: number }>
    try {
      addresses = await lookup(host, { all: true })
    } catch {
      return fail(`cannot resolve address specified for IP autodetection: ${host}`)
    }
    if (!addresses.some((a) => a.family === version)) fail(`address for IP autodetection does not resolve to an IPv${version} address: ${host}`)
    return
  }
  for (const prefix of ['interface=', 'skip-interface=']) {
    if (!method.startsWith(prefix)) continue
    const list = method.slice(prefix.length)
    // Upstream compiles the whole list for interface= (each entry for skip-interface=) and names the entry.
    for (const entry of list.split(',')) if (!compilesAsGoRegexp(prefix === 'interface=' ? list : entry)) fail(`invalid interface regex specified for IP autodetection: ${entry}`)
    return
  }
  fail(`invalid IP autodetection method: ${method}`)
}

/** The docker command line, with its environment in the order calicoctl fills it (Go's map order is random). */
export async function dockerCommand(o: NodeRunOptions): Promise<string[]> {
  checkIp(o.ip, 'ip', 4)
  checkIp(o.ip6, 'ip6', 6)
  let as = ''
  if (o.as !== '') {
    const n = parseASNumber(o.as)
    if (n === undefined) throw new CommandError(`Error executing command: invalid AS Number specified: ${o.as}`, 'stdout')
    as = String(n)
  }
  if (!/^(none|bird)$/.test(o.backend)) fail(`unknown backend '${o.backend}'`)
  await checkAutodetection(o.ipAutodetectionMethod, 4)
  await checkAutodetection(o.ip6AutodetectionMethod, 6)
  const name = o.name || hostname().trim().toLowerCase()
  if (!name) fail('unable to determine node name')

  let config
  try {
    config = loadClientConfig({ path: o.config, env: o.env })
  } catch (err) {
    // A -c file that does not exist has its own text (on stdout), as for every command.
    if (err instanceof CommandError && err.stream === 'stdout') throw err
    return fail('invalid config file')
  }
  if (config.datastoreType !== 'etcdv3') fail('unsupported backend specified in config')

  const env: Array<[string, string]> = [
    ['NODENAME', name],
    ['CALICO_NETWORKING_BACKEND', o.backend],
    // calico/node must not install the CNI plugin: this is not a Kubernetes node.
    ['CALICO_MANAGE_CNI', 'false'],
  ]
  if (o.noDefaultIpPools) env.push(['NO_DEFAULT_POOLS', 'true'])
  if (o.ipAutodetectionMethod !== FIRST_FOUND) env.push(['IP_AUTODETECTION_METHOD', o.ipAutodetectionMethod])
  if (o.ip6AutodetectionMethod !== FIRST_FOUND) env.push(['IP6_AUTODETECTION_METHOD', o.ip6AutodetectionMethod])
  if (as) env.push(['AS', as])
  if (o.ip) env.push(['IP', o.ip])
  if (o.ip6) env.push(['IP6', o.ip6])
  const volumes: Array<[string, string]> = [
    [o.logDir, '/var/log/calico'],
    ['/var/run/calico', '/var/run/calico'],
    ['/var/lib/calico', '/var/lib/calico'],
    ['/lib/modules', '/lib/modules'],
    ['/run', '/run'],
  ]
  if (o.felixConfig) volumes.push([o.felixConfig, IN_CONTAINER.felixConfig])
  env.push(['ETCD_ENDPOINTS', config.etcdEndpoints ?? ''], ['ETCD_DISCOVERY_SRV', config.etcdDiscoverySrv ?? ''])
  if (config.etcdCACertFile) {
    env.push(['ETCD_CA_CERT_FILE', IN_CONTAINER.etcdCa])
    volumes.push([config.etcdCACertFile, IN_CONTAINER.etcdCa])
  }
  if (config.etcdKeyFile && config.etcdCertFile) {
    env.push(['ETCD_KEY_FILE', IN_CONTAINER.etcdKey], ['ETCD_CERT_FILE', IN_CONTAINER.etcdCert])
    volumes.push([config.etcdKeyFile, IN_CONTAINER.etcdKey], [config.etcdCertFile, IN_CONTAINER.etcdCert])
  }
  return [
    'docker',
    'run',
    '--net=host',
    '--privileged',
    '--name=calico-node',
    ...(o.initSystem ? ['--rm'] : ['-d', '--restart=always']),
    ...env.flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    ...volumes.flatMap(([host, container]) => ['-v', `${host}:${container}`]),
    o.nodeImage,
  ]
}

/** The host settings calico/node needs, unless calicoctl itself runs in a container. */
function prepareHost(o: NodeRunOptions): void {
  o.out('Running command to load modules: modprobe -a xt_set ip6_tables\n')
  if (lookPath('modprobe', o.env)) spawnSync('modprobe', ['-a', 'xt_set', 'ip6_tables'], { env: o.env, stdio: 'ignore' })
  o.out('Enabling IPv4 forwarding\n')
  if (!writeProc('/proc/sys/net/ipv4/ip_forward', '1')) throw new CommandError('ERROR: Could not enable ipv4 forwarding')
  if (existsSync('/proc/sys/net/ipv6')) {
    o.out('Enabling IPv6 forwarding\n')
    if (!writeProc('/proc/sys/net/ipv6/conf/all/forwarding', '1')) throw new CommandError('ERROR: Could not enable ipv6 forwarding')
  }
  o.out('Increasing conntrack limit\n')
  if (!writeProc('/proc/sys/net/netfilter/nf_conntrack_max', '1000000')) o.out('WARNING: Could not set nf_conntrack_max. This may have an impact at scale.\n')
}

function writeProc(path: string, value: string): boolean {
  try {
    writeFileSync(path, value)
    return true
  } catch {
    return false
  }
}

export async function runNode(o: NodeRunOptions): Promise<void> {
  const command = await dockerCommand(o)
  const line = command.join(' ')
  if (o.dryrun) {
    o.out(`Use the following command to start the calico/node container:\n\n${line}\n\n`)
    o.out(
      o.initSystem
        ? 'Use the following command to stop the calico/node container:\n\ndocker stop calico-node\n\n'
        : 'If you are running calico/node in an init system, use the --init-system flag\nto display the appropriate start and stop commands.\n',
    )
    return
  }
  requireRoot()
  if (!o.env.CALICO_CTL_CONTAINER) prepareHost(o)
  o.out('Removing old calico-node container (if running).\n')
  if (lookPath('docker', o.env)) spawnSync('docker', ['rm', '-f', 'calico-node'], { env: o.env, stdio: 'ignore' })
  o.out(`Running the following command to start calico-node:\n\n${line}\n\nImage may take a short time to download if it is not available locally.\n`)
  const started = runDocker(command.slice(1), o.env)
  if (!started.ok) throw new CommandError(`Error executing command: ${started.error}\n${started.output.split('\n').map((l) => ` | ${l}\n`).join('')}`)
  o.out('Container started, checking progress logs.\n\n')
  await followLogs(o)
}

/** `docker run`, its output combined as Go's CombinedOutput gives it. */
function runDocker(args: string[], env: NodeJS.ProcessEnv): { ok: true } | { ok: false; error: string; output: string } {
  if (!lookPath('docker', env)) return { ok: false, error: 'exec: "docker": executable file not found in $PATH', output: '' }
  const result = spawnSync('docker', args, { env, encoding: 'utf8' })
  if (result.status === 0) return { ok: true }
  return { ok: false, error: result.signal ? `signal: ${goSignalName(result.signal)}` : `exit status ${result.status}`, output: `${result.stdout ?? ''}${result.stderr ?? ''}` }
}

/** Prints calico/node's log until it says it started, for up to 10 s. */
async function followLogs(o: NodeRunOptions): Promise<void> {
  const logs = spawn('docker', ['logs', '--follow', 'calico-node'], { env: o.env, stdio: ['ignore', 'pipe', 'ignore'] })
  const timer = setTimeout(() => logs.kill('SIGKILL'), o.logTimeoutMs ?? 10_000)
  let started = false
  try {
    for await (const text of createInterface({ input: logs.stdout })) {
      o.out(`${text}\n`)
      if (text === STARTED) {
        started = true
        break
      }
    }
  } finally {
    clearTimeout(timer)
    logs.kill('SIGKILL')
  }
  if (!started) fail('calico/node has terminated, check logs for details')
}
