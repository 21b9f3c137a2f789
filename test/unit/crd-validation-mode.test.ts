/**
 * upstream's SetCRDValidationEnabled: the client applies the CRD's defaults and checks its
 * constraints and CEL rules only where no API server does (etcd, `validate`); a client of the
 * Kubernetes datastore leaves them to the API server and runs the Go validator and its own checks.
 */
import { describe, expect, it } from 'vitest'
import { prepareResource } from '../../src/client/calico-client.js'
import { ValidationError } from '../../src/errors.js'
import { kindByKind } from '../../src/resources/all-kinds.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import type { Resource } from '../../src/resources/types.js'

const kind = (name: string) => kindByKind(name) as KindDefinition
const doc = (k: string, spec: Record<string, unknown>, name = 'p1'): Resource => ({ apiVersion: 'projectcalico.org/v3', kind: k, metadata: { name }, spec })

function lines(k: string, spec: Record<string, unknown>, crdValidation: boolean, name?: string): string[] {
  try {
    prepareResource(kind(k), doc(k, spec, name), 'create', undefined, undefined, crdValidation)
    return []
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err
    return err.fields.map((f) => `${f.name}${f.value === undefined ? '' : ` = '${String(f.value)}'`} (${f.reason})`)
  }
}

describe('CRD validation on and off', () => {
  const both = { cidr: '10.0.0.0/16', ipipMode: 'Always', vxlanMode: 'Always' }

  it('checks the CEL rules only when on', () => {
    expect(lines('IPPool', both, true)).toEqual(['spec (ipipMode and vxlanMode cannot both be enabled)'])
    expect(lines('IPPool', both, false)).toEqual([])
  })

  it('checks the OpenAPI constraints only when on', () => {
    expect(lines('IPPool', { cidr: '10.0.0.0/16', ipipMode: 'Sometimes' }, true)).toEqual(['spec.ipipMode (supported values: "Never", "Always", "CrossSubnet")'])
    expect(lines('IPPool', { cidr: '10.0.0.0/16', ipipMode: 'Sometimes' }, false)).toEqual([])
  })

  it('keeps the Go validator and the client checks when off', () => {
    expect(lines('IPPool', { cidr: '10.0.0.1/16' }, false)).toEqual(["IPPool.Spec.CIDR = '10.0.0.0/16' (IPPool CIDR is not strictly masked)"])
    expect(lines('BGPPeer', { node: 'node 2' }, false)).toEqual(["Node = 'node 2' (Reason: failed to validate Field: Node because of Tag: name )"])
  })

  it("applies the CRD's defaults only when on", () => {
    const policy = (crdValidation: boolean) => prepareResource(kind('StagedGlobalNetworkPolicy'), doc('StagedGlobalNetworkPolicy', { selector: 'all()' }), 'create', undefined, undefined, crdValidation)
    expect(policy(true).spec?.stagedAction).toBe('Set')
    expect(policy(false).spec?.stagedAction).toBeUndefined()
  })
})
