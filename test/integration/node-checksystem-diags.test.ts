import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from './helpers.js'

/** `node checksystem` and `node diags` through the built binary, on fake host trees. */

// Both refuse every user but root, as upstream's do (node-status.test.ts tests the refusal).
const asRoot = process.getuid?.() === 0

const scratch = mkdtempSync(join(tmpdir(), 'node-cmds-it-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function write(path: string, text: string, mode = 0o644): void {
  mkdirSync(dirname(join(scratch, path)), { recursive: true })
  writeFileSync(join(scratch, path), text)
  chmodSync(join(scratch, path), mode)
}

describe.skipIf(!asRoot)('node checksystem', () => {
  const release = '6.1.0-18-amd64'
  write('host/proc/sys/kernel/osrelease', `${release}\n`)
  write('host/proc/modules', 'ip_set 61440 1 xt_set, Live 0x0\n')
  mkdirSync(join(scratch, 'host/sys/module/ip_tables'), { recursive: true })
  write(`host/lib/modules/${release}/modules.dep`, 'kernel/net/netfilter/xt_set.ko.xz: kernel/net/netfilter/ipset/ip_set.ko.xz\n')
  write(`host/lib/modules/${release}/modules.builtin`, '')
  const config = [
    'CONFIG_NETFILTER_XT_MATCH_IPVS=m',
    'CONFIG_VFIO=m',
    'CONFIG_NETFILTER_XT_TARGET_REJECT=m',
    'CONFIG_NETFILTER_XT_MATCH_RPFILTER=m',
    'CONFIG_NF_CT_NETLINK=m',
    'CONFIG_NETFILTER_XT_MATCH_ADDRTYPE=m',
    'CONFIG_NETFILTER_XT_MATCH_CONNTRACK=m',
    'CONFIG_NETFILTER_XT_MARK=m',
    'CONFIG_NETFILTER_XT_MATCH_MULTIPORT=m',
  ]
  write('host/boot/config', `${config.join('\n')}\n`)
  write('host/etc/cni/net.d/10-calico.conflist', JSON.stringify({ plugins: [{ type: 'calico', ipam: { type: 'calico-ipam' } }, { type: 'portmap' }] }))
  for (const plugin of ['calico', 'calico-ipam', 'portmap', 'loopback']) write(`host/opt/cni/bin/${plugin}`, '#!/bin/sh\n', 0o755)

  // calicoctl needs lsmod on PATH (upstream runs it); the modules themselves come from host/proc.
  write('checksystem-tools/lsmod', '#!/bin/sh\n', 0o755)
  const env = { PATH: join(scratch, 'checksystem-tools') }
  const host = join(scratch, 'host')
  const kernelArgs = ['node', 'checksystem', '--proc-dir', `${host}/proc`, '--sys-dir', `${host}/sys`, '--modules-dir', `${host}/lib/modules`, '-f', `${host}/boot/config`]
  const cniArgs = (confDir: string, binDir: string): string[] => ['--cni-conf-dir', confDir, '--cni-bin-dir', binDir]
  const result = (value: string, outcome: string): string => `\t\t${value.padEnd(20)}\t\t\t\t\t${outcome}\n`
  const heading = '\nCNI checks (reported only; --require-cni makes them part of the result):\n'

  it('passes a host that has everything, reporting the CNI checks after the verdict', async () => {
    const { stdout, stderr, code } = await runCli([...kernelArgs, ...cniArgs(`${host}/etc/cni/net.d`, `${host}/opt/cni/bin`)], { env })
    expect({ stderr, code }).toEqual({ stderr: '', code: 0 })
    expect(stdout).toContain(`Checking kernel version...\n${result(release, 'OK')}Checking kernel modules...\n${result('ip_set', 'OK')}`)
    expect(stdout).toContain(`WARNING: Unable to detect optional module/feature xt_bpf; continuing\n${result('xt_bpf', 'SKIP')}`)
    expect(stdout).toContain(
      `${result('xt_set', 'OK')}WARNING: Unable to detect optional module/feature xt_u32; continuing\n${result('xt_u32', 'SKIP')}` +
        'System meets minimum system requirements to run Calico!\n' +
        `${heading}Checking CNI config...\n${result('10-calico.conflist', 'OK')}Checking CNI plugins...\n` +
        ['calico', 'calico-ipam', 'portmap', 'loopback'].map((p) => result(p, 'OK')).join(''),
    )
    expect(stdout.endsWith(result('loopback', 'OK'))).toBe(true)
  })

  it('passes an etcd host without /etc/cni/net.d, as upstream, and says what the CNI checks found', async () => {
    const confDir = join(scratch, 'no-net.d')
    const { stdout, stderr, code } = await runCli([...kernelArgs, ...cniArgs(confDir, `${host}/opt/cni/bin`)], { env })
    expect({ stderr, code }).toEqual({ stderr: '', code: 0 })
    expect(stdout).toContain(
      `System meets minimum system requirements to run Calico!\n${heading}Checking CNI config...\n` +
        `WARNING: Unable to read CNI config directory: open ${confDir}: no such file or directory\n${result(confDir, 'FAIL')}`,
    )
  })

  it('fails on a missing CNI plugin with --require-cni', async () => {
    const bin = join(scratch, 'empty-bin')
    mkdirSync(bin)
    const args = [...kernelArgs, ...cniArgs(`${host}/etc/cni/net.d`, bin)]
    expect((await runCli(args, { env })).code).toBe(0)
    const { stdout, stderr, code } = await runCli([...args, '--require-cni'], { env })
    expect(stdout).toContain(`${result('xt_u32', 'SKIP')}Checking CNI config...\n${result('10-calico.conflist', 'OK')}Checking CNI plugins...\nWARNING: CNI plugin calico not found in ${bin}\n${result('calico', 'FAIL')}`)
    expect(stdout).not.toContain('System meets')
    expect({ stderr, code }).toEqual({ stderr: "system doesn't meet one or more minimum systems requirements to run Calico\n", code: 1 })
  })

  it('fails on a missing kernel module whatever the CNI checks find', async () => {
    const { stdout, stderr, code } = await runCli(['node', 'checksystem', '--proc-dir', `${host}/proc`, '--sys-dir', `${host}/sys`, '--modules-dir', `${host}/lib/modules`, '-f', join(scratch, 'no-config'), ...cniArgs(`${host}/etc/cni/net.d`, `${host}/opt/cni/bin`)], { env })
    expect(stdout).toContain(`WARNING: Unable to detect the ipt_ipvs module as Loaded/Builtin module or lsmod\n${result('ipt_ipvs', 'FAIL')}`)
    expect(stdout).toContain(`${heading}Checking CNI config...\n${result('10-calico.conflist', 'OK')}`)
    expect({ stderr, code }).toEqual({ stderr: "system doesn't meet one or more minimum systems requirements to run Calico\n", code: 1 })
  })
})

describe.skipIf(!asRoot)('node diags', () => {
  it('writes a .tar.gz in $TMPDIR with what it could collect', async () => {
    const tools = join(scratch, 'tools')
    mkdirSync(tools)
    for (const real of ['tar', 'gzip']) symlinkSync(execFileSync('sh', ['-c', `command -v ${real}`], { encoding: 'utf8' }).trim(), join(tools, real))
    write('tools/ip', '#!/bin/sh\necho "10.0.0.0/24 dev eth0"\n', 0o755)
    write('logs/bird/current', 'bird: Started\n')
    write('net.d/10-calico.conflist', '{}')
    const reply = '0001 BIRD 1.6.8 ready.\n2002-name     proto    table    state  since       info\n0000 \n'
    const socket = join(scratch, 'bird.ctl')
    const bird = net.createServer((s) => s.once('data', () => s.write(reply)))
    await new Promise<void>((resolve) => bird.listen(socket, resolve))
    mkdirSync(join(scratch, 'tmp'))
    try {
      const { stdout, stderr, code } = await runCli(
        ['node', 'diags', '--log-dir', join(scratch, 'logs'), '--cni-conf-dir', join(scratch, 'net.d'), '--cni-bin-dir', join(scratch, 'no-bin'), '--bird-socket', socket],
        { env: { PATH: tools, TMPDIR: join(scratch, 'tmp'), CALICO_BIRD6_SOCKET: join(scratch, 'none6.ctl') } },
      )
      expect({ stderr, code }).toEqual({ stderr: '', code: 0 })
      expect(stdout).toMatch(/^Collecting diagnostics\nUsing temp dir: .*\nSkipping container ipset dump: no supported container runtime found in PATH \(tried docker, nerdctl, crictl\)\n/)
      expect(stdout).toContain('Failed to run command: iptables-save -c\nError: \n')
      expect(stdout).toContain('\nNot collected:\n  ipset_container: no supported container runtime found in PATH (tried docker, nerdctl, crictl)\n  date: date not installed\n')
      expect(stdout).toContain('\n  nft_ruleset: nft not installed\n')
      const archive = /\nDiags saved to (\S+)\n/.exec(stdout)?.[1] ?? ''
      expect(archive).toMatch(new RegExp(`^${scratch}/tmp/calico\\w+/diags-\\d{8}_\\d{6}\\.tar\\.gz$`))
      const files = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).trim().split('\n').sort()
      expect(files).toEqual(expect.arrayContaining(['diagnostics/ipv4_route', 'diagnostics/bird_protocols', 'diagnostics/cni/net.d/10-calico.conflist', 'diagnostics/logs/bird/current']))
      expect(files).not.toContain('diagnostics/bird6_protocols')
      expect(execFileSync('tar', ['-xzOf', archive, 'diagnostics/bird_protocols'], { encoding: 'utf8' })).toBe(reply)
    } finally {
      bird.close()
    }
  })
})
