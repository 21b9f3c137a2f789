/**
 * Calico WorkloadEndpoint <- Kubernetes Pod, as libcalico-go's KDD derives it (datastore spec 2.7;
 * `k8s/conversion/workload_endpoint_default.go`, `k8s/resources/workloadendpoint.go`). KDD stores no
 * WorkloadEndpoints: each scheduled, non-host-network pod shows as one endpoint `eth0`.
 */
import { createHash } from 'node:crypto'
import { parseCidr, normalizeIp } from '../../net/cidr.js'
import { parseJsonLikeGo } from '../../output/go-json-parse.js'
import { decodeLikeGo, goError } from '../../resources/go-decode.js'
import type { SchemaNode } from '../../resources/schema.js'
import { API_VERSION, type ObjectMeta, type Resource } from '../../resources/types.js'
import {
  NAMESPACE_LABEL,
  ORCHESTRATOR_LABEL,
  SERVICE_ACCOUNT_LABEL,
  parseWorkloadEndpointName,
  sortedLabels,
  workloadEndpointName,
} from '../../resources/workload-names.js'
import type { KubeObject } from './crd-mapping.js'
import { NAMESPACE_PROFILE_PREFIX, serviceAccountProfileName } from './profile-mapping.js'

const POD_IP = 'cni.projectcalico.org/podIP'
const POD_IPS = 'cni.projectcalico.org/podIPs'
const AWS_POD_IPS = 'vpc.amazonaws.com/pod-ips'
const CONTAINER_ID = 'cni.projectcalico.org/containerID'
const FLOATING_IPS = 'cni.projectcalico.org/floatingIPs'
const ALLOWED_SOURCE_PREFIXES = 'cni.projectcalico.org/allowedSourcePrefixes'
/** Multus's report of the pod's networks, passed through to the endpoint's annotations. */
const NETWORK_STATUS = 'k8s.v1.cni.cncf.io/network-status'

interface ContainerPort {
  name?: string
  containerPort?: number
  hostPort?: number
  hostIP?: string
  protocol?: string
}
interface PodSpec {
  nodeName?: string
  hostNetwork?: boolean
  serviceAccountName?: string
  containers?: Array<{ ports?: ContainerPort[] }>
  initContainers?: Array<{ ports?: ContainerPort[] }>
}
interface PodStatus {
  phase?: string
  podIP?: string
  podIPs?: Array<{ ip?: string }>
}

const podSpec = (pod: KubeObject): PodSpec => (pod.spec ?? {}) as PodSpec
const podStatus = (pod: KubeObject): PodStatus => (pod.status ?? {}) as PodStatus

/** Host-side veth name the CNI plugin gives a pod: prefix (first of FELIX_INTERFACEPREFIX, default `cali`) + 11 hex of SHA-1. */
export function vethNameForWorkload(namespace: string, pod: string, interfacePrefix = process.env.FELIX_INTERFACEPREFIX): string {
  const prefix = interfacePrefix ? interfacePrefix.split(',')[0] : 'cali'
  return prefix + createHash('sha1').update(`${namespace}.${pod}`).digest('hex').slice(0, 11)
}

/** Upstream skips host-network and unscheduled pods entirely (IsValidCalicoWorkloadEndpoint). */
export function isCalicoWorkloadPod(pod: KubeObject): boolean {
  const spec = podSpec(pod)
  return !spec.hostNetwork && !!spec.nodeName
}

/** A pod that no longer owns its IPs: failed/succeeded/completed, or being deleted with its IP annotation cleared. */
function isFinished(pod: KubeObject): boolean {
  const annotations = pod.metadata.annotations ?? {}
  if (pod.metadata.deletionTimestamp && (annotations[POD_IP] === '' || annotations[AWS_POD_IPS] === '')) return true
  const phase = podStatus(pod).phase
  return phase === 'Failed' || phase === 'Succeeded' || phase === 'Completed'
}

interface IpNet {
  family: 4 | 6
  /** Network address text. */
  ip: string
  prefix: number
  /** Canonical `ip/prefix`. */
  text: string
}

