/**
 * What kube-apiserver's registry strategies and NamespaceLifecycle admission do beyond the generic
 * metadata rules of the store: name validation per kind, the status a kind gets on create, the
 * namespace's `kubernetes.io/metadata.name` label and `kubernetes` finalizer, and the namespaces
 * every cluster has.
 */
import { NAMESPACES, PODS, type ServedResource } from './resources.js'
import { invalid, type StatusCause } from './status.js'
import type { KubeObject } from './store.js'

/** Created by kube-apiserver at start-up and recreated when missing. */
export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system']

/** NamespaceLifecycle refuses to delete these. */
export const IMMORTAL_NAMESPACES = ['default', 'kube-public', 'kube-system']

export const METADATA_NAME_LABEL = 'kubernetes.io/metadata.name'

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

/** apimachinery's IsDNS1123Label / IsDNS1123Subdomain texts. */
function nameProblems(r: ServedResource, name: string): string[] {
  const problems: string[] = []
  if (r === NAMESPACES) {
    if (name.length > 63) problems.push('must be no more than 63 characters')
    if (DNS1123_LABEL.test(name)) return problems
    problems.push(
      DNS1123_SUBDOMAIN.test(name)
        ? 'must not contain dots'
        : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    )
    return problems
  }
  if (name.length > 253) problems.push('must be no more than 253 characters')
  if (!DNS1123_SUBDOMAIN.test(name))
    problems.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    )
  return problems
}

/** Namespaces are DNS labels; every other kind served here is a DNS subdomain. */
export function validateName(r: ServedResource, name: string): void {
  const causes: StatusCause[] = nameProblems(r, name).map((p) => ({ reason: 'FieldValueInvalid', message: `Invalid value: "${name}": ${p}`, field: 'metadata.name' }))
  if (causes.length) throw invalid(r, name, causes)
}

/** The namespace label follows the name on every write. */
function canonicalize(r: ServedResource, object: KubeObject): void {
  if (r === NAMESPACES) object.metadata.labels = { ...object.metadata.labels, [METADATA_NAME_LABEL]: object.metadata.name as string }
}

/** The status an object starts with, whatever the client sent, and create-time defaults. */
export function prepareForCreate(r: ServedResource, object: KubeObject): void {
  if (r === NAMESPACES) {
    const spec = (object.spec ?? {}) as { finalizers?: string[] }
    const finalizers = spec.finalizers ?? []
    object.spec = { ...spec, finalizers: finalizers.includes('kubernetes') ? finalizers : [...finalizers, 'kubernetes'] }
    object.status = { phase: 'Active' }
  } else if (r === PODS) {
    // The scheduler and kubelet fill in the rest through pods/binding and pods/status.
    object.status = { phase: 'Pending' }
  } else if (r.statusSubresource && r.group) {
    delete object.status
  }
  // Nodes keep the status they are created with: that is how a kubelet registers.
  canonicalize(r, object)
}

/**
 * What a write to the status subresource keeps of the object sent (`stored` may be reused): of a
 * custom resource only its status, not even labels (customresource statusStrategy); of a core
 * object everything but the spec, and of a pod not its owner references either (the node, pod and
 * namespace status strategies).
 */
export function prepareForStatusUpdate(r: ServedResource, object: KubeObject, stored: KubeObject): KubeObject {
  if (r.group) {
    if (object.status === undefined) delete stored.status
    else stored.status = object.status
    return stored
  }
  const kept: KubeObject = { ...object, spec: stored.spec }
  if (stored.spec === undefined) delete kept.spec
  if (r === PODS) {
    kept.metadata.ownerReferences = stored.metadata.ownerReferences
    if (stored.metadata.ownerReferences === undefined) delete kept.metadata.ownerReferences
  }
  return kept
}

/** Namespace finalizers change only through namespaces/finalize, which is not served. */
export function prepareForUpdate(r: ServedResource, object: KubeObject, stored: KubeObject): void {
  if (r === NAMESPACES) object.spec = { ...(object.spec as object), finalizers: (stored.spec as { finalizers?: string[] }).finalizers }
  canonicalize(r, object)
}
