/** calicoctl's template functions (commands/common/printer.go): join, joinAndTruncate, config. */
import { FuncError, type GoFunc, type Param } from './exec.js'
import { formatV, sprint } from './fmt.js'
import { INT, STRING, sortedEntries, str, type GoMap, type GoValue, type MaybeValue } from './value.js'

const fn = (params: Param[], call: (args: MaybeValue[]) => MaybeValue): GoFunc => ({ params, call })
const fail = (message: string): never => {
  throw new FuncError(message)
}

/** calicoctl's joinAndTruncate: a map as sorted `k=v`, a non-slice as a one-element slice; fmt.Print of each. */
export function joinAndTruncate(items: MaybeValue, separator: string, maxLen: number): string {
  if (!items) return ''
  let list: MaybeValue[]
  if (items.t.kind === 'map') {
    list = (items.v === null ? [] : sortedEntries(items.v as GoMap))
      .map((e) => `${formatV(e.key)}=${formatV(e.value)}`)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .map(str)
  } else if (items.t.kind === 'slice') list = (items.v as GoValue[] | null) ?? []
  else list = [items]
  let buf = Buffer.alloc(0)
  for (let i = 0; i < list.length; i++) {
    const parts = [buf]
    if (i > 0) parts.push(Buffer.from(separator))
    parts.push(Buffer.from(sprint([list[i]])))
    buf = Buffer.concat(parts)
    if (maxLen > 0 && buf.length > maxLen) {
      // Go's Buffer.Truncate panics below zero; a suffix longer than maxLen is cut to what is left.
      const keep = maxLen - 3
      if (keep < 0) fail(`bytes.Buffer: truncation out of range`)
      buf = Buffer.concat([buf.subarray(0, keep), Buffer.from('...')])
      break
    }
  }
  return buf.toString()
}

/** calicoctl's template functions; `asNumber` reads the default BGPConfiguration's AS number once. */
export function calicoFuncs(asNumber: () => string): [string, GoFunc][] {
  return [
    ['join', fn(['any', STRING], ([items, sep]) => str(joinAndTruncate(items, sep!.v as string, 0)))],
    ['joinAndTruncate', fn(['any', STRING, INT], ([items, sep, max]) => str(joinAndTruncate(items, sep!.v as string, Number(max!.v))))],
    [
      'config',
      fn([STRING], ([name]) => {
        if ((name!.v as string).toLowerCase() === 'asnumber') return str(asNumber())
        return fail('unhandled config type')
      }),
    ],
  ]
}
