/**
 * calicoctl's resource manager Update (resourcemgr.go), behind apply of an existing resource and
 * replace: without a resourceVersion it reads the stored resource and updates it, up to 5 times,
 * 1 s apart, while the datastore answers with a conflict; with one it never retries.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CalicoClient } from '../../src/client/calico-client.js'
import { applyResource, replaceResource } from '../../src/crud/actions.js'
import { ConflictError, NotFoundError } from '../../src/errors.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import { kindByKind } from '../../src/resources/all-kinds.js'
import type { Resource } from '../../src/resources/types.js'
import { MemoryDatastore } from '../support/memory-datastore.js'

const netSet = kindByKind('GlobalNetworkSet') as KindDefinition
const ID = { kind: 'GlobalNetworkSet', name: 'blocked' }
const set = (nets: string[], resourceVersion?: string): Resource => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'GlobalNetworkSet',
  metadata: { name: 'blocked', ...(resourceVersion ? { resourceVersion } : {}) },
  spec: { nets },
})

let store: MemoryDatastore
let client: CalicoClient
beforeEach(() => {
  vi.useFakeTimers()
  store = new MemoryDatastore()
  store.seed(netSet, { ...set(['10.0.0.0/8']), metadata: { name: 'blocked', uid: 'u1', creationTimestamp: '2026-12-01T00:00:00Z' } })
  client = new CalicoClient(store)
})
afterEach(() => {
  vi.useRealTimers()
})

const updates = () => store.calls.filter((c) => c.startsWith('update'))
const conflicts = (n: number) => store.failUpdates.push(...Array.from({ length: n }, () => new ConflictError(ID)))

describe('update retries on conflict', () => {
  it.each([
    ['apply', applyResource],
    ['replace', replaceResource],
  ])('%s tries 5 times, 1 s apart, then fails with upstream\'s text', async (_verb, action) => {
    conflicts(10)
    const outcome = action(client, netSet, set(['192.168.0.0/16'])).then(
      () => 'written',
      (err: Error) => err.message,
    )
    await vi.advanceTimersByTimeAsync(0)
    expect(updates()).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(999)
    expect(updates()).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(updates()).toHaveLength(2)
    // The fifth conflict is waited out too before the command gives up.
    await vi.advanceTimersByTimeAsync(3999)
    expect(updates()).toHaveLength(5)
    let settled = false
    void outcome.then(() => (settled = true))
    await vi.advanceTimersByTimeAsync(0)
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(await outcome).toBe('failed to update the resource: %!s(<nil>)')
    expect(updates()).toHaveLength(5)
    expect(store.stored('globalnetworksets/blocked')?.spec).toEqual({ nets: ['10.0.0.0/8'] })
  })

  it('reads the stored resource again before each attempt and writes once the conflicts stop', async () => {
    conflicts(4)
    const written = replaceResource(client, netSet, set(['192.168.0.0/16']))
    await vi.advanceTimersByTimeAsync(4000)
    expect((await written).spec).toEqual({ nets: ['192.168.0.0/16'] })
    expect(updates()).toHaveLength(5)
    // Every attempt reads the stored resource first, for its current resourceVersion.
    expect(store.calls.join(',').split('update').slice(0, -1).every((before) => before.endsWith('get GlobalNetworkSet(blocked),'))).toBe(true)
    expect(store.stored('globalnetworksets/blocked')?.spec).toEqual({ nets: ['192.168.0.0/16'] })
  })

  it('returns any other error at once', async () => {
    store.failUpdates.push(new NotFoundError(ID))
    await expect(replaceResource(client, netSet, set(['192.168.0.0/16']))).rejects.toThrow(
      'resource does not exist: GlobalNetworkSet(blocked) with error: <nil>',
    )
    expect(updates()).toHaveLength(1)
  })

  it('never retries an update that names a resourceVersion', async () => {
    const stale = replaceResource(client, netSet, set(['192.168.0.0/16'], '999'))
    await expect(stale).rejects.toThrow('update conflict: GlobalNetworkSet(blocked)')
    expect(updates()).toHaveLength(0)
    conflicts(1)
    const current = store.stored('globalnetworksets/blocked')?.metadata.resourceVersion
    await expect(replaceResource(client, netSet, set(['192.168.0.0/16'], current))).rejects.toThrow('update conflict: GlobalNetworkSet(blocked)')
    expect(updates()).toHaveLength(1)
  })
})
