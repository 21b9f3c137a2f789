import { describe, expect, it } from 'vitest'
import { parseBlock, type AllocationBlock } from '../../src/ipam/model.js'
import { borrowedReport, configurationTable, ipReport, utilizationTable } from '../../src/ipam/render.js'
import { utilization } from '../../src/ipam/utilization.js'
import { API_VERSION, type Resource } from '../../src/resources/types.js'

const pool = (name: string, cidr: string): Resource => ({ apiVersion: API_VERSION, kind: 'IPPool', metadata: { name }, spec: { cidr } })
const reservation = (name: string, reservedCIDRs: string[]): Resource => ({ apiVersion: API_VERSION, kind: 'IPReservation', metadata: { name }, spec: { reservedCIDRs } })

/** A /26 as calico-node writes it: the first ordinals allocated in order, the rest free. */
function block(cidr: string, affinity: string | null, attributes: object[]): AllocationBlock {
  const allocations = Array.from({ length: 64 }, (_, i) => (i < attributes.length ? i : null))
  const unallocated = Array.from({ length: 64 - attributes.length }, (_, i) => i + attributes.length)
  return parseBlock({ cidr, affinity, allocations, unallocated, attributes, deleted: false }) as AllocationBlock
}

const N1_BLOCK = block('10.65.0.0/26', 'host:n1', [
  { handle_id: 'ipip-tunnel-addr-n1', secondary: { node: 'n1', type: 'ipipTunnelAddress' } },
  { handle_id: 'k8s-pod-network.aaa', secondary: { namespace: 'default', node: 'n1', pod: 'web' } },
  { handle_id: 'k8s-pod-network.bbb', secondary: { namespace: 'default', node: 'n2', pod: 'db' } },
  { secondary: null },
])
const N2_BLOCK = block('10.65.0.64/26', 'host:n2', [{ handle_id: 'k8s-pod-network.ccc', secondary: { namespace: 'kv', node: 'n2', 'vmi-name': 'vm1' } }])
const ORPHAN_V4 = block('192.168.0.0/26', null, [{ handle_id: 'vxlan-tunnel-addr-n3', secondary: { node: 'n3', type: 'vxlanTunnelAddress' } }])
const ORPHAN_V6 = block('fd00:99::/122', 'host:n1', [{ handle_id: 'x', secondary: { node: 'n1' } }])

const POOLS = [pool('p1', '10.65.0.0/16'), pool('p2', 'fd00:10::/120')]
const RESERVATIONS = [reservation('r1', ['10.65.0.0/30', '10.65.0.2', ' 10.65.1.0/24 '])]
const BLOCKS = [N1_BLOCK, N2_BLOCK, ORPHAN_V4, ORPHAN_V6]

describe('IP utilization', () => {
  const usage = utilization(POOLS, BLOCKS, RESERVATIONS)

  it('counts a reserved address once however many reservations name it, and allocated-and-reserved ones once', () => {
    const [p1] = usage
    expect(p1).toMatchObject({ capacity: 65536n, inUse: 5n, reserved: 260n, free: 65275n })
    expect(p1.blocks.map((b) => [b.cidr.text, b.inUse, b.reserved, b.free])).toEqual([
      ['10.65.0.0/26', 4n, 4n, 60n],
      ['10.65.0.64/26', 1n, 0n, 63n],
    ])
  })

  it('puts IPv4 blocks without a pool under 0.0.0.0/0 and drops IPv6 ones, as upstream', () => {
    expect(usage.map((u) => [u.cidr.text, u.blocks.map((b) => b.cidr.text)])).toEqual([
      ['10.65.0.0/16', ['10.65.0.0/26', '10.65.0.64/26']],
      ['fd00:10::/120', []],
      ['0.0.0.0/0', ['192.168.0.0/26']],
    ])
  })

  it('prints a row per pool, numbers right-aligned', () => {
    expect(utilizationTable(usage, false)).toBe(
      [
        '+----------+---------------+-----------+------------+--------------+--------------+',
        '| GROUPING | CIDR          | IPS TOTAL | IPS IN USE | IPS RESERVED | IPS FREE     |',
        '+----------+---------------+-----------+------------+--------------+--------------+',
        '| IP Pool  | 10.65.0.0/16  |     65536 |     5 (0%) |     260 (0%) | 65275 (100%) |',
        '| IP Pool  | fd00:10::/120 |       256 |     0 (0%) |       0 (0%) |   256 (100%) |',
        '+----------+---------------+-----------+------------+--------------+--------------+',
        '',
      ].join('\n'),
    )
  })

  it('adds the blocks after their pool, and orphaned blocks without a pool row', () => {
    expect(utilizationTable(usage, true)).toBe(
      [
        '+----------+----------------+-----------+------------+--------------+--------------+',
        '| GROUPING | CIDR           | IPS TOTAL | IPS IN USE | IPS RESERVED | IPS FREE     |',
        '+----------+----------------+-----------+------------+--------------+--------------+',
        '| IP Pool  | 10.65.0.0/16   |     65536 |     5 (0%) |     260 (0%) | 65275 (100%) |',
        '| Block    | 10.65.0.0/26   |        64 |     4 (6%) |       4 (6%) |     60 (94%) |',
        '| Block    | 10.65.0.64/26  |        64 |     1 (2%) |       0 (0%) |     63 (98%) |',
        '| IP Pool  | fd00:10::/120  |       256 |     0 (0%) |       0 (0%) |   256 (100%) |',
        '| Block    | 192.168.0.0/26 |        64 |     1 (2%) |       0 (0%) |     63 (98%) |',
        '+----------+----------------+-----------+------------+--------------+--------------+',
        '',
      ].join('\n'),
    )
  })

  it('reports a large IPv6 pool at the largest Go int', () => {
    const table = utilizationTable(utilization([pool('v6', 'fd00::/48')], [], []), false)
    expect(table).toContain('| IP Pool  | fd00::/48 | 9.2234e+18 |     0 (0%) |       0 (0%) | 9.2234e+18 (100%) |')
  })
})

