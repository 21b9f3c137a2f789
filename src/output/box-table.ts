/**
 * A table in go-pretty v6's default style, as `calicoctl node status` prints it:
 *
 *   +------+-------+
 *   | NAME | STATE |
 *   +------+-------+
 *   | a    | up    |
 *   +------+-------+
 *
 * Headers upper-cased, every cell left-aligned with one space of padding each side, a
 * rule under the header and none between rows, each line ending with `\n`.
 */
export function renderBoxTable(headers: string[], rows: string[][]): string {
  const head = headers.map((h) => h.toUpperCase())
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((row) => width(row[i] ?? ''))))
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+\n`
  const line = (cells: string[]): string =>
    `|${widths.map((w, i) => ` ${cells[i] ?? ''}${' '.repeat(w - width(cells[i] ?? ''))} `).join('|')}|\n`
  return rule + line(head) + rule + rows.map(line).join('') + rule
}

/** Terminal columns, counted per code point (BIRD output is ASCII). */
function width(text: string): number {
  return [...text].length
}
