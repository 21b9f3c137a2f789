import { describe, expect, it } from 'vitest'
import yaml from 'js-yaml'
import { defaultResource, prepareResource } from '../../src/client/calico-client.js'
import { ValidationError } from '../../src/errors.js'
import { bgpFilter } from '../../src/resources/bgpfilter.js'
import { calicoNodeStatus } from '../../src/resources/caliconodestatus.js'
import { ipamConfiguration } from '../../src/resources/ipamconfiguration.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import { orderLikeGo } from '../../src/resources/go-encode.js'
import { schemaProblems } from '../support/decode.js'
import { stagedGlobalNetworkPolicy, stagedKubernetesNetworkPolicy, stagedNetworkPolicy } from '../../src/resources/stagedpolicies.js'
import type { Resource } from '../../src/resources/types.js'

const load = (text: string) => yaml.load(text) as Resource

const doc = (kind: string, spec: Record<string, unknown>, name = 'sample', namespace?: string): Resource => ({
  apiVersion: 'projectcalico.org/v3',
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec,
})

/** The message a user sees when the client refuses a resource ('' when it is accepted). */
function problem(kind: KindDefinition, resource: Resource): string {
  try {
    prepareResource(kind, resource, 'create')
    return ''
  } catch (err) {
    return (err as Error).message
  }
}

/** Defaults then semantic checks, as the client runs them: the Go validator's, then the CRD's CEL rules. */
function findings(kind: KindDefinition, resource: Resource) {
  defaultResource(kind, resource)
  return [...(kind.check?.(resource, { operation: 'create' }) ?? []), ...(kind.crdRules?.(resource) ?? [])]
}

const cells = (kind: KindDefinition, table: 'ps' | 'wide', r: Resource) => kind.columns[table].map((c) => [c.header, c.value(r, {})])

const tag = (field: string, tagName: string) => `Reason: failed to validate Field: ${field} because of Tag: ${tagName} `

// From the Calico docs (BGPFilter, IPAMConfiguration, CalicoNodeStatus and staged policy references).
const bgpFilterYaml = `
apiVersion: projectcalico.org/v3
kind: BGPFilter
metadata:
  name: my-filter
spec:
  exportV4:
    - action: Accept
      matchOperator: In
      cidr: 77.0.0.0/16
      source: RemotePeers
    - action: Reject
      interface: '*.calico'
  importV4:
    - action: Accept
      matchOperator: In
      cidr: 55.0.0.0/16
      prefixLength:
        min: 30
    - action: Reject
      matchOperator: NotIn
      cidr: 44.0.0.0/16
  exportV6:
    - action: Reject
      source: RemotePeers
  importV6:
    - action: Accept
      matchOperator: Equal
      cidr: 5000::0/64
`
const ipamConfigYaml = `
apiVersion: projectcalico.org/v3
kind: IPAMConfiguration
metadata:
  name: default
spec:
  strictAffinity: false
  maxBlocksPerHost: 4
  kubeVirtVMAddressPersistence: Enabled
`
const nodeStatusYaml = `
apiVersion: projectcalico.org/v3
kind: CalicoNodeStatus
metadata:
  name: my-caliconodestatus-1
spec:
  classes: [Agent, BGP, Routes]
  node: my-kadm-node-0
  updatePeriodSeconds: 10
status:
  agent:
    birdV4: {lastBootTime: '2021-09-19 20:48:56', routerID: 10.128.0.240, state: Ready, version: v0.3.3+birdv1.6.8}
  bgp:
    numberEstablishedV4: 0
    numberEstablishedV6: 0
    numberNotEstablishedV4: 1
    numberNotEstablishedV6: 0
    peersV4: [{peerIP: 10.128.0.182, since: '20:48:56', state: Connect, type: NodeMesh}]
  lastUpdated: '2021-09-19T20:49:15Z'
  routes:
    routesV4:
      - {destination: 0.0.0.0/0, gateway: 10.128.0.1, interface: eth0, learnedFrom: {sourceType: Kernel}, type: FIB}
`
const stagedPolicyYaml = `
apiVersion: projectcalico.org/v3
kind: StagedNetworkPolicy
metadata:
  name: allow-tcp-6379
  namespace: production
spec:
  selector: role == 'database'
  types: [Ingress, Egress]
  ingress:
    - action: Allow
      metadata:
        annotations: {from: frontend, to: database}
      protocol: TCP
      source:
        selector: role == 'frontend'
      destination:
        ports: [6379]
  egress:
    - action: Allow
`
const stagedGlobalPolicyYaml = `
apiVersion: projectcalico.org/v3
kind: StagedGlobalNetworkPolicy
metadata:
  name: allow-tcp-6379
spec:
  stagedAction: Set
  selector: role == 'database'
  ingress:
    - action: Allow
      protocol: TCP
      source: {selector: role == 'frontend'}
      destination: {ports: [6379]}
`
const stagedK8sPolicyYaml = `
apiVersion: projectcalico.org/v3
kind: StagedKubernetesNetworkPolicy
metadata:
  name: test-network-policy
  namespace: default
spec:
  podSelector:
    matchLabels: {role: db}
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}
        - namespaceSelector: {matchLabels: {project: myproject}}
        - podSelector: {matchLabels: {role: frontend}}
      ports:
        - {protocol: TCP, port: 6379}
  egress:
    - to: [{ipBlock: {cidr: 10.0.0.0/24}}]
      ports: [{protocol: TCP, port: 5978}]
`

