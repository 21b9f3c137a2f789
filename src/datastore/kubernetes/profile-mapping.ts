/**
 * Calico Profiles <- Kubernetes Namespaces and ServiceAccounts, as libcalico-go's KDD derives them
 * (datastore spec 2.8; `k8s/conversion/conversion.go`, `k8s/resources/profile.go`).
 * Nothing is stored: `kns.<namespace>` carries the namespace's labels (prefixed `pcns.`) and
 * allow-all rules, `ksa.<namespace>.<serviceaccount>` the service account's labels (prefixed `pcsa.`).
 */
import { allowAll, DEFAULT_ALLOW_PROFILE } from '../../resources/profile.js'
import { API_VERSION, type Resource } from '../../resources/types.js'
import { sortedLabels } from '../../resources/workload-names.js'
import type { KubeObject } from './crd-mapping.js'
import { convertUid } from './uid.js'

export const NAMESPACE_PROFILE_PREFIX = 'kns.'
export const SERVICE_ACCOUNT_PROFILE_PREFIX = 'ksa.'
const NAMESPACE_LABEL_PREFIX = 'pcns.'
const SERVICE_ACCOUNT_LABEL_PREFIX = 'pcsa.'
/** Label giving the namespace's or service account's own name, for exact-name selectors. */
const NAME_LABEL = 'projectcalico.org/name'


/** `ksa.<namespace>.<name>`; upstream falls back to namespace `default` when the object has none. */
export function serviceAccountProfileName(namespace: string, serviceAccount: string): string {
  return `${SERVICE_ACCOUNT_PROFILE_PREFIX}${namespace || 'default'}.${serviceAccount}`
}

/** A profile's revision joins the namespace's and the service account's: `<nsRV>/<saRV>`. */
export function joinProfileRevisions(namespaceRevision: string, serviceAccountRevision: string): string {
  return `${namespaceRevision}/${serviceAccountRevision}`
}

/** Splits a profile revision back into the revisions to pass to the Kubernetes API; "" and "0" mean none. */
export function splitProfileRevision(revision: string): { namespace: string; serviceAccount: string } {
  if (revision === '' || revision === '0') return { namespace: '', serviceAccount: '' }
  const parts = revision.split('/')
  if (parts.length !== 2) throw new Error(`ResourceVersion is not valid: ${revision}`)
  return { namespace: parts[0], serviceAccount: parts[1] }
}

function prefixedLabels(labels: Record<string, string> | undefined, prefix: string, name: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(labels ?? {})) out[prefix + key] = value
  out[prefix + NAME_LABEL] = name
  return sortedLabels(out)
}

/** ConvertUID with upstream's wording when the Kubernetes uid is not a UUID. */
function profileUid(uid: string | undefined): string {
  try {
    return convertUid(uid ?? '')
  } catch {
    const length = (uid ?? '').length
    const reason = length === 36 || length === 32 ? 'invalid UUID format' : `invalid UUID length: ${length}`
    throw new Error(`failed to parse UID for resource: ${reason}`)
  }
}

function profile(name: string, object: KubeObject, revision: string, spec: Record<string, unknown>): Resource {
  return {
    apiVersion: API_VERSION,
    kind: 'Profile',
    metadata: {
      name,
      uid: profileUid(object.metadata.uid),
      resourceVersion: revision,
      creationTimestamp: object.metadata.creationTimestamp,
    },
    spec,
  }
}

/** Namespace `ns` -> Profile `kns.ns`: allow-all rules and the namespace's labels to apply. */
export function namespaceToProfile(namespace: KubeObject): Resource {
  const name = namespace.metadata.name ?? ''
  return profile(NAMESPACE_PROFILE_PREFIX + name, namespace, joinProfileRevisions(namespace.metadata.resourceVersion ?? '', ''), {
    ingress: allowAll(),
    egress: allowAll(),
    labelsToApply: prefixedLabels(namespace.metadata.labels, NAMESPACE_LABEL_PREFIX, name),
  })
}

/** ServiceAccount `sa` in `ns` -> Profile `ksa.ns.sa`: no rules, only the account's labels to apply. */
export function serviceAccountToProfile(serviceAccount: KubeObject): Resource {
  const meta = serviceAccount.metadata
  const name = meta.name ?? ''
  return profile(serviceAccountProfileName(meta.namespace ?? '', name), serviceAccount, joinProfileRevisions('', meta.resourceVersion ?? ''), {
    labelsToApply: prefixedLabels(meta.labels, SERVICE_ACCOUNT_LABEL_PREFIX, name),
  })
}

export type ProfileSource =
  | { kind: 'default-allow' }
  | { kind: 'namespace'; namespace: string }
  | { kind: 'service-account'; namespace: string; serviceAccount: string }
  /** Upstream's error text for a Get of this name (revision is part of one of its messages). */
  | { kind: 'invalid'; error: string }

/**
 * Which Kubernetes object a profile name stands for, as the KDD profile Get decides: by the text up
 * to the first dot. Service-account names may contain dots; everything after the second dot is
 * the account name.
 */
export function parseProfileName(name: string, revision = ''): ProfileSource {
  if (name === DEFAULT_ALLOW_PROFILE) return { kind: 'default-allow' }
  const dot = name.indexOf('.')
  if (dot < 0) return { kind: 'invalid', error: `Invalid name ${name}` }
  const prefix = name.slice(0, dot + 1)
  if (prefix === NAMESPACE_PROFILE_PREFIX) return { kind: 'namespace', namespace: name.slice(dot + 1) }
  if (prefix === SERVICE_ACCOUNT_PROFILE_PREFIX) {
    const second = name.indexOf('.', dot + 1)
    if (second < 0) return { kind: 'invalid', error: `Profile ${name} is not formatted correctly` }
    return { kind: 'service-account', namespace: name.slice(dot + 1, second), serviceAccount: name.slice(second + 1) }
  }
  // Upstream's message really names the revision here.
  return { kind: 'invalid', error: `Revision ${revision} invalid` }
}
