/**
 * Error types shared by every layer. Their messages are the exact texts calicoctl
 * (libcalico-go lib/errors) prints, so commands can surface them unchanged.
 */

/** Identifies one resource in messages: `Kind(name)` or `Kind(namespace/name)`. */
export interface ResourceId {
  kind: string
  name: string
  namespace?: string
}

export function formatId(id: ResourceId): string {
  return id.namespace ? `${id.kind}(${id.namespace}/${id.name})` : `${id.kind}(${id.name})`
}

/**
 * An error that ends the command, exit code 1 (calicoctl uses only 0 and 1). `message` is upstream's
 * text; `details` are our lines after it (where in the file, further problems), which upstream's
 * rewriting of the message (massageError) never touches.
 */
export class CommandError extends Error {
  constructor(
    message: string,
    /** calicoctl prints a few errors on stdout instead of stderr. */
    readonly stream: 'stdout' | 'stderr' = 'stderr',
    readonly details: string[] = [],
  ) {
    super(message)
    this.name = 'CommandError'
  }
}

/**
 * calicoctl's MassageError, applied to every command error it prints on stderr: the YAML decoder's
 * prefix goes when it leads the message, and any message naming an unknown field is replaced whole.
 */
export function massageError(message: string): string {
  const trimmed = message.startsWith(DECODE_PREFIX) ? message.slice(DECODE_PREFIX.length) : message
  const unknown = /unknown field "([^"]+)"/.exec(trimmed)
  return unknown ? `field in document is not recognized or is in the wrong location: ${unknown[1]}` : trimmed
}

/** What sigs.k8s.io/yaml puts before encoding/json's error when a document does not decode. */
export const DECODE_PREFIX = 'error unmarshaling JSON: while decoding JSON: json: '

export class NotFoundError extends Error {
  constructor(readonly id: ResourceId, readonly inner = '<nil>') {
    super(`resource does not exist: ${formatId(id)} with error: ${inner}`)
    this.name = 'NotFoundError'
  }
}

export class AlreadyExistsError extends Error {
  constructor(readonly id: ResourceId, readonly inner = '<nil>') {
    super(`resource already exists: ${formatId(id)} with error: ${inner}`)
    this.name = 'AlreadyExistsError'
  }
}

export class ConflictError extends Error {
  constructor(readonly id: ResourceId, readonly detail = '') {
    super(`update conflict: ${formatId(id)}`)
    this.name = 'ConflictError'
  }
}

export class NotSupportedError extends Error {
  constructor(readonly operation: string, readonly identifier: string, readonly reason = '') {
    super(`operation ${operation} is not supported on ${identifier}${reason ? `: ${reason}` : ''}`)
    this.name = 'NotSupportedError'
  }
}

/** The datastore could not be reached (dial timeout, refused, TLS failure). */
/**
 * The client could not be built from its configuration (an etcd TLS file that cannot be read): the
 * user's to fix, so `version` reports it rather than "Unable to detect installed Calico version".
 */
export class ClientSetupError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ClientSetupError'
  }
}

export class UnreachableError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UnreachableError'
  }
}

export class UnauthorizedError extends Error {
  constructor(inner: string) {
    super(`connection is unauthorized: ${inner}`)
    this.name = 'UnauthorizedError'
  }
}

/** One failed field check, as libcalico-go's ErroredField. */
export interface FieldError {
  /** Go-style field name, e.g. `IPPool.Spec.CIDR`, `Metadata.Name`, `PeerIP`. */
  name: string
  value?: unknown
  reason: string
}

function formatField(f: FieldError): string {
  const value = f.value === undefined ? '' : ` = '${String(f.value)}'`
  return `error with field ${f.name}${value}${f.reason ? ` (${f.reason})` : ''}`
}

/** Validation failure with one or more fields (libcalico-go's ErrorValidation). */
export class ValidationError extends Error {
  constructor(readonly fields: FieldError[]) {
    super(
      fields.length === 1
        ? formatField(fields[0])
        : `error with the following fields:\n${fields.map((f) => `-  ${formatField(f).slice('error with field '.length)}\n`).join('')}`,
    )
    this.name = 'ValidationError'
  }
}
