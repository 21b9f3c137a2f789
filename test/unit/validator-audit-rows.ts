/**
 * Audit of upstream's validation, one row per kind, field and rule: libcalico-go's Go validator
 * (struct tags and struct-level validators of lib/validator/v3/validator.go), the CRDs'
 * `x-kubernetes-validations` rules (which upstream runs client-side for etcd and in `validate`) and
 * the v3 client's own checks. Each row has an input that breaks the rule with the line upstream
 * prints for it, and an input that keeps the rule. A rule missing here is a gap nobody has looked at.
 *
 * Tag failures read `<Field> = '<value>' (Reason: failed to validate Field: <Field> because of Tag: <tag> )`;
 * CEL failures name the CRD path (`spec`, `spec.ingress[0]`, the kind at the root) and carry no value,
 * and so do the CRD's OpenAPI constraints (`spec.types (must have at most 2 items)`), which upstream
 * reports between the Go validator's findings and the CEL rules'.
 */
import type { Resource } from '../../src/resources/types.js'

export type Spec = Record<string, unknown>

export interface Row {
  kind: string
  field: string
  /** `tag <tag>`, the struct-level validator's name, `CEL` or `client`. */
  rule: string
  bad: Spec
  /** One line of upstream's message for `bad`. */
  expect: string
  /** Breaks no rule; omitted where the rule has no passing form worth showing. */
  good?: Spec
  name?: string
  labels?: Record<string, string>
  /** The stored spec: the row is an update of it. */
  existing?: Spec
  status?: Spec
  /** `validate`, which runs the validator alone; a create otherwise (an update with `existing`). */
  operation?: 'validate'
  /** Every line upstream prints for `bad`, where the row pins them all. */
  all?: string[]
}

export const tag = (field: string, tagName: string, value: unknown): string =>
  `${field} = '${String(value)}' (Reason: failed to validate Field: ${field} because of Tag: ${tagName} )`
export const reason = (field: string, value: unknown, text: string): string => `${field} = '${String(value)}' (${text})`
const cel = (path: string, message: string): string => `${path} (${message})`
/** A CRD OpenAPI constraint's line: the path, then the API server's detail. */
const crd = (path: string, detail: string): string => `${path} (${detail})`
const atLeast = (path: string, n: number): string => crd(path, `${path} in body should be greater than or equal to ${n}`)
const atMost = (path: string, n: number): string => crd(path, `${path} in body should be less than or equal to ${n}`)
const notCidr = (path: string, value: string): string => crd(path, `${path} in body must be of type cidr: "${value}"`)
const isNull = (path: string, type: string): string => crd(path, `${path} in body must be of type ${type}: "null"`)
const LOG_LEVEL = '^(?i)(Trace|Debug|Info|Warning|Error|Fatal)?$'
const OBJECT_META_NAME = "name must consist of lower case alphanumeric characters, '-' or '.' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)"
const POLICY_NAME = "name must consist of lower case alphanumeric characters or '-' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?)"
/** What `cidr()` says of a string netip.ParsePrefix refuses, as a CEL rule's evaluation error. */
const cidrError = (cidr: string, message: string): string =>
  cel('spec', `network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("${cidr}"): no '/' evaluating rule: ${message}`)
const CIDR_RULES = [
  'IPPool CIDR must be strictly masked',
  'IPPool CIDR overlaps with IPv4 link local range 169.254.0.0/16',
  'IPPool CIDR overlaps with IPv6 link local range fe80::/10',
  'IP pool size is too small for use with Calico IPAM. It must be equal to or greater than the block size.',
]

const NAMESPACED = new Set(['NetworkPolicy', 'StagedNetworkPolicy', 'StagedKubernetesNetworkPolicy', 'NetworkSet', 'WorkloadEndpoint'])
const SINGLETONS = new Set(['BGPConfiguration', 'FelixConfiguration', 'KubeControllersConfiguration', 'IPAMConfiguration'])

/** Fields every document of the kind needs, so a row only shows what it is about. */
const BASE: Record<string, Spec> = {
  HostEndpoint: { node: 'host1', interfaceName: 'eth0' },
  IPPool: { cidr: '10.0.0.0/16' },
  CalicoNodeStatus: { node: 'node1', classes: ['Agent'], updatePeriodSeconds: 10 },
  WorkloadEndpoint: { orchestrator: 'k8s', node: 'node1', pod: 'pod1', endpoint: 'eth0', interfaceName: 'cali0' },
}
const DEFAULT_NAME: Record<string, string> = { WorkloadEndpoint: 'node1-k8s-pod1-eth0' }

export function documentOf(row: Pick<Row, 'kind' | 'name' | 'labels' | 'status'>, spec: Spec): Resource {
  const merged: Spec = { ...BASE[row.kind], ...spec }
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k]
  const name = row.name ?? DEFAULT_NAME[row.kind] ?? (SINGLETONS.has(row.kind) ? 'default' : 'audit')
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: row.kind,
    metadata: { name, ...(NAMESPACED.has(row.kind) ? { namespace: 'ns1' } : {}), ...(row.labels ? { labels: row.labels } : {}) },
    spec: merged,
    ...(row.status ? { status: row.status } : {}),
  }
}

const rule = (r: { action?: string } & Spec): Spec => ({ action: 'Allow', ...r })
export const ingress = (...rules: Spec[]): Spec => ({ selector: 'all()', ingress: rules.map(rule) })
export const egress = (...rules: Spec[]): Spec => ({ selector: 'all()', egress: rules.map(rule) })

// ---------------------------------------------------------------------------------------------

const bgpPeer: Row[] = [
  { kind: 'BGPPeer', field: 'spec.node', rule: 'tag name', bad: { node: 'node 2', peerIP: 'fd5f::6:ee', asNumber: 64590 }, expect: tag('Node', 'name', 'node 2'), good: { node: 'node-2', peerIP: 'fd5f::6:ee', asNumber: 64590 } },
  { kind: 'BGPPeer', field: 'spec.nodeSelector', rule: 'tag selector', bad: { nodeSelector: 'rack ==' }, expect: tag('NodeSelector', 'selector', 'rack =='), good: { nodeSelector: "rack == 'a'" } },
  { kind: 'BGPPeer', field: 'spec.peerIP', rule: 'tag IP:port', bad: { peerIP: '192.168.0.256' }, expect: tag('PeerIP', 'IP:port', '192.168.0.256'), good: { peerIP: '192.168.0.250' } },
  { kind: 'BGPPeer', field: 'spec.peerIP port', rule: 'tag IP:port', bad: { peerIP: '10.0.0.1:0' }, expect: tag('PeerIP', 'IP:port', '10.0.0.1:0'), good: { peerIP: '[fd00::1]:179' } },
  { kind: 'BGPPeer', field: 'spec.peerSelector', rule: 'tag selector', bad: { peerSelector: 'a b' }, expect: tag('PeerSelector', 'selector', 'a b'), good: { peerSelector: 'has(rr)' } },
  { kind: 'BGPPeer', field: 'spec.reachableBy', rule: 'tag reachableBy', bad: { peerIP: '10.0.0.1', reachableBy: '10.0.0.300' }, expect: tag('ReachableBy', 'reachableBy', '10.0.0.300'), good: { peerIP: '10.0.0.1', reachableBy: '10.0.0.254' } },
  { kind: 'BGPPeer', field: 'spec.reachableBy', rule: 'validateBGPPeerSpec', bad: { peerIP: '10.0.0.1:179', reachableBy: 'fd00::1' }, expect: reason('ReachableBy', 'fd00::1', 'ReachableBy and PeerIP address family mismatched'), good: { peerIP: '[fd00::2]:179', reachableBy: 'fd00::1' } },
  { kind: 'BGPPeer', field: 'spec.filters[i]', rule: 'tag name', bad: { filters: ['export-v4', 'Bad_Filter'] }, expect: tag('Filters[1]', 'name', 'Bad_Filter'), good: { filters: ['export-v4'] } },
  { kind: 'BGPPeer', field: 'spec.localWorkloadSelector', rule: 'tag selector', bad: { localWorkloadSelector: '!', asNumber: 65000 }, expect: tag('LocalWorkloadSelector', 'selector', '!'), good: { localWorkloadSelector: "app == 'lb'", asNumber: 65000 } },
  // The CRD has the same enum twice under allOf: both fail, and kube-openapi sums up, named after the kind.
  {
    kind: 'BGPPeer', field: 'spec.reversePeering', rule: 'CRD allOf', bad: { reversePeering: 'Sometimes' }, expect: crd('spec.reversePeering', 'supported values: "Auto", "Manual"'),
    all: [crd('spec.reversePeering', 'supported values: "Auto", "Manual"'), crd('spec.reversePeering', 'supported values: "Auto", "Manual"'), cel('BGPPeer', '"spec.reversePeering" must validate all the schemas (allOf). None validated')], good: { reversePeering: 'Manual' },
  },
  { kind: 'BGPPeer', field: 'spec', rule: 'CEL', bad: { node: 'n1', nodeSelector: 'all()' }, expect: cel('spec', 'node and nodeSelector cannot both be set'), good: { node: 'n1' } },
  { kind: 'BGPPeer', field: 'spec', rule: 'CEL', bad: { peerIP: '10.0.0.1', peerSelector: 'all()' }, expect: cel('spec', 'peerIP and peerSelector cannot both be set'), good: { peerSelector: 'all()' } },
  { kind: 'BGPPeer', field: 'spec', rule: 'CEL', bad: { peerSelector: 'all()', asNumber: 65000 }, expect: cel('spec', 'asNumber must be empty when peerSelector is set'), good: { peerSelector: 'all()', asNumber: 0 } },
  { kind: 'BGPPeer', field: 'spec', rule: 'CEL', bad: { localWorkloadSelector: 'all()', peerIP: '10.0.0.1', asNumber: 65000 }, expect: cel('spec', 'peerIP must be empty when localWorkloadSelector is set'), good: { localWorkloadSelector: 'all()', asNumber: 65000 } },
  { kind: 'BGPPeer', field: 'spec', rule: 'CEL', bad: { localWorkloadSelector: 'all()', peerSelector: 'all()', asNumber: 65000 }, expect: cel('spec', 'peerSelector must be empty when localWorkloadSelector is set') },
  { kind: 'BGPPeer', field: 'spec', rule: 'CEL', bad: { localWorkloadSelector: 'all()', asNumber: 0 }, expect: cel('spec', 'asNumber is required when localWorkloadSelector is set') },
  { kind: 'BGPPeer', field: 'spec', rule: 'CEL', bad: { reachableBy: '10.0.0.1' }, expect: cel('spec', 'reachableBy must be empty when peerIP is empty') },
  { kind: 'BGPPeer', field: 'spec', rule: 'CEL', bad: { keepOriginalNextHop: true, nextHopMode: 'Self' }, expect: cel('spec', 'keepOriginalNextHop and nextHopMode cannot both be set; keepOriginalNextHop is deprecated, use nextHopMode instead'), good: { nextHopMode: 'Self' } },
]