describe('documents from the Calico docs', () => {
  it.each([
    ['BGPFilter', bgpFilterYaml],
    ['IPAMConfiguration', ipamConfigYaml],
    ['CalicoNodeStatus', nodeStatusYaml],
    ['StagedNetworkPolicy', stagedPolicyYaml],
    ['StagedGlobalNetworkPolicy', stagedGlobalPolicyYaml],
    ['StagedKubernetesNetworkPolicy', stagedK8sPolicyYaml],
  ])('validate a %s', (kind, text) => expect(schemaProblems(kind, load(text))).toEqual([]))

  it.each([
    ['BGPFilter', bgpFilter, bgpFilterYaml],
    ['IPAMConfiguration', ipamConfiguration, ipamConfigYaml],
    ['CalicoNodeStatus', calicoNodeStatus, nodeStatusYaml],
    ['StagedNetworkPolicy', stagedNetworkPolicy, stagedPolicyYaml],
    ['StagedGlobalNetworkPolicy', stagedGlobalNetworkPolicy, stagedGlobalPolicyYaml],
    ['StagedKubernetesNetworkPolicy', stagedKubernetesNetworkPolicy, stagedK8sPolicyYaml],
  ])('pass the semantic checks: %s', (_name, kind, text) => expect(problem(kind, load(text))).toBe(''))

  it('rejects values outside the enums', () => {
    const filter = doc('BGPFilter', { exportV4: [{ action: 'Drop' }] })
    expect(schemaProblems('BGPFilter', filter)).toEqual(['spec.exportV4[0].action (supported values: "Accept", "Reject")'])
  })
})

