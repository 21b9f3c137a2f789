/**
 * The CRDs the Kubernetes datastore is written against, generated from the schemas: Calico's
 * names, the targeted release's fields, the schemas' constraints, and the CEL rules.
 */
import { describe, expect, it } from 'vitest'
import {
  customResourceDefinition,
  customResourceDefinitions,
  fieldsNewerThan,
  type JSONSchemaProps,
} from '../../src/datastore/kubernetes/crds.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import { kindByKind } from '../../src/resources/all-kinds.js'
import { calicoResources } from '../integration/kube-apiserver/resources.js'

const kind = (name: string) => kindByKind(name) as KindDefinition
const schemaOf = (name: string, release?: string) => customResourceDefinition(kind(name), release).spec.versions[0].schema.openAPIV3Schema
const spec = (name: string, release?: string) => schemaOf(name, release).properties?.spec as JSONSchemaProps

describe('Calico CRDs', () => {
  it('has one per kind Calico keeps as a custom resource, named as Calico installs them', () => {
    const crds = customResourceDefinitions()
    expect(crds.map((c) => c.metadata.name)).toEqual([
      'bgpconfigurations.crd.projectcalico.org',
      'bgpfilters.crd.projectcalico.org',
      'bgppeers.crd.projectcalico.org',
      'caliconodestatuses.crd.projectcalico.org',
      'clusterinformations.crd.projectcalico.org',
      'felixconfigurations.crd.projectcalico.org',
      'globalnetworkpolicies.crd.projectcalico.org',
      'globalnetworksets.crd.projectcalico.org',
      'hostendpoints.crd.projectcalico.org',
      'ipamconfigs.crd.projectcalico.org',
      'ippools.crd.projectcalico.org',
      'ipreservations.crd.projectcalico.org',
      'kubecontrollersconfigurations.crd.projectcalico.org',
      'networkpolicies.crd.projectcalico.org',
      'networksets.crd.projectcalico.org',
      'stagedglobalnetworkpolicies.crd.projectcalico.org',
      'stagedkubernetesnetworkpolicies.crd.projectcalico.org',
      'stagednetworkpolicies.crd.projectcalico.org',
      'tiers.crd.projectcalico.org',
    ])
    expect(customResourceDefinition(kind('IPAMConfiguration')).spec).toMatchObject({
      group: 'crd.projectcalico.org',
      names: { kind: 'IPAMConfig', listKind: 'IPAMConfigList', plural: 'ipamconfigs', singular: 'ipamconfig' },
      scope: 'Cluster',
      versions: [{ name: 'v1', served: true, storage: true }],
    })
    // The test API server serves the same resources.
    const served = calicoResources('crd.projectcalico.org')
    for (const crd of crds) {
      const r = served.find((s) => s.plural === crd.spec.names.plural)
      expect(r && { kind: r.kind, namespaced: r.namespaced }, crd.metadata.name).toEqual({ kind: crd.spec.names.kind, namespaced: crd.spec.scope === 'Namespaced' })
    }
  })

  it('is structural: every node has a type, or is an int-or-string, or keeps what it holds', () => {
    const walk = (node: JSONSchemaProps, path: string): string[] => [
      ...(node.type || node['x-kubernetes-int-or-string'] || node['x-kubernetes-preserve-unknown-fields'] ? [] : [path]),
      ...Object.entries(node.properties ?? {}).flatMap(([k, child]) => walk(child, `${path}.${k}`)),
      ...(node.items ? walk(node.items, `${path}[]`) : []),
      ...(node.additionalProperties ? walk(node.additionalProperties, `${path}{}`) : []),
    ]
    for (const crd of customResourceDefinitions()) expect(walk(crd.spec.versions[0].schema.openAPIV3Schema, crd.metadata.name)).toEqual([])
  })

  it("leaves out fields newer than the release it is for, which that release's API server prunes", () => {
    expect(spec('FelixConfiguration').properties).not.toHaveProperty('bpfIPFragTimeout')
    expect(spec('FelixConfiguration').properties).not.toHaveProperty('logActionRateLimit')
    expect(spec('FelixConfiguration', 'v3.31.4').properties).toHaveProperty('logActionRateLimit')
    expect(spec('FelixConfiguration', 'v3.33.0').properties).toHaveProperty('bpfIPFragTimeout')
    expect(schemaOf('IPPool').properties).not.toHaveProperty('status')
    // The v1 pool keeps what Calico v2 wrote, which reads convert.
    expect(spec('IPPool').properties).toMatchObject({ ipip: { type: 'object' }, 'nat-outgoing': { type: 'boolean' } })
    // IPAMConfig is IPAM's own type: no defaults, its own bound.
    expect(spec('IPAMConfiguration').properties?.maxBlocksPerHost).toEqual({ type: 'integer', minimum: 0, maximum: 2147483647 })
    // So are the rules reading them.
    expect(schemaOf('FelixConfiguration')['x-kubernetes-validations']).toBeUndefined()
    expect(schemaOf('FelixConfiguration', 'v3.32.0')['x-kubernetes-validations']?.[0].message).toMatch(/^nodeSelector must not be set/)
  })

  it("carries the schemas' constraints, with the CRD's own patterns", () => {
    const pool = spec('IPPool')
    expect(pool.properties?.ipipMode).toEqual({ type: 'string', enum: ['Never', 'Always', 'CrossSubnet'] })
    expect(pool.properties?.nodeSelector).toEqual({ type: 'string', default: 'all()', maxLength: 1024 })
    expect(pool.properties?.cidr).toMatchObject({ type: 'string', format: 'cidr' })
    expect(spec('FelixConfiguration').properties?.logSeverityScreen).toMatchObject({ type: 'string', pattern: '^(?i)(Trace|Debug|Info|Warning|Error|Fatal)?$' })
    const rule = (spec('GlobalNetworkPolicy').properties?.ingress as JSONSchemaProps).items as JSONSchemaProps
    expect(rule.properties?.protocol).toEqual({ 'x-kubernetes-int-or-string': true, minimum: 0, maximum: 255 })
    expect(rule.required).toEqual(['action'])
  })

  it('carries the CEL rules with their messages and how the API server reports them', () => {
    expect(spec('IPPool')['x-kubernetes-validations']?.[0]).toMatchObject({ message: 'ipipMode and vxlanMode cannot both be enabled', reason: 'FieldValueForbidden' })
    expect(spec('IPPool').properties?.cidr['x-kubernetes-validations']).toEqual([
      { rule: 'self == oldSelf', message: 'CIDR cannot be changed; follow IP pool migration guide to avoid corruption.', reason: 'FieldValueInvalid' },
    ])
    const rule = (spec('NetworkPolicy').properties?.egress as JSONSchemaProps).items as JSONSchemaProps
    expect(rule['x-kubernetes-validations']?.map((r) => r.message)).toContain('HTTP match is only valid on Allow rules')
    expect(rule.properties?.destination['x-kubernetes-validations']?.map((r) => r.reason)).toContain('FieldValueRequired')
    expect(schemaOf('Tier')['x-kubernetes-validations']).toHaveLength(6)
  })
})

