import { describe, expect, it } from 'vitest'
import { prepareResource } from '../../src/client/calico-client.js'
import { ValidationError } from '../../src/errors.js'
import { kindByKind, kindByName } from '../../src/resources/all-kinds.js'
import type { Resource } from '../../src/resources/types.js'

const doc = (kind: string, name: string, spec: Record<string, unknown>, labels?: Record<string, string>): Resource => ({
  apiVersion: 'projectcalico.org/v3',
  kind,
  metadata: { name, ...(labels ? { labels } : {}) },
  spec,
})

/** The message a user sees for a resource that fails validation ('' when it passes). */
function problem(resource: Resource, operation: 'create' | 'update' = 'create', existing?: Resource): string {
  try {
    prepareResource(kindByKind(resource.kind)!, resource, operation, existing)
    return ''
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err
    return err.message
  }
}

describe('kind names', () => {
  it.each([
    ['ippool', 'IPPool'], ['IPPools', 'IPPool'], ['ipp', 'IPPool'], ['pool', 'IPPool'],
    ['bgpconfig', 'BGPConfiguration'], ['bgpconfigurations', 'BGPConfiguration'],
    ['bgpp', 'BGPPeer'], ['bps', 'BGPPeer'], ['nodes', 'Node'], ['no', 'Node'], ['clusterinfo', 'ClusterInformation'],
  ])('%s is %s', (name, kind) => expect(kindByName(name)?.kind).toBe(kind))

  it('has no gns-style invented aliases', () => expect(kindByName('ippoolz')).toBeUndefined())
})

describe('IPPool', () => {
  it('defaults like upstream and normalises the CIDR', () => {
    const out = prepareResource(kindByKind('IPPool')!, doc('IPPool', 'p6', { cidr: 'fd00:0:0:0::/64' }), 'create')
    expect(out.spec).toEqual({ cidr: 'fd00::/64', blockSize: 122, nodeSelector: 'all()', allowedUses: ['Workload', 'Tunnel'], assignmentMode: 'Automatic', ipipMode: 'Never', vxlanMode: 'Never' })
  })

  it.each([
    [{}, 'error with field IPPool.Spec.CIDR (IPPool CIDR must be specified)'],
    [{ cidr: '10.0.0.0/33' }, "error with field IPPool.Spec.CIDR = '10.0.0.0/33' (IPPool CIDR must be a valid subnet)"],
    [{ cidr: '10.0.0.1/24' }, "error with field IPPool.Spec.CIDR = '10.0.0.0/24' (IPPool CIDR is not strictly masked)"],
    [{ cidr: '10.0.0.0/16', blockSize: 19 }, "error with field spec (blockSize must be between 20 and 32 for IPv4 pools, and between 116 and 128 for IPv6 pools)"],
    [{ cidr: '10.0.0.0/28' }, "error with field spec (IP pool size is too small for use with Calico IPAM. It must be equal to or greater than the block size.)"],
    [{ cidr: '10.0.0.0/16', ipipMode: 'Always', vxlanMode: 'Always' }, "error with field spec (ipipMode and vxlanMode cannot both be enabled)"],
    [{ cidr: 'fd00::/64', ipipMode: 'Always' }, "error with field spec (IPIP is not supported on IPv6 pools)"],
    [{ cidr: '169.254.0.0/16' }, "error with field spec (IPPool CIDR overlaps with IPv4 link local range 169.254.0.0/16)"],
    [{ cidr: '10.0.0.0/16', nodeSelector: 'has(a' }, "error with field NodeSelector = 'has(a' (Reason: failed to validate Field: NodeSelector because of Tag: selector )"],
    [{ cidr: '10.0.0.0/16', nodeSelector: 'global()' }, "error with field spec (global() selector is not valid for IPPool nodeSelector)"],
  ])('rejects %j', (spec, message) => expect(problem(doc('IPPool', 'p', spec))).toBe(message))

  it('reports only the CIDR when it cannot be parsed, even on update', () => {
    const existing = doc('IPPool', 'p', { cidr: '10.1.0.0/16', blockSize: 26 })
    expect(problem(doc('IPPool', 'p', { cidr: '10.1.0.00/16' }), 'update', existing)).toBe(
      "error with field IPPool.Spec.CIDR = '10.1.0.00/16' (IPPool CIDR must be a valid subnet)",
    )
  })

  it('refuses a CIDR change on update', () => {
    const existing = doc('IPPool', 'p', { cidr: '10.0.0.0/16', blockSize: 26 })
    expect(problem(doc('IPPool', 'p', { cidr: '10.1.0.0/16' }), 'update', existing)).toBe(
      "error with field IPPool.Spec.CIDR = '10.1.0.0/16' (IPPool CIDR cannot be modified)",
    )
  })

  it('finds overlapping pools by name', () => {
    const others = [doc('IPPool', 'default-ipv4-ippool', { cidr: '172.8.0.0/16' })]
    const errors = kindByKind('IPPool')!.checkAgainstPeers!(doc('IPPool', 'new', { cidr: '172.8.128.0/17' }), others)
    expect(new ValidationError(errors).message).toBe(
      "error with field IPPool.Spec.CIDR = '172.8.128.0/17' (IPPool(new) CIDR overlaps with IPPool(default-ipv4-ippool) CIDR 172.8.0.0/16)",
    )
  })
})

