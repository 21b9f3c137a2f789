/**
 * `calicoctl node run` through the built CLI: the docker command it prints with --dryrun, its
 * refusals, and the run itself. No container runtime can be installed here, so the run is checked
 * against a stand-in `docker` on PATH that records its arguments and plays calico/node's log; the
 * host settings (modules, forwarding, conntrack) are skipped with CALICO_CTL_CONTAINER, as
 * calicoctl does inside a container, so that the test machine is left alone.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, writeTempFile } from './helpers.js'

const etcdTls = () =>
  writeTempFile(
    'node-run.cfg',
    'apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nmetadata: {}\nspec:\n  datastoreType: etcdv3\n  etcdEndpoints: https://10.0.0.1:2379\n' +
      '  etcdCACertFile: /etc/calico/ca.pem\n  etcdCertFile: /etc/calico/cert.pem\n  etcdKeyFile: /etc/calico/key.pem\n',
  )
const BASE =
  'docker run --net=host --privileged --name=calico-node -d --restart=always -e NODENAME=n1 -e CALICO_NETWORKING_BACKEND=bird -e CALICO_MANAGE_CNI=false'
const ETCD_ENV =
  '-e ETCD_ENDPOINTS=https://10.0.0.1:2379 -e ETCD_DISCOVERY_SRV= -e ETCD_CA_CERT_FILE=/etc/calico/certs/ca_cert.crt -e ETCD_KEY_FILE=/etc/calico/certs/key.pem -e ETCD_CERT_FILE=/etc/calico/certs/cert.crt'
const VOLUMES =
  '-v /var/log/calico:/var/log/calico -v /var/run/calico:/var/run/calico -v /var/lib/calico:/var/lib/calico -v /lib/modules:/lib/modules -v /run:/run ' +
  '-v /etc/calico/ca.pem:/etc/calico/certs/ca_cert.crt -v /etc/calico/key.pem:/etc/calico/certs/key.pem -v /etc/calico/cert.pem:/etc/calico/certs/cert.crt'
const IMAGE = 'quay.io/calico/node:latest'

/** A stand-in docker in a directory of its own: logs each call, then `run` exits as $RUN_EXIT says and `logs` prints $LOG_LINES. */
function fakeDocker(): { path: string; calls: () => string[] } {
  const bin = mkdtempSync(join(dirname(writeTempFile('node-run-marker', '')), 'docker-'))
  const script = join(bin, 'docker')
  writeFileSync(
    script,
    '#!/bin/sh\necho "$*" >> "$(dirname "$0")/calls"\n' +
      'case "$1" in\n  run) echo "$RUN_OUTPUT"; exit "${RUN_EXIT:-0}" ;;\n  logs) printf "%b" "$LOG_LINES"; exit 0 ;;\nesac\n',
  )
  chmodSync(script, 0o755)
  return { path: `${bin}:/usr/bin:/bin`, calls: () => readFileSync(join(bin, 'calls'), 'utf8').trim().split('\n') }
}