/** cnet.ParseCIDROrIP: a CIDR (masked) or a plain address as /32 or /128; Go's ParseCIDR error otherwise. */
function parseCidrOrIp(text: string): IpNet {
  const cidr = parseCidr(text)
  if (cidr) return { family: cidr.family, ip: cidr.text.split('/')[0], prefix: cidr.prefix, text: cidr.text }
  const ip = normalizeIp(text)
  if (ip === undefined) throw new Error(`invalid CIDR address: ${text}`)
  const family = ip.includes(':') ? 6 : 4
  const prefix = family === 4 ? 32 : 128
  return { family, ip, prefix, text: `${ip}/${prefix}` }
}

/** The pod's addresses, from the first source that has any: status podIPs, podIP, then the CNI annotations. */
function podIpNets(pod: KubeObject): IpNet[] {
  const status = podStatus(pod)
  const annotations = pod.metadata.annotations ?? {}
  let ips: string[] = []
  if (status.podIPs && status.podIPs.length > 0) ips = status.podIPs.map((p) => p.ip ?? '')
  else if (status.podIP) ips = [status.podIP]
  else if (annotations[POD_IPS]) ips = annotations[POD_IPS].split(',')
  else if (annotations[POD_IP]) ips = [annotations[POD_IP]]
  else if (annotations[AWS_POD_IPS]) ips = annotations[AWS_POD_IPS].split(',')
  return ips.map(parseCidrOrIp)
}

const STRING_LIST: SchemaNode = { type: 'array', items: { type: 'string' } }

/** Go's json.Unmarshal of an annotation into []string, with Go's wording for the usual failures. */
function parseStringList(text: string): string[] {
  const fail = (reason: string): never => {
    throw new Error(`failed to parse '${text}' as JSON: ${reason}`)
  }
  let value: unknown
  try {
    value = parseJsonLikeGo(text)
  } catch (err) {
    fail((err as Error).message)
  }
  const decoded = decodeLikeGo(value, STRING_LIST, { fromYaml: false })
  const failure = goError(decoded.problems)
  if (failure) fail(failure.message)
  return (decoded.value ?? []) as string[]
}

/** 1:1 NATs from the floatingIPs annotation, each mapped to the pod's address of the same family. */
function floatingIpNats(annotation: string, nets: IpNet[]): Array<{ internalIP: string; externalIP: string }> {
  const external = parseStringList(annotation)
  let v4: IpNet | undefined
  let v6: IpNet | undefined
  for (const net of nets) {
    const full = net.family === 4 ? 32 : 128
    if (net.prefix !== full) throw new Error(`PodIP ${net.text} is not a valid IPv${net.family}: Mask size is ${net.prefix}, not ${full}`)
    if (net.family === 4) v4 = net
    else v6 = net
  }
  const nats: Array<{ internalIP: string; externalIP: string }> = []
  for (const ip of external) {
    const internal = ip.includes(':') ? v6 : v4
    if (internal) nats.push({ internalIP: internal.ip, externalIP: ip })
  }
  return nats
}

/** Prefixes the pod may spoof (allowedSourcePrefixes annotation), normalised to their networks. */
function allowedSourcePrefixes(annotation: string | undefined): string[] {
  if (!annotation) return []
  return parseStringList(annotation).map((prefix) => {
    const cidr = parseCidr(prefix)
    if (!cidr) throw new Error(`failed to parse '${prefix}' as a CIDR: invalid CIDR address: ${prefix}`)
    return cidr.text
  })
}

const PROTOCOLS: Record<string, string> = { UDP: 'UDP', SCTP: 'SCTP', TCP: 'TCP', '': 'TCP' }

/** Named ports and host ports of the pod's containers, then of its init containers. */
function endpointPorts(spec: PodSpec): Array<Record<string, unknown>> {
  const ports: Array<Record<string, unknown>> = []
  for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    for (const port of container.ports ?? []) {
      if (!port.containerPort || (!port.hostPort && !port.name)) continue
      const protocol = PROTOCOLS[port.protocol ?? '']
      // Upstream ignores ports with a protocol it does not know.
      if (protocol === undefined) continue
      ports.push({ name: port.name ?? '', protocol, port: port.containerPort, hostPort: port.hostPort ?? 0, hostIP: port.hostIP ?? '' })
    }
  }
  return ports
}