describe('command-line names', () => {
  it.each([
    [bgpFilter.kind, bgpFilter, 'bgpfilters', ['bgpfilter', 'bgpfilters', 'bgpf', 'bgpfs', 'bf', 'bfs']],
    [ipamConfiguration.kind, ipamConfiguration, 'ipamconfigurations', ['ipamconfiguration', 'ipamconfigurations', 'ipamconfig', 'ipamconfigs']],
    [calicoNodeStatus.kind, calicoNodeStatus, 'caliconodestatuses', ['caliconodestatus', 'caliconodestatuses', 'nodestatus', 'nodestatuses']],
    [stagedNetworkPolicy.kind, stagedNetworkPolicy, 'stagednetworkpolicies', ['stagednetworkpolicy', 'stagednetworkpolicies', 'stagedpolicy', 'snp', 'stagedpolicies', 'spol', 'spols']],
    [stagedGlobalNetworkPolicy.kind, stagedGlobalNetworkPolicy, 'stagedglobalnetworkpolicies', ['stagedglobalnetworkpolicy', 'stagedglobalnetworkpolicies', 'sgnp', 'sgnps']],
    [
      stagedKubernetesNetworkPolicy.kind,
      stagedKubernetesNetworkPolicy,
      'stagedkubernetesnetworkpolicies',
      ['stagedkubernetesnetworkpolicy', 'stagedkubernetesnetworkpolicies', 'stagedkubernetespolicy', 'sknp', 'stagedkubernetespolicies', 'skpol', 'skpols'],
    ],
  ] as const)('%s', (_name, kind, plural, names) => {
    expect([kind.plural, kind.names]).toEqual([plural, names])
  })

  it('marks the staged Calico policies as policies and namespaces what upstream namespaces', () => {
    const kinds = [stagedNetworkPolicy, stagedGlobalNetworkPolicy, stagedKubernetesNetworkPolicy, bgpFilter]
    expect(kinds.map((k) => [k.kind, k.policy === true, k.namespaced])).toEqual([
      ['StagedNetworkPolicy', true, true],
      ['StagedGlobalNetworkPolicy', true, false],
      ['StagedKubernetesNetworkPolicy', false, true],
      ['BGPFilter', false, false],
    ])
  })
})

describe('BGPFilter', () => {
  it('writes rules in Go field order and leaves out empty fields', () => {
    const filter = doc('BGPFilter', {
      importV4: [],
      exportV4: [{ action: 'Accept', source: '', interface: '', cidr: '10.0.0.0/8', matchOperator: 'In', prefixLength: { max: 24, min: 16 } }],
    })
    expect(JSON.stringify(orderLikeGo('BGPFilter', filter).spec)).toBe(
      '{"exportV4":[{"cidr":"10.0.0.0/8","prefixLength":{"min":16,"max":24},"matchOperator":"In","action":"Accept"}]}',
    )
  })

  it('stores AS numbers of path prefixes and prepends as numbers', () => {
    const rule = { action: 'Accept', asPathPrefix: ['1.10', 65000], operations: [{ prependASPath: { prefix: ['65001'] } }] }
    const filter = doc('BGPFilter', { exportV4: [rule] })
    defaultResource(bgpFilter, filter)
    expect(filter.spec?.exportV4).toEqual([{ action: 'Accept', asPathPrefix: [65546, 65000], operations: [{ prependASPath: { prefix: [65001] } }] }])
  })

  it('reports the struct tags of each rule, then the CRD rules', () => {
    const filter = doc('BGPFilter', {
      exportV4: [{ action: 'Accept', cidr: '10.0.0.1/8', matchOperator: 'In', prefixLength: { min: 33 } }],
      importV4: [{ cidr: '2001:db8::/32', matchOperator: 'Equal' }],
      exportV6: [{ action: 'Reject', interface: 'eth/0', prefixLength: { max: 129 } }],
      importV6: [{ action: 'Reject', cidr: '10.0.0.0/8', operations: [{ setPriority: { value: 10 } }] }],
    })
    expect(findings(bgpFilter, filter)).toEqual([
      { name: 'CIDR', value: '10.0.0.1/8', reason: tag('CIDR', 'netv4') },
      { name: 'Min', value: '33', reason: tag('Min', 'bgpFilterPrefixLengthV4') },
      { name: 'CIDR', value: '2001:db8::/32', reason: tag('CIDR', 'netv4') },
      { name: 'Action', value: '', reason: tag('Action', 'required') },
      { name: 'Max', value: '129', reason: tag('Max', 'bgpFilterPrefixLengthV6') },
      { name: 'Interface', value: 'eth/0', reason: tag('Interface', 'bgpFilterInterface') },
      { name: 'CIDR', value: '10.0.0.0/8', reason: tag('CIDR', 'netv6') },
      { name: 'spec.exportV6[0]', reason: 'cidr is required when prefixLength is set' },
      { name: 'spec.importV6[0]', reason: 'cidr and matchOperator must both be set or both be empty' },
      { name: 'spec.importV6[0]', reason: 'operations may only be used with action Accept' },
    ])
  })

  it('shows one problem as upstream words it', () => {
    const filter = doc('BGPFilter', { exportV4: [{ action: 'Accept', matchOperator: 'In' }] })
    expect(problem(bgpFilter, filter)).toBe('error with field spec.exportV4[0] (cidr and matchOperator must both be set or both be empty)')
  })

  it('counts the rules of each list', () => {
    expect(cells(bgpFilter, 'ps', load(bgpFilterYaml))).toEqual([
      ['NAME', 'my-filter'], ['NUMEXPORTV4', '2'], ['NUMIMPORTV4', '2'], ['NUMEXPORTV6', '1'], ['NUMIMPORTV6', '1'],
    ])
    expect(cells(bgpFilter, 'wide', doc('BGPFilter', {})).map(([, v]) => v)).toEqual(['sample', '0', '0', '0', '0'])
  })
})

