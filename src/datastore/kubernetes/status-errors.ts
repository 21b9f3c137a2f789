/**
 * Kubernetes API errors -> the shared Calico error types, as libcalico-go's K8sErrorToCalico maps
 * them (datastore spec 2.4). The Kubernetes message is kept as the inner error text, so a missing
 * resource reads `resource does not exist: IPPool(p1) with error: ippools.crd.projectcalico.org "p1" not found`.
 */
import { AlreadyExistsError, ConflictError, NotFoundError, UnauthorizedError, type ResourceId } from '../../errors.js'
import { KubeApiError, type KubeStatus } from './rest.js'

/** The Status reason; an empty reason falls back to the HTTP code, as apimachinery's IsNotFound etc. do. */
export function reasonOf(status: KubeStatus): string {
  if (status.reason) return status.reason
  const byCode: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 422: 'Invalid' }
  return byCode[status.code ?? 0] ?? ''
}

/** Which invalid fields a 422 names: uid, resourceVersion, or anything else (as libcalico-go sorts them). */
function invalidFields(status: KubeStatus): { uid: boolean; resourceVersion: boolean; other: boolean } {
  const causes = status.details?.causes ?? []
  const is = (c: (typeof causes)[number], field: string) => c.field === field && c.reason === 'FieldValueInvalid'
  return {
    uid: causes.some((c) => is(c, 'metadata.uid')),
    resourceVersion: causes.some((c) => is(c, 'metadata.resourceVersion')),
    other: causes.some((c) => !is(c, 'metadata.uid') && !is(c, 'metadata.resourceVersion')),
  }
}

/**
 * The API server's refusal of an object (422 Invalid, e.g. a CRD's schema or CEL rule): libcalico-go
 * passes client-go's StatusError on, so the text is the Status message, `IPPool.crd.projectcalico.org
 * "p" is invalid: spec: Forbidden: ipipMode and vxlanMode cannot both be enabled`. The fields its
 * causes name (`causeFields`) tell where in the input the problem is.
 */
export class InvalidObjectError extends Error {
  constructor(
    message: string,
    readonly causeFields: string[],
  ) {
    super(message)
    this.name = 'InvalidObjectError'
  }
}

export function toCalicoError(err: unknown, id: ResourceId): Error {
  if (!(err instanceof KubeApiError)) return err as Error
  const status = err.status
  const message = status.message ?? ''
  switch (reasonOf(status)) {
    case 'AlreadyExists':
      return new AlreadyExistsError(id, message)
    case 'NotFound':
      return new NotFoundError(id, message)
    case 'Unauthorized':
    case 'Forbidden':
      return new UnauthorizedError(message)
    case 'Conflict':
      // A failed uid precondition means the object was deleted (and maybe re-created) meanwhile.
      return message.includes('UID in precondition') ? new NotFoundError(id, message) : new ConflictError(id, message)
  }
  const invalid = invalidFields(status)
  if (invalid.uid && !invalid.other) return new NotFoundError(id, message)
  if (invalid.resourceVersion && !invalid.other) return new ConflictError(id, message)
  // Anything else is a datastore error whose text is the server's message.
  if (reasonOf(status) === 'Invalid') {
    // A cause on the whole object has no field (`<nil>`).
    const fields = (status.details?.causes ?? []).map((c) => c.field ?? '').filter((f) => f !== '' && f !== '<nil>')
    return new InvalidObjectError(message, fields)
  }
  return new Error(message)
}