/** A Kubernetes quantity's Value(): the number rounded up away from zero; undefined when unparseable. */
function quantityValue(text: string): bigint | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/.exec(text)
  if (!m || m[2] + (m[3] ?? '') === '') return undefined
  const [, sign, whole, frac = '', suffix] = m
  const scale = quantityScale(suffix)
  if (!scale) return undefined
  const num = BigInt(whole + frac) * scale.num
  const den = 10n ** BigInt(frac.length) * scale.den
  const value = num / den + (num % den === 0n ? 0n : 1n)
  return sign === '-' ? -value : value
}

const DECIMAL_SUFFIXES = ['', 'k', 'M', 'G', 'T', 'P', 'E']
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']
const FRACTION_SUFFIXES = ['', 'm', 'u', 'n']

function quantityScale(suffix: string): { num: bigint; den: bigint } | undefined {
  const power = (base: bigint, exp: number) => base ** BigInt(exp)
  if (DECIMAL_SUFFIXES.includes(suffix)) return { num: power(1000n, DECIMAL_SUFFIXES.indexOf(suffix)), den: 1n }
  if (BINARY_SUFFIXES.includes(suffix)) return { num: power(1024n, BINARY_SUFFIXES.indexOf(suffix)), den: 1n }
  if (FRACTION_SUFFIXES.includes(suffix)) return { num: 1n, den: power(1000n, FRACTION_SUFFIXES.indexOf(suffix)) }
  const exponent = /^[eE]([+-]?\d+)$/.exec(suffix)
  if (!exponent) return undefined
  // Beyond +-30 the value is far outside every QoS limit either way; capping keeps BigInt work small.
  const exp = Math.max(-30, Math.min(30, Number(exponent[1])))
  return exp >= 0 ? { num: power(10n, exp), den: 1n } : { num: 1n, den: power(10n, -exp) }
}

type QosField =
  | 'ingressBandwidth' | 'ingressBurst' | 'ingressPeakrate' | 'ingressMinburst'
  | 'egressBandwidth' | 'egressBurst' | 'egressPeakrate' | 'egressMinburst'
  | 'ingressPacketRate' | 'ingressPacketBurst' | 'egressPacketRate' | 'egressPacketBurst'
  | 'ingressMaxConnections' | 'egressMaxConnections'

/** QoSControls fields in Go struct order. */
const QOS_FIELDS: QosField[] = [
  'ingressBandwidth', 'ingressBurst', 'ingressPeakrate', 'ingressMinburst',
  'egressBandwidth', 'egressBurst', 'egressPeakrate', 'egressMinburst',
  'ingressPacketRate', 'ingressPacketBurst', 'egressPacketRate', 'egressPacketBurst',
  'ingressMaxConnections', 'egressMaxConnections',
]

const BANDWIDTH: [bigint, bigint] = [1000n, 10n ** 15n]
const PACKETS: [bigint, bigint] = [1n, 10000n]
/** Annotation -> field with its [min, max], in upstream's reading order (Calico's bandwidth overrides Kubernetes'). */
const QOS_ANNOTATIONS: Array<[string, QosField, [bigint, bigint]]> = [
  ['kubernetes.io/ingress-bandwidth', 'ingressBandwidth', BANDWIDTH],
  ['kubernetes.io/egress-bandwidth', 'egressBandwidth', BANDWIDTH],
  ['qos.projectcalico.org/ingressBandwidth', 'ingressBandwidth', BANDWIDTH],
  ['qos.projectcalico.org/egressBandwidth', 'egressBandwidth', BANDWIDTH],
  ['qos.projectcalico.org/ingressBurst', 'ingressBurst', [1000n, 34359738360n]],
  ['qos.projectcalico.org/egressBurst', 'egressBurst', [1000n, 34359738360n]],
  ['qos.projectcalico.org/ingressPeakrate', 'ingressPeakrate', [1010n, 1010n * 10n ** 12n]],
  ['qos.projectcalico.org/egressPeakrate', 'egressPeakrate', [1010n, 1010n * 10n ** 12n]],
  ['qos.projectcalico.org/ingressMinburst', 'ingressMinburst', [1000n, 10n ** 8n]],
  ['qos.projectcalico.org/egressMinburst', 'egressMinburst', [1000n, 10n ** 8n]],
  ['qos.projectcalico.org/ingressPacketRate', 'ingressPacketRate', PACKETS],
  ['qos.projectcalico.org/egressPacketRate', 'egressPacketRate', PACKETS],
  ['qos.projectcalico.org/ingressPacketBurst', 'ingressPacketBurst', PACKETS],
  ['qos.projectcalico.org/egressPacketBurst', 'egressPacketBurst', PACKETS],
  ['qos.projectcalico.org/ingressMaxConnections', 'ingressMaxConnections', [1n, 4294967295n]],
  ['qos.projectcalico.org/egressMaxConnections', 'egressMaxConnections', [1n, 4294967295n]],
]
const DSCP_ANNOTATION = 'qos.projectcalico.org/dscp'
/** DSCP names accepted instead of a number (stored as the name). */
const DSCP_NAMES = ['DF', 'EF', 'AF11', 'AF12', 'AF13', 'AF21', 'AF22', 'AF23', 'AF31', 'AF32', 'AF33', 'AF41', 'AF42', 'AF43', 'CS0', 'CS1', 'CS2', 'CS3', 'CS4', 'CS5', 'CS6']
/** Bursts defaulted when only the rate is given: 4Gi bits, 5 packets. */
const DEFAULT_BURST = 4294967296
const DEFAULT_PACKET_BURST = 5

