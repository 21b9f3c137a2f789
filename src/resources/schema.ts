/**
 * The JSON Schemas of projectcalico.org/v3 documents: loading them, resolving their `$ref`s, and
 * compiling the CRD's constraints with ajv. They describe the Go types the decoder (go-decode.ts)
 * decodes into, the CRD's constraints (enums, bounds, lengths, patterns) checked on decoded
 * documents (crd-errors.ts), and how Go writes a document, with the CRD's defaults (go-encode.ts).
 *
 * Schemas live in the package's `schemas/` folder, one per kind. Types several kinds share (policy
 * rules in `policy.json`; ObjectMeta, OwnerReference, ManagedFieldsEntry and Condition of
 * Kubernetes' meta/v1 in `meta.json`) live in `schemas/shared/`, each file naming itself by `$id`
 * (`/shared/policy.json`, `/` being the schemas folder) and referenced as
 * `{"$ref": "/shared/policy.json#/definitions/Rule"}`; keywords
 * next to a `$ref` (Go name, struct flag) describe the referencing field. Besides standard keywords
 * they use:
 * - `x-go-name`: the Go struct field name;
 * - `x-go-type`: the Go type encoding/json decodes the node into, as reflect.Type.String() prints
 *   it, with one pointer removed (json dereferences a pointer field): `v3.IPPoolSpec`,
 *   `v1.ObjectMeta`, `int32`, `numorstring.Port`, `[]*v3.X` for a slice of pointers. Nodes
 *   without it have the default type: `string` for a string, `bool` for a boolean, `[]` + the
 *   items' type for an array, `map[string]` + the values' type for a map. So every struct node
 *   (the kind's root included), every integer or number node and every named type carries it;
 *   for a `$ref` it sits on the definition. Packages: v3 (projectcalico.org/v3), internalapi
 *   (Node, WorkloadEndpoint), numorstring, v1 (k8s meta/v1, and networking/v1 and core/v1 for
 *   StagedKubernetesNetworkPolicy, as Go prints them all), intstr, types;
 * - `x-go-struct`: a struct-typed field that Go always encodes, `{}` when empty;
 * - `x-go-zero`: the value Go writes for a field without `omitempty` when it is absent: "", false
 *   or 0 for a scalar, what the type's MarshalJSON writes for its zero value (0 for
 *   numorstring.Protocol, null for metav1.Time), null for a slice, map or pointer;
 * - `x-omitempty`: a non-pointer field tagged `omitempty`, which Go leaves out when it holds its zero
 *   value (false, 0, "", an empty list or map). Pointer fields are never marked: a `*bool` false
 *   (nodeToNodeMeshEnabled) or a `*float64` 0 (policy order) is meaningful and must be written;
 * - `x-omitzero`: a non-pointer field tagged `omitzero` (a rule's source and destination,
 *   ObjectMeta's creationTimestamp), which Go leaves out when it holds its type's zero value: for a
 *   struct, every field zero in turn (`{}` is zero); a set pointer, list or map is not zero, even
 *   when empty (`nets: []` makes a rule side non-zero, written as `{}`).
 *
 * A field with none of x-go-struct, x-go-zero, x-omitempty and x-omitzero is a pointer tagged
 * omitempty: absent (nil) it is left out, present it is written and is never zero. JSON null is
 * Go's zero value for every field, so a known field holding null is treated as absent.
 *
 * The CRD's own constraints sit beside these as standard keywords, copied from the kind's CRD in
 * Calico's api/config/crd (enum, minimum, maximum, minLength, maxLength, minItems, maxItems,
 * minProperties, maxProperties, pattern, required, `format: cidr`, allOf), and `default` where the
 * CRD has one. libcalico-go's validator applies the defaults and checks the constraints client-side
 * (etcd, `validate`) on the object as Go encodes it; see crd-errors.ts and go-encode.ts.
 * Further keywords serve them:
 * - `x-crd-pattern`: the CRD's pattern where JavaScript cannot compile it as written (Go's
 *   `(?i)`): `pattern` holds an equivalent that JavaScript runs, and errors quote the CRD's text;
 * - `x-no-crd` (at a kind's root): the kind has no CRD (Node, WorkloadEndpoint, Profile), so its
 *   documents get no CRD defaults or constraints; the schema's other keywords only serve decoding;
 * - `x-since`: on a field newer than the Calico release this calicoctl targets (version.ts), the
 *   release whose CRDs first have it (`v3.32`). The schemas follow Calico's current API; the CRDs
 *   the Kubernetes datastore is written against (src/datastore/kubernetes/crds.ts) are the targeted
 *   release's, without these fields, which its API server would drop; nor are their defaults
 *   applied client-side, as that release's calicoctl never writes them;
 * - `x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`: copied into
 *   the generated CRDs as they are (the network-policy-api schemas in `schemas/k8s-policy/`).
 *
 * Types here that decode themselves (json.Unmarshaler), so their errors are their own rather than
 * encoding/json's type mismatch on the field; an UnmarshalTypeError from the json.Unmarshal they
 * call inside gets the field's context but names the inner type (uint16, uint8, uint32, int32,
 * string). A null reaches UnmarshalJSON only for a non-pointer field; for a pointer it means nil.
 * - numorstring.Port: a string is a port number (all digits, else `invalid port format (s)`), a
 *   `min:max` range (`invalid minimum|maximum port number in range (s)`, `minimum port number (a)
 *   is greater than maximum port number (b) in port range`) or a port name matching
 *   `^[a-zA-Z0-9_.-]{1,128}$` (`invalid name for named port (s)`); anything else is decoded as a
 *   uint16 (`cannot unmarshal number 70000 into ... of type uint16`; null is port 0).
 * - numorstring.Protocol, numorstring.DSCP (numorstring.Uint8OrString): any string is accepted (a
 *   decimal that fits uint8 becomes a number); anything else is decoded as a uint8 (`cannot
 *   unmarshal number 256 ... of type uint8`). Range checks (DSCP 0-63, names) come later, in
 *   validation.
 * - numorstring.ASNumber: a uint32 number, else a string holding a decimal uint32 or asdot
 *   `a.b` (16-bit parts), else `invalid AS Number format (s)`; a non-string that is not a uint32
 *   (-1, 4294967296, 1.5, true) fails with the string attempt's error (`cannot unmarshal number
 *   into Go value of type string`).
 * - v1.Time (metav1.Time): null is the zero time; otherwise a string (else `cannot unmarshal
 *   number into Go value of type string`) in RFC 3339, else time.Parse's error (`parsing time
 *   "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"`).
 * - v1.Duration (metav1.Duration): a string (else the string type error) that time.ParseDuration
 *   accepts, else its error (`time: invalid duration "x"`, `time: missing unit in duration "10"`,
 *   `time: unknown unit "x" in duration "10x"`).
 * - v1.FieldsV1 (managedFields): any JSON, kept as raw bytes; no error.
 * - intstr.IntOrString (StagedKubernetesNetworkPolicy ports): a string is kept as the name;
 *   anything else is decoded as an int32 (`cannot unmarshal number 3000000000 ... of type int32`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Ajv, ValidateFunction } from 'ajv'
import { parseCidr } from '../net/cidr.js'

export interface SchemaNode {
  type?: string | string[]
  properties?: Record<string, SchemaNode>
  additionalProperties?: boolean | SchemaNode
  items?: SchemaNode
  'x-go-name'?: string
  'x-go-type'?: string
  'x-go-struct'?: boolean
  'x-go-zero'?: unknown
  'x-omitempty'?: boolean
  'x-omitzero'?: boolean
  $ref?: string
  [keyword: string]: unknown
}

type Json = unknown
type JsonObject = Record<string, Json>

/** The package's schemas/ folder, above this module wherever it sits: src/resources (vitest) or a bundle chunk. */
function findSchemaDir(): URL {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    const candidate = new URL('schemas/', dir)
    if (existsSync(candidate)) return candidate
    if (new URL('../', dir).href === dir.href) throw new Error(`no schemas/ folder above ${import.meta.url}`)
  }
}

