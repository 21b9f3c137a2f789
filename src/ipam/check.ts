/**
 * `calicoctl ipam check`: every allocation recorded in the IPAM blocks against what uses addresses
 * (node tunnel addresses, Calico-managed load balancer Services, workload endpoints), the handles
 * against the blocks, and each block's own consistency; the summary is printed as it goes and the
 * report (`-o`) is written with upstream's field names.
 */
import { writeFileSync } from 'node:fs'
import type { CalicoClient } from '../client/calico-client.js'
import type { BlockKv, HandleKv } from '../datastore/ipam-kv.js'
import { parseCidr, ipToBigInt, formatIp, type Cidr } from '../net/cidr.js'
import { toGoJson } from '../output/json.js'
import { knownKind } from '../resources/registry.js'
import type { Resource } from '../resources/types.js'
import { blockSize, ordinalIp, sequenceNumberFor, WINDOWS_RESERVED_HANDLE, type StoredAttribute, type StoredBlock } from './block.js'
import { addressCount } from './model.js'

export interface CheckedAllocation {
  ip: string
  block: StoredBlock
  ordinal: number
  handle?: string
  sequenceNumber: bigint
  pod?: string
  namespace?: string
  node?: string
  type?: string
  creationTimestamp?: string
  inUse: boolean
  borrowed: boolean
  coolingDown: boolean
  owners: string[] | null
}

export interface HandleInfo {
  ID: string
  UID: string | null
  Revision: string
}

/** What the check reads besides the blocks and handles. */
export interface CheckInputs {
  clusterInformation: Resource
  /** Read when the check reaches them, so a failure follows the lines printed before it. */
  blocks: () => Promise<BlockKv[]>
  pools: () => Promise<Resource[]>
  nodes: () => Promise<Resource[]>
  /** Services, and the KubeControllersConfiguration deciding which of them Calico manages. */
  services: () => Promise<Array<Record<string, any>>>
  kubeControllersConfiguration: () => Promise<Resource>
  workloadEndpoints: () => Promise<Resource[]>
  handles: () => Promise<HandleKv[]>
  /** The uid libcalico-go's KVPair reports for a handle (converted on crd.projectcalico.org). */
  handleUid(handle: HandleKv): string | null
}

export interface CheckOptions {
  showAllIps: boolean
  showProblemIps: boolean
  output?: string
  version: string
}

/** Go's `%v`-free attribute text: `Main:<handle> Extra:k=v,...[ Alternate:k=v,...]`. */
export function formatAttributes(attr: StoredAttribute): string {
  const kvs = (m: Record<string, string> | undefined) =>
    Object.keys(m ?? {})
      .sort()
      .map((k) => `${k}=${(m as Record<string, string>)[k]}`)
      .join(',')
  let text = `Main:${attr.handle_id ?? '<none>'} Extra:${kvs(attr.secondary)}`
  if (attr.alternateOwnerAttrs && Object.keys(attr.alternateOwnerAttrs).length > 0) text += ` Alternate:${kvs(attr.alternateOwnerAttrs)}`
  return text
}

function attributeText(a: CheckedAllocation): string {
  const index = a.block.allocations[a.ordinal] as number
  const attr = a.block.attributes[index]
  return attr ? formatAttributes(attr) : '<missing>'
}

/** cnet.ParseCIDROrIP then String(): the address (host bits kept), in canonical form. */
export function normaliseIp(text: string): string {
  const slash = text.indexOf('/')
  const parsed = (slash < 0 || parseCidr(text)) && ipToBigInt(slash < 0 ? text : text.slice(0, slash))
  if (!parsed) throw new Error(`invalid CIDR address: ${text}`)
  return formatIp(parsed.family, parsed.value)
}

