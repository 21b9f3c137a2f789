// The ps/wide tables of `calicoctl get`: calicoctl writes every cell followed by
// a tab (the last column too) into Go's text/tabwriter configured as
// NewWriter(out, minwidth 5, tabwidth 1, padding 3, padchar ' ', flags 0).
// This reproduces that writer: a column is as wide as its longest cell + 3
// (at least 5) counted in Unicode code points, every tab-terminated cell is
// padded with spaces, so each line keeps trailing spaces. As in Go, a column
// only aligns the consecutive lines that have a cell in it, a line without a
// tab ends the aligned block, and '\v' / '\f' act like '\t' / '\n' (with '\f'
// also ending the block).

const MIN_WIDTH = 5
const PADDING = 3

interface Cell {
  text: string
  width: number
}

/** Renders a header line and rows as calicoctl's tab-writer does; every line ends with '\n'. */
export function renderTable(headers: string[], rows: string[][]): string {
  const text = [headers, ...rows].map((cells) => cells.map((c) => c + '\t').join('') + '\n').join('')
  return tabwrite(text)
}

function tabwrite(text: string): string {
  const out: string[] = []
  let block: Cell[][] = []
  // Every line here ends with a terminator, so the split leaves one empty tail.
  const parts = text.split(/([\n\f])/)
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const line = parts[i].split(/[\t\v]/).map((t) => ({ text: t, width: Array.from(t).length }))
    block.push(line)
    if (parts[i + 1] === '\f' || line.length === 1) {
      formatColumns(block, [], 0, block.length, out)
      block = []
    }
  }
  formatColumns(block, [], 0, block.length, out)
  return out.join('')
}

/** Go tabwriter's format(): sizes column `widths.length` block by block, recursing rightwards. */
function formatColumns(lines: Cell[][], widths: number[], line0: number, line1: number, out: string[]): void {
  const column = widths.length
  for (let i = line0; i < line1; i++) {
    if (column >= lines[i].length - 1) continue
    writeLines(lines, widths, line0, i, out)
    line0 = i
    let width = MIN_WIDTH
    for (; i < line1 && column < lines[i].length - 1; i++) {
      width = Math.max(width, lines[i][column].width + PADDING)
    }
    formatColumns(lines, [...widths, width], line0, i, out)
    line0 = i
  }
  writeLines(lines, widths, line0, line1, out)
}

function writeLines(lines: Cell[][], widths: number[], line0: number, line1: number, out: string[]): void {
  for (let i = line0; i < line1; i++) {
    lines[i].forEach((cell, j) => {
      out.push(cell.text)
      if (j < widths.length) out.push(' '.repeat(widths[j] - cell.width))
    })
    out.push('\n')
  }
}
