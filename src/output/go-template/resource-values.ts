/**
 * Calico resources as the Go structs calicoctl's templates see (`.ObjectMeta.Name`, `.Spec.CIDR`,
 * `.Items`): types come from the schemas' x-go-name / x-go-type, absent fields are Go zero values,
 * and the types with a String method (metav1.Time, metav1.Duration, numorstring.*) print as Go
 * prints them.
 */
import { isPointerField } from '../../resources/go-encode.js'
import { parseGoRFC3339 } from '../../resources/go-time.js'
import { formatGoDuration, parseGoDuration } from '../../resources/go-values.js'
import { listSchemaFor, objectMetaSchema, resolveSchema, schemaFor, type SchemaNode } from '../../resources/schema.js'
import type { Resource, ResourceList } from '../../resources/types.js'
import { ANY, BOOL, FLOAT64, STRING, type GoField, type GoMap, type GoType, type GoValue, type IntKind, zero } from './value.js'
import { parseASNumber } from '../../resources/checks.js'

/** A struct field and the JSON key it is read from; an embedded struct is read from the same object. */
interface JsonField extends GoField {
  json?: string
}

const intType = (kind: IntKind, name?: string): GoType => ({ kind, name })
const field = (name: string, type: GoType, json?: string, embedded = false): JsonField => ({ name, type, json, embedded })

