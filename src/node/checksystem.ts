import { checkCniConfig, checkCniPlugins, requiredPlugins, type CniPaths } from './cni-checks.js'
import { checkKernelModules, checkKernelVersion, type KernelPaths } from './kernel-checks.js'
import type { Rendered } from './rendered.js'

export interface SystemCheckOptions extends KernelPaths {
  cni: CniPaths
  /** Let a failed CNI check fail the command; without it the CNI checks only report. */
  requireCni: boolean
}

export const SYSTEM_CHECK_FAILED = "system doesn't meet one or more minimum systems requirements to run Calico"
const SYSTEM_OK = 'System meets minimum system requirements to run Calico!'
export const CNI_REPORT_HEADING = 'CNI checks (reported only; --require-cni makes them part of the result):'

/**
 * `calicoctl node checksystem`: calicoctl's kernel checks, then the CNI layout. Upstream
 * checks no CNI, so by default its lines and exit code stay upstream's and the CNI checks
 * follow in a section of their own; with requireCni they come before the verdict and count.
 */
export function checkSystem(options: SystemCheckOptions): Rendered {
  const kernel = checkKernelVersion(options.procDir)
  const modules = checkKernelModules(options)
  const config = checkCniConfig(options.cni)
  const plugins = checkCniPlugins(options.cni.binDir, requiredPlugins(config.calico))
  const upstream = ['Checking kernel version...', ...kernel.lines, 'Checking kernel modules...', ...modules.lines]
  const cni = ['Checking CNI config...', ...config.lines, 'Checking CNI plugins...', ...plugins.lines]
  const text = (lines: string[]): string => lines.map((l) => `${l}\n`).join('')

  if (options.requireCni) {
    const ok = kernel.ok && modules.ok && config.ok && plugins.ok
    return ok ? { stdout: text([...upstream, ...cni, SYSTEM_OK]) } : { stdout: text([...upstream, ...cni]), error: SYSTEM_CHECK_FAILED }
  }
  const report = ['', CNI_REPORT_HEADING, ...cni]
  if (kernel.ok && modules.ok) return { stdout: text([...upstream, SYSTEM_OK, ...report]) }
  return { stdout: text([...upstream, ...report]), error: SYSTEM_CHECK_FAILED }
}
