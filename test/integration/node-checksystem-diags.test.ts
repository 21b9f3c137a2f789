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

  const args = (cniBin: string): string[] => {
    const host = join(scratch, 'host')
    return ['node', 'checksystem', '--proc-dir', `${host}/proc`, '--sys-dir', `${host}/sys`, '--modules-dir', `${host}/lib/modules`,
      '-f', `${host}/boot/config`, '--cni-conf-dir', `${host}/etc/cni/net.d`, '--cni-bin-dir', cniBin]
  }

  it('passes a host that has everything', async () => {
    const { stdout, stderr, code } = await runCli(args(join(scratch, 'host/opt/cni/bin')))
    expect({ stderr, code }).toEqual({ stderr: '', code: 0 })
    expect(stdout).toContain(`Checking kernel version...\n\t\t${release}      \t\t\t\t\tOK\nChecking kernel modules...\n\t\tip_set              \t\t\t\t\tOK\n`)
    expect(stdout).toContain('WARNING: Unable to detect optional module/feature xt_bpf; continuing\n\t\txt_bpf              \t\t\t\t\tSKIP\n')
    expect(stdout.endsWith('\t\tloopback            \t\t\t\t\tOK\nSystem meets minimum system requirements to run Calico!\n')).toBe(true)
  })

  it('exits 1 when a plugin is missing', async () => {
    const bin = join(scratch, 'empty-bin')
    mkdirSync(bin)
    const { stdout, stderr, code } = await runCli(args(bin))
    expect(stdout).toContain(`WARNING: CNI plugin calico not found in ${bin}\n\t\tcalico              \t\t\t\t\tFAIL\n`)
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
      expect(stdout).toContain('Failed to run command: iptables-save -c\nError: exec: "iptables-save": executable file not found in $PATH\n')
      expect(stdout).toContain('\nNot collected:\n  date: date not installed\n')
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