/** time.Time.String(): `2006-01-02 15:04:05.999999999 -0700 MST`, in UTC here. */
function formatGoTime(rfc3339: string | null): string {
  const ms = rfc3339 ? parseGoRFC3339(rfc3339) : undefined
  if (typeof ms !== 'number') return '0001-01-01 00:00:00 +0000 UTC'
  const iso = new Date(ms).toISOString()
  const frac = iso.slice(20, 23).replace(/0+$/, '')
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''} +0000 UTC`
}

const TIME_TIME: GoType = { kind: 'struct', name: 'time.Time', fields: [], stringer: (v) => formatGoTime(v.v.raw ?? null) }
const METAV1_TIME: GoType = { kind: 'struct', name: 'v1.Time', fields: [field('Time', TIME_TIME, undefined, true)], stringer: (v) => formatGoTime(v.v[0].v.raw ?? null) }
const TIME_DURATION: GoType = { kind: 'int64', name: 'time.Duration', stringer: (v) => formatGoDuration(v.v as bigint) }
const METAV1_DURATION: GoType = { kind: 'struct', name: 'v1.Duration', fields: [field('Duration', TIME_DURATION, undefined, true)], stringer: (v) => formatGoDuration(v.v[0].v as bigint) }
const PORT: GoType = {
  kind: 'struct',
  name: 'numorstring.Port',
  fields: [field('MinPort', intType('uint16')), field('MaxPort', intType('uint16')), field('PortName', STRING)],
  stringer: (v) => (v.v[2].v ? v.v[2].v : v.v[0].v === v.v[1].v ? String(v.v[0].v) : `${v.v[0].v}:${v.v[1].v}`),
}
const uint8OrString = (name: string): GoType => ({
  kind: 'struct',
  name,
  fields: [field('Type', intType('int', 'numorstring.NumOrStringType')), field('NumVal', intType('uint8')), field('StrVal', STRING)],
  stringer: (v) => (v.v[0].v === 1n ? v.v[2].v : String(v.v[1].v)),
})
const AS_NUMBER: GoType = { kind: 'uint32', name: 'numorstring.ASNumber', stringer: (v) => String(v.v) }
const INT_OR_STRING: GoType = {
  kind: 'struct',
  name: 'intstr.IntOrString',
  fields: [field('Type', intType('int64', 'intstr.Type')), field('IntVal', intType('int32')), field('StrVal', STRING)],
  // A pointer method in Go, which templates reach on the (addressable) field they print.
  stringer: (v) => (v.v[0].v === 1n ? v.v[2].v : String(v.v[1].v)),
}
const TYPE_META: GoType = { kind: 'struct', name: 'v1.TypeMeta', fields: [field('Kind', STRING, 'kind'), field('APIVersion', STRING, 'apiVersion')] }

/** Types whose Go representation is not what their JSON looks like; each reads its JSON itself. */
const SPECIAL: Record<string, { type: GoType; read: (json: unknown) => GoValue }> = {
  'v1.Time': { type: METAV1_TIME, read: (j) => ({ t: METAV1_TIME, v: [{ t: TIME_TIME, v: { raw: typeof j === 'string' ? j : null } }] }) },
  'v1.Duration': {
    type: METAV1_DURATION,
    read: (j) => {
      const ns = typeof j === 'string' ? parseGoDuration(j) : 0n
      return { t: METAV1_DURATION, v: [{ t: TIME_DURATION, v: typeof ns === 'bigint' ? ns : 0n }] }
    },
  },
  'numorstring.Port': {
    type: PORT,
    read: (j) => {
      const [min, max, name] = portParts(j)
      return { t: PORT, v: [{ t: PORT.fields![0].type, v: min }, { t: PORT.fields![1].type, v: max }, { t: STRING, v: name }] }
    },
  },
  'numorstring.Protocol': { type: uint8OrString('numorstring.Protocol'), read: (j) => readUint8OrString(SPECIAL['numorstring.Protocol'].type, j) },
  'numorstring.DSCP': { type: uint8OrString('numorstring.DSCP'), read: (j) => readUint8OrString(SPECIAL['numorstring.DSCP'].type, j) },
  'numorstring.ASNumber': { type: AS_NUMBER, read: (j) => ({ t: AS_NUMBER, v: asNumber(j) }) },
  'intstr.IntOrString': {
    type: INT_OR_STRING,
    read: (j) => {
      const [f0, f1] = INT_OR_STRING.fields!
      return typeof j === 'string'
        ? { t: INT_OR_STRING, v: [{ t: f0.type, v: 1n }, zero(f1.type), { t: STRING, v: j }] }
        : { t: INT_OR_STRING, v: [{ t: f0.type, v: 0n }, { t: f1.type, v: BigInt(j as number) }, { t: STRING, v: '' }] }
    },
  },
}

function portParts(j: unknown): [bigint, bigint, string] {
  if (typeof j === 'number' || typeof j === 'bigint') return [BigInt(j), BigInt(j), '']
  if (typeof j !== 'string') return [0n, 0n, '']
  if (/^\d+$/.test(j)) return [BigInt(j), BigInt(j), '']
  const range = /^(\d+):(\d+)$/.exec(j)
  return range ? [BigInt(range[1]), BigInt(range[2]), ''] : [0n, 0n, j]
}

function readUint8OrString(t: GoType, j: unknown): GoValue {
  const [f0, f1] = t.fields!
  const num = typeof j === 'number' || typeof j === 'bigint' ? BigInt(j) : typeof j === 'string' && /^\d+$/.test(j) && Number(j) < 256 ? BigInt(j) : undefined
  return num !== undefined
    ? { t, v: [{ t: f0.type, v: 0n }, { t: f1.type, v: num }, { t: STRING, v: '' }] }
    : { t, v: [{ t: f0.type, v: 1n }, zero(f1.type), { t: STRING, v: String(j ?? '') }] }
}

/** numorstring.ASNumber: a number, or its text (asdot `X.Y` too). */
const asNumber = (j: unknown): bigint => BigInt(parseASNumber(typeof j === 'bigint' ? Number(j) : j) ?? 0)

const types = new WeakMap<SchemaNode, GoType>()
const INT_KINDS = ['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64']

/** The Go type a schema node decodes into (x-go-type with one pointer removed). */
function typeOf(node: SchemaNode): GoType {
  const schema = resolveSchema(node)
  let t = types.get(schema)
  if (t) return t
  const goType = schema['x-go-type']
  const jsonType = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type
  if (goType && SPECIAL[goType]) t = SPECIAL[goType].type
  else if (jsonType === 'array' || goType?.startsWith('[]')) {
    const items = schema.items ? typeOf(schema.items) : ANY
    t = { kind: 'slice', elem: goType?.startsWith('[]*') ? { kind: 'ptr', elem: items } : items }
  } else if (jsonType === 'object' && schema.properties) {
    // Registered before the fields are worked out: types may refer to themselves.
    t = { kind: 'struct', name: goType ?? 'struct', fields: [] }
    types.set(schema, t)
    t.fields = Object.entries(schema.properties).map(([key, child]) => field(resolveSchema(child)['x-go-name'] ?? key, fieldType(child), key))
    return t
  } else if (jsonType === 'object') {
    const values = typeof schema.additionalProperties === 'object' ? typeOf(schema.additionalProperties) : ANY
    t = { kind: 'map', key: STRING, elem: values }
  } else if (jsonType === 'integer') t = INT_KINDS.includes(goType ?? '') ? intType(goType as IntKind) : intType('int', goType)
  else if (jsonType === 'number') t = goType && goType !== 'float64' ? { kind: 'float64', name: goType } : FLOAT64
  else if (jsonType === 'boolean') t = BOOL
  else if (jsonType === 'string') t = goType && goType !== 'string' ? { kind: 'string', name: goType } : STRING
  else t = ANY
  types.set(schema, t)
  return t
}

/** A field's type: its node's type, behind a pointer when Go's field is one. */
function fieldType(node: SchemaNode): GoType {
  const t = typeOf(node)
  const own = { ...resolveSchema(node), ...node }
  return isPointerField(own) && t.kind !== 'slice' && t.kind !== 'map' ? { kind: 'ptr', elem: t } : t
}

/** A JSON value as a value of type t. */
function valueOf(t: GoType, json: unknown): GoValue {
  if (json === undefined || json === null) return zero(t)
  const special = t.name ? SPECIAL[t.name] : undefined
  if (special && special.type === t) return special.read(json)
  switch (t.kind) {
    case 'ptr':
      return { t, v: valueOf(t.elem as GoType, json) }
    case 'struct':
      return { t, v: (t.fields as JsonField[]).map((f) => valueOf(f.type, f.json === undefined ? json : (json as Record<string, unknown>)[f.json])) }
    case 'slice':
      return Array.isArray(json) ? { t, v: json.map((item) => valueOf(t.elem as GoType, item)) } : zero(t)
    case 'map': {
      const m: GoMap = new Map()
      if (typeof json === 'object') for (const [k, v] of Object.entries(json as object)) m.set(k, { key: { t: STRING, v: k }, value: valueOf(t.elem as GoType, v) })
      return { t, v: m }
    }
    case 'interface':
      return { t, v: dynamic(json) }
    case 'string':
      return { t, v: String(json) }
    case 'bool':
      return { t, v: Boolean(json) }
    case 'float32':
    case 'float64':
      return { t, v: Number(json) }
    default:
      return { t, v: typeof json === 'bigint' || typeof json === 'number' ? BigInt(json) : 0n }
  }
}

/** What encoding/json puts in an interface{}: strings, float64s, bools, maps and slices of interface{}. */
function dynamic(json: unknown): GoValue {
  if (typeof json === 'string') return { t: STRING, v: json }
  if (typeof json === 'number' || typeof json === 'bigint') return { t: FLOAT64, v: Number(json) }
  if (typeof json === 'boolean') return { t: BOOL, v: json }
  if (Array.isArray(json)) return { t: { kind: 'slice', elem: ANY }, v: json.map((j) => ({ t: ANY, v: j === null ? null : dynamic(j) })) }
  const m: GoMap = new Map()
  for (const [k, v] of Object.entries(json as object)) m.set(k, { key: { t: STRING, v: k }, value: { t: ANY, v: v === null ? null : dynamic(v) } })
  return { t: { kind: 'map', key: STRING, elem: ANY }, v: m }
}

const resourceTypes = new Map<string, GoType>()

/** v3.<Kind>: TypeMeta and ObjectMeta embedded, then Spec, Status... as the schema lists them. */
function resourceType(kind: string): GoType {
  let t = resourceTypes.get(kind)
  if (!t) {
    const schema = schemaFor(kind)
    const rest = Object.entries(schema.properties ?? {}).filter(([key]) => !['kind', 'apiVersion', 'metadata'].includes(key))
    t = {
      kind: 'struct',
      name: schema['x-go-type'] as string,
      fields: [
        field('TypeMeta', TYPE_META, undefined, true),
        field('ObjectMeta', typeOf(objectMetaSchema()), 'metadata', true),
        ...rest.map(([key, child]) => field(resolveSchema(child)['x-go-name'] ?? key, fieldType(child), key)),
      ],
    }
    resourceTypes.set(kind, t)
  }
  return t
}

const LIST_META_FIELDS = (): JsonField[] => {
  const meta = listSchemaFor('Tier').properties?.metadata as SchemaNode
  return Object.entries(meta.properties ?? {}).map(([key, child]) =>
    field(key === 'selfLink' ? 'SelfLink' : key === 'resourceVersion' ? 'ResourceVersion' : key === 'continue' ? 'Continue' : 'RemainingItemCount', fieldType(child), key),
  )
}

/** v3.<Kind>List: TypeMeta and ListMeta embedded, then Items. */
function listType(kind: string): GoType {
  const item = resourceType(kind)
  const pkg = (item.name as string).split('.')[0]
  return {
    kind: 'struct',
    name: `${pkg}.${kind}List`,
    fields: [
      field('TypeMeta', TYPE_META, undefined, true),
      field('ListMeta', { kind: 'struct', name: 'v1.ListMeta', fields: LIST_META_FIELDS() }, 'metadata', true),
      field('Items', { kind: 'slice', elem: item }, 'items'),
    ],
  }
}

const RUNTIME_OBJECT: GoType = { kind: 'interface', name: 'runtime.Object' }

/**
 * calicoctl's `resources []runtime.Object`: each result (a `<Kind>List` for a list get, the object
 * for a named get) as a pointer to its struct behind the runtime.Object interface.
 */
export function resultsValue(results: { kind: string; result: Resource | ResourceList }[]): GoValue {
  const elems = results.map(({ kind, result }) => {
    const t = Array.isArray((result as ResourceList).items) ? listType(kind) : resourceType(kind)
    return { t: RUNTIME_OBJECT, v: { t: { kind: 'ptr', elem: t } as GoType, v: valueOf(t, result) } }
  })
  return { t: { kind: 'slice', elem: RUNTIME_OBJECT }, v: elems }
}
