import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { resultLine, type CheckOutcome } from './check-result.js'
import { goPathError } from './go-errno.js'
import { lookPath } from './run-tool.js'

/**
 * calicoctl's kernel checks: the release and the netfilter/ipset modules Felix needs,
 * found loaded or installed. Everything is read from files (the release and the loaded
 * modules from /proc, as `uname -r` and `lsmod` do) so that every root is overridable.
 * What passes and fails is upstream's, so the exit code is too.
 */

export const MIN_KERNEL_VERSION = '2.6.24'

export interface KernelPaths {
  procDir: string
  sysDir: string
  modulesDir: string
  /** Kernel config file to read instead of searching the usual places. */
  kernelConfig?: string
  /**
   * Its PATH must hold lsmod: upstream runs it, and fails without it. Absent when the modules are
   * read from another host's /proc (--proc-dir), about which this system's lsmod says nothing.
   */
  env?: NodeJS.ProcessEnv
}

interface ModuleRequirement {
  name: string
  alternatives?: string[]
  /** Any of these set to y or m in the kernel config also counts. */
  configs: string[]
  optional?: boolean
}

const REQUIRED_MODULES: ModuleRequirement[] = [
  { name: 'ip_set', configs: ['CONFIG_IP_SET'] },
  { name: 'ip6_tables', configs: ['CONFIG_IP6_NF_IPTABLES'], optional: true },
  { name: 'ip_tables', configs: ['CONFIG_IP_NF_IPTABLES'] },
  { name: 'ipt_ipvs', alternatives: ['xt_ipvs'], configs: ['CONFIG_NETFILTER_XT_MATCH_IPVS'] },
  { name: 'vfio-pci', alternatives: ['vfio_pci'], configs: ['CONFIG_VFIO', 'CONFIG_VFIO_PCI'] },
  { name: 'xt_bpf', configs: ['CONFIG_BPF', 'CONFIG_NETFILTER_XT_MATCH_BPF'], optional: true },
  { name: 'ipt_REJECT', alternatives: ['xt_REJECT'], configs: ['CONFIG_IP_NF_TARGET_REJECT', 'CONFIG_NFT_REJECT', 'CONFIG_NETFILTER_XT_TARGET_REJECT'] },
  {
    name: 'xt_rpfilter',
    alternatives: ['ipt_rpfilter'],
    configs: ['CONFIG_IP_NF_MATCH_RPFILTER', 'CONFIG_IP6_NF_MATCH_RPFILTER', 'CONFIG_NETFILTER_XT_MATCH_RPFILTER'],
  },
  { name: 'nf_conntrack_netlink', configs: ['CONFIG_NF_CT_NETLINK'] },
  { name: 'xt_addrtype', configs: ['CONFIG_NETFILTER_XT_MATCH_ADDRTYPE'] },
  { name: 'xt_conntrack', configs: ['CONFIG_NETFILTER_XT_MATCH_CONNTRACK'] },
  { name: 'xt_mark', configs: ['CONFIG_NETFILTER_XT_MARK', 'CONFIG_IP_NF_TARGET_MARK', 'CONFIG_NETFILTER_XT_TARGET_MARK'] },
  { name: 'xt_multiport', configs: ['CONFIG_NETFILTER_XT_MATCH_MULTIPORT', 'CONFIG_IP_NF_MATCH_MULTIPORT'] },
  { name: 'xt_set', alternatives: ['ipt_set'], configs: ['CONFIG_NETFILTER_XT_SET'] },
  { name: 'xt_u32', configs: ['CONFIG_NETFILTER_XT_MATCH_U32'], optional: true },
]

/** The running kernel's release (`uname -r`), or the error reading it. */
export function kernelRelease(procDir: string): { release?: string; error?: string } {
  const file = join(procDir, 'sys/kernel/osrelease')
  try {
    return { release: readFileSync(file, 'utf8').trim() }
  } catch (err) {
    return { error: goPathError('open', file, err) }
  }
}

