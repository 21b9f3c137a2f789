import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { checkSystem, type SystemCheckOptions } from '../../src/node/checksystem.js'
import { findKernelConfig, versionAtLeast } from '../../src/node/kernel-checks.js'

const scratch = mkdtempSync(join(tmpdir(), 'checksystem-unit-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const RELEASE = '5.15.0-91-generic'
const CALICO_CONFLIST = JSON.stringify({
  name: 'k8s-pod-network',
  cniVersion: '0.3.1',
  plugins: [{ type: 'calico', ipam: { type: 'calico-ipam' } }, { type: 'bandwidth' }, { type: 'portmap' }],
})

interface HostSpec {
  release?: string
  /** /proc/modules lines by module name; undefined = kernel without module support. */
  loaded?: string[]
  sysModules?: string[]
  modulesDep?: string
  modulesBuiltin?: string
  kernelConfig?: string
  plugins?: Record<string, number>
  cniConfigs?: Record<string, string>
}

// calicoctl runs lsmod; we read /proc/modules but need lsmod on PATH as it does.
const toolsWithLsmod = join(scratch, 'tools-lsmod')
mkdirSync(toolsWithLsmod)
writeFileSync(join(toolsWithLsmod, 'lsmod'), '#!/bin/sh\n')
chmodSync(join(toolsWithLsmod, 'lsmod'), 0o755)

let hosts = 0
/** A fake host: proc, sys, lib/modules, kernel config and the CNI dirs under one temp root. */
function host(spec: HostSpec, requireCni = false): SystemCheckOptions {
  const root = join(scratch, `host${hosts++}`)
  const write = (path: string, text: string | Buffer, mode = 0o644): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
    chmodSync(join(root, path), mode)
  }
  const release = spec.release ?? RELEASE
  write('proc/sys/kernel/osrelease', `${release}\n`)
  if (spec.loaded) write('proc/modules', spec.loaded.map((m) => `${m} 16384 0 - Live 0x0000000000000000\n`).join(''))
  for (const m of spec.sysModules ?? []) mkdirSync(join(root, 'sys/module', m), { recursive: true })
  mkdirSync(join(root, 'sys/module'), { recursive: true })
  write(`lib/modules/${release}/modules.dep`, spec.modulesDep ?? '')
  write(`lib/modules/${release}/modules.builtin`, spec.modulesBuiltin ?? '')
  if (spec.kernelConfig !== undefined) write('boot/config', spec.kernelConfig)
  mkdirSync(join(root, 'opt/cni/bin'), { recursive: true })
  for (const [name, mode] of Object.entries(spec.plugins ?? { calico: 0o755, 'calico-ipam': 0o755, bandwidth: 0o755, portmap: 0o755, loopback: 0o755 })) {
    write(`opt/cni/bin/${name}`, '#!/bin/sh\n', mode)
  }
  mkdirSync(join(root, 'etc/cni/net.d'), { recursive: true })
  for (const [name, text] of Object.entries(spec.cniConfigs ?? { '10-calico.conflist': CALICO_CONFLIST })) write(`etc/cni/net.d/${name}`, text)
  return {
    procDir: join(root, 'proc'),
    sysDir: join(root, 'sys'),
    modulesDir: join(root, 'lib/modules'),
    kernelConfig: join(root, 'boot/config'),
    env: { PATH: toolsWithLsmod },
    cni: { binDir: join(root, 'opt/cni/bin'), confDir: join(root, 'etc/cni/net.d') },
    requireCni,
  }
}

const line = (value: string, result: string): string => `\t\t${value.padEnd(20)}\t\t\t\t\t${result}\n`

/** Every module found, each by a different source. */
const HEALTHY: HostSpec = {
  loaded: ['ip_set', 'ip6_tables', 'xt_set', 'xt_conntrack', 'xt_addrtype'],
  sysModules: ['ip_tables', 'vfio_pci'],
  modulesDep: [
    'kernel/net/netfilter/ipvs/xt_ipvs.ko.zst: kernel/net/netfilter/ipvs/ip_vs.ko.zst',
    'kernel/net/netfilter/xt_bpf.ko.xz:',
    'kernel/net/ipv4/netfilter/ipt_REJECT.ko: kernel/net/ipv4/netfilter/nf_reject_ipv4.ko',
    'kernel/net/ipv4/netfilter/ipt_rpfilter.ko.gz:',
  ].join('\n'),
  modulesBuiltin: 'kernel/net/netfilter/nf_conntrack_netlink.ko\nkernel/net/netfilter/xt_mark.ko\n',
  kernelConfig: 'CONFIG_NETFILTER_XT_MATCH_MULTIPORT=m\n# CONFIG_NETFILTER_XT_MATCH_U32 is not set\nCONFIG_NETFILTER_XT_MATCH_U32_OTHER=y\n',
}

const KERNEL_OK =
  'Checking kernel version...\n' +
  line(RELEASE, 'OK') +
  'Checking kernel modules...\n' +
  ['ip_set', 'ip6_tables', 'ip_tables', 'ipt_ipvs', 'vfio-pci', 'xt_bpf', 'ipt_REJECT', 'xt_rpfilter', 'nf_conntrack_netlink', 'xt_addrtype', 'xt_conntrack', 'xt_mark', 'xt_multiport', 'xt_set']
    .map((m) => line(m, 'OK'))
    .join('') +
  'WARNING: Unable to detect optional module/feature xt_u32; continuing\n' +
  line('xt_u32', 'SKIP')
const CNI_OK =
  'Checking CNI config...\n' +
  line('10-calico.conflist', 'OK') +
  'Checking CNI plugins...\n' +
  ['calico', 'calico-ipam', 'bandwidth', 'portmap', 'loopback'].map((p) => line(p, 'OK')).join('')
const SYSTEM_OK = 'System meets minimum system requirements to run Calico!\n'
const CNI_HEADING = '\nCNI checks (reported only; --require-cni makes them part of the result):\n'
const FAILED = "system doesn't meet one or more minimum systems requirements to run Calico"

describe('checksystem on a fake host', () => {
  it("passes a complete host with upstream's lines, then reports the CNI checks on their own", () => {
    expect(checkSystem(host(HEALTHY))).toEqual({ stdout: KERNEL_OK + SYSTEM_OK + CNI_HEADING + CNI_OK })
  })

  it('with requireCni, checks the CNI before the verdict', () => {
    expect(checkSystem(host(HEALTHY, true))).toEqual({ stdout: KERNEL_OK + CNI_OK + SYSTEM_OK })
  })

  it('fails a required module that no source knows', () => {
    const { stdout, error } = checkSystem(host({ ...HEALTHY, modulesBuiltin: 'kernel/net/netfilter/nf_conntrack_netlink.ko\n' }))
    expect(stdout).toContain(`WARNING: Unable to detect the xt_mark module as Loaded/Builtin module or lsmod\n${line('xt_mark', 'FAIL')}`)
    expect(stdout).not.toContain('System meets')
    expect(stdout.endsWith(line('xt_u32', 'SKIP') + CNI_HEADING + CNI_OK)).toBe(true)
    expect(error).toBe(FAILED)
  })

  it('accepts a module through any of its kernel config options, set y or m', () => {
    const spec = { ...HEALTHY, modulesBuiltin: 'kernel/net/netfilter/nf_conntrack_netlink.ko\n', kernelConfig: 'CONFIG_IP_NF_TARGET_MARK=y\nCONFIG_NETFILTER_XT_MATCH_MULTIPORT=m\n' }
    expect(checkSystem(host(spec)).error).toBeUndefined()
  })

  it('reads a gzipped kernel config given with -f, such as /proc/config.gz', () => {
    const paths = host({ ...HEALTHY, kernelConfig: undefined })
    writeFileSync(join(paths.procDir, 'config.gz'), gzipSync('CONFIG_NETFILTER_XT_MATCH_MULTIPORT=m\n'))
    expect(checkSystem({ ...paths, kernelConfig: join(paths.procDir, 'config.gz') }).error).toBeUndefined()
  })

  it('does not fall back to /proc/config.gz on its own, as upstream does not', () => {
    const paths = host({ ...HEALTHY, kernelConfig: undefined })
    writeFileSync(join(paths.procDir, 'config.gz'), gzipSync('CONFIG_NETFILTER_XT_MATCH_MULTIPORT=m\n'))
    expect(findKernelConfig(RELEASE, { ...paths, kernelConfig: undefined })).not.toBe(join(paths.procDir, 'config.gz'))
  })

  it('matches loaded modules by name followed by whitespace, not by prefix', () => {
    const { stdout } = checkSystem(host({ ...HEALTHY, loaded: ['ip_set_hash_ip', 'ip6_tables', 'xt_set', 'xt_conntrack', 'xt_addrtype'] }))
    expect(stdout).toContain(line('ip_set', 'FAIL'))
  })

  it('fails the module check without /proc/modules, as lsmod does', () => {
    const paths = host({ ...HEALTHY, loaded: undefined })
    const { stdout, error } = checkSystem(paths)
    expect(stdout).toContain(`Checking kernel modules...\nError executing command: open ${paths.procDir}/modules: no such file or directory\n${CNI_HEADING}`)
    expect(error).toBe(FAILED)
  })

  it('fails the module check when lsmod is not installed, as upstream does', () => {
    const { stdout, error } = checkSystem({ ...host(HEALTHY), env: { PATH: join(scratch, 'no-tools') } })
    expect(stdout).toContain(`Checking kernel modules...\nError executing command: exec: "lsmod": executable file not found in $PATH\n${CNI_HEADING}`)
    expect(error).toBe(FAILED)
  })

  it('fails a kernel older than 2.6.24', () => {
    const { stdout, error } = checkSystem(host({ ...HEALTHY, release: '2.6.18-419.el5' }))
    expect(stdout).toContain(`${line('2.6.18-419.el5', 'FAIL')}Minimum kernel version to run Calico is 2.6.24. Detected kernel version: 2.6.18-419.el5\n`)
    expect(error).toBe(FAILED)
  })

  it('reports an unreadable kernel release', () => {
    const paths = host(HEALTHY)
    rmSync(join(paths.procDir, 'sys/kernel/osrelease'))
    const { stdout } = checkSystem(paths)
    expect(stdout).toContain(`Checking kernel version...\n${line('', 'FAIL')}Error executing command: open ${paths.procDir}/sys/kernel/osrelease: no such file or directory\n`)
    expect(stdout).toContain(`Checking kernel modules...\nError executing command: open ${paths.procDir}/sys/kernel/osrelease`)
  })
})

describe('CNI layout', () => {
  it('reports a host without a CNI config directory but passes it, as upstream (an etcd host without Kubernetes)', () => {
    const paths = host(HEALTHY)
    const confDir = join(paths.cni.confDir, 'absent')
    expect(checkSystem({ ...paths, cni: { ...paths.cni, confDir } })).toEqual({
      stdout:
        KERNEL_OK +
        SYSTEM_OK +
        CNI_HEADING +
        'Checking CNI config...\n' +
        `WARNING: Unable to read CNI config directory: open ${confDir}: no such file or directory\n` +
        line(confDir, 'FAIL') +
        'Checking CNI plugins...\n' +
        ['calico', 'calico-ipam', 'loopback'].map((p) => line(p, 'OK')).join(''),
    })
  })

  it('with requireCni, fails a host without a CNI config directory', () => {
    const paths = host(HEALTHY, true)
    const confDir = join(paths.cni.confDir, 'absent')
    const { stdout, error } = checkSystem({ ...paths, cni: { ...paths.cni, confDir } })
    expect(stdout).toContain(`Checking CNI config...\nWARNING: Unable to read CNI config directory: open ${confDir}: no such file or directory\n${line(confDir, 'FAIL')}`)
    expect(stdout).not.toContain('System meets')
    expect(stdout).not.toContain('reported only')
    expect(error).toBe(FAILED)
  })

  it('fails without a Calico config and then checks the default plugins', () => {
    const paths = host({ ...HEALTHY, cniConfigs: { '10-flannel.conflist': JSON.stringify({ plugins: [{ type: 'flannel' }] }) }, plugins: { calico: 0o755, loopback: 0o755 } }, true)
    const { stdout, error } = checkSystem(paths)
    expect(stdout).toContain(
      'Checking CNI config...\n' +
        `WARNING: No Calico CNI config (a .conf, .conflist or .json file with a plugin of type "calico") in ${paths.cni.confDir}\n` +
        line(paths.cni.confDir, 'FAIL') +
        'Checking CNI plugins...\n' +
        line('calico', 'OK') +
        `WARNING: CNI plugin calico-ipam not found in ${paths.cni.binDir}\n` +
        line('calico-ipam', 'FAIL') +
        line('loopback', 'OK'),
    )
    expect(error).toBe(FAILED)
  })

  it('checks the plugins the config names, e.g. host-local IPAM instead of calico-ipam', () => {
    const conf = JSON.stringify({ type: 'calico', ipam: { type: 'host-local' } })
    const paths = host({ ...HEALTHY, cniConfigs: { '10-calico.conf': conf }, plugins: { calico: 0o755, 'host-local': 0o755, loopback: 0o755 } }, true)
    const { stdout, error } = checkSystem(paths)
    expect(stdout).toContain(`Checking CNI plugins...\n${line('calico', 'OK')}${line('host-local', 'OK')}${line('loopback', 'OK')}System meets`)
    expect(error).toBeUndefined()
  })

  it('fails a plugin that is not executable', () => {
    const paths = host({ ...HEALTHY, plugins: { calico: 0o644, 'calico-ipam': 0o755, bandwidth: 0o755, portmap: 0o755, loopback: 0o755 } }, true)
    const { stdout, error } = checkSystem(paths)
    expect(stdout).toContain(`WARNING: CNI plugin calico in ${paths.cni.binDir} is not an executable file\n${line('calico', 'FAIL')}`)
    expect(error).toBe(FAILED)
  })

  it('warns when another config comes first, and about configs it cannot parse', () => {
    const paths = host({ ...HEALTHY, cniConfigs: { '00-broken.conf': '{ not json', '05-other.conflist': '{"plugins":[{"type":"bridge"}]}', '10-calico.conflist': CALICO_CONFLIST, 'README.md': 'x' } }, true)
    const { stdout, error } = checkSystem(paths)
    expect(stdout).toContain(`WARNING: Unable to parse CNI config ${paths.cni.confDir}/00-broken.conf: `)
    expect(stdout).toContain(
      `WARNING: 00-broken.conf sorts before 10-calico.conflist in ${paths.cni.confDir}; the container runtime uses the first config\n${line('10-calico.conflist', 'OK')}`,
    )
    expect(error).toBeUndefined()
  })
})

describe('kernel version comparison', () => {
  it('compares the leading dotted numbers', () => {
    expect(versionAtLeast('2.6.24', '2.6.24')).toBe(true)
    expect(versionAtLeast('2.6.32-754.el6.x86_64', '2.6.24')).toBe(true)
    expect(versionAtLeast('3.0', '2.6.24')).toBe(true)
    expect(versionAtLeast('2.6.9', '2.6.24')).toBe(false)
    expect(versionAtLeast('2.6', '2.6.24')).toBe(false)
    expect(versionAtLeast('garbage', '2.6.24')).toBe(false)
  })
})