const bgpConfiguration: Row[] = [
  ...(['serviceClusterIPs', 'serviceExternalIPs', 'serviceLoadBalancerIPs'] as const).map((field): Row => ({
    kind: 'BGPConfiguration', field: `spec.${field}[].cidr`, rule: 'tag net', bad: { [field]: [{ cidr: '10.96.0.1/12' }] }, expect: tag('CIDR', 'net', '10.96.0.1/12'), good: { [field]: [{ cidr: '10.96.0.10/32' }, { cidr: 'fd00::/108' }] },
  })),
  // The `net` tag takes a bare address; the CRD's `format: cidr` does not.
  ...(['serviceClusterIPs', 'serviceExternalIPs', 'serviceLoadBalancerIPs'] as const).map((field): Row => ({
    kind: 'BGPConfiguration', field: `spec.${field}[].cidr`, rule: 'CRD format cidr', bad: { [field]: [{ cidr: '10.96.0.10' }] }, expect: notCidr(`spec.${field}[0].cidr`, '10.96.0.10'), all: [notCidr(`spec.${field}[0].cidr`, '10.96.0.10')],
  })),
  { kind: 'BGPConfiguration', field: 'spec.logSeverityScreen', rule: 'CRD pattern', bad: { logSeverityScreen: 'Verbose' }, expect: crd('spec.logSeverityScreen', `spec.logSeverityScreen in body should match '${LOG_LEVEL}'`), good: { logSeverityScreen: 'warning' } },
  { kind: 'BGPConfiguration', field: 'spec.communities[].name', rule: 'tag required', bad: { communities: [{ value: '100:200' }], prefixAdvertisements: [{ cidr: '10.0.0.0/8', communities: ['100:200'] }] }, expect: tag('Name', 'required', '') },
  { kind: 'BGPConfiguration', field: 'spec.communities[].name', rule: 'tag name', bad: { communities: [{ name: 'Big Community', value: '100:200' }], prefixAdvertisements: [{ cidr: '10.0.0.0/8', communities: ['100:200'] }] }, expect: tag('Name', 'name', 'Big Community'), good: { communities: [{ name: 'big-community', value: '100:200' }], prefixAdvertisements: [{ cidr: '10.0.0.0/8', communities: ['big-community'] }] } },
  { kind: 'BGPConfiguration', field: 'spec.communities[].value', rule: 'tag required', bad: { communities: [{ name: 'c1' }], prefixAdvertisements: [{ cidr: '10.0.0.0/8', communities: ['c1'] }] }, expect: tag('Value', 'required', '') },
  { kind: 'BGPConfiguration', field: 'spec.communities[].value', rule: 'validateBGPConfigurationSpec', bad: { communities: [{ name: 'c1', value: 'no-export' }], prefixAdvertisements: [{ cidr: '10.0.0.0/8', communities: ['c1'] }] }, expect: reason('Spec.Communities[].Value', 'no-export', 'invalid community value or format used.'), good: { communities: [{ name: 'c1', value: '65000:100:200' }], prefixAdvertisements: [{ cidr: '10.0.0.0/8', communities: ['c1'] }] } },
  { kind: 'BGPConfiguration', field: 'spec.communities[].value', rule: 'validateBGPConfigurationSpec', bad: { communities: [{ name: 'c1', value: '70000:1' }], prefixAdvertisements: [{ cidr: '10.0.0.0/8', communities: ['c1'] }] }, expect: reason('Spec.Communities[].Value', '70000:1', 'invalid community value, expected 16 bit value'), good: { communities: [{ name: 'c1', value: '65535:1' }], prefixAdvertisements: [{ cidr: '10.0.0.0/8', communities: ['c1'] }] } },
  { kind: 'BGPConfiguration', field: 'spec.communities[].value', rule: 'validateBGPConfigurationSpec', bad: { communities: [{ name: 'c1', value: '4294967296:1:1' }], prefixAdvertisements: [{ cidr: '10.0.0.0/8', communities: ['c1'] }] }, expect: reason('Spec.Communities[].Value', '4294967296:1:1', 'invalid community value, expected 32 bit value') },
  { kind: 'BGPConfiguration', field: 'spec.prefixAdvertisements[].cidr', rule: 'tag required', bad: { prefixAdvertisements: [{ communities: ['100:1'] }] }, expect: tag('CIDR', 'required', '') },
  { kind: 'BGPConfiguration', field: 'spec.prefixAdvertisements[].cidr', rule: 'tag net', bad: { prefixAdvertisements: [{ cidr: '10.0.0.1/8', communities: ['100:1'] }] }, expect: tag('CIDR', 'net', '10.0.0.1/8'), good: { prefixAdvertisements: [{ cidr: '10.0.0.1/32', communities: ['100:1'] }] } },
  { kind: 'BGPConfiguration', field: 'spec.prefixAdvertisements[].cidr', rule: 'CRD format cidr', bad: { prefixAdvertisements: [{ cidr: '10.0.0.1', communities: ['100:1'] }] }, expect: notCidr('spec.prefixAdvertisements[0].cidr', '10.0.0.1') },
  { kind: 'BGPConfiguration', field: 'spec.prefixAdvertisements[].cidr', rule: 'validateBGPConfigurationSpec', bad: { prefixAdvertisements: [{ cidr: 'nonsense', communities: ['100:1'] }] }, expect: reason('Spec.PrefixAdvertisement[].CIDR', 'nonsense', 'invalid CIDR value.') },
  { kind: 'BGPConfiguration', field: 'spec.prefixAdvertisements[].communities', rule: 'tag required', bad: { prefixAdvertisements: [{ cidr: '10.0.0.0/8' }] }, expect: tag('Communities', 'required', '[]'), good: { prefixAdvertisements: [{ cidr: '10.0.0.0/8', communities: [] }] } },
  { kind: 'BGPConfiguration', field: 'spec.prefixAdvertisements[].communities[]', rule: 'validateBGPConfigurationSpec', bad: { prefixAdvertisements: [{ cidr: '10.0.0.0/8', communities: ['undefined-name'] }] }, expect: reason('Spec.PrefixAdvertisement[].Communities[]', 'undefined-name', 'community used is invalid or not defined.') },
  { kind: 'BGPConfiguration', field: 'spec.prefixAdvertisements[].communities[]', rule: 'validateBGPConfigurationSpec', bad: { prefixAdvertisements: [{ cidr: '10.0.0.0/8', communities: ['1:70000'] }] }, expect: reason('Spec.PrefixAdvertisement[].Communities[]', '1:70000', 'invalid community value, expected 16 bit value') },
  { kind: 'BGPConfiguration', field: 'spec.ignoredInterfaces[i]', rule: 'tag ignoredInterface', bad: { ignoredInterfaces: ['eth0', '*'] }, expect: tag('IgnoredInterfaces[1]', 'ignoredInterface', '*'), good: { ignoredInterfaces: ['eth*', 'kube-ipvs0'] } },
  { kind: 'BGPConfiguration', field: 'spec.localWorkloadPeeringIPV4', rule: 'tag ipv4', bad: { localWorkloadPeeringIPV4: 'fd00::1' }, expect: tag('LocalWorkloadPeeringIPV4', 'ipv4', 'fd00::1'), good: { localWorkloadPeeringIPV4: '169.254.0.179' } },
  { kind: 'BGPConfiguration', field: 'spec.localWorkloadPeeringIPV6', rule: 'tag ipv6', bad: { localWorkloadPeeringIPV6: '10.0.0.1' }, expect: tag('LocalWorkloadPeeringIPV6', 'ipv6', '10.0.0.1'), good: { localWorkloadPeeringIPV6: 'fe80::179' } },
  { kind: 'BGPConfiguration', field: 'spec.ipv4NormalRoutePriority', rule: 'tag gte', bad: { ipv4NormalRoutePriority: 0 }, expect: tag('IPv4NormalRoutePriority', 'gte', 0), good: { ipv4NormalRoutePriority: 1 } },
  { kind: 'BGPConfiguration', field: 'spec.ipv6NormalRoutePriority', rule: 'tag lte', bad: { ipv6NormalRoutePriority: 2147483647 }, expect: tag('IPv6NormalRoutePriority', 'lte', 2147483647), good: { ipv6NormalRoutePriority: 2147483646 } },
  { kind: 'BGPConfiguration', field: 'spec', rule: 'CEL', bad: { nodeToNodeMeshEnabled: false, nodeMeshPassword: { secretKeyRef: { name: 's', key: 'k' } } }, expect: cel('spec', 'nodeMeshPassword cannot be set when nodeToNodeMeshEnabled is false'), good: { nodeToNodeMeshEnabled: true, nodeMeshPassword: { secretKeyRef: { name: 's', key: 'k' } } } },
  { kind: 'BGPConfiguration', field: 'spec', rule: 'CEL', bad: { nodeToNodeMeshEnabled: false, nodeMeshMaxRestartTime: '2m0s' }, expect: cel('spec', 'nodeMeshMaxRestartTime cannot be set when nodeToNodeMeshEnabled is false') },
  { kind: 'BGPConfiguration', field: 'spec', rule: 'CEL', bad: { communities: [{ name: 'c1', value: '100:1' }] }, expect: cel('spec', 'communities are defined but not used in prefixAdvertisements'), good: { communities: [] } },
  ...([
    ['nodeToNodeMeshEnabled', false, 'NodeToNodeMeshEnabled', 'nodeToNodeMeshEnabled'],
    ['asNumber', 65000, 'ASNumber', 'ASNumber'],
    ['serviceLoadBalancerIPs', [{ cidr: '10.1.0.0/16' }], 'ServiceLoadBalancerIPs', 'ServiceLoadBalancerIPs'],
    ['serviceExternalIPs', [{ cidr: '10.2.0.0/16' }], 'ServiceExternalIPs', 'ServiceExternalIPs'],
    ['serviceClusterIPs', [{ cidr: '10.96.0.0/12' }], 'ServiceClusterIPs', 'ServiceClusterIPs'],
    ['nodeMeshPassword', { secretKeyRef: { name: 's', key: 'k' } }, 'NodeMeshPassword', 'nodeMeshPassword'],
    ['nodeMeshMaxRestartTime', '2m0s', 'NodeMeshMaxRestartTime', 'nodeMeshMaxRestartTime'],
  ] as const).map(([field, value, goName, text]): Row => ({
    kind: 'BGPConfiguration', name: 'node.rack1', field: `spec.${field}`, rule: 'client (ValidateDefaultOnlyFields)', bad: { [field]: value }, expect: cel(`BGPConfiguration.Spec.${goName}`, `Cannot set ${text} on a non default BGP Configuration.`), good: { logSeverityScreen: 'Debug' },
  })),
]

const v4Rule = (r: Spec): Spec => ({ action: 'Accept', ...r })
const bgpFilter: Row[] = [
  { kind: 'BGPFilter', field: 'spec.exportV4[].cidr', rule: 'tag netv4', bad: { exportV4: [v4Rule({ cidr: 'fd00::/64', matchOperator: 'In' })] }, expect: tag('CIDR', 'netv4', 'fd00::/64'), good: { exportV4: [v4Rule({ cidr: '10.0.0.0/8', matchOperator: 'In' })] } },
  { kind: 'BGPFilter', field: 'spec.importV6[].cidr', rule: 'tag netv6', bad: { importV6: [v4Rule({ cidr: 'fd00::1/64', matchOperator: 'In' })] }, expect: tag('CIDR', 'netv6', 'fd00::1/64'), good: { importV6: [v4Rule({ cidr: 'fd00::/64', matchOperator: 'In' })] } },
  { kind: 'BGPFilter', field: 'spec.exportV4[].prefixLength.min', rule: 'tag bgpFilterPrefixLengthV4', bad: { exportV4: [v4Rule({ cidr: '10.0.0.0/8', matchOperator: 'In', prefixLength: { min: 33 } })] }, expect: tag('Min', 'bgpFilterPrefixLengthV4', 33), all: [tag('Min', 'bgpFilterPrefixLengthV4', 33), atMost('spec.exportV4[0].prefixLength.min', 32)], good: { exportV4: [v4Rule({ cidr: '10.0.0.0/8', matchOperator: 'In', prefixLength: { min: 32 } })] } },
  { kind: 'BGPFilter', field: 'spec.exportV6[].prefixLength.max', rule: 'tag bgpFilterPrefixLengthV6', bad: { exportV6: [v4Rule({ cidr: 'fd00::/8', matchOperator: 'In', prefixLength: { max: 129 } })] }, expect: tag('Max', 'bgpFilterPrefixLengthV6', 129), all: [tag('Max', 'bgpFilterPrefixLengthV6', 129), atMost('spec.exportV6[0].prefixLength.max', 128)] },
  { kind: 'BGPFilter', field: 'spec.importV4[].prefixLength.max', rule: 'tag bgpFilterPrefixLengthV4', bad: { importV4: [v4Rule({ cidr: '10.0.0.0/8', matchOperator: 'In', prefixLength: { max: -1 } })] }, expect: tag('Max', 'bgpFilterPrefixLengthV4', -1), all: [tag('Max', 'bgpFilterPrefixLengthV4', -1), atLeast('spec.importV4[0].prefixLength.max', 0)] },
  { kind: 'BGPFilter', field: 'spec.exportV4[].cidr', rule: 'CRD format cidr', bad: { exportV4: [v4Rule({ cidr: '10.0.0.0', matchOperator: 'In' })] }, expect: notCidr('spec.exportV4[0].cidr', '10.0.0.0'), all: [notCidr('spec.exportV4[0].cidr', '10.0.0.0')] },
  { kind: 'BGPFilter', field: 'spec.exportV4[].operations[]', rule: 'CRD minProperties', bad: { exportV4: [v4Rule({ operations: [{}] })] }, expect: crd('spec.exportV4[0].operations[0]', 'spec.exportV4[0].operations[0] in body should have at least 1 properties') },
  { kind: 'BGPFilter', field: 'spec.exportV4[].source', rule: 'tag oneof', bad: { exportV4: [v4Rule({ source: 'LocalPeers' })] }, expect: tag('Source', 'oneof', 'LocalPeers'), good: { exportV4: [v4Rule({ source: 'RemotePeers' })] } },
  { kind: 'BGPFilter', field: 'spec.exportV4[].interface', rule: 'tag bgpFilterInterface', bad: { exportV4: [v4Rule({ interface: 'ethernet-interface0' })] }, expect: tag('Interface', 'bgpFilterInterface', 'ethernet-interface0'), good: { exportV4: [v4Rule({ interface: 'eth*' })] } },
  { kind: 'BGPFilter', field: 'spec.importV4[].peerType', rule: 'tag oneof', bad: { importV4: [v4Rule({ peerType: 'confed' })] }, expect: tag('PeerType', 'oneof', 'confed'), good: { importV4: [v4Rule({ peerType: 'iBGP' })] } },
  { kind: 'BGPFilter', field: 'spec.importV4[].communities.values', rule: 'tag required', bad: { importV4: [v4Rule({ communities: {} })] }, expect: tag('Values', 'required', '[]'), all: [tag('Values', 'required', '[]'), isNull('spec.importV4[0].communities.values', 'array')], good: { importV4: [v4Rule({ communities: { values: ['65000:100'] } })] } },
  { kind: 'BGPFilter', field: 'spec.importV4[].priority', rule: 'tag gte', bad: { importV4: [v4Rule({ priority: 0 })] }, expect: tag('Priority', 'gte', 0), good: { importV4: [v4Rule({ priority: 512 })] } },
  { kind: 'BGPFilter', field: 'spec.importV4[].action', rule: 'tag required', bad: { importV4: [{ interface: 'eth0' }] }, expect: tag('Action', 'required', '') },
  { kind: 'BGPFilter', field: 'spec.exportV4[].operations[].addCommunity.value', rule: 'tag required', bad: { exportV4: [v4Rule({ operations: [{ addCommunity: {} }] })] }, expect: tag('Value', 'required', '<nil>'), all: [tag('Value', 'required', '<nil>'), isNull('spec.exportV4[0].operations[0].addCommunity.value', 'string')], good: { exportV4: [v4Rule({ operations: [{ addCommunity: { value: '65000:1' } }] })] } },
  { kind: 'BGPFilter', field: 'spec.exportV4[].operations[].prependASPath.prefix', rule: 'tag required', bad: { exportV4: [v4Rule({ operations: [{ prependASPath: {} }] })] }, expect: tag('Prefix', 'required', '[]'), all: [tag('Prefix', 'required', '[]'), isNull('spec.exportV4[0].operations[0].prependASPath.prefix', 'array')], good: { exportV4: [v4Rule({ operations: [{ prependASPath: { prefix: [65000] } }] })] } },
  { kind: 'BGPFilter', field: 'spec.exportV4[].operations[].setPriority.value', rule: 'tag required', bad: { exportV4: [v4Rule({ operations: [{ setPriority: {} }] })] }, expect: tag('Value', 'required', '<nil>'), all: [tag('Value', 'required', '<nil>'), isNull('spec.exportV4[0].operations[0].setPriority.value', 'integer')] },
  { kind: 'BGPFilter', field: 'spec.exportV4[].operations[].setPriority.value', rule: 'tag gte', bad: { exportV4: [v4Rule({ operations: [{ setPriority: { value: 0 } }] })] }, expect: tag('Value', 'gte', 0), good: { exportV4: [v4Rule({ operations: [{ setPriority: { value: 100 } }] })] } },
  { kind: 'BGPFilter', field: 'spec.exportV4[i]', rule: 'CEL', bad: { exportV4: [v4Rule({ cidr: '10.0.0.0/8' })] }, expect: cel('spec.exportV4[0]', 'cidr and matchOperator must both be set or both be empty') },
  { kind: 'BGPFilter', field: 'spec.importV6[i]', rule: 'CEL', bad: { importV6: [v4Rule({ prefixLength: { min: 64 } })] }, expect: cel('spec.importV6[0]', 'cidr is required when prefixLength is set') },
  { kind: 'BGPFilter', field: 'spec.exportV6[i]', rule: 'CEL', bad: { exportV6: [{ action: 'Reject', operations: [{ setPriority: { value: 10 } }] }] }, expect: cel('spec.exportV6[0]', 'operations may only be used with action Accept') },
]

