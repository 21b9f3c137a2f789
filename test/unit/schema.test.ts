import { describe, expect, it } from 'vitest'
import yaml from 'js-yaml'
import { coerceScalars, knownKinds, orderLikeGo, validateDocument } from '../../src/resources/schema.js'
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

const load = (text: string) => yaml.load(text) as Record<string, any>

describe('validateDocument', () => {
  it.each([
    ['IPPool', ipPoolYaml],
    ['BGPConfiguration', bgpConfigYaml],
    ['Node', nodeYaml],
    ['BGPPeer', bgpPeerYaml],
    ['ClusterInformation', clusterInfoYaml],
  ])('accepts the route-reflector %s document', (kind, text) => {
    expect(validateDocument(kind, load(text))).toEqual([])
  })

  it('reports unknown fields by their bare key at every level', () => {
    const node = load(nodeYaml)
    node.extra = 1
    node.metadata.colour = 'blue'
    node.spec.bgp.asNumbr = 64512
    node.spec.orchRefs[0].cluster = 'c1'
    expect(validateDocument('Node', node)).toEqual([
      { path: 'extra', goField: '', message: 'unknown field "extra"', unknownField: 'extra', value: 1 },
      { path: 'metadata.colour', goField: 'ObjectMeta', message: 'unknown field "colour"', unknownField: 'colour', value: 'blue' },
      { path: 'spec.bgp.asNumbr', goField: 'BGP', message: 'unknown field "asNumbr"', unknownField: 'asNumbr', value: 64512 },
      { path: 'spec.orchRefs[0].cluster', goField: 'OrchRefs', message: 'unknown field "cluster"', unknownField: 'cluster', value: 'c1' },
    ])
  })

  it('reports an unknown spec field, e.g. the APIv1 nat-outgoing spelling', () => {
    const pool = load(ipPoolYaml)
    pool.spec['nat-outgoing'] = true
    expect(validateDocument('IPPool', pool)).toEqual([
      { path: 'spec.nat-outgoing', goField: 'Spec', message: 'unknown field "nat-outgoing"', unknownField: 'nat-outgoing', value: true },
    ])
  })

  it('rejects a quoted number for an integer field (only strings are coerced, never to numbers)', () => {
    const pool = load(ipPoolYaml)
    pool.spec.blockSize = '26'
    expect(validateDocument('IPPool', pool)).toEqual([
      { path: 'spec.blockSize', goField: 'BlockSize', message: 'must be integer', value: '26' },
    ])
  })

  it('rejects a string for a boolean field', () => {
    const pool = load(ipPoolYaml)
    pool.spec.natOutgoing = 'yes'
    expect(validateDocument('IPPool', pool)).toEqual([
      { path: 'spec.natOutgoing', goField: 'NATOutgoing', message: 'must be boolean', value: 'yes' },
    ])
  })

  it('rejects enum values outside the CRD list, naming the allowed ones', () => {
    const pool = load(ipPoolYaml)
    pool.spec.ipipMode = 'Sometimes'
    pool.spec.allowedUses = ['Workload', 'Pods']
    expect(validateDocument('IPPool', pool)).toEqual([
      { path: 'spec.ipipMode', goField: 'IPIPMode', message: 'must be equal to one of the allowed values: Never, Always, CrossSubnet', value: 'Sometimes' },
      { path: 'spec.allowedUses[1]', goField: 'AllowedUses', message: 'must be equal to one of the allowed values: Workload, Tunnel, LoadBalancer', value: 'Pods' },
    ])
  })

  it('enforces CRD bounds and lengths', () => {
    const peer = load(bgpPeerYaml)
    peer.spec.peerIP = '1'.repeat(65)
    peer.spec.ttlSecurity = 256
    const config = load(bgpConfigYaml)
    config.spec.listenPort = 0
    config.spec.communities = [{ name: 'c', value: '65000-100' }]
    expect(validateDocument('BGPPeer', peer)).toEqual([
      { path: 'spec.peerIP', goField: 'PeerIP', message: 'must NOT have more than 64 characters', value: '1'.repeat(65) },
      { path: 'spec.ttlSecurity', goField: 'TTLSecurity', message: 'must be <= 255', value: 256 },
    ])
    expect(validateDocument('BGPConfiguration', config)).toEqual([
      { path: 'spec.communities[0].value', goField: 'Value', message: 'must match pattern "^(\\d+):(\\d+)$|^(\\d+):(\\d+):(\\d+)$"', value: '65000-100' },
      { path: 'spec.listenPort', goField: 'ListenPort', message: 'must be >= 1', value: 0 },
    ])
  })

  it('matches logSeverityScreen case-insensitively like the CRD pattern', () => {
    const config = load(bgpConfigYaml)
    config.spec.logSeverityScreen = 'warning'
    expect(validateDocument('BGPConfiguration', config)).toEqual([])
    config.spec.logSeverityScreen = 'Verbose'
    expect(validateDocument('BGPConfiguration', config).map((i) => [i.path, i.goField])).toEqual([
      ['spec.logSeverityScreen', 'LogSeverityScreen'],
    ])
  })

  it('accepts AS numbers as integers or strings (asdot), nothing else', () => {
    const peer = load(bgpPeerYaml)
    delete peer.spec.peerSelector
    peer.spec.asNumber = '1.10'
    peer.spec.localASNumber = 64512
    expect(validateDocument('BGPPeer', peer)).toEqual([])
    peer.spec.asNumber = true
    expect(validateDocument('BGPPeer', peer)).toEqual([
      { path: 'spec.asNumber', goField: 'ASNumber', message: 'must be integer,string', value: true },
      { path: 'spec.asNumber', goField: 'ASNumber', message: 'invalid AS Number format (true)', value: true },
    ])
    for (const bad of ['x.y', '99999999999', 4294967296, '65536.1']) {
      peer.spec.asNumber = bad
      expect(validateDocument('BGPPeer', peer)).toEqual([{ path: 'spec.asNumber', goField: 'ASNumber', message: `invalid AS Number format (${bad})`, value: bad }])
    }
  })

  it('does not turn numbers into strings for duration fields', () => {
    const peer = load(bgpPeerYaml)
    peer.spec.keepaliveTime = 30
    expect(validateDocument('BGPPeer', peer)).toEqual([
      { path: 'spec.keepaliveTime', goField: 'KeepaliveTime', message: 'must be string', value: 30 },
    ])
  })

  it('checks kind and apiVersion against the schema', () => {
    const pool = load(ipPoolYaml)
    pool.apiVersion = 'projectcalico.org/v2'
    expect(validateDocument('IPPool', pool)).toEqual([
      { path: 'apiVersion', goField: 'APIVersion', message: 'must be equal to constant: projectcalico.org/v3', value: 'projectcalico.org/v2' },
    ])
    expect(validateDocument('BGPPeer', load(ipPoolYaml)).map((i) => i.path)).toContain('kind')
  })

  it('treats YAML null as absent, like Go decoding', () => {
    const pool = load(`${ipPoolYaml}status:\n`)
    pool.metadata.labels = null
    expect(validateDocument('IPPool', pool)).toEqual([])
  })

  it('refuses kinds without a schema', () => {
    expect(() => validateDocument('Widget', {})).toThrow('no JSON schema for kind Widget')
  })
})