describe('borrowed addresses', () => {
  it('lists allocations held by another node than the block owner, then notes the unclassifiable ones', () => {
    expect(borrowedReport(BLOCKS)).toBe(
      [
        '+-------------+----------------+----------------+-------------+--------------------+--------------+',
        '| IP          | BORROWING-NODE | BLOCK          | BLOCK OWNER | TYPE               | ALLOCATED-TO |',
        '+-------------+----------------+----------------+-------------+--------------------+--------------+',
        '| 10.65.0.2   | n2             | 10.65.0.0/26   | n1          | pod                | default/db   |',
        '| 192.168.0.0 | n3             | 192.168.0.0/26 |             | vxlanTunnelAddress |              |',
        '+-------------+----------------+----------------+-------------+--------------------+--------------+',
        '',
        'Note: found 1 IP allocations without an explicit node association. Unable to determine if they are borrowed.',
        '',
      ].join('\n'),
    )
  })

  it('names a KubeVirt VM by namespace and VMI name', () => {
    const kv = block('10.65.0.128/26', 'host:n1', [{ secondary: { namespace: 'kv', node: 'n2', 'vmi-name': 'vm1', pod: 'virt-launcher-vm1' } }])
    expect(borrowedReport([kv])).toContain('| 10.65.0.128 | n2             | 10.65.0.128/26 | n1          | vmi  | kv/vm1       |')
  })

  it('draws the empty table when nothing is borrowed', () => {
    expect(borrowedReport([N2_BLOCK])).toBe(
      [
        '+----+----------------+-------+-------------+------+--------------+',
        '| IP | BORROWING-NODE | BLOCK | BLOCK OWNER | TYPE | ALLOCATED-TO |',
        '+----+----------------+-------+-------------+------+--------------+',
        '+----+----------------+-------+-------------+------+--------------+',
        '',
      ].join('\n'),
    )
  })
})

describe('one address', () => {
  it('prints the handle and the owner attributes sorted by key', () => {
    expect(
      ipReport('10.65.0.1', {
        handle_id: 'k8s-pod-network.aaa',
        secondary: { pod: 'web', namespace: 'default', node: 'n1' },
        alternateOwnerAttrs: { pod: 'web-new', namespace: 'default' },
      }),
    ).toBe(
      'IP 10.65.0.1 is in use\nHandle ID: k8s-pod-network.aaa\nActive Owner Attributes:\n  namespace: default\n  node: n1\n  pod: web\n' +
        'Alternate Owner Attributes:\n  namespace: default\n  pod: web-new\n',
    )
  })

  it('says so when there is no handle or attribute, or no allocation', () => {
    expect(ipReport('10.65.0.3', {})).toBe('IP 10.65.0.3 is in use\nHandle ID: <none>\nNo Active Owner attributes defined\n')
    expect(ipReport('10.65.0.9', undefined)).toBe('10.65.0.9 is not assigned\n')
  })
})

describe('IPAM configuration', () => {
  it('prints each field as Go %#v does, an unset persistence as a nil pointer', () => {
    expect(configurationTable({ strictAffinity: false, autoAllocateBlocks: true, maxBlocksPerHost: 0, ipCooldownSeconds: 0 })).toBe(
      [
        '+------------------------------+-----------------------------------+',
        '| PROPERTY                     | VALUE                             |',
        '+------------------------------+-----------------------------------+',
        '| StrictAffinity               | false                             |',
        '| AutoAllocateBlocks           | true                              |',
        '| MaxBlocksPerHost             | 0                                 |',
        '| KubeVirtVMAddressPersistence | (*ipam.VMAddressPersistence)(nil) |',
        '| IPCooldownSeconds            | 0                                 |',
        '+------------------------------+-----------------------------------+',
        '',
      ].join('\n'),
    )
  })

  it('shows a set persistence by its value', () => {
    const table = configurationTable({ strictAffinity: true, autoAllocateBlocks: true, maxBlocksPerHost: 4, kubeVirtVMAddressPersistence: 'Disabled', ipCooldownSeconds: 30 })
    expect(table).toContain('| KubeVirtVMAddressPersistence | "Disabled" |')
    expect(table).toContain('| MaxBlocksPerHost             | 4          |')
  })
})
