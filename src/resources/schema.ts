/**
 * JSON Schema support for projectcalico.org/v3 documents: structural validation (unknown fields,
 * types, enums, bounds), the YAML scalar-to-string leniency of calicoctl's decoder, and Go struct
 * key order for output.
 *
 * Schemas live in the package's `schemas/` folder, one per kind. Besides standard keywords they use:
 * - `x-go-name`: the Go struct field name, shown in user-facing errors;
 * - `x-no-coerce`: a string field whose Go type decodes itself (metav1.Duration), so YAML numbers
 *   and booleans are not turned into strings for it;
 * - `x-as-number`: an AS number (integer, or decimal/asdot string), checked while decoding;
 * - `x-go-struct`: a struct-typed field that Go always encodes, `{}` when empty.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import type { Resource } from './types.js'
import { parseASNumber } from './checks.js'

export interface SchemaIssue {
  /** Where the problem is, e.g. `spec.peerIP`, `metadata.labels.foo`, `spec.orchRefs[0].nodeName`; '' for the document. */
  path: string
  /** Go field name for messages: the nearest `x-go-name` on the path, e.g. `PeerIP`, `Labels`. */
  goField: string
  message: string
  /** Set when the problem is an unknown field: the bare JSON key. */
  unknownField?: string
  /** The offending value, when there is one. */
  value?: unknown
}

export interface CoercedScalar {
  path: string
  /** The boolean or number found in the document; it now holds its string form. */
  from: unknown
}

interface SchemaNode {
  type?: string | string[]
  properties?: Record<string, SchemaNode>
  additionalProperties?: boolean | SchemaNode
  items?: SchemaNode
  'x-go-name'?: string
  'x-no-coerce'?: boolean
  'x-as-number'?: boolean
  'x-go-struct'?: boolean
  [keyword: string]: unknown
}

type Json = unknown
type JsonObject = Record<string, Json>

// Both src/resources (vitest) and dist/resources (built) sit two levels below the package root.
const SCHEMA_DIR = new URL('../../schemas/', import.meta.url)

let schemasByKind: Map<string, SchemaNode> | undefined
const validators = new Map<string, ValidateFunction>()
let ajv: Ajv | undefined

function schemas(): Map<string, SchemaNode> {
  if (!schemasByKind) {
    schemasByKind = new Map()
    for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json')).sort()) {
      const schema = JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), 'utf8')) as SchemaNode
      const kind = schema.properties?.kind?.const
      if (typeof kind !== 'string') throw new Error(`schema ${file} does not fix properties.kind.const`)
      schemasByKind.set(kind, schema)
    }
  }
  return schemasByKind
}

function schemaFor(kind: string): SchemaNode {
  const schema = schemas().get(kind)
  if (!schema) throw new Error(`no JSON schema for kind ${kind}`)
  return schema
}

function validatorFor(kind: string): ValidateFunction {
  let validate = validators.get(kind)
  if (!validate) {
    ajv ??= newAjv()
    validate = ajv.compile(schemaFor(kind))
    validators.set(kind, validate)
  }
  return validate
}

/**
 * `x-as-number`: Go's numorstring.ASNumber decodes itself, so a bad AS number fails while the file is
 * read (nothing is written), with upstream's text.
 */
function newAjv(): Ajv {
  const instance = new Ajv({ allErrors: true, allowUnionTypes: true, keywords: ['x-go-name', 'x-no-coerce', 'x-go-struct'] })
  const asNumber = (_schema: unknown, data: unknown): boolean => {
    if (parseASNumber(data) !== undefined) return true
    asNumber.errors = [{ keyword: 'x-as-number', message: `invalid AS Number format (${String(data)})`, params: {} }]
    return false
  }
  asNumber.errors = [] as Array<Partial<ErrorObject>>
  instance.addKeyword({ keyword: 'x-as-number', validate: asNumber, errors: true })
  return instance
}

/** Kinds that have a schema, sorted. */
export function knownKinds(): string[] {
  return [...schemas().keys()].sort()
}

function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function types(schema: SchemaNode): string[] {
  return schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type]
}

function mapValueSchema(schema: SchemaNode): SchemaNode | undefined {
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined
}

function childPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`
}

/**
 * Go's strconv.FormatFloat(f, 'g', -1, 32), which the YAML decoder uses for non-integer numbers:
 * shortest digits that round-trip through float32, exponent form below 1e-4 or from 1e6 up.
 */
function goFloat32String(value: number): string {
  if (Number.isNaN(value)) return '.nan'
  if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf'
  const f = Math.fround(value)
  let digits = f.toExponential(8)
  for (let precision = 0; precision < 8; precision++) {
    const candidate = f.toExponential(precision)
    if (Math.fround(Number(candidate)) === f) {
      digits = candidate
      break
    }
  }
  const [mantissa, exponentText] = digits.split('e')
  const exponent = Number(exponentText)
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+'
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`
  }
  return String(Number(digits))
}

function scalarToString(value: boolean | number): string {
  if (typeof value === 'boolean') return String(value)
  return Number.isSafeInteger(value) ? String(value) : goFloat32String(value)
}

