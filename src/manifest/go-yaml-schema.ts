/**
 * The scalars go-yaml v2 (YAML 1.1, what calicoctl's sigs.k8s.io/yaml reads with) sees where js-yaml's
 * YAML 1.2 core schema differs: `yes`/`no`/`on`/`off`/`y`/`n` are booleans, and integers are read by
 * Go's ParseInt with base 0 after dropping `_` (`0777` is octal 511, `1_000` is 1000, `0b101` is 5).
 * So `natOutgoing: yes` is true and a label `enabled: on` is stored as "true", as upstream does.
 */
import yaml from 'js-yaml'

const TRUE_WORDS = /^(y|Y|yes|Yes|YES|on|On|ON|true|True|TRUE)$/
const FALSE_WORDS = /^(n|N|no|No|NO|off|Off|OFF|false|False|FALSE)$/

const yaml11Bool = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (s: string | null) => s !== null && (TRUE_WORDS.test(s) || FALSE_WORDS.test(s)),
  construct: (s: string) => TRUE_WORDS.test(s),
})

/**
 * strconv.ParseInt/ParseUint with base 0 (64 bits), on the text with `_` removed: a number, or a
 * bigint where a number would lose digits (Go keeps them: `blockSize: 12345678901234567890` is
 * refused as that number).
 */
function goInteger(text: string): number | bigint | undefined {
  const plain = text.replaceAll('_', '')
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(plain)
  if (!m) return undefined
  const [, sign, digits] = m
  const body = /^0[0-7]+$/.test(digits) ? `0o${digits.slice(1)}` : digits
  const value = BigInt(body)
  const signed = sign === '-' ? -value : value
  // Beyond int64 only a non-negative uint64 is an integer.
  if (signed < -(2n ** 63n) || signed > 2n ** 64n - 1n) return undefined
  return Number.isSafeInteger(Number(signed)) ? Number(signed) : signed
}

const yaml11Int = new yaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (s: string | null) => s !== null && goInteger(s) !== undefined,
  construct: (s: string) => goInteger(s) as number | bigint,
})

/**
 * js-yaml's core schema with go-yaml v2's booleans and integers; extend it with further types as needed.
 * For reading only: the types have no `predicate`, so js-yaml's dump would not use them.
 */
export const GO_YAML_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [yaml11Bool, yaml11Int] })
