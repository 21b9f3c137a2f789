/**
 * A document as Go's encoding/json writes it, read from the schema's x-go-struct, x-go-zero,
 * x-omitempty and x-omitzero keywords (schema.ts): fields in Go struct order, zero values that
 * omitempty or omitzero leave out, which fields are pointers; and the CRD's defaults, applied
 * client-side to that form as libcalico-go's validator does.
 */
import { CALICO_VERSION, newerThan } from '../version.js'
import { setOwn } from './own.js'
import { isObject, resolveSchema, schemaFor, type SchemaNode } from './schema.js'
import type { Resource } from './types.js'

type Json = unknown
type JsonObject = Record<string, Json>

/**
 * The CRD's `default`s, applied in place as the API server's structural defaulting does on the object
 * as Go encodes it: a field gets its default when Go would not write it (absent, null, or a zero value
 * of an omitempty field) or writes null, inside every object the document has. Fields Go always
 * writes (x-go-zero, x-go-struct) keep their value, so their CRD default never applies client-side.
 * The CRDs are the targeted release's: a field newer than it (x-since) and what it holds get no
 * default, and a value the user set there is kept as it is.
 */
export function applyCrdDefaults(kind: string, doc: Resource): void {
  if (!schemaFor(kind)['x-no-crd']) applyDefaultsAt(doc, schemaFor(kind))
}

function applyDefaultsAt(value: Json, node: SchemaNode | undefined): void {
  const schema = node && resolveSchema(node)
  if (!schema) return
  if (Array.isArray(value)) {
    for (const item of value) applyDefaultsAt(item, schema.items)
    return
  }
  if (!isObject(value)) return
  for (const [key, field] of Object.entries(schema.properties ?? {})) {
    const child = resolveSchema(field)
    // The targeted release's CRD has no such field, so neither its default nor those inside it.
    if (newerThan(child['x-since'], CALICO_VERSION)) continue
    const current = value[key]
    const zero = child['x-go-zero']
    // Go always writes a struct, and a non-pointer field without omitempty.
    const goWritesValue = child['x-go-struct'] === true || (zero !== undefined && zero !== null)
    const goOmitsOrNull =
      current === undefined ||
      current === null ||
      (child['x-omitempty'] === true && isGoZero(current)) ||
      (child['x-omitzero'] === true && isGoZeroField(current, field))
    if (child.default !== undefined && !goWritesValue && goOmitsOrNull) value[key] = structuredClone(child.default)
    if ((value[key] === undefined || value[key] === null) && child['x-go-struct']) {
      // Go writes the zero struct, whose fields may take defaults in turn.
      const zero: JsonObject = {}
      applyDefaultsAt(zero, field)
      if (Object.keys(zero).length > 0) value[key] = zero
    } else {
      applyDefaultsAt(value[key], field)
    }
  }
  const mapValues = mapValueSchema(schema)
  if (mapValues) for (const item of Object.values(value)) applyDefaultsAt(item, mapValues)
}

function mapValueSchema(schema: SchemaNode): SchemaNode | undefined {
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined
}

/** Go's omitempty test for the values a JSON document can hold: false, 0, "", [] and {}. */
function isGoZero(value: Json): boolean {
  if (Array.isArray(value)) return value.length === 0
  if (isObject(value)) return Object.keys(value).length === 0
  return value === false || value === 0 || value === ''
}

/**
 * Go's omitzero test for a field described by `field` holding `value` (see `x-omitzero`): absent or
 * null is zero; a pointer, list or map that is set is not; a struct is zero when all its known
 * fields are; a scalar when it is false, 0, "" or the field's `x-go-zero`.
 */
function isGoZeroField(value: Json, field: SchemaNode): boolean {
  if (value === undefined || value === null) return true
  const schema = resolveSchema(field)
  if (isPointerField(schema) || Array.isArray(value)) return false
  if (isObject(value)) {
    const fields = schema.properties
    return fields !== undefined && Object.entries(fields).every(([key, child]) => isGoZeroField(value[key], child))
  }
  return value === false || value === 0 || value === '' || value === schema['x-go-zero']
}

/** A field with none of the markers of a non-pointer type is a pointer (or a nil-able list or map). */
export function isPointerField(node: SchemaNode): boolean {
  const zero = node['x-go-zero']
  return !node['x-omitempty'] && !node['x-omitzero'] && !node['x-go-struct'] && (zero === undefined || zero === null)
}

/** A schema's fields in order, worked out once per schema (order() walks them for every item of a list). */
const fieldLists = new WeakMap<Record<string, SchemaNode>, [string, SchemaNode][]>()
function fieldsOf(properties: Record<string, SchemaNode>): [string, SchemaNode][] {
  let fields = fieldLists.get(properties)
  if (!fields) fieldLists.set(properties, (fields = Object.entries(properties)))
  return fields
}

function order(value: Json, node: SchemaNode | undefined): Json {
  const schema = node && resolveSchema(node)
  if (isObject(value) && schema) {
    const out: JsonObject = {}
    const mapValues = mapValueSchema(schema)
    if (schema.properties) {
      const known = schema.properties
      for (const [key, childSchema] of fieldsOf(known)) {
        if (value[key] !== undefined && value[key] !== null) {
          const omitted =
            (childSchema['x-omitempty'] && isGoZero(value[key])) || (childSchema['x-omitzero'] && isGoZeroField(value[key], childSchema))
          if (!omitted) out[key] = order(value[key], childSchema)
        }
        // A struct field (not a pointer) is never omitted by encoding/json: an absent one is the
        // zero struct, with the fields Go always writes.
        else if (childSchema['x-go-struct']) out[key] = order({}, childSchema)
        // Nor is a field without omitempty: Go writes its zero value.
        else if (childSchema['x-go-zero'] !== undefined) out[key] = childSchema['x-go-zero']
      }
      // Known keys were placed or dropped above; only unknown ones follow, so an omitted one stays out.
      for (const [key, child] of Object.entries(value)) {
        if (!Object.hasOwn(known, key)) setOwn(out, key, structuredClone(child))
      }
    } else if (mapValues) {
      // Go's encoding/json writes map keys sorted.
      for (const key of Object.keys(value).sort()) setOwn(out, key, order(value[key], mapValues))
    } else {
      return structuredClone(value)
    }
    return out
  }
  if (Array.isArray(value)) return value.map((item) => order(item, schema?.items))
  // Strings, numbers and booleans need no copy (structuredClone of one costs a native call).
  return typeof value === 'object' && value !== null ? structuredClone(value) : value
}

/**
 * A deep copy of `doc` with object keys in Go struct field order (as encoding/json writes them)
 * and map keys (labels, annotations) sorted; struct-typed fields marked `x-go-struct` (metadata,
 * spec, Node status) appear as `{}` when absent, fields marked `x-go-zero` as that zero value, and
 * fields marked `x-omitempty` or `x-omitzero` are left out when they hold a zero value, as Go
 * writes them. Known fields holding null count as absent. Keys the schema does not know keep their
 * order, after the known ones.
 */
export function orderLikeGo(kind: string, doc: Resource): Resource {
  return order(doc, schemaFor(kind)) as Resource
}
