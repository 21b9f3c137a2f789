/**
 * metav1.Status error bodies with the reasons, codes and message texts kube-apiserver sends
 * (k8s.io/apimachinery/pkg/api/errors).
 */
import { qualifiedKind, qualifiedName, type ServedResource } from './resources.js'

export interface StatusCause {
  reason: string
  message: string
  field: string
}

export interface Status {
  kind: 'Status'
  apiVersion: 'v1'
  /** ListMeta: an expired continue token's replacement travels here. */
  metadata: { continue?: string }
  status: 'Failure'
  message: string
  /** Absent for errors the apiserver did not turn into a Status itself (StatusReasonUnknown). */
  reason?: string
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[] }
  code: number
}

/** Thrown by handlers; the server writes it as the response. */
export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message)
  }
}

function failure(code: number, reason: string, message: string, details?: Status['details']): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }
  if (reason === '') delete status.reason
  if (details) status.details = details
  return new StatusError(status)
}

const detailsOf = (r: ServedResource, name: string) => ({ name, group: r.group || undefined, kind: r.plural })

export const notFound = (r: ServedResource, name: string) =>
  failure(404, 'NotFound', `${qualifiedName(r)} "${name}" not found`, detailsOf(r, name))

export const alreadyExists = (r: ServedResource, name: string) =>
  failure(409, 'AlreadyExists', `${qualifiedName(r)} "${name}" already exists`, detailsOf(r, name))

export const conflict = (r: ServedResource, name: string, why: string) =>
  failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedName(r)} "${name}": ${why}`, detailsOf(r, name))

export const OPTIMISTIC_LOCK = 'the object has been modified; please apply your changes to the latest version and try again'

/**
 * 422 with field causes: `IPPool.crd.projectcalico.org "p1" is invalid: metadata.name: Required value: ...`;
 * the message names each distinct field error once, as apimachinery's ToAggregate does.
 */
export function invalid(r: ServedResource, name: string, causes: StatusCause[]): StatusError {
  const text = [...new Set(causes.map((c) => `${c.field}: ${c.message}`))]
  const joined = text.length === 1 ? text[0] : `[${text.join(', ')}]`
  return failure(422, 'Invalid', `${qualifiedKind(r)} "${name}" is invalid: ${joined}`, {
    name,
    group: r.group || undefined,
    kind: r.kind,
    causes,
  })
}

export const badRequest = (message: string) => failure(400, 'BadRequest', message)

export const unauthorized = () => failure(401, 'Unauthorized', 'Unauthorized')

/** RBAC's denial text, e.g. `ippools.crd.projectcalico.org "p1" is forbidden: User "viewer" cannot update resource "ippools" ...`. */
export function forbidden(r: ServedResource, user: string, verb: string, name?: string, subresource?: string, namespace?: string): StatusError {
  const subject = name ? `${qualifiedName(r)} "${name}"` : qualifiedName(r)
  const resource = subresource ? `${r.plural}/${subresource}` : r.plural
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope'
  return failure(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${r.group}" ${scope}`,
    detailsOf(r, name ?? ''),
  )
}

/** A denial with its reason, e.g. NamespaceLifecycle's `namespaces "default" is forbidden: this namespace may not be deleted`. */
export const forbiddenBecause = (r: ServedResource, name: string, why: string) =>
  failure(403, 'Forbidden', `${qualifiedName(r)} "${name}" is forbidden: ${why}`, detailsOf(r, name))

export const resourceNotFound = () => failure(404, 'NotFound', 'the server could not find the requested resource', {})

export const methodNotAllowed = () => failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {})

export const unsupportedMediaType = (accepted: string[]) =>
  failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`)

export const internalError = (message: string) => failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ reason: '', message, field: '' }] })

export const tooManyRequests = () => failure(429, 'TooManyRequests', 'Too many requests, please try again later.', { causes: [] })

/** A plain error from the storage layer, which the apiserver reports as 500 without a reason (ErrorToAPIStatus). */
export const storageError = (message: string) => failure(500, '', message)

/**
 * 410 for a continue token whose revision etcd has compacted away (etcd3 store's
 * handleCompactedErrorForPaging); `token` goes on with the rest of the list at the latest revision.
 */
export function continueExpired(token: string): StatusError {
  const error = failure(
    410,
    'Expired',
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, ' +
      'or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an ' +
      'inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  )
  error.status.metadata = { continue: token }
  return error
}