describe('IPAMConfiguration', () => {
  it('writes the flags Go always writes and leaves out a zero block limit', () => {
    const config = doc('IPAMConfiguration', { maxBlocksPerHost: 0, autoAllocateBlocks: true }, 'default')
    expect(JSON.stringify(orderLikeGo('IPAMConfiguration', config).spec)).toBe('{"strictAffinity":false,"autoAllocateBlocks":true}')
  })

  it('stores the flags as given: Go always writes them, so the CRD defaults (autoAllocateBlocks true) never apply', () => {
    const config = prepareResource(ipamConfiguration, doc('IPAMConfiguration', { strictAffinity: true }, 'default'), 'create')
    expect(JSON.stringify(orderLikeGo('IPAMConfiguration', config).spec)).toBe('{"strictAffinity":true,"autoAllocateBlocks":false}')
    const on = prepareResource(ipamConfiguration, doc('IPAMConfiguration', { autoAllocateBlocks: true }, 'default'), 'create')
    expect(JSON.stringify(orderLikeGo('IPAMConfiguration', on).spec)).toBe('{"strictAffinity":false,"autoAllocateBlocks":true}')
  })

  it('refuses a negative block limit and any name but default', () => {
    // validateIPAMConfigSpec, then the CRD's bounds (0 to 1000000) on the same field.
    expect(problem(ipamConfiguration, doc('IPAMConfiguration', { maxBlocksPerHost: -1 }, 'default'))).toBe(
      'error with the following fields:\n' +
        "-  MaxBlocksPerHost = '-1' (must be greater than or equal to 0)\n" +
        '-  spec.maxBlocksPerHost (spec.maxBlocksPerHost in body should be greater than or equal to 0)\n',
    )
    expect(problem(ipamConfiguration, doc('IPAMConfiguration', { maxBlocksPerHost: 1000001 }, 'default'))).toBe(
      'error with field spec.maxBlocksPerHost (spec.maxBlocksPerHost in body should be less than or equal to 1000000)',
    )
    expect(problem(ipamConfiguration, doc('IPAMConfiguration', { maxBlocksPerHost: 1000000 }, 'default'))).toBe('')
    expect(problem(ipamConfiguration, doc('IPAMConfiguration', { strictAffinity: true }, 'not-default'))).toBe(
      'Cannot create an IPAMConfiguration resource with a name other than "default"',
    )
    // The validator runs first, so its findings win over the name.
    expect(() => prepareResource(ipamConfiguration, doc('IPAMConfiguration', { maxBlocksPerHost: -2 }, 'other'), 'create')).toThrow(ValidationError)
    expect(() => prepareResource(ipamConfiguration, doc('IPAMConfiguration', { maxBlocksPerHost: 2000000 }, 'other'), 'create')).toThrow(ValidationError)
    // validate runs the validator alone, without the client's check of the name.
    expect(() => prepareResource(ipamConfiguration, doc('IPAMConfiguration', { strictAffinity: true }, 'not-default'), 'validate')).not.toThrow()
  })

  it('shows the flags and, wide, the block limit', () => {
    const config = load(ipamConfigYaml)
    defaultResource(ipamConfiguration, config)
    expect(cells(ipamConfiguration, 'ps', config)).toEqual([['NAME', 'default'], ['STRICTAFFINITY', 'false'], ['AUTOALLOCATEBLOCKS', 'false']])
    expect(cells(ipamConfiguration, 'wide', config).at(-1)).toEqual(['MAXBLOCKSPERHOST', '4'])
    expect(cells(ipamConfiguration, 'wide', doc('IPAMConfiguration', {}, 'default')).at(-1)).toEqual(['MAXBLOCKSPERHOST', '0'])
  })
})

