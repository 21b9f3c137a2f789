import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import yaml from 'js-yaml'
import { decodeLikeGo } from '../../src/resources/go-decode.js'
import { celCidrError, netipPrefixError } from '../../src/resources/go-netip.js'
import { crdSchemaErrors } from '../../src/resources/crd-errors.js'
import { applyCrdDefaults, orderLikeGo } from '../../src/resources/go-encode.js'
import { knownKinds, schemaFor, type SchemaNode } from '../../src/resources/schema.js'
import { schemaProblems } from '../support/decode.js'
import type { Resource } from '../../src/resources/types.js'

// The route-reflector workflow documents, as a user writes them.
const ipPoolYaml = `
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: default-ipv4-ippool
spec:
  blockSize: 26
  cidr: 172.8.0.0/16
  ipipMode: Never
  natOutgoing: true
`
const bgpConfigYaml = `
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  logSeverityScreen: Info
  nodeToNodeMeshEnabled: false
  asNumber: 64512
`
const nodeYaml = `
apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: node1
  labels:
    i-am-a-route-reflector: true
spec:
  bgp:
    ipv4Address: 192.168.2.1/24
    routeReflectorClusterID: 224.0.0.1
  orchRefs:
  - nodeName: node1
    orchestrator: k8s
`
const bgpPeerYaml = `
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: peer-with-route-reflectors
spec:
  nodeSelector: all()
  peerSelector: i-am-a-route-reflector == 'true'
`
const clusterInfoYaml = `
apiVersion: projectcalico.org/v3
kind: ClusterInformation
metadata:
  name: default
spec:
  calicoVersion: v3.31.0
  clusterGUID: 3b1a4d9e0c6f4e2aa0b5c1d2e3f40516
  clusterType: typha,kdd,k8s,operator,bgp
  datastoreReady: true
`

// Policy-side documents as the Calico docs show them.
const networkPolicyYaml = `
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: allow-tcp-6379
  namespace: production
spec:
  tier: default
  order: 100
  selector: role == 'database'
  types:
  - Ingress
  - Egress
  ingress:
  - action: Allow
    metadata:
      annotations:
        from: frontend
    protocol: TCP
    source:
      selector: role == 'frontend'
    destination:
      ports:
      - 6379
  egress:
  - action: Allow
`
const globalPolicyYaml = `
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: allow-ping-and-health
spec:
  order: 200.5
  selector: all()
  namespaceSelector: has(projectcalico.org/name)
  applyOnForward: true
  preDNAT: false
  performanceHints: [AssumeNeededOnEveryNode]
  ingress:
  - action: Allow
    protocol: ICMP
    icmp:
      type: 8
  - action: Allow
    protocol: ICMPv6
    ipVersion: 6
    notICMP: {type: 128, code: 0}
  - action: Allow
    protocol: TCP
    http:
      methods: [GET]
      paths:
      - exact: /health
    source:
      serviceAccounts: {names: [api], selector: app == 'web'}
      nets: [10.0.0.0/8]
      notPorts: [22, '1000:2000', ssh]
    destination:
      services: {name: frontend, namespace: default}
`
const profileYaml = `
apiVersion: projectcalico.org/v3
kind: Profile
metadata:
  name: dev-profile
spec:
  ingress:
  - action: Deny
    source:
      nets: [10.0.20.0/24]
  - action: Allow
    source:
      selector: profile == 'dev'
  egress:
  - action: Allow
  labelsToApply:
    profile: dev
`
const workloadEndpointYaml = `
apiVersion: projectcalico.org/v3
kind: WorkloadEndpoint
metadata:
  name: node1-k8s-frontend--5gs43-eth0
  namespace: default
  labels:
    app: frontend
    projectcalico.org/namespace: default
    projectcalico.org/orchestrator: k8s
spec:
  node: node1
  orchestrator: k8s
  pod: frontend-5gs43
  endpoint: eth0
  containerID: 3a5f2e0b9c1d
  serviceAccountName: default
  interfaceName: cali0ef24ba
  mac: ca:fe:1d:52:bb:e9
  ipNetworks:
  - 192.168.0.0/32
  ipNATs:
  - internalIP: 192.168.0.0
    externalIP: 172.16.0.10
  profiles:
  - kns.default
  ports:
  - name: connect-tcp
    port: 8080
    protocol: TCP
  - name: http
    port: 80
    protocol: 6
    hostPort: 8081
    hostIP: 0.0.0.0
  allowSpoofedSourcePrefixes: [10.1.0.0/16]
  qosControls:
    ingressBandwidth: 1000000
    egressPacketRate: 100
    dscp: AF11
`

const load = (text: string) => yaml.load(text) as Record<string, any>

