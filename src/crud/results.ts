/**
 * The result lines of create/apply/replace/delete/validate, worded and routed exactly as
 * calicoctl's crud_commands.go does (spec cli.md section 3).
 */
export interface Outcome {
  /** Kind of each processed resource, in order. */
  kinds: string[]
  /** Error text per failed resource (in order); empty when all succeeded. */
  errors: string[]
  /** Failed resources that were never sent (their namespace was refused): replace does not count them as handled. */
  unsent?: number
}

export interface Report {
  stdout: string[]
  /** The command error (stderr, exit 1), when there is one. */
  error?: string
  /** Our lines after the error: where in the input each failed resource is. */
  details?: string[]
}

type Verb = 'create' | 'apply' | 'validate' | 'replace' | 'delete'
const PAST: Record<Verb, string> = { create: 'created', apply: 'applied', validate: 'validated', replace: 'replaced', delete: 'deleted' }

function singleKind(kinds: string[]): string | undefined {
  return kinds.length > 0 && kinds.every((k) => k === kinds[0]) ? kinds[0] : undefined
}

/** Go's %v of a []error: `[e1 e2]`. */
const goSlice = (errors: string[]): string => `[${errors.join(' ')}]`

export function reportCreateLike(verb: 'create' | 'apply' | 'validate', outcome: Outcome): Report {
  const total = outcome.kinds.length
  const failures = outcome.errors.length
  const successes = total - failures
  const kind = singleKind(outcome.kinds)
  const quoted = kind ? ` '${kind}'` : ''
  if (successes === 0) {
    if (total === 1) return { stdout: [], error: `failed to ${verb}${quoted} resource: ${goSlice(outcome.errors)}` }
    return { stdout: [], error: `failed to ${verb} any${quoted} resources: ${goSlice(outcome.errors)}` }
  }
  if (failures === 0) return { stdout: [`Successfully ${PAST[verb]} ${total}${quoted} resource(s)`] }
  const stdout = successes - failures > 0 ? [`Partial success: ${PAST[verb]} the first ${successes} out of ${total}${quoted} resources:`] : []
  return { stdout, error: `hit error: ${goSlice(outcome.errors)}` }
}

/**
 * Replace counts a resource it sent as handled even when the update failed, and keeps only the last
 * error (upstream quirks); one refused before it was sent (its namespace) is not handled.
 */
export function reportReplace(outcome: Outcome): Report {
  const total = outcome.kinds.length
  const handled = total - (outcome.unsent ?? 0)
  const kind = singleKind(outcome.kinds)
  const quoted = kind ? ` '${kind}'` : ''
  const last = outcome.errors[outcome.errors.length - 1]
  if (handled === 0) return { stdout: [], error: total === 1 ? `failed to replace${quoted} resource: ${last}` : `failed to replace any${quoted} resources: ${last}` }
  if (outcome.errors.length === 0) return { stdout: [`Successfully replaced ${handled}${quoted} resource(s)`] }
  return { stdout: [`Partial success: replaced the first ${handled} out of ${total}${quoted} resources:`], error: `hit error: ${last}` }
}

export function reportDelete(outcome: Outcome): Report {
  const kind = singleKind(outcome.kinds)
  const successes = outcome.kinds.length - outcome.errors.length
  const stdout = successes > 0 ? [`Successfully deleted ${successes}${kind ? ` '${kind}'` : ''} resource(s)`] : []
  if (outcome.errors.length === 0) return { stdout }
  const label = kind ? `Failed to delete '${kind}' resource` : 'Failed to delete resource'
  // Each line ends in a newline and the error printer adds another: stderr shows a blank line, like upstream.
  return { stdout, error: outcome.errors.map((e) => `${label}: ${e}\n`).join('') }
}

/** Adds our `at <file>: document N, line L (field)` lines after upstream's error text. */
export function withLocations(report: Report, locations: string[]): Report {
  if (report.error === undefined || locations.length === 0) return report
  return { ...report, details: [...(report.details ?? []), ...locations] }
}
