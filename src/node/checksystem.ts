import { checkCniConfig, checkCniPlugins, requiredPlugins, type CniPaths } from './cni-checks.js'
import { checkKernelModules, checkKernelVersion, type KernelPaths } from './kernel-checks.js'
import type { Rendered } from './rendered.js'

export type SystemPaths = KernelPaths & { cni: CniPaths }

export const SYSTEM_CHECK_FAILED = "system doesn't meet one or more minimum systems requirements to run Calico"

/** `calicoctl node checksystem`: calicoctl's kernel checks, then the CNI layout. */
export function checkSystem(paths: SystemPaths): Rendered {
  const kernel = checkKernelVersion(paths.procDir)
  const modules = checkKernelModules(paths)
  const config = checkCniConfig(paths.cni)
  const plugins = checkCniPlugins(paths.cni.binDir, requiredPlugins(config.calico))
  const lines = [
    'Checking kernel version...',
    ...kernel.lines,
    'Checking kernel modules...',
    ...modules.lines,
    'Checking CNI config...',
    ...config.lines,
    'Checking CNI plugins...',
    ...plugins.lines,
  ]
  const ok = kernel.ok && modules.ok && config.ok && plugins.ok
  if (!ok) return { stdout: lines.map((l) => `${l}\n`).join(''), error: SYSTEM_CHECK_FAILED }
  return { stdout: [...lines, 'System meets minimum system requirements to run Calico!'].map((l) => `${l}\n`).join('') }
}
