import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { goPathError } from './go-errno.js'

/** The command lines (argv) of the processes under a proc file system. */
export interface ProcessList {
  processes: string[][]
  /** Why the list could not be read; calicoctl prints it and goes on with what it has. */
  error?: string
}

export function listProcesses(procDir = '/proc'): ProcessList {
  let entries: string[]
  try {
    entries = readdirSync(procDir)
  } catch (err) {
    return { processes: [], error: goPathError('open', procDir, err) }
  }
  const processes: string[][] = []
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    let cmdline: string
    try {
      cmdline = readFileSync(join(procDir, entry, 'cmdline'), 'utf8')
    } catch {
      continue // the process ended meanwhile
    }
    // Zombies and kernel threads have an empty command line.
    if (cmdline === '') continue
    processes.push(cmdline.replace(/\0$/, '').split('\0'))
  }
  return { processes }
}

/**
 * calicoctl's process match: a process matches when ANY position i of the pattern equals
 * argv[i] exactly (an OR, not an AND). So ['calico-node', '-felix'] matches argv[0] ===
 * 'calico-node' or argv[1] === '-felix', and `/usr/sbin/bird` is not `bird`.
 */
export function psContains(pattern: readonly string[], processes: readonly string[][]): boolean {
  return processes.some((argv) => pattern.some((word, i) => i < argv.length && argv[i] === word))
}
