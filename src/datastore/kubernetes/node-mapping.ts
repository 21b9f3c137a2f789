/**
 * Calico Node <-> Kubernetes core/v1 Node, as libcalico-go's node client maps them (datastore spec
 * 2.6): Calico's fields live in `projectcalico.org/*` annotations of the Kubernetes Node, Calico's own
 * labels in `projectcalico.org/labels`, and on read the Kubernetes labels are laid over them.
 */
import { toGoJson } from '../../output/json.js'
import { isCidrOfFamily, isIPv4, isIPv6, parseASNumber } from '../../resources/checks.js'
import { parseCidr } from '../../net/cidr.js'
import { API_VERSION, type ObjectMeta, type Resource } from '../../resources/types.js'
import type { KubeObject } from './crd-mapping.js'

const LABELS = 'projectcalico.org/labels'
const ANNOTATIONS = 'projectcalico.org/annotations'
/** Synthetic read-side annotation: the Kubernetes labels, so a write can tell them from Calico's. */
const KUBE_LABELS = 'projectcalico.org/kube-labels'

type Check = (value: string) => boolean
type Fields = Record<string, unknown>

const ipv4Network: Check = (v) => isIPv4(v) || (isCidrOfFamily(v, 4) && !parseCidr(v)?.hadHostBits)
const ipv6Network: Check = (v) => isIPv6(v) || (isCidrOfFamily(v, 6) && !parseCidr(v)?.hadHostBits)
const cidrV4: Check = (v) => isCidrOfFamily(v, 4)
const cidrV6: Check = (v) => isCidrOfFamily(v, 6)
const mac: Check = (v) => /^[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\1[0-9A-Fa-f]{2}){4}$/.test(v)

/** One annotation per Calico field: where the field sits in the v3 Node and how a stored value is checked. */
interface AnnotatedField {
  annotation: string
  section: 'bgp' | 'spec' | 'wireguard' | 'status'
  field: string
  valid: Check
}

const FIELDS: AnnotatedField[] = [
  { annotation: 'projectcalico.org/IPv4Address', section: 'bgp', field: 'ipv4Address', valid: cidrV4 },
  { annotation: 'projectcalico.org/IPv6Address', section: 'bgp', field: 'ipv6Address', valid: cidrV6 },
  { annotation: 'projectcalico.org/RouteReflectorClusterID', section: 'bgp', field: 'routeReflectorClusterID', valid: ipv4Network },
  { annotation: 'projectcalico.org/IPv4IPIPTunnelAddr', section: 'bgp', field: 'ipv4IPIPTunnelAddr', valid: ipv4Network },
  { annotation: 'projectcalico.org/IPv4VXLANTunnelAddr', section: 'spec', field: 'ipv4VXLANTunnelAddr', valid: ipv4Network },
  { annotation: 'projectcalico.org/VXLANTunnelMACAddr', section: 'spec', field: 'vxlanTunnelMACAddr', valid: mac },
  { annotation: 'projectcalico.org/IPv6VXLANTunnelAddr', section: 'spec', field: 'ipv6VXLANTunnelAddr', valid: ipv6Network },
  { annotation: 'projectcalico.org/VXLANTunnelMACAddrV6', section: 'spec', field: 'vxlanTunnelMACAddrV6', valid: mac },
  { annotation: 'projectcalico.org/IPv4WireguardInterfaceAddr', section: 'wireguard', field: 'interfaceIPv4Address', valid: ipv4Network },
  { annotation: 'projectcalico.org/IPv6WireguardInterfaceAddr', section: 'wireguard', field: 'interfaceIPv6Address', valid: ipv6Network },
  { annotation: 'projectcalico.org/WireguardPublicKey', section: 'status', field: 'wireguardPublicKey', valid: () => true },
  { annotation: 'projectcalico.org/WireguardPublicKeyV6', section: 'status', field: 'wireguardPublicKeyV6', valid: () => true },
]
const ASN = 'projectcalico.org/ASNumber'
const INTERFACES = 'projectcalico.org/Interfaces'

/** A Go map as json.Marshal writes it: keys sorted; a nil map is `null`. */
export function goMapJson(map: Record<string, string> | undefined): string {
  if (map === undefined) return 'null'
  return toGoJson(Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), false)
}

/** A JSON string map from an annotation; undefined when absent or unreadable (upstream ignores bad values). */
function parseMap(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined
  try {
    const parsed = JSON.parse(text) as unknown
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, string>) : undefined
  } catch {
    return undefined
  }
}

/** With host-local IPAM the IPIP tunnel gets the first address of the node's podCIDR (IPv4 only). */
function staticTunnelAddress(podCIDR: string): string {
  const ip = podCIDR.split('/')[0]
  if (!isIPv4(ip)) return ''
  const octets = ip.split('.').map(Number)
  octets[3] = (octets[3] + 1) % 256
  return octets.join('.')
}

const nonEmpty = (fields: Fields): Fields | undefined => (Object.keys(fields).length > 0 ? fields : undefined)

