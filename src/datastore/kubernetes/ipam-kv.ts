/**
 * IPAM's blocks, handles and affinities as custom resources (ipamblocks, ipamhandles,
 * blockaffinities), named and shaped as libcalico-go's Kubernetes backend does. Updates are
 * conditional on the resourceVersion read; a delete first marks the object deleted (the update
 * carries the compare-and-swap), then deletes it with the object's uid as precondition.
 */
import { createHash } from 'node:crypto'
import { NotFoundError } from '../../errors.js'
import { blockCrdSpec, decodeStoredBlock } from '../../ipam/block.js'
import { parseJson64 } from '../../json64.js'
import { parseCidr, type Cidr } from '../../net/cidr.js'
import { toGoJson } from '../../output/json.js'
import type { AffinityKv, BlockKv, HandleKv, IpamKv } from '../ipam-kv.js'
import type { KubeObject } from './crd-mapping.js'
import { listAllObjects } from './pager.js'
import type { KubeRest } from './rest.js'
import { toCalicoError } from './status-errors.js'

/** libcalico-go's names.CIDRToName. */
export function cidrToName(cidr: Cidr): string {
  return cidr.text.replace(/[.:/]/g, '-')
}

/** The label value libcalico-go hashes a hostname to: SHA3-256, base32 without padding. */
export function hostnameHash(host: string): string {
  const digest = createHash('sha3-256').update(host).digest()
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of digest) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31]
  return out
}

/**
 * The labels libcalico-go sets on every BlockAffinity it writes (EnsureBlockAffinityLabels), over
 * whatever labels it already has: the hashed host, the affinity type and the IP version.
 */
export function blockAffinityLabels(host: string, type: string, cidr: string, labels: Record<string, string> = {}): Record<string, string> {
  return {
    ...labels,
    'projectcalico.org/hostname-hash': hostnameHash(host),
    'projectcalico.org/affinity-type': type,
    'projectcalico.org/ip-version': cidr.includes(':') ? '6' : '4',
  }
}

/** The BlockAffinity's name: `<host>-<cidr name>`, cut and suffixed with a hash when too long for a name. */
export function affinityName(host: string, cidr: Cidr): string {
  const cidrName = cidrToName(cidr)
  const name = `${host}-${cidrName}`
  if (name.length < 253) return name
  const hash = createHash('sha256').update(`${host}+${cidrName}`).digest('hex').slice(0, 11)
  return `${host.slice(0, 252 - cidrName.length - 13)}-${cidrName}-${hash}`
}

interface Api {
  group: string
  version: string
  pageSize: number
}