describe('BGPConfiguration', () => {
  it('accepts the workflow document and defaults logSeverityScreen', () => {
    const out = prepareResource(kindByKind('BGPConfiguration')!, doc('BGPConfiguration', 'default', { nodeToNodeMeshEnabled: false, asNumber: '64512' }), 'create')
    expect(out.spec).toMatchObject({ nodeToNodeMeshEnabled: false, asNumber: 64512, logSeverityScreen: 'Info' })
  })

  it('keeps default-only fields off other configurations', () => {
    expect(problem(doc('BGPConfiguration', 'node.n1', { asNumber: 65000 }))).toBe(
      "error with field BGPConfiguration.Spec.ASNumber (Cannot set ASNumber on a non default BGP Configuration.)",
    )
  })

  it('reads asdot AS numbers and rejects bad ones', () => {
    const out = prepareResource(kindByKind('BGPConfiguration')!, doc('BGPConfiguration', 'default', { asNumber: '1.10' }), 'create')
    expect(out.spec?.asNumber).toBe(65546)
    expect(problem(doc('BGPConfiguration', 'default', { asNumber: '64x' }))).toBe(
      "error with field BGPConfiguration.Spec.ASNumber = '64x' (invalid AS Number format (64x))",
    )
  })
})

describe('BGPPeer', () => {
  it('accepts selector peers of the workflow', () => {
    expect(problem(doc('BGPPeer', 'peer-to-rrs', { nodeSelector: '!has(i-am-a-route-reflector)', peerSelector: 'has(i-am-a-route-reflector)' }))).toBe('')
  })

  it.each([
    [{ peerIP: 'badpeerIP' }, "error with field PeerIP = 'badpeerIP' (Reason: failed to validate Field: PeerIP because of Tag: IP:port )"],
    [{ peerIP: '[fd00::1]:179', asNumber: 64512 }, ''],
    [{ peerIP: '10.0.0.1:179', asNumber: 64512 }, ''],
    [{ node: 'n1', nodeSelector: 'all()' }, "error with field spec (node and nodeSelector cannot both be set)"],
    [{ peerIP: '10.0.0.1', peerSelector: 'all()' }, "error with field spec (peerIP and peerSelector cannot both be set)"],
    [{ peerSelector: 'all()', asNumber: 1 }, "error with field spec (asNumber must be empty when peerSelector is set)"],
    [{ peerSelector: '' }, ''],
  ])('checks %j', (spec, message) => expect(problem(doc('BGPPeer', 'p', spec))).toBe(message))
})

describe('Node', () => {
  it('accepts the edited route-reflector node', () => {
    const rr = doc('Node', 'gihtg-k8s-master01', { bgp: { ipv4Address: '192.168.2.1/24', routeReflectorClusterID: '224.0.0.1' } }, { 'i-am-a-route-reflector': 'true' })
    expect(problem(rr)).toBe('')
  })

  it.each([
    [{ bgp: { ipv4Address: 'fd00::1/64' } }, "error with field IPv4Address = 'fd00::1/64' (Reason: failed to validate Field: IPv4Address because of Tag: cidrv4 )"],
    [{ bgp: { ipv4Address: '192.168.2.1/24', routeReflectorClusterID: '224.0.0.1/32' } }, "error with field RouteReflectorClusterID = '224.0.0.1/32' (Reason: failed to validate Field: RouteReflectorClusterID because of Tag: ipv4 )"],
    [{ bgp: {} }, "error with field BGP = '&{<nil>    }' (Spec.BGP should not be empty)"],
  ])('rejects %j', (spec, message) => expect(problem(doc('Node', 'n', spec))).toBe(message))

  it('checks Tier names as DNS-1123 labels', () => {
    expect(problem(doc('Tier', 't.dot', {}))).toBe(
      "error with field Metadata.Name = 't.dot' (name must consist of lower case alphanumeric characters or '-' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?))",
    )
    expect(problem(doc('Tier', 'a'.repeat(64), {}))).toBe(`error with field Metadata.Name = '${'a'.repeat(64)}' (name is too long by 1 bytes)`)
    expect(problem(doc('Tier', 'platform', {}))).toBe('')
  })

  it('rejects bad names and label values with Kubernetes wording', () => {
    expect(problem(doc('Node', 'Bad_Name', {}))).toBe(
      "error with field Metadata.Name = 'Bad_Name' (name must consist of lower case alphanumeric characters, '-' or '.' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*))",
    )
    expect(problem(doc('Node', 'n', {}, { rr: 'yes please' }))).toBe(
      "error with field Metadata.Labels (value) = 'yes please' (a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?'))",
    )
  })
})
