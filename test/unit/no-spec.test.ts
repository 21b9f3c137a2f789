/**
 * A document may leave `spec` out; Go then holds the zero struct, so every check must find what it
 * finds for `spec: {}` (neither decoding nor defaulting adds a spec to every kind).
 */
import { describe, expect, it } from 'vitest'
import { allKinds } from '../../src/resources/all-kinds.js'
import type { Resource } from '../../src/resources/types.js'

const doc = (kind: string, spec?: Record<string, unknown>): Resource => ({
  apiVersion: 'projectcalico.org/v3',
  kind,
  metadata: { name: 'default', namespace: 'shop' },
  ...(spec ? { spec } : {}),
})

/** The findings of a check, or the text it throws. */
function outcome(run: () => unknown): unknown {
  try {
    return run()
  } catch (err) {
    return `threw ${String(err)}`
  }
}

describe('a resource without a spec', () => {
  it.each(allKinds().map((k) => [k.kind, k] as const))('%s: checks find what they find for an empty spec', (kindName, kind) => {
    for (const operation of ['create', 'update'] as const) {
      const context = { operation, existing: doc(kindName, {}), peers: [] }
      expect(outcome(() => kind.clientCheck?.(doc(kindName), context))).toEqual(outcome(() => kind.clientCheck?.(doc(kindName, {}), context)))
      expect(outcome(() => kind.check?.(doc(kindName), context))).toEqual(outcome(() => kind.check?.(doc(kindName, {}), context)))
      expect(outcome(() => kind.crdRules?.(doc(kindName)))).toEqual(outcome(() => kind.crdRules?.(doc(kindName, {}))))
    }
  })
})
