/**
 * CEL as kube-apiserver evaluates a CRD's `x-kubernetes-validations`, on @bufbuild/cel: the
 * standard library, plus the Kubernetes library functions the Calico rules use (`isIP`, `ip()`,
 * `ip.family()`, `isCIDR`, `cidr()`, `cidr.ip()`, `cidr.masked()`, `cidr.prefixLength()`,
 * `cidr.containsIP()`, `cidr.containsCIDR()`), values typed by the structural schema (integers
 * as CEL ints, all 64 bits of them, numbers as doubles, int-or-string as either), and cel-go's
 * wording of the evaluation errors a rule can report (`no such key: name`).
 */
import { celEnv, celFunc, celMap, celMethod, CelScalar, isCelError, isCelMap, parse, plan, type CelInput, type CelMap } from '@bufbuild/cel'
import type { JSONSchemaProps } from '../../../src/datastore/kubernetes/crds.js'
import { formatIp, ipToBigInt } from '../../../src/net/cidr.js'
import { celCidrError, celIPError } from '../../../src/resources/go-netip.js'

/** An IP address or a CIDR, as the library's opaque types hold them. */
interface Address {
  family: 4 | 6
  value: bigint
}
interface Prefix extends Address {
  bits: number
}

// The library's types are opaque values; here each is a one-entry map under its own key, so that
// CEL's equality compares them by value, as cel-go compares netip values.
const IP_KEY = 'kubernetes.IP'
const CIDR_KEY = 'kubernetes.CIDR'

const width = (family: 4 | 6): number => (family === 4 ? 32 : 128)

function ipValue(ip: Address): CelMap {
  return celMap(new Map([[IP_KEY, `${formatIp(ip.family, ip.value)}`]]))
}

function cidrValue(p: Prefix): CelMap {
  return celMap(new Map([[CIDR_KEY, `${formatIp(p.family, p.value)}/${p.bits}`]]))
}

function readAddress(text: string): Address {
  const parsed = ipToBigInt(text)
  if (!parsed) throw new Error(`IP Address "${text}" parse error during conversion from string`)
  return parsed
}

function stringToIP(text: string): Address {
  const error = celIPError(text)
  if (error) throw new Error(error)
  return readAddress(text)
}

function stringToCIDR(text: string): Prefix {
  const error = celCidrError(text)
  if (error) throw new Error(error)
  const slash = text.lastIndexOf('/')
  return { ...readAddress(text.slice(0, slash)), bits: Number(text.slice(slash + 1)) }
}

/** The address or prefix a library value holds; a value of another type has no such method. */
function unwrap(value: unknown, key: string): string {
  const held = isCelMap(value) ? value.get(key) : undefined
  if (typeof held !== 'string') throw new Error('no such overload')
  return held
}
const asIP = (value: unknown): Address => readAddress(unwrap(value, IP_KEY))
function asCIDR(value: unknown): Prefix {
  const text = unwrap(value, CIDR_KEY)
  const slash = text.lastIndexOf('/')
  return { ...readAddress(text.slice(0, slash)), bits: Number(text.slice(slash + 1)) }
}

const mask = (p: Prefix): bigint => ((1n << BigInt(p.bits)) - 1n) << BigInt(width(p.family) - p.bits)
const masked = (p: Prefix): Prefix => ({ ...p, value: p.value & mask(p) })
const contains = (p: Prefix, ip: Address): boolean => p.family === ip.family && (ip.value & mask(p)) === masked(p).value
const ipArgument = (v: unknown): Address => (typeof v === 'string' ? stringToIP(v) : asIP(v))
const cidrArgument = (v: unknown): Prefix => (typeof v === 'string' ? stringToCIDR(v) : asCIDR(v))

const KUBERNETES_LIBRARY = [
  celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, (s) => celIPError(s) === undefined),
  celFunc('ip', [CelScalar.STRING], CelScalar.DYN, (s) => ipValue(stringToIP(s))),
  celMethod('family', CelScalar.DYN, [], CelScalar.INT, function () {
    return BigInt(asIP(this).family)
  }),
  celFunc('isCIDR', [CelScalar.STRING], CelScalar.BOOL, (s) => celCidrError(s) === undefined),
  celFunc('cidr', [CelScalar.STRING], CelScalar.DYN, (s) => cidrValue(stringToCIDR(s))),
  celMethod('ip', CelScalar.DYN, [], CelScalar.DYN, function () {
    return ipValue(asCIDR(this))
  }),
  celMethod('masked', CelScalar.DYN, [], CelScalar.DYN, function () {
    return cidrValue(masked(asCIDR(this)))
  }),
  celMethod('prefixLength', CelScalar.DYN, [], CelScalar.INT, function () {
    return BigInt(asCIDR(this).bits)
  }),
  celMethod('containsIP', CelScalar.DYN, [CelScalar.DYN], CelScalar.BOOL, function (other) {
    return contains(asCIDR(this), ipArgument(other))
  }),
  // A prefix contains another when their networks overlap and it is no longer.
  celMethod('containsCIDR', CelScalar.DYN, [CelScalar.DYN], CelScalar.BOOL, function (other) {
    const [outer, inner] = [asCIDR(this), cidrArgument(other)]
    return contains(outer, inner) && outer.bits <= inner.bits
  }),
]

const env = celEnv({ funcs: KUBERNETES_LIBRARY })

/** The rule's outcome: passed, failed, or an evaluation error in cel-go's words. */
export type Outcome = boolean | { error: string }

type Program = (bindings: Record<string, CelInput>) => unknown
const programs = new Map<string, Program>()

function compile(rule: string): Program {
  let program = programs.get(rule)
  if (!program) {
    program = plan(env, parse(rule)) as Program
    programs.set(rule, program)
  }
  return program
}

/** cel-go's texts where @bufbuild/cel words an error otherwise. */
function celGoMessage(message: string): string {
  const missing = /^field not found: (.*)$/.exec(message)
  return missing ? `no such key: ${missing[1]}` : message
}

/** Evaluates a rule with `self` (and `oldSelf` for a transition rule) bound to CEL values. */
export function evaluate(rule: string, self: CelInput, oldSelf?: CelInput): Outcome {
  const result = compile(rule)(oldSelf === undefined ? { self } : { self, oldSelf })
  if (isCelError(result)) return { error: celGoMessage(result.message) }
  if (typeof result !== 'boolean') return { error: `rule evaluated to ${String(result)}, not a bool` }
  return result
}

/** Whether a rule compares with the old value, so it only runs on updates. */
export const usesOldSelf = (rule: string): boolean => /\boldSelf\b/.test(rule)

/**
 * A JSON value as CEL sees it under its schema: integers as ints, numbers as doubles. An int64
 * beyond 2^53 (a bigint, json.ts) is an int, or a double under a `number` schema.
 */
export function celValue(value: unknown, schema: JSONSchemaProps | undefined): CelInput {
  if (value === null || value === undefined) return null
  if (typeof value === 'bigint') return schema?.type === 'number' ? Number(value) : value
  if (typeof value === 'number') {
    const integral = schema?.type === 'integer' || (schema?.['x-kubernetes-int-or-string'] && Number.isInteger(value))
    return integral && Number.isInteger(value) ? BigInt(value) : value
  }
  if (Array.isArray(value)) return value.map((item) => celValue(item, schema?.items))
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([key, item]) => [key, celValue(item, schema?.properties?.[key] ?? schema?.additionalProperties)] as [string, CelInput],
    )
    return celMap(new Map(entries))
  }
  return value as CelInput
}
