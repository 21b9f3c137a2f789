import { describe, expect, it } from 'vitest'
import type { AffinityKv, BlockKv, HandleKv, IpamKv } from '../../src/datastore/ipam-kv.js'
import { ConflictError } from '../../src/errors.js'
import { decodeStoredBlock, encodeEtcdBlock, garbageCollect, releaseFromBlock, ReleaseConflictError, type StoredBlock } from '../../src/ipam/block.js'
import { isCalicoManagedLoadBalancer, normaliseIp, validateBlock } from '../../src/ipam/check.js'
import { parseJson64 } from '../../src/json64.js'
import { DEFAULT_IPAM_CONFIG } from '../../src/ipam/model.js'
import { releaseIps, type IpamWriter } from '../../src/ipam/release.js'
import { mergeReports } from '../../src/ipam/release-run.js'
import { splitCidr } from '../../src/ipam/split.js'
import { parseCidr } from '../../src/net/cidr.js'

/** A /30 as libcalico-go stores it: ordinals 0 and 1 allocated to handles a and b. */
const STORED =
  '{"cidr":"10.0.0.0/30","affinity":"host:n1","allocations":[0,1,null,null],"unallocated":[2,3],' +
  '"attributes":[{"handle_id":"a","secondary":{"node":"n1","pod":"p"}},{"handle_id":"b"}],' +
  '"sequenceNumber":1767225600000000123,"sequenceNumberForAllocation":{"0":1767225600000000001,"1":1767225600000000002},"deleted":false}'

const block = (): StoredBlock => decodeStoredBlock(parseJson64(STORED) as Record<string, unknown>) as StoredBlock

describe('IPAM block JSON', () => {
  it('keeps 64-bit sequence numbers exact and writes the block back byte for byte', () => {
    const b = block()
    expect(b.sequenceNumber).toBe(1767225600000000123n)
    expect(b.sequenceNumberForAllocation['1']).toBe(1767225600000000002n)
    expect(encodeEtcdBlock(b)).toBe(STORED)
  })

  it('reads JSON as JSON.parse does otherwise', () => {
    expect(parseJson64('{"a":[1,2.5,-3e2,"x\\"y",true,null,{}],"b":9007199254740993}')).toEqual({ a: [1, 2.5, -300, 'x"y', true, null, {}], b: 9007199254740993n })
    expect(() => parseJson64('{"a":1,}')).toThrow(SyntaxError)
  })
})

describe('releasing from a block', () => {
  const now = new Date('2026-12-05T10:00:00.500Z')

  it('frees the ordinal at once without a cooldown, and counts the handle', () => {
    const b = block()
    const { unallocated, countByHandle } = releaseFromBlock(b, [{ address: '10.0.0.1' }], 0, now)
    expect(unallocated).toEqual([])
    expect([...countByHandle]).toEqual([['b', 1]])
    expect(b.allocations).toEqual([0, null, null, null])
    expect(b.unallocated).toEqual([2, 3, 1])
    expect(b.attributes).toEqual([{ handle_id: 'a', secondary: { node: 'n1', pod: 'p' } }])
    expect(b.sequenceNumberForAllocation).toEqual({ '0': 1767225600000000001n })
  })

  it('keeps a released address cooling down, then frees it once the cooldown passed', () => {
    const b = block()
    releaseFromBlock(b, [{ address: '10.0.0.1' }], 60, now)
    expect(b.allocations).toEqual([0, 1, null, null])
    expect(b.attributes[1]).toEqual({ releasedAt: '2026-12-05T10:00:00Z' })
    // The sequence number of the release, so a later release by sequence number fails.
    expect(b.sequenceNumberForAllocation['1']).toBe(1767225600000000123n)
    expect(releaseFromBlock(b, [{ address: '10.0.0.1' }], 60, now).unallocated).toEqual(['10.0.0.1'])
    expect(garbageCollect(b, 60, new Date('2026-12-05T10:00:59Z'))).toBe(false)
    expect(garbageCollect(b, 60, new Date('2026-12-05T10:01:01Z'))).toBe(true)
    expect(b.allocations).toEqual([0, null, null, null])
  })

  it('refuses the whole release when a sequence number or handle is stale', () => {
    const b = block()
    expect(() => releaseFromBlock(b, [{ address: '10.0.0.0', sequenceNumber: 1767225600000000002n }], 0, now)).toThrow(ReleaseConflictError)
    expect(() => releaseFromBlock(b, [{ address: '10.0.0.0', sequenceNumber: 1767225600000000002n }], 0, now)).toThrow('update conflict: 10.0.0.0')
    expect(() => releaseFromBlock(b, [{ address: '10.0.0.0', handle: 'b' }], 0, now)).toThrow('update conflict: 10.0.0.0')
    expect(encodeEtcdBlock(b)).toBe(STORED)
    expect(releaseFromBlock(b, [{ address: '10.0.0.0', sequenceNumber: 1767225600000000001n, handle: 'a' }], 0, now).unallocated).toEqual([])
  })
})