describe('decoding and CRD constraints of the route-reflector kinds', () => {
  it.each([
    ['IPPool', ipPoolYaml],
    ['BGPConfiguration', bgpConfigYaml],
    ['Node', nodeYaml],
    ['BGPPeer', bgpPeerYaml],
    ['ClusterInformation', clusterInfoYaml],
  ])('accepts the route-reflector %s document', (kind, text) => {
    expect(schemaProblems(kind, load(text))).toEqual([])
  })

  it('reports unknown fields by their bare key at every level, in sorted key order', () => {
    const node = load(nodeYaml)
    node.extra = 1
    node.metadata.colour = 'blue'
    node.spec.bgp.asNumbr = 64512
    node.spec.orchRefs[0].cluster = 'c1'
    expect(schemaProblems('Node', node)).toEqual(['extra', 'colour', 'asNumbr', 'cluster'].map((f) => `json: unknown field "${f}"`))
  })

  it('reports an unknown spec field, e.g. the APIv1 nat-outgoing spelling', () => {
    const pool = load(ipPoolYaml)
    pool.spec['nat-outgoing'] = true
    expect(schemaProblems('IPPool', pool)).toEqual(['json: unknown field "nat-outgoing"'])
  })

  it.each([
    ['blockSize', '26', 'json: cannot unmarshal string into Go struct field IPPoolSpec.spec.blockSize of type int'],
    ['natOutgoing', 'yes', 'json: cannot unmarshal string into Go struct field IPPoolSpec.spec.natOutgoing of type bool'],
    ['disabled', 'True', 'json: cannot unmarshal string into Go struct field IPPoolSpec.spec.disabled of type bool'],
  ])('refuses a string for IPPool %s as Go does (strings are never taken as numbers or booleans)', (field, value, message) => {
    const pool = load(ipPoolYaml)
    pool.spec[field] = value
    expect(schemaProblems('IPPool', pool)).toEqual([message])
  })

  it('refuses enum values outside the CRD list as the API server words it', () => {
    const pool = load(ipPoolYaml)
    pool.spec.ipipMode = 'Sometimes'
    pool.spec.allowedUses = ['Workload', 'Pods']
    expect(schemaProblems('IPPool', pool)).toEqual([
      'spec.ipipMode (supported values: "Never", "Always", "CrossSubnet")',
      'spec.allowedUses[1] (supported values: "Workload", "Tunnel", "LoadBalancer")',
    ])
  })

  it('enforces CRD bounds, lengths and patterns', () => {
    const peer = load(bgpPeerYaml)
    peer.spec.peerIP = '1'.repeat(65)
    const config = load(bgpConfigYaml)
    // An omitempty zero is not written, so the CRD never sees it (listenPort minimum 1).
    config.spec.listenPort = 0
    config.spec.communities = [{ name: 'c', value: '65000-100' }]
    expect(schemaProblems('BGPPeer', peer)).toEqual(['spec.peerIP (may not be more than 64 bytes)'])
    expect(schemaProblems('BGPConfiguration', config)).toEqual([
      "spec.communities[0].value (spec.communities[0].value in body should match '^(\\d+):(\\d+)$|^(\\d+):(\\d+):(\\d+)$')",
    ])
  })

  it('refuses a number beyond the Go type while decoding', () => {
    const peer = load(bgpPeerYaml)
    peer.spec.ttlSecurity = 256
    expect(schemaProblems('BGPPeer', peer)).toEqual(['json: cannot unmarshal number 256 into Go struct field BGPPeerSpec.spec.ttlSecurity of type uint8'])
  })

  it('matches logSeverityScreen case-insensitively like the CRD pattern', () => {
    const config = load(bgpConfigYaml)
    config.spec.logSeverityScreen = 'warning'
    expect(schemaProblems('BGPConfiguration', config)).toEqual([])
    config.spec.logSeverityScreen = 'Verbose'
    // JavaScript runs an equivalent of Go's (?i); the error quotes the CRD's own pattern.
    expect(schemaProblems('BGPConfiguration', config)).toEqual([
      "spec.logSeverityScreen (spec.logSeverityScreen in body should match '^(?i)(Trace|Debug|Info|Warning|Error|Fatal)?$')",
    ])
  })

  it('decodes AS numbers as numorstring.ASNumber does', () => {
    const peer = load(bgpPeerYaml)
    delete peer.spec.peerSelector
    peer.spec.asNumber = '1.10'
    peer.spec.localASNumber = 64512
    expect(schemaProblems('BGPPeer', peer)).toEqual([])
    const cases: Array<[unknown, string]> = [
      [true, 'json: cannot unmarshal bool into Go struct field BGPPeerSpec.spec.asNumber of type string'],
      [4294967296, 'json: cannot unmarshal number into Go struct field BGPPeerSpec.spec.asNumber of type string'],
      ['x.y', 'invalid AS Number format (x.y)'],
      ['99999999999', 'invalid AS Number format (99999999999)'],
      ['65536.1', 'invalid AS Number format (65536.1)'],
    ]
    for (const [bad, message] of cases) {
      peer.spec.asNumber = bad
      expect(schemaProblems('BGPPeer', peer)).toEqual([message])
    }
  })

  it('does not turn numbers into strings for duration fields, which decode themselves', () => {
    const peer = load(bgpPeerYaml)
    peer.spec.keepaliveTime = 30
    expect(schemaProblems('BGPPeer', peer)).toEqual(['json: cannot unmarshal number into Go struct field BGPPeerSpec.spec.keepaliveTime of type string'])
  })

  it('treats YAML null as absent, like Go decoding', () => {
    const pool = load(`${ipPoolYaml}status:\n`)
    pool.metadata.labels = null
    expect(schemaProblems('IPPool', pool)).toEqual([])
  })

  it('refuses kinds without a schema', () => {
    expect(() => schemaFor('Widget')).toThrow('no JSON schema for kind Widget')
  })
})

