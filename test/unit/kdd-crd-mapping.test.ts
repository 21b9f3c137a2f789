import { describe, expect, it } from 'vitest'
import { crdV1Codec, crdV3Codec, METADATA_ANNOTATION } from '../../src/datastore/kubernetes/crd-mapping.js'
import { convertUid } from '../../src/datastore/kubernetes/uid.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import { kindByKind } from '../../src/resources/all-kinds.js'
import type { Resource } from '../../src/resources/types.js'

const bgpPeer = kindByKind('BGPPeer') as KindDefinition
const tier = kindByKind('Tier') as KindDefinition
const ippool = kindByKind('IPPool') as KindDefinition

describe('convertUid (libcalico-go ConvertUID)', () => {
  it('reverses the bits of every byte but the version and variant bytes', () => {
    expect(convertUid('00010203-0405-0607-0809-0a0b0c0d0e0f')).toBe('008040c0-20a0-06e0-0890-50d030b070f0')
  })

  it('is its own inverse and keeps a valid v4 UUID valid', () => {
    const uid = '6f1c9a52-0c1b-4f7e-9d1e-2a3b4c5d6e7f'
    const converted = convertUid(uid)
    expect(converted).not.toBe(uid)
    expect(convertUid(converted)).toBe(uid)
    expect(converted).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('refuses what is not a UUID', () => {
    expect(() => convertUid('node-1')).toThrow('invalid UUID: node-1')
  })
})

const peer: Resource = {
  apiVersion: 'projectcalico.org/v3',
  kind: 'BGPPeer',
  metadata: {
    name: 'rr-mesh',
    uid: '6f1c9a52-0c1b-4f7e-9d1e-2a3b4c5d6e7f',
    resourceVersion: '42',
    creationTimestamp: '2026-01-02T03:04:05Z',
    labels: { zone: 'b', 'projectcalico.org/tier': 'x', app: 'a' },
    annotations: { 'operator.tigera.io/owner': 'op', note: '<x>' },
    ownerReferences: [
      { apiVersion: 'projectcalico.org/v3', kind: 'Tier', name: 't', uid: '00010203-0405-0607-0809-0a0b0c0d0e0f' },
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: '11111111-2222-4333-8444-555555555555' },
    ],
  },
  spec: { peerSelector: 'has(rr)', nodeSelector: 'all()' },
}

describe('crd.projectcalico.org/v1 objects', () => {
  it('keeps only Calico-owned labels and annotations real and stashes the rest of the metadata as Go JSON', () => {
    const crd = crdV1Codec.encode(bgpPeer, peer)
    expect(crd.apiVersion).toBe('crd.projectcalico.org/v1')
    expect(crd.kind).toBe('BGPPeer')
    expect(crd.metadata).toEqual({
      name: 'rr-mesh',
      uid: convertUid('6f1c9a52-0c1b-4f7e-9d1e-2a3b4c5d6e7f'),
      resourceVersion: '42',
      labels: { 'projectcalico.org/tier': 'x' },
      annotations: { 'operator.tigera.io/owner': 'op', [METADATA_ANNOTATION]: expect.any(String) },
    })
    expect(crd.metadata.annotations?.[METADATA_ANNOTATION]).toBe(
      '{"creationTimestamp":"2026-01-02T03:04:05Z",' +
        '"labels":{"app":"a","projectcalico.org/tier":"x","zone":"b"},' +
        '"annotations":{"note":"\\u003cx\\u003e","operator.tigera.io/owner":"op"},' +
        '"ownerReferences":[{"apiVersion":"crd.projectcalico.org/v1","kind":"Tier","name":"t","uid":"008040c0-20a0-06e0-0890-50d030b070f0"},' +
        '{"apiVersion":"apps/v1","kind":"Deployment","name":"d","uid":"11111111-2222-4333-8444-555555555555"}]}',
    )
    // Go struct order for the spec.
    expect(Object.keys(crd.spec ?? {})).toEqual(['nodeSelector', 'peerSelector'])
  })

  it('writes no creationTimestamp into the annotation or the object when there is none (omitzero), as Go does', () => {
    const crd = crdV1Codec.encode(tier, { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 't' }, spec: { order: 10 } })
    expect(crd.metadata.annotations).toEqual({ [METADATA_ANNOTATION]: '{}' })
    expect(crd.metadata).not.toHaveProperty('creationTimestamp')
    expect(crd.metadata).not.toHaveProperty('uid')
  })

  it('reads its own writing back, with the uid the server assigned converted', () => {
    const crd = crdV1Codec.encode(bgpPeer, peer)
    const serverUid = '0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3'
    const read = crdV1Codec.decode(bgpPeer, { ...crd, metadata: { ...crd.metadata, uid: serverUid, resourceVersion: '43', creationTimestamp: '2026-01-02T03:04:06Z' } })
    expect(read).toEqual({ ...peer, metadata: { ...peer.metadata, uid: convertUid(serverUid), resourceVersion: '43' } })
  })

  it('lays annotation labels over real labels and falls back to the object creationTimestamp', () => {
    const read = crdV1Codec.decode(bgpPeer, {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'BGPPeer',
      metadata: {
        name: 'p',
        uid: '00010203-0405-0607-0809-0a0b0c0d0e0f',
        resourceVersion: '7',
        creationTimestamp: '2025-05-05T05:05:05Z',
        labels: { a: 'crd', b: 'crd' },
        annotations: { [METADATA_ANNOTATION]: '{"creationTimestamp":null,"labels":{"a":"annotation"}}', other: 'x' },
      },
      spec: {},
    })
    expect(read.metadata).toEqual({
      name: 'p',
      uid: '008040c0-20a0-06e0-0890-50d030b070f0',
      resourceVersion: '7',
      creationTimestamp: '2025-05-05T05:05:05Z',
      labels: { a: 'annotation', b: 'crd' },
      annotations: { other: 'x' },
    })
  })

  it('uses the object metadata as it is when there is no annotation (objects other components wrote)', () => {
    const read = crdV1Codec.decode(tier, {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'Tier',
      metadata: { name: 'security', uid: '00010203-0405-0607-0809-0a0b0c0d0e0f', resourceVersion: '9', generation: 1, labels: { x: 'y' } },
      spec: {},
    })
    expect(read.metadata).toEqual({ name: 'security', uid: '008040c0-20a0-06e0-0890-50d030b070f0', resourceVersion: '9', generation: 1, labels: { x: 'y' } })
    // Tiers read back get upstream's defaults.
    expect(read.spec).toEqual({ order: 1000000, defaultAction: 'Deny' })
  })

  it('converts the Calico v2 IPIP and NAT fields of old IP pools', () => {
    const read = crdV1Codec.decode(ippool, {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'IPPool',
      metadata: { name: 'old' },
      spec: { cidr: '10.0.0.0/16', ipip: { enabled: true }, 'nat-outgoing': true },
    })
    expect(read.spec).toEqual({ cidr: '10.0.0.0/16', ipipMode: 'Always', natOutgoing: true })
    const disabled = crdV1Codec.decode(ippool, { metadata: { name: 'old' }, spec: { cidr: '10.0.0.0/16', ipip: { enabled: false, mode: 'cross-subnet' } } })
    expect(disabled.spec).toEqual({ cidr: '10.0.0.0/16', ipipMode: 'Never' })
  })

  it('reports an unreadable annotation', () => {
    expect(() => crdV1Codec.decode(tier, { metadata: { name: 't', annotations: { [METADATA_ANNOTATION]: '{' } }, spec: {} })).toThrow(
      /^cannot read the projectcalico.org\/metadata annotation of Tier\(t\): /,
    )
  })
})

describe('projectcalico.org/v3 CRD objects', () => {
  it('are the v3 objects themselves, uid untouched', () => {
    const crd = crdV3Codec.encode(bgpPeer, peer)
    expect(crd.apiVersion).toBe('projectcalico.org/v3')
    expect(crd.metadata).toEqual(peer.metadata)
    expect(crdV3Codec.decode(bgpPeer, crd)).toEqual(peer)
  })
})
