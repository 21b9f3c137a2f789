/**
 * The Kubernetes objects `cluster diags` reads itself (the rest it leaves to kubectl): label
 * selectors of workloads turned into list queries, pods, and the TLS secrets it keeps censored.
 */

export interface KubeLabelSelector {
  matchLabels?: Record<string, string>
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>
}

export interface KubePod {
  metadata?: { name?: string }
  spec?: { nodeName?: string }
  status?: {
    containerStatuses?: KubeContainerStatus[]
    initContainerStatuses?: KubeContainerStatus[]
  }
}

interface KubeContainerStatus {
  name: string
  restartCount?: number
  lastState?: { terminated?: unknown }
}

/**
 * A workload's selector as the equality-based query string of its labels (apimachinery's
 * LabelSelectorAsMap, then SelectorFromSet(...).String(): keys sorted, `k=v` joined by commas).
 * Expressions other than In with one value cannot be written so; the error texts are apimachinery's.
 */
export function selectorString(selector: KubeLabelSelector | undefined): string {
  if (!selector) return ''
  const labels = new Map(Object.entries(selector.matchLabels ?? {}))
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    if (operator === 'In') {
      if (values.length !== 1) throw new Error(`operator "${operator}" without a single value cannot be converted into the old label selector format`)
      labels.set(key, values[0])
    } else if (['NotIn', 'Exists', 'DoesNotExist'].includes(operator)) {
      throw new Error(`operator "${operator}" cannot be converted into the old label selector format`)
    } else throw new Error(`${JSON.stringify(operator)} is not a valid selector operator`)
  }
  return [...labels.keys()]
    .sort()
    .map((key) => `${key}=${labels.get(key)}`)
    .join(',')
}

/** The containers (init containers too) that ran before: restarted, or with a terminated last state. */
export function containersWithPreviousLogs(pod: KubePod): string[] {
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]
  return statuses.filter((s) => (s.restartCount ?? 0) > 0 || (s.lastState?.terminated !== undefined && s.lastState.terminated !== null)).map((s) => s.name)
}

/**
 * The secrets upstream collects, by name and usual namespace; each is also looked for in
 * tigera-operator. Some names carry a trailing space as upstream's list has them, so they are
 * never found.
 */
export const TLS_SECRETS: ReadonlyArray<readonly [name: string, namespace: string]> = [
  ['calico-kube-controllers-metrics-tls', 'calico-system'],
  ['calico-node-prometheus-server-tls', 'calico-system'],
  ['node-certs', 'calico-system'],
  ['typha-certs', 'calico-system'],
  ['calico-node-prometheus-client-tls', 'tigera-prometheus'],
  ['calico-node-prometheus-tls', 'tigera-prometheus'],
  ['deep-packet-inspection-tls', 'tigera-dpi'],
  ['tigera-secure-elasticsearch-cert', 'tigera-elasticsearch'],
  ['tigera-secure-internal-elasticsearch-cert', 'tigera-prometheus'],
  ['tigera-secure-linseed-cert', 'tigera-prometheus'],
  ['tigera-ee-elasticsearch-metrics-tls', 'tigera-prometheus'],
  ['tigera-fluentd-prometheus-tls', 'tigera-fluentd'],
  ['intrusion-detection-tls', 'tigera-intrusion-detection'],
  ['tigera-secure-kibana-cert', 'tigera-kibana'],
  ['manager-tls', 'tigera-manager'],
  ['internal-manager-tls', 'tigera-manager'],
  ['tigera-voltron', 'tigera-manager'],
  ['tigera-packetcapture-server-tls', 'tigera-packetcapture'],
  ['tigera-managed-cluster-connection', 'tigera-guardian'],
  ['tigera-compliance-benchmarker-tls', 'tigera-compliance'],
  ['tigera-compliance-controller-tls', 'tigera-compliance'],
  ['tigera-compliance-reporter-tls', 'tigera-compliance'],
  ['tigera-compliance-server-tls ', 'tigera-compliance'],
  ['tigera-compliance-snapshotter-tls ', 'tigera-compliance'],
  ['tigera-dex-tls ', 'tigera-dex'],
]

/** Data keys holding certificates, the only values kept. */
const CERTIFICATE_KEYS = new Set(['tls.crt', 'cert', 'cert.crt', 'apiserver.crt', 'managed-cluster.crt', 'management-cluster.crt'])

/** base64 of `<censored>`, as a Secret's data writes the bytes. */
const CENSORED = Buffer.from('<censored>').toString('base64')

const OBJECT_META_FIELDS = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (typeof v === 'object' && Object.keys(v as object).length === 0)

/**
 * The secret as upstream writes it: decoded by a typed client (no kind or apiVersion, unknown
 * fields dropped, an unset creationTimestamp as null), every data value but the certificates
 * replaced by `<censored>`, then marshalled (empty fields omitted).
 */
export function censorSecret(secret: Record<string, unknown>): Record<string, unknown> {
  const meta = (secret.metadata ?? {}) as Record<string, unknown>
  const metadata: Record<string, unknown> = {}
  for (const field of OBJECT_META_FIELDS) if (!isEmpty(meta[field])) metadata[field] = meta[field]
  metadata.creationTimestamp ??= null
  const out: Record<string, unknown> = { metadata }
  const data = Object.fromEntries(Object.entries((secret.data ?? {}) as Record<string, string>).map(([key, value]) => [key, CERTIFICATE_KEYS.has(key) ? value : CENSORED]))
  if (!isEmpty(data)) out.data = data
  for (const field of ['immutable', 'stringData', 'type']) if (!isEmpty(secret[field])) out[field] = secret[field]
  return out
}
