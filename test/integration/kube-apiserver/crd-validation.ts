/**
 * What kube-apiserver (1.34) does with a custom resource of a CRD on create and update, before it
 * stores it: prunes the fields the structural schema does not have (silently), drops nulls and
 * applies the schema's defaults, validates it against the OpenAPI schema (kube-openapi's checks in
 * its order, reported as apiextensions reports them) and the uniqueness of list-type sets and
 * maps, then, unless that found a blocking error, evaluates the `x-kubernetes-validations` CEL rules (transition rules only on update). Failures
 * are one 422 Invalid Status with a cause per field error.
 *
 * Not modelled: ratcheting of unchanged invalid values on update, the CEL cost budget,
 * messageExpression, fieldPath, embedded resources, other formats than `cidr`, the metadata rules
 * (names are the store's), and strict field validation (unknown fields are dropped without a
 * warning).
 */
import { RE2JS } from '@bufbuild/re2'
import type { CustomResourceDefinition, JSONSchemaProps, ValidationRule } from '../../../src/datastore/kubernetes/crds.js'
import { formatGoFloat } from '../../../src/output/yaml-resolve.js'
import { goQuote } from '../../../src/go-quote.js'
import { isCrdCidr } from '../../../src/resources/schema.js'
import { celValue, evaluate, usesOldSelf } from './cel.js'
import { encodeJson } from './json.js'
import type { ServedResource } from './resources.js'
import { invalid, type StatusCause } from './status.js'
import type { KubeObject } from './store.js'

type Json = unknown
type JsonObject = Record<string, Json>

/** A field.Error of apimachinery: its type, where, the bad value (omitted for some types), and the detail. */
export interface FieldError {
  type: string
  field: string
  value?: Json
  detail: string
}

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Go's %v of a JSON value as apimachinery prints a bad value: %q for strings, an int64's digits, a
 * float64 as %v writes it (a number past 2^53 is one: json.ts reads a larger integer as bigint), JSON
 * for the rest.
 */
function goValue(value: Json): string {
  if (typeof value === 'string') return goQuote(value)
  if (typeof value === 'bigint') return String(value)
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : formatGoFloat(value)
  return encodeJson(value ?? null)
}

/** field.Error.ErrorBody. */
function errorBody(e: FieldError): string {
  const title: Record<string, string> = {
    FieldValueRequired: 'Required value',
    FieldValueForbidden: 'Forbidden',
    FieldValueTooLong: 'Too long',
    FieldValueInvalid: 'Invalid value',
    FieldValueTypeInvalid: 'Invalid value',
    FieldValueNotSupported: 'Unsupported value',
    FieldValueTooMany: 'Too many',
    FieldValueDuplicate: 'Duplicate value',
  }
  const withValue = ['FieldValueInvalid', 'FieldValueTypeInvalid', 'FieldValueNotSupported', 'FieldValueTooMany', 'FieldValueDuplicate'].includes(e.type)
  const head = withValue ? `${title[e.type]}: ${goValue(e.value)}` : title[e.type]
  return e.detail ? `${head}: ${e.detail}` : head
}

/**
 * The JSON type kube-openapi infers: an int64 is an integer, and so is a float64 that is a whole
 * number within 2^53 (swag.IsFloat64AJSONInteger), which a JS number cannot tell from an int64.
 */
const jsonType = (v: Json): string =>
  typeof v === 'string'
    ? 'string'
    : typeof v === 'boolean'
      ? 'boolean'
      : typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v))
        ? 'integer'
        : typeof v === 'number'
          ? 'number'
          : Array.isArray(v)
            ? 'array'
            : 'object'

