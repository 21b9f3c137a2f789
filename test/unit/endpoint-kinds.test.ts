import { load } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { defaultResource, prepareResource } from '../../src/client/calico-client.js'
import { ValidationError, type FieldError } from '../../src/errors.js'
import { joinAndTruncate } from '../../src/resources/columns.js'
import { hostEndpoint } from '../../src/resources/hostendpoint.js'
import { ipReservation } from '../../src/resources/ipreservation.js'
import type { Column, KindDefinition } from '../../src/resources/kind.js'
import { globalNetworkSet, networkSet } from '../../src/resources/networksets.js'
import { orderLikeGo } from '../../src/resources/go-encode.js'
import { schemaProblems } from '../support/decode.js'
import type { Resource } from '../../src/resources/types.js'

const doc = (kind: string, spec: Record<string, unknown>, metadata: Resource['metadata'] = { name: 'r1' }): Resource => ({
  apiVersion: 'projectcalico.org/v3',
  kind,
  metadata,
  spec,
})

/** What the client reports after defaulting. */
/** Everything a create reports: the validator's findings, then the CRD's constraints, then its CEL rules. */
function findings(kind: KindDefinition, resource: Resource): FieldError[] {
  try {
    prepareResource(kind, resource, 'create')
    return []
  } catch (err) {
    if (err instanceof ValidationError) return err.fields
    throw err
  }
}

function problems(kind: KindDefinition, resource: Resource): unknown[] {
  defaultResource(kind, resource)
  return [...(kind.check?.(resource, { operation: 'create' }) ?? []), ...(kind.crdRules?.(resource) ?? [])]
}

const cells = (columns: Column[], resource: Resource): string[][] => [columns.map((c) => c.header), columns.map((c) => c.value(resource, {}))]

// The sample manifests of the Calico resource reference pages.
const hostEndpointYaml = `
apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata:
  name: some.name
  labels:
    type: production
spec:
  interfaceName: eth0
  node: myhost
  expectedIPs:
    - 192.168.0.1
    - 192.168.0.2
  profiles:
    - profile1
    - profile2
  ports:
    - name: some-port
      port: 1234
      protocol: TCP
    - name: another-port
      port: 5432
      protocol: UDP
`
const networkSetYaml = `
apiVersion: projectcalico.org/v3
kind: NetworkSet
metadata:
  name: external-database
  namespace: staging
  labels:
    role: db
spec:
  nets:
    - 198.51.100.0/28
    - 203.0.113.0/24
`
const globalNetworkSetYaml = `
apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata:
  name: a-name-for-the-set
  labels:
    role: external-database
spec:
  nets:
    - 198.51.100.0/28
    - 203.0.113.0/24
`
const ipReservationYaml = `
apiVersion: projectcalico.org/v3
kind: IPReservation
metadata:
  name: my-ipreservation-1
spec:
  reservedCIDRs:
    - 192.168.2.3
    - 10.0.2.3/32
    - cafe:f00d::/123
`

describe('reference samples', () => {
  it.each([
    ['HostEndpoint', hostEndpointYaml],
    ['NetworkSet', networkSetYaml],
    ['GlobalNetworkSet', globalNetworkSetYaml],
  ])('%s passes its schema', (kind, text) => expect(schemaProblems(kind, load(text))).toEqual([]))

  it("IPReservation's sample fails the CRD's cidr format on its bare address, as upstream's validator says on etcd", () => {
    expect(schemaProblems('IPReservation', load(ipReservationYaml))).toEqual(['spec.reservedCIDRs[0] (spec.reservedCIDRs[0] in body must be of type cidr: "192.168.2.3")'])
  })

  it('the host endpoint and the network sets pass the semantic checks', () => {
    expect(problems(hostEndpoint, load(hostEndpointYaml) as Resource)).toEqual([])
    expect(problems(networkSet, load(networkSetYaml) as Resource)).toEqual([])
    expect(problems(globalNetworkSet, load(globalNetworkSetYaml) as Resource)).toEqual([])
  })
})

describe('command-line names', () => {
  it.each([
    [hostEndpoint, ['hostendpoint', 'hostendpoints', 'hep', 'heps']],
    [networkSet, ['networkset', 'networksets', 'netsets']],
    [globalNetworkSet, ['globalnetworkset', 'globalnetworksets', 'gnetsets']],
    [ipReservation, ['ipreservation', 'ipreservations', 'reservation', 'reservations']],
  ])('$kind answers to exactly these', (kind, names) => expect(kind.names).toEqual(names))

  it('only NetworkSet is namespaced', () => {
    expect([hostEndpoint, networkSet, globalNetworkSet, ipReservation].map((k) => [k.kind, k.plural, k.namespaced])).toEqual([
      ['HostEndpoint', 'hostendpoints', false],
      ['NetworkSet', 'networksets', true],
      ['GlobalNetworkSet', 'globalnetworksets', false],
      ['IPReservation', 'ipreservations', false],
    ])
  })
})