describe('policy, profile and workload endpoint schemas', () => {
  it.each([
    ['NetworkPolicy', networkPolicyYaml],
    ['GlobalNetworkPolicy', globalPolicyYaml],
    ['Profile', profileYaml],
    ['WorkloadEndpoint', workloadEndpointYaml],
  ])('accepts a realistic %s document', (kind, text) => {
    expect(schemaProblems(kind, load(text))).toEqual([])
  })

  it('reports unknown fields inside shared rule types, egress before ingress as Go meets them', () => {
    const policy = load(networkPolicyYaml)
    policy.spec.ingress[0].source.foo = 'x'
    policy.spec.ingress[0].destination.services = { name: 'web', port: 80 }
    policy.spec.egress[0].http = { paths: [{ regex: '/a.*' }] }
    policy.spec.egress[0].icmp = { typ: 8 }
    expect(schemaProblems('NetworkPolicy', policy)).toEqual(['regex', 'typ', 'port', 'foo'].map((f) => `json: unknown field "${f}"`))
  })

  it('knows which spec fields each kind has', () => {
    const policy = load(networkPolicyYaml)
    policy.spec.doNotTrack = true
    const profile = load(profileYaml)
    profile.spec.selector = 'all()'
    const endpoint = load(workloadEndpointYaml)
    endpoint.spec.ports[0].targetPort = 80
    endpoint.spec.qosControls.ingressRate = 1
    expect(schemaProblems('NetworkPolicy', policy)).toEqual(['json: unknown field "doNotTrack"'])
    expect(schemaProblems('Profile', profile)).toEqual(['json: unknown field "selector"'])
    expect(schemaProblems('WorkloadEndpoint', endpoint)).toEqual(['json: unknown field "targetPort"', 'json: unknown field "ingressRate"'])
  })

  it.each([
    ['protocol', (p: any) => (p.spec.ingress[0].protocol = {}), 'json: cannot unmarshal object into Go struct field Rule.spec.ingress.protocol of type uint8'],
    ['ipVersion', (p: any) => (p.spec.ingress[1].ipVersion = '4'), 'json: cannot unmarshal string into Go struct field Rule.spec.ingress.ipVersion of type int'],
    ['notPorts', (p: any) => (p.spec.ingress[2].source.notPorts = [70000]), 'json: cannot unmarshal number 70000 into Go struct field EntityRule.spec.ingress.source.notPorts of type uint16'],
    ['types', (p: any) => (p.spec.types = 'Ingress'), 'json: cannot unmarshal string into Go struct field GlobalNetworkPolicySpec.spec.types of type []v3.PolicyType'],
  ])('decodes rule %s with Go\'s type text', (_field, change, message) => {
    const policy = load(globalPolicyYaml)
    change(policy)
    expect(schemaProblems('GlobalNetworkPolicy', policy)[0]).toBe(message)
  })

  it('checks decoded rules against the CRD: actions, ICMP bounds, IP versions, policy types', () => {
    const policy = load(globalPolicyYaml)
    policy.spec.ingress[0].action = 5
    policy.spec.ingress[0].icmp.type = 300
    policy.spec.ingress[1].ipVersion = 5
    policy.spec.types = ['Ingress', 'Forward']
    expect(schemaProblems('GlobalNetworkPolicy', policy)).toEqual([
      'spec.ingress[0].action (supported values: "Allow", "Deny", "Log", "Pass")',
      'spec.ingress[0].icmp.type (spec.ingress[0].icmp.type in body should be less than or equal to 254)',
      'spec.ingress[1].ipVersion (supported values: "4", "6")',
      'spec.types[1] (supported values: "Ingress", "Egress")',
    ])
  })

  it.each([
    ['65536', 'invalid port format (65536)'],
    ['1:70000', 'invalid maximum port number in range (1:70000)'],
    ['70000:1', 'invalid minimum port number in range (70000:1)'],
    ['90:80', 'minimum port number (90) is greater than maximum port number (80) in port range'],
    ['bad port', 'invalid name for named port (bad port)'],
    ['', 'invalid name for named port ()'],
  ])('refuses the port string %j as numorstring.Port does', (port, message) => {
    const policy = load(networkPolicyYaml)
    policy.spec.ingress[0].destination.ports = ['80', '8080:8090', 'named-port', 'x_y.z', port]
    expect(schemaProblems('NetworkPolicy', policy)).toEqual([message])
  })

  it('decodes workload endpoint ports, hostPorts and DSCP as Go does', () => {
    const cases: Array<[(e: any) => void, string]> = [
      [(e) => (e.spec.ports[0].port = '8080'), 'json: cannot unmarshal string into Go struct field WorkloadEndpointPort.spec.ports.port of type uint16'],
      [(e) => (e.spec.ports[1].hostPort = 65536), 'json: cannot unmarshal number 65536 into Go struct field WorkloadEndpointPort.spec.ports.hostPort of type uint16'],
      [(e) => (e.spec.qosControls.dscp = 256), 'json: cannot unmarshal number 256 into Go struct field QoSControls.spec.qosControls.dscp of type uint8'],
    ]
    for (const [change, message] of cases) {
      const endpoint = load(workloadEndpointYaml)
      change(endpoint)
      expect(schemaProblems('WorkloadEndpoint', endpoint)).toEqual([message])
    }
  })
})

describe('YAML scalars where Go wants a string', () => {
  it('stores a boolean label value as its string form and reports it', () => {
    const node = load(nodeYaml)
    const decoded = decodeLikeGo(node, schemaFor('Node'))
    expect((decoded.value as Resource).metadata.labels).toEqual({ 'i-am-a-route-reflector': 'true' })
    expect(decoded.coerced).toEqual([{ path: ['metadata', 'labels', 'i-am-a-route-reflector'], from: true }])
    expect(node.metadata.labels['i-am-a-route-reflector']).toBe(true)
  })

  it('formats numbers as the Go YAML decoder does (floats via float32)', () => {
    const pool = load(`${ipPoolYaml}  nodeSelector: 26\n`)
    pool.metadata.annotations = { a: 1.1, b: 3.14159265, c: 0.00001, d: 1234567.5, e: -7 }
    const decoded = decodeLikeGo(pool, schemaFor('IPPool'))
    const out = decoded.value as Resource
    expect(out.metadata.annotations).toEqual({ a: '1.1', b: '3.1415927', c: '1e-05', d: '1.2345675e+06', e: '-7' })
    expect(out.spec?.nodeSelector).toBe('26')
    expect(decoded.coerced.map((c) => c.path.join('.'))).toEqual([
      'metadata.annotations.a',
      'metadata.annotations.b',
      'metadata.annotations.c',
      'metadata.annotations.d',
      'metadata.annotations.e',
      'spec.nodeSelector',
    ])
  })

  it('leaves non-string fields alone and maps null the Go way', () => {
    const node = load(nodeYaml)
    node.metadata.labels.empty = null
    node.spec.bgp.asNumber = 64512
    node.spec.wireguard = null
    const decoded = decodeLikeGo(node, schemaFor('Node'))
    const out = decoded.value as Resource
    expect(out.metadata.labels).toEqual({ 'i-am-a-route-reflector': 'true', empty: '' })
    expect(out.spec?.bgp).toEqual({ ipv4Address: '192.168.2.1/24', routeReflectorClusterID: '224.0.0.1', asNumber: 64512 })
    expect(out.spec && 'wireguard' in out.spec).toBe(false)
    expect(decoded.coerced).toHaveLength(1)
  })

  it('keeps rule metadata annotations as strings and protocol numbers as numbers', () => {
    const policy = load(`${networkPolicyYaml.replace('  name: allow-tcp-6379\n', '  name: allow-tcp-6379\n  labels:\n    critical: true\n')}`)
    policy.spec.ingress[0].protocol = 6
    policy.spec.ingress[0].destination.ports = [80, '443']
    policy.spec.ingress[0].metadata.annotations.priority = 1
    policy.spec.ingress[0].source.nets = [null]
    policy.spec.ingress[0].http = null
    const decoded = decodeLikeGo(policy, schemaFor('NetworkPolicy'))
    const out = decoded.value as any
    expect(decoded.problems).toEqual([])
    expect(out.metadata.labels).toEqual({ critical: 'true' })
    expect(out.spec.ingress[0]).toEqual({
      action: 'Allow',
      metadata: { annotations: { from: 'frontend', priority: '1' } },
      protocol: 6,
      source: { selector: "role == 'frontend'", nets: [''] },
      destination: { ports: [80, 443] },
    })
    expect(decoded.coerced.map((c) => c.path.join('.'))).toEqual(['metadata.labels.critical', 'spec.ingress.0.metadata.annotations.priority'])
  })
})

