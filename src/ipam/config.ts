/**
 * libcalico-go's GetIPAMConfig and SetIPAMConfig: reading creates the default configuration when
 * there is none, and writing refuses combinations the allocator cannot honour.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { AlreadyExistsError } from '../errors.js'
import type { IpamStore } from '../datastore/types.js'
import { DEFAULT_IPAM_CONFIG, type IpamConfig } from './model.js'

const MAX_RETRIES = 5
/** Upstream waits this long after losing the race to create the default configuration. */
const CREATE_RACE_WAIT_MS = 1000

/** The configuration in effect; stores the default first when none exists, as upstream does. */
export async function readIpamConfig(store: IpamStore): Promise<IpamConfig> {
  let retries = 1
  for (; retries < MAX_RETRIES; retries++) {
    const stored = await store.getConfig()
    if (stored) return stored.config
    try {
      await store.createConfig(DEFAULT_IPAM_CONFIG)
      return { ...DEFAULT_IPAM_CONFIG }
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err
      await sleep(CREATE_RACE_WAIT_MS)
    }
  }
  throw new Error(`failed to get ipam config after ${retries} retries`)
}

/**
 * Go compares the two configurations with `==`, where the persistence is a pointer to a fresh copy
 * on each read: a configuration with a persistence set never equals one read again.
 */
function unchanged(current: IpamConfig, wanted: IpamConfig): boolean {
  return (
    current.kubeVirtVMAddressPersistence === undefined &&
    wanted.kubeVirtVMAddressPersistence === undefined &&
    current.strictAffinity === wanted.strictAffinity &&
    current.autoAllocateBlocks === wanted.autoAllocateBlocks &&
    current.maxBlocksPerHost === wanted.maxBlocksPerHost &&
    current.ipCooldownSeconds === wanted.ipCooldownSeconds
  )
}

/** Writes `wanted` unless it is what is stored; the errors carry upstream's texts. */
export async function writeIpamConfig(store: IpamStore, wanted: IpamConfig): Promise<void> {
  if (unchanged(await readIpamConfig(store), wanted)) return
  if (!wanted.strictAffinity && !wanted.autoAllocateBlocks) throw new Error("Cannot disable 'StrictAffinity' and 'AutoAllocateBlocks' at the same time")
  // Upstream: MaxBlocksPerHost takes effect before StrictAffinity, so it must be asked for explicitly.
  if (wanted.maxBlocksPerHost > 0 && !wanted.strictAffinity) throw new Error('MaxBlocksPerHost requires StrictAffinity to be enabled')
  const stored = await store.getConfig()
  await store.writeConfig(wanted, stored?.revision)
}