/** The DSCP annotation as stored: a number 0-63 or a known name (canonical case); undefined when invalid. */
function dscpValue(text: string): number | string | undefined {
  const value = DSCP_NAMES.find((name) => name.toLowerCase() === text.toLowerCase()) ?? text
  if (/^\d+$/.test(value) && Number(value) <= 255) return Number(value) <= 63 ? Number(value) : undefined
  // Upstream's validity check trims and upper-cases, but the stored value keeps the text as given.
  return DSCP_NAMES.includes(value.trim().toUpperCase()) ? value : undefined
}

/**
 * QoS controls from the pod's bandwidth/rate annotations. Out-of-range values are clamped and
 * unparseable ones read as 0, and inconsistent settings are dropped, as upstream does (it only logs
 * those problems). Undefined when nothing is set.
 */
function qosControlsFromAnnotations(annotations: Record<string, string>): Record<string, unknown> | undefined {
  const q = Object.fromEntries(QOS_FIELDS.map((f) => [f, 0])) as Record<QosField, number>
  for (const [annotation, field, [min, max]] of QOS_ANNOTATIONS) {
    if (!(annotation in annotations)) continue
    const value = quantityValue(annotations[annotation])
    q[field] = value === undefined ? 0 : Number(value < min ? min : value > max ? max : value)
  }
  for (const dir of ['ingress', 'egress'] as const) {
    const f = (name: string) => `${dir}${name}` as QosField
    if (q[f('Burst')] && !q[f('Bandwidth')]) q[f('Burst')] = 0
    if (q[f('Peakrate')] && (!q[f('Bandwidth')] || q[f('Bandwidth')] >= q[f('Peakrate')])) q[f('Peakrate')] = 0
    if (q[f('Minburst')] && !q[f('Peakrate')]) q[f('Minburst')] = 0
    if (q[f('PacketBurst')] && !q[f('PacketRate')]) q[f('PacketBurst')] = 0
    if (q[f('Bandwidth')] && !q[f('Burst')]) q[f('Burst')] = DEFAULT_BURST
    if (q[f('PacketRate')] && !q[f('PacketBurst')]) q[f('PacketBurst')] = DEFAULT_PACKET_BURST
  }
  const controls: Record<string, unknown> = Object.fromEntries(QOS_FIELDS.filter((f) => q[f] !== 0).map((f) => [f, q[f]]))
  const dscp = DSCP_ANNOTATION in annotations ? dscpValue(annotations[DSCP_ANNOTATION]) : undefined
  if (dscp !== undefined) controls.dscp = dscp
  return Object.keys(controls).length > 0 ? controls : undefined
}

const nonEmpty = <T>(list: T[]): T[] | undefined => (list.length > 0 ? list : undefined)

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}