describe('node run', () => {
  it('prints the docker command with --dryrun: environment and volumes from the flags and the etcd configuration', async () => {
    const cfg = etcdTls()
    expect(await runCli(['node', 'run', '--dryrun', '-c', cfg, '--name', 'n1', '--ip', '10.0.0.5', '--as', '1.10', '--ip6-autodetection-method', 'interface=eth.*', '--no-default-ippools'])).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'Use the following command to start the calico/node container:\n\n' +
        // asdot 1.10 is written as the plain number calico/node reads.
        `${BASE} -e NO_DEFAULT_POOLS=true -e IP6_AUTODETECTION_METHOD=interface=eth.* -e AS=65546 -e IP=10.0.0.5 ${ETCD_ENV} ${VOLUMES} ${IMAGE}\n\n` +
        'If you are running calico/node in an init system, use the --init-system flag\nto display the appropriate start and stop commands.\n',
    })
    const init = await runCli(['node', 'run', '--dryrun', '--init-system', '-c', cfg, '--name', 'n1', '--felix-config', '/etc/felix.cfg', '--node-image', 'calico/node:v3.31.0'])
    expect(init.stdout).toBe(
      'Use the following command to start the calico/node container:\n\n' +
        `${BASE.replace('-d --restart=always', '--rm')} ${ETCD_ENV} ${VOLUMES.replace('-v /etc/calico/ca.pem', '-v /etc/felix.cfg:/etc/calico/felix.cfg -v /etc/calico/ca.pem')} calico/node:v3.31.0\n\n` +
        'Use the following command to stop the calico/node container:\n\ndocker stop calico-node\n\n',
    )
  })

  it.each([
    [['--ip', '10.0.0.300'], 1, 'Error executing command: invalid IP address specified: 10.0.0.300\n', ''],
    [['--ip', 'fd00::1'], 1, '', 'error executing command: --ip is wrong IP version\n'],
    // An IPv4-mapped IPv6 address is an IPv4 address to Calico.
    [['--ip6', '::ffff:10.0.0.1'], 1, '', 'error executing command: --ip6 is wrong IP version\n'],
    [['--as', '64512x'], 1, 'Error executing command: invalid AS Number specified: 64512x\n', ''],
    [['--backend', 'gobgp'], 1, '', "error executing command: unknown backend 'gobgp'\n"],
    [['--ip-autodetection-method', 'nearest'], 1, '', 'error executing command: invalid IP autodetection method: nearest\n'],
    [['--ip-autodetection-method', 'skip-interface=eth0,veth('], 1, '', 'error executing command: invalid interface regex specified for IP autodetection: veth(\n'],
    [['--ip6-autodetection-method', 'can-reach=127.0.0.1'], 1, '', 'error executing command: address for IP autodetection does not resolve to an IPv6 address: 127.0.0.1\n'],
  ])('refuses %j with upstream text', async (args, code, stdout, stderr) => {
    expect(await runCli(['node', 'run', '--dryrun', '-c', etcdTls(), '--name', 'n1', ...args])).toEqual({ code, stdout, stderr })
  })

  it('runs only against etcd, and says when the configuration cannot be read', async () => {
    const kdd = writeTempFile('kdd.cfg', 'apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nmetadata: {}\nspec:\n  datastoreType: kubernetes\n')
    expect(await runCli(['node', 'run', '--dryrun', '-c', kdd, '--name', 'n1'])).toEqual({ code: 1, stdout: '', stderr: 'error executing command: unsupported backend specified in config\n' })
    const missing = join(dirname(kdd), 'missing.cfg')
    expect(await runCli(['node', 'run', '--dryrun', '-c', missing])).toEqual({ code: 1, stdout: `Error reading config file: ${missing}\n`, stderr: '' })
  })

  // The run itself needs root, as upstream's; --dryrun does not.
  const root = process.getuid?.() === 0

  it.runIf(root)('starts the container and follows its log until calico/node says it started', async () => {
    const docker = fakeDocker()
    const r = await runCli(['node', 'run', '-c', etcdTls(), '--name', 'n1'], {
      env: { PATH: docker.path, CALICO_CTL_CONTAINER: '1', LOG_LINES: 'Starting\\nCalico node started successfully\\nnot printed\\n' },
    })
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'Removing old calico-node container (if running).\nRunning the following command to start calico-node:\n\n' +
        `${BASE} ${ETCD_ENV} ${VOLUMES} ${IMAGE}\n\n` +
        'Image may take a short time to download if it is not available locally.\nContainer started, checking progress logs.\n\nStarting\nCalico node started successfully\n',
    })
    expect(docker.calls()).toEqual(['rm -f calico-node', `${BASE.slice('docker '.length)} ${ETCD_ENV} ${VOLUMES} ${IMAGE}`, 'logs --follow calico-node'])
  })

  it.runIf(root)('fails when calico/node stops before saying it started, or docker cannot run it', async () => {
    const docker = fakeDocker()
    const env = { PATH: docker.path, CALICO_CTL_CONTAINER: '1' }
    const ended = await runCli(['node', 'run', '-c', etcdTls(), '--name', 'n1'], { env: { ...env, LOG_LINES: 'Starting\\nfelix: fatal\\n' } })
    expect(ended).toMatchObject({ code: 1, stderr: 'error executing command: calico/node has terminated, check logs for details\n' })
    expect(ended.stdout.endsWith('Container started, checking progress logs.\n\nStarting\nfelix: fatal\n')).toBe(true)

    const refused = await runCli(['node', 'run', '-c', etcdTls(), '--name', 'n1'], { env: { ...env, RUN_EXIT: '125', RUN_OUTPUT: 'docker: Error response from daemon: Conflict.' } })
    expect(refused).toMatchObject({ code: 1, stderr: 'Error executing command: exit status 125\n | docker: Error response from daemon: Conflict.\n | \n\n' })

    const noDocker = await runCli(['node', 'run', '-c', etcdTls(), '--name', 'n1'], { env: { PATH: '/nonexistent', CALICO_CTL_CONTAINER: '1' } })
    expect(noDocker).toMatchObject({ code: 1, stderr: 'Error executing command: exec: "docker": executable file not found in $PATH\n | \n\n' })
  })
})
