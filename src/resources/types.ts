/** A projectcalico.org/v3 resource as calicoctl reads and prints it. */
export interface ObjectMeta {
  name?: string
  namespace?: string
  uid?: string
  resourceVersion?: string
  creationTimestamp?: string | null
  labels?: Record<string, string>
  annotations?: Record<string, string>
  [other: string]: unknown
}

export interface Resource {
  apiVersion: string
  kind: string
  metadata: ObjectMeta
  spec?: Record<string, unknown>
  status?: Record<string, unknown>
}

/** `<Kind>List` as printed by `get` without names. */
export interface ResourceList {
  apiVersion: string
  kind: string
  metadata: { resourceVersion?: string; continue?: string }
  items: Resource[]
}

export const API_VERSION = 'projectcalico.org/v3'