describe('fields newer than the targeted release', () => {
  const felix = (spec: Record<string, unknown>) => ({ apiVersion: 'projectcalico.org/v3', kind: 'FelixConfiguration', metadata: { name: 'default' }, spec })

  it('are those a resource sets, with the release they came with', () => {
    expect(fieldsNewerThan(kind('FelixConfiguration'), felix({ bpfIPFragTimeout: '30s', logSeverityScreen: 'Info', logActionRateLimit: '5/s' }))).toEqual([
      { path: 'spec.bpfIPFragTimeout', since: 'v3.33' },
      { path: 'spec.logActionRateLimit', since: 'v3.31.4' },
    ])
    const filter = { apiVersion: 'projectcalico.org/v3', kind: 'BGPFilter', metadata: { name: 'f' }, spec: { exportV4: [{ action: 'Accept' }, { action: 'Accept', priority: 10 }] } }
    expect(fieldsNewerThan(kind('BGPFilter'), filter)).toEqual([{ path: 'spec.exportV4[1].priority', since: 'v3.32' }])
    expect(fieldsNewerThan(kind('BGPFilter'), filter, 'v3.32.0')).toEqual([])
  })

  it("are not those Go leaves out or writes as their zero value", () => {
    expect(fieldsNewerThan(kind('FelixConfiguration'), felix({ bpfIPFragTimeout: null, logSeverityScreen: 'Info' }))).toEqual([])
    const pool = { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.0.0.0/16' }, status: { conditions: [] } }
    expect(fieldsNewerThan(kind('IPPool'), pool)).toEqual([{ path: 'status', since: 'v3.33' }])
    // Go writes a tier's status struct even when it holds nothing.
    const tier = { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 't' }, spec: { order: 10 }, status: {} }
    expect(fieldsNewerThan(kind('Tier'), tier)).toEqual([])
  })
})
