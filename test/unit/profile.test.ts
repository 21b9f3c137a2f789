import { describe, expect, it } from 'vitest'
import { AlreadyExistsError, NotSupportedError } from '../../src/errors.js'
import { toGoJson } from '../../src/output/json.js'
import { defaultAllowProfile, defaultAllowProfileRefusal } from '../../src/resources/profile.js'
import { orderLikeGo } from '../../src/resources/go-encode.js'

describe('the default-allow profile', () => {
  it('is a fixed allow-all profile without uid, labels or creationTimestamp, at revision 1 as lib/resources/static.go serves it', () => {
    expect(toGoJson(orderLikeGo('Profile', defaultAllowProfile()), false)).toBe(
      '{"kind":"Profile","apiVersion":"projectcalico.org/v3","metadata":{"name":"projectcalico-default-allow","resourceVersion":"1"},' +
        '"spec":{"ingress":[{"action":"Allow"}],"egress":[{"action":"Allow"}]}}',
    )
  })

  it('is a fresh object each time', () => {
    const first = defaultAllowProfile()
    ;(first.spec?.ingress as unknown[]).push({ action: 'Deny' })
    expect(defaultAllowProfile().spec?.ingress).toEqual([{ action: 'Allow' }])
  })

  it('cannot be created, updated or deleted', () => {
    const create = defaultAllowProfileRefusal('create')
    expect(create).toBeInstanceOf(AlreadyExistsError)
    expect(create.message).toBe(
      'resource already exists: projectcalico-default-allow with error: projectcalico-default-allow already exists. The profile "projectcalico-default-allow" is default provided by Calico',
    )
    const update = defaultAllowProfileRefusal('update')
    expect(update).toBeInstanceOf(NotSupportedError)
    expect(update.message).toBe(
      'operation Update is not supported on projectcalico-default-allow: The profile "projectcalico-default-allow" is a default provided by Calico and cannot be updated',
    )
    expect(defaultAllowProfileRefusal('delete').message).toBe(
      'operation Delete is not supported on projectcalico-default-allow: The profile "projectcalico-default-allow" is a default provided by Calico and cannot be deleted',
    )
  })
})