describe('CalicoNodeStatus', () => {
  it('writes the status fields Go always writes around what calico-node reported', () => {
    const reported = doc('CalicoNodeStatus', { updatePeriodSeconds: 0, classes: ['BGP'], node: 'node-1' })
    reported.status = { routes: {}, bgp: { peersV4: [{ state: 'Established', peerIP: '10.0.0.2' }] }, agent: { birdV4: { state: 'Ready' } } }
    expect(JSON.stringify(orderLikeGo('CalicoNodeStatus', reported))).toBe(
      '{"kind":"CalicoNodeStatus","apiVersion":"projectcalico.org/v3","metadata":{"name":"sample"},' +
        '"spec":{"node":"node-1","classes":["BGP"],"updatePeriodSeconds":0},' +
        '"status":{"lastUpdated":null,"agent":{"birdV4":{"state":"Ready"},"birdV6":{}},' +
        '"bgp":{"numberEstablishedV4":0,"numberNotEstablishedV4":0,"numberEstablishedV6":0,"numberNotEstablishedV6":0,' +
        '"peersV4":[{"peerIP":"10.0.0.2","state":"Established"}]},"routes":{}}}',
    )
  })

  it('requires a node, classes and an update period', () => {
    expect(findings(calicoNodeStatus, doc('CalicoNodeStatus', {}))).toEqual([
      { name: 'Node', value: '', reason: tag('Node', 'required') },
      { name: 'Classes', value: '[]', reason: tag('Classes', 'required') },
      { name: 'UpdatePeriodSeconds', value: '<nil>', reason: tag('UpdatePeriodSeconds', 'required') },
    ])
  })

  it('checks the node name, unique classes and the one-day limit, not the peers the status reports', () => {
    const status = doc('CalicoNodeStatus', { node: 'Node_1', classes: ['BGP', 'BGP'], updatePeriodSeconds: 86401 })
    // The status's peer lists have no `dive` tag: the validator never looks at their entries.
    status.status = { bgp: { peersV4: [{ peerIP: '10.0.0.300' }] } }
    expect(findings(calicoNodeStatus, status)).toEqual([
      { name: 'Node', value: 'Node_1', reason: tag('Node', 'name') },
      { name: 'Classes', value: '[BGP BGP]', reason: tag('Classes', 'unique') },
      { name: 'UpdatePeriodSeconds', value: '86401', reason: tag('UpdatePeriodSeconds', 'lte') },
    ])
  })

  it('shows the node and, wide, the classes', () => {
    expect(cells(calicoNodeStatus, 'wide', load(nodeStatusYaml))).toEqual([
      ['NAME', 'my-caliconodestatus-1'], ['NODE', 'my-kadm-node-0'], ['CLASSES', 'Agent,BGP,Routes'],
    ])
    expect(cells(calicoNodeStatus, 'ps', load(nodeStatusYaml)).map(([h]) => h)).toEqual(['NAME', 'NODE'])
  })
})

