import { load } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { defaultResource, prepareResource } from '../../src/client/calico-client.js'
import { ValidationError, type FieldError } from '../../src/errors.js'
import { felixConfiguration } from '../../src/resources/felixconfiguration.js'
import { formatGoDuration, parseGoDuration } from '../../src/resources/go-values.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import { kubeControllersConfiguration } from '../../src/resources/kubecontrollersconfiguration.js'
import { orderLikeGo } from '../../src/resources/go-encode.js'
import { schemaProblems } from '../support/decode.js'
import type { Resource } from '../../src/resources/types.js'

const doc = (kind: string, spec: Record<string, unknown>, name = 'default', extra: Partial<Resource> = {}): Resource => ({
  apiVersion: 'projectcalico.org/v3',
  kind,
  metadata: { name },
  spec,
  ...extra,
})
const felix = (spec: Record<string, unknown>, name = 'default') => doc('FelixConfiguration', spec, name)
const kcc = (spec: Record<string, unknown>, extra: Partial<Resource> = {}) => doc('KubeControllersConfiguration', spec, 'default', extra)

/** What the client reports after defaulting: its own checks, else the Go validator's and the CRD's CEL rules'. */
function problems(kind: KindDefinition, resource: Resource): FieldError[] {
  defaultResource(kind, resource)
  const client = kind.clientCheck?.(resource, { operation: 'create' }) ?? []
  return client.length > 0 ? client : [...(kind.check?.(resource, { operation: 'create' }) ?? []), ...(kind.crdRules?.(resource) ?? [])]
}
const defaulted = (kind: KindDefinition, resource: Resource): Resource => defaultResource(kind, resource)
const tag = (field: string, t: string) => `Reason: failed to validate Field: ${field} because of Tag: ${t} `

// The sample manifests of the Calico resource reference pages.
const felixYaml = `
apiVersion: projectcalico.org/v3
kind: FelixConfiguration
metadata:
  name: default
spec:
  ipv6Support: false
  ipipMTU: 1400
  chainInsertMode: Append
`
const kccYaml = `
apiVersion: projectcalico.org/v3
kind: KubeControllersConfiguration
metadata:
  name: default
spec:
  logSeverityScreen: Info
  healthChecks: Enabled
  etcdV3CompactionPeriod: 10m
  prometheusMetricsPort: 9094
  controllers:
    node:
      reconcilerPeriod: 5m
      leakGracePeriod: 15m
      syncLabels: Enabled
      hostEndpoint:
        autoCreate: Disabled
    policy:
      reconcilerPeriod: 5m
    workloadEndpoint:
      reconcilerPeriod: 5m
    serviceAccount:
      reconcilerPeriod: 5m
    namespace:
      reconcilerPeriod: 5m
    loadBalancer:
      assignIPs: AllServices
`