/** libcalico-go's validation of a block's structure (the check's last step); undefined when valid. */
export function validateBlock(b: StoredBlock, now: Date = new Date()): string | undefined {
  const size = blockSize(b)
  const seenAttributes = new Set<number>()
  const seenOrdinals = new Set<number>()
  for (let o = 0; o < size; o++) {
    const index = b.allocations[o]
    if (index === null || index === undefined) continue
    if (index < 0 || index >= b.attributes.length) return `allocation ${o} indexes a nonexistent attribute ${index}`
    seenAttributes.add(index)
    seenOrdinals.add(o)
  }
  for (let i = 0; i < b.attributes.length; i++) {
    if (!seenAttributes.has(i)) return `attribute index ${i} exists but is not indexed by an allocation`
    const released = b.attributes[i].releasedAt
    if (released !== undefined && Date.parse(released) > now.getTime()) return `attribute index ${i} has releasedAt in the future, suggesting clock skew`
  }
  for (let i = 0; i < b.unallocated.length; i++) {
    const o = b.unallocated[i]
    if (o < 0 || o >= b.allocations.length) return `ordinal ${o} appears in the Unallocated array but is out of the block`
    if (b.unallocated.slice(0, i).includes(o)) return `ordinal ${o} appears more than once in Unallocated array`
    if (seenOrdinals.has(o)) return `ordinal ${o} is allocated but appears in Unallocated`
  }
  if (b.unallocated.length + seenOrdinals.size !== size)
    return `expected ${size} addresses in this block, but Unallocated (${b.unallocated.length}) + Allocated (${seenOrdinals.size}) = ${b.unallocated.length + seenOrdinals.size}`
  return undefined
}

function contains(cidr: Cidr, ip: string): boolean {
  const parsed = ipToBigInt(ip)
  return !!parsed && parsed.family === cidr.family && parsed.value >= cidr.network && parsed.value < cidr.network + addressCount(cidr)
}

/** kube-controllers' IsCalicoManagedLoadBalancer. */
export function isCalicoManagedLoadBalancer(svc: Record<string, any>, assignIPs: string): boolean {
  const spec = svc.spec ?? {}
  if (spec.type !== 'LoadBalancer') return false
  const lbClass: string | undefined = spec.loadBalancerClass ?? undefined
  if (assignIPs === 'AllServices') return lbClass === undefined || lbClass === 'calico'
  if (assignIPs === 'RequestedServicesOnly') {
    if (lbClass === 'calico') return true
    const annotations = svc.metadata?.annotations ?? {}
    const requested = annotations['projectcalico.org/ipv4pools'] || annotations['projectcalico.org/ipv6pools'] || annotations['projectcalico.org/loadBalancerIPs'] || spec.loadBalancerIP
    return Boolean(requested) && lbClass === undefined
  }
  return false
}

/** The node's tunnel addresses (VXLAN, WireGuard, IPIP), as upstream's getNodeIPs reads them. */
export function nodeTunnelIps(node: Resource): string[] {
  const spec = (node.spec ?? {}) as Record<string, any>
  const ips: string[] = []
  const add = (value: unknown, field: string) => {
    if (typeof value !== 'string' || value === '') return
    try {
      ips.push(normaliseIp(value))
    } catch (err) {
      throw new Error(`failed to parse ${field} (${value}) of node ${node.metadata.name}: ${(err as Error).message}`)
    }
  }
  add(spec.ipv4VXLANTunnelAddr, 'IPv4VXLANTunnelAddr')
  add(spec.wireguard?.interfaceIPv4Address, 'Wireguard.InterfaceIPv4Address')
  add(spec.bgp?.ipv4IPIPTunnelAddr, 'IPv4IPIPTunnelAddr')
  return ips
}

