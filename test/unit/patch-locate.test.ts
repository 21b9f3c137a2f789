/**
 * `calicoctl patch` (strategicpatch on a Calico object, decoded again as strictly as a file) and
 * where a validation error points in the user's input, on a datastore in memory. The texts are the
 * ones the integration tests check on etcd and Kubernetes.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { CalicoClient } from '../../src/client/calico-client.js'
import { loadFromFile } from '../../src/crud/load.js'
import { ValidationError, type FieldError } from '../../src/errors.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import { kindByKind } from '../../src/resources/all-kinds.js'
import { MemoryDatastore } from '../support/memory-datastore.js'

let store: MemoryDatastore
vi.mock('../../src/crud/session.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/crud/session.js')>()),
  checkConfigReadable: () => undefined,
  openCommandClient: async () => new CalicoClient(store),
}))
const { runPatch, strategicMerge } = await import('../../src/crud/patch.js')
const { locateError } = await import('../../src/crud/locate.js')

const peerKind = kindByKind('BGPPeer') as KindDefinition
beforeEach(() => {
  store = new MemoryDatastore()
  store.seed(peerKind, {
    apiVersion: 'projectcalico.org/v3',
    kind: 'BGPPeer',
    metadata: { name: 'peer1', uid: 'u1', creationTimestamp: '2026-12-01T00:00:00Z', labels: { rack: 'r1' } },
    spec: { peerIP: '10.0.0.1', asNumber: 64512 },
  })
})

const patch = (text: string, overrides: Partial<Parameters<typeof runPatch>[0]> = {}) =>
  runPatch({ kindArg: 'bgppeer', name: 'peer1', patch: text, ...overrides }).then(
    (line) => line,
    (err: Error) => `error: ${err.message}`,
  )
const stored = () => store.stored('bgppeers/peer1')

describe('strategic merge of a Calico object', () => {
  it.each<[string, unknown, unknown, unknown]>([
    ['merges maps key by key', { a: 1, m: { x: 1, y: 2 } }, { m: { y: 3, z: 4 } }, { a: 1, m: { x: 1, y: 3, z: 4 } }],
    ['deletes a key set to null', { a: 1, b: 2 }, { b: null }, { a: 1 }],
    ['replaces lists whole', { l: [1, 2, 3] }, { l: [4] }, { l: [4] }],
    ['replaces a scalar by a map', { a: 1 }, { a: { b: 2 } }, { a: { b: 2 } }],
    ['replaces a map by a scalar', { a: { b: 2 } }, { a: 1 }, { a: 1 }],
    ['replaces a map with $patch: replace, dropping directives below it', { m: { x: 1 } }, { m: { $patch: 'replace', y: { $retainKeys: [], z: 1 } } }, { m: { y: { z: 1 } } }],
    ['deletes a map with $patch: delete', { m: { x: 1 }, a: 1 }, { m: { $patch: 'delete' } }, { a: 1 }],
    ['keeps only $retainKeys, then merges', { a: 1, b: 2, c: 3 }, { $retainKeys: ['a', 'd'], d: 4 }, { a: 1, d: 4 }],
    ['merges into nothing', undefined, { a: { b: 1 } }, { a: { b: 1 } }],
  ])('%s', (_what, target, change, expected) => {
    const before = structuredClone(target)
    expect(strategicMerge(target, change)).toEqual(expected)
    expect(target).toEqual(before)
  })
})

describe('patch', () => {
  it('merges the patch into the stored resource and writes it back', async () => {
    expect(await patch('{"spec":{"asNumber":64513},"metadata":{"labels":{"zone":"a"}}}')).toBe("Successfully patched 1 'BGPPeer' resource")
    expect(stored()).toMatchObject({ metadata: { uid: 'u1', labels: { rack: 'r1', zone: 'a' } }, spec: { peerIP: '10.0.0.1', asNumber: 64513 } })
    expect(await patch('null')).toBe("Successfully patched 1 'BGPPeer' resource")
    expect(await patch('{"spec":{"$patch":"replace","peerIP":"10.0.0.2"}}')).toBe("Successfully patched 1 'BGPPeer' resource")
    expect(stored()?.spec).toEqual({ peerIP: '10.0.0.2' })
  })

  it.each<[string, string]>([
    ['notjson', 'performing strategic merge patch: invalid JSON document'],
    ['', 'performing strategic merge patch: invalid JSON document'],
    ['[]', 'performing strategic merge patch: invalid JSON document'],
    ['"str"', 'performing strategic merge patch: invalid JSON document'],
    ['{"spec":{"asNumber":1e400}}', 'performing strategic merge patch: invalid JSON document'],
    ['{"apiVersion":"v1"}', 'creating resource from patched data: unknown resource type (BGPPeer) and/or version (v1)'],
    ['{"kind":"BGPPeerList"}', 'creating resource from patched data: unknown resource type (BGPPeerList) and/or version (projectcalico.org/v3)'],
    ['{"kind":"IPPool","spec":{"$patch":"replace","cidr":"10.0.0.0/16"}}', 'creating resource from patched data: a BGPPeer cannot become a IPPool'],
    [
      '{"spec":{"keepOriginalNextHop":"yes"}}',
      'creating resource from patched data: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field BGPPeerSpec.spec.keepOriginalNextHop of type bool',
    ],
    ['{"spec":{"peerIP":"10.0.0.300"}}', "updating existing resource: error with field PeerIP = '10.0.0.300' (Reason: failed to validate Field: PeerIP because of Tag: IP:port )"],
  ])('refuses %s and changes nothing', async (text, message) => {
    const before = structuredClone(stored())
    expect(await patch(text)).toBe(`error: hit error: ${message}`)
    expect(stored()).toEqual(before)
  })

  it.each<[string, Partial<Parameters<typeof runPatch>[0]>, string]>([
    ['a missing resource', { name: 'peer2' }, 'error: hit error: resource does not exist: BGPPeer(peer2) with error: <nil>'],
    ['an empty name', { name: '' }, 'error: resource name may not be empty'],
    ['a namespace on a cluster-scoped kind', { namespace: 'prod' }, 'error: hit error: BGPPeer is not namespaced'],
  ])('refuses %s', async (_what, overrides, message) => {
    expect(await patch('{}', overrides)).toBe(message)
  })
})

describe('where an error points in the input', () => {
  const YAML = `apiVersion: projectcalico.org/v3
kind: IPReservation
metadata:
  name: r1
  labels:
    team: a
spec:
  reservedCIDRs:
  - 10.0.0.0/24
  - 10.0.1.0/24
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: p1
spec:
  ingress:
  - action: Allow
    source:
      nets: [10.0.0.0/8]
`
  const at = async (document: number, ...fields: FieldError[]) => {
    const loaded = await loadFromFile('-', { stdin: async () => YAML })
    return locateError(new ValidationError(fields), loaded[document - 1])
  }

  it.each<[string, number, FieldError[], string]>([
    ['a Go field with an index', 1, [{ name: 'ReservedCIDRs[1]', value: 'x', reason: 'r' }], 'stdin: document 1, line 10 (spec.reservedCIDRs[1])'],
    ['a qualified Go field', 1, [{ name: 'IPReservation.Spec.ReservedCIDRs', reason: 'r' }], 'stdin: document 1, line 8 (spec.reservedCIDRs)'],
    ['a label, named with its rule', 1, [{ name: 'Metadata.Labels (label)', reason: 'r' }], 'stdin: document 1, line 5 (metadata.labels)'],
    ['a CRD rule path', 2, [{ name: 'spec.ingress[0].source', reason: 'r' }], 'stdin: document 2, line 19 (spec.ingress[0].source)'],
    ['a field named "... field"', 2, [{ name: 'Nets field', reason: 'r' }], 'stdin: document 2, line 20 (spec.ingress[0].source.nets)'],
    ['the most precise of several fields', 1, [{ name: 'Spec', reason: 'r' }, { name: 'ReservedCIDRs[0]', reason: 'r' }], 'stdin: document 1, line 9 (spec.reservedCIDRs[0])'],
    ['a field the document lacks: the document', 1, [{ name: 'Spec.NoSuchField', reason: 'r' }], 'stdin: document 1, line 1'],
    ['... on the line the document starts', 2, [{ name: 'Elsewhere', reason: 'r' }], 'stdin: document 2, line 12'],
  ])('%s', async (_what, document, fields, expected) => {
    expect(await at(document, ...fields)).toBe(expected)
  })

  it('says nothing for errors that name no field', async () => {
    const loaded = await loadFromFile('-', { stdin: async () => YAML })
    expect(locateError(new Error('update conflict: IPReservation(r1)'), loaded[0])).toBeUndefined()
    expect(locateError(new ValidationError([{ name: 'Spec', reason: 'r' }]), { ...loaded[0], item: undefined })).toBeUndefined()
  })
})