describe('coerceScalars', () => {
  it('stores a boolean label value as its string form and reports it', () => {
    const node = load(nodeYaml)
    const { doc, coerced } = coerceScalars('Node', node)
    expect((doc as Resource).metadata.labels).toEqual({ 'i-am-a-route-reflector': 'true' })
    expect(coerced).toEqual([{ path: 'metadata.labels.i-am-a-route-reflector', from: true }])
    expect(node.metadata.labels['i-am-a-route-reflector']).toBe(true)
  })

  it('formats numbers as the Go YAML decoder does (floats via float32)', () => {
    const pool = load(`${ipPoolYaml}  nodeSelector: 26\n`)
    pool.metadata.annotations = { a: 1.1, b: 3.14159265, c: 0.00001, d: 1234567.5, e: -7 }
    const { doc, coerced } = coerceScalars('IPPool', pool)
    expect((doc as Resource).metadata.annotations).toEqual({ a: '1.1', b: '3.1415927', c: '1e-05', d: '1.2345675e+06', e: '-7' })
    expect((doc as Resource).spec?.nodeSelector).toBe('26')
    expect(coerced.map((c) => c.path)).toEqual([
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
    const { doc, coerced } = coerceScalars('Node', node)
    const out = doc as Resource
    expect(out.metadata.labels).toEqual({ 'i-am-a-route-reflector': 'true', empty: '' })
    expect(out.spec?.bgp).toEqual({ ipv4Address: '192.168.2.1/24', routeReflectorClusterID: '224.0.0.1', asNumber: 64512 })
    expect(out.spec && 'wireguard' in out.spec).toBe(false)
    expect(coerced).toHaveLength(1)
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
        '"metadata":{"name":"default-ipv4-ippool","uid":"u1","resourceVersion":"12","creationTimestamp":null,"labels":{"app":"a","zone":"b"}},' +
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

  it('orders nested Node structs and keeps unknown keys after the known ones', () => {
    const node = load(nodeYaml) as Resource
    node.spec = { zz: 1, orchRefs: [{ orchestrator: 'k8s', nodeName: 'node1' }], bgp: { routeReflectorClusterID: '224.0.0.1', ipv4Address: '192.168.2.1/24', asNumber: 65000 } }
    expect(JSON.stringify(orderLikeGo('Node', node).spec)).toBe(
      '{"bgp":{"asNumber":65000,"ipv4Address":"192.168.2.1/24","routeReflectorClusterID":"224.0.0.1"},' +
        '"orchRefs":[{"nodeName":"node1","orchestrator":"k8s"}],"zz":1}',
    )
  })
})

describe('knownKinds', () => {
  it('lists the kinds that have a schema, sorted', () => {
    const kinds = knownKinds()
    expect(kinds).toEqual(expect.arrayContaining(['BGPConfiguration', 'BGPPeer', 'ClusterInformation', 'IPPool', 'Node']))
    expect(kinds).toEqual([...kinds].sort())
  })
})