/**
 * The WorkloadEndpoints upstream shows for a pod: none for host-network or unscheduled pods, else
 * one for `eth0`. A finished pod keeps its endpoint but no addresses. Throws upstream's errors for
 * malformed addresses or annotations (which fail a whole list upstream too).
 */
export function podToWorkloadEndpoints(pod: KubeObject, interfacePrefix = process.env.FELIX_INTERFACEPREFIX): Resource[] {
  if (!isCalicoWorkloadPod(pod)) return []
  const meta = pod.metadata
  const spec = podSpec(pod)
  const namespace = meta.namespace ?? ''
  const podName = meta.name ?? ''
  const node = spec.nodeName ?? ''
  const serviceAccount = spec.serviceAccountName ?? ''
  const annotations = meta.annotations ?? {}

  const profiles = [NAMESPACE_PROFILE_PREFIX + namespace]
  if (serviceAccount) profiles.push(serviceAccountProfileName(namespace, serviceAccount))
  const name = workloadEndpointName({ node, orchestrator: 'k8s', pod: podName, endpoint: 'eth0' })

  let nets = podIpNets(pod)
  // The IPs of a finished pod are already back in the pool.
  if (isFinished(pod)) nets = []

  const labels: Record<string, string> = { ...meta.labels, [NAMESPACE_LABEL]: namespace, [ORCHESTRATOR_LABEL]: 'k8s' }
  // Upstream adds this label only for names shorter than 63 characters; the profile always names the account.
  if (serviceAccount && serviceAccount.length < 63) labels[SERVICE_ACCOUNT_LABEL] = serviceAccount

  const floating = annotations[FLOATING_IPS]
  const nats = floating !== undefined && nets.length > 0 ? floatingIpNats(floating, nets) : []
  const spoofable = allowedSourcePrefixes(annotations[ALLOWED_SOURCE_PREFIXES])

  const metadata: ObjectMeta = dropUndefined({
    name,
    generateName: meta.generateName || undefined,
    namespace,
    uid: meta.uid,
    resourceVersion: meta.resourceVersion,
    creationTimestamp: meta.creationTimestamp ?? null,
    labels: sortedLabels(labels),
    annotations: annotations[NETWORK_STATUS] === undefined ? undefined : { [NETWORK_STATUS]: annotations[NETWORK_STATUS] },
  })
  const workloadSpec = dropUndefined({
    orchestrator: 'k8s',
    node,
    containerID: annotations[CONTAINER_ID] || undefined,
    pod: podName,
    endpoint: 'eth0',
    serviceAccountName: serviceAccount || undefined,
    ipNetworks: nonEmpty(nets.map((n) => n.text)),
    ipNATs: nonEmpty(nats),
    profiles,
    interfaceName: vethNameForWorkload(namespace, podName, interfacePrefix),
    ports: nonEmpty(endpointPorts(spec)),
    allowSpoofedSourcePrefixes: nonEmpty(spoofable),
    qosControls: qosControlsFromAnnotations(annotations),
  })
  return [{ apiVersion: API_VERSION, kind: 'WorkloadEndpoint', metadata, spec: workloadSpec }]
}

/**
 * The pod a WorkloadEndpoint name refers to, for a KDD get or delete. Throws upstream's parse errors;
 * undefined when the name has no pod segment (upstream then reports the endpoint as not existing,
 * with MALFORMED_NAME as the inner error).
 */
export function podNameForWorkloadEndpoint(name: string): string | undefined {
  return parseWorkloadEndpointName(name).pod || undefined
}

export const MALFORMED_NAME = 'malformed WorkloadEndpoint name - unable to determine Pod name'

/**
 * Body of the strategic-merge patch KDD sends to `pods/<pod>/status` instead of deleting an
 * endpoint: the CNI IP annotations emptied (the container ID stays, so repeated CNI DELs can tell
 * pod instances apart), guarded by the caller's revision and uid when given.
 */
export function workloadEndpointDeletePatch(options: { resourceVersion?: string; uid?: string } = {}): Record<string, unknown> {
  const metadata: Record<string, unknown> = { annotations: { [POD_IP]: '', [POD_IPS]: '' } }
  if (options.resourceVersion) metadata.resourceVersion = options.resourceVersion
  if (options.uid !== undefined) metadata.uid = options.uid
  return { metadata }
}