describe('StagedNetworkPolicy and StagedGlobalNetworkPolicy', () => {
  it('write stagedAction first, then the policy spec in Go order', () => {
    const policy = doc('StagedNetworkPolicy', { selector: 'all()', types: ['Ingress'], tier: 'default', stagedAction: 'Set', order: 0, egress: [] }, 'p', 'shop')
    expect(JSON.stringify(orderLikeGo('StagedNetworkPolicy', policy).spec)).toBe(
      '{"stagedAction":"Set","tier":"default","order":0,"selector":"all()","types":["Ingress"]}',
    )
  })

  it('default like enforced policies, with the staged action Set', () => {
    const policy = load(stagedGlobalPolicyYaml)
    delete policy.spec?.stagedAction
    defaultResource(stagedGlobalNetworkPolicy, policy)
    expect([policy.spec?.stagedAction, policy.spec?.tier, policy.spec?.types, policy.metadata.labels]).toEqual([
      'Set', 'default', ['Ingress'], { 'projectcalico.org/tier': 'default' },
    ])
  })

  it('accept a staged delete that only names its tier, without the defaulted types', () => {
    const staged = doc('StagedNetworkPolicy', { stagedAction: 'Delete', tier: 'default' }, 'old-policy', 'shop')
    expect(findings(stagedNetworkPolicy, staged)).toEqual([])
    expect(staged.spec).toEqual({ stagedAction: 'Delete', tier: 'default' })
  })

  it('refuse a staged delete with other fields, keeping tag and CRD findings but not the spec checks', () => {
    const egress = [{ action: 'Allow', source: { services: { name: 'web', namespace: 'shop' } } }]
    const staged = doc('StagedNetworkPolicy', { stagedAction: 'Delete', selector: 'global()', egress }, 'old-policy', 'shop')
    expect(findings(stagedNetworkPolicy, staged)).toEqual([
      { name: 'StagedNetworkPolicySpec', reason: 'Spec fields, except Tier, should all be zero-value if stagedAction is Delete' },
      { name: 'spec', reason: 'global() can only be used in an EntityRule namespaceSelector' },
    ])
    const global = doc('StagedGlobalNetworkPolicy', { stagedAction: 'Delete', doNotTrack: true })
    expect(problem(stagedGlobalNetworkPolicy, global)).toBe(
      'error with the following fields:\n' +
        '-  StagedGlobalNetworkPolicySpec (Spec fields, except Tier, should all be zero-value if stagedAction is Delete)\n' +
        '-  spec (applyOnForward must be true if either preDNAT or doNotTrack is true)\n',
    )
  })

  it('validate a staged Set like the enforced policy', () => {
    const staged = doc('StagedNetworkPolicy', { selector: 'role ==' }, 'p', 'shop')
    expect(problem(stagedNetworkPolicy, staged)).toBe(`error with field Selector = 'role ==' (${tag('Selector', 'selector')})`)
    const global = doc('StagedGlobalNetworkPolicy', { ingress: [{ action: 'Allow', source: { services: { name: 'web' } } }] }, 'a.b.c')
    expect(findings(stagedGlobalNetworkPolicy, global)?.map((e) => [e.name, e.reason])).toEqual([
      ['Metadata.Name', "name must consist of lower case alphanumeric characters or '-' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?)"],
      ['Namespace', 'must specify a namespace'],
    ])
  })

  it('label policies read back with their tier', () => {
    const read = doc('StagedNetworkPolicy', { selector: 'all()' }, 'p', 'shop')
    stagedNetworkPolicy.afterRead?.(read)
    expect(read.metadata.labels).toEqual({ 'projectcalico.org/tier': 'default' })
  })

  it('show tier, order and selector', () => {
    const policy = load(stagedPolicyYaml)
    defaultResource(stagedNetworkPolicy, policy)
    expect(cells(stagedNetworkPolicy, 'ps', policy)).toEqual([['NAME', 'allow-tcp-6379'], ['TIER', 'default']])
    expect(cells(stagedNetworkPolicy, 'wide', policy).slice(2)).toEqual([['ORDER', '<nil>'], ['SELECTOR', "role == 'database'"]])
    const ordered = doc('StagedGlobalNetworkPolicy', { tier: 'security', order: 1000000, selector: 'all()' })
    expect(cells(stagedGlobalNetworkPolicy, 'wide', ordered).map(([, v]) => v)).toEqual(['sample', 'security', '1e+06', 'all()'])
  })
})

