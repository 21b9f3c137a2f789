/**
 * JSON as kube-apiserver reads it into an unstructured object (sigs.k8s.io/json's
 * UnmarshalCaseSensitivePreserveInts) and writes it back: a number written without fraction or
 * exponent is an int64 when it fits one, kept digit for digit (a bigint beyond 2^53, where a JS
 * number would round), else a float64; every other number is a float64 (a JS number).
 */
import { parseJson64 } from '../../../src/json64.js'
import { toGoJson } from '../../../src/output/json.js'

const MIN_INT64 = -(2n ** 63n)
const MAX_INT64 = 2n ** 63n - 1n

/** An integer past int64 falls back to float64, as the decoder does on overflow. */
function toInt64s(value: unknown): unknown {
  if (typeof value === 'bigint') return value >= MIN_INT64 && value <= MAX_INT64 ? value : Number(value)
  if (Array.isArray(value)) return value.map(toInt64s)
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) (value as Record<string, unknown>)[key] = toInt64s(item)
  }
  return value
}

/** Throws SyntaxError on malformed input. */
export function decodeJson(text: string): unknown {
  return toInt64s(parseJson64(text))
}

/**
 * The JSON text of a decoded value. JSON.stringify writes what has no int64 beyond 2^53 (and is the
 * quicker for a long list); a value with one is written by toGoJson, which writes a bigint's digits.
 */
export function encodeJson(value: unknown): string {
  try {
    return JSON.stringify(value)
  } catch (err) {
    if (err instanceof TypeError && /BigInt/.test(err.message)) return toGoJson(value, false)
    throw err
  }
}
