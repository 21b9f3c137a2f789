/**
 * Go values as reflect sees them, for the template engine: a type (kind, name, fields, whether it
 * has a String method) and the value. Integers are bigints, floats numbers; a pointer holds its
 * target or null; a slice or map may be nil (null); an interface holds its dynamic value or null.
 * `undefined` stands for Go's invalid reflect.Value (a missing map entry, an untyped nil).
 */

export type IntKind = 'int' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64'
export type Kind = IntKind | 'string' | 'bool' | 'float64' | 'float32' | 'ptr' | 'slice' | 'map' | 'struct' | 'interface' | 'func'

export interface GoField {
  name: string
  type: GoType
  embedded?: boolean
}

export interface GoType {
  kind: Kind
  /** The named type's name as reflect prints it (`v3.IPPoolSpec`); unnamed types have none. */
  name?: string
  elem?: GoType
  key?: GoType
  fields?: GoField[]
  /** The type's String() method (value receiver), as fmt and templates call it. */
  stringer?: (v: GoValue) => string
}

export interface GoValue {
  t: GoType
  v: any
}

export type MaybeValue = GoValue | undefined

export const STRING: GoType = { kind: 'string' }
export const BOOL: GoType = { kind: 'bool' }
export const INT: GoType = { kind: 'int' }
export const FLOAT64: GoType = { kind: 'float64' }
export const ANY: GoType = { kind: 'interface', name: 'interface {}' }

export const str = (s: string): GoValue => ({ t: STRING, v: s })

/** reflect.Type.String(). */
export function typeString(t: GoType): string {
  if (t.name) return t.name
  switch (t.kind) {
    case 'ptr':
      return `*${typeString(t.elem as GoType)}`
    case 'slice':
      return `[]${typeString(t.elem as GoType)}`
    case 'map':
      return `map[${typeString(t.key as GoType)}]${typeString(t.elem as GoType)}`
    case 'struct':
      return `struct { ${(t.fields ?? []).map((f) => `${f.name} ${typeString(f.type)}`).join('; ')} }`
    case 'func':
      return 'func'
    default:
      return t.kind
  }
}

export const isInt = (k: Kind) => /^u?int/.test(k)
export const isUint = (k: Kind) => k.startsWith('uint')
export const isFloat = (k: Kind) => k.startsWith('float')

/** The zero value of a type. */
export function zero(t: GoType): GoValue {
  switch (t.kind) {
    case 'string':
      return { t, v: '' }
    case 'bool':
      return { t, v: false }
    case 'float32':
    case 'float64':
      return { t, v: 0 }
    case 'struct':
      return { t, v: (t.fields ?? []).map((f) => zero(f.type)) }
    case 'ptr':
    case 'slice':
    case 'map':
    case 'interface':
    case 'func':
      return { t, v: null }
    default:
      return { t, v: 0n }
  }
}

/** reflect's indirect as text/template uses it: through pointers and interfaces, stopping at a nil one. */
export function indirect(v: GoValue): { value: GoValue; isNil: boolean } {
  let cur = v
  while (cur.t.kind === 'ptr' || cur.t.kind === 'interface') {
    if (cur.v === null) return { value: cur, isNil: true }
    cur = cur.v as GoValue
  }
  return { value: cur, isNil: false }
}

/** indirectInterface: the dynamic value of an interface, invalid for a nil one. */
export function indirectInterface(v: MaybeValue): MaybeValue {
  if (!v || v.t.kind !== 'interface') return v
  return v.v === null ? undefined : (v.v as GoValue)
}

/** reflect.Type.FieldByName with promotion through embedded structs (breadth first). */
export function fieldByName(t: GoType, name: string): number[] | undefined {
  let level: { t: GoType; path: number[] }[] = [{ t, path: [] }]
  while (level.length > 0) {
    const found = level.flatMap(({ t: s, path }) => (s.fields ?? []).flatMap((f, i) => (f.name === name ? [[...path, i]] : [])))
    if (found.length === 1) return found[0]
    if (found.length > 1) return undefined
    level = level.flatMap(({ t: s, path }) =>
      (s.fields ?? []).flatMap((f, i) => {
        const ft = f.type.kind === 'ptr' ? (f.type.elem as GoType) : f.type
        return f.embedded && ft.kind === 'struct' ? [{ t: ft, path: [...path, i] }] : []
      }),
    )
  }
  return undefined
}

/** Length of a string (in bytes, as Go counts), slice or map. */
export function goLen(v: GoValue): number {
  if (v.t.kind === 'string') return Buffer.byteLength(v.v as string)
  if (v.v === null) return 0
  if (v.t.kind === 'map') return (v.v as Map<unknown, unknown>).size
  return (v.v as GoValue[]).length
}

/** A map value: keys as JS primitives (string or bigint) to the Go key and element. */
export type GoMap = Map<string | bigint | boolean | number, { key: GoValue; value: GoValue }>

/** Map entries in fmtsort's order: numbers and strings ascending. */
export function sortedEntries(m: GoMap): { key: GoValue; value: GoValue }[] {
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e)
}
