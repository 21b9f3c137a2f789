/**
 * The IPPool rules of issue 9 (section 3), each with the line a user sees: the CRD's CEL rules at
 * their edges, the client's update checks, its overlap listing (clientv3/ippool.go
 * validateAndSetDefaults) and its create check against the blocks IPAM has allocated.
 */
import { describe, expect, it } from 'vitest'
import { CalicoClient, prepareResource } from '../../src/client/calico-client.js'
import { ValidationError } from '../../src/errors.js'
import { parseBlock } from '../../src/ipam/model.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import { kindByKind } from '../../src/resources/all-kinds.js'
import type { Resource } from '../../src/resources/types.js'
import { MemoryDatastore } from '../support/memory-datastore.js'

const ipPool = kindByKind('IPPool') as KindDefinition
type Spec = Record<string, unknown>

const pool = (name: string, spec: Spec): Resource => ({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name }, spec })

/** What the user reads after `failed to create 'IPPool' resource: [...]`; '' when the pool is accepted. */
function message(spec: Spec, existing?: Spec): string {
  const stored = existing && prepareResource(ipPool, pool('p', existing), 'create')
  try {
    prepareResource(ipPool, pool('p', spec), stored ? 'update' : 'create', stored)
    return ''
  } catch (err) {
    if (err instanceof ValidationError) return err.message
    throw err
  }
}

const cel = (text: string) => `error with field spec (${text})`
const TOO_SMALL = cel('IP pool size is too small for use with Calico IPAM. It must be equal to or greater than the block size.')
const LB_SELECTOR = cel('IP Pool with AllowedUse LoadBalancer must have nodeSelector set to all()')
const TUNNEL_NAMESPACES = cel('IP Pool with AllowedUse Tunnel cannot have namespaceSelector')
const V4_LINK_LOCAL = cel('IPPool CIDR overlaps with IPv4 link local range 169.254.0.0/16')
const V6_LINK_LOCAL = cel('IPPool CIDR overlaps with IPv6 link local range fe80::/10')

describe('IPPool rules of the CRD, at their edges', () => {
  it.each<[string, Spec, string]>([
    ['a /26 pool with blockSize 26 (the block is the whole pool)', { cidr: '10.0.0.0/26', blockSize: 26 }, ''],
    ['a /26 pool with the IPv4 default block size', { cidr: '10.0.0.0/26' }, ''],
    ['a /27 pool with the IPv4 default block size', { cidr: '10.0.0.0/27' }, TOO_SMALL],
    ['a /27 pool with blockSize 26', { cidr: '10.0.0.0/27', blockSize: 26 }, TOO_SMALL],
    ['a /27 pool with blockSize 27', { cidr: '10.0.0.0/27', blockSize: 27 }, ''],
    ['a /122 pool with the IPv6 default block size', { cidr: 'fd00::/122' }, ''],
    ['a /123 pool with the IPv6 default block size', { cidr: 'fd00::/123' }, TOO_SMALL],
    ['a /123 pool with blockSize 123', { cidr: 'fd00::/123', blockSize: 123 }, ''],
    ['a disabled /28 pool', { cidr: '10.0.0.0/28', disabled: true }, ''],
  ])('block size: %s', (_what, spec, expected) => expect(message(spec)).toBe(expected))

  it.each<[string, Spec, string]>([
    ['nodeSelector all()', { nodeSelector: 'all()' }, ''],
    ['no nodeSelector (the client makes it all())', {}, ''],
    ['a nodeSelector naming a zone', { nodeSelector: "zone == 'a'" }, LB_SELECTOR],
    ['nodeSelector !all()', { nodeSelector: '!all()' }, LB_SELECTOR],
  ])('a LoadBalancer pool with %s', (_what, spec, expected) =>
    expect(message({ cidr: '10.0.0.0/16', allowedUses: ['LoadBalancer'], ...spec })).toBe(expected),
  )

  it('lets a pool for other uses select nodes', () => {
    expect(message({ cidr: '10.0.0.0/16', allowedUses: ['Workload'], nodeSelector: "zone == 'a'" })).toBe('')
  })

  it.each<[string, Spec, string]>([
    ['the default uses (Workload and Tunnel)', { namespaceSelector: "team == 'a'" }, TUNNEL_NAMESPACES],
    ['Tunnel alone', { allowedUses: ['Tunnel'], namespaceSelector: "team == 'a'" }, TUNNEL_NAMESPACES],
    ['Workload alone', { allowedUses: ['Workload'], namespaceSelector: "team == 'a'" }, ''],
    ['Tunnel and an empty selector', { allowedUses: ['Tunnel'], namespaceSelector: '' }, ''],
  ])('namespaceSelector with %s', (_what, spec, expected) => expect(message({ cidr: '10.0.0.0/16', ...spec })).toBe(expected))

  it.each<[string, string]>([
    ['fe80::/64', V6_LINK_LOCAL],
    ['fe80::/10', V6_LINK_LOCAL],
    ['febf:ffff::/32', V6_LINK_LOCAL],
    ['fe00::/8', V6_LINK_LOCAL],
    ['fec0::/64', ''],
    ['fe40::/64', ''],
    ['fd00::/64', ''],
    ['169.254.0.0/24', V4_LINK_LOCAL],
    ['169.0.0.0/8', V4_LINK_LOCAL],
    ['169.255.0.0/16', ''],
    ['169.253.0.0/16', ''],
  ])('link-local ranges: %s', (cidr, expected) => expect(message({ cidr })).toBe(expected))
})