const WG_KEY = Buffer.alloc(32, 7).toString('base64')
const node: Row[] = [
  { kind: 'Node', field: 'status.wireguardPublicKey', rule: 'tag wireguardPublicKey', bad: {}, expect: '', good: {}, status: { wireguardPublicKey: WG_KEY } },
  { kind: 'Node', field: 'spec.bgp', rule: 'validateNodeSpec', bad: { bgp: {} }, expect: reason('BGP', '&{<nil>    }', 'Spec.BGP should not be empty'), good: { bgp: { ipv4Address: '10.0.0.1/24' } } },
  { kind: 'Node', field: 'spec.bgp.ipv4Address', rule: 'tag cidrv4', bad: { bgp: { ipv4Address: 'fd00::1/64' } }, expect: tag('IPv4Address', 'cidrv4', 'fd00::1/64'), good: { bgp: { ipv4Address: '10.0.0.1' } } },
  { kind: 'Node', field: 'spec.bgp.ipv6Address', rule: 'tag cidrv6', bad: { bgp: { ipv6Address: '10.0.0.1/24' } }, expect: tag('IPv6Address', 'cidrv6', '10.0.0.1/24'), good: { bgp: { ipv6Address: 'fd00::1/64' } } },
  { kind: 'Node', field: 'spec.bgp.ipv4IPIPTunnelAddr', rule: 'tag ipv4', bad: { bgp: { ipv4IPIPTunnelAddr: '10.0.0.1/32' } }, expect: tag('IPv4IPIPTunnelAddr', 'ipv4', '10.0.0.1/32'), good: { bgp: { ipv4IPIPTunnelAddr: '10.0.0.1' } } },
  { kind: 'Node', field: 'spec.bgp.routeReflectorClusterID', rule: 'tag ipv4', bad: { bgp: { routeReflectorClusterID: 'rr1' } }, expect: tag('RouteReflectorClusterID', 'ipv4', 'rr1'), good: { bgp: { routeReflectorClusterID: '224.0.0.1' } } },
  { kind: 'Node', field: 'spec.ipv4VXLANTunnelAddr', rule: 'tag ipv4', bad: { ipv4VXLANTunnelAddr: 'fd00::1' }, expect: tag('IPv4VXLANTunnelAddr', 'ipv4', 'fd00::1'), good: { ipv4VXLANTunnelAddr: '10.0.0.1' } },
  { kind: 'Node', field: 'spec.ipv6VXLANTunnelAddr', rule: 'tag ipv6', bad: { ipv6VXLANTunnelAddr: '10.0.0.1' }, expect: tag('IPv6VXLANTunnelAddr', 'ipv6', '10.0.0.1'), good: { ipv6VXLANTunnelAddr: 'fd00::1' } },
  { kind: 'Node', field: 'spec.vxlanTunnelMACAddr', rule: 'tag mac', bad: { vxlanTunnelMACAddr: 'ee:ee:ee' }, expect: tag('VXLANTunnelMACAddr', 'mac', 'ee:ee:ee'), good: { vxlanTunnelMACAddr: 'eeee.eeee.eeee' } },
  { kind: 'Node', field: 'spec.vxlanTunnelMACAddrV6', rule: 'tag mac', bad: { vxlanTunnelMACAddrV6: 'not-a-mac' }, expect: tag('VXLANTunnelMACAddrV6', 'mac', 'not-a-mac'), good: { vxlanTunnelMACAddrV6: '66:3a:bb:40:15:31' } },
  { kind: 'Node', field: 'spec.wireguard.interfaceIPv4Address', rule: 'tag ipv4', bad: { wireguard: { interfaceIPv4Address: '10.0.0.1/32' } }, expect: tag('InterfaceIPv4Address', 'ipv4', '10.0.0.1/32'), good: { wireguard: { interfaceIPv4Address: '10.0.0.1' } } },
  { kind: 'Node', field: 'status.wireguardPublicKey', rule: 'tag wireguardPublicKey', bad: {}, status: { wireguardPublicKey: 'not-a-key' }, expect: tag('WireguardPublicKey', 'wireguardPublicKey', 'not-a-key') },
  { kind: 'Node', field: 'status.wireguardPublicKeyV6', rule: 'tag wireguardPublicKey', bad: {}, status: { wireguardPublicKeyV6: Buffer.alloc(31).toString('base64') }, expect: tag('WireguardPublicKeyV6', 'wireguardPublicKey', Buffer.alloc(31).toString('base64')) },
  { kind: 'Node', field: 'spec.wireguard.interfaceIPv6Address', rule: 'tag ipv6', bad: { wireguard: { interfaceIPv6Address: '10.0.0.1' } }, expect: tag('InterfaceIPv6Address', 'ipv6', '10.0.0.1'), good: { wireguard: { interfaceIPv6Address: 'fd00::1' } } },
]

const hostEndpoint: Row[] = [
  { kind: 'HostEndpoint', field: 'spec.node', rule: 'tag name', bad: { node: 'Host 1' }, expect: tag('Node', 'name', 'Host 1'), good: { node: 'host-1.example.com' } },
  { kind: 'HostEndpoint', field: 'spec.interfaceName', rule: 'tag interface', bad: { interfaceName: 'wibblywobblyeth0' }, expect: tag('InterfaceName', 'interface', 'wibblywobblyeth0'), good: { interfaceName: '*' } },
  { kind: 'HostEndpoint', field: 'spec.expectedIPs[i]', rule: 'tag ip', bad: { expectedIPs: ['10.0.0.300'] }, expect: tag('ExpectedIPs[0]', 'ip', '10.0.0.300'), good: { expectedIPs: ['10.0.0.30', 'fd00::30'] } },
  { kind: 'HostEndpoint', field: 'spec.profiles[i]', rule: 'tag name', bad: { profiles: ['Prof1'] }, expect: tag('Profiles[0]', 'name', 'Prof1'), good: { profiles: ['prof1'] } },
  { kind: 'HostEndpoint', field: 'spec.ports[].name', rule: 'tag portName', bad: { ports: [{ name: 'Bad_Name', port: 80, protocol: 'TCP' }] }, expect: tag('Name', 'portName', 'Bad_Name'), good: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } },
  { kind: 'HostEndpoint', field: 'spec.ports[].protocol', rule: 'validateProtocol', bad: { ports: [{ name: 'http', port: 80, protocol: 'XTP' }] }, expect: reason('Protocol', 'XTP', 'protocol name invalid') },
  { kind: 'HostEndpoint', field: 'spec.ports[].port', rule: 'tag gt', bad: { ports: [{ name: 'http', port: 0, protocol: 'TCP' }] }, expect: tag('Port', 'gt', 0) },
  { kind: 'HostEndpoint', field: 'spec.ports[].protocol', rule: 'validateEndpointPort', bad: { ports: [{ name: 'ping', port: 1, protocol: 'ICMP' }] }, expect: reason('EndpointPort.Protocol', 'ICMP', 'EndpointPort protocol does not support ports.'), good: { ports: [{ name: 'sctp', port: 1, protocol: 'SCTP' }] } },
  { kind: 'HostEndpoint', field: 'spec', rule: 'CEL', bad: { interfaceName: undefined }, expect: cel('spec', 'at least one of interfaceName or expectedIPs must be specified'), good: { interfaceName: undefined, expectedIPs: ['10.0.0.1'] } },
  { kind: 'HostEndpoint', field: 'spec', rule: 'CEL', bad: { node: undefined }, expect: cel('spec', 'node must be specified') },
]

const sets: Row[] = (['NetworkSet', 'GlobalNetworkSet'] as const).flatMap((kind): Row[] => [
  { kind, field: 'spec.nets[i]', rule: 'tag cidr', bad: { nets: ['10.0.0.0/8', '10.0.0.300/24'] }, expect: tag('Nets[1]', 'cidr', '10.0.0.300/24'), good: { nets: ['10.0.0.1/8', '10.0.0.2', 'fd00::/64'] } },
  { kind, field: 'metadata.labels', rule: `validate${kind}`, bad: {}, labels: { 'projectcalico.org/namespace': 'shop' }, expect: reason('Metadata.Labels (label)', 'projectcalico.org/namespace', 'projectcalico.org/namespace is not a valid label name') },
])

const ipReservation: Row[] = [
  { kind: 'IPReservation', field: 'spec.reservedCIDRs', rule: 'tag cidrs', bad: { reservedCIDRs: ['10.0.0.0/24', 'nonsense'] }, expect: tag('ReservedCIDRs', 'cidrs', '[10.0.0.0/24 nonsense]'), good: { reservedCIDRs: ['10.0.0.0/24', '10.1.0.1/32'] } },
  { kind: 'IPReservation', field: 'spec.reservedCIDRs[i]', rule: 'CRD format cidr', bad: { reservedCIDRs: ['10.0.0.0/24', '10.1.0.1'] }, expect: notCidr('spec.reservedCIDRs[1]', '10.1.0.1'), all: [notCidr('spec.reservedCIDRs[1]', '10.1.0.1')] },
]

