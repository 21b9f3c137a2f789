/**
 * Errors raised while reading `-f` input. The command layer prints them as
 * `failed to execute command: <message>`, so each message stands on its own:
 * where (source, document, line, field), what went wrong, and how to fix it.
 */

export type FieldPath = readonly (string | number)[]

/** `spec.ingress[0].source.selector`; keys that would read ambiguously are bracket-quoted. */
export function formatFieldPath(path: FieldPath): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`
    else out += `[${JSON.stringify(segment)}]`
  }
  return out
}

export interface ManifestErrorDetails {
  /** File path, or `stdin`. */
  source: string
  /** 1-based index of the YAML document within the source. */
  document?: number
  /** 1-based line within the source. */
  line?: number
  field?: FieldPath
  reason: string
  hint?: string
  /** Upstream's own text for this problem, where it has one (the message is then ours). */
  upstream?: string
}

export class ManifestError extends Error {
  readonly source?: string
  readonly document?: number
  readonly line?: number
  readonly field?: FieldPath
  readonly reason: string
  readonly hint?: string
  readonly upstream?: string

  constructor(details: ManifestErrorDetails | string) {
    super(typeof details === 'string' ? details : formatDetails(details))
    this.name = 'ManifestError'
    if (typeof details === 'string') {
      this.reason = details
    } else {
      this.source = details.source
      this.document = details.document
      this.line = details.line
      this.field = details.field
      this.reason = details.reason
      this.hint = details.hint
      this.upstream = details.upstream
    }
  }
}

function formatDetails(d: ManifestErrorDetails): string {
  const where = [d.document === undefined ? undefined : `document ${d.document}`, d.line === undefined ? undefined : `line ${d.line}`]
    .filter((part) => part !== undefined)
    .join(', ')
  const field = d.field !== undefined && d.field.length > 0 ? `field ${formatFieldPath(d.field)}: ` : ''
  return `${d.source}${where ? `: ${where}` : ''}: ${field}${d.reason}${d.hint ? `; ${d.hint}` : ''}`
}

/** A file or directory that yields no resources (calicoctl's wording; `--skip-empty` suppresses it). */
export class NoResourcesError extends ManifestError {
  constructor(
    /** The file or directory name as calicoctl prints it (`-` for stdin). */
    readonly target: string,
    readonly isDirectory: boolean,
  ) {
    super(`no resources specified in ${isDirectory ? 'directory' : 'file'} ${target}`)
    this.name = 'NoResourcesError'
  }
}