describe('orderLikeGo', () => {
  it('writes an IPPool in Go struct order with sorted labels', () => {
    const pool = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'IPPool',
      status: { conditions: [{ message: 'ok', reason: 'OK', status: 'True', type: 'Allocatable', lastTransitionTime: '2024-01-01T00:00:00Z' }] },
      spec: {
        vxlanMode: 'Never',
        nodeSelector: 'all()',
        natOutgoing: true,
        ipipMode: 'Never',
        cidr: '172.8.0.0/16',
        blockSize: 26,
        assignmentMode: 'Automatic',
        allowedUses: ['Workload', 'Tunnel'],
      },
      metadata: {
        labels: { zone: 'b', app: 'a' },
        creationTimestamp: null,
        uid: 'u1',
        resourceVersion: '12',
        name: 'default-ipv4-ippool',
      },
    } as unknown as Resource
    const before = JSON.stringify(pool)
    expect(JSON.stringify(orderLikeGo('IPPool', pool))).toBe(
      '{"kind":"IPPool","apiVersion":"projectcalico.org/v3",' +
        '"metadata":{"name":"default-ipv4-ippool","uid":"u1","resourceVersion":"12","labels":{"app":"a","zone":"b"}},' +
        '"spec":{"cidr":"172.8.0.0/16","vxlanMode":"Never","ipipMode":"Never","natOutgoing":true,"blockSize":26,' +
        '"nodeSelector":"all()","allowedUses":["Workload","Tunnel"],"assignmentMode":"Automatic"},' +
        '"status":{"conditions":[{"type":"Allocatable","status":"True","lastTransitionTime":"2024-01-01T00:00:00Z","reason":"OK","message":"ok"}]}}',
    )
    expect(JSON.stringify(pool)).toBe(before)
  })

  it('orders every BGPPeer spec field like the Go struct', () => {
    const names = [
      'asNumber', 'filters', 'keepOriginalNextHop', 'keepaliveTime', 'localASNumber', 'localWorkloadSelector',
      'maxRestartTime', 'nextHopMode', 'node', 'nodeSelector', 'numAllowedLocalASNumbers', 'password',
      'peerIP', 'peerSelector', 'reachableBy', 'reversePeering', 'sourceAddress', 'ttlSecurity',
    ]
    const spec = Object.fromEntries(names.map((n) => [n, 1]))
    const peer = { kind: 'BGPPeer', apiVersion: 'projectcalico.org/v3', metadata: { name: 'p' }, spec } as unknown as Resource
    expect(Object.keys(orderLikeGo('BGPPeer', peer).spec ?? {})).toEqual([
      'node', 'nodeSelector', 'peerIP', 'asNumber', 'localASNumber', 'peerSelector', 'keepOriginalNextHop',
      'nextHopMode', 'password', 'sourceAddress', 'maxRestartTime', 'keepaliveTime', 'numAllowedLocalASNumbers',
      'ttlSecurity', 'reachableBy', 'filters', 'localWorkloadSelector', 'reversePeering',
    ])
  })

  it('writes a NetworkPolicy with rules in Go struct order, leaving out rule sides that are zero (omitzero)', () => {
    const policy = {
      spec: {
        types: ['Ingress'],
        selector: "role == 'database'",
        egress: [{ action: 'Deny', destination: { nets: ['10.0.0.0/8'] } }],
        ingress: [
          {
            metadata: { annotations: { b: '2', a: '1' } },
            http: { paths: [{ prefix: '/api', exact: '/' }], methods: ['GET'] },
            destination: {
              serviceAccounts: { selector: 'x', names: ['sa'] },
              notPorts: [22],
              notSelector: 'b',
              notNets: ['10.1.0.0/16'],
              ports: [80, '443'],
              services: { namespace: 'ns', name: 'svc' },
              namespaceSelector: 'all()',
              selector: 'a',
              nets: ['10.0.0.0/8'],
            },
            notICMP: { code: 1, type: 3 },
            notProtocol: 'UDP',
            icmp: { code: 0, type: 8 },
            protocol: 'ICMP',
            ipVersion: 4,
            action: 'Allow',
          },
        ],
        order: 100,
        tier: 'default',
      },
      metadata: { namespace: 'production', name: 'p' },
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
    } as unknown as Resource
    expect(JSON.stringify(orderLikeGo('NetworkPolicy', policy))).toBe(
      '{"kind":"NetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"p","namespace":"production"},' +
        '"spec":{"tier":"default","order":100,"ingress":[{"action":"Allow","ipVersion":4,"protocol":"ICMP",' +
        '"icmp":{"type":8,"code":0},"notProtocol":"UDP","notICMP":{"type":3,"code":1},' +
        '"destination":{"nets":["10.0.0.0/8"],"selector":"a","namespaceSelector":"all()","services":{"name":"svc","namespace":"ns"},' +
        '"ports":[80,"443"],"notNets":["10.1.0.0/16"],"notSelector":"b","notPorts":[22],"serviceAccounts":{"names":["sa"],"selector":"x"}},' +
        '"http":{"methods":["GET"],"paths":[{"exact":"/","prefix":"/api"}]},"metadata":{"annotations":{"a":"1","b":"2"}}}],' +
        '"egress":[{"action":"Deny","destination":{"nets":["10.0.0.0/8"]}}],' +
        '"selector":"role == \'database\'","types":["Ingress"]}}',
    )
  })

  it('orders every GlobalNetworkPolicy spec field like the Go struct and writes an empty spec as {}', () => {
    const names = [
      'applyOnForward', 'doNotTrack', 'egress', 'ingress', 'namespaceSelector', 'order', 'performanceHints',
      'preDNAT', 'selector', 'serviceAccountSelector', 'tier', 'types',
    ]
    const spec = Object.fromEntries(names.map((n) => [n, 1]))
    const policy = { kind: 'GlobalNetworkPolicy', apiVersion: 'projectcalico.org/v3', metadata: { name: 'g' }, spec } as unknown as Resource
    expect(Object.keys(orderLikeGo('GlobalNetworkPolicy', policy).spec ?? {})).toEqual([
      'tier', 'order', 'ingress', 'egress', 'selector', 'types', 'doNotTrack', 'preDNAT', 'applyOnForward',
      'serviceAccountSelector', 'namespaceSelector', 'performanceHints',
    ])
    const profile = { kind: 'Profile', apiVersion: 'projectcalico.org/v3', metadata: { name: 'p' } } as Resource
    expect(orderLikeGo('Profile', profile)).toEqual({ ...profile, spec: {} })
  })

  it('writes workload endpoint ports and NATs with the zero values Go always encodes', () => {
    const endpoint = {
      kind: 'WorkloadEndpoint',
      apiVersion: 'projectcalico.org/v3',
      metadata: { name: 'wep', namespace: 'default' },
      spec: {
        qosControls: { dscp: 'AF11', egressMaxConnections: 10, ingressBandwidth: 1000000 },
        ports: [{ port: 80, name: 'http' }, { hostIP: '0.0.0.0', hostPort: 8081, port: 8080, protocol: 'TCP', name: 'alt' }],
        ipNATs: [{ externalIP: '172.16.0.10' }],
        ipNetworks: ['192.168.0.0/32'],
        node: 'node1',
        orchestrator: 'k8s',
      },
    } as unknown as Resource
    expect(JSON.stringify(orderLikeGo('WorkloadEndpoint', endpoint).spec)).toBe(
      '{"orchestrator":"k8s","node":"node1","ipNetworks":["192.168.0.0/32"],"ipNATs":[{"internalIP":"","externalIP":"172.16.0.10"}],' +
        '"ports":[{"name":"http","protocol":0,"port":80,"hostPort":0,"hostIP":""},' +
        '{"name":"alt","protocol":"TCP","port":8080,"hostPort":8081,"hostIP":"0.0.0.0"}],' +
        '"qosControls":{"ingressBandwidth":1000000,"egressMaxConnections":10,"dscp":"AF11"}}',
    )
  })

  it('orders nested Node structs and keeps unknown keys after the known ones', () => {
    const node = load(nodeYaml) as Resource
    node.spec = { zz: 1, orchRefs: [{ orchestrator: 'k8s', nodeName: 'node1' }], bgp: { routeReflectorClusterID: '224.0.0.1', ipv4Address: '192.168.2.1/24', asNumber: 65000 } }
    expect(JSON.stringify(orderLikeGo('Node', node).spec)).toBe(
      '{"bgp":{"asNumber":65000,"ipv4Address":"192.168.2.1/24","routeReflectorClusterID":"224.0.0.1"},' +
        '"orchRefs":[{"nodeName":"node1","orchestrator":"k8s"}],"zz":1}',
    )
  })
})