/** Reads a Kubernetes Node as the Calico Node calicoctl shows. */
export function nodeToCalico(node: KubeObject, options: { usePodCIDR?: boolean } = {}): Resource {
  const meta = node.metadata
  const name = meta.name ?? ''
  const annotations = meta.annotations ?? {}
  const kubeLabels = meta.labels
  const sections: Record<AnnotatedField['section'], Fields> = { bgp: {}, spec: {}, wireguard: {}, status: {} }
  for (const f of FIELDS) {
    const value = annotations[f.annotation]
    if (value && f.valid(value)) sections[f.section][f.field] = value
  }
  const asNumber = annotations[ASN] === undefined ? undefined : parseASNumber(annotations[ASN])
  if (asNumber !== undefined) sections.bgp.asNumber = asNumber
  const spec = (node.spec ?? {}) as { podCIDR?: string; podCIDRs?: string[] }
  if (options.usePodCIDR && spec.podCIDR) {
    const tunnel = staticTunnelAddress(spec.podCIDR)
    if (tunnel) sections.bgp.ipv4IPIPTunnelAddr = tunnel
    else delete sections.bgp.ipv4IPIPTunnelAddr
    delete sections.wireguard.interfaceIPv6Address
    if (annotations['projectcalico.org/WireguardPublicKey'] && tunnel) sections.wireguard.interfaceIPv4Address = tunnel
    else delete sections.wireguard.interfaceIPv4Address
  }

  const labels = { ...parseMap(annotations[LABELS]), ...kubeLabels }
  const metadata: ObjectMeta = {
    name,
    uid: meta.uid,
    resourceVersion: meta.resourceVersion,
    creationTimestamp: meta.creationTimestamp,
    labels: nonEmpty(labels) as Record<string, string> | undefined,
    annotations: { ...parseMap(annotations[ANNOTATIONS]), [KUBE_LABELS]: goMapJson(kubeLabels) },
  }
  const calicoSpec: Fields = { ...sections.spec, bgp: nonEmpty(sections.bgp), orchRefs: [{ nodeName: name, orchestrator: 'k8s' }] }
  calicoSpec.wireguard = nonEmpty(sections.wireguard)
  const bgp = sections.bgp
  const addresses = [
    ...[bgp.ipv4Address, bgp.ipv6Address].filter(Boolean).map((address) => ({ address, type: 'CalicoNodeIP' })),
    ...(((node.status as Fields | undefined)?.addresses as Array<{ type?: string; address?: string }> | undefined) ?? [])
      .filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP')
      .map((a) => ({ address: a.address, type: a.type })),
  ]
  if (addresses.length > 0) calicoSpec.addresses = addresses
  const interfaces = parseInterfaces(annotations[INTERFACES])
  if (interfaces) calicoSpec.interfaces = interfaces
  const status: Fields = { ...sections.status }
  if (spec.podCIDRs && spec.podCIDRs.length > 0) status.podCIDRs = [...spec.podCIDRs]

  const resource: Resource = { apiVersion: API_VERSION, kind: 'Node', metadata: dropUndefined(metadata), spec: dropUndefined(calicoSpec) }
  if (Object.keys(status).length > 0) resource.status = status
  return resource
}

function parseInterfaces(text: string | undefined): unknown[] | undefined {
  if (!text) return undefined
  try {
    const parsed = JSON.parse(text) as unknown
    return Array.isArray(parsed) && parsed.length > 0 ? parsed : undefined
  } catch {
    return undefined
  }
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}

/**
 * Undoes the label overlay of a read: labels that came from Kubernetes are dropped (a change to one is
 * ignored, as upstream warns), and the bookkeeping annotation goes.
 */
function restoreCalicoLabels(metadata: ObjectMeta): { labels?: Record<string, string>; annotations?: Record<string, string> } {
  const raw = metadata.annotations?.[KUBE_LABELS]
  if (!raw) return { labels: metadata.labels, annotations: metadata.annotations }
  let kubeLabels: Record<string, string> | null
  try {
    kubeLabels = JSON.parse(raw) as Record<string, string> | null
  } catch (err) {
    throw new Error(`failed to read the ${KUBE_LABELS} annotation: ${(err as Error).message}`)
  }
  const labels = { ...metadata.labels }
  for (const key of Object.keys(kubeLabels ?? {})) delete labels[key]
  const { [KUBE_LABELS]: _kube, ...annotations } = metadata.annotations ?? {}
  return { labels, annotations }
}

/**
 * Writes a Calico Node into (a copy of) the freshly read Kubernetes Node: only annotations change;
 * the Kubernetes labels are never written.
 */
export function mergeIntoKubeNode(calico: Resource, kubeNode: KubeObject): KubeObject {
  const node = structuredClone(kubeNode)
  const annotations: Record<string, string> = { ...node.metadata.annotations }
  const { labels, annotations: calicoAnnotations } = restoreCalicoLabels(calico.metadata)
  const setOrDelete = (key: string, value: string | undefined) => {
    if (value) annotations[key] = value
    else delete annotations[key]
  }
  setOrDelete(LABELS, labels && Object.keys(labels).length > 0 ? goMapJson(labels) : undefined)
  setOrDelete(ANNOTATIONS, calicoAnnotations && Object.keys(calicoAnnotations).length > 0 ? goMapJson(calicoAnnotations) : undefined)

  const spec = calico.spec ?? {}
  const sections: Record<AnnotatedField['section'], Fields | undefined> = {
    bgp: spec.bgp as Fields | undefined,
    spec,
    wireguard: spec.wireguard as Fields | undefined,
    status: calico.status,
  }
  for (const f of FIELDS) {
    const value = sections[f.section]?.[f.field]
    setOrDelete(f.annotation, typeof value === 'string' ? value : undefined)
  }
  const asNumber = sections.bgp?.asNumber
  setOrDelete(ASN, asNumber === undefined || asNumber === null ? undefined : String(parseASNumber(asNumber) ?? asNumber))
  const interfaces = spec.interfaces as unknown[] | undefined
  setOrDelete(INTERFACES, interfaces && interfaces.length > 0 ? toGoJson(interfaces, false) : undefined)
  node.metadata.annotations = annotations
  return node
}