describe('StagedKubernetesNetworkPolicy', () => {
  it('writes the Kubernetes spec in Go order, with an empty pod selector', () => {
    const staged = doc('StagedKubernetesNetworkPolicy', {
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { except: [], cidr: '10.0.0.0/8' }, podSelector: { matchLabels: { b: '2', a: '1' } } }], ports: [{ endPort: 90, port: 80, protocol: 'TCP' }] }],
      stagedAction: 'Set',
    }, 'p', 'shop')
    expect(JSON.stringify(orderLikeGo('StagedKubernetesNetworkPolicy', staged).spec)).toBe(
      '{"stagedAction":"Set","podSelector":{},' +
        '"ingress":[{"ports":[{"protocol":"TCP","port":80,"endPort":90}],"from":[{"podSelector":{"matchLabels":{"a":"1","b":"2"}},"ipBlock":{"cidr":"10.0.0.0/8"}}]}],' +
        '"policyTypes":["Ingress"]}',
    )
  })

  it('defaults the staged action to Set', () => {
    const staged = doc('StagedKubernetesNetworkPolicy', {}, 'p', 'shop')
    defaultResource(stagedKubernetesNetworkPolicy, staged)
    expect(staged.spec).toEqual({ stagedAction: 'Set' })
  })

  it('refuses a staged delete that is not empty, as a Go struct comparison sees it', () => {
    const reason = 'Spec fields should all be zero-value if stagedAction is Delete'
    const check = (spec: Record<string, unknown>) => findings(stagedKubernetesNetworkPolicy, doc('StagedKubernetesNetworkPolicy', spec, 'p', 'shop'))
    expect(check({ stagedAction: 'Delete', podSelector: {} })).toEqual([])
    expect(check({ stagedAction: 'Delete', ingress: [] })).toEqual([{ name: 'StagedKubernetesNetworkPolicySpec', reason }])
    expect(check({ stagedAction: 'Delete', podSelector: { matchLabels: { role: 'db' } } })).toEqual([{ name: 'StagedKubernetesNetworkPolicySpec', reason }])
  })

  it('checks the name length and metadata again, as its validator does', () => {
    const staged = doc('StagedKubernetesNetworkPolicy', {}, 'a'.repeat(254), 'shop')
    staged.metadata.annotations = { 'bad key': 'x' }
    expect(findings(stagedKubernetesNetworkPolicy, staged)?.map((e) => [e.name, e.value])).toEqual([
      ['Metadata.Name', 'a'.repeat(254)],
      ['Metadata.Annotations (key)', 'bad key'],
    ])
  })

  it('prints the pod selector as Go prints a LabelSelector', () => {
    expect(cells(stagedKubernetesNetworkPolicy, 'wide', load(stagedK8sPolicyYaml))).toEqual([
      ['NAME', 'test-network-policy'],
      ['PODSELECTOR', '&LabelSelector{MatchLabels:map[string]string{role: db,},MatchExpressions:[]LabelSelectorRequirement{},}'],
    ])
    const expression = doc('StagedKubernetesNetworkPolicy', { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] } })
    expect(cells(stagedKubernetesNetworkPolicy, 'wide', expression)[1][1]).toBe(
      '&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:tier,Operator:In,Values:[web api],},},}',
    )
    expect(cells(stagedKubernetesNetworkPolicy, 'ps', expression)).toEqual([['NAME', 'sample']])
  })
})
