import { describe, expect, it } from 'vitest'
import { mergeClusterType } from '../../src/client/calico-client.js'
import type { LoadedResource } from '../../src/crud/load.js'
import { concurrentRuns } from '../../src/crud/modify.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import { kindByKind } from '../../src/resources/all-kinds.js'

const item = (kind: string, name: string): LoadedResource => {
  const definition = kindByKind(kind) as KindDefinition
  return { kind: definition, resource: { apiVersion: 'projectcalico.org/v3', kind, metadata: { name } } }
}

describe('which resources may be written at the same time', () => {
  it('groups consecutive resources of one kind, breaking at a kind change or a repeated name', () => {
    const items = [
      item('BGPPeer', 'a'),
      item('BGPPeer', 'b'),
      item('Tier', 't'),
      item('BGPPeer', 'c'),
      item('BGPPeer', 'c'),
      item('BGPPeer', 'd'),
    ]
    expect(concurrentRuns(items)).toEqual([[0, 1], [2], [3], [4, 5]])
  })

  it('writes kinds checked against their stored peers one by one (overlapping IP pools)', () => {
    expect(concurrentRuns([item('IPPool', 'a'), item('IPPool', 'b'), item('IPPool', 'c')])).toEqual([[0], [1], [2]])
  })
})

describe('clusterType merge of EnsureInitialized', () => {
  it('appends missing tags once, in order', () => {
    expect(mergeClusterType(undefined, 'kdd')).toBe('kdd')
    expect(mergeClusterType('k8s,bgp', 'kdd')).toBe('k8s,bgp,kdd')
    expect(mergeClusterType('k8s,kdd,bgp', 'kdd')).toBe('k8s,kdd,bgp')
  })
})
