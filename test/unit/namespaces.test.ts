import { describe, expect, it } from 'vitest'
import { resolveNamespace } from '../../src/crud/namespaces.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import { kindByKind } from '../../src/resources/all-kinds.js'
import type { Resource } from '../../src/resources/types.js'

const policy = { kind: 'NetworkPolicy', namespaced: true } as KindDefinition
const pool = kindByKind('IPPool') as KindDefinition
const doc = (namespace?: string): Resource => ({ apiVersion: 'projectcalico.org/v3', kind: 'X', metadata: { name: 'a', ...(namespace ? { namespace } : {}) } })

describe('namespace rules of calicoctl (cli spec 2.0)', () => {
  it.each([
    // [document namespace, -n, -A, resulting namespace, error]
    [undefined, undefined, false, 'default', undefined],
    [undefined, 'prod', false, 'prod', undefined],
    ['dev', undefined, false, 'dev', undefined],
    ['prod', 'prod', false, 'prod', undefined],
    ['dev', 'prod', false, 'dev', 'resource namespace does not match client namespace. dev != prod'],
    ['dev', undefined, true, undefined, undefined],
    [undefined, undefined, true, undefined, undefined],
    [undefined, 'prod', true, undefined, 'cannot use both --namespace and --all-namespaces flags at the same time'],
  ])('namespaced: document %s, -n %s, -A %s -> %s', (own, namespace, allNamespaces, expected, error) => {
    const resource = doc(own)
    expect(resolveNamespace(policy, resource, { namespace, allNamespaces })).toBe(error)
    if (!error) expect(resource.metadata.namespace).toBe(expected)
  })

  it('refuses namespaces on cluster-scoped kinds with upstream texts', () => {
    expect(resolveNamespace(pool, doc('prod'), {})).toBe('namespace should not be specified for a non-namespaced resource. IPPool is not a namespaced resource')
    expect(resolveNamespace(pool, doc(), { namespace: 'prod' })).toBe('IPPool is not namespaced')
    expect(resolveNamespace(pool, doc(), { allNamespaces: true })).toBe('IPPool is not namespaced')
    const untouched = doc()
    expect(resolveNamespace(pool, untouched, {})).toBeUndefined()
    expect(untouched.metadata).toEqual({ name: 'a' })
  })
})
