/**
 * What libcalico-go's client does to IPAM when a Node or an IP pool is deleted: a node's workload
 * and tunnel addresses are released and its block affinities removed; a pool's block affinities
 * are released (empty blocks deleted, blocks in use kept without affinity). Errors upstream
 * tolerates (nothing there, IPAM not supported) are ignored as it does.
 */
import type { Datastore } from '../datastore/types.js'
import { NotFoundError, NotSupportedError } from '../errors.js'
import { parseCidr } from '../net/cidr.js'
import type { Resource } from '../resources/types.js'
import { releaseHostAffinities, releaseIps, releasePoolAffinities } from './release.js'
import { debug } from '../log.js'
import { ipamWriterFor } from './writer.js'

const tolerated = (err: unknown) => err instanceof NotFoundError || err instanceof NotSupportedError

/** cnet.ParseCIDROrIP: the address of `10.65.0.1/32` or of `10.65.0.1`; undefined when neither. */
function addressOf(text: unknown): string | undefined {
  if (typeof text !== 'string' || text === '') return undefined
  const ip = text.includes('/') ? (parseCidr(text) && text.slice(0, text.indexOf('/'))) : text
  const parsed = ip ? parseCidr(`${ip}/${ip.includes(':') ? 128 : 32}`) : undefined
  if (!parsed) debug(`Failed to parse CIDR: ${text}`)
  return parsed?.text.split('/')[0]
}

/** The node's endpoints' addresses and its tunnel addresses (IPIP, VXLAN, WireGuard), released. */
export async function releaseNodeAddresses(store: Datastore, node: Resource | undefined, endpoints: Resource[]): Promise<void> {
  if (!store.ipamKv) return
  const addresses: string[] = []
  for (const wep of endpoints) for (const net of (wep.spec?.ipNetworks as string[] | undefined) ?? []) addresses.push(addressOf(net) ?? '')
  const spec = (node?.spec ?? {}) as Record<string, any>
  for (const tunnel of [spec.bgp?.ipv4IPIPTunnelAddr, spec.ipv4VXLANTunnelAddr, spec.wireguard?.interfaceIPv4Address]) {
    const address = addressOf(tunnel)
    if (address) addresses.push(address)
  }
  const options = addresses.filter(Boolean).map((address) => ({ address }))
  if (options.length === 0) return
  const { error } = await releaseIps(ipamWriterFor(store), options)
  if (error && !tolerated(error)) throw error
}

/** RemoveIPAMHost: the host's block affinities released, blocks in use or not. */
export async function removeIpamHost(store: Datastore, host: string): Promise<void> {
  if (!store.ipamKv) return
  await releaseHostAffinities(ipamWriterFor(store), host).catch((err) => {
    if (!tolerated(err)) throw err
  })
}

/** ReleasePoolAffinities, after the short pause upstream gives allocations in flight to finish. */
export async function releaseAffinitiesOfPool(store: Datastore, pool: Resource): Promise<void> {
  const cidr = parseCidr(String(pool.spec?.cidr ?? ''))
  if (!cidr || !store.ipamKv) return
  await new Promise((resolve) => setTimeout(resolve, 500))
  await releasePoolAffinities(ipamWriterFor(store), cidr).catch((err) => {
    if (!(err instanceof NotSupportedError)) throw err
  })
}