describe('orderLikeGo and omitempty', () => {
  const doc = (kind: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'r' }): Resource =>
    ({ kind, apiVersion: 'projectcalico.org/v3', metadata, spec }) as unknown as Resource
  const specOf = (kind: string, spec: Record<string, unknown>): string => JSON.stringify(orderLikeGo(kind, doc(kind, spec)).spec)

  it('drops a NetworkPolicy\'s empty selector, rule lists and types but keeps order 0 and each rule\'s action', () => {
    const spec = {
      tier: '', order: 0, selector: '', types: [], egress: [], serviceAccountSelector: '', performanceHints: [],
      ingress: [{ action: '', source: { selector: '' }, destination: { selector: '', notSelector: '' } }],
    }
    expect(specOf('NetworkPolicy', spec)).toBe('{"order":0,"ingress":[{"action":""}]}')
    expect(specOf('NetworkPolicy', { ingress: [] })).toBe('{}')
  })

  it('drops GlobalNetworkPolicy flags that are false and an empty namespaceSelector, keeping the true ones', () => {
    const spec = { order: 0, doNotTrack: false, preDNAT: false, applyOnForward: false, namespaceSelector: '', selector: 'all()' }
    expect(specOf('GlobalNetworkPolicy', spec)).toBe('{"order":0,"selector":"all()"}')
    expect(specOf('GlobalNetworkPolicy', { ...spec, doNotTrack: true, applyOnForward: true })).toBe(
      '{"order":0,"selector":"all()","doNotTrack":true,"applyOnForward":true}',
    )
  })

  it('drops a Profile\'s empty labelsToApply and rule lists, leaving spec {}', () => {
    expect(specOf('Profile', { labelsToApply: {}, ingress: [], egress: [] })).toBe('{}')
    expect(specOf('Profile', { labelsToApply: { env: '' } })).toBe('{"labelsToApply":{"env":""}}')
  })

  it('drops empty WorkloadEndpoint fields but keeps the port zeros Go always writes', () => {
    const spec = {
      node: 'node1', mac: '', profiles: [], ipNetworks: [], ipNATs: [], containerID: '', interfaceName: 'cali0',
      ports: [{ name: 'http', port: 80, hostPort: 0, hostIP: '' }], qosControls: { ingressBandwidth: 0, egressBurst: 5 },
    }
    expect(specOf('WorkloadEndpoint', spec)).toBe(
      '{"node":"node1","interfaceName":"cali0","ports":[{"name":"http","protocol":0,"port":80,"hostPort":0,"hostIP":""}],' +
        '"qosControls":{"egressBurst":5}}',
    )
  })

  it('drops empty metadata maps, zero scalars and a null creationTimestamp (omitzero) but keeps empty label values', () => {
    const metadata = { name: 'p', namespace: '', uid: '', generation: 0, labels: {}, annotations: {}, finalizers: [], creationTimestamp: null }
    expect(JSON.stringify(orderLikeGo('IPPool', doc('IPPool', { cidr: '10.0.0.0/16' }, metadata)).metadata)).toBe('{"name":"p"}')
    const stamped = { name: 'p', creationTimestamp: '2026-01-05T12:00:00Z' }
    expect(orderLikeGo('IPPool', doc('IPPool', {}, stamped)).metadata).toEqual(stamped)
    const labelled = orderLikeGo('Node', doc('Node', {}, { name: 'n', labels: { rr: '' }, annotations: { a: 'x' } }))
    expect(labelled.metadata).toEqual({ name: 'n', labels: { rr: '' }, annotations: { a: 'x' } })
  })

  it('drops an IPPool\'s false natOutgoing, disabled and disableBGPExport', () => {
    const spec = { cidr: '10.0.0.0/16', natOutgoing: false, disabled: false, disableBGPExport: false, blockSize: 26 }
    expect(specOf('IPPool', spec)).toBe('{"cidr":"10.0.0.0/16","blockSize":26}')
    expect(specOf('IPPool', { ...spec, disabled: true })).toBe('{"cidr":"10.0.0.0/16","disabled":true,"blockSize":26}')
  })

  it('keeps the zero values of pointer fields, which Go writes', () => {
    expect(specOf('BGPConfiguration', { logSeverityScreen: '', nodeToNodeMeshEnabled: false, listenPort: 0, ignoredInterfaces: [] })).toBe(
      '{"nodeToNodeMeshEnabled":false}',
    )
    expect(specOf('ClusterInformation', { calicoVersion: '', datastoreReady: false })).toBe('{"datastoreReady":false}')
    expect(specOf('Tier', { order: 0 })).toBe('{"order":0}')
    expect(specOf('BGPPeer', { keepOriginalNextHop: false, asNumber: 0, peerIP: '', numAllowedLocalASNumbers: 0 })).toBe(
      '{"numAllowedLocalASNumbers":0}',
    )
  })

  it('writes a Tier\'s status as {} (TierStatus is a struct, so omitempty does not drop it) and keeps its conditions', () => {
    expect(orderLikeGo('Tier', doc('Tier', { order: 100 })).status).toEqual({})
    const conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-05T12:00:00Z', reason: 'OK', message: '' }]
    const tier = { ...doc('Tier', {}), status: { conditions } } as Resource
    expect(schemaProblems('Tier', tier)).toEqual([])
    expect(orderLikeGo('Tier', tier).status).toEqual({ conditions })
  })

  it('knows KubeControllers host endpoint template annotations, between labels and nodeSelector', () => {
    const template = { nodeSelector: 'all()', annotations: { b: '2', a: '1' }, labels: { x: 'y' }, generateName: 'auto' }
    const kcc = doc('KubeControllersConfiguration', { controllers: { node: { hostEndpoint: { templates: [template] } } } })
    expect(schemaProblems('KubeControllersConfiguration', kcc)).toEqual([])
    const written = orderLikeGo('KubeControllersConfiguration', kcc).spec as { controllers: { node: { hostEndpoint: { templates: unknown[] } } } }
    expect(JSON.stringify(written.controllers.node.hostEndpoint.templates)).toBe('[{"generateName":"auto","labels":{"x":"y"},"annotations":{"a":"1","b":"2"},"nodeSelector":"all()"}]')
  })

  it('orders FelixConfiguration nftables fields like the Go struct', () => {
    const spec = { nftablesMarkMask: 1, nftablesFlowTableDataIfacePattern: 'eth.*', nftablesRefreshInterval: '90s', nftablesFlowTableOffload: 'Enabled', nftablesMode: 'Enabled' }
    expect(Object.keys(orderLikeGo('FelixConfiguration', doc('FelixConfiguration', spec)).spec ?? {}).filter((k) => k.startsWith('nftables'))).toEqual([
      'nftablesMode', 'nftablesFlowTableOffload', 'nftablesFlowTableDataIfacePattern', 'nftablesRefreshInterval', 'nftablesMarkMask',
    ])
  })

  it('marks every field with at most one of omitempty, omitzero, always-written struct and zero value', () => {
    const clashes: string[] = []
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return
      const n = node as Record<string, unknown>
      const marks = [n['x-omitempty'], n['x-omitzero'], n['x-go-struct'], n['x-go-zero'] !== undefined].filter(Boolean)
      if (marks.length > 1) clashes.push(path)
      for (const [key, child] of Object.entries(n)) walk(child, `${path}/${key}`)
    }
    for (const file of readdirSync(new URL('../../schemas/', import.meta.url), { recursive: true })) {
      if (String(file).endsWith('.json')) walk(JSON.parse(readFileSync(new URL(`../../schemas/${String(file)}`, import.meta.url), 'utf8')), String(file))
    }
    expect(clashes).toEqual([])
  })
})

