/**
 * Every CustomResourceDefinition `datastore migrate import` creates or updates, as upstream applies
 * the CRDs libcalico-go embeds: the crd.projectcalico.org kinds (generated from schemas/ by
 * src/datastore/kubernetes/crds.ts) and IPAM's own types (blocks, affinities, handles) generated
 * from schemas/ipam/, as the targeted release has them (no subresources before v3.32). Sorted by
 * name, the order upstream reads its files in. Upstream also embeds Kubernetes' own
 * policy.networking.k8s.io network policy CRDs; no schema of those is kept here.
 */
import { CRD_GROUP, CRD_VERSION, customResourceDefinitions, toOpenAPI, type CustomResourceDefinition, type JSONSchemaProps } from '../datastore/kubernetes/crds.js'
import { readSchemaFile, type SchemaNode } from '../resources/schema.js'
import { CALICO_VERSION } from '../version.js'

const IPAM_SCHEMAS = ['ipam/blockaffinity.json', 'ipam/ipamblock.json', 'ipam/ipamhandle.json']

function ipamCrd(file: string): CustomResourceDefinition {
  const root = readSchemaFile(file)
  const { plural, kind, scope } = root['x-crd'] as { plural: string; kind: string; scope: 'Cluster' | 'Namespaced' }
  const spec = toOpenAPI(root.properties?.spec as SchemaNode, 'spec', {}, CALICO_VERSION)
  const openAPIV3Schema: JSONSchemaProps = { type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec } }
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${CRD_GROUP}` },
    spec: {
      group: CRD_GROUP,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      scope,
      versions: [{ name: CRD_VERSION, served: true, storage: true, schema: { openAPIV3Schema } }],
    },
  }
}

export function migrationCrds(): CustomResourceDefinition[] {
  return [...customResourceDefinitions(), ...IPAM_SCHEMAS.map(ipamCrd)].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
}