describe('validateBlock', () => {
  it("finds upstream's structural problems", () => {
    expect(validateBlock(block())).toBeUndefined()
    const dangling = block()
    dangling.allocations[2] = 7
    expect(validateBlock(dangling)).toBe('allocation 2 indexes a nonexistent attribute 7')
    const unused = block()
    unused.attributes.push({ handle_id: 'c' })
    expect(validateBlock(unused)).toBe('attribute index 2 exists but is not indexed by an allocation')
    const twice = block()
    twice.unallocated.push(2)
    expect(validateBlock(twice)).toBe('ordinal 2 appears more than once in Unallocated array')
    const both = block()
    both.unallocated.push(0)
    expect(validateBlock(both)).toBe('ordinal 0 is allocated but appears in Unallocated')
    const lost = block()
    lost.unallocated.pop()
    expect(validateBlock(lost)).toBe('expected 4 addresses in this block, but Unallocated (1) + Allocated (2) = 3')
  })
})

describe('ipam check helpers', () => {
  it('normalises addresses as cnet.ParseCIDROrIP then String()', () => {
    expect(normaliseIp('10.65.0.5/32')).toBe('10.65.0.5')
    expect(normaliseIp('fd00:0::1')).toBe('fd00::1')
    expect(() => normaliseIp('10.65.0.5/33')).toThrow('invalid CIDR address: 10.65.0.5/33')
  })

  it("decides which Services Calico's load balancer controller manages", () => {
    const svc = (spec: object, annotations = {}) => ({ metadata: { annotations }, spec: { type: 'LoadBalancer', ...spec } })
    expect(isCalicoManagedLoadBalancer(svc({}), 'AllServices')).toBe(true)
    expect(isCalicoManagedLoadBalancer(svc({ loadBalancerClass: 'other' }), 'AllServices')).toBe(false)
    expect(isCalicoManagedLoadBalancer(svc({}), 'RequestedServicesOnly')).toBe(false)
    expect(isCalicoManagedLoadBalancer(svc({}, { 'projectcalico.org/ipv4pools': '["p"]' }), 'RequestedServicesOnly')).toBe(true)
    expect(isCalicoManagedLoadBalancer(svc({ loadBalancerClass: 'calico' }), 'RequestedServicesOnly')).toBe(true)
    expect(isCalicoManagedLoadBalancer({ spec: { type: 'ClusterIP' } }, 'AllServices')).toBe(false)
  })
})

describe('mergeReports', () => {
  const report = (leaked: Array<[string, bigint]>, handles: Array<[string, string]>) => ({
    version: 'v3.31.0',
    clusterGUID: 'g',
    clusterInformationRevision: '1',
    allocations: Object.fromEntries(leaked.map(([ip, seq]) => [ip, [{ ip, handle: `h-${ip}`, sequenceNumber: seq, inUse: false }]])),
    leakedHandles: handles.map(([ID, Revision]) => ({ ID, UID: null, Revision })),
  })

  it('keeps only what every report calls leaked, and handles unchanged between them', () => {
    const { ips, handles } = mergeReports([
      report([['10.0.0.1', 5n], ['10.0.0.2', 6n]], [['x', '10'], ['y', '11']]),
      report([['10.0.0.2', 6n], ['10.0.0.3', 7n]], [['x', '10'], ['y', '12']]),
    ])
    expect([...ips.values()]).toEqual([{ address: '10.0.0.2', handle: 'h-10.0.0.2', sequenceNumber: 6n }])
    expect([...handles.keys()]).toEqual(['x'])
  })
})

describe('splitCidr', () => {
  it('splits into equal CIDRs in address order', () => {
    expect(splitCidr('10.65.0.0/16', 4)).toEqual(['10.65.0.0/18', '10.65.64.0/18', '10.65.128.0/18', '10.65.192.0/18'])
    expect(splitCidr('fd00::/120', 2)).toEqual(['fd00::/121', 'fd00::80/121'])
  })

  it("refuses what upstream refuses, and 0, which upstream mishandles", () => {
    for (const n of [3, 1, -2, 0]) expect(() => splitCidr('10.65.0.0/16', n)).toThrow(`number to split CIDR into is not a valid power of 2: ${n}`)
    expect(() => splitCidr('10.65.0.0/31', 4)).toThrow('the CIDR 10.65.0.0/31 is not large enough to be split into 4 parts')
  })
})