describe('orderLikeGo and omitzero', () => {
  const rulesOf = (kind: string, rules: unknown[]): unknown => {
    const doc = { kind, apiVersion: 'projectcalico.org/v3', metadata: { name: 'p' }, spec: { ingress: rules } } as unknown as Resource
    return orderLikeGo(kind, doc).spec?.ingress
  }

  it('leaves out a rule\'s absent, empty or all-zero source and destination', () => {
    for (const kind of ['NetworkPolicy', 'GlobalNetworkPolicy', 'StagedNetworkPolicy', 'StagedGlobalNetworkPolicy', 'Profile']) {
      expect(rulesOf(kind, [{ action: 'Allow' }])).toEqual([{ action: 'Allow' }])
      expect(rulesOf(kind, [{ action: 'Allow', source: {}, destination: {} }])).toEqual([{ action: 'Allow' }])
      expect(rulesOf(kind, [{ action: 'Allow', source: { selector: '', notSelector: '' }, destination: null }])).toEqual([{ action: 'Allow' }])
    }
  })

  it('keeps a rule side with any field set, in Go order', () => {
    expect(rulesOf('NetworkPolicy', [{ action: 'Deny', destination: { ports: [80], selector: 'a' } }])).toEqual([
      { action: 'Deny', destination: { selector: 'a', ports: [80] } },
    ])
    expect(JSON.stringify(rulesOf('NetworkPolicy', [{ destination: { selector: 'a' }, source: { nets: ['10.0.0.0/8'] }, action: 'Allow' }]))).toBe(
      '[{"action":"Allow","source":{"nets":["10.0.0.0/8"]},"destination":{"selector":"a"}}]',
    )
  })

  it('treats a set list or pointer as non-zero even when empty, as Go does (written as {} after omitempty)', () => {
    // `nets: []` decodes to a non-nil empty slice: the EntityRule is not zero, but omitempty drops the list.
    expect(rulesOf('NetworkPolicy', [{ action: 'Allow', source: { nets: [] } }])).toEqual([{ action: 'Allow', source: {} }])
    expect(rulesOf('NetworkPolicy', [{ action: 'Allow', destination: { ports: [] } }])).toEqual([{ action: 'Allow', destination: {} }])
    // services and serviceAccounts are pointers: set to {} they are written.
    expect(rulesOf('NetworkPolicy', [{ action: 'Allow', destination: { services: {} } }])).toEqual([
      { action: 'Allow', destination: { services: {} } },
    ])
    expect(rulesOf('GlobalNetworkPolicy', [{ action: 'Allow', source: { serviceAccounts: { names: [] } } }])).toEqual([
      { action: 'Allow', source: { serviceAccounts: {} } },
    ])
  })

  it('leaves out a null or absent creationTimestamp on every kind and keeps a set one', () => {
    for (const kind of knownKinds()) {
      const doc = { kind, apiVersion: 'projectcalico.org/v3', metadata: { name: 'x', creationTimestamp: null } } as unknown as Resource
      expect(orderLikeGo(kind, doc).metadata).toEqual({ name: 'x' })
      const stamped = { ...doc, metadata: { name: 'x', creationTimestamp: '2026-01-05T12:00:00Z' } } as Resource
      expect(orderLikeGo(kind, stamped).metadata.creationTimestamp).toBe('2026-01-05T12:00:00Z')
    }
  })

  it('treats a known field holding null as absent, as Go decodes it', () => {
    const config = { kind: 'BGPConfiguration', apiVersion: 'projectcalico.org/v3', metadata: { name: 'default', labels: null }, spec: { nodeToNodeMeshEnabled: null, asNumber: null } }
    expect(orderLikeGo('BGPConfiguration', config as unknown as Resource)).toEqual({
      kind: 'BGPConfiguration', apiVersion: 'projectcalico.org/v3', metadata: { name: 'default' }, spec: {},
    })
    expect(orderLikeGo('IPPool', { kind: 'IPPool', metadata: null, spec: null } as unknown as Resource)).toEqual({ kind: 'IPPool', metadata: {}, spec: { cidr: '' } })
  })
})

