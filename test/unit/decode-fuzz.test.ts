import yaml from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { prepareResource } from '../../src/client/calico-client.js'
import { FileError, loadFromFile } from '../../src/crud/load.js'
import { locateError } from '../../src/crud/locate.js'
import { strategicMerge } from '../../src/crud/patch.js'
import { decodeLikeGo } from '../../src/resources/go-decode.js'
import { NoResourcesError } from '../../src/manifest/index.js'
import { renderResults } from '../../src/output/resources.js'
import { allKinds } from '../../src/resources/all-kinds.js'
import { resolveSchema, schemaFor, type SchemaNode } from '../../src/resources/schema.js'

/**
 * No input may surface a JavaScript error. Random documents for every kind, shaped by its schema but
 * with wrong types, nulls, unknown and re-cased keys mixed in, go through reading, decoding, the
 * kind's checks, error location and every printer; each may fail only with a calicoctl error.
 */

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SCALARS = ['', 'x', '10.0.0.0/8', '1.2.3.4', 'all()', 'has(a)', '!has(', 'TCP', 'Allow', '1:2', '80', '1m30s', 'node 2', 'a'.repeat(300), 0, -1, 1.5, 65536, 4294967296, true, false, null]

function generate(node: SchemaNode, next: () => number, depth: number): unknown {
  const schema = resolveSchema(node)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]
  // Now and then anything at all, to reach the type errors.
  if (next() < 0.08) return pick([...SCALARS, {}, [], [1, 'a'], { k: 'v' }])
  if (Array.isArray(schema.enum) && next() < 0.7) return pick(schema.enum)
  const type = Array.isArray(schema.type) ? pick(schema.type.filter((t) => t !== 'null')) : schema.type
  if (depth > 5) return pick(SCALARS)
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const [key, child] of Object.entries(schema.properties ?? {})) {
        if (next() < 0.45) out[next() < 0.1 ? key.toUpperCase() : key] = generate(child, next, depth + 1)
      }
      if (typeof schema.additionalProperties === 'object' && next() < 0.5) out[pick(['a', 'b/c', 'projectcalico.org/x'])] = generate(schema.additionalProperties, next, depth + 1)
      if (next() < 0.05) out.unknownField = 1
      return out
    }
    case 'array':
      return Array.from({ length: Math.floor(next() * 3) }, () => generate(schema.items ?? {}, next, depth + 1))
    case 'string':
      return pick(SCALARS.filter((s) => typeof s === 'string'))
    case 'integer':
    case 'number':
      return pick([0, 1, 26, 64512, 65535, -5, 300, 1.5])
    case 'boolean':
      return next() < 0.5
    default:
      return pick(SCALARS)
  }
}

const UPSTREAM_FAILURES = [FileError, NoResourcesError]
const isJavaScriptError = (err: unknown) => err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError || err instanceof SyntaxError

describe.each(allKinds().map((k) => [k.kind, k] as const))('%s', (_name, kind) => {
  it('survives 150 random documents through reading, decoding, checks and printing', async () => {
    const next = random(kind.kind.length * 7919)
    for (let i = 0; i < 150; i++) {
      const root = generate(schemaFor(kind.kind), next, 0)
      const doc = (typeof root === 'object' && root !== null && !Array.isArray(root) ? root : {}) as Record<string, unknown>
      doc.apiVersion = 'projectcalico.org/v3'
      doc.kind = next() < 0.1 ? `${kind.kind}List` : kind.kind
      if (doc.kind !== kind.kind) doc.items = [generate(schemaFor(kind.kind), next, 0)]
      const text = yaml.dump(doc)
      let loaded
      try {
        loaded = await loadFromFile('-', { stdin: async () => text, collectAll: true })
      } catch (err) {
        expect(UPSTREAM_FAILURES.some((type) => err instanceof type), `${String(err)}\n${text}`).toBe(true)
        continue
      }
      for (const item of loaded) {
        // create runs the client's checks and the validator; validate the validator alone.
        for (const operation of ['create', 'validate'] as const) {
          try {
            prepareResource(item.kind, structuredClone(item.resource), operation)
          } catch (err) {
            expect(isJavaScriptError(err), `${(err as Error).stack}\n${text}`).toBe(false)
            locateError(err, item)
          }
        }
        for (const type of ['yaml', 'json', 'ps', 'wide'] as const) {
          expect(() => renderResults([{ kind: item.kind, result: item.resource }], { type }, { globalASNumber: '64512' })).not.toThrow()
        }
      }
    }
  })
})

describe('patches', () => {
  it.each(allKinds().map((k) => [k.kind, k] as const))('of a %s survive 100 random merges, decoding and checks', (_name, kind) => {
    const next = random(kind.kind.length * 104729)
    for (let i = 0; i < 100; i++) {
      const stored = { apiVersion: 'projectcalico.org/v3', kind: kind.kind, metadata: { name: 'x', resourceVersion: '1' }, spec: {} }
      const patch = JSON.parse(JSON.stringify(generate(schemaFor(kind.kind), next, 0) ?? null))
      // runPatch takes only JSON objects (null as an empty one).
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) continue
      const merged = strategicMerge(stored, patch)
      const decoded = decodeLikeGo(merged, schemaFor(kind.kind))
      if (decoded.problems.length > 0) continue
      const resource = decoded.value as { metadata?: object }
      resource.metadata ??= {}
      try {
        prepareResource(kind, resource as never, 'update', stored as never)
      } catch (err) {
        expect(isJavaScriptError(err), `${(err as Error).stack}\n${JSON.stringify(patch)}`).toBe(false)
      }
    }
  })
})
