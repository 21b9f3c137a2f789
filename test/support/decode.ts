import { decodeLikeGo, goError } from '../../src/resources/go-decode.js'
import { crdSchemaErrors } from '../../src/resources/crd-errors.js'
import { orderLikeGo } from '../../src/resources/go-encode.js'
import { schemaFor } from '../../src/resources/schema.js'
import type { Resource } from '../../src/resources/types.js'

/**
 * What calicoctl says of a document of `kind` before its own checks: Go's decoding error (the one
 * Go returns first, then the others), else the CRD's constraint errors as `<field> (<detail>)`.
 */
export function schemaProblems(kind: string, doc: unknown): string[] {
  const decoded = decodeLikeGo(doc, schemaFor(kind))
  const first = goError(decoded.problems)
  if (first) return [first, ...decoded.problems.filter((p) => p !== first)].map((p) => p.message)
  return crdSchemaErrors(kind, orderLikeGo(kind, decoded.value as Resource)).map((e) => `${e.name}${e.reason ? ` (${e.reason})` : ''}`)
}