describe('x-go-type', () => {
  type Node = Record<string, unknown>
  const schemaFiles = (): Array<[string, Node]> =>
    readdirSync(new URL('../../schemas/', import.meta.url), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => [f, JSON.parse(readFileSync(new URL(`../../schemas/${f}`, import.meta.url), 'utf8')) as Node])

  /** Every schema node below `node` (properties, items, map values, definitions), with its path. */
  const nodes = (node: Node, path: string, out: Array<[string, Node]> = []): Array<[string, Node]> => {
    out.push([path, node])
    for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, Node>)) nodes(child, `${path}.${key}`, out)
    for (const [key, child] of Object.entries((node.definitions ?? {}) as Record<string, Node>)) nodes(child, `${path}#${key}`, out)
    if (typeof node.items === 'object') nodes(node.items as Node, `${path}[]`, out)
    if (typeof node.additionalProperties === 'object') nodes(node.additionalProperties as Node, `${path}{}`, out)
    return out
  }
  const all = (): Array<[string, Node]> => schemaFiles().flatMap(([file, schema]) => nodes(schema, file))
  const types = (n: Node): unknown[] => (Array.isArray(n.type) ? n.type : n.type === undefined ? [] : [n.type])

  it('is on every struct node, kind roots included, and on every integer or number node', () => {
    const missing = all()
      .filter(([, n]) => n.$ref === undefined && n['x-go-type'] === undefined)
      .filter(([, n]) => n.properties !== undefined || types(n).includes('integer') || types(n).includes('number'))
      .map(([path]) => path)
    expect(missing).toEqual([])
  })

  it('names the kind\'s Go struct at each root', () => {
    const roots = Object.fromEntries(schemaFiles().filter(([f]) => !f.includes('/')).map(([, s]) => [(s.properties as Record<string, Node>).kind.const, s['x-go-type']]))
    for (const [kind, type] of Object.entries(roots)) {
      expect(type).toBe(['Node', 'WorkloadEndpoint'].includes(kind) ? `internalapi.${kind}` : `v3.${kind}`)
    }
  })

  it('is a Go type string, a []type only on arrays and a map type only on maps, never beside a $ref', () => {
    const bad = all().filter(([, n]) => {
      const type = n['x-go-type']
      if (type === undefined) return false
      if (typeof type !== 'string' || n.$ref !== undefined || !/^(\[\]\*?|map\[string\]\*?)*[a-z0-9]+(\.[A-Z][A-Za-z0-9]*)?$/.test(type)) return true
      // A named slice type (v3.RouteTableRanges) is an array without the [] prefix.
      return (type.startsWith('[]') && n.type !== 'array') || (type.startsWith('map[') && (n.type !== 'object' || n.properties !== undefined))
    })
    expect(bad.map(([path, n]) => `${path}: ${String(n['x-go-type'])}`)).toEqual([])
  })
})

describe('knownKinds', () => {
  it('lists the kinds that have a schema, sorted', () => {
    const kinds = knownKinds()
    expect(kinds).toEqual(
      expect.arrayContaining([
        'BGPConfiguration', 'BGPPeer', 'ClusterInformation', 'GlobalNetworkPolicy', 'IPPool', 'NetworkPolicy', 'Node', 'Profile',
        'WorkloadEndpoint',
      ]),
    )
    expect(kinds).toEqual([...kinds].sort())
  })
})