describe("IPPool update checks of the client", () => {
  const LB_CHANGE = (uses: string) =>
    `error with field IPPool.Spec.AllowedUses = '${uses}' (IPPool allowed use cannot be changed from LoadBalacer to Workload or Tunnel)`
  const stored = { cidr: '10.0.0.0/16', allowedUses: ['LoadBalancer'] }

  it.each<[string[], string]>([
    [['LoadBalancer'], ''],
    [['Workload'], LB_CHANGE('[Workload]')],
    [['Tunnel'], LB_CHANGE('[Tunnel]')],
    [['LoadBalancer', 'Workload'], LB_CHANGE('[LoadBalancer Workload]')],
  ])('a LoadBalancer pool updated to %j', (allowedUses, expected) => expect(message({ ...stored, allowedUses }, stored)).toBe(expected))

  it('reports the LoadBalancer change alone, even with a CIDR change before it and a block size change after it', () => {
    expect(message({ cidr: '10.1.0.0/16', blockSize: 24, allowedUses: ['Workload'] }, stored)).toBe(LB_CHANGE('[Workload]'))
  })

  it('lets a pool become a LoadBalancer pool', () => {
    expect(message({ cidr: '10.0.0.0/16', allowedUses: ['LoadBalancer'] }, { cidr: '10.0.0.0/16', allowedUses: ['Workload'] })).toBe('')
  })

  it('reports a CIDR change and a block size change together', () => {
    expect(message({ cidr: '10.1.0.0/16', blockSize: 24 }, { cidr: '10.0.0.0/16' })).toBe(
      'error with the following fields:\n' +
        "-  IPPool.Spec.CIDR = '10.1.0.0/16' (IPPool CIDR cannot be modified)\n" +
        "-  IPPool.Spec.BlockSize = '24' (IPPool BlockSize cannot be modified)\n",
    )
  })

  it('accepts the stored CIDR written another way', () => {
    expect(message({ cidr: 'fd00:0::/64' }, { cidr: 'fd00::/64' })).toBe('')
  })
})

/** A client on a store that already holds `pools`; what creating `spec` as pool `name` tells the user. */
async function createOn(store: MemoryDatastore, name: string, spec: Spec): Promise<string> {
  try {
    await new CalicoClient(store).create(ipPool, pool(name, spec))
    return ''
  } catch (err) {
    if (err instanceof ValidationError) return err.message
    throw err
  }
}

function storeWith(pools: Array<[string, string]>): MemoryDatastore {
  const store = new MemoryDatastore()
  for (const [name, cidr] of pools) {
    const stored = prepareResource(ipPool, pool(name, { cidr }), 'create')
    stored.metadata = { ...stored.metadata, uid: `uid-${name}`, creationTimestamp: '2026-12-01T00:00:00Z' }
    store.seed(ipPool, stored)
  }
  return store
}

