import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { resultLine, type CheckOutcome } from './check-result.js'
import { goPathError } from './go-errno.js'

/**
 * The CNI layout a Calico node needs: a Calico network config the container runtime will
 * pick up, and the plugin binaries that config names.
 */

export interface CniPaths {
  binDir: string
  confDir: string
}

/** Plugins a Calico node needs when no Calico config tells which. */
const DEFAULT_PLUGINS = ['calico', 'calico-ipam', 'loopback']

interface CniConfig {
  file: string
  plugins: Array<{ type?: unknown; ipam?: { type?: unknown } }>
}

/** Network config files as the runtime (libcni) lists them: by extension, sorted by name. */
function configFiles(confDir: string): string[] {
  return readdirSync(confDir)
    .filter((f) => /\.(conf|conflist|json)$/.test(f))
    .sort()
}

function readConfig(confDir: string, file: string): CniConfig {
  const doc = JSON.parse(readFileSync(join(confDir, file), 'utf8')) as { plugins?: unknown }
  // A .conflist holds a list of plugins; a .conf is a single plugin.
  return { file, plugins: Array.isArray(doc.plugins) ? doc.plugins : [doc as CniConfig['plugins'][number]] }
}

export function checkCniConfig(paths: CniPaths): CheckOutcome & { calico?: CniConfig } {
  let files: string[]
  try {
    files = configFiles(paths.confDir)
  } catch (err) {
    return { ok: false, lines: [`WARNING: Unable to read CNI config directory: ${goPathError('open', paths.confDir, err)}`, resultLine(paths.confDir, 'FAIL')] }
  }
  const lines: string[] = []
  let calico: CniConfig | undefined
  for (const file of files) {
    let config: CniConfig
    try {
      config = readConfig(paths.confDir, file)
    } catch (err) {
      lines.push(`WARNING: Unable to parse CNI config ${join(paths.confDir, file)}: ${(err as Error).message}`)
      continue
    }
    if (config.plugins.some((p) => p?.type === 'calico')) {
      calico = config
      break
    }
  }
  if (!calico) {
    lines.push(`WARNING: No Calico CNI config (a .conf, .conflist or .json file with a plugin of type "calico") in ${paths.confDir}`)
    return { ok: false, lines: [...lines, resultLine(paths.confDir, 'FAIL')] }
  }
  if (files[0] !== calico.file) {
    lines.push(`WARNING: ${files[0]} sorts before ${calico.file} in ${paths.confDir}; the container runtime uses the first config`)
  }
  return { ok: true, calico, lines: [...lines, resultLine(calico.file, 'OK')] }
}

/** The plugins a config calls (each plugin's type and IPAM type), plus loopback, which every pod needs. */
export function requiredPlugins(config: CniConfig | undefined): string[] {
  if (!config) return DEFAULT_PLUGINS
  const names = config.plugins.flatMap((p) => [p?.type, p?.ipam?.type]).filter((t): t is string => typeof t === 'string')
  return [...new Set([...names, 'loopback'])]
}

export function checkCniPlugins(binDir: string, plugins: string[]): CheckOutcome {
  const lines: string[] = []
  let ok = true
  for (const name of plugins) {
    let problem: string | undefined
    try {
      const stat = statSync(join(binDir, name))
      if (!stat.isFile() || (stat.mode & 0o111) === 0) problem = `WARNING: CNI plugin ${name} in ${binDir} is not an executable file`
    } catch {
      problem = `WARNING: CNI plugin ${name} not found in ${binDir}`
    }
    if (problem) ok = false
    lines.push(...(problem ? [problem] : []), resultLine(name, problem ? 'FAIL' : 'OK'))
  }
  return { ok, lines }
}
