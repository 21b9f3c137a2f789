/**
 * `calicoctl ipam split NUMBER`: with the datastore locked, the pool (by --name or exact --cidr) is
 * disabled, NUMBER equal pools `split-<name>-<i>` are created in its place (copies of it with the
 * smaller CIDRs, written without the overlap check), and the old pool is deleted without releasing
 * its blocks' affinities: blocks and affinities stay where they are, now inside the new pools.
 */
import type { CalicoClient } from '../client/calico-client.js'
import { prepareResource } from '../client/calico-client.js'
import { CommandError } from '../errors.js'
import { formatIp, parseCidr } from '../net/cidr.js'
import { knownKind } from '../resources/registry.js'
import { formatGoRFC3339 } from '../resources/go-time.js'
import { checkLocked } from '../crud/datastore-lock.js'
import type { Resource } from '../resources/types.js'
import { randomUUID } from 'node:crypto'
import { openIpamSession } from './session.js'

export interface IpamSplitOptions {
  config?: string
  number: string
  cidr?: string
  name?: string
  allowVersionMismatch?: boolean
}

/** strconv.Atoi's error text for `text`. */
function atoiError(text: string): string {
  const syntax = /^[+-]?\d+$/.test(text)
  return `strconv.Atoi: parsing ${JSON.stringify(text)}: ${syntax ? 'value out of range' : 'invalid syntax'}`
}

/**
 * The CIDR split into `parts` equal CIDRs (a power of two, at least 2), in address order. Upstream
 * takes 0 through Go's undefined float-to-int conversion and ends up deleting the pool without
 * creating any; it is refused here as any other number that is not a power of two.
 */
export function splitCidr(text: string, parts: number): string[] {
  const power = Math.log2(parts)
  if (!Number.isFinite(power) || power === 0 || Math.trunc(power) !== power) throw new Error(`number to split CIDR into is not a valid power of 2: ${parts}`)
  const cidr = parseCidr(text)
  if (!cidr) throw new Error(`error reading CIDR ${text} before attempting to split it`)
  const bits = cidr.family === 4 ? 32 : 128
  if (power + cidr.prefix > bits) throw new Error(`the CIDR ${text} is not large enough to be split into ${parts} parts`)
  const step = 1n << BigInt(bits - cidr.prefix - power)
  return Array.from({ length: parts }, (_, i) => `${formatIp(cidr.family, cidr.network + step * BigInt(i))}/${cidr.prefix + power}`)
}

/** The client's create without its check against the other pools (upstream's UnsafeCreate). */
async function unsafeCreate(client: CalicoClient, pool: Resource): Promise<Resource> {
  const kind = await knownKind('IPPool')
  const prepared = prepareResource(kind, pool, 'create', undefined, undefined, client.crdValidation)
  prepared.metadata.uid = randomUUID()
  prepared.metadata.creationTimestamp = formatGoRFC3339(Date.now())
  return client.store.create(kind, prepared)
}

/** Returns what to print: upstream prints its first and last sentences without a line end. */
export async function runIpamSplit(options: IpamSplitOptions): Promise<string> {
  const { client } = await openIpamSession(options.config, options.allowVersionMismatch)
  try {
    if (!/^[+-]?\d+$/.test(options.number) || !Number.isSafeInteger(Number(options.number)))
      throw new CommandError(`error reading number to split IP pools into. ${options.number} is not a valid number: ${atoiError(options.number)}`)
    const parts = Number(options.number)
    const cidr = options.cidr ?? ''
    const name = options.name ?? ''
    if (!cidr && !name) throw new CommandError('no name or CIDR provided. Provide a name or CIDR to denote the IP pool to split')
    if (!(await checkLocked(client)))
      throw new CommandError('datastore is not locked. Run the `calicoctl datastore migrate lock` command in order split the IP pools')
    const kind = await knownKind('IPPool')
    let old: Resource | undefined
    if (name) {
      old = await client.get(kind, name).catch((err: Error) => {
        throw new CommandError(`unable to find IP pool with name ${name}: ${err.message}`)
      })
    } else {
      const pools = await client.list(kind).catch(() => {
        throw new CommandError(`unable to list IP pools to find the pool specified by ${cidr}`)
      })
      for (const pool of pools.items) if (pool.spec?.cidr === cidr) old = pool
    }
    if (!old) throw new CommandError(`unable to find IP pool ${name} covering the specified CIDR ${cidr}`)
    old.spec = { ...old.spec, disabled: true }
    old = await client.update(kind, old).catch(() => {
      throw new CommandError(`error disabling IP pool ${cidr}`)
    })
    const oldName = old.metadata.name ?? ''
    let cidrs: string[]
    try {
      cidrs = splitCidr(String(old.spec?.cidr ?? ''), parts)
    } catch (err) {
      throw new CommandError(`error splitting the CIDR ${old.spec?.cidr} into ${parts} CIDRs: ${(err as Error).message}`)
    }
    const created: Array<{ name: string; cidr: string }> = []
    for (const [i, c] of cidrs.entries()) {
      const { uid: _uid, resourceVersion: _rv, generation: _gen, selfLink: _link, creationTimestamp: _ts, generateName: _gn, ...metadata } = structuredClone(old.metadata) as Record<string, unknown>
      let newName = `split-${oldName}-${i}`
      if (newName.length > 253) newName = `split-${oldName.slice(0, 245)}-${i}`
      const pool: Resource = { ...structuredClone(old), metadata: { ...metadata, name: newName }, spec: { ...old.spec, cidr: c, disabled: false } }
      await unsafeCreate(client, pool).catch((err: Error) => {
        throw new CommandError(`error using unsafe create to make split pool with cidr ${c}: ${err.message}`)
      })
      created.push({ name: newName, cidr: c })
    }
    // Upstream's UnsafeDelete: the pool is already disabled, and its affinities stay.
    await client.store.delete(kind, oldName).catch((err: Error) => {
      throw new CommandError(`error removing the IP pool that was split ${oldName}: ${err.message}`)
    })
    return [
      `IP Pool ${oldName} was successfully split into ${parts} smaller pools.`,
      ...created.map((p) => `Created ${p.name} with CIDR ${p.cidr}.\n`),
      'Please refer to the documentation for final steps.',
    ].join('')
  } finally {
    await client.store.close()
  }
}
