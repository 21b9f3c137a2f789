/** What a node command prints: stdout first, then the error (stderr, exit 1) if any. */
export interface Rendered {
  stdout: string
  error?: string
}
