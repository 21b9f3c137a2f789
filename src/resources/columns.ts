import { specField, type Column } from './kind.js'

/**
 * calicoctl's `joinAndTruncate` template function: the items joined with `separator`; once the text
 * grows past `maxLen` (when above 0) it is cut so that, with a closing `...`, it is `maxLen` long.
 * Upstream counts bytes; the lists shown this way hold addresses, where bytes and characters agree.
 */
export function joinAndTruncate(items: readonly unknown[], separator: string, maxLen: number): string {
  let text = ''
  for (const [i, item] of items.entries()) {
    text += (i > 0 ? separator : '') + String(item)
    if (maxLen > 0 && text.length > maxLen) return `${text.slice(0, maxLen - 3)}...`
  }
  return text
}

/** A list in the spec as a table cell: `join` (maxLen 0) or `joinAndTruncate` over `,`. */
export function specListColumn(header: string, field: string, maxLen = 0): Column {
  return {
    header,
    value: (r) => {
      const items = specField(r, field)
      return joinAndTruncate(Array.isArray(items) ? items : [], ',', maxLen)
    },
  }
}