const childPath = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`)

// ---------------------------------------------------------------------------------------------
// Pruning and defaulting.

/** Drops what the schema does not have; `x-kubernetes-preserve-unknown-fields` keeps it. */
function prune(value: Json, schema: JSONSchemaProps | undefined): void {
  if (!schema) return
  if (Array.isArray(value)) {
    for (const item of value) prune(item, schema.items)
    return
  }
  if (!isObject(value)) return
  for (const key of Object.keys(value)) {
    const child = schema.properties?.[key] ?? schema.additionalProperties
    if (child) prune(value[key], child)
    else if (!schema['x-kubernetes-preserve-unknown-fields']) delete value[key]
  }
}

/** Nulls the schema does not allow become the default, or go. */
function defaultValues(value: Json, schema: JSONSchemaProps | undefined): void {
  if (!schema) return
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (item === null && schema.items?.default !== undefined) value[i] = structuredClone(schema.items.default)
      defaultValues(value[i], schema.items)
    })
    return
  }
  if (!isObject(value)) return
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (child.default !== undefined && (value[key] === undefined || value[key] === null)) value[key] = structuredClone(child.default)
  }
  for (const key of Object.keys(value)) {
    const child = schema.properties?.[key] ?? schema.additionalProperties
    if (value[key] === null && child?.default === undefined && !child?.nullable) delete value[key]
    else defaultValues(value[key], child)
  }
}

// ---------------------------------------------------------------------------------------------
// OpenAPI schema validation (kube-openapi, as apiextensions reports it).

const patterns = new Map<string, RE2JS>()
function matches(pattern: string, text: string): boolean {
  let re = patterns.get(pattern)
  if (!re) {
    re = RE2JS.compile(pattern)
    patterns.set(pattern, re)
  }
  return re.test(text)
}

/** The checks of one value in kube-openapi's order: type, allOf, string, format, number, list, enum, object. */
function validateValue(value: Json, schema: JSONSchemaProps, path: string, errors: FieldError[]): void {
  const intOrString = schema['x-kubernetes-int-or-string'] === true
  if (value === null) {
    if (schema.type && !schema.nullable) errors.push({ type: 'FieldValueTypeInvalid', field: path, value: 'null', detail: `${path} in body must be of type ${schema.type}: "null"` })
    return
  }
  const actual = jsonType(value)
  const typeOk = intOrString ? actual === 'integer' || actual === 'string' : !schema.type || schema.type === actual || (schema.type === 'number' && actual === 'integer')
  if (!typeOk) {
    const expected = intOrString ? 'integer,string' : schema.type
    errors.push({ type: 'FieldValueTypeInvalid', field: path, value: actual, detail: `${path} in body must be of type ${expected}: ${goQuote(actual)}` })
  }
  if (schema.allOf) {
    let validated = 0
    for (const branch of schema.allOf) {
      const branchErrors: FieldError[] = []
      validateValue(value, branch, path, branchErrors)
      if (branchErrors.length === 0) validated++
      errors.push(...branchErrors)
    }
    if (validated < schema.allOf.length)
      errors.push({ type: 'FieldValueInvalid', field: '<nil>', value: '', detail: `${goQuote(path)} must validate all the schemas (allOf)${validated === 0 ? '. None validated' : ''}` })
  }
  if (typeof value === 'string') {
    const length = [...value].length
    if (schema.maxLength !== undefined && length > schema.maxLength)
      errors.push({ type: 'FieldValueTooLong', field: path, detail: `may not be more than ${schema.maxLength} ${schema.maxLength === 1 ? 'byte' : 'bytes'}` })
    if (schema.minLength !== undefined && length < schema.minLength)
      errors.push({ type: 'FieldValueInvalid', field: path, value, detail: `${path} in body should be at least ${schema.minLength} chars long` })
    if (schema.pattern !== undefined && !matches(schema.pattern, value))
      errors.push({ type: 'FieldValueInvalid', field: path, value, detail: `${path} in body should match '${schema.pattern}'` })
    if (schema.format === 'cidr' && !isCrdCidr(value))
      errors.push({ type: 'FieldValueInvalid', field: path, value, detail: `${path} in body must be of type cidr: ${goQuote(value)}` })
  }
  // A bigint compares with the bound exactly.
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (schema.maximum !== undefined && value > schema.maximum)
      errors.push({ type: 'FieldValueInvalid', field: path, value, detail: `${path} in body should be less than or equal to ${schema.maximum}` })
    if (schema.minimum !== undefined && value < schema.minimum)
      errors.push({ type: 'FieldValueInvalid', field: path, value, detail: `${path} in body should be greater than or equal to ${schema.minimum}` })
  }
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => validateValue(item, schema.items as JSONSchemaProps, `${path}[${i}]`, errors))
    if (schema.minItems !== undefined && value.length < schema.minItems)
      errors.push({ type: 'FieldValueInvalid', field: path, value: value.length, detail: `${path} in body should have at least ${schema.minItems} items` })
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      errors.push({ type: 'FieldValueTooMany', field: path, value: value.length, detail: `must have at most ${schema.maxItems} ${schema.maxItems === 1 ? 'item' : 'items'}` })
  }
  if (schema.enum && !schema.enum.some((allowed) => encodeJson(allowed) === encodeJson(value))) {
    const supported = schema.enum.map((v) => goQuote(typeof v === 'string' ? v : encodeJson(v))).join(', ')
    errors.push({ type: 'FieldValueNotSupported', field: path, value, detail: `supported values: ${supported}` })
  }
  if (isObject(value)) {
    const count = Object.keys(value).length
    if (schema.minProperties !== undefined && count < schema.minProperties)
      errors.push({ type: 'FieldValueInvalid', field: path, value: count, detail: `${path} in body should have at least ${schema.minProperties} properties` })
    if (schema.maxProperties !== undefined && count > schema.maxProperties)
      errors.push({ type: 'FieldValueTooMany', field: path, value: count, detail: `must have at most ${schema.maxProperties} ${schema.maxProperties === 1 ? 'item' : 'items'}` })
    for (const [key, child] of Object.entries(schema.properties ?? {})) if (key in value) validateValue(value[key], child, childPath(path, key), errors)
    if (schema.additionalProperties) for (const [key, item] of Object.entries(value)) validateValue(item, schema.additionalProperties, childPath(path, key), errors)
    for (const key of schema.required ?? []) if (!(key in value)) errors.push({ type: 'FieldValueRequired', field: childPath(path, key), value: '', detail: '' })
  }
}

/** Errors that stop the CEL rules from being evaluated (customResourceStrategy's hasBlockingErr). */
const BLOCKING = ['FieldValueNotSupported', 'FieldValueRequired', 'FieldValueTooLong', 'FieldValueTooMany', 'FieldValueTypeInvalid']

// ---------------------------------------------------------------------------------------------
// List types.

/**
 * `x-kubernetes-list-type: set` holds each item once, `map` each key once (apiextensions'
 * listtype validation): every later repeat of a value is a Duplicate at its index.
 */
function validateListTypes(value: Json, schema: JSONSchemaProps | undefined, path: string, errors: FieldError[]): void {
  if (!schema) return
  if (Array.isArray(value)) {
    const listType = schema['x-kubernetes-list-type']
    const keys = schema['x-kubernetes-list-map-keys'] ?? []
    if (listType === 'set' || listType === 'map') {
      const seen = new Map<string, number>()
      value.forEach((item, i) => {
        const identity = listType === 'set' ? item : Object.fromEntries(keys.filter((k) => isObject(item) && k in item).map((k) => [k, (item as JsonObject)[k]]))
        const text = encodeJson(identity)
        const times = seen.get(text) ?? 0
        seen.set(text, times + 1)
        if (times === 1) errors.push({ type: 'FieldValueDuplicate', field: `${path}[${i}]`, value: identity, detail: '' })
      })
    }
    value.forEach((item, i) => validateListTypes(item, schema.items, `${path}[${i}]`, errors))
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) validateListTypes(item, schema.properties?.[key] ?? schema.additionalProperties, childPath(path, key), errors)
  }
}

// ---------------------------------------------------------------------------------------------
// CEL rules.

function ruleError(path: string, schema: JSONSchemaProps, rule: ValidationRule, outcome: { error: string } | false): FieldError {
  const type = schema.type ?? ''
  if (outcome !== false) return { type: 'FieldValueInvalid', field: path, value: type, detail: `${outcome.error} evaluating rule: ${rule.message}` }
  if (rule.reason === 'FieldValueForbidden') return { type: rule.reason, field: path, detail: rule.message }
  if (rule.reason === 'FieldValueRequired') return { type: rule.reason, field: path, value: '', detail: rule.message }
  return { type: 'FieldValueInvalid', field: path, value: type, detail: rule.message }
}

/**
 * The rules on the value, then on its parts. The old value follows along object fields only (lists
 * are atomic), and transition rules run only where there is one.
 */
function validateRules(value: Json, old: Json, schema: JSONSchemaProps, path: string, errors: FieldError[], root = false): void {
  if (value === null || value === undefined) return
  const at = path === '' ? '<nil>' : path
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    const transition = usesOldSelf(rule.rule)
    if (transition && old === undefined) continue
    // At the root, a rule sees the object's type and its name, as WithTypeAndObjectMeta declares them.
    const selfValue = root && isObject(value) ? { ...value, metadata: pick(value.metadata, ['name', 'generateName']) } : value
    const outcome = evaluate(rule.rule, celValue(selfValue, schema), transition ? celValue(old, schema) : undefined)
    if (outcome !== true) errors.push(ruleError(at, schema, rule, outcome))
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => schema.items && validateRules(item, undefined, schema.items, `${path}[${i}]`, errors))
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const child = schema.properties?.[key] ?? schema.additionalProperties
      if (child) validateRules(item, isObject(old) ? old[key] : undefined, child, childPath(path, key), errors)
    }
  }
}

function pick(value: Json, keys: string[]): JsonObject {
  return isObject(value) ? Object.fromEntries(keys.filter((k) => value[k] !== undefined).map((k) => [k, value[k]])) : {}
}

// ---------------------------------------------------------------------------------------------

/** The admission of the custom resources that have one of the given CRDs. */
export class CrdAdmission {
  private readonly schemas = new Map<string, JSONSchemaProps>()

  constructor(crds: CustomResourceDefinition[]) {
    for (const crd of crds) this.install(crd)
  }

  /** A CRD created or updated: its custom resources are admitted by its schemas from now on. */
  install(crd: CustomResourceDefinition): void {
    for (const version of crd.spec.versions) this.schemas.set(`${crd.spec.group}/${version.name}/${crd.spec.names.plural}`, version.schema.openAPIV3Schema)
  }

  /** Prunes and defaults `object` in place, then validates it; throws the 422 when it is invalid. */
  admit(r: ServedResource, object: KubeObject, old?: KubeObject): void {
    const errors = this.review(r, object, old)
    if (errors.length === 0) return
    const causes: StatusCause[] = errors.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }))
    throw invalid(r, object.metadata.name ?? '', causes)
  }

  /** Prunes and defaults `object` in place, and returns what is wrong with it. */
  review(r: ServedResource, object: KubeObject, old?: KubeObject): FieldError[] {
    const schema = this.schemas.get(`${r.group}/${r.version}/${r.plural}`)
    if (!schema) return []
    // ObjectMeta is decoded on its own; the schema's `metadata: {type: object}` prunes nothing of it.
    const { apiVersion, kind } = object
    const metadata = structuredClone(object.metadata)
    prune(object, schema)
    defaultValues(object, schema)
    Object.assign(object, { apiVersion, kind, metadata })
    const errors: FieldError[] = []
    validateValue(object, schema, '', errors)
    validateListTypes(object, schema, '', errors)
    if (errors.some((e) => BLOCKING.includes(e.type)))
      errors.push({ type: 'FieldValueInvalid', field: '<nil>', value: null, detail: 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation' })
    else validateRules(object, old, schema, '', errors, true)
    return errors
  }
}
