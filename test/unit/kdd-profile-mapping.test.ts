import { describe, expect, it } from 'vitest'
import type { KubeObject } from '../../src/datastore/kubernetes/crd-mapping.js'
import {
  namespaceToProfile,
  parseProfileName,
  serviceAccountToProfile,
  splitProfileRevision,
  type ProfileSource,
} from '../../src/datastore/kubernetes/profile-mapping.js'
import { toGoJson } from '../../src/output/json.js'

const namespace: KubeObject = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name: 'shop',
    uid: '3f1c6a2e-8d4b-4c1e-9a7f-0b2d4e6f8a10',
    resourceVersion: '9120',
    creationTimestamp: '2026-01-05T12:00:00Z',
    labels: { 'kubernetes.io/metadata.name': 'shop', team: 'payments' },
    annotations: { owner: 'payments@example.com' },
  },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
}

const serviceAccount = (meta: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: {
    name: 'checkout.worker',
    namespace: 'shop',
    uid: '0f2e4c6a-8b1d-4a3c-9e5f-7a9b1c3d5e7f',
    resourceVersion: '9377',
    creationTimestamp: '2026-01-06T07:30:00Z',
    labels: { tier: 'backend' },
    ...meta,
  },
})

const allow = [{ action: 'Allow' }]

describe('Namespace -> Profile', () => {
  it('gives kns.<name> with allow-all rules, pcns. labels, converted uid and a namespace-side revision', () => {
    const profile = namespaceToProfile(namespace)
    expect(profile).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'Profile',
      metadata: {
        name: 'kns.shop',
        // ConvertUID: bits of each byte reversed except bytes 6 and 8.
        uid: 'fc385674-b1d2-4c78-9afe-d0b472f65108',
        resourceVersion: '9120/',
        creationTimestamp: '2026-01-05T12:00:00Z',
      },
      spec: {
        ingress: allow,
        egress: allow,
        labelsToApply: {
          'pcns.kubernetes.io/metadata.name': 'shop',
          'pcns.projectcalico.org/name': 'shop',
          'pcns.team': 'payments',
        },
      },
    })
    expect(toGoJson(profile, false)).toBe(
      '{"apiVersion":"projectcalico.org/v3","kind":"Profile","metadata":{"name":"kns.shop","uid":"fc385674-b1d2-4c78-9afe-d0b472f65108",' +
        '"resourceVersion":"9120/","creationTimestamp":"2026-01-05T12:00:00Z"},"spec":{"ingress":[{"action":"Allow"}],' +
        '"egress":[{"action":"Allow"}],"labelsToApply":{"pcns.kubernetes.io/metadata.name":"shop",' +
        '"pcns.projectcalico.org/name":"shop","pcns.team":"payments"}}}',
    )
  })

  it('still labels a namespace without labels with its name', () => {
    const bare = namespaceToProfile({ metadata: { name: 'empty', uid: '3f1c6a2e-8d4b-4c1e-9a7f-0b2d4e6f8a10', resourceVersion: '1' } })
    expect(bare.spec?.labelsToApply).toEqual({ 'pcns.projectcalico.org/name': 'empty' })
  })

  it('fails like upstream when the uid is not a UUID', () => {
    expect(() => namespaceToProfile({ metadata: { name: 'x', uid: 'not-a-uid' } })).toThrow('failed to parse UID for resource: invalid UUID length: 9')
    expect(() => namespaceToProfile({ metadata: { name: 'x' } })).toThrow('failed to parse UID for resource: invalid UUID length: 0')
  })
})

describe('ServiceAccount -> Profile', () => {
  it('gives ksa.<namespace>.<name> with no rules, pcsa. labels and a service-account-side revision', () => {
    expect(serviceAccountToProfile(serviceAccount())).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'Profile',
      metadata: {
        name: 'ksa.shop.checkout.worker',
        uid: 'f0743256-d1b8-4a3c-9efa-5ed938bc7afe',
        resourceVersion: '/9377',
        creationTimestamp: '2026-01-06T07:30:00Z',
      },
      spec: { labelsToApply: { 'pcsa.projectcalico.org/name': 'checkout.worker', 'pcsa.tier': 'backend' } },
    })
  })

  it('uses namespace default when the account has none', () => {
    expect(serviceAccountToProfile(serviceAccount({ namespace: undefined })).metadata.name).toBe('ksa.default.checkout.worker')
  })
})

describe('profile names and revisions', () => {
  it.each<[string, string, ProfileSource]>([
    ['projectcalico-default-allow', '', { kind: 'default-allow' }],
    ['kns.shop', '', { kind: 'namespace', namespace: 'shop' }],
    ['kns.', '', { kind: 'namespace', namespace: '' }],
    ['ksa.shop.checkout', '', { kind: 'service-account', namespace: 'shop', serviceAccount: 'checkout' }],
    ['ksa.shop.checkout.worker', '', { kind: 'service-account', namespace: 'shop', serviceAccount: 'checkout.worker' }],
    ['ksa.shop', '', { kind: 'invalid', error: 'Profile ksa.shop is not formatted correctly' }],
    ['web', '', { kind: 'invalid', error: 'Invalid name web' }],
    ['profile.web', '', { kind: 'invalid', error: 'Revision  invalid' }],
    ['profile.web', '12/34', { kind: 'invalid', error: 'Revision 12/34 invalid' }],
  ])('%s (revision %j)', (name, revision, expected) => {
    expect(parseProfileName(name, revision)).toEqual(expected)
  })

  it.each<[string, { namespace: string; serviceAccount: string }]>([
    ['', { namespace: '', serviceAccount: '' }],
    ['0', { namespace: '', serviceAccount: '' }],
    ['9120/', { namespace: '9120', serviceAccount: '' }],
    ['/9377', { namespace: '', serviceAccount: '9377' }],
    ['9120/9377', { namespace: '9120', serviceAccount: '9377' }],
  ])('splits revision %j', (revision, expected) => {
    expect(splitProfileRevision(revision)).toEqual(expected)
  })

  it('refuses a revision that is not two parts', () => {
    expect(() => splitProfileRevision('9120')).toThrow('ResourceVersion is not valid: 9120')
    expect(() => splitProfileRevision('1/2/3')).toThrow('ResourceVersion is not valid: 1/2/3')
  })
})
