/** The lines a system check prints, and whether it passed. */
export interface CheckOutcome {
  lines: string[]
  ok: boolean
}

/** One result line as calicoctl prints it: value padded to 20 columns, then OK/FAIL/SKIP. */
export function resultLine(value: string, result: 'OK' | 'FAIL' | 'SKIP'): string {
  return `\t\t${value.padEnd(20)}\t\t\t\t\t${result}`
}
