/**
 * The CRD's OpenAPI constraints on a document as Go encodes it, as libcalico-go checks them
 * client-side where no API server does (etcd, `validate`), each failure worded as the API server
 * words it: apiextensions' field errors over kube-openapi's messages, in kube-openapi's order.
 */
import type { ErrorObject } from 'ajv'
import type { FieldError } from '../errors.js'
import { goQuote } from '../go-quote.js'
import { isObject, pointerSegments, schemaFor, schemaNodeAt, validatorFor, type SchemaNode } from './schema.js'

type Json = unknown

/** kube-openapi's name of a place in the document: `spec.ingress[0].action`. */
function openAPIPath(doc: Json, segments: string[]): string {
  let path = ''
  let value = doc
  for (const segment of segments) {
    path = Array.isArray(value) ? `${path}[${segment}]` : path === '' ? segment : `${path}.${segment}`
    value = isObject(value) || Array.isArray(value) ? (value as Record<string, Json>)[segment] : undefined
  }
  return path
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many)

/** The value at a JSON pointer of an ajv error's instancePath. */
function valueAt(doc: Json, segments: string[]): Json {
  let value = doc
  for (const segment of segments) value = isObject(value) || Array.isArray(value) ? (value as Record<string, Json>)[segment] : undefined
  return value
}

/**
 * An ajv failure as the API server's CRD validation words it (apiextensions' field errors over
 * kube-openapi's messages), which libcalico-go's validator reports as `<field> (<detail>)`.
 * Wrong types and unknown fields cannot reach here (decoding already refused them), except a null
 * Go writes for a nil list or pointer without omitempty, which the API server refuses as a type.
 */
function crdFieldError(doc: Json, error: ErrorObject): FieldError | undefined {
  const segments = pointerSegments(error.instancePath)
  const params = error.params as Record<string, unknown>
  if (error.keyword === 'required') segments.push(String(params.missingProperty))
  const name = openAPIPath(doc, segments)
  const limit = params.limit as number
  switch (error.keyword) {
    case 'enum': {
      const values = (params.allowedValues as unknown[]).map((v) => JSON.stringify(typeof v === 'string' ? v : JSON.stringify(v)))
      return { name, reason: `supported values: ${values.join(', ')}` }
    }
    case 'maxLength':
      return { name, reason: `may not be more than ${limit} ${plural(limit, 'byte', 'bytes')}` }
    case 'maxItems':
    case 'maxProperties':
      return { name, reason: `must have at most ${limit} ${plural(limit, 'item', 'items')}` }
    case 'minItems':
      return { name, reason: `${name} in body should have at least ${limit} items` }
    case 'minProperties':
      return { name, reason: `${name} in body should have at least ${limit} properties` }
    case 'minLength':
      return { name, reason: `${name} in body should be at least ${limit} chars long` }
    case 'pattern': {
      const crdPattern = (error.parentSchema as SchemaNode | undefined)?.['x-crd-pattern']
      return { name, reason: `${name} in body should match '${typeof crdPattern === 'string' ? crdPattern : String(params.pattern)}'` }
    }
    case 'format':
      return { name, reason: `${name} in body must be of type ${String(params.format)}: ${goQuote(String(valueAt(doc, segments)))}` }
    case 'type': {
      if (valueAt(doc, segments) !== null) return undefined
      const type = Array.isArray(params.type) ? params.type.join(',') : String(params.type)
      return { name, reason: `${name} in body must be of type ${type}: "null"` }
    }
    case 'maximum':
    case 'exclusiveMaximum':
      return { name, reason: `${name} in body should be less than ${error.keyword === 'maximum' ? 'or equal to ' : ''}${limit}` }
    case 'minimum':
    case 'exclusiveMinimum':
      return { name, reason: `${name} in body should be greater than ${error.keyword === 'minimum' ? 'or equal to ' : ''}${limit}` }
    case 'required':
      return { name, reason: '' }
    default:
      return undefined
  }
}

/**
 * The CRD's OpenAPI constraints (enums, lengths, patterns, bounds, formats, required fields) on a
 * document as Go encodes it, as libcalico-go checks them client-side where no API server does (etcd,
 * validate): one field error each, worded as the API server would. A failed `allOf` (two enums on
 * one field) also gets kube-openapi's summary, which has no field and so is named after the kind.
 */
export function crdSchemaErrors(kind: string, doc: unknown): FieldError[] {
  if (schemaFor(kind)['x-no-crd']) return []
  const validate = validatorFor(kind)
  if (validate(doc)) return []
  const errors: FieldError[] = []
  const failedBranches = new Map<string, { path: string; allOf: string; branches: Set<string>; at: number }>()
  // The CRDs describe metadata as a bare object: ObjectMeta's rules are the Go validator's alone.
  const checked = (validate.errors ?? []).filter((e) => e.instancePath !== '/metadata' && !e.instancePath.startsWith('/metadata/'))
  for (const error of inKubeOpenAPIOrder(checked)) {
    const field = crdFieldError(doc, error)
    if (!field) continue
    errors.push(field)
    const inAllOf = ALL_OF.exec(error.schemaPath)
    if (!inAllOf) continue
    const key = `${error.instancePath} ${inAllOf[1]}`
    const group = failedBranches.get(key) ?? { path: openAPIPath(doc, pointerSegments(error.instancePath)), allOf: inAllOf[1], branches: new Set(), at: 0 }
    group.branches.add(inAllOf[2])
    group.at = errors.length
    failedBranches.set(key, group)
  }
  for (const group of [...failedBranches.values()].reverse()) {
    const total = (schemaNodeAt(kind, group.allOf) as unknown as unknown[] | undefined)?.length ?? 0
    const none = group.branches.size === total ? '. None validated' : ''
    errors.splice(group.at, 0, { name: kind, reason: `${goQuote(group.path)} must validate all the schemas (allOf)${none}` })
  }
  return errors
}

const ALL_OF = /^(.*\/allOf)\/(\d+)\//

/** The order kube-openapi's validators take a node's keywords in: type, allOf, string, format, number, list, enum, object. */
const KEYWORD_ORDER = [
  'type',
  'allOf',
  'maxLength',
  'minLength',
  'pattern',
  'format',
  'multipleOf',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
  'uniqueItems',
  'enum',
  'minProperties',
  'maxProperties',
  'required',
]

/**
 * ajv's errors with those of one value in kube-openapi's keyword order (ajv checks enum first);
 * values keep the order ajv met them in.
 */
function inKubeOpenAPIOrder(errors: ErrorObject[]): ErrorObject[] {
  const firstAt = new Map<string, number>()
  errors.forEach((e, i) => firstAt.has(e.instancePath) || firstAt.set(e.instancePath, i))
  const rank = (e: ErrorObject) => KEYWORD_ORDER.indexOf(ALL_OF.test(e.schemaPath) ? 'allOf' : e.keyword)
  return errors
    .map((error, index) => ({ error, index }))
    .sort((a, b) => (firstAt.get(a.error.instancePath) as number) - (firstAt.get(b.error.instancePath) as number) || rank(a.error) - rank(b.error) || a.index - b.index)
    .map(({ error }) => error)
}