const ipamConfiguration: Row[] = [
  { kind: 'IPAMConfiguration', field: 'spec.maxBlocksPerHost', rule: 'validateIPAMConfigSpec', bad: { maxBlocksPerHost: -1 }, expect: reason('MaxBlocksPerHost', -1, 'must be greater than or equal to 0'), all: [reason('MaxBlocksPerHost', -1, 'must be greater than or equal to 0'), atLeast('spec.maxBlocksPerHost', 0)], good: { maxBlocksPerHost: 0 } },
  { kind: 'IPAMConfiguration', field: 'spec.maxBlocksPerHost', rule: 'CRD maximum', bad: { maxBlocksPerHost: 1000001 }, expect: atMost('spec.maxBlocksPerHost', 1000000), all: [atMost('spec.maxBlocksPerHost', 1000000)], good: { maxBlocksPerHost: 1000000 } },
  // validate runs the validator alone: the client's check of the name never comes.
  { kind: 'IPAMConfiguration', name: 'other', operation: 'validate', field: 'metadata.name', rule: 'validator only', bad: { maxBlocksPerHost: -1 }, expect: reason('MaxBlocksPerHost', -1, 'must be greater than or equal to 0'), all: [reason('MaxBlocksPerHost', -1, 'must be greater than or equal to 0'), atLeast('spec.maxBlocksPerHost', 0)], good: {} },
  { kind: 'IPAMConfiguration', name: 'other', field: 'metadata.name', rule: 'client', bad: {}, expect: 'Cannot create an IPAMConfiguration resource with a name other than "default"' },
]

const ipPool: Row[] = [
  { kind: 'IPPool', field: 'spec.cidr', rule: 'client', bad: { cidr: undefined }, expect: 'IPPool.Spec.CIDR (IPPool CIDR must be specified)' },
  { kind: 'IPPool', field: 'spec.cidr', rule: 'client', bad: { cidr: '10.0.1.0/33' }, expect: reason('IPPool.Spec.CIDR', '10.0.1.0/33', 'IPPool CIDR must be a valid subnet'), good: { cidr: '10.0.1.0/24' } },
  { kind: 'IPPool', field: 'spec.cidr', rule: 'client', bad: { cidr: 'fd5f::1/123' }, expect: reason('IPPool.Spec.CIDR', 'fd5f::/123', 'IPPool CIDR is not strictly masked'), good: { cidr: 'fd5f::/122' } },
  { kind: 'IPPool', field: 'spec.allowedUses', rule: 'validateIPPoolSpec', bad: { allowedUses: ['Workload', 'Pods'] }, expect: reason('IPpool.AllowedUses', '[Workload Pods]', 'unknown use: Pods'), good: { allowedUses: ['Tunnel'] } },
  { kind: 'IPPool', field: 'spec.nodeSelector', rule: 'tag selector', bad: { nodeSelector: 'zone ==' }, expect: tag('NodeSelector', 'selector', 'zone =='), good: { nodeSelector: "zone == 'a'" } },
  { kind: 'IPPool', field: 'spec.namespaceSelector', rule: 'tag selector', bad: { namespaceSelector: 'x y' }, expect: tag('NamespaceSelector', 'selector', 'x y'), good: { namespaceSelector: 'has(team)', allowedUses: ['Workload'] } },
  { kind: 'IPPool', field: 'spec', rule: 'CEL', bad: { ipipMode: 'Always', vxlanMode: 'Always' }, expect: cel('spec', 'ipipMode and vxlanMode cannot both be enabled'), good: { ipipMode: 'Always', vxlanMode: 'Never' } },
  { kind: 'IPPool', field: 'spec', rule: 'CEL', bad: { allowedUses: ['LoadBalancer'], vxlanMode: 'Always' }, expect: cel('spec', 'LoadBalancer IP pool cannot have IPIP or VXLAN enabled'), good: { allowedUses: ['LoadBalancer'] } },
  { kind: 'IPPool', field: 'spec', rule: 'CEL', bad: { allowedUses: ['LoadBalancer', 'Workload'] }, expect: cel('spec', 'LoadBalancer cannot be combined with Workload or Tunnel allowed uses') },
  { kind: 'IPPool', field: 'spec', rule: 'CEL', bad: { cidr: 'fd00::/64', ipipMode: 'CrossSubnet' }, expect: cel('spec', 'IPIP is not supported on IPv6 pools'), good: { cidr: 'fd00::/64', vxlanMode: 'CrossSubnet' } },
  { kind: 'IPPool', field: 'spec', rule: 'CEL', bad: { allowedUses: ['LoadBalancer'], disableBGPExport: true }, expect: cel('spec', 'LoadBalancer IP pools cannot disable BGP export') },
  { kind: 'IPPool', field: 'spec', rule: 'CEL', bad: { allowedUses: ['LoadBalancer'], nodeSelector: "zone == 'a'" }, expect: cel('spec', 'IP Pool with AllowedUse LoadBalancer must have nodeSelector set to all()') },
  { kind: 'IPPool', field: 'spec', rule: 'CEL', bad: { namespaceSelector: 'has(team)' }, expect: cel('spec', 'IP Pool with AllowedUse Tunnel cannot have namespaceSelector') },
  { kind: 'IPPool', field: 'spec', rule: 'CEL', bad: { nodeSelector: 'global()' }, expect: cel('spec', 'global() selector is not valid for IPPool nodeSelector') },
  { kind: 'IPPool', field: 'spec', rule: 'CEL', bad: { allowedUses: ['Workload'], namespaceSelector: 'global()' }, expect: cel('spec', 'global() selector is not valid for IPPool namespaceSelector') },
  { kind: 'IPPool', field: 'spec', rule: 'CEL', bad: { cidr: '169.254.0.0/24' }, expect: cel('spec', 'IPPool CIDR overlaps with IPv4 link local range 169.254.0.0/16') },
  { kind: 'IPPool', field: 'spec', rule: 'CEL', bad: { cidr: 'fe80::/64' }, expect: cel('spec', 'IPPool CIDR overlaps with IPv6 link local range fe80::/10') },
  { kind: 'IPPool', field: 'spec', rule: 'CEL', bad: { blockSize: 19 }, expect: cel('spec', 'blockSize must be between 20 and 32 for IPv4 pools, and between 116 and 128 for IPv6 pools'), good: { blockSize: 20 } },
  { kind: 'IPPool', field: 'spec', rule: 'CEL', bad: { cidr: '192.168.0.0/27' }, expect: cel('spec', 'IP pool size is too small for use with Calico IPAM. It must be equal to or greater than the block size.'), good: { cidr: '192.168.0.0/27', disabled: true } },
  { kind: 'IPPool', field: 'spec.cidr', rule: 'client (update)', existing: { cidr: '10.0.0.0/16' }, bad: { cidr: '10.1.0.0/16' }, expect: reason('IPPool.Spec.CIDR', '10.1.0.0/16', 'IPPool CIDR cannot be modified'), good: { cidr: '10.0.0.0/16' } },
  { kind: 'IPPool', field: 'spec.blockSize', rule: 'client (update)', existing: { cidr: '10.0.0.0/16', blockSize: 26 }, bad: { blockSize: 27 }, expect: reason('IPPool.Spec.BlockSize', 27, 'IPPool BlockSize cannot be modified'), good: { blockSize: 26 } },
  // validate: the validator alone, on the CIDR as written (no client parsing or canonical form).
  { kind: 'IPPool', operation: 'validate', field: 'spec.cidr', rule: 'tag net, validateIPPoolSpec, CEL', bad: { cidr: '10.0.0.1/16' }, expect: reason('IPpool.CIDR', '10.0.0.1/16', 'IP pool CIDR is not strictly masked'), all: [tag('CIDR', 'net', '10.0.0.1/16'), reason('IPpool.CIDR', '10.0.0.1/16', 'IP pool CIDR is not strictly masked'), cel('spec', 'IPPool CIDR must be strictly masked')], good: { cidr: '10.0.0.0/16' } },
  {
    kind: 'IPPool', operation: 'validate', field: 'spec.cidr', rule: 'tag net, validateIPPoolSpec, CRD format, CEL', bad: { cidr: undefined }, expect: reason('IPpool.CIDR', '', 'IPPool CIDR must be specified'),
    all: [tag('CIDR', 'net', ''), reason('IPpool.CIDR', '', 'IPPool CIDR must be specified'), reason('IPpool.CIDR', '', 'IPPool CIDR must be a valid subnet'), notCidr('spec.cidr', ''), ...CIDR_RULES.map((m) => cidrError('', m))],
  },
  // cnet.ParseCIDROrIP takes a bare address; the CRD's format and cidr() do not.
  { kind: 'IPPool', operation: 'validate', field: 'spec.cidr', rule: 'CRD format, CEL', bad: { cidr: '10.0.0.1' }, expect: notCidr('spec.cidr', '10.0.0.1'), all: [notCidr('spec.cidr', '10.0.0.1'), ...CIDR_RULES.map((m) => cidrError('10.0.0.1', m))] },
  // With IPIP on, the IPv6 rule needs the CIDR too; a block size brings in the block size rule.
  {
    kind: 'IPPool', operation: 'validate', field: 'spec.cidr', rule: 'CEL', bad: { cidr: '10.0.0.1', ipipMode: 'Always', blockSize: 26, disabled: true }, expect: cidrError('10.0.0.1', 'IPIP is not supported on IPv6 pools'),
    all: [notCidr('spec.cidr', '10.0.0.1'), cidrError('10.0.0.1', 'IPIP is not supported on IPv6 pools'), ...CIDR_RULES.slice(0, 3).map((m) => cidrError('10.0.0.1', m)), cidrError('10.0.0.1', 'blockSize must be between 20 and 32 for IPv4 pools, and between 116 and 128 for IPv6 pools')],
  },
  // The CRD's default nodeSelector (all()) is applied before its rules; the block size rule uses the family's default.
  { kind: 'IPPool', operation: 'validate', field: 'spec.nodeSelector', rule: 'CRD default', bad: { cidr: '10.0.0.0/28' }, expect: cel('spec', CIDR_RULES[3]), all: [cel('spec', CIDR_RULES[3])], good: { allowedUses: ['LoadBalancer'] } },
  { kind: 'IPPool', field: 'spec.allowedUses', rule: 'client (update)', existing: { cidr: '10.0.0.0/16', allowedUses: ['LoadBalancer'] }, bad: { allowedUses: ['Workload'] }, expect: reason('IPPool.Spec.AllowedUses', '[Workload]', 'IPPool allowed use cannot be changed from LoadBalacer to Workload or Tunnel'), good: { allowedUses: ['LoadBalancer'] } },
]

