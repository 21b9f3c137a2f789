/**
 * A table in go-pretty v6's default style, as `calicoctl node status` prints it:
 *
 *   +------+-------+
 *   | NAME | STATE |
 *   +------+-------+
 *   | a    | up    |
 *   +------+-------+
 *
 * Headers upper-cased, cells left-aligned (or right-aligned in the `alignRight` columns, which
 * calicoctl configures per column; headers stay left) with one space of padding each side, a rule
 * under the header and none between rows, each line ending with `\n`.
 */
export function renderBoxTable(headers: string[], rows: string[][], options: { alignRight?: number[] } = {}): string {
  const head = headers.map((h) => h.toUpperCase())
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((row) => width(row[i] ?? ''))))
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+\n`
  const line = (cells: string[], right: number[]): string =>
    `|${widths
      .map((w, i) => {
        const cell = cells[i] ?? ''
        const pad = ' '.repeat(w - width(cell))
        return right.includes(i) ? ` ${pad}${cell} ` : ` ${cell}${pad} `
      })
      .join('|')}|\n`
  const body = rows.map((row) => line(row, options.alignRight ?? [])).join('')
  return rule + line(head, []) + rule + body + rule
}

/** Terminal columns, counted per code point (BIRD output is ASCII). */
function width(text: string): number {
  return [...text].length
}
