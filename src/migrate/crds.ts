/**
 * Every CustomResourceDefinition `datastore migrate import` creates or updates, as upstream applies
 * the CRDs libcalico-go embeds: the crd.projectcalico.org kinds (generated from schemas/ by
 * src/datastore/kubernetes/crds.ts), IPAM's own types (blocks, affinities, handles) from
 * schemas/ipam/, as the targeted release has them (no subresources before v3.32), and Kubernetes'
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1, the
 * network-policy-api bundle Calico ships) from schemas/k8s-policy/. In upstream's order: it reads
 * its embedded files, named `<group>_<plural>.yaml`, sorted.
 */
import { CRD_GROUP, CRD_VERSION, customResourceDefinitions, toOpenAPI, type CustomResourceDefinition, type JSONSchemaProps, type ValidationRule } from '../datastore/kubernetes/crds.js'
import { readSchemaFile, type SchemaNode } from '../resources/schema.js'
import { CALICO_VERSION } from '../version.js'

/** What a schema file's `x-crd` says of the CRD made from it; group and version default to Calico's v1. */
interface CrdNames {
  plural: string
  kind: string
  scope: 'Cluster' | 'Namespaced'
  group?: string
  version?: string
  shortNames?: string[]
  annotations?: Record<string, string>
  printerColumns?: Array<{ name: string; type: string; jsonPath: string }>
  statusSubresource?: boolean
}

const invalid = (rule: string, message: string): ValidationRule => ({ rule, message, reason: 'FieldValueInvalid' })

/** The network-policy-api rules, by the path of the node they sit on. */
const POLICY_API_RULES: Record<string, ValidationRule[]> = {
  'spec.egress[]': [
    invalid(
      '!(self.to.exists(peer, has(peer.networks) || has(peer.nodes)) && has(self.ports) && self.ports.exists(port, has(port.namedPort)))',
      'networks/nodes peer cannot be set with namedPorts since there are no namedPorts for networks/nodes',
    ),
  ],
  'spec.egress[].to[].networks[]': [
    invalid("self.contains(':') != self.contains('.')", 'CIDR must be either an IPv4 or IPv6 address. IPv4 address embedded in IPv6 addresses are not supported'),
  ],
}

const SCHEMA_FILES: Array<{ file: string; rules?: Record<string, ValidationRule[]> }> = [
  { file: 'ipam/blockaffinity.json' },
  { file: 'ipam/ipamblock.json' },
  { file: 'ipam/ipamhandle.json' },
  { file: 'k8s-policy/adminnetworkpolicy.json', rules: POLICY_API_RULES },
  {
    file: 'k8s-policy/baselineadminnetworkpolicy.json',
    rules: { ...POLICY_API_RULES, '': [invalid("self.metadata.name == 'default'", 'Only one baseline admin network policy with metadata.name="default" can be created in the cluster')] },
  },
]

function crdFromSchemaFile(file: string, rules: Record<string, ValidationRule[]> = {}): CustomResourceDefinition {
  const root = readSchemaFile(file)
  const names = root['x-crd'] as CrdNames
  const group = names.group ?? CRD_GROUP
  const properties: Record<string, JSONSchemaProps> = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } }
  for (const [key, node] of Object.entries(root.properties ?? {})) properties[key] = toOpenAPI(node as SchemaNode, key, rules, CALICO_VERSION)
  const openAPIV3Schema: JSONSchemaProps = { type: 'object', properties }
  if (Array.isArray(root.required)) openAPIV3Schema.required = root.required as string[]
  if (rules['']) openAPIV3Schema['x-kubernetes-validations'] = rules['']
  const version: CustomResourceDefinition['spec']['versions'][number] = { name: names.version ?? CRD_VERSION, served: true, storage: true, schema: { openAPIV3Schema } }
  if (names.printerColumns) version.additionalPrinterColumns = names.printerColumns
  if (names.statusSubresource) version.subresources = { status: {} }
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    // Groups under k8s.io need the approval annotation, or the API server refuses the CRD.
    metadata: { name: `${names.plural}.${group}`, ...(names.annotations && { annotations: names.annotations }) },
    spec: {
      group,
      names: { kind: names.kind, listKind: `${names.kind}List`, plural: names.plural, singular: names.kind.toLowerCase(), ...(names.shortNames && { shortNames: names.shortNames }) },
      scope: names.scope,
      versions: [version],
    },
  }
}

const fileName = (crd: CustomResourceDefinition): string => `${crd.spec.group}_${crd.spec.names.plural}`

export function migrationCrds(): CustomResourceDefinition[] {
  return [...customResourceDefinitions(), ...SCHEMA_FILES.map(({ file, rules }) => crdFromSchemaFile(file, rules))].sort((a, b) =>
    fileName(a) < fileName(b) ? -1 : 1,
  )
}