/** Compares the leading dotted numbers of two versions (`6.1.0-18-amd64` -> 6.1.0). */
export function versionAtLeast(version: string, minimum: string): boolean {
  const numbers = (v: string): number[] => (/^\d+(\.\d+)*/.exec(v)?.[0] ?? '').split('.').filter(Boolean).map(Number)
  const have = numbers(version)
  const want = numbers(minimum)
  if (have.length === 0) return false
  for (let i = 0; i < Math.max(have.length, want.length); i++) {
    const a = have[i] ?? 0
    const b = want[i] ?? 0
    if (a !== b) return a > b
  }
  return true
}

export function checkKernelVersion(procDir: string): CheckOutcome {
  const { release, error } = kernelRelease(procDir)
  if (release === undefined) return { ok: false, lines: [resultLine('', 'FAIL'), `Error executing command: ${error}`] }
  if (versionAtLeast(release, MIN_KERNEL_VERSION)) return { ok: true, lines: [resultLine(release, 'OK')] }
  return {
    ok: false,
    lines: [resultLine(release, 'FAIL'), `Minimum kernel version to run Calico is ${MIN_KERNEL_VERSION}. Detected kernel version: ${release}`],
  }
}

/**
 * The kernel config file: the override, else the first that exists of calicoctl's places.
 * Not /proc/config.gz on our own: where upstream finds no config, modules known only from
 * it fail there, and so they do here (`-f /proc/config.gz` reads it).
 */
export function findKernelConfig(release: string, paths: KernelPaths): string | undefined {
  if (paths.kernelConfig) return paths.kernelConfig
  return [
    '/usr/src/linux/.config',
    `/boot/config-${release}`,
    `/usr/src/linux-${release}/.config`,
    `/usr/src/linux-headers-${release}/.config`,
    join(paths.modulesDir, release, 'build/.config'),
  ].find((path) => existsSync(path))
}

/** A file's text ('' when it cannot be read), gunzipped when its name ends in .gz. */
function readText(file: string | undefined): string {
  if (!file) return ''
  try {
    const data = readFileSync(file)
    return (file.endsWith('.gz') ? gunzipSync(data) : data).toString('utf8')
  } catch {
    return ''
  }
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export function checkKernelModules(paths: KernelPaths): CheckOutcome {
  const { release, error } = kernelRelease(paths.procDir)
  if (release === undefined) return { ok: false, lines: [`Error executing command: ${error}`] }
  // Upstream runs lsmod, which fails (and so the check) when it is missing or cannot
  // read /proc/modules, e.g. on a kernel without module support.
  if (paths.env && !lookPath('lsmod', paths.env)) return { ok: false, lines: ['Error executing command: exec: "lsmod": executable file not found in $PATH'] }
  const loadedFile = join(paths.procDir, 'modules')
  let loaded: string
  try {
    loaded = readFileSync(loadedFile, 'utf8')
  } catch (err) {
    return { ok: false, lines: [`Error executing command: ${goPathError('open', loadedFile, err)}`] }
  }
  const installed = ['modules.dep', 'modules.builtin'].map((f) => readText(join(paths.modulesDir, release, f))).join('\n')
  const config = readText(findKernelConfig(release, paths))

  const present = (name: string): boolean => {
    if (existsSync(join(paths.sysDir, 'module', name.replaceAll('-', '_')))) return true
    if (new RegExp(`/${escape(name)}\\.ko(\\.(gz|xz|zst|bz2))?(:|\\s|$)`, 'm').test(installed)) return true
    const swapped = name.includes('-') ? name.replaceAll('-', '_') : name.replaceAll('_', '-')
    return [name, swapped].some((n) => new RegExp(`^${escape(n)}\\s`, 'm').test(loaded))
  }

  const lines: string[] = []
  let ok = true
  for (const module of REQUIRED_MODULES) {
    const found =
      [module.name, ...(module.alternatives ?? [])].some(present) ||
      module.configs.some((option) => new RegExp(`^${option}=[ym]`, 'm').test(config))
    if (found) lines.push(resultLine(module.name, 'OK'))
    else if (module.optional) {
      lines.push(`WARNING: Unable to detect optional module/feature ${module.name}; continuing`, resultLine(module.name, 'SKIP'))
    } else {
      ok = false
      lines.push(`WARNING: Unable to detect the ${module.name} module as Loaded/Builtin module or lsmod`, resultLine(module.name, 'FAIL'))
    }
  }
  return { ok, lines }
}
