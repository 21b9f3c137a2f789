/**
 * `calicoctl ipam configure`: changes the IPAM configuration options given, in one write, and
 * reports each one set. Values are parsed as upstream's Go parses them.
 */
import { CommandError } from '../errors.js'
import { readIpamConfig, writeIpamConfig } from './config.js'
import { parseGoAtoi, parseGoBool } from './go-parse.js'
import type { IpamConfig, VmAddressPersistence } from './model.js'
import { openIpamSession } from './session.js'

export interface IpamConfigureOptions {
  config?: string
  /** As typed: parsed like Go's strconv.ParseBool. */
  strictAffinity?: string
  /** As typed: parsed like Go's strconv.Atoi. */
  maxBlocksPerHost?: string
  kubevirtIpPersistence?: string
  /** The parsed `--ip-cooldown-seconds`; negative (the flag's default -1) leaves it unchanged. */
  ipCooldownSeconds?: number
  allowVersionMismatch?: boolean
}

/** The options given, validated in upstream's order; every message is upstream's. */
function parseOptions(options: IpamConfigureOptions): Partial<IpamConfig> {
  const changes: Partial<IpamConfig> = {}
  if (options.strictAffinity) {
    const value = parseGoBool(options.strictAffinity)
    if (value === undefined) throw new CommandError('invalid value. Use true or false to set strictaffinity')
    changes.strictAffinity = value
  }
  if (options.maxBlocksPerHost) {
    const value = parseGoAtoi(options.maxBlocksPerHost)
    if (value === undefined) throw new CommandError('invalid value for maxblockhost. Use a valid number')
    changes.maxBlocksPerHost = value
  }
  if (options.kubevirtIpPersistence) {
    if (options.kubevirtIpPersistence !== 'Enabled' && options.kubevirtIpPersistence !== 'Disabled')
      throw new CommandError('invalid value for --kubevirt-ip-persistence. Use Enabled or Disabled')
    changes.kubeVirtVMAddressPersistence = options.kubevirtIpPersistence as VmAddressPersistence
  }
  if (options.ipCooldownSeconds !== undefined && options.ipCooldownSeconds >= 0) changes.ipCooldownSeconds = options.ipCooldownSeconds
  if (Object.keys(changes).length === 0) throw new CommandError('at least one configuration option must be specified')
  return changes
}

const REPORTED: Array<[keyof IpamConfig, string]> = [
  ['strictAffinity', 'StrictAffinity'],
  ['maxBlocksPerHost', 'MaxBlocksPerHost'],
  ['kubeVirtVMAddressPersistence', 'KubeVirtVMAddressPersistence'],
  ['ipCooldownSeconds', 'IPCooldownSeconds'],
]

/** Returns the stdout lines: one per option set. */
export async function runIpamConfigure(options: IpamConfigureOptions): Promise<string[]> {
  const { client, store } = await openIpamSession(options.config, options.allowVersionMismatch)
  try {
    const changes = parseOptions(options)
    const wrap = (err: unknown) => Promise.reject(new CommandError(`error: ${(err as Error).message}`))
    const current = await readIpamConfig(store).catch(wrap)
    await writeIpamConfig(store, { ...current, ...changes }, Object.keys(changes) as Array<keyof IpamConfig>).catch(wrap)
    return REPORTED.filter(([field]) => changes[field] !== undefined).map(([field, name]) => `Successfully set ${name} to: ${changes[field]}`)
  } finally {
    await client.store.close()
  }
}