/** FelixConfiguration fields with a numeric or string tag: field, Go name, value breaking it, tag, value keeping it. */
const FELIX_TAGS: Array<[field: string, goName: string, bad: unknown, tagName: string, good: unknown]> = [
  ['featureDetectOverride', 'FeatureDetectOverride', 'SNATFullyRandom', 'keyValueList', 'SNATFullyRandom=true,'],
  ['featureGates', 'FeatureGates', 'a=b,c', 'keyValueList', 'BPFConnectTimeLoadBalancingWorkaround=enabled'],
  ['logDebugFilenameRegex', 'LogDebugFilenameRegex', '(', 'regexp', 'calc.*\\.go'],
  ['prometheusMetricsHost', 'PrometheusMetricsHost', 'metrics host', 'prometheusHost', 'fd00::1'],
  ['prometheusMetricsClientAuth', 'PrometheusMetricsClientAuth', 'Always', 'oneof', 'RequireAndVerifyClientCert'],
  ['natOutgoingExclusions', 'NATOutgoingExclusions', 'None', 'oneof', 'IPPoolsAndHostIPs'],
  ['debugPort', 'DebugPort', 65536, 'lte', 6060],
  ['iptablesNATOutgoingInterfaceFilter', 'IptablesNATOutgoingInterfaceFilter', 'eth/0', 'ifaceFilter', 'eth+'],
  ['nftablesFlowTableDataIfacePattern', 'NFTablesFlowTableDataIfacePattern', '[a-', 'regexp', '^eth[0-9]+$'],
  ['bpfOverlayHostSourceIP', 'BPFOverlayHostSourceIP', 'NodeAddress', 'oneof', 'TunnelAddress'],
  ['bpfJITHardening', 'BPFJITHardening', 'Off', 'oneof', 'Strict'],
  ['bpfConntrackLogLevel', 'BPFConntrackLogLevel', 'Info', 'oneof', 'Debug'],
  ['bpfConntrackMode', 'BPFConntrackCleanupMode', 'Kernel', 'oneof', 'BPFProgram'],
  ['bpfDataIfacePattern', 'BPFDataIfacePattern', '*eth', 'regexp', '^eth'],
  ['bpfL3IfacePattern', 'BPFL3IfacePattern', '(?<=a)b', 'regexp', 'wg0'],
  ['bpfConnectTimeLoadBalancing', 'BPFConnectTimeLoadBalancing', 'UDP', 'oneof', 'Disabled'],
  ['bpfHostNetworkedNATWithoutCTLB', 'BPFHostNetworkedNATWithoutCTLB', 'TCP', 'oneof', 'Disabled'],
  ['bpfDSROptoutCIDRs', 'BPFDSROptoutCIDRs', ['nonsense'], 'cidrs', ['10.0.0.0/8']],
  ['bpfExtToServiceConnmark', 'BPFExtToServiceConnmark', -1, 'gte', 0],
  ['bpfKubeProxyHealthzPort', 'BPFKubeProxyHealthzPort', 65536, 'lte', 10256],
  ['bpfMapSizeConntrackCleanupQueue', 'BPFMapSizeConntrackCleanupQueue', 0, 'gte', 100000],
  ['bpfForceTrackPacketsFromIfaces', 'BPFForceTrackPacketsFromIfaces', ['docker/0'], 'ifaceFilterSlice', ['docker+']],
  ['bpfDisableGROForIfaces', 'BPFDisableGROForIfaces', ')', 'regexp', 'eth.*'],
  ['bpfExcludeCIDRsFromNAT', 'BPFExcludeCIDRsFromNAT', ['10.0.0.0/33'], 'cidrs', ['10.0.0.1/8']],
  ['bpfAttachType', 'BPFAttachType', 'XDP', 'oneof', 'TCX'],
  ['ipv4NormalRoutePriority', 'IPv4NormalRoutePriority', 0, 'gte', 1],
  ['ipv4ElevatedRoutePriority', 'IPv4ElevatedRoutePriority', 2147483647, 'lte', 2147483646],
  ['ipv6NormalRoutePriority', 'IPv6NormalRoutePriority', 0, 'gte', 1024],
  ['ipv6ElevatedRoutePriority', 'IPv6ElevatedRoutePriority', 0, 'gte', 512],
  ['wireguardListeningPort', 'WireguardListeningPort', 0, 'gt', 51820],
  ['wireguardListeningPortV6', 'WireguardListeningPortV6', 65536, 'lte', 51821],
  ['wireguardRoutingRulePriority', 'WireguardRoutingRulePriority', 32766, 'lt', 99],
  ['wireguardInterfaceName', 'WireguardInterfaceName', 'wireguard.cali-v4', 'interface', 'wireguard.cali'],
  ['wireguardInterfaceNameV6', 'WireguardInterfaceNameV6', 'wg v6', 'interface', 'wg-v6.cali'],
  ['awsSrcDstCheck', 'AWSSrcDstCheck', 'Toggle', 'oneof', 'DoNothing'],
  ['serviceLoopPrevention', 'ServiceLoopPrevention', 'Allow', 'oneof', 'Reject'],
  ['workloadSourceSpoofing', 'WorkloadSourceSpoofing', 'All', 'oneof', 'Any'],
  ['mtuIfacePattern', 'MTUIfacePattern', '[', 'regexp', '^((en|wl|ww|sl|ib)[opsx].*|(eth|wlan|wwan).*)'],
  ['localSubnetL2Reachability', 'LocalSubnetL2Reachability', 'Pods', 'oneof', 'PodsAndLoadBalancers'],
  ['windowsManageFirewallRules', 'WindowsManageFirewallRules', 'Yes', 'oneof', 'Enabled'],
  ['goGCThreshold', 'GoGCThreshold', -2, 'gte', -1],
  ['goMemoryLimitMB', 'GoMemoryLimitMB', -2, 'gte', 1024],
  ['goMaxProcs', 'GoMaxProcs', -2, 'gte', 4],
  ['bpfMaglevMaxEndpointsPerService', 'BPFMaglevMaxEndpointsPerService', 3001, 'lte', 100],
  ['bpfMaglevMaxServices', 'BPFMaglevMaxServices', 0, 'gt', 3000],
]

const goListText = (v: unknown): string => (Array.isArray(v) ? `[${v.join(' ')}]` : String(v))

const felixConfiguration: Row[] = [
  ...FELIX_TAGS.map(([field, goName, bad, tagName, good]): Row => ({
    kind: 'FelixConfiguration', field: `spec.${field}`, rule: `tag ${tagName}`, bad: { [field]: bad }, expect: tag(goName, tagName, goListText(bad)), good: { [field]: good },
  })),
  // The CRD's patterns are Go's (?i) ones: errors quote them as the CRD writes them.
  ...(['logSeverityScreen', 'logSeverityFile', 'logSeveritySys'] as const).map((field): Row => ({
    kind: 'FelixConfiguration', field: `spec.${field}`, rule: 'CRD pattern', bad: { [field]: 'Verbose' }, expect: crd(`spec.${field}`, `spec.${field} in body should match '${LOG_LEVEL}'`), all: [crd(`spec.${field}`, `spec.${field} in body should match '${LOG_LEVEL}'`)], good: { [field]: 'DEBUG' },
  })),
  { kind: 'FelixConfiguration', field: 'spec.bpfLogLevel', rule: 'CRD pattern', bad: { bpfLogLevel: 'Chatty' }, expect: crd('spec.bpfLogLevel', "spec.bpfLogLevel in body should match '^(?i)(Off|Info|Debug)?$'"), good: { bpfLogLevel: 'debug' } },
  { kind: 'FelixConfiguration', field: 'spec.bpfLogFilters', rule: 'tag bpfLogFilters', bad: { bpfLogFilters: { 'eth/0': 'tcp' } }, expect: tag('BPFLogFilters', 'bpfLogFilters', 'map[eth/0:tcp]'), good: { bpfLogFilters: { eth0: 'tcp', all: 'host 10.0.0.1' } } },
  { kind: 'FelixConfiguration', field: 'spec.healthTimeoutOverrides[].name', rule: 'validateHealthTimeoutOverride', bad: { healthTimeoutOverrides: [{ name: 'Calc/Graph', timeout: '30s' }] }, expect: reason('HealthTimeoutOverride.Name', '{Calc/Graph 30s}', 'name should match regex ^[a-zA-Z0-9_ -]+$'), good: { healthTimeoutOverrides: [{ name: 'CalculationGraph', timeout: '30s' }] } },
  { kind: 'FelixConfiguration', field: 'spec.healthTimeoutOverrides[].timeout', rule: 'validateHealthTimeoutOverride', bad: { healthTimeoutOverrides: [{ name: 'InternalDataplaneMainLoop', timeout: '-1s' }] }, expect: reason('HealthTimeoutOverride.Timeout', '{InternalDataplaneMainLoop -1s}', 'Timeout should not be negative') },
  { kind: 'FelixConfiguration', field: 'spec.kubeNodePortRanges[]', rule: 'validatePort', bad: { kubeNodePortRanges: ['0:100'] }, expect: reason('Port', 0, 'port range invalid, port number must be between 1 and 65535'), good: { kubeNodePortRanges: ['30000:32767'] } },
  { kind: 'FelixConfiguration', field: 'spec.kubeNodePortRanges', rule: 'validateFelixConfigSpec', bad: { kubeNodePortRanges: [1, 2, 3, 4, 5, 6, 7, 8] }, expect: reason('KubeNodePortRanges', '[1 2 3 4 5 6 7 8]', 'node port ranges list is too long (max 7)'), good: { kubeNodePortRanges: [1, 2, 3, 4, 5, 6, 7] } },
  { kind: 'FelixConfiguration', field: 'spec.kubeNodePortRanges', rule: 'validateFelixConfigSpec', bad: { kubeNodePortRanges: ['http'] }, expect: reason('KubeNodePortRanges', '[http]', 'node port ranges should not contain named ports') },
  { kind: 'FelixConfiguration', field: 'spec.natPortRange', rule: 'validatePort', bad: { natPortRange: '0:1024' }, expect: reason('Port', 0, 'port range invalid, port number must be between 1 and 65535'), good: { natPortRange: '32768:65535' } },
  { kind: 'FelixConfiguration', field: 'spec.externalNodesList', rule: 'validateFelixConfigSpec', bad: { externalNodesList: ['nonsense'] }, expect: reason('ExternalNodesCIDRList', 'nonsense', 'has invalid CIDR(s)'), good: { externalNodesList: ['10.0.0.0/8', '192.168.1.1'] } },
  { kind: 'FelixConfiguration', field: 'spec.externalNodesList', rule: 'validateFelixConfigSpec', bad: { externalNodesList: ['fd00::/64'] }, expect: reason('ExternalNodesCIDRList', 'fd00::/64', 'has invalid IPv6 CIDR') },
  { kind: 'FelixConfiguration', field: 'spec.openstackRegion', rule: 'validateFelixConfigSpec', bad: { openstackRegion: 'Region_One' }, expect: reason('OpenstackRegion', 'Region_One', 'must be a valid DNS label'), good: { openstackRegion: 'region-one' } },
  { kind: 'FelixConfiguration', field: 'spec.openstackRegion', rule: 'validateFelixConfigSpec', bad: { openstackRegion: 'r'.repeat(47) }, expect: reason('OpenstackRegion', 'r'.repeat(47), 'is too long'), good: { openstackRegion: 'r'.repeat(46) } },
  { kind: 'FelixConfiguration', field: 'spec.natOutgoingAddress', rule: 'validateFelixConfigSpec', bad: { natOutgoingAddress: '10.0.0.300' }, expect: reason('NATOutgoingAddress', '10.0.0.300', 'is not a valid IP address'), good: { natOutgoingAddress: '10.0.0.30' } },
  { kind: 'FelixConfiguration', field: 'spec.natOutgoingAddress', rule: 'CEL', bad: { natOutgoingAddress: 'fd00::1' }, expect: cel('spec', 'natOutgoingAddress must be a valid IPv4 address') },
  { kind: 'FelixConfiguration', field: 'spec.deviceRouteSourceAddress', rule: 'validateFelixConfigSpec', bad: { deviceRouteSourceAddress: 'host' }, expect: reason('DeviceRouteSourceAddress', 'host', 'is not a valid IP address'), good: { deviceRouteSourceAddress: '10.0.0.1' } },
  { kind: 'FelixConfiguration', field: 'spec.deviceRouteSourceAddress', rule: 'CEL', bad: { deviceRouteSourceAddress: 'fd00::1' }, expect: cel('spec', 'deviceRouteSourceAddress must be a valid IPv4 address') },
  { kind: 'FelixConfiguration', field: 'spec.deviceRouteSourceAddressIPv6', rule: 'validateFelixConfigSpec', bad: { deviceRouteSourceAddressIPv6: 'host' }, expect: reason('DeviceRouteSourceAddressIPv6', 'host', 'is not a valid IP address'), good: { deviceRouteSourceAddressIPv6: 'fd00::1' } },
  { kind: 'FelixConfiguration', field: 'spec.deviceRouteSourceAddressIPv6', rule: 'CEL', bad: { deviceRouteSourceAddressIPv6: '10.0.0.1' }, expect: cel('spec', 'deviceRouteSourceAddressIPv6 must be a valid IPv6 address') },
  { kind: 'FelixConfiguration', field: 'spec.routeTableRanges', rule: 'validateFelixConfigSpec', bad: { routeTableRanges: [{ min: 1, max: 70000 }] }, expect: reason('RouteTableRanges', '&[{1 70000}]', 'targets too many tables'), good: { routeTableRanges: [{ min: 1, max: 65535 }] } },
  { kind: 'FelixConfiguration', field: 'spec.routeTableRanges[]', rule: 'validateRouteTableIDRange', bad: { routeTableRanges: [{ min: 0, max: 10 }] }, expect: reason('RouteTableRange', '{0 10}', 'cannot target indices < 1') },
  { kind: 'FelixConfiguration', field: 'spec.routeTableRanges[]', rule: 'validateRouteTableIDRange', bad: { routeTableRanges: [{ min: 10, max: 5 }] }, expect: reason('RouteTableRange', '{10 5}', 'min value cannot be greater than max value') },
  { kind: 'FelixConfiguration', field: 'spec.routeTableRanges[]', rule: 'validateRouteTableIDRange', bad: { routeTableRanges: [{ min: 1, max: 4294967296 }] }, expect: reason('RouteTableRange', '{1 4294967296}', 'max index too high') },
  { kind: 'FelixConfiguration', field: 'spec.routeTableRanges[i]', rule: 'CEL', bad: { routeTableRanges: [{ min: 0, max: 10 }] }, expect: cel('spec.routeTableRanges[0]', 'min must be >= 1') },
  { kind: 'FelixConfiguration', field: 'spec.routeTableRanges[i]', rule: 'CEL', bad: { routeTableRanges: [{ min: 1, max: 2 }, { min: 10, max: 5 }] }, expect: cel('spec.routeTableRanges[1]', 'min must not be greater than max') },
  { kind: 'FelixConfiguration', field: 'spec.routeTableRange', rule: 'validateRouteTableRange', bad: { routeTableRange: { min: 1, max: 251 } }, expect: reason('RouteTableRange', '{1 251}', 'must be a range of route table indices within 1..250'), good: { routeTableRange: { min: 1, max: 250 } } },
  { kind: 'FelixConfiguration', field: 'spec.routeTableRange', rule: 'CEL', bad: { routeTableRange: { min: 1, max: 251 } }, expect: cel('spec.routeTableRange', 'must be a range of route table indices within 1..250') },
  { kind: 'FelixConfiguration', field: 'spec', rule: 'CEL', bad: { routeTableRange: { min: 1, max: 250 }, routeTableRanges: [{ min: 1, max: 250 }] }, expect: cel('spec', 'routeTableRange and routeTableRanges cannot both be set') },
  { kind: 'FelixConfiguration', field: 'spec.nodeSelector', rule: 'CEL (root)', bad: { nodeSelector: 'all()' }, expect: cel('FelixConfiguration', "nodeSelector must not be set on the 'default' or per-node ('node.*') FelixConfiguration") },
]

