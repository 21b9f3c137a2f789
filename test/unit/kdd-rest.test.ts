import { describe, expect, it } from 'vitest'
import { DEFAULT_BURST, DEFAULT_QPS, limiterFor, RateLimiter, type Clock } from '../../src/datastore/kubernetes/rate-limit.js'
import { KubeApiError } from '../../src/datastore/kubernetes/rest.js'
import { InvalidObjectError, toCalicoError } from '../../src/datastore/kubernetes/status-errors.js'
import { AlreadyExistsError, ConflictError, NotFoundError, UnauthorizedError } from '../../src/errors.js'

/** A clock that only moves when the limiter sleeps; records every sleep. */
function fakeClock(): Clock & { sleeps: number[]; advance(ms: number): void } {
  let now = 0
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    advance: (ms) => (now += ms),
    sleep: async (ms) => {
      sleeps.push(ms)
    },
  }
}

describe('client-side rate limit (K8S_CLIENT_QPS / K8S_CLIENT_BURST)', () => {
  it('lets a burst through, then spaces requests 1/qps apart in call order', async () => {
    const clock = fakeClock()
    const limiter = new RateLimiter(10, 3, clock)
    await Promise.all(Array.from({ length: 6 }, () => limiter.take()))
    expect(clock.sleeps.map(Math.round)).toEqual([100, 200, 300])
  })

  it('refills while time passes, never above the burst', async () => {
    const clock = fakeClock()
    const limiter = new RateLimiter(10, 2, clock)
    await limiter.take()
    await limiter.take()
    clock.advance(10_000)
    for (let i = 0; i < 3; i++) await limiter.take()
    expect(clock.sleeps.map(Math.round)).toEqual([100])
  })

  it('does not limit with a negative QPS, as client-go', async () => {
    const clock = fakeClock()
    const limiter = new RateLimiter(-1, 1, clock)
    for (let i = 0; i < 100; i++) await limiter.take()
    expect(clock.sleeps).toEqual([])
  })

  it('treats 0 as not set: 50 requests/s after a burst of 100', async () => {
    expect([DEFAULT_QPS, DEFAULT_BURST]).toEqual([50, 100])
    const clock = fakeClock()
    const limiter = limiterFor(0, 0, clock)
    for (let i = 0; i < 101; i++) await limiter.take()
    expect(clock.sleeps.map(Math.round)).toEqual([20])
  })
})

const id = { kind: 'IPPool', name: 'p1' }
const status = (code: number, reason: string, message: string, causes?: Array<{ reason: string; field: string }>) =>
  new KubeApiError({ kind: 'Status', code, reason, message, details: causes && { causes } })

describe('Kubernetes errors as calicoctl reports them', () => {
  it('maps the Status reasons onto the typed errors, keeping the server text inside', () => {
    const cases: Array<[KubeApiError, unknown, string]> = [
      [status(409, 'AlreadyExists', 'ippools.crd.projectcalico.org "p1" already exists'), AlreadyExistsError, 'resource already exists: IPPool(p1) with error: ippools.crd.projectcalico.org "p1" already exists'],
      [status(404, 'NotFound', 'ippools.crd.projectcalico.org "p1" not found'), NotFoundError, 'resource does not exist: IPPool(p1) with error: ippools.crd.projectcalico.org "p1" not found'],
      [status(409, 'Conflict', 'Operation cannot be fulfilled on ippools.crd.projectcalico.org "p1": the object has been modified'), ConflictError, 'update conflict: IPPool(p1)'],
      [status(401, 'Unauthorized', 'Unauthorized'), UnauthorizedError, 'connection is unauthorized: Unauthorized'],
      [status(403, 'Forbidden', 'ippools.crd.projectcalico.org "p1" is forbidden: nope'), UnauthorizedError, 'connection is unauthorized: ippools.crd.projectcalico.org "p1" is forbidden: nope'],
    ]
    for (const [err, type, message] of cases) {
      const mapped = toCalicoError(err, id)
      expect(mapped).toBeInstanceOf(type)
      expect(mapped.message).toBe(message)
    }
  })

  it('falls back to the HTTP code when a Status has no reason', () => {
    expect(toCalicoError(status(404, '', 'gone'), id)).toBeInstanceOf(NotFoundError)
    expect(toCalicoError(status(403, '', 'no'), id)).toBeInstanceOf(UnauthorizedError)
  })

  it('reads a failed uid precondition, or an invalid uid alone, as the object being gone', () => {
    expect(toCalicoError(status(409, 'Conflict', 'Precondition failed: UID in precondition: a, UID in object meta: b'), id)).toBeInstanceOf(NotFoundError)
    expect(toCalicoError(status(422, 'Invalid', 'bad uid', [{ reason: 'FieldValueInvalid', field: 'metadata.uid' }]), id)).toBeInstanceOf(NotFoundError)
  })

  it('reads an invalid resourceVersion alone as a conflict, and passes other rejections through', () => {
    expect(toCalicoError(status(422, 'Invalid', 'bad rv', [{ reason: 'FieldValueInvalid', field: 'metadata.resourceVersion' }]), id)).toBeInstanceOf(ConflictError)
    // Both identity fields invalid: the object is gone, as libcalico-go decides it.
    const both = [
      { reason: 'FieldValueInvalid', field: 'metadata.uid' },
      { reason: 'FieldValueInvalid', field: 'metadata.resourceVersion' },
    ]
    expect(toCalicoError(status(422, 'Invalid', 'bad uid and rv', both), id)).toBeInstanceOf(NotFoundError)
    const other = toCalicoError(
      status(422, 'Invalid', 'IPPool.crd.projectcalico.org "p1" is invalid: spec.blockSize: Invalid value', [
        { reason: 'FieldValueInvalid', field: 'metadata.resourceVersion' },
        { reason: 'FieldValueInvalid', field: 'spec.blockSize' },
      ]),
      id,
    )
    // None of the Calico error types: the Status message as the text, the fields it names kept to locate them.
    expect(other).toBeInstanceOf(InvalidObjectError)
    expect(other.message).toBe('IPPool.crd.projectcalico.org "p1" is invalid: spec.blockSize: Invalid value')
    expect((other as InvalidObjectError).causeFields).toEqual(['metadata.resourceVersion', 'spec.blockSize'])
    const root = toCalicoError(status(422, 'Invalid', 'Tier.crd.projectcalico.org "default" is invalid: <nil>: ...', [{ reason: 'FieldValueInvalid', field: '<nil>' }]), id)
    expect((root as InvalidObjectError).causeFields).toEqual([])
  })
})
