/**
 * What `calicoctl ipam show` prints: go-pretty tables in the default style and the plain-text
 * report for one address, cell by cell as upstream formats them.
 */
import { renderBoxTable } from '../output/box-table.js'
import { goFormatFixed0, goFormatG5 } from './go-format.js'
import { attributeAt, ordinalToIp, type AllocationAttribute, type AllocationBlock, type IpamConfig } from './model.js'
import type { PoolUsage, Usage } from './utilization.js'

/** Upstream's counts are Go ints: an IPv6 pool larger than that is reported at the largest int. */
const MAX_INT = (1n << 63n) - 1n
const asInt = (n: bigint): number => Number(n > MAX_INT ? MAX_INT : n)

const UTILIZATION_HEADERS = ['GROUPING', 'CIDR', 'IPS TOTAL', 'IPS IN USE', 'IPS RESERVED', 'IPS FREE']

function usageRow(grouping: string, cidr: string, usage: Usage): string[] {
  const capacity = asInt(usage.capacity)
  const withPercentage = (n: bigint): string => `${goFormatG5(asInt(n))} (${goFormatFixed0((100 * asInt(n)) / capacity)}%)`
  return [grouping, cidr, goFormatG5(capacity), withPercentage(usage.inUse), withPercentage(usage.reserved), withPercentage(usage.free)]
}

/** A row per pool (none for the orphaned-blocks group, whose prefix is 0), then its blocks when asked. */
export function utilizationTable(pools: PoolUsage[], showBlocks: boolean): string {
  const rows: string[][] = []
  for (const pool of pools) {
    if (pool.cidr.prefix > 0) rows.push(usageRow('IP Pool', pool.cidr.text, pool))
    if (showBlocks) for (const block of pool.blocks) rows.push(usageRow('Block', block.cidr.text, block))
  }
  return renderBoxTable(UTILIZATION_HEADERS, rows, { alignRight: [2, 3, 4, 5] })
}

/**
 * Allocations whose node differs from the block's owner (or in blocks no one owns). Allocations
 * without a `node` attribute cannot be classified and are only counted, for the closing note.
 */
export function borrowedReport(blocks: AllocationBlock[]): string {
  const rows: string[][] = []
  let unclassified = 0
  for (const block of blocks) {
    // `host:<node>` -> `<node>`; upstream keeps the first part when there are not exactly two.
    const parts = block.affinity === null ? [] : block.affinity.split(':')
    const owner = parts.length === 2 ? parts[1] : (parts[0] ?? '')
    block.allocations.forEach((_, ordinal) => {
      const attribute = attributeAt(block, ordinal)
      if (!attribute) return
      const owners = attribute.secondary ?? {}
      const node = owners.node
      if (node === undefined) {
        unclassified++
        return
      }
      if (node === owner) return
      const namespace = owners.namespace ?? ''
      let type = owners.type ?? ''
      let allocatedTo = ''
      if (owners['vmi-name'] !== undefined) [type, allocatedTo] = ['vmi', `${namespace}/${owners['vmi-name']}`]
      else if (owners.pod !== undefined) [type, allocatedTo] = ['pod', `${namespace}/${owners.pod}`]
      rows.push([ordinalToIp(block, ordinal), node, block.cidr.text, owner, type, allocatedTo])
    })
  }
  const table = renderBoxTable(['IP', 'BORROWING-NODE', 'BLOCK', 'BLOCK OWNER', 'TYPE', 'ALLOCATED-TO'], rows)
  if (unclassified === 0) return table
  return `${table}\nNote: found ${unclassified} IP allocations without an explicit node association. Unable to determine if they are borrowed.\n`
}

/** `title:` then `  key: value` lines sorted by key; nothing for no attributes. */
function ownerAttributes(title: string, attributes: Record<string, string> | undefined): string {
  const keys = Object.keys(attributes ?? {}).sort()
  if (keys.length === 0) return ''
  return `${title}:\n${keys.map((k) => `  ${k}: ${attributes?.[k]}\n`).join('')}`
}

/** The report for `--ip`: whether the address is allocated, and to whom. */
export function ipReport(ip: string, attribute: AllocationAttribute | undefined): string {
  if (!attribute) return `${ip} is not assigned\n`
  const active = ownerAttributes('Active Owner Attributes', attribute.secondary)
  return (
    `IP ${ip} is in use\n` +
    // A handle the host-local migration wrote with a trailing "\r..." is cut there, as libcalico-go does.
    `Handle ID: ${attribute.handle_id?.split('\r')[0] ?? '<none>'}\n` +
    (active || 'No Active Owner attributes defined\n') +
    ownerAttributes('Alternate Owner Attributes', attribute.alternateOwnerAttrs)
  )
}

/**
 * Upstream prints each field with `%#v`. The persistence is a pointer there: unset prints as a nil
 * pointer; a set one would print its memory address, so its value is shown instead.
 */
export function configurationTable(config: IpamConfig): string {
  const persistence = config.kubeVirtVMAddressPersistence
  return renderBoxTable(
    ['PROPERTY', 'VALUE'],
    [
      ['StrictAffinity', String(config.strictAffinity)],
      ['AutoAllocateBlocks', String(config.autoAllocateBlocks)],
      ['MaxBlocksPerHost', String(config.maxBlocksPerHost)],
      ['KubeVirtVMAddressPersistence', persistence === undefined ? '(*ipam.VMAddressPersistence)(nil)' : JSON.stringify(persistence)],
      ['IPCooldownSeconds', String(config.ipCooldownSeconds)],
    ],
  )
}
