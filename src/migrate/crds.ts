/**
 * Every CustomResourceDefinition `datastore migrate import` creates or updates, as upstream applies
 * the CRDs libcalico-go embeds: the crd.projectcalico.org kinds (generated from schemas/ by
 * src/datastore/kubernetes/crds.ts) with the status subresource where the kind has a status, and
 * IPAM's own types (blocks, affinities, handles) generated from schemas/ipam/. Sorted by name, the
 * order upstream reads its files in.
 */
import { CRD_GROUP, CRD_VERSION, customResourceDefinitions, toOpenAPI, type CustomResourceDefinition, type JSONSchemaProps } from '../datastore/kubernetes/crds.js'
import { readSchemaFile } from '../resources/schema.js'
import { CALICO_VERSION } from '../version.js'

/** A CRD with the parts of apiextensions.k8s.io/v1 the generated ones leave out. */
export type MigrationCrd = CustomResourceDefinition & {
  spec: { versions: Array<CustomResourceDefinition['spec']['versions'][number] & { subresources?: { status: Record<string, never> } }> }
}

const IPAM_SCHEMAS = ['ipam/blockaffinity.json', 'ipam/ipamblock.json', 'ipam/ipamhandle.json']

function ipamCrd(file: string): MigrationCrd {
  const root = readSchemaFile(file)
  const { plural, kind, scope } = root['x-crd'] as { plural: string; kind: string; scope: 'Cluster' | 'Namespaced' }
  const spec = toOpenAPI(root.properties?.spec as never, 'spec', {}, CALICO_VERSION)
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

export function migrationCrds(): MigrationCrd[] {
  const kinds: MigrationCrd[] = customResourceDefinitions().map((crd) => ({
    ...crd,
    spec: {
      ...crd.spec,
      versions: crd.spec.versions.map((v) => (v.schema.openAPIV3Schema.properties?.status ? { ...v, subresources: { status: {} } } : v)),
    },
  }))
  return [...kinds, ...IPAM_SCHEMAS.map(ipamCrd)].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
}
