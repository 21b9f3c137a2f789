/**
 * The CRD rules twice over: what the client checks where no API server does (etcd, `validate`:
 * the schemas' constraints and each kind's crdRules) against what the test API server finds with
 * the generated CRDs (OpenAPI validation and the CEL rules on @bufbuild/cel), for every input of
 * the validator audit. They must name the same fields with the same details.
 */
import { describe, expect, it } from 'vitest'
import { defaultResource } from '../../src/client/calico-client.js'
import { crdV1Codec } from '../../src/datastore/kubernetes/crd-mapping.js'
import { customResourceDefinitions, fieldsNewerThan } from '../../src/datastore/kubernetes/crds.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import { kindByKind } from '../../src/resources/all-kinds.js'
import { crdSchemaErrors } from '../../src/resources/crd-errors.js'
import { orderLikeGo } from '../../src/resources/go-encode.js'
import { schemaFor } from '../../src/resources/schema.js'
import type { Resource } from '../../src/resources/types.js'
import { CrdAdmission } from '../integration/kube-apiserver/crd-validation.js'
import { calicoResources } from '../integration/kube-apiserver/resources.js'
import { AUDIT, documentOf, type Row, type Spec } from './validator-audit-rows.js'

const admission = new CrdAdmission(customResourceDefinitions())
const served = calicoResources('crd.projectcalico.org')
const BLOCKED = 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation'

const line = (field: string, detail: string) => `${field} (${detail})`
const sorted = (lines: string[]) => [...lines].sort()

/** The client's CRD findings; a null Go writes for a nil list only the client refuses (the API server drops it). */
function clientFindings(kind: KindDefinition, doc: Resource, operation: 'create' | 'validate') {
  const resource = defaultResource(kind, structuredClone(doc), operation)
  const schema = crdSchemaErrors(kind.kind, orderLikeGo(kind.kind, resource))
    .filter((e) => !e.reason.endsWith('"null"'))
    .map((e) => line(e.name, e.reason))
  return { schema, rules: (kind.crdRules?.(resource) ?? []).map((e) => line(e.name, e.reason)) }
}

/** What the API server finds in the object a client of the Kubernetes datastore sends; transition rules need an update. */
function serverFindings(kind: KindDefinition, doc: Resource, operation: 'create' | 'validate') {
  const resource = defaultResource(kind, structuredClone(doc), operation, false)
  const plural = kind.kdd?.v1Names?.plural ?? kind.plural
  const r = served.find((s) => s.plural === plural)
  if (!r) throw new Error(`not served: ${plural}`)
  const errors = admission.review(r, crdV1Codec.encode(kind, resource))
  return {
    blocked: errors.some((e) => e.detail === BLOCKED),
    lines: errors.filter((e) => e.detail !== BLOCKED).map((e) => line(e.field === '<nil>' ? kind.kind : e.field, e.detail)),
  }
}

const cases = AUDIT.flatMap((row: Row) => {
  const kind = kindByKind(row.kind)
  // IPAMConfig, the v1 resource of IPAMConfiguration, is IPAM's own type with its own bounds.
  if (!kind || schemaFor(row.kind)['x-no-crd'] || kind.kdd?.v1Names || row.existing) return []
  const inputs: Array<[string, Spec]> = [['bad', row.bad], ...(row.good ? [['good', row.good] as [string, Spec]] : [])]
  return inputs.map(([which, spec]) => [`${row.kind} ${row.field} (${row.rule}) ${which}`, kind, documentOf(row, spec), row.operation ?? 'create'] as const)
})

describe('CRD rules on the client and on the API server', () => {
  it.each(cases)('%s', (_, kind, doc, operation) => {
    // A v3.31 API server has neither these fields nor the rules that read them; the client refuses them.
    if (fieldsNewerThan(kind, doc).length > 0) return
    const client = clientFindings(kind, doc, operation)
    const server = serverFindings(kind, doc, operation)
    expect(sorted(server.lines)).toEqual(sorted(server.blocked ? client.schema : [...client.schema, ...client.rules]))
  })
})