function coerceValue(value: Json, schema: SchemaNode, path: string, coerced: CoercedScalar[]): Json {
  if (isObject(value)) {
    const out: JsonObject = {}
    const mapValues = mapValueSchema(schema)
    for (const [key, child] of Object.entries(value)) {
      const childSchema = schema.properties?.[key] ?? mapValues
      if (!childSchema) {
        out[key] = structuredClone(child)
      } else if (child === null && !types(childSchema).includes('null')) {
        // Go leaves a struct field untouched for JSON null, and stores a map entry's zero value.
        if (!schema.properties?.[key] && types(childSchema).includes('string')) out[key] = ''
      } else {
        out[key] = coerceValue(child, childSchema, childPath(path, key), coerced)
      }
    }
    return out
  }
  if (Array.isArray(value)) {
    const items = schema.items
    if (!items) return structuredClone(value)
    return value.map((item, i) =>
      item === null && types(items).includes('string') ? '' : coerceValue(item, items, `${path}[${i}]`, coerced),
    )
  }
  if ((typeof value === 'boolean' || typeof value === 'number') && schema.type === 'string' && !schema['x-no-coerce']) {
    coerced.push({ path, from: value })
    return scalarToString(value)
  }
  return value
}

/**
 * Applies calicoctl's YAML decoding leniency to a document: booleans and numbers where the Go
 * field is a plain string become strings (label value `true` is stored as "true"), and JSON null
 * means "absent" for struct fields and "" for string map values and list items, as Go decodes it.
 * Returns a new document (the input is not changed) and the scalars converted, for hints.
 */
export function coerceScalars(kind: string, doc: unknown): { doc: unknown; coerced: CoercedScalar[] } {
  const coerced: CoercedScalar[] = []
  return { doc: coerceValue(doc, schemaFor(kind), '', coerced), coerced }
}

/** The schema node for a JSON pointer path, and the nearest Go field name along it. */
function locate(root: SchemaNode, segments: string[]): { goField: string; path: string } {
  let schema: SchemaNode | undefined = root
  let goField = ''
  let path = ''
  for (const segment of segments) {
    if (schema?.type === 'array') {
      path += `[${segment}]`
      schema = schema.items
    } else {
      path = childPath(path, segment)
      schema = schema?.properties?.[segment] ?? (schema ? mapValueSchema(schema) : undefined)
    }
    goField = schema?.['x-go-name'] ?? goField
  }
  return { goField, path }
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

function valueAt(doc: Json, segments: string[]): Json {
  let value = doc
  for (const segment of segments) {
    value = isObject(value) || Array.isArray(value) ? (value as Record<string, Json>)[segment] : undefined
  }
  return value
}

function toIssue(root: SchemaNode, doc: Json, error: ErrorObject): SchemaIssue {
  const segments = pointerSegments(error.instancePath)
  if (error.keyword === 'additionalProperties') {
    const key = String(error.params.additionalProperty)
    const { goField, path } = locate(root, segments)
    return {
      path: childPath(path, key),
      goField,
      message: `unknown field "${key}"`,
      unknownField: key,
      value: valueAt(doc, [...segments, key]),
    }
  }
  const { goField, path } = locate(root, segments)
  let message = error.message ?? `failed ${error.keyword} check`
  if (error.keyword === 'enum') message += `: ${(error.params.allowedValues as unknown[]).join(', ')}`
  if (error.keyword === 'const') message += `: ${String(error.params.allowedValue)}`
  return { path, goField, message, value: valueAt(doc, segments) }
}

/**
 * Checks a whole v3 document of `kind` against its schema. The document is first passed through
 * coerceScalars (so a label value `true` is not an error); callers wanting the converted document
 * or the list of conversions call coerceScalars themselves.
 */
export function validateDocument(kind: string, doc: unknown): SchemaIssue[] {
  const root = schemaFor(kind)
  const validate = validatorFor(kind)
  const coerced = coerceScalars(kind, doc).doc
  if (validate(coerced)) return []
  return (validate.errors ?? []).map((error) => toIssue(root, coerced, error))
}

function order(value: Json, schema: SchemaNode | undefined): Json {
  if (isObject(value) && schema) {
    const out: JsonObject = {}
    const mapValues = mapValueSchema(schema)
    if (schema.properties) {
      for (const [key, childSchema] of Object.entries(schema.properties)) {
        if (key in value && value[key] !== undefined) out[key] = order(value[key], childSchema)
        // A struct field (not a pointer) is never omitted by encoding/json, even when empty.
        else if (childSchema['x-go-struct']) out[key] = {}
      }
      for (const [key, child] of Object.entries(value)) {
        if (!(key in out)) out[key] = structuredClone(child)
      }
    } else if (mapValues) {
      // Go's encoding/json writes map keys sorted.
      for (const key of Object.keys(value).sort()) out[key] = order(value[key], mapValues)
    } else {
      return structuredClone(value)
    }
    return out
  }
  if (Array.isArray(value)) return value.map((item) => order(item, schema?.items))
  return structuredClone(value)
}

/**
 * A deep copy of `doc` with object keys in Go struct field order (as encoding/json writes them)
 * and map keys (labels, annotations) sorted; struct-typed fields marked `x-go-struct` (spec, Node
 * status) appear as `{}` when absent, as Go writes them. Keys the schema does not know keep their order,
 * after the known ones.
 */
export function orderLikeGo(kind: string, doc: Resource): Resource {
  return order(doc, schemaFor(kind)) as Resource
}