/** IPAM objects in memory, with the datastore's compare-and-swap: a write at a stale revision conflicts. */
function memoryKv(initial: StoredBlock, handles: HandleKv[]) {
  let revision = 1
  let stored: BlockKv | undefined = { block: structuredClone(initial), revision: String(revision) }
  const handleMap = new Map(handles.map((h) => [h.id, h]))
  const state = {
    /** Runs once, between the release's read of the block and its write: another client's write. */
    interleave: undefined as undefined | ((b: StoredBlock) => void),
    writes: 0,
    get block() {
      return stored?.block
    },
    handles: handleMap,
  }
  const kv: IpamKv = {
    listBlocks: async () => (stored ? [structuredClone(stored)] : []),
    getBlock: async () => stored && structuredClone(stored),
    async updateBlock(next) {
      if (state.interleave && stored) {
        const other = state.interleave
        state.interleave = undefined
        other(stored.block)
        stored = { block: stored.block, revision: String(++revision) }
      }
      if (!stored || next.revision !== stored.revision) throw new ConflictError({ kind: 'IPAMBlock', name: 'b' })
      state.writes++
      stored = { block: structuredClone(next.block), revision: String(++revision) }
      return structuredClone(stored)
    },
    async deleteBlock() {
      stored = undefined
    },
    listHandles: async () => [...handleMap.values()].map((h) => structuredClone(h)),
    getHandle: async (id) => structuredClone(handleMap.get(id)),
    async updateHandle(h) {
      handleMap.set(h.id, structuredClone(h))
      return h
    },
    async deleteHandle(h) {
      handleMap.delete(h.id)
    },
    listAffinities: async () => [] as AffinityKv[],
    getAffinity: async () => undefined,
    updateAffinity: async (a) => a,
    deleteAffinity: async () => undefined,
  }
  const writer: IpamWriter = {
    kv,
    store: { getConfig: async () => ({ config: { ...DEFAULT_IPAM_CONFIG }, revision: '1' }) } as never,
    pools: async () => [{ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.0.0.0/24', blockSize: 30 } }],
    node: async () => undefined,
  }
  return { writer, state }
}

describe('releaseIps', () => {
  const handles = (): HandleKv[] => [
    { id: 'a', block: { '10.0.0.0/30': 1 }, deleted: false, revision: '1' },
    { id: 'b', block: { '10.0.0.0/30': 1 }, deleted: false, revision: '1' },
  ]

  it('retries on a compare-and-swap conflict, keeping the allocation another client made meanwhile', async () => {
    const { writer, state } = memoryKv(block(), handles())
    // Between our read and our write, the CNI plugin allocates ordinal 2.
    state.interleave = (b) => {
      b.allocations[2] = b.attributes.length
      b.attributes.push({ handle_id: 'c' })
      b.unallocated = [3]
      b.sequenceNumberForAllocation['2'] = b.sequenceNumber
      b.sequenceNumber += 1n
    }
    expect(await releaseIps(writer, [{ address: '10.0.0.1' }])).toEqual({ unallocated: [], error: undefined })
    expect(state.writes).toBe(1)
    expect(state.block?.allocations).toEqual([0, null, 1, null])
    expect(state.block?.attributes.map((a) => a.handle_id)).toEqual(['a', 'c'])
    expect(state.block?.unallocated).toEqual([3, 1])
    // The release's write counts one more than the block it read (which already had the other write).
    expect(state.block?.sequenceNumber).toBe(1767225600000000125n)
    expect(state.handles.has('b')).toBe(false)
    expect(state.handles.get('a')?.block).toEqual({ '10.0.0.0/30': 1 })
  })

  it('reports an address outside every block as not allocated', async () => {
    const { writer, state } = memoryKv(block(), handles())
    expect(await releaseIps(writer, [{ address: '10.1.0.1' }])).toEqual({ unallocated: ['10.1.0.1'], error: undefined })
    expect(state.writes).toBe(0)
  })

  it('deletes a block left empty without affinity, and returns the first error a block met', async () => {
    const b = block()
    b.affinity = null
    const { writer, state } = memoryKv(b, handles())
    expect((await releaseIps(writer, [{ address: '10.0.0.0' }, { address: '10.0.0.1' }])).error).toBeUndefined()
    expect(state.block).toBeUndefined()
    expect(state.handles.size).toBe(0)
    const stale = memoryKv(block(), handles())
    const result = await releaseIps(stale.writer, [{ address: '10.0.0.0', sequenceNumber: 1n }])
    expect(result.error?.message).toBe('update conflict: 10.0.0.0')
    expect(parseCidr(stale.state.block?.cidr.text ?? '')?.text).toBe('10.0.0.0/30')
  })
})
