/**
 * libcalico-go's GetIPAMConfig and SetIPAMConfig: reading never writes (with nothing stored, the
 * default is used), and writing refuses combinations the allocator cannot honour.
 */
import type { IpamStore } from '../datastore/types.js'
import { DEFAULT_IPAM_CONFIG, type IpamConfig } from './model.js'

/** The configuration in effect: the stored one, or the default, which is not stored. */
export async function readIpamConfig(store: IpamStore): Promise<IpamConfig> {
  return (await store.getConfig())?.config ?? { ...DEFAULT_IPAM_CONFIG }
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

/** Writes `wanted` (`given`: the fields the user set) unless it is what is stored; the errors carry upstream's texts. */
export async function writeIpamConfig(store: IpamStore, wanted: IpamConfig, given: ReadonlyArray<keyof IpamConfig>): Promise<void> {
  if (unchanged(await readIpamConfig(store), wanted)) return
  if (!wanted.strictAffinity && !wanted.autoAllocateBlocks) throw new Error("Cannot disable 'StrictAffinity' and 'AutoAllocateBlocks' at the same time")
  // Upstream: MaxBlocksPerHost takes effect before StrictAffinity, so it must be asked for explicitly.
  if (wanted.maxBlocksPerHost > 0 && !wanted.strictAffinity) throw new Error('MaxBlocksPerHost requires StrictAffinity to be enabled')
  const stored = await store.getConfig()
  await store.writeConfig(wanted, stored?.revision, given)
}