describe('schemas', () => {
  it('accept the reference samples', () => {
    expect(schemaProblems('FelixConfiguration', load(felixYaml))).toEqual([])
    expect(schemaProblems('KubeControllersConfiguration', load(kccYaml))).toEqual([])
  })

  it('accept what a cluster stores for Felix', () => {
    const stored = felix({
      bpfLogLevel: '',
      floatingIPs: 'Disabled',
      healthPort: 9099,
      logSeverityScreen: 'Info',
      reportingInterval: '0s',
      vxlanEnabled: true,
      routeTableRange: { min: 1, max: 250 },
      failsafeInboundHostPorts: [{ protocol: 'tcp', port: 22 }, { protocol: 'udp', port: 68, net: '0.0.0.0/0' }],
      kubeNodePortRanges: ['30000:32767', 8080],
      healthTimeoutOverrides: [{ name: 'InternalDataplaneMainLoop', timeout: '5m0s' }],
      bpfConntrackTimeouts: { tcpEstablished: '1h', udpTimeout: 'Auto' },
      bpfLogFilters: { all: 'tcp port 80' },
      iptablesMarkMask: 0xffff0000,
    })
    expect(schemaProblems('FelixConfiguration', stored)).toEqual([])
  })

  it.each([
    [{ reportingInterval: 30 }, 'json: cannot unmarshal number into Go struct field FelixConfigurationSpec.spec.reportingInterval of type string'],
    [{ nftablesMode: 'On' }, 'spec.nftablesMode (supported values: "Disabled", "Enabled", "Auto")'],
    [{ kubeNodePortRanges: [1, 2, 3, 4, 5, 6, 7, 8] }, 'spec.kubeNodePortRanges (must have at most 7 items)'],
    [{ iptablesMarkMask: -1 }, 'spec.iptablesMarkMask (spec.iptablesMarkMask in body should be greater than or equal to 0)'],
    [{ ipipMTUs: 1400 }, 'json: unknown field "ipipMTUs"'],
  ])('rejects Felix spec %j: %s', (spec, problem) => {
    expect(schemaProblems('FelixConfiguration', felix(spec))).toEqual([problem])
  })

  it('matches field names case-insensitively and checks the log severity pattern', () => {
    expect(schemaProblems('FelixConfiguration', felix({ ipipMtu: 1400, LogSeverityScreen: 'warning' }))).toEqual([])
    expect(schemaProblems('FelixConfiguration', felix({ logSeverityScreen: 'Verbose' }))).toEqual([
      expect.stringMatching(/^spec\.logSeverityScreen \(spec\.logSeverityScreen in body should match '/),
    ])
  })

  it('rejects KubeControllers values the CRD does not allow', () => {
    expect(schemaProblems('KubeControllersConfiguration', kcc({ controllers: { loadBalancer: { assignIPs: 'Some' } } }))).toEqual([
      'spec.controllers.loadBalancer.assignIPs (supported values: "AllServices", "RequestedServicesOnly")',
    ])
    expect(schemaProblems('KubeControllersConfiguration', kcc({ debugProfilePort: 70000 }))).toEqual([
      'spec.debugProfilePort (spec.debugProfilePort in body should be less than or equal to 65535)',
    ])
  })
})

describe('Go key order', () => {
  it('writes Felix fields in struct order, keeps false and drops empty strings', () => {
    const spec = { chainInsertMode: 'Append', interfaceExclude: '', ipipMTU: 1400, ipv6Support: false, failsafeOutboundHostPorts: [{ port: 53, protocol: 'udp' }] }
    const out = orderLikeGo('FelixConfiguration', defaulted(felixConfiguration, felix(spec)))
    expect(Object.keys(out)).toEqual(['kind', 'apiVersion', 'metadata', 'spec'])
    expect(Object.entries(out.spec ?? {})).toEqual([
      ['ipv6Support', false],
      ['chainInsertMode', 'Append'],
      ['ipipMTU', 1400],
      ['failsafeOutboundHostPorts', [{ protocol: 'udp', port: 53 }]],
      ['nftablesMode', 'Auto'],
      ['bpfLogLevel', ''],
      ['bpfConnectTimeLoadBalancing', 'TCP'],
      ['bpfHostNetworkedNATWithoutCTLB', 'Enabled'],
      ['floatingIPs', 'Disabled'],
    ])
  })

  it('always writes the KubeControllers spec, controllers and status', () => {
    const out = orderLikeGo('KubeControllersConfiguration', kcc({ healthChecks: 'Enabled', logSeverityScreen: '', controllers: { loadBalancer: { assignIPs: '' } } }))
    expect(out.spec).toEqual({ healthChecks: 'Enabled', controllers: { loadBalancer: {} } })
    expect(out.status).toEqual({})
    expect(orderLikeGo('KubeControllersConfiguration', kcc({})).spec).toEqual({ controllers: {} })
  })
})

describe('durations', () => {
  it.each([
    ['90s', '1m30s'],
    ['1h', '1h0m0s'],
    ['10m', '10m0s'],
    ['1500ms', '1.5s'],
    ['300ms', '300ms'],
    ['2us', '2µs'],
    ['0', '0s'],
    ['-1.5h', '-1h30m0s'],
    ['1h2m3.25s', '1h2m3.25s'],
  ])('Go reads %s and writes %s', (text, written) => {
    const ns = parseGoDuration(text)
    expect(typeof ns).toBe('bigint')
    expect(formatGoDuration(ns as bigint)).toBe(written)
  })

  it.each([
    ['90', 'time: missing unit in duration "90"'],
    ['5x', 'time: unknown unit "x" in duration "5x"'],
    ['', 'time: invalid duration ""'],
    ['.s', 'time: invalid duration ".s"'],
    ['9999999999h', 'time: invalid duration "9999999999h"'],
  ])('Go cannot read %j', (text, error) => expect(parseGoDuration(text)).toEqual({ error }))
})

describe('FelixConfiguration defaults', () => {
  it('fills in the client and CRD defaults and stores durations as Go writes them', () => {
    const out = defaulted(felixConfiguration, felix({ reportingInterval: '90s', healthTimeoutOverrides: [{ name: 'CalcGraph', timeout: '120s' }] }))
    expect(out.spec).toEqual({
      reportingInterval: '1m30s',
      healthTimeoutOverrides: [{ name: 'CalcGraph', timeout: '2m0s' }],
      floatingIPs: 'Disabled',
      bpfConnectTimeLoadBalancing: 'TCP',
      bpfHostNetworkedNATWithoutCTLB: 'Enabled',
      nftablesMode: 'Auto',
    })
  })

  it('gives fields newer than the targeted release no default, and keeps what the user set there', () => {
    // nftablesFlowTableOffload (v3.33) has a default in the current CRD, not in v3.31's.
    expect(defaulted(felixConfiguration, felix({})).spec).not.toHaveProperty('nftablesFlowTableOffload')
    expect(defaulted(felixConfiguration, felix({ nftablesFlowTableOffload: 'Enabled' })).spec).toMatchObject({ nftablesFlowTableOffload: 'Enabled' })
    expect(defaulted(felixConfiguration, felix({ nftablesFlowTableOffload: 'Disabled' })).spec).toMatchObject({ nftablesFlowTableOffload: 'Disabled' })
  })

  it('keeps values the user chose', () => {
    const out = defaulted(felixConfiguration, felix({ floatingIPs: 'Enabled', nftablesMode: 'Enabled', bpfConnectTimeLoadBalancing: 'Disabled' }))
    expect(out.spec).toMatchObject({ floatingIPs: 'Enabled', nftablesMode: 'Enabled', bpfConnectTimeLoadBalancing: 'Disabled' })
  })

  it.each([
    [true, 'Enabled'],
    [false, 'Disabled'],
  ])('lets the deprecated bpfConnectTimeLoadBalancingEnabled %s decide', (enabled, ctlb) => {
    const out = defaulted(felixConfiguration, felix({ bpfConnectTimeLoadBalancingEnabled: enabled, bpfHostNetworkedNATWithoutCTLB: 'Enabled' }))
    expect(out.spec).toMatchObject({ bpfConnectTimeLoadBalancing: ctlb, bpfHostNetworkedNATWithoutCTLB: 'Disabled' })
  })
})

describe('FelixConfiguration checks', () => {
  it('accepts the reference sample and per-node configuration', () => {
    expect(problems(felixConfiguration, load(felixYaml) as Resource)).toEqual([])
    expect(problems(felixConfiguration, felix({ logSeverityScreen: 'Debug', reportingInterval: '0s' }, 'node.worker-1'))).toEqual([])
  })

  it.each([
    [{ bpfAttachType: 'tcx' }, [{ name: 'BPFAttachType', value: 'tcx', reason: tag('BPFAttachType', 'oneof') }]],
    [{ ipv4NormalRoutePriority: 0 }, [{ name: 'IPv4NormalRoutePriority', value: '0', reason: tag('IPv4NormalRoutePriority', 'gte') }]],
    [{ featureDetectOverride: 'SNAT-FullyRandom=true' }, [{ name: 'FeatureDetectOverride', value: 'SNAT-FullyRandom=true', reason: tag('FeatureDetectOverride', 'keyValueList') }]],
    [{ bpfDataIfacePattern: '^(eth|ens' }, [{ name: 'BPFDataIfacePattern', value: '^(eth|ens', reason: tag('BPFDataIfacePattern', 'regexp') }]],
    [{ mtuIfacePattern: '^(?!cali)' }, [{ name: 'MTUIfacePattern', value: '^(?!cali)', reason: tag('MTUIfacePattern', 'regexp') }]],
    [{ prometheusMetricsHost: 'metrics host' }, [{ name: 'PrometheusMetricsHost', value: 'metrics host', reason: tag('PrometheusMetricsHost', 'prometheusHost') }]],
    [{ debugPort: 70000 }, [{ name: 'DebugPort', value: '70000', reason: tag('DebugPort', 'lte') }]],
    [{ wireguardListeningPort: 0 }, [{ name: 'WireguardListeningPort', value: '0', reason: tag('WireguardListeningPort', 'gt') }]],
    [{ wireguardRoutingRulePriority: 32766 }, [{ name: 'WireguardRoutingRulePriority', value: '32766', reason: tag('WireguardRoutingRulePriority', 'lt') }]],
    [{ goGCThreshold: -2 }, [{ name: 'GoGCThreshold', value: '-2', reason: tag('GoGCThreshold', 'gte') }]],
    [{ wireguardInterfaceName: 'wireguard.cali.too.long' }, [{ name: 'WireguardInterfaceName', value: 'wireguard.cali.too.long', reason: tag('WireguardInterfaceName', 'interface') }]],
    [{ bpfForceTrackPacketsFromIfaces: ['docker+', 'br 0'] }, [{ name: 'BPFForceTrackPacketsFromIfaces', value: '[docker+ br 0]', reason: tag('BPFForceTrackPacketsFromIfaces', 'ifaceFilterSlice') }]],
    [{ bpfExcludeCIDRsFromNAT: ['169.254.20.10/32', 'dns'] }, [{ name: 'BPFExcludeCIDRsFromNAT', value: '[169.254.20.10/32 dns]', reason: tag('BPFExcludeCIDRsFromNAT', 'cidrs') }]],
    [{ bpfLogFilters: { 'all interfaces': 'tcp' } }, [{ name: 'BPFLogFilters', value: 'map[all interfaces:tcp]', reason: tag('BPFLogFilters', 'bpfLogFilters') }]],
    [{ serviceLoopPrevention: 'drop' }, [{ name: 'ServiceLoopPrevention', value: 'drop', reason: tag('ServiceLoopPrevention', 'oneof') }]],
    [{ natPortRange: 0 }, [{ name: 'Port', value: '0', reason: 'port range invalid, port number must be between 1 and 65535' }]],
    [{ healthTimeoutOverrides: [{ name: 'Calc/Graph', timeout: '-5s' }] }, [
      { name: 'HealthTimeoutOverride.Name', value: '{Calc/Graph -5s}', reason: 'name should match regex ^[a-zA-Z0-9_ -]+$' },
      { name: 'HealthTimeoutOverride.Timeout', value: '{Calc/Graph -5s}', reason: 'Timeout should not be negative' },
    ]],
  ])('reports the Go tag failure of %j', (spec, errors) => expect(problems(felixConfiguration, felix(spec))).toEqual(errors))

  it.each([
    [{ routeTableRange: { min: 0, max: 300 } }, [
      { name: 'RouteTableRange', value: '{0 300}', reason: 'must be a range of route table indices within 1..250' },
      { name: 'spec.routeTableRange', reason: 'must be a range of route table indices within 1..250' },
    ]],
    [{ routeTableRanges: [{ min: 300, max: 200 }] }, [
      { name: 'RouteTableRange', value: '{300 200}', reason: 'min value cannot be greater than max value' },
      { name: 'spec.routeTableRanges[0]', reason: 'min must not be greater than max' },
    ]],
    [{ routeTableRanges: [{ min: 0, max: 10 }] }, [
      { name: 'RouteTableRange', value: '{0 10}', reason: 'cannot target indices < 1' },
      { name: 'spec.routeTableRanges[0]', reason: 'min must be >= 1' },
    ]],
    [{ routeTableRanges: [{ min: 1, max: 70000 }] }, [{ name: 'RouteTableRanges', value: '&[{1 70000}]', reason: 'targets too many tables' }]],
    [{ routeTableRange: { min: 1, max: 250 }, routeTableRanges: [{ min: 1, max: 250 }] }, [{ name: 'spec', reason: 'routeTableRange and routeTableRanges cannot both be set' }]],
    [{ kubeNodePortRanges: ['30000:32767', 'http'] }, [{ name: 'KubeNodePortRanges', value: '[30000:32767 http]', reason: 'node port ranges should not contain named ports' }]],
    [{ externalNodesList: ['10.0.0.0/8', 'fd00::/64', 'nowhere'] }, [
      { name: 'ExternalNodesCIDRList', value: 'fd00::/64', reason: 'has invalid IPv6 CIDR' },
      { name: 'ExternalNodesCIDRList', value: 'nowhere', reason: 'has invalid CIDR(s)' },
    ]],
    [{ openstackRegion: 'Region_One' }, [{ name: 'OpenstackRegion', value: 'Region_One', reason: 'must be a valid DNS label' }]],
    [{ openstackRegion: 'r'.repeat(47) }, [{ name: 'OpenstackRegion', value: 'r'.repeat(47), reason: 'is too long' }]],
    [{ natOutgoingAddress: 'nat' }, [
      { name: 'NATOutgoingAddress', value: 'nat', reason: 'is not a valid IP address' },
      { name: 'spec', reason: 'natOutgoingAddress must be a valid IPv4 address' },
    ]],
    [{ natOutgoingAddress: 'fd00::1' }, [{ name: 'spec', reason: 'natOutgoingAddress must be a valid IPv4 address' }]],
    [{ deviceRouteSourceAddressIPv6: '10.0.0.1' }, [{ name: 'spec', reason: 'deviceRouteSourceAddressIPv6 must be a valid IPv6 address' }]],
  ])('reports validateFelixConfigSpec and CRD findings for %j', (spec, errors) => expect(problems(felixConfiguration, felix(spec))).toEqual(errors))

  it('reports field tags before the spec-level findings', () => {
    expect(problems(felixConfiguration, felix({ natOutgoingAddress: 'nat', bpfAttachType: 'XDP' })).map((e) => e.name)).toEqual(['BPFAttachType', 'NATOutgoingAddress', 'spec'])
  })

  it('stops at a duration Go cannot read', () => {
    expect(problems(felixConfiguration, felix({ reportingInterval: '30', logSeverityScreen: 'info', healthTimeoutOverrides: [{ name: 'x', timeout: '1d' }] }))).toEqual([
      { name: 'ReportingInterval', value: '30', reason: 'time: missing unit in duration "30"' },
      { name: 'Timeout', value: '1d', reason: 'time: unknown unit "d" in duration "1d"' },
    ])
  })

  it('allows a node selector only on selector-scoped configurations', () => {
    expect(problems(felixConfiguration, felix({ nodeSelector: "rack == 'a'" }, 'rack-a'))).toEqual([])
    const message = "nodeSelector must not be set on the 'default' or per-node ('node.*') FelixConfiguration"
    expect(problems(felixConfiguration, felix({ nodeSelector: 'all()' }))).toEqual([{ name: 'FelixConfiguration', reason: message }])
    expect(problems(felixConfiguration, felix({ nodeSelector: 'all()' }, 'node.worker-1'))).toEqual([{ name: 'FelixConfiguration', reason: message }])
  })

  it('words several findings as calicoctl prints them', () => {
    const errors = problems(felixConfiguration, felix({ awsSrcDstCheck: 'enable', routeTableRange: { min: 0, max: 1 } }))
    expect(new ValidationError(errors).message).toBe(
      'error with the following fields:\n' +
        "-  RouteTableRange = '{0 1}' (must be a range of route table indices within 1..250)\n" +
        `-  AWSSrcDstCheck = 'enable' (${tag('AWSSrcDstCheck', 'oneof')})\n` +
        '-  spec.routeTableRange (must be a range of route table indices within 1..250)\n',
    )
  })
})

describe('KubeControllersConfiguration defaults and checks', () => {
  it('fills in the client and CRD defaults and stores durations as Go writes them', () => {
    const out = defaulted(kubeControllersConfiguration, load(kccYaml) as Resource)
    expect(out.spec).toEqual({
      logSeverityScreen: 'Info',
      healthChecks: 'Enabled',
      etcdV3CompactionPeriod: '10m0s',
      prometheusMetricsPort: 9094,
      controllers: {
        node: { reconcilerPeriod: '5m0s', leakGracePeriod: '15m0s', syncLabels: 'Enabled', hostEndpoint: { autoCreate: 'Disabled' } },
        policy: { reconcilerPeriod: '5m0s' },
        workloadEndpoint: { reconcilerPeriod: '5m0s' },
        serviceAccount: { reconcilerPeriod: '5m0s' },
        namespace: { reconcilerPeriod: '5m0s' },
        loadBalancer: { assignIPs: 'AllServices' },
      },
    })
  })

  it('defaults only the controllers that are configured', () => {
    const out = defaulted(kubeControllersConfiguration, kcc({ controllers: { node: {}, loadBalancer: {}, migration: {} } }))
    expect(out.spec).toEqual({
      prometheusMetricsPort: 9094,
      healthChecks: 'Enabled',
      // migration (v3.33) is newer than the targeted release, whose CRD defaults nothing inside it.
      controllers: { node: { leakGracePeriod: '15m0s' }, loadBalancer: { assignIPs: 'AllServices' }, migration: {} },
    })
    const set = defaulted(kubeControllersConfiguration, kcc({ controllers: { migration: { policyNameMigrator: 'Disabled' } } }))
    expect(set.spec?.controllers).toEqual({ migration: { policyNameMigrator: 'Disabled' } })
  })

  it('reads the running config in the status like the spec', () => {
    const out = defaulted(kubeControllersConfiguration, kcc({ controllers: {} }, { status: { runningConfig: { etcdV3CompactionPeriod: '600s', controllers: {} } } }))
    expect(out.status).toEqual({ runningConfig: { etcdV3CompactionPeriod: '10m0s', healthChecks: 'Enabled', controllers: {} } })
  })

  const withTemplates = (templates: unknown[]) => kcc({ controllers: { node: { hostEndpoint: { autoCreate: 'Enabled', templates } } } })
  it.each([
    [[{ interfaceCIDRs: ['10.0.0.0/8'] }], [{ name: 'KubeControllersConfiguration.Node.HostEndpoint.Templates', reason: 'Template name must be specified' }]],
    [[{ generateName: 'a', interfaceCIDRs: ['10.0.0.0/8'] }, { generateName: 'a', interfaceCIDRs: ['10.1.0.0/16'] }],
      [{ name: 'KubeControllersConfiguration.Node.HostEndpoint.Templates.a', reason: 'Template name must be unique' }]],
    [[{ generateName: 'b', interfaceCIDRs: [], nodeSelector: 'bad ==' }], [{ name: 'KubeControllersConfiguration.Node.HostEndpoint.Templates.b', reason: 'InterfaceCIDRs or InterfacePattern must be specified' }]],
    [[{ generateName: 'Edge', interfaceCIDRs: ['10.0.0.0/8', 'lan'], nodeSelector: 'bad ==' }], [
      { name: 'GenerateName', value: 'Edge', reason: tag('GenerateName', 'name') },
      { name: 'InterfaceCIDRs', value: '[10.0.0.0/8 lan]', reason: tag('InterfaceCIDRs', 'cidrs') },
      { name: 'NodeSelector', value: 'bad ==', reason: tag('NodeSelector', 'selector') },
    ]],
  ])('checks host endpoint templates %j', (templates, errors) => expect(problems(kubeControllersConfiguration, withTemplates(templates))).toEqual(errors))

  it('checks createDefaultHostEndpoint and unreadable durations', () => {
    const mode = kcc({ controllers: { node: { hostEndpoint: { createDefaultHostEndpoint: 'Yes' } } } })
    expect(problems(kubeControllersConfiguration, mode)).toEqual([
      { name: 'CreateDefaultHostEndpoint', value: 'Yes', reason: tag('CreateDefaultHostEndpoint', 'createDefaultHostEndpoint') },
    ])
    expect(problems(kubeControllersConfiguration, kcc({ controllers: { policy: { reconcilerPeriod: '5 minutes' } } }))).toEqual([
      { name: 'ReconcilerPeriod', value: '5 minutes', reason: 'time: unknown unit " minutes" in duration "5 minutes"' },
    ])
  })

  it('refuses to create any name but default once the validator passes', () => {
    const other = { ...kcc({ controllers: {} }), metadata: { name: 'mine' } }
    expect(() => prepareResource(kubeControllersConfiguration, other, 'create')).toThrow(
      'Cannot create a Kube Controllers Configuration resource with a name other than "default"',
    )
    // The validator's findings (the Go tag, then the CRD's enum) win over the name.
    expect(() => prepareResource(kubeControllersConfiguration, { ...kcc({ healthChecks: 'On' }), metadata: { name: 'mine' } }, 'create')).toThrow(
      `error with the following fields:\n-  HealthChecks = 'On' (${tag('HealthChecks', 'oneof')})\n-  spec.healthChecks (supported values: "Enabled", "Disabled")\n`,
    )
    expect(() => prepareResource(kubeControllersConfiguration, kcc({ controllers: {} }), 'create')).not.toThrow()
    expect(() => prepareResource(kubeControllersConfiguration, other, 'update', other)).not.toThrow()
    // validate runs the validator alone.
    expect(() => prepareResource(kubeControllersConfiguration, other, 'validate')).not.toThrow()
  })
})

describe('command line and tables', () => {
  it.each([
    [felixConfiguration, ['felixconfiguration', 'felixconfigurations', 'felixconfig', 'felixconfigs'], 'felixconfigurations'],
    [kubeControllersConfiguration, ['kubecontrollersconfiguration', 'kubecontrollersconfigurations', 'kubecontrollersconfig', 'kubecontrollersconfigs'], 'kubecontrollersconfigurations'],
  ])('%# has the upstream names and a NAME-only table', (kind, names, plural) => {
    expect(kind.names).toEqual(names)
    expect(kind.plural).toBe(plural)
    expect(kind.namespaced).toBe(false)
    const resource = doc(kind.kind, {}, 'node.worker-1')
    for (const columns of [kind.columns.ps, kind.columns.wide]) {
      expect(columns.map((c) => c.header)).toEqual(['NAME'])
      expect(columns.map((c) => c.value(resource, {}))).toEqual(['node.worker-1'])
    }
  })
})