/** Runs the check, printing through `print` (one call per line); returns nothing, writes the report. */
export async function checkIpam(inputs: CheckInputs, options: CheckOptions, print: (line: string) => void): Promise<void> {
  const allocations = new Map<string, CheckedAllocation[]>()
  const byNode = new Map<string, CheckedAllocation[]>()
  const inUseIps = new Map<string, string[]>()
  const inUseHandles = new Set<string>()
  const info = inputs.clusterInformation
  const printf = (line: string) => print(line)

  const recordInUse = (ip: string, friendly: string) => {
    if (options.showAllIps) printf(`  ${ip} belongs to ${friendly}`)
    inUseIps.set(ip, [...(inUseIps.get(ip) ?? []), friendly])
    for (const a of allocations.get(ip) ?? []) {
      a.inUse = true
      a.owners = [...(a.owners ?? []), friendly]
    }
  }
  const recordAllocation = (b: StoredBlock, ordinal: number) => {
    const ip = ordinalIp(b, ordinal)
    const alloc: CheckedAllocation = { ip, block: b, ordinal, sequenceNumber: 0n, inUse: false, borrowed: false, coolingDown: false, owners: null }
    let node = ''
    let blockAffinity = ''
    if (b.affinity?.startsWith('host:')) node = blockAffinity = b.affinity.slice(5)
    const attr = b.attributes[b.allocations[ordinal] as number]
    if (attr) {
      if (attr.handle_id === WINDOWS_RESERVED_HANDLE) recordInUse(ip, 'Reserved for Windows')
      else if (attr.handle_id !== undefined) {
        alloc.handle = attr.handle_id
        inUseHandles.add(attr.handle_id)
      }
      if (attr.releasedAt !== undefined) alloc.coolingDown = true
      const owner = attr.secondary ?? {}
      if (owner.node) node = owner.node
      if (owner.pod) alloc.pod = owner.pod
      if (owner.namespace) alloc.namespace = owner.namespace
      if (owner.type) alloc.type = owner.type
      if (owner.timestamp) alloc.creationTimestamp = owner.timestamp
    }
    alloc.sequenceNumber = sequenceNumberFor(b, ordinal)
    alloc.node = node
    if (node !== blockAffinity) alloc.borrowed = true
    allocations.set(ip, [...(allocations.get(ip) ?? []), alloc])
    byNode.set(node, [...(byNode.get(node) ?? []), alloc])
    if (options.showAllIps) printf(`  ${ip} allocated; attrs ${attributeText(alloc)}`)
  }

  printf('Loading all IPAM blocks...')
  const blocks = await inputs.blocks()
  printf(`Found ${blocks.length} IPAM blocks.`)
  let numAllocs = 0
  for (const { block } of blocks) {
    printf(` IPAM block ${block.cidr.text} affinity=${block.affinity ?? '<none>'}:`)
    block.allocations.forEach((index, ordinal) => {
      if (index === null) return
      numAllocs++
      recordAllocation(block, ordinal)
    })
  }
  printf(`IPAM blocks record ${numAllocs} allocations.`)
  printf('')

  printf('Loading all IPAM pools...')
  const activePools: Cidr[] = []
  for (const pool of await inputs.pools()) {
    if (pool.spec?.disabled === true) continue
    printf(`  ${pool.spec?.cidr}`)
    const cidr = parseCidr(String(pool.spec?.cidr ?? ''))
    if (!cidr) throw new Error(`failed to parse IP pool CIDR: invalid CIDR address: ${pool.spec?.cidr}`)
    activePools.push(cidr)
  }
  printf(`Found ${activePools.length} active IP pools.`)
  printf('')

  printf('Loading all nodes.')
  let numNodeIps = 0
  for (const node of await inputs.nodes()) {
    for (const ip of nodeTunnelIps(node)) {
      recordInUse(ip, `Node(${node.metadata.name})`)
      numNodeIps++
    }
  }
  printf(`Found ${numNodeIps} node tunnel IPs.`)
  printf('')

  printf('Loading all service load balancer IPs.')
  const services = await inputs.services()
  const kcc = await inputs.kubeControllersConfiguration()
  const loadBalancer = (kcc.spec?.controllers as Record<string, any> | undefined)?.loadBalancer
  if (!loadBalancer) printf('No configuration for LoadBalancer kubecontroller found, skipping service check')
  else {
    let count = 0
    for (const svc of services) {
      if (!isCalicoManagedLoadBalancer(svc, String(loadBalancer.assignIPs ?? ''))) continue
      count++
      for (const ingress of svc.status?.loadBalancer?.ingress ?? []) recordInUse(String(ingress.ip ?? ''), String(svc.metadata?.name ?? ''))
    }
    printf(`Found ${count} service load balancer(s).`)
  }
  printf('')

  printf('Loading all workload endpoints.')
  let numWepIps = 0
  for (const wep of await inputs.workloadEndpoints()) {
    const nets = (wep.spec?.ipNetworks as string[] | undefined) ?? []
    for (const net of nets) {
      let ip: string
      try {
        ip = normaliseIp(net)
      } catch (err) {
        throw new Error(`failed to parse IP (${net}) of workload ${wep.metadata.namespace}/${wep.metadata.name}: ${(err as Error).message}`)
      }
      recordInUse(ip, `Workload(${wep.metadata.namespace}/${wep.metadata.name})`)
      numWepIps++
    }
  }
  printf(`Found ${numWepIps} workload IPs.`)
  printf(`Workloads and nodes are using ${inUseIps.size} IPs.`)
  printf('')

  printf('Loading all handles')
  const handles = new Map<string, HandleInfo>()
  for (const h of await inputs.handles()) handles.set(h.id, { ID: h.id, UID: inputs.handleUid(h), Revision: h.revision })

  printf('Looking for top (up to 20) nodes by allocations...')
  const nodes = [...byNode.keys()].sort((a, b) => (byNode.get(b)?.length ?? 0) - (byNode.get(a)?.length ?? 0))
  for (const n of nodes.slice(0, 20)) printf(`  ${n} has ${byNode.get(n)?.length} allocations`)
  if (nodes.length > 0) printf(`Node with most allocations has ${byNode.get(nodes[0])?.length}; median is ${byNode.get(nodes[Math.floor(nodes.length / 2)])?.length}`)
  printf('')

  let problems = 0
  printf('Scanning for IPs that are allocated but not actually in use...')
  let leaked = 0
  for (const [ip, allocs] of allocations) {
    if (inUseIps.has(ip) || allocs.some((a) => a.coolingDown)) continue
    if (options.showProblemIps) for (const a of allocs) printf(`  ${ip} leaked; attrs ${attributeText(a)}`)
    leaked++
  }
  problems += leaked
  printf(`Found ${leaked} IPs that are allocated in IPAM but not actually in use.`)

  printf('Scanning for IPs that are in use by a workload or node but not allocated in IPAM...')
  let notInPools = 0
  let notAllocated = 0
  for (const [ip, owners] of inUseIps) {
    if (options.showProblemIps && owners.length > 1) printf(`  ${ip} has multiple owners.`)
    if (allocations.has(ip)) continue
    if (!activePools.some((cidr) => contains(cidr, ip))) {
      if (options.showProblemIps) for (const owner of owners) printf(`  ${ip} in use by ${owner} is not in any active IP pool.`)
      notInPools++
      continue
    }
    if (options.showProblemIps) for (const owner of owners) printf(`  ${ip} in use by ${owner} and in active IPAM pool but has no IPAM allocation.`)
    notAllocated++
  }
  problems += notInPools + notAllocated
  printf(`Found ${notInPools} in-use IPs that are not in active IP pools.`)
  printf(`Found ${notAllocated} in-use IPs that are in active IP pools but have no corresponding IPAM allocation.`)
  printf('')

  printf('Scanning for IPAM handles with no matching IPs...')
  let good = 0
  const leakedHandles: HandleInfo[] = []
  for (const [id, handle] of handles) {
    if (inUseHandles.has(id)) {
      good++
      continue
    }
    if (options.showAllIps) printf(`  ${id} doesn't have any active IPs.`)
    problems++
    leakedHandles.push(handle)
  }
  printf(`Found ${leakedHandles.length} handles with no matching IPs (and ${good} handles with matches).`)

  printf('Scanning for IPs with missing handle...')
  let missing = 0
  for (const id of inUseHandles) {
    if (handles.has(id)) continue
    if (options.showProblemIps) printf(`  ${id} is in use in a block but doesn't exist.`)
    missing++
  }
  printf(`Found ${missing} handles mentioned in blocks with no matching handle resource.`)

  printf('Validating IPAMBlock structures...')
  let invalid = 0
  for (const { block } of blocks) {
    const problem = validateBlock(block)
    if (problem === undefined) continue
    printf(`  IPAMBlock BlockKey(cidr=${block.cidr.text}) is invalid: ${problem}`)
    problems++
    invalid++
  }
  printf(`Found ${invalid} invalid IPAMBlocks.`)
  printf(`Check complete; found ${problems} problems.`)

  if (options.output) {
    const report = {
      version: options.version,
      clusterGUID: String(info.spec?.clusterGUID ?? ''),
      datastoreLocked: info.spec?.datastoreReady === false,
      clusterInformationRevision: info.metadata.resourceVersion ?? '',
      clusterType: String(info.spec?.clusterType ?? ''),
      allocations: Object.fromEntries(
        [...allocations.keys()].sort().map((ip) => [
          ip,
          (allocations.get(ip) ?? []).map((a) => ({
            ip: a.ip,
            handle: a.handle || undefined,
            sequenceNumber: a.sequenceNumber,
            pod: a.pod || undefined,
            namespace: a.namespace || undefined,
            node: a.node || undefined,
            type: a.type || undefined,
            creationTimestamp: a.creationTimestamp || undefined,
            inUse: a.inUse,
            borrowed: a.borrowed || undefined,
            coolingDown: a.coolingDown || undefined,
            owners: a.owners,
          })),
        ]),
      ),
      leakedHandles: leakedHandles.length > 0 ? leakedHandles : undefined,
    }
    // Upstream ignores a failed write.
    try {
      writeFileSync(options.output, toGoJson(report, true), { mode: 0o777 })
    } catch {
      // As upstream: the report is best effort.
    }
  }
}

/** The v3 kinds the check lists through the client. */
export async function listKind(client: CalicoClient, kind: string): Promise<Resource[]> {
  return (await client.list(await knownKind(kind))).items
}