describe('IPPool create: overlapping pools', () => {
  const overlap = (name: string, cidr: string) => `IPPool.Spec.CIDR = '10.0.0.0/12' (IPPool(new) CIDR overlaps with IPPool(${name}) CIDR ${cidr})`

  it('reports every overlapping pool, in the order the datastore lists them, and no other', async () => {
    const store = storeWith([
      ['c-wide', '10.0.0.0/8'],
      ['a-inside', '10.1.0.0/16'],
      ['b-apart', '192.168.0.0/16'],
      ['d-inside', '10.15.0.0/16'],
      ['e-after', '10.16.0.0/16'],
    ])
    expect(await createOn(store, 'new', { cidr: '10.0.0.0/12' })).toBe(
      'error with the following fields:\n' +
        `-  ${overlap('a-inside', '10.1.0.0/16')}\n` +
        `-  ${overlap('c-wide', '10.0.0.0/8')}\n` +
        `-  ${overlap('d-inside', '10.15.0.0/16')}\n`,
    )
    expect(store.stored('ippools/new')).toBeUndefined()
  })

  it('skips the pool of the same name (create then says it exists) and pools of the other family', async () => {
    const store = storeWith([
      ['new', '10.0.0.0/12'],
      ['v6', 'fd00::/8'],
    ])
    await expect(new CalicoClient(store).create(ipPool, pool('new', { cidr: '10.0.0.0/12' }))).rejects.toThrow(
      'resource already exists: IPPool(new) with error: <nil>',
    )
  })

  it('skips a stored pool whose CIDR does not parse', async () => {
    const store = new MemoryDatastore()
    store.seed(ipPool, pool('broken', { cidr: '10.0.0.0/40' }))
    expect(await createOn(store, 'new', { cidr: '10.0.0.0/12' })).toBe('')
  })

  it('reports overlaps and host bits together, before the validator', async () => {
    const store = storeWith([['a', '10.0.0.0/16']])
    expect(await createOn(store, 'new', { cidr: '10.0.0.1/12', ipipMode: 'Always', vxlanMode: 'Always' })).toBe(
      'error with the following fields:\n' +
        `-  ${overlap('a', '10.0.0.0/16')}\n` +
        "-  IPPool.Spec.CIDR = '10.0.0.0/12' (IPPool CIDR is not strictly masked)\n",
    )
  })
})

describe('IPPool create: blocks IPAM allocated with another block size', () => {
  const CONFLICT = (size: number) =>
    `error with field IPPool.Spec.BlockSize = '${size}' (IPPool blocksSize conflicts with existing allocations that use a different blockSize)`
  const block = (cidr: string) => parseBlock({ cidr, affinity: 'host:n1', allocations: [], unallocated: [], attributes: [] })!

  it.each<[string, string[], Spec, string]>([
    ['a /26 block inside a pool of /24 blocks', ['10.65.0.0/26'], { cidr: '10.65.0.0/16', blockSize: 24 }, CONFLICT(24)],
    ['a /26 block inside a pool of default blocks', ['10.65.0.0/26'], { cidr: '10.65.0.0/16' }, ''],
    ['a /26 block outside the pool', ['10.66.0.0/26'], { cidr: '10.65.0.0/16', blockSize: 24 }, ''],
    ['a /24 block wider than a /26 pool', ['10.65.0.0/24'], { cidr: '10.65.0.64/26', blockSize: 26 }, CONFLICT(26)],
    ['an IPv6 /122 block inside a pool of /120 blocks', ['fd00::/122'], { cidr: 'fd00::/64', blockSize: 120 }, CONFLICT(120)],
    ['an IPv6 block beside an IPv4 pool', ['::/122'], { cidr: '0.0.0.0/16', blockSize: 24 }, ''],
    ['a matching block after a conflicting one', ['10.65.0.0/24', '10.65.1.0/26'], { cidr: '10.65.0.0/16', blockSize: 24 }, CONFLICT(24)],
  ])('%s', async (_what, blocks, spec, expected) => {
    const store = new MemoryDatastore()
    store.blocks = blocks.map(block)
    expect(await createOn(store, 'pods', spec)).toBe(expected)
    expect(store.stored('ippools/pods') === undefined).toBe(expected !== '')
  })

  it('comes after the validator', async () => {
    const store = new MemoryDatastore()
    store.blocks = [block('10.65.0.0/26')]
    expect(await createOn(store, 'pods', { cidr: '10.65.0.0/16', blockSize: 24, ipipMode: 'Always', vxlanMode: 'Always' })).toBe(
      cel('ipipMode and vxlanMode cannot both be enabled'),
    )
  })

  it('leaves updates alone', async () => {
    const store = storeWith([['pods', '10.65.0.0/16']])
    store.blocks = [block('10.65.0.0/24')]
    const client = new CalicoClient(store)
    const stored = await client.get(ipPool, 'pods')
    const updated = await client.update(ipPool, { ...stored, spec: { ...stored.spec, natOutgoing: true } })
    expect(updated.spec).toMatchObject({ natOutgoing: true, blockSize: 26 })
  })
})