const KCC_TEMPLATES = (templates: Spec[]): Spec => ({ controllers: { node: { hostEndpoint: { autoCreate: 'Enabled', templates } } } })
const kubeControllersConfiguration: Row[] = [
  { kind: 'KubeControllersConfiguration', field: 'spec.healthChecks', rule: 'tag oneof', bad: { healthChecks: 'On' }, expect: tag('HealthChecks', 'oneof', 'On'), good: { healthChecks: 'Disabled' } },
  { kind: 'KubeControllersConfiguration', field: 'spec.controllers.migration.policyNameMigrator', rule: 'tag oneof', bad: { controllers: { migration: { policyNameMigrator: 'On' } } }, expect: tag('PolicyNameMigrator', 'oneof', 'On'), good: { controllers: { migration: { policyNameMigrator: 'Disabled' } } } },
  { kind: 'KubeControllersConfiguration', field: 'spec.controllers.node.syncLabels', rule: 'tag oneof', bad: { controllers: { node: { syncLabels: 'Yes' } } }, expect: tag('SyncLabels', 'oneof', 'Yes'), good: { controllers: { node: { syncLabels: 'Enabled' } } } },
  { kind: 'KubeControllersConfiguration', field: 'spec.controllers.node.hostEndpoint.autoCreate', rule: 'tag oneof', bad: { controllers: { node: { hostEndpoint: { autoCreate: 'Yes' } } } }, expect: tag('AutoCreate', 'oneof', 'Yes'), good: { controllers: { node: { hostEndpoint: { autoCreate: 'Disabled' } } } } },
  { kind: 'KubeControllersConfiguration', field: 'spec.controllers.node.hostEndpoint.createDefaultHostEndpoint', rule: 'tag createDefaultHostEndpoint', bad: { controllers: { node: { hostEndpoint: { createDefaultHostEndpoint: 'Yes' } } } }, expect: tag('CreateDefaultHostEndpoint', 'createDefaultHostEndpoint', 'Yes'), good: { controllers: { node: { hostEndpoint: { createDefaultHostEndpoint: 'Disabled' } } } } },
  { kind: 'KubeControllersConfiguration', field: 'templates[].generateName', rule: 'tag name', bad: KCC_TEMPLATES([{ generateName: 'Ext', interfaceCIDRs: ['10.0.0.0/8'] }]), expect: tag('GenerateName', 'name', 'Ext'), good: KCC_TEMPLATES([{ generateName: 'ext', interfaceCIDRs: ['10.0.0.0/8'] }]) },
  { kind: 'KubeControllersConfiguration', field: 'templates[].interfaceCIDRs', rule: 'tag cidrs', bad: KCC_TEMPLATES([{ generateName: 'ext', interfaceCIDRs: ['10.0.0.0/33'] }]), expect: tag('InterfaceCIDRs', 'cidrs', '[10.0.0.0/33]') },
  { kind: 'KubeControllersConfiguration', field: 'templates[].interfacePattern', rule: 'tag regexp', bad: KCC_TEMPLATES([{ generateName: 'ext', interfacePattern: '(' }]), expect: tag('InterfacePattern', 'regexp', '('), good: KCC_TEMPLATES([{ generateName: 'ext', interfacePattern: '^eth' }]) },
  { kind: 'KubeControllersConfiguration', field: 'templates[].labels', rule: 'tag labels', bad: KCC_TEMPLATES([{ generateName: 'ext', interfacePattern: 'eth0', labels: { 'bad key': 'x' } }]), expect: tag('Labels', 'labels', 'map[bad key:x]'), good: KCC_TEMPLATES([{ generateName: 'ext', interfacePattern: 'eth0', labels: { role: 'edge' } }]) },
  { kind: 'KubeControllersConfiguration', field: 'templates[].annotations', rule: 'validateTemplate', bad: KCC_TEMPLATES([{ generateName: 'ext', interfacePattern: 'eth0', annotations: { 'bad key': 'x' } }]), expect: reason('Metadata.Annotations (key)', 'bad key', "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"), good: KCC_TEMPLATES([{ generateName: 'ext', interfacePattern: 'eth0', annotations: { 'example.com/owner': 'net' } }]) },
  { kind: 'KubeControllersConfiguration', field: 'templates[].nodeSelector', rule: 'tag selector', bad: KCC_TEMPLATES([{ generateName: 'ext', interfacePattern: 'eth0', nodeSelector: 'a ==' }]), expect: tag('NodeSelector', 'selector', 'a =='), good: KCC_TEMPLATES([{ generateName: 'ext', interfacePattern: 'eth0', nodeSelector: "a == 'b'" }]) },
  { kind: 'KubeControllersConfiguration', field: 'templates[].generateName', rule: 'client', bad: KCC_TEMPLATES([{ interfacePattern: 'eth0' }]), expect: 'KubeControllersConfiguration.Node.HostEndpoint.Templates (Template name must be specified)' },
  { kind: 'KubeControllersConfiguration', field: 'templates[].generateName', rule: 'client', bad: KCC_TEMPLATES([{ generateName: 'a'.repeat(254), interfacePattern: 'eth0' }]), expect: 'KubeControllersConfiguration.Node.HostEndpoint.Templates (Template name must be shorter than 253 characters)' },
  { kind: 'KubeControllersConfiguration', field: 'templates[].generateName', rule: 'client', bad: KCC_TEMPLATES([{ generateName: 'ext', interfacePattern: 'eth0' }, { generateName: 'ext', interfacePattern: 'eth1' }]), expect: 'KubeControllersConfiguration.Node.HostEndpoint.Templates.ext (Template name must be unique)' },
  { kind: 'KubeControllersConfiguration', field: 'templates[]', rule: 'client', bad: KCC_TEMPLATES([{ generateName: 'ext' }]), expect: 'KubeControllersConfiguration.Node.HostEndpoint.Templates.ext (InterfaceCIDRs or InterfacePattern must be specified)', good: KCC_TEMPLATES([{ generateName: 'ext', interfacePattern: 'eth0', interfaceCIDRs: [] }]) },
  { kind: 'KubeControllersConfiguration', name: 'other', field: 'metadata.name', rule: 'client', bad: {}, expect: 'Cannot create a Kube Controllers Configuration resource with a name other than "default"' },
]

const calicoNodeStatus: Row[] = [
  { kind: 'CalicoNodeStatus', field: 'spec.node', rule: 'tag required', bad: { node: undefined }, expect: tag('Node', 'required', '') },
  { kind: 'CalicoNodeStatus', field: 'spec.node', rule: 'tag name', bad: { node: 'Node_1' }, expect: tag('Node', 'name', 'Node_1'), good: { node: 'node-1' } },
  { kind: 'CalicoNodeStatus', field: 'spec.classes', rule: 'tag required', bad: { classes: undefined }, expect: tag('Classes', 'required', '[]'), good: { classes: [] } },
  { kind: 'CalicoNodeStatus', field: 'spec.classes', rule: 'tag unique', bad: { classes: ['BGP', 'BGP'] }, expect: tag('Classes', 'unique', '[BGP BGP]'), good: { classes: ['BGP', 'Routes'] } },
  { kind: 'CalicoNodeStatus', field: 'spec.updatePeriodSeconds', rule: 'tag required', bad: { updatePeriodSeconds: undefined }, expect: tag('UpdatePeriodSeconds', 'required', '<nil>'), good: { updatePeriodSeconds: 0 } },
  { kind: 'CalicoNodeStatus', field: 'spec.updatePeriodSeconds', rule: 'tag lte', bad: { updatePeriodSeconds: 86401 }, expect: tag('UpdatePeriodSeconds', 'lte', 86401), good: { updatePeriodSeconds: 86400 } },
]

const tier: Row[] = [
  // The CRD has two enums under allOf: the second fails, and kube-openapi sums up (named after the kind).
  {
    kind: 'Tier', name: 'net-sec', field: 'spec.defaultAction', rule: 'tag oneof, CRD allOf', bad: { defaultAction: 'Allow' }, expect: tag('DefaultAction', 'oneof', 'Allow'),
    all: [tag('DefaultAction', 'oneof', 'Allow'), crd('spec.defaultAction', 'supported values: "Pass", "Deny"'), cel('Tier', '"spec.defaultAction" must validate all the schemas (allOf)')], good: { defaultAction: 'Pass' },
  },
  {
    kind: 'Tier', name: 'net-sec', field: 'spec.defaultAction', rule: 'tag oneof, CRD allOf', bad: { defaultAction: 'Drop' }, expect: tag('DefaultAction', 'oneof', 'Drop'),
    all: [tag('DefaultAction', 'oneof', 'Drop'), crd('spec.defaultAction', 'supported values: "Allow", "Deny", "Log", "Pass"'), crd('spec.defaultAction', 'supported values: "Pass", "Deny"'), cel('Tier', '"spec.defaultAction" must validate all the schemas (allOf). None validated')],
  },
  // Without the client's defaults, validate sees no order on the default tier.
  { kind: 'Tier', name: 'default', operation: 'validate', field: 'spec.order', rule: 'CEL (root)', bad: {}, expect: cel('Tier', 'default tier order must be 1000000'), all: [cel('Tier', 'default tier order must be 1000000')], good: { order: 1000000 } },
  { kind: 'Tier', name: 'a'.repeat(64), field: 'metadata.name', rule: 'validateTier', bad: {}, expect: reason('Metadata.Name', 'a'.repeat(64), 'name is too long by 1 bytes') },
  { kind: 'Tier', name: 'net.sec', field: 'metadata.name', rule: 'validateTier', bad: {}, expect: reason('Metadata.Name', 'net.sec', "name must consist of lower case alphanumeric characters or '-' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?)") },
  { kind: 'Tier', name: 'kube-admin', field: 'spec.defaultAction', rule: 'CEL (root)', bad: { order: 1000, defaultAction: 'Deny' }, expect: cel('Tier', "The 'kube-admin' tier must have default action 'Pass'"), good: { order: 1000, defaultAction: 'Pass' } },
  { kind: 'Tier', name: 'kube-baseline', field: 'spec.defaultAction', rule: 'CEL (root)', bad: { order: 10000000 }, expect: cel('Tier', "The 'kube-baseline' tier must have default action 'Pass'"), good: { order: 10000000, defaultAction: 'Pass' } },
  { kind: 'Tier', name: 'default', field: 'spec.defaultAction', rule: 'CEL (root)', bad: { defaultAction: 'Pass' }, expect: cel('Tier', "The 'default' tier must have default action 'Deny'"), good: {} },
  { kind: 'Tier', name: 'default', field: 'spec.order', rule: 'CEL (root)', bad: { order: 5 }, expect: cel('Tier', 'default tier order must be 1000000'), good: { order: 1000000, defaultAction: 'Deny' } },
  { kind: 'Tier', name: 'kube-admin', field: 'spec.order', rule: 'CEL (root)', bad: { order: 7, defaultAction: 'Pass' }, expect: cel('Tier', 'kube-admin tier order must be 1000') },
  { kind: 'Tier', name: 'kube-baseline', field: 'spec.order', rule: 'CEL (root)', bad: { defaultAction: 'Pass' }, expect: cel('Tier', 'kube-baseline tier order must be 10000000') },
]

const ANNOTATION_KEY_REASON =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"