describe('Go key order and omitempty', () => {
  it('writes a host endpoint in struct order, ports with their zero values, empty lists left out', () => {
    const resource = doc('HostEndpoint', {
      ports: [{ protocol: 'TCP', name: 'web' }],
      profiles: [],
      expectedIPs: ['10.0.0.1'],
      interfaceName: '',
      node: 'node1',
    })
    expect(JSON.stringify(orderLikeGo('HostEndpoint', resource))).toBe(
      '{"kind":"HostEndpoint","apiVersion":"projectcalico.org/v3","metadata":{"name":"r1"},' +
        '"spec":{"node":"node1","expectedIPs":["10.0.0.1"],"ports":[{"name":"web","protocol":"TCP","port":0}]}}',
    )
  })

  it('writes an empty spec for sets and reservations without entries', () => {
    expect(orderLikeGo('NetworkSet', doc('NetworkSet', { nets: [] }, { name: 'n', namespace: 'ns' })).spec).toEqual({})
    expect(orderLikeGo('GlobalNetworkSet', { ...doc('GlobalNetworkSet', {}), spec: undefined }).spec).toEqual({})
    expect(JSON.stringify(orderLikeGo('IPReservation', doc('IPReservation', { reservedCIDRs: ['10.0.0.0/30'] })).spec)).toBe(
      '{"reservedCIDRs":["10.0.0.0/30"]}',
    )
  })
})

describe('HostEndpoint checks', () => {
  it('has no defaults beyond storing numeric protocol text as a number', () => {
    const resource = doc('HostEndpoint', { node: 'n1', interfaceName: 'eth0', ports: [{ name: 'a', port: 1, protocol: '17' }, { name: 'b', port: 2, protocol: 'TCP' }] })
    defaultResource(hostEndpoint, resource)
    expect(resource.spec).toEqual({ node: 'n1', interfaceName: 'eth0', ports: [{ name: 'a', port: 1, protocol: 17 }, { name: 'b', port: 2, protocol: 'TCP' }] })
  })

  it('accepts all interfaces (`*`) or addresses alone', () => {
    expect(problems(hostEndpoint, doc('HostEndpoint', { node: 'n1', interfaceName: '*' }))).toEqual([])
    expect(problems(hostEndpoint, doc('HostEndpoint', { node: 'n1', expectedIPs: ['fd00::1'] }))).toEqual([])
  })

  it('needs a node and an interface or addresses (the CRD rules)', () => {
    expect(problems(hostEndpoint, doc('HostEndpoint', {}))).toEqual([
      { name: 'spec', reason: 'at least one of interfaceName or expectedIPs must be specified' },
      { name: 'spec', reason: 'node must be specified' },
    ])
  })

  it('checks the field tags in struct order', () => {
    const resource = doc('HostEndpoint', { node: 'Node_1', interfaceName: 'eth0:1', expectedIPs: ['10.0.0.1', '10.0.0.0/24'], profiles: ['ok', 'Bad'] })
    expect(problems(hostEndpoint, resource)).toEqual([
      { name: 'Node', value: 'Node_1', reason: 'Reason: failed to validate Field: Node because of Tag: name ' },
      { name: 'InterfaceName', value: 'eth0:1', reason: 'Reason: failed to validate Field: InterfaceName because of Tag: interface ' },
      { name: 'ExpectedIPs[1]', value: '10.0.0.0/24', reason: 'Reason: failed to validate Field: ExpectedIPs[1] because of Tag: ip ' },
      { name: 'Profiles[1]', value: 'Bad', reason: 'Reason: failed to validate Field: Profiles[1] because of Tag: name ' },
    ])
  })

  it('checks each port: name, protocol, number, then whether the protocol carries ports', () => {
    const spec = {
      node: 'n1',
      interfaceName: 'eth0',
      ports: [
        { name: 'Web', protocol: 'ICMP', port: 80 },
        { name: 'dns', protocol: 'tcp', port: 53 },
        { name: 'p', protocol: 0 },
        { name: 'ok', protocol: '132', port: 9 },
      ],
    }
    expect(findings(hostEndpoint, doc('HostEndpoint', spec))).toEqual([
      { name: 'Name', value: 'Web', reason: 'Reason: failed to validate Field: Name because of Tag: portName ' },
      { name: 'EndpointPort.Protocol', value: 'ICMP', reason: 'EndpointPort protocol does not support ports.' },
      { name: 'Protocol', value: 'tcp', reason: 'protocol name invalid' },
      { name: 'Protocol', value: '0', reason: 'protocol number invalid' },
      { name: 'Port', value: '0', reason: 'Reason: failed to validate Field: Port because of Tag: gt ' },
      { name: 'EndpointPort.Protocol', value: '0', reason: 'EndpointPort protocol does not support ports.' },
      { name: 'spec.ports[2].port', reason: 'spec.ports[2].port in body should be greater than or equal to 1' },
    ])
  })

  it('requires a port name', () => {
    expect(problems(hostEndpoint, doc('HostEndpoint', { node: 'n1', interfaceName: 'eth0', ports: [{ protocol: 'UDP', port: 5 }] }))).toEqual([
      { name: 'Name', value: '', reason: 'Reason: failed to validate Field: Name because of Tag: portName ' },
    ])
  })
})