export function kubernetesIpamKv(rest: KubeRest, api: Api): IpamKv {
  const v1 = api.group === 'crd.projectcalico.org'
  const apiVersion = `${api.group}/${api.version}`
  const base = (plural: string) => `/apis/${api.group}/${api.version}/${plural}`
  const decode = (text: string) => parseJson64(text)

  const call = async <T>(kind: string, plural: string, name: string, req: { method: 'GET' | 'PUT' | 'DELETE'; rawBody?: string }): Promise<T> => {
    try {
      return await rest.request<T>({ method: req.method, path: `${base(plural)}/${encodeURIComponent(name)}`, rawBody: req.rawBody, resource: `${plural}.${api.group}`, name, decode })
    } catch (err) {
      throw toCalicoError(err, { kind, name })
    }
  }
  const list = async (kind: string, plural: string): Promise<KubeObject[]> => {
    try {
      return (await listAllObjects(rest, { path: base(plural), resource: `${plural}.${api.group}`, pageSize: api.pageSize, decode })).items
    } catch (err) {
      const mapped = toCalicoError(err, { kind, name: '' })
      if (mapped instanceof NotFoundError) return []
      throw mapped
    }
  }
  const put = (kind: string, plural: string, name: string, metadata: Record<string, unknown>, spec: unknown) =>
    call<KubeObject>(kind, plural, name, { method: 'PUT', rawBody: toGoJson({ kind, apiVersion, metadata, spec }, false) })
  const remove = (kind: string, plural: string, name: string, uid: string | undefined) =>
    call(kind, plural, name, { method: 'DELETE', rawBody: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', ...(uid && { preconditions: { uid } }) }) })
  const versioned = (o: KubeObject) => ({ revision: String(o.metadata?.resourceVersion ?? ''), uid: o.metadata?.uid ? String(o.metadata.uid) : undefined })

  const toBlock = (o: KubeObject): BlockKv | undefined => {
    const block = o.spec && decodeStoredBlock(o.spec)
    return block && { block, ...versioned(o) }
  }
  const toHandle = (o: KubeObject): HandleKv => ({
    id: String(o.spec?.handleID ?? ''),
    block: { ...((o.spec?.block as Record<string, number>) ?? {}) },
    deleted: o.spec?.deleted === true,
    ...versioned(o),
  })
  const toAffinity = (o: KubeObject): AffinityKv | undefined => {
    const cidr = parseCidr(String(o.spec?.cidr ?? ''))
    if (!cidr) return undefined
    const deleted = o.spec?.deleted
    return {
      host: String(o.spec?.node ?? ''),
      type: String(o.spec?.type || 'host'),
      cidr,
      state: String(o.spec?.state ?? ''),
      deleted: deleted === true || deleted === 'true',
      labels: o.metadata?.labels as Record<string, string> | undefined,
      ...versioned(o),
    }
  }

  const kv: IpamKv = {
    async listBlocks() {
      return (await list('IPAMBlock', 'ipamblocks')).map(toBlock).filter((b): b is BlockKv => b !== undefined)
    },
    async getBlock(cidr) {
      let found: BlockKv | undefined
      try {
        found = toBlock(await call<KubeObject>('IPAMBlock', 'ipamblocks', cidrToName(cidr), { method: 'GET' }))
      } catch (err) {
        if (err instanceof NotFoundError) return undefined
        throw err
      }
      if (found?.block.deleted) {
        await kv.deleteBlock(found)
        return undefined
      }
      return found
    },
    async updateBlock(b) {
      const name = cidrToName(b.block.cidr)
      const stored = await put('IPAMBlock', 'ipamblocks', name, { name, resourceVersion: b.revision }, blockCrdSpec(b.block))
      return toBlock(stored) ?? b
    },
    async deleteBlock(b) {
      const marked = await kv.updateBlock({ ...b, block: { ...b.block, deleted: true } })
      await remove('IPAMBlock', 'ipamblocks', cidrToName(b.block.cidr), marked.uid ?? b.uid)
    },
    async listHandles() {
      return (await list('IPAMHandle', 'ipamhandles')).map(toHandle)
    },
    async getHandle(id) {
      let found: HandleKv
      try {
        found = toHandle(await call<KubeObject>('IPAMHandle', 'ipamhandles', id.toLowerCase(), { method: 'GET' }))
      } catch (err) {
        if (err instanceof NotFoundError) return undefined
        throw err
      }
      if (found.deleted) {
        await kv.deleteHandle(found)
        return undefined
      }
      return found
    },
    async updateHandle(h) {
      const name = h.id.toLowerCase()
      const sortedBlock = Object.fromEntries(Object.keys(h.block).sort().map((k) => [k, h.block[k]]))
      const metadata = { name, uid: h.uid, resourceVersion: h.revision }
      return toHandle(await put('IPAMHandle', 'ipamhandles', name, metadata, { handleID: h.id, block: sortedBlock, deleted: h.deleted }))
    },
    async deleteHandle(h) {
      const marked = await kv.updateHandle({ ...h, deleted: true })
      await remove('IPAMHandle', 'ipamhandles', h.id.toLowerCase(), marked.uid ?? h.uid)
    },
    async listAffinities(filter) {
      return (await list('BlockAffinity', 'blockaffinities'))
        .map(toAffinity)
        .filter((a): a is AffinityKv => a !== undefined && !a.deleted && (!filter || (a.host === filter.host && a.type === filter.type)))
    },
    // The name leaves the type out, as upstream's.
    async getAffinity(host, _type, cidr) {
      let found: AffinityKv | undefined
      try {
        found = toAffinity(await call<KubeObject>('BlockAffinity', 'blockaffinities', affinityName(host, cidr), { method: 'GET' }))
      } catch (err) {
        if (err instanceof NotFoundError) return undefined
        throw err
      }
      if (found?.deleted) {
        await kv.deleteAffinity(found)
        return undefined
      }
      return found
    },
    async updateAffinity(a) {
      const name = affinityName(a.host, a.cidr)
      const spec = { state: a.state, node: a.host, type: a.type, cidr: a.cidr.text, deleted: v1 ? String(a.deleted) : a.deleted }
      const metadata = { name, resourceVersion: a.revision, labels: blockAffinityLabels(a.host, a.type, a.cidr.text, a.labels) }
      return toAffinity(await put('BlockAffinity', 'blockaffinities', name, metadata, spec)) ?? a
    },
    async deleteAffinity(a) {
      const marked = await kv.updateAffinity({ ...a, deleted: true })
      await remove('BlockAffinity', 'blockaffinities', affinityName(a.host, a.cidr), marked.uid ?? a.uid)
    },
  }
  return kv
}