/** Rule checks shared by every policy kind and profiles, shown on NetworkPolicy. */
const policyRules: Row[] = [
  { kind: 'NetworkPolicy', field: 'rule.protocol', rule: 'validateProtocol', bad: ingress({ protocol: 0 }), expect: reason('Protocol', 0, 'protocol number invalid'), good: ingress({ protocol: 132 }) },
  { kind: 'NetworkPolicy', field: 'rule.protocol', rule: 'validateProtocol', bad: ingress({ protocol: 'XTP' }), expect: reason('Protocol', 'XTP', 'protocol name invalid'), good: ingress({ protocol: 'UDPLite' }) },
  { kind: 'NetworkPolicy', field: 'rule.icmp.type', rule: 'tag lte', bad: ingress({ protocol: 'ICMP', icmp: { type: 255 } }), expect: tag('Type', 'lte', 255), good: ingress({ protocol: 'ICMP', icmp: { type: 254 } }) },
  { kind: 'NetworkPolicy', field: 'rule.icmp.type', rule: 'tag gte', bad: ingress({ protocol: 'ICMP', icmp: { type: -1 } }), expect: tag('Type', 'gte', -1), good: ingress({ protocol: 'ICMP', icmp: { type: 0 } }) },
  { kind: 'NetworkPolicy', field: 'rule.icmp.code', rule: 'tag lte', bad: ingress({ protocol: 'ICMP', icmp: { type: 3, code: 256 } }), expect: tag('Code', 'lte', 256), good: ingress({ protocol: 'ICMP', icmp: { type: 3, code: 255 } }) },
  { kind: 'NetworkPolicy', field: 'rule.notICMP.type', rule: 'tag lte', bad: ingress({ protocol: 'ICMPv6', ipVersion: 6, notICMP: { type: 256 } }), expect: tag('Type', 'lte', 256) },
  { kind: 'NetworkPolicy', field: 'rule.notICMP.code', rule: 'tag gte', bad: ingress({ protocol: 'ICMP', notICMP: { type: 3, code: -1 } }), expect: tag('Code', 'gte', -1) },
  { kind: 'NetworkPolicy', field: 'rule.source.nets[i]', rule: 'tag net', bad: ingress({ source: { nets: ['10.0.0.1/8'] } }), expect: tag('Nets[0]', 'net', '10.0.0.1/8'), good: ingress({ source: { nets: ['10.0.0.0/8'] } }) },
  { kind: 'NetworkPolicy', field: 'rule.source.selector', rule: 'tag selector', bad: ingress({ source: { selector: 'app ==' } }), expect: tag('Selector', 'selector', 'app =='), good: ingress({ source: { selector: "app == 'web'" } }) },
  { kind: 'NetworkPolicy', field: 'rule.destination.ports[]', rule: 'tag portName', bad: ingress({ protocol: 'TCP', destination: { ports: ['Web_Port'] } }), expect: tag('PortName', 'portName', 'Web_Port'), good: ingress({ protocol: 'TCP', destination: { ports: ['web-port'] } }) },
  { kind: 'NetworkPolicy', field: 'rule.source.ports[]', rule: 'validatePort', bad: ingress({ protocol: 'TCP', source: { ports: ['0:65535'] } }), expect: reason('Port', 0, 'port range invalid, port number must be between 1 and 65535') },
  { kind: 'NetworkPolicy', field: 'rule.destination.services.name', rule: 'tag name', bad: egress({ destination: { services: { name: 'Web_Svc', namespace: 'ns1' } } }), expect: tag('Name', 'name', 'Web_Svc'), good: egress({ destination: { services: { name: 'web-svc', namespace: 'ns1' } } }) },
  { kind: 'NetworkPolicy', field: 'rule.source.namespaceSelector', rule: 'validateEntityRule', bad: ingress({ source: { namespaceSelector: "global() && a == 'b'" } }), expect: reason('NamespaceSelector field', "global() && a == 'b'", 'global() cannot be combined with other selectors'), good: ingress({ source: { namespaceSelector: 'global()' } }) },
  { kind: 'NetworkPolicy', field: 'rule.http.methods', rule: 'validateHTTPRule', bad: ingress({ protocol: 'TCP', http: { methods: ['GET', 'GET'] } }), expect: reason('Methods', '[GET GET]', 'Invalid methods (duplicates): [GET GET]'), good: ingress({ protocol: 'TCP', http: { methods: ['GET', 'PUT'] } }) },
  { kind: 'NetworkPolicy', field: 'rule.http.paths', rule: 'validateHTTPRule', bad: ingress({ http: { paths: [{ exact: 'index.html' }] } }), expect: reason('Paths', '[{index.html }]', 'Invalid path index.html. (must start with `/` and not contain `?` or `#`') },
  { kind: 'NetworkPolicy', field: 'rule.metadata.annotations', rule: 'validateRuleMetadata', bad: ingress({ metadata: { annotations: { 'bad key': 'x' } } }), expect: reason('Metadata.Annotations (key)', 'bad key', ANNOTATION_KEY_REASON), good: ingress({ metadata: { annotations: { 'example.com/why': 'dns' } } }) },
  { kind: 'NetworkPolicy', field: 'rule.destination.ports', rule: 'validateRule', bad: ingress({ destination: { ports: [80] } }), expect: reason('Destination.Ports', '[80]', 'rules with numeric port or port range must set protocol to TCP or UDP or SCTP'), good: ingress({ destination: { ports: ['http'] } }) },
  { kind: 'NetworkPolicy', field: 'rule.source.notPorts', rule: 'validateRule', bad: ingress({ protocol: 'ICMP', source: { notPorts: [80] } }), expect: reason('Source.NotPorts', '[80]', 'rules that specify ports must set protocol to TCP or UDP or SCTP') },
  { kind: 'NetworkPolicy', field: 'rule.destination.nets', rule: 'validateRule', bad: ingress({ destination: { nets: ['10.0.0.1'] } }), expect: reason('Destination.Nets', '10.0.0.1', 'invalid CIDR'), good: ingress({ destination: { nets: ['10.0.0.1/32'] } }) },
  { kind: 'NetworkPolicy', field: 'rule.source.notNets', rule: 'validateRule', bad: ingress({ source: { notNets: ['0.0.0.0/0'] } }), expect: reason('Source.NotNets', '0.0.0.0/0', 'catch-all CIDR in negation creates logical contradiction (matches no traffic)') },
  { kind: 'NetworkPolicy', field: 'rule.ipVersion', rule: 'validateRule', bad: ingress({ ipVersion: 6, source: { nets: ['10.0.0.0/8'] } }), expect: reason('Source.Nets', '[10.0.0.0/8]', "rule IP version doesn't match CIDR version"), good: ingress({ ipVersion: 4, source: { nets: ['10.0.0.0/8'] } }) },
  { kind: 'NetworkPolicy', field: 'rule.source.nets', rule: 'validateRule', bad: ingress({ source: { nets: ['10.0.0.0/8', 'fd00::/64'] } }), expect: reason('Source.Nets', '[10.0.0.0/8 fd00::/64]', 'rule contains both IPv4 and IPv6 CIDRs') },
  { kind: 'NetworkPolicy', field: 'rule', rule: 'CEL', bad: ingress({ protocol: 'UDP', http: { methods: ['GET'] } }), expect: cel('spec.ingress[0]', 'rules with HTTP match must have protocol TCP or unset') },
  { kind: 'NetworkPolicy', field: 'rule', rule: 'CEL', bad: ingress({ action: 'Deny', http: { methods: ['GET'] } }), expect: cel('spec.ingress[0]', 'HTTP match is only valid on Allow rules') },
  { kind: 'NetworkPolicy', field: 'rule', rule: 'CEL', bad: egress({ protocol: 'TCP', destination: { services: { name: 'web' }, ports: [80] } }), expect: cel('spec.egress[0]', 'ports and notPorts cannot be specified with services') },
  { kind: 'NetworkPolicy', field: 'rule', rule: 'CEL', bad: ingress({ protocol: 'TCP', icmp: { type: 8 } }), expect: cel('spec.ingress[0]', 'ICMP fields require protocol to be ICMP or ICMPv6') },
  { kind: 'NetworkPolicy', field: 'rule', rule: 'CEL', bad: ingress({ protocol: 'ICMP', ipVersion: 6 }), expect: cel('spec.ingress[0]', 'protocol ICMP requires ipVersion 4'), good: ingress({ protocol: 'ICMP', ipVersion: 4 }) },
  { kind: 'NetworkPolicy', field: 'rule', rule: 'CEL', bad: ingress({ notProtocol: 'ICMPv6', ipVersion: 4 }), expect: cel('spec.ingress[0]', 'protocol ICMPv6 requires ipVersion 6') },
  { kind: 'NetworkPolicy', field: 'rule.icmp', rule: 'CEL', bad: ingress({ protocol: 'ICMP', icmp: { code: 0 } }), expect: cel('spec.ingress[0].icmp', 'ICMP code specified without an ICMP type') },
  { kind: 'NetworkPolicy', field: 'rule.source', rule: 'CEL', bad: ingress({ source: { selector: 'global()' } }), expect: cel('spec.ingress[0].source', 'global() can only be used in an EntityRule namespaceSelector') },
  { kind: 'NetworkPolicy', field: 'rule.destination', rule: 'CEL', bad: egress({ destination: { services: { name: 'web' }, namespaceSelector: 'all()' } }), expect: cel('spec.egress[0].destination', 'cannot specify NamespaceSelector and Services on the same rule') },
  { kind: 'NetworkPolicy', field: 'rule.destination', rule: 'CEL', bad: egress({ destination: { services: { name: 'web' }, serviceAccounts: { names: ['sa'] } } }), expect: cel('spec.egress[0].destination', 'cannot specify ServiceAccounts and Services on the same rule') },
  { kind: 'NetworkPolicy', field: 'rule.destination', rule: 'CEL', bad: egress({ destination: { services: { name: 'web' }, selector: 'all()' } }), expect: cel('spec.egress[0].destination', 'cannot specify Selector/NotSelector and Services on the same rule') },
  { kind: 'NetworkPolicy', field: 'rule.destination', rule: 'CEL', bad: egress({ destination: { services: { name: 'web' }, nets: ['10.0.0.0/8'] } }), expect: cel('spec.egress[0].destination', 'cannot specify Nets/NotNets and Services on the same rule') },
  // Go drops the empty name when it encodes the policy, so the rule fails to evaluate rather than fails.
  { kind: 'NetworkPolicy', field: 'rule.destination', rule: 'CEL', bad: egress({ destination: { services: { namespace: 'ns1' } } }), expect: cel('spec.egress[0].destination', 'no such key: name evaluating rule: services must specify a service name'), good: egress({ destination: { services: { name: 'web', namespace: 'ns1' } } }) },
]

const networkPolicy: Row[] = [
  { kind: 'NetworkPolicy', name: 'a.b.c', field: 'metadata.name', rule: 'validateNetworkPolicy', bad: {}, expect: reason('Metadata.Name', 'a.b.c', "name must consist of lower case alphanumeric characters or '-' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?)") },
  { kind: 'NetworkPolicy', field: 'spec.tier', rule: 'tag name', bad: { tier: 'Net_Sec' }, expect: tag('Tier', 'name', 'Net_Sec'), good: { tier: 'net-sec' } },
  { kind: 'NetworkPolicy', field: 'spec.selector', rule: 'tag selector', bad: { selector: 'role ==' }, expect: tag('Selector', 'selector', 'role =='), good: { selector: "role == 'db'" } },
  { kind: 'NetworkPolicy', field: 'spec.serviceAccountSelector', rule: 'tag selector', bad: { serviceAccountSelector: '&&' }, expect: tag('ServiceAccountSelector', 'selector', '&&') },
  { kind: 'NetworkPolicy', field: 'spec.performanceHints', rule: 'tag unique', bad: { performanceHints: ['AssumeNeededOnEveryNode', 'AssumeNeededOnEveryNode'] }, expect: tag('PerformanceHints', 'unique', '[AssumeNeededOnEveryNode AssumeNeededOnEveryNode]'), good: { performanceHints: ['AssumeNeededOnEveryNode'] } },
  { kind: 'NetworkPolicy', field: 'spec.performanceHints[i]', rule: 'tag oneof', bad: { performanceHints: ['AssumeNothing'] }, expect: tag('PerformanceHints[0]', 'oneof', 'AssumeNothing') },
  { kind: 'NetworkPolicy', name: '', field: 'metadata.name', rule: 'validateObjectMeta, validateNetworkPolicy', bad: {}, expect: reason('Metadata.Name', '', POLICY_NAME), all: [reason('Metadata.Name', '', OBJECT_META_NAME), reason('Metadata.Name', '', POLICY_NAME)] },
  { kind: 'NetworkPolicy', field: 'spec.types', rule: 'validateNetworkPolicySpec, CRD maxItems', bad: { types: ['Ingress', 'Egress', 'Ingress'] }, expect: crd('spec.types', 'must have at most 2 items'), all: [reason('NetworkPolicySpec.Types', '[Ingress Egress Ingress]', "'Ingress' type specified more than once"), crd('spec.types', 'must have at most 2 items')] },
  { kind: 'NetworkPolicy', field: 'spec.types', rule: 'validateNetworkPolicySpec', bad: { types: ['Ingress', 'Ingress'] }, expect: reason('NetworkPolicySpec.Types', '[Ingress Ingress]', "'Ingress' type specified more than once"), good: { types: ['Ingress', 'Egress'] } },
  { kind: 'NetworkPolicy', field: 'spec.egress[].source.services', rule: 'validateNetworkPolicySpec', bad: egress({ source: { services: { name: 'web', namespace: 'ns1' } } }), expect: reason('Services', '&{web ns1}', 'not allowed in egress rule source') },
  { kind: 'NetworkPolicy', field: 'spec.ingress[].destination.services', rule: 'validateNetworkPolicySpec', bad: ingress({ destination: { services: { name: 'web', namespace: 'ns1' } } }), expect: reason('Services', '&{web ns1}', 'not allowed in ingress rule destination'), good: ingress({ source: { services: { name: 'web', namespace: 'ns1' } } }) },
  { kind: 'NetworkPolicy', field: 'spec.egress[].http', rule: 'validateNetworkPolicySpec', bad: egress({ http: { methods: ['GET'] } }), expect: reason('HTTP', '&{[GET] []}', 'not allowed in egress rule') },
  { kind: 'NetworkPolicy', field: 'spec', rule: 'CEL', bad: { selector: 'global()' }, expect: cel('spec', 'global() can only be used in an EntityRule namespaceSelector') },
  { kind: 'NetworkPolicy', field: 'spec', rule: 'CEL', bad: { serviceAccountSelector: 'global()' }, expect: cel('spec', 'global() can only be used in an EntityRule namespaceSelector') },
]