describe('NetworkSet and GlobalNetworkSet checks', () => {
  it.each([networkSet, globalNetworkSet])('$kind takes addresses and CIDRs with host bits, as written', (kind) => {
    const resource = doc(kind.kind, { nets: ['10.0.0.1', '10.0.0.1/8', 'dead:beef::', 'dead:beef::/96'] }, { name: 's', namespace: 'ns' })
    expect(problems(kind, resource)).toEqual([])
    expect(resource.spec?.nets).toEqual(['10.0.0.1', '10.0.0.1/8', 'dead:beef::', 'dead:beef::/96'])
  })

  it.each([networkSet, globalNetworkSet])('$kind rejects what is not a network, and the namespace label', (kind) => {
    const resource = doc(kind.kind, { nets: ['10.0.0.0/8', 'garbage', '10.0.0.0/33'] }, { name: 's', labels: { 'projectcalico.org/namespace': 'x', role: 'db' } })
    expect(problems(kind, resource)).toEqual([
      { name: 'Nets[1]', value: 'garbage', reason: 'Reason: failed to validate Field: Nets[1] because of Tag: cidr ' },
      { name: 'Nets[2]', value: '10.0.0.0/33', reason: 'Reason: failed to validate Field: Nets[2] because of Tag: cidr ' },
      { name: 'Metadata.Labels (label)', value: 'projectcalico.org/namespace', reason: 'projectcalico.org/namespace is not a valid label name' },
    ])
  })
})

describe('IPReservation checks', () => {
  it('accepts CIDRs of both families', () => {
    expect(problems(ipReservation, doc('IPReservation', { reservedCIDRs: ['10.0.2.3/32', 'cafe:f00d::/123'] }))).toEqual([])
  })

  it('reports the whole list for the cidrs tag, and every entry the CRD format refuses', () => {
    expect(findings(ipReservation, doc('IPReservation', { reservedCIDRs: ['192.168.2.3', 'garbage', '10.0.0.0/8'] }))).toEqual([
      { name: 'ReservedCIDRs', value: '[192.168.2.3 garbage 10.0.0.0/8]', reason: 'Reason: failed to validate Field: ReservedCIDRs because of Tag: cidrs ' },
      { name: 'spec.reservedCIDRs[0]', reason: 'spec.reservedCIDRs[0] in body must be of type cidr: "192.168.2.3"' },
      { name: 'spec.reservedCIDRs[1]', reason: 'spec.reservedCIDRs[1] in body must be of type cidr: "garbage"' },
    ])
  })
})

describe('table cells', () => {
  it('shows a host endpoint with its node, interface, addresses and profiles', () => {
    const resource = load(hostEndpointYaml) as Resource
    expect(cells(hostEndpoint.columns.ps, resource)).toEqual([['NAME', 'NODE'], ['some.name', 'myhost']])
    expect(cells(hostEndpoint.columns.wide, resource)).toEqual([
      ['NAME', 'NODE', 'INTERFACE', 'IPS', 'PROFILES'],
      ['some.name', 'myhost', 'eth0', '192.168.0.1,192.168.0.2', 'profile1,profile2'],
    ])
    expect(cells(hostEndpoint.columns.wide, doc('HostEndpoint', { node: 'n1' }))[1]).toEqual(['r1', 'n1', '', '', ''])
  })

  it('shows the nets of a set, cut at 80 characters', () => {
    const nets = Array.from({ length: 8 }, (_, i) => `10.0.${i}.0/24`)
    const resource = doc('GlobalNetworkSet', { nets })
    expect(cells(globalNetworkSet.columns.ps, resource)).toEqual([['NAME'], ['r1']])
    const [headers, [, shown]] = cells(globalNetworkSet.columns.wide, resource)
    expect(headers).toEqual(['NAME', 'NETS'])
    expect(shown).toBe('10.0.0.0/24,10.0.1.0/24,10.0.2.0/24,10.0.3.0/24,10.0.4.0/24,10.0.5.0/24,10.0....')
    expect(shown).toHaveLength(80)
    expect(cells(networkSet.columns.wide, load(networkSetYaml) as Resource)[1]).toEqual(['external-database', '198.51.100.0/28,203.0.113.0/24'])
  })

  it('shows the reserved CIDRs of a reservation', () => {
    expect(cells(ipReservation.columns.wide, load(ipReservationYaml) as Resource)).toEqual([
      ['NAME', 'CIDRS'],
      ['my-ipreservation-1', '192.168.2.3,10.0.2.3/32,cafe:f00d::/123'],
    ])
    expect(cells(ipReservation.columns.wide, doc('IPReservation', {}))[1]).toEqual(['r1', ''])
  })
})

describe('joinAndTruncate', () => {
  it('keeps text of exactly the limit and cuts one character more', () => {
    expect(joinAndTruncate(['aaaa', 'bbbb'], ',', 9)).toBe('aaaa,bbbb')
    expect(joinAndTruncate(['aaaa', 'bbbbb'], ',', 9)).toBe('aaaa,b...')
    expect(joinAndTruncate(['aaaa', 'bbbbb'], ',', 0)).toBe('aaaa,bbbbb')
  })
})