const SCHEMA_DIR = findSchemaDir()
const SHARED_DIR = new URL('shared/', SCHEMA_DIR)

const schemasByKind = new Map<string, SchemaNode>()
let sharedById: Map<string, SchemaNode> | undefined
const validators = new Map<string, ValidateFunction>()
let ajv: Ajv | undefined

function readSchema(url: URL): SchemaNode {
  return JSON.parse(readFileSync(url, 'utf8')) as SchemaNode
}

/** A schema file by its path under schemas/ (e.g. `ipam/ipamblock.json`), for types that are no kind. */
export function readSchemaFile(path: string): SchemaNode {
  return readSchema(new URL(path, SCHEMA_DIR))
}

function jsonFiles(dir: URL): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
}

/** A kind's schema is `schemas/<kind in lower case>.json`; only the kinds a command meets are read. */
function kindSchema(kind: string): SchemaNode | undefined {
  let schema = schemasByKind.get(kind)
  if (!schema) {
    const file = `${kind.toLowerCase()}.json`
    if (!/^[a-z]+\.json$/.test(file) || !existsSync(new URL(file, SCHEMA_DIR))) return undefined
    schema = readSchema(new URL(file, SCHEMA_DIR))
    if (schema.properties?.kind?.const !== kind) throw new Error(`schema ${file} does not fix properties.kind.const to ${kind}`)
    schemasByKind.set(kind, schema)
  }
  return schema
}

function sharedSchemas(): Map<string, SchemaNode> {
  if (!sharedById) {
    sharedById = new Map()
    for (const file of jsonFiles(SHARED_DIR)) {
      const schema = readSchema(new URL(file, SHARED_DIR))
      if (schema.$id !== `/shared/${file}`) throw new Error(`shared schema ${file} must have "$id": "/shared/${file}"`)
      sharedById.set(schema.$id, schema)
    }
  }
  return sharedById
}

const resolved = new WeakMap<SchemaNode, SchemaNode>()

