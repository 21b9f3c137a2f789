/**
 * Wording for the input mistakes users actually make, e.g. pasting the admin
 * notes' `nodeSelector: !has(i-am-a-route-reflector)`: YAML reads a leading `!`
 * as a tag, so the selector silently loses its content or its negation.
 */
import { API_VERSION } from '../resources/types.js'
import type { LocalTag } from './yaml-positions.js'

export interface Explanation {
  reason: string
  hint?: string
}

export function explainLocalTag(tag: LocalTag): Explanation {
  const last = tag.path.at(-1)
  const isSelector = typeof last === 'string' && /selector$/i.test(last)
  const prefix = typeof last === 'string' ? `${last}: ` : typeof last === 'number' ? '- ' : ''
  return {
    reason: `YAML parsed '${tag.tag}' as a tag, not a string`,
    hint: `quote the ${isSelector ? 'selector' : 'value'}: ${prefix}${quoteYaml(tag.raw)}`,
  }
}

/** The value as a YAML quoted scalar, preferring double quotes. */
function quoteYaml(raw: string): string {
  if (raw.includes('"') && !raw.includes("'")) return `'${raw}'`
  return `"${raw.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

/** A pointer to the real cause when js-yaml only notices a problem later on. */
export function syntaxHint(reason: string, openedLine: number | undefined): string | undefined {
  if (/within a (double|single) quoted scalar/.test(reason) && openedLine !== undefined) {
    return `the quoted value that starts on line ${openedLine} is never closed`
  }
  if (/within a flow collection/.test(reason) && openedLine !== undefined) {
    return `the [ or { that starts on line ${openedLine} is never closed`
  }
  if (/^(tag suffix|tag name|named tag handle|undeclared tag handle)/.test(reason)) {
    return `YAML reads a value that starts with '!' as a tag; quote it, e.g. "!has(label)"`
  }
  if (/^tab characters/.test(reason)) return 'indent with spaces only'
  if (/^bad indentation/.test(reason)) return 'entries of the same mapping or list must start in the same column'
  return undefined
}

/** `a string ("foo")`, `a number (5)`, `null`: for "expected a resource, found ..." messages. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value
    return `a string (${JSON.stringify(shown)})`
  }
  if (typeof value === 'object') return 'a mapping'
  return `a ${typeof value === 'bigint' ? 'number' : typeof value} (${String(value)})`
}

/** Hint for a resource lacking `apiVersion` and/or `kind`, spotting mis-cased field names. */
export function missingTypeHint(doc: Record<string, unknown>, missing: readonly string[]): string {
  const miscased = Object.keys(doc).filter((key) => missing.some((m) => m !== key && m.toLowerCase() === key.toLowerCase()))
  if (miscased.length > 0) {
    return `found ${miscased.map((k) => `'${k}'`).join(' and ')}; field names are case-sensitive`
  }
  if (missing.includes('apiVersion')) return `Calico resources use apiVersion: ${API_VERSION}`
  return 'kind names the resource type, e.g. kind: IPPool'
}