const globalNetworkPolicy: Row[] = [
  { kind: 'GlobalNetworkPolicy', name: 'a.b.c', field: 'metadata.name', rule: 'validateGlobalNetworkPolicy', bad: {}, expect: reason('Metadata.Name', 'a.b.c', "name must consist of lower case alphanumeric characters or '-' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?)") },
  { kind: 'GlobalNetworkPolicy', field: 'spec.namespaceSelector', rule: 'tag selector', bad: { namespaceSelector: 'a b' }, expect: tag('NamespaceSelector', 'selector', 'a b'), good: { namespaceSelector: 'has(a)' } },
  { kind: 'GlobalNetworkPolicy', name: '', field: 'metadata.name', rule: 'validateObjectMeta, validateGlobalNetworkPolicy', bad: {}, expect: reason('Metadata.Name', '', POLICY_NAME), all: [reason('Metadata.Name', '', OBJECT_META_NAME), reason('Metadata.Name', '', POLICY_NAME)] },
  { kind: 'GlobalNetworkPolicy', field: 'spec.types', rule: 'validateGlobalNetworkPolicySpec, CRD maxItems', bad: { types: ['Egress', 'Ingress', 'Egress'] }, expect: crd('spec.types', 'must have at most 2 items'), all: [reason('GlobalNetworkPolicySpec.Types', '[Egress Ingress Egress]', "'Egress' type specified more than once"), crd('spec.types', 'must have at most 2 items')] },
  { kind: 'GlobalNetworkPolicy', field: 'spec.types', rule: 'validateGlobalNetworkPolicySpec', bad: { types: ['Egress', 'Egress'] }, expect: reason('GlobalNetworkPolicySpec.Types', '[Egress Egress]', "'Egress' type specified more than once") },
  { kind: 'GlobalNetworkPolicy', field: 'spec.egress[].http', rule: 'validateGlobalNetworkPolicySpec', bad: egress({ http: { methods: ['GET'] } }), expect: reason('HTTP', '&{[GET] []}', 'not allowed in egress rules') },
  { kind: 'GlobalNetworkPolicy', field: 'spec.egress[].destination.services.namespace', rule: 'validateGlobalNetworkPolicySpec', bad: egress({ destination: { services: { name: 'web' } } }), expect: reason('Namespace', '', 'must specify a namespace'), good: egress({ destination: { services: { name: 'web', namespace: 'ns1' } } }) },
  { kind: 'GlobalNetworkPolicy', field: 'spec', rule: 'CEL', bad: { doNotTrack: true, preDNAT: true, applyOnForward: true }, expect: cel('spec', 'preDNAT and doNotTrack cannot both be true'), good: { doNotTrack: true, applyOnForward: true } },
  { kind: 'GlobalNetworkPolicy', field: 'spec', rule: 'CEL', bad: { preDNAT: true, applyOnForward: true, egress: [{ action: 'Allow' }] }, expect: cel('spec', 'preDNAT policy cannot have any egress rules') },
  { kind: 'GlobalNetworkPolicy', field: 'spec', rule: 'CEL', bad: { preDNAT: true, applyOnForward: true, types: ['Egress'] }, expect: cel('spec', "preDNAT policy cannot have 'Egress' type"), good: { preDNAT: true, applyOnForward: true, types: ['Ingress'] } },
  { kind: 'GlobalNetworkPolicy', field: 'spec', rule: 'CEL', bad: { preDNAT: true }, expect: cel('spec', 'applyOnForward must be true if either preDNAT or doNotTrack is true') },
  { kind: 'GlobalNetworkPolicy', field: 'spec', rule: 'CEL', bad: { namespaceSelector: 'global()' }, expect: cel('spec', 'global() can only be used in an EntityRule namespaceSelector') },
]

const stagedPolicies: Row[] = [
  { kind: 'StagedNetworkPolicy', field: 'spec', rule: 'validateStagedNetworkPolicy', bad: { stagedAction: 'Delete', selector: 'all()' }, expect: 'StagedNetworkPolicySpec (Spec fields, except Tier, should all be zero-value if stagedAction is Delete)', good: { stagedAction: 'Delete', tier: 'default' } },
  { kind: 'StagedNetworkPolicy', field: 'rule.icmp.type', rule: 'tag lte', bad: ingress({ protocol: 'ICMP', icmp: { type: 255 } }), expect: tag('Type', 'lte', 255) },
  { kind: 'StagedGlobalNetworkPolicy', field: 'spec', rule: 'validateStagedGlobalNetworkPolicy', bad: { stagedAction: 'Delete', order: 10 }, expect: 'StagedGlobalNetworkPolicySpec (Spec fields, except Tier, should all be zero-value if stagedAction is Delete)', good: { stagedAction: 'Delete' } },
  { kind: 'StagedNetworkPolicy', field: 'spec.types', rule: 'CRD maxItems', bad: { types: ['Ingress', 'Egress', 'Ingress'] }, expect: crd('spec.types', 'must have at most 2 items') },
  { kind: 'StagedGlobalNetworkPolicy', field: 'spec.types', rule: 'CRD maxItems', bad: { types: ['Ingress', 'Egress', 'Ingress'] }, expect: crd('spec.types', 'must have at most 2 items') },
  { kind: 'StagedGlobalNetworkPolicy', field: 'spec', rule: 'CEL', bad: { preDNAT: true }, expect: cel('spec', 'applyOnForward must be true if either preDNAT or doNotTrack is true') },
  { kind: 'StagedKubernetesNetworkPolicy', field: 'spec', rule: 'validateStagedKubernetesNetworkPolicy', bad: { stagedAction: 'Delete', policyTypes: ['Ingress'] }, expect: 'StagedKubernetesNetworkPolicySpec (Spec fields should all be zero-value if stagedAction is Delete)', good: { stagedAction: 'Delete' } },
]

const profile: Row[] = [
  { kind: 'Profile', field: 'rule.icmp.type', rule: 'tag lte', bad: { ingress: [{ ipVersion: 4, icmp: { type: 256, code: 255 }, action: 'Deny', protocol: 'ICMP' }] }, expect: tag('Type', 'lte', 256), good: { ingress: [{ ipVersion: 4, icmp: { type: 19, code: 255 }, action: 'Deny', protocol: 'ICMP' }] } },
  { kind: 'Profile', field: 'rule.icmp.code', rule: 'tag lte', bad: { ingress: [{ ipVersion: 4, icmp: { type: 19, code: 256 }, action: 'Deny', protocol: 'ICMP' }] }, expect: tag('Code', 'lte', 256) },
  { kind: 'Profile', field: 'spec.labelsToApply', rule: 'tag labels', bad: { labelsToApply: { 'bad key': 'x' } }, expect: tag('LabelsToApply', 'labels', 'map[bad key:x]'), good: { labelsToApply: { team: 'web' } } },
]

const workloadEndpoint: Row[] = [
  { kind: 'WorkloadEndpoint', field: 'spec.containerID', rule: 'tag containerID', bad: { containerID: 'abc_123' }, expect: tag('ContainerID', 'containerID', 'abc_123'), good: { containerID: 'ABC-123' } },
  { kind: 'WorkloadEndpoint', field: 'spec.ipNetworks[i]', rule: 'tag net', bad: { ipNetworks: ['10.65.0.5/24'] }, expect: tag('IPNetworks[0]', 'net', '10.65.0.5/24'), good: { ipNetworks: ['10.65.0.5/32'] } },
  { kind: 'WorkloadEndpoint', field: 'spec.ipNetworks', rule: 'validateWorkloadEndpointSpec', bad: { ipNetworks: ['10.65.0.0/24'] }, expect: reason('IPNetworks', '[10.65.0.0/24]', 'IP network contains multiple addresses') },
  { kind: 'WorkloadEndpoint', field: 'spec.ipv4Gateway', rule: 'tag ipv4', bad: { ipv4Gateway: 'fd00::1' }, expect: tag('IPv4Gateway', 'ipv4', 'fd00::1'), good: { ipv4Gateway: '169.254.1.1' } },
  { kind: 'WorkloadEndpoint', field: 'spec.interfaceName', rule: 'tag interface', bad: { interfaceName: 'cali1f2e3d4c5b6a' }, expect: tag('InterfaceName', 'interface', 'cali1f2e3d4c5b6a') },
  { kind: 'WorkloadEndpoint', field: 'spec.mac', rule: 'tag mac', bad: { mac: 'ee:ee:ee:ee:ee' }, expect: tag('MAC', 'mac', 'ee:ee:ee:ee:ee'), good: { mac: 'ee:ee:ee:ee:ee:ee' } },
  { kind: 'WorkloadEndpoint', field: 'spec.ports[].hostIP', rule: 'tag net', bad: { ports: [{ name: 'http', port: 80, protocol: 'TCP', hostIP: '10.0.0.1/8' }] }, expect: tag('HostIP', 'net', '10.0.0.1/8'), good: { ports: [{ name: 'http', port: 80, protocol: 'TCP', hostIP: '10.0.0.1' }] } },
  { kind: 'WorkloadEndpoint', field: 'spec.ports[]', rule: 'validateWorkloadEndpointPort', bad: { ports: [{ port: 80, protocol: 'TCP' }] }, expect: reason('WorkloadEndpointPort.Name', '', 'WorkloadEndpointPort name must not be empty if no HostPort is specified'), good: { ports: [{ port: 80, hostPort: 8080, protocol: 'TCP' }] } },
  { kind: 'WorkloadEndpoint', field: 'spec.ipNATs[]', rule: 'validateIPNAT', bad: { ipNetworks: ['10.65.0.5/32'], ipNATs: [{ internalIP: '10.65.0.5', externalIP: 'fd00::5' }] }, expect: reason('ExternalIP', 'fd00::5', 'mismatched IP versions') },
  { kind: 'WorkloadEndpoint', field: 'spec.allowSpoofedSourcePrefixes[i]', rule: 'tag cidr', bad: { allowSpoofedSourcePrefixes: ['10.0.0.0/33'] }, expect: tag('AllowSpoofedSourcePrefixes[0]', 'cidr', '10.0.0.0/33'), good: { allowSpoofedSourcePrefixes: ['10.0.0.1/8'] } },
]

const metadata: Row[] = [
  // Every typed client validates before resources.Create looks for a name: the name rule reports it.
  { kind: 'IPReservation', name: '', field: 'metadata.name', rule: 'validateObjectMeta', bad: {}, expect: reason('Metadata.Name', '', OBJECT_META_NAME), all: [reason('Metadata.Name', '', OBJECT_META_NAME)] },
  { kind: 'GlobalNetworkSet', name: '', operation: 'validate', field: 'metadata.name', rule: 'validateObjectMeta', bad: {}, expect: reason('Metadata.Name', '', OBJECT_META_NAME), all: [reason('Metadata.Name', '', OBJECT_META_NAME)] },
  { kind: 'IPReservation', name: 'Bad_Name', field: 'metadata.name', rule: 'validateObjectMeta', bad: {}, expect: reason('Metadata.Name', 'Bad_Name', "name must consist of lower case alphanumeric characters, '-' or '.' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)") },
  { kind: 'IPReservation', labels: { 'bad key': 'x' }, field: 'metadata.labels', rule: 'validateObjectMeta', bad: {}, expect: reason('Metadata.Labels (label)', 'bad key', ANNOTATION_KEY_REASON) },
]

/**
 * Not rows here, because they need other stored data: the BGPPeer filters that must exist, the IPPool
 * block size against IPAM's blocks and the overlap with other pools, a policy's tier on create, and
 * the knp.default.* refusals; the integration tests cover them. Also not here: the IPPool CRD's
 * transition rules (`self == oldSelf`), which upstream never evaluates client-side (it passes no old
 * object). Its strictly-masked rule only shows in `validate`: on a write the client has made the CIDR
 * canonical first. CRD constraints Go's encoding never lets fail are not here either: `required`
 * fields Go always writes, and minItems on lists it leaves out when empty (BGPFilter operations,
 * policy types).
 */
export const AUDIT: Row[] = [
  ...bgpPeer,
  ...bgpConfiguration,
  ...bgpFilter,
  ...node,
  ...hostEndpoint,
  ...sets,
  ...ipReservation,
  ...ipamConfiguration,
  ...ipPool,
  ...felixConfiguration,
  ...kubeControllersConfiguration,
  ...calicoNodeStatus,
  ...tier,
  ...policyRules,
  ...networkPolicy,
  ...globalNetworkPolicy,
  ...stagedPolicies,
  ...profile,
  ...workloadEndpoint,
  ...metadata,
]