/**
 * The node a schema node stands for: itself, or for `{"$ref": ..., ...}` the referenced definition
 * with the referencing node's own keywords (Go name, struct flag) laid over it.
 */
export function resolveSchema(node: SchemaNode): SchemaNode {
  if (node.$ref === undefined) return node
  let result = resolved.get(node)
  if (!result) {
    const [id, pointer = ''] = node.$ref.split('#')
    let target: unknown = sharedSchemas().get(id)
    for (const segment of pointerSegments(pointer)) target = isObject(target) ? target[segment] : undefined
    if (!isObject(target)) throw new Error(`cannot resolve schema reference ${node.$ref}`)
    const { $ref: _ref, ...own } = node
    result = { ...resolveSchema(target as SchemaNode), ...own }
    resolved.set(node, result)
  }
  return result
}

/** The root schema of a kind's documents. */
export function schemaFor(kind: string): SchemaNode {
  const schema = kindSchema(kind)
  if (!schema) throw new Error(`no JSON schema for kind ${kind}`)
  return schema
}

/** metav1.ObjectMeta, as every kind has it. */
export function objectMetaSchema(): SchemaNode {
  return resolveSchema(schemaFor('Tier').properties?.metadata as SchemaNode)
}

/** metav1.ListMeta, the `metadata` of a `<Kind>List`. */
const LIST_META: SchemaNode = {
  type: 'object',
  'x-go-type': 'v1.ListMeta',
  additionalProperties: false,
  properties: {
    selfLink: { type: 'string' },
    resourceVersion: { type: 'string' },
    continue: { type: 'string' },
    remainingItemCount: { type: 'integer', 'x-go-type': 'int64' },
  },
}

const listSchemas = new Map<string, SchemaNode>()

/** The schema of a `<Kind>List` document (v3.<Kind>List: type meta, list meta, items). */
export function listSchemaFor(kind: string): SchemaNode {
  let schema = listSchemas.get(kind)
  if (!schema) {
    const item = schemaFor(kind)
    schema = {
      type: 'object',
      'x-go-type': `v3.${kind}List`,
      additionalProperties: false,
      properties: {
        kind: { type: 'string' },
        apiVersion: { type: 'string' },
        metadata: LIST_META,
        items: { type: 'array', items: item },
      },
    }
    listSchemas.set(kind, schema)
  }
  return schema
}

/** The kind's schema compiled by ajv, once per kind. */
export function validatorFor(kind: string): ValidateFunction {
  let validate = validators.get(kind)
  if (!validate) {
    ajv ??= newAjv()
    validate = ajv.compile(schemaFor(kind))
    validators.set(kind, validate)
  }
  return validate
}

/**
 * The `cidr` format of the API server's OpenAPI validation (kube-openapi's strfmt): Go's
 * net.ParseCIDR, tolerating leading zeros in IPv4 octets and in the prefix length.
 */
export function isCrdCidr(text: string): boolean {
  const slash = text.indexOf('/')
  if (slash < 0 || !/^[0-9]+$/.test(text.slice(slash + 1))) return false
  let address = text.slice(0, slash)
  if (/^[0-9]+(\.[0-9]+){3}$/.test(address)) address = address.split('.').map((octet) => String(Number(octet))).join('.')
  return parseCidr(`${address}/${Number(text.slice(slash + 1))}`) !== undefined
}

/**
 * The extension keywords are data for the decoder and the encoder; ajv only checks the CRD's
 * constraints. ajv is loaded here, at the first check, so commands that only read never load it.
 */
function newAjv(): Ajv {
  const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as typeof import('ajv')
  const instance = new AjvClass({
    allErrors: true,
    allowUnionTypes: true,
    // Errors need their schema node: x-crd-pattern is read from it.
    verbose: true,
    keywords: ['x-go-name', 'x-go-type', 'x-go-struct', 'x-go-zero', 'x-omitempty', 'x-omitzero', 'x-crd-pattern', 'x-no-crd', 'x-since', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type'],
    formats: { cidr: { type: 'string', validate: isCrdCidr } },
  })
  for (const shared of sharedSchemas().values()) instance.addSchema(shared)
  return instance
}

/** Kinds that have a schema, sorted. */
export function knownKinds(): string[] {
  return jsonFiles(SCHEMA_DIR)
    .map((file) => readSchema(new URL(file, SCHEMA_DIR)).properties?.kind?.const as string)
    .sort()
}

/** A JSON object: not null, not an array. */
export function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The segments of a JSON pointer (`/a/b~1c` -> a, b/c). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

/** The schema node a JSON pointer names, from a kind's root (`#/...`) or a shared file (`/shared/x.json#/...`). */
export function schemaNodeAt(kind: string, ref: string): SchemaNode | undefined {
  const [id, pointer = ''] = ref.split('#')
  let node: unknown = id === '' ? schemaFor(kind) : sharedSchemas().get(id)
  for (const segment of pointerSegments(pointer)) node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[segment] : undefined
  return node as SchemaNode | undefined
}
