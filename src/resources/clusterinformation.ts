import { nameColumn, type KindDefinition } from './kind.js'
import type { Resource } from './types.js'

/** Go's text/template prints a nil pointer as `<nil>`. */
const orNil = (v: unknown): string => (v === undefined || v === null ? '<nil>' : String(v))
const columns = [
  nameColumn,
  { header: 'CLUSTERGUID', value: (r: Resource) => String(r.spec?.clusterGUID ?? '') },
  { header: 'CLUSTERTYPE', value: (r: Resource) => String(r.spec?.clusterType ?? '') },
  { header: 'CALICOVERSION', value: (r: Resource) => String(r.spec?.calicoVersion ?? '') },
  { header: 'DATASTOREREADY', value: (r: Resource) => orNil(r.spec?.datastoreReady) },
]

export const clusterInformation: KindDefinition = {
  kind: 'ClusterInformation',
  plural: 'clusterinformations',
  names: ['clusterinformation', 'clusterinformations', 'clusterinfo', 'clusterinfos'],
  namespaced: false,
  schema: 'clusterinformation',
  columns: { ps: columns, wide: columns },
  readOnly: {
    create: 'operation create or apply is not supported on ClusterInformation',
    apply: 'operation apply is not supported on ClusterInformation: resource is readonly',
    replace: 'operation apply or replace is not supported on ClusterInformation',
    delete: 'operation delete is not supported on ClusterInformation',
  },
}