describe('CRD constraints in the schemas', () => {
  /** Every schema node with its path, shared definitions included. */
  function* nodes(node: unknown, path: string): Generator<[string, SchemaNode]> {
    if (typeof node !== 'object' || node === null) return
    yield [path, node as SchemaNode]
    for (const [key, child] of Object.entries(node)) yield* nodes(child, `${path}/${key}`)
  }
  const schemaFiles = [
    ...readdirSync(new URL('../../schemas/', import.meta.url)).filter((f) => f.endsWith('.json')),
    ...readdirSync(new URL('../../schemas/shared/', import.meta.url)).map((f) => `shared/${f}`),
  ]
  const all = schemaFiles.flatMap((f) => [...nodes(JSON.parse(readFileSync(new URL(`../../schemas/${f}`, import.meta.url), 'utf8')), f)])

  it("keeps the CRD's own text of every pattern JavaScript cannot compile as written", () => {
    // Go's (?i) is spelled out in JavaScript as [Aa] classes.
    const rewritten = all.filter(([, n]) => typeof n.pattern === 'string' && /\[([A-Z])([a-z])\]/.test(n.pattern))
    expect(rewritten.length).toBe(20)
    for (const [path, n] of rewritten) expect(n['x-crd-pattern'], path).toMatch(/^\^\(\?i\)/)
    for (const [path, n] of all.filter(([, n]) => n['x-crd-pattern'] !== undefined)) {
      expect(() => new RegExp(n['x-crd-pattern'] as string, 'u'), path).toThrow()
      expect(typeof n.pattern, path).toBe('string')
    }
  })

  it('quotes the CRD pattern for every FelixConfiguration field whose pattern was rewritten', () => {
    const felix = schemaFor('FelixConfiguration').properties?.spec?.properties ?? {}
    const fields = Object.entries(felix).filter(([, n]) => n['x-crd-pattern'] !== undefined)
    expect(fields.length).toBe(19)
    for (const [field, n] of fields) {
      const errors = crdSchemaErrors('FelixConfiguration', { apiVersion: 'projectcalico.org/v3', kind: 'FelixConfiguration', metadata: { name: 'default' }, spec: { [field]: 'no such value' } })
      // Some have an enum too, which kube-openapi checks after the pattern.
      expect(errors[0]).toEqual({ name: `spec.${field}`, reason: `spec.${field} in body should match '${String(n['x-crd-pattern'])}'` })
      expect(errors.slice(1).map((e) => e.reason)).toEqual(n.enum ? [`supported values: ${(n.enum as string[]).map((v) => `"${v}"`).join(', ')}`] : [])
    }
  })

  it('checks nothing of kinds without a CRD (Node, WorkloadEndpoint, Profile)', () => {
    expect(knownKinds().filter((k) => schemaFor(k)['x-no-crd'])).toEqual(['Node', 'Profile', 'WorkloadEndpoint'])
    const rules = Array.from({ length: 1025 }, () => ({ action: 'Allow' }))
    expect(crdSchemaErrors('Profile', { apiVersion: 'projectcalico.org/v3', kind: 'Profile', metadata: { name: 'p' }, spec: { ingress: rules } })).toEqual([])
  })

  it('applies CRD defaults where Go would not write the field, inside every object present', () => {
    const tier: Resource = { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 't' } }
    applyCrdDefaults('Tier', tier)
    expect(tier.spec).toEqual({ defaultAction: 'Deny' })
    const pool: Resource = { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.0.0.0/16', nodeSelector: '' } }
    applyCrdDefaults('IPPool', pool)
    // nodeSelector is omitempty: Go leaves "" out, so the default applies.
    expect(pool.spec).toEqual({ cidr: '10.0.0.0/16', nodeSelector: 'all()', assignmentMode: 'Automatic' })
    // autoAllocateBlocks has no omitempty: Go always writes it, so its default (true) never applies.
    const ipam: Resource = { apiVersion: 'projectcalico.org/v3', kind: 'IPAMConfiguration', metadata: { name: 'default' }, spec: {} }
    applyCrdDefaults('IPAMConfiguration', ipam)
    expect(ipam.spec).toEqual({ maxBlocksPerHost: 0 })
    // Only inside objects the document has: a load balancer controller gets its assignIPs.
    const kcc: Resource = { apiVersion: 'projectcalico.org/v3', kind: 'KubeControllersConfiguration', metadata: { name: 'default' }, spec: { controllers: { loadBalancer: {} } } }
    applyCrdDefaults('KubeControllersConfiguration', kcc)
    expect(kcc.spec).toEqual({ controllers: { loadBalancer: { assignIPs: 'AllServices' } }, healthChecks: 'Enabled' })
    const profile: Resource = { apiVersion: 'projectcalico.org/v3', kind: 'Profile', metadata: { name: 'p' } }
    applyCrdDefaults('Profile', profile)
    expect(profile).toEqual({ apiVersion: 'projectcalico.org/v3', kind: 'Profile', metadata: { name: 'p' } })
  })
})

describe("Go's netip, as the CEL cidr() library reports it", () => {
  it.each([
    ['10.0.0.0/8', undefined],
    ['fd00::/64', undefined],
    ['', "netip.ParsePrefix(\"\"): no '/'"],
    ['10.0.0.1', "netip.ParsePrefix(\"10.0.0.1\"): no '/'"],
    ['/24', 'netip.ParsePrefix("/24"): ParseAddr(""): unable to parse IP'],
    ['1.2.3.4/-1', 'netip.ParsePrefix("1.2.3.4/-1"): bad bits after slash: "-1"'],
    ['10.0.0.0/08', 'netip.ParsePrefix("10.0.0.0/08"): bad bits after slash: "08"'],
    ['10.0.0.0/33', 'netip.ParsePrefix("10.0.0.0/33"): prefix length out of range'],
    ['::/129', 'netip.ParsePrefix("::/129"): prefix length out of range'],
    ['1::2::3/64', 'netip.ParsePrefix("1::2::3/64"): ParseAddr("1::2::3"): multiple :: in address (at ":3")'],
    ['1.2.3.256/24', 'netip.ParsePrefix("1.2.3.256/24"): ParseAddr("1.2.3.256"): IPv4 field has value >255'],
    ['01.2.3.4/24', 'netip.ParsePrefix("01.2.3.4/24"): ParseAddr("01.2.3.4"): IPv4 field has octet with leading zero'],
    ['12345::/33', 'netip.ParsePrefix("12345::/33"): ParseAddr("12345::"): each group must have 4 or less digits (at "12345::")'],
    ['fe80::1%eth0/64', 'netip.ParsePrefix("fe80::1%eth0/64"): IPv6 zones cannot be present in a prefix'],
    ['1.2.3/8', 'netip.ParsePrefix("1.2.3/8"): ParseAddr("1.2.3"): IPv4 address too short'],
    ['a.b/8', 'netip.ParsePrefix("a.b/8"): ParseAddr("a.b"): unexpected character (at "a.b")'],
  ])('%j', (text, error) => expect(netipPrefixError(text)).toBe(error))

  it('wraps the error twice, and refuses IPv4-mapped IPv6 prefixes', () => {
    const prefix = 'network address parse error during conversion from string: '
    expect(celCidrError('10.0.0.1')).toBe(`${prefix}${prefix}netip.ParsePrefix("10.0.0.1"): no '/'`)
    expect(celCidrError('::ffff:10.0.0.0/104')).toBe(`${prefix}IPv4-mapped IPv6 address "::ffff:10.0.0.0/104" is not allowed`)
    expect(celCidrError('10.0.0.1/16')).toBeUndefined()
  })
})
