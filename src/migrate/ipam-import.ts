/**
 * The IPAM section of an export read back (upstream's json.Unmarshal into migrateIPAM) and turned
 * into the crd.projectcalico.org/v1 objects libcalico-go's Kubernetes backend writes for them:
 * BlockAffinity `<node>-<cidr name>` with its hostname-hash, affinity-type and ip-version labels,
 * IPAMBlock `<cidr name>`, IPAMHandle `<handle in lower case>`, IPAMConfig `default`.
 */
import { parseCidr, type Cidr } from '../net/cidr.js'
import { parseJsonLikeGo } from '../output/go-json-parse.js'
import { goIpamConfig, goBlock } from './ipam-export.js'
import { parseJson64 } from '../json64.js'
import { affinityName, blockAffinityLabels, cidrToName } from '../datastore/kubernetes/ipam-kv.js'

type Json = Record<string, unknown>

/** One object to create, with upstream's name for it in messages (`BlockKey(cidr=10.65.0.0/26)`). */
export interface IpamObject {
  plural: 'blockaffinities' | 'ipamblocks' | 'ipamhandles' | 'ipamconfigs'
  kind: 'BlockAffinity' | 'IPAMBlock' | 'IPAMHandle' | 'IPAMConfig'
  name: string
  keyText: string
  spec: Json
  labels?: Record<string, string>
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)


const BLOCK_KEY = /^\/?calico\/ipam\/v2\/assignment\/ipv.\/block\/([^/]+)$/
const AFFINITY_KEY = /^\/?calico\/ipam\/v2\/(@|host|virtual)\/([^/]+)\/ipv.\/block\/([^/]+)$/
const HANDLE_KEY = /^\/?calico\/ipam\/v2\/handle\/([^/]+)$/

const keyCidr = (segment: string): Cidr | undefined => parseCidr(segment.replace('-', '/'))

/** The parsed IPAM section, and how many objects it holds. */
export interface ImportedIpam {
  objects: IpamObject[]
}

function entries(value: unknown, field: string): Json[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) throw new Error(`json: cannot unmarshal ${typeof value} into Go struct field migrateIPAM.${field}`)
  return value.map((e) => (isObject(e) ? e : {}))
}

/** Go's case-insensitive match of a struct field name. */
function field(object: Json, name: string): unknown {
  if (name in object) return object[name]
  const key = Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase())
  return key === undefined ? undefined : object[key]
}

function affinityObject(entry: Json): IpamObject {
  // A key upstream cannot read would crash its import: refused up front instead.
  const key = String(field(entry, 'Key') ?? '')
  const match = AFFINITY_KEY.exec(key)
  const cidr = match && keyCidr(match[3])
  if (!match || !cidr) throw new Error(`block_affinities: ${JSON.stringify(key)} is not a block affinity key (/calico/ipam/v2/host/<node>/ipv4/block/<cidr>)`)
  const value = isObject(field(entry, 'Value')) ? (field(entry, 'Value') as Json) : {}
  const [, type, host] = match
  return {
    plural: 'blockaffinities',
    kind: 'BlockAffinity',
    name: affinityName(host, cidr),
    keyText: `BlockAffinityKey(cidr=${cidr.text}, host=${host}, affinityType=${type})`,
    labels: blockAffinityLabels(host, type, cidr.text),
    spec: { state: typeof value.state === 'string' ? value.state : '', node: host, type, cidr: cidr.text, deleted: String(value.deleted === true) },
  }
}

function blockObject(entry: Json): IpamObject {
  const key = String(field(entry, 'Key') ?? '')
  const match = BLOCK_KEY.exec(key)
  const cidr = match && keyCidr(match[1])
  if (!cidr) throw new Error(`blocks: ${JSON.stringify(key)} is not a block key (/calico/ipam/v2/assignment/ipv4/block/<cidr>)`)
  const value = field(entry, 'Value')
  let block: Json
  try {
    block = goBlock(isObject(value) ? value : {}, cidr)
  } catch (err) {
    throw new Error(`blocks: ${key}: ${(err as Error).message}`)
  }
  // IPAMBlockV1toV3: the CIDR comes from the key; attributes are always a list.
  const spec: Json = {
    cidr: cidr.text,
    affinity: block.affinity ?? undefined,
    affinityClaimTime: block.affinity_claim_time,
    allocations: block.allocations,
    unallocated: block.unallocated,
    attributes: (block.attributes as Json[] | null) ?? [],
    sequenceNumber: block.sequenceNumber,
    sequenceNumberForAllocation: block.sequenceNumberForAllocation,
    deleted: block.deleted,
    strictAffinity: false,
  }
  return { plural: 'ipamblocks', kind: 'IPAMBlock', name: cidrToName(cidr), keyText: `BlockKey(cidr=${cidr.text})`, spec }
}

function handleObject(entry: Json): IpamObject {
  const key = String(field(entry, 'Key') ?? '')
  const match = HANDLE_KEY.exec(key)
  if (!match) throw new Error(`handles: ${JSON.stringify(key)} is not a handle key (/calico/ipam/v2/handle/<id>)`)
  const value = isObject(field(entry, 'Value')) ? (field(entry, 'Value') as Json) : {}
  const block = isObject(value.block) ? value.block : null
  return {
    plural: 'ipamhandles',
    kind: 'IPAMHandle',
    name: match[1].toLowerCase(),
    keyText: `IPAMHandleKey(id=${match[1]})`,
    spec: { handleID: match[1], block, deleted: value.deleted === true },
  }
}

function configObject(entry: Json): IpamObject {
  const value = field(entry, 'Value')
  const config = goIpamConfig(isObject(value) ? value : {})
  return {
    plural: 'ipamconfigs',
    kind: 'IPAMConfig',
    name: 'default',
    keyText: 'IPAMConfigKey()',
    spec: {
      strictAffinity: config.strict_affinity === true,
      autoAllocateBlocks: config.auto_allocate_blocks === true,
      maxBlocksPerHost: config.maxBlocksPerHost,
      kubeVirtVMAddressPersistence: config.kubeVirtVMAddressPersistence,
      ipCooldownSeconds: config.ipCooldownSeconds,
    },
  }
}

/**
 * Reads the IPAM section in upstream's push order: affinities, blocks, handles, configuration.
 * Throws with Go's JSON wording for syntax errors.
 */
export function parseIpamSection(text: string): ImportedIpam {
  parseJsonLikeGo(text)
  const parsed = parseJson64(text)
  if (!isObject(parsed)) throw new Error('json: cannot unmarshal non-object into Go value of type migrate.migrateIPAM')
  const objects = [
    ...entries(field(parsed, 'block_affinities'), 'BlockAffinities').map(affinityObject),
    ...entries(field(parsed, 'blocks'), 'IPAMBlocks').map(blockObject),
    ...entries(field(parsed, 'handles'), 'IPAMHandles').map(handleObject),
  ]
  const config = field(parsed, 'config')
  if (isObject(config)) objects.push(configObject(config))
  return { objects }
}
