/**
 * `calicoctl ipam show`: IP usage per pool (and block), one address's allocation, borrowed
 * addresses, or the IPAM configuration. Returns what to print on stdout.
 */
import type { CalicoClient } from '../client/calico-client.js'
import type { IpamStore } from '../datastore/types.js'
import { CommandError } from '../errors.js'
import { formatIp, parseCidr, parseGoIp } from '../net/cidr.js'
import { knownKind } from '../resources/registry.js'
import type { Resource } from '../resources/types.js'
import { readIpamConfig } from './config.js'
import { attributeAt, blockCidrFor, type AllocationAttribute } from './model.js'
import { borrowedReport, configurationTable, ipReport, utilizationTable } from './render.js'
import { openIpamSession } from './session.js'
import { utilization } from './utilization.js'

export interface IpamShowOptions {
  config?: string
  ip?: string
  showBlocks?: boolean
  showBorrowed?: boolean
  showConfiguration?: boolean
  allowVersionMismatch?: boolean
}

async function list(client: CalicoClient, kind: string): Promise<Resource[]> {
  return (await client.list(await knownKind(kind))).items
}

/**
 * The attribute of an allocated address: its block is the address masked to the block size of the
 * enabled pool holding it; no such pool, no block, or a free ordinal all mean "not assigned".
 */
async function assignment(client: CalicoClient, store: IpamStore, ip: { family: 4 | 6; value: bigint }): Promise<AllocationAttribute | undefined> {
  const pool = (await list(client, 'IPPool')).find((p) => {
    const cidr = parseCidr(String(p.spec?.cidr ?? ''))
    return p.spec?.disabled !== true && cidr?.family === ip.family && blockCidrFor(ip.family, ip.value, cidr.prefix).network === cidr.network
  })
  if (!pool) return undefined
  const blockSize = typeof pool.spec?.blockSize === 'number' ? pool.spec.blockSize : ip.family === 4 ? 26 : 122
  const block = await store.getBlock(blockCidrFor(ip.family, ip.value, blockSize))
  const attribute = block && attributeAt(block, Number(ip.value - block.cidr.network))
  if (attribute?.releasedAt === undefined) return attribute
  // Released: free once its cool-down has passed (libcalico-go garbage-collects the block it reads), until then in cooldown.
  const { ipCooldownSeconds } = await readIpamConfig(store)
  if (ipCooldownSeconds < 0 || Date.parse(attribute.releasedAt) < Date.now() - ipCooldownSeconds * 1000) return undefined
  throw new CommandError(`address ${formatIp(ip.family, ip.value)} is in cooldown`)
}

export async function runIpamShow(options: IpamShowOptions): Promise<string> {
  const { client, store } = await openIpamSession(options.config, options.allowVersionMismatch)
  try {
    if (options.ip) {
      const ip = parseGoIp(options.ip)
      if (!ip) throw new CommandError(`Error executing command: invalid IP address specified: ${options.ip}`, 'stdout')
      return ipReport(formatIp(ip.family, ip.value), await assignment(client, store, ip))
    }
    if (options.showBlocks || (!options.showBorrowed && !options.showConfiguration)) {
      const [pools, blocks, reservations] = [await list(client, 'IPPool'), await store.listBlocks(), await list(client, 'IPReservation')]
      return utilizationTable(utilization(pools, blocks, reservations), options.showBlocks === true)
    }
    if (options.showBorrowed) return borrowedReport(await store.listBlocks())
    return configurationTable(await readIpamConfig(store))
  } finally {
    await client.store.close()
  }
}
