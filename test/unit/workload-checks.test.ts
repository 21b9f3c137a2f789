import { describe, expect, it } from 'vitest'
import { ValidationError, type FieldError } from '../../src/errors.js'
import { checkWorkloadEndpoint } from '../../src/resources/workload-checks.js'
import type { Resource } from '../../src/resources/types.js'

type Spec = Record<string, unknown>

const wep = (spec: Spec): Resource => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'WorkloadEndpoint',
  metadata: { name: 'worker--1-k8s-frontend--5d8f-eth0', namespace: 'shop' },
  spec,
})

/** A dual-stack Kubernetes pod endpoint with a NAT, a host port and QoS limits. */
const frontend: Spec = {
  orchestrator: 'k8s',
  node: 'worker-1',
  pod: 'frontend-5d8f',
  endpoint: 'eth0',
  containerID: '8c3f0e1D2a',
  serviceAccountName: 'frontend',
  ipNetworks: ['10.65.0.5/32', 'fd00:10:65::5/128'],
  ipNATs: [{ internalIP: '10.65.0.5', externalIP: '172.16.0.5' }],
  ipv4Gateway: '169.254.1.1',
  ipv6Gateway: 'fe80::ecee:eeff:feee:eeee',
  profiles: ['kns.shop', 'ksa.shop.frontend'],
  interfaceName: 'cali1f2e3d4c5b6',
  mac: 'ee:ee:ee:ee:ee:ee',
  ports: [
    { name: 'http', protocol: 'TCP', port: 8080 },
    { name: 'metrics', protocol: 'UDP', port: 9100 },
    { protocol: 'SCTP', port: 3868, hostPort: 3868, hostIP: '192.168.1.10' },
  ],
  allowSpoofedSourcePrefixes: ['192.168.0.0/16', '10.0.0.1'],
  qosControls: { ingressBandwidth: 1000000, egressBandwidth: 1000000, dscp: 'AF11' },
}

const problems = (patch: Spec): FieldError[] => checkWorkloadEndpoint(wep({ ...frontend, ...patch }))
const tag = (name: string, value: string, tagName: string): FieldError => ({
  name,
  value,
  reason: `Reason: failed to validate Field: ${name} because of Tag: ${tagName} `,
})

describe('checkWorkloadEndpoint: valid endpoints', () => {
  it('accepts a realistic pod endpoint', () => {
    expect(checkWorkloadEndpoint(wep(frontend))).toEqual([])
  })

  it('accepts the sample endpoint of the WorkloadEndpoint reference docs', () => {
    // The docs sample lists `endpoint: eth0` twice; the value is the same.
    const sample = wep({
      node: 'node1',
      orchestrator: 'k8s',
      endpoint: 'eth0',
      containerID: '1337495556942031415926535',
      pod: 'my-nginx-b1337a',
      interfaceName: 'cali0ef24ba',
      mac: 'ca:fe:1d:52:bb:e9',
      ipNetworks: ['192.168.0.0/32'],
      profiles: ['profile1'],
      ports: [
        { name: 'some-port', port: 1234, protocol: 'TCP' },
        { name: 'another-port', port: 5432, protocol: 'UDP' },
      ],
    })
    expect(checkWorkloadEndpoint(sample)).toEqual([])
  })

  it.each<[string, Spec]>([
    ['plain addresses as networks', { ipNetworks: ['10.65.0.5', 'fd00:10:65::5'] }],
    ['an empty network entry', { ipNetworks: ['10.65.0.5/32', ''] }],
    ['upper-case letters in a container ID', { containerID: 'ABC-123' }],
    ['the wildcard interface name', { interfaceName: '*' }],
    ['an IPv4-mapped IPv6 address as IPv4 gateway', { ipv4Gateway: '::ffff:169.254.1.1' }],
    ['a dash-separated MAC in capitals', { mac: 'EE-EE-EE-EE-EE-EE' }],
    ['a dotted MAC', { mac: 'eeee.eeee.eeee' }],
    ['a 20-octet InfiniBand MAC', { mac: Array(20).fill('0a').join(':') }],
    ['a protocol number written as text', { ports: [{ name: 'http', protocol: '6', port: 80 }] }],
    ['a protocol number', { ports: [{ name: 'http', protocol: 17, port: 80 }] }],
    ['a NAT whose internal address is a /32', { ipNATs: [{ internalIP: '10.65.0.5', externalIP: '172.16.0.5' }], ipNetworks: ['10.65.0.5'] }],
    ['no NATs and no networks', { ipNATs: [], ipNetworks: [] }],
  ])('accepts %s', (_, patch) => {
    expect(problems(patch)).toEqual([])
  })
})

describe('checkWorkloadEndpoint: identifiers', () => {
  it.each<[string, Spec, FieldError[]]>([
    ['orchestrator', { orchestrator: 'K8S' }, [tag('Orchestrator', 'K8S', 'name')]],
    ['workload', { workload: 'my_vm' }, [tag('Workload', 'my_vm', 'name')]],
    ['node', { node: 'Worker-1' }, [tag('Node', 'Worker-1', 'name')]],
    ['containerID', { containerID: 'abc_123' }, [tag('ContainerID', 'abc_123', 'containerID')]],
    ['pod', { pod: '-frontend' }, [tag('Pod', '-frontend', 'name')]],
    ['endpoint', { endpoint: 'eth0.' }, [tag('Endpoint', 'eth0.', 'name')]],
    ['serviceAccountName', { serviceAccountName: 'front_end' }, [tag('ServiceAccountName', 'front_end', 'name')]],
    ['a profile', { profiles: ['kns.shop', 'Admin'] }, [tag('Profiles[1]', 'Admin', 'name')]],
    ['an empty profile', { profiles: [''] }, [tag('Profiles[0]', '', 'name')]],
  ])('reports a bad %s', (_, patch, expected) => {
    expect(problems(patch)).toEqual(expected)
  })

  it('words a tag failure exactly as upstream', () => {
    expect(problems({ node: 'Worker-1' })).toEqual([
      { name: 'Node', value: 'Worker-1', reason: 'Reason: failed to validate Field: Node because of Tag: name ' },
    ])
  })
})

describe('checkWorkloadEndpoint: interface and MAC', () => {
  it.each<[string, Spec, FieldError[]]>([
    ['a missing interface name', { interfaceName: undefined }, [tag('InterfaceName', '', 'interface')]],
    ['an interface name over 15 characters', { interfaceName: 'cali1f2e3d4c5b6a' }, [tag('InterfaceName', 'cali1f2e3d4c5b6a', 'interface')]],
    ['an interface name with a slash', { interfaceName: 'cali/0' }, [tag('InterfaceName', 'cali/0', 'interface')]],
    ['a MAC with five octets', { mac: 'ee:ee:ee:ee:ee' }, [tag('MAC', 'ee:ee:ee:ee:ee', 'mac')]],
    ['a MAC with mixed separators', { mac: 'ee:ee-ee:ee:ee:ee' }, [tag('MAC', 'ee:ee-ee:ee:ee:ee', 'mac')]],
    ['a MAC with a non-hex digit', { mac: 'ee:ee:ee:ee:ee:eg' }, [tag('MAC', 'ee:ee:ee:ee:ee:eg', 'mac')]],
  ])('reports %s', (_, patch, expected) => {
    expect(problems(patch)).toEqual(expected)
  })
})

describe('checkWorkloadEndpoint: networks and gateways', () => {
  it.each<[string, Spec, FieldError[]]>([
    [
      'a network with host bits set',
      { ipNetworks: ['10.65.0.5/24'] },
      [tag('IPNetworks[0]', '10.65.0.5/24', 'net'), { name: 'IPNetworks', value: '[10.65.0.5/24]', reason: 'IP network contains multiple addresses' }],
    ],
    [
      'a network of many addresses, once per such network',
      { ipNetworks: ['10.65.0.0/24', 'fd00:10:65::/64'] },
      [
        { name: 'IPNetworks', value: '[10.65.0.0/24 fd00:10:65::/64]', reason: 'IP network contains multiple addresses' },
        { name: 'IPNetworks', value: '[10.65.0.0/24 fd00:10:65::/64]', reason: 'IP network contains multiple addresses' },
      ],
    ],
    [
      'an IPv6 address as IPv4 gateway',
      { ipv4Gateway: 'fe80::1' },
      [tag('IPv4Gateway', 'fe80::1', 'ipv4'), { name: 'IPv4Gateway', value: 'fe80::1', reason: 'invalid IPv4 gateway address specified' }],
    ],
    [
      'an IPv4 address as IPv6 gateway',
      { ipv6Gateway: '169.254.1.1' },
      [tag('IPv6Gateway', '169.254.1.1', 'ipv6'), { name: 'IPv6Gateway', value: '169.254.1.1', reason: 'invalid IPv6 gateway address specified' }],
    ],
    ['a CIDR as gateway (only the tag objects)', { ipv4Gateway: '169.254.1.1/16' }, [tag('IPv4Gateway', '169.254.1.1/16', 'ipv4')]],
    ['a bad prefix to allow spoofing from', { allowSpoofedSourcePrefixes: ['10.0.0.0/8', '10.abcd'] }, [tag('AllowSpoofedSourcePrefixes[1]', '10.abcd', 'cidr')]],
  ])('reports %s', (_, patch, expected) => {
    expect(problems(patch)).toEqual(expected)
  })

  it('stops where upstream crashes on a network that does not parse, after the field checks', () => {
    expect(problems({ ipNetworks: ['nonsense'], ipv4Gateway: 'fe80::1', mac: 'ee' })).toEqual([
      tag('IPNetworks[0]', 'nonsense', 'net'),
      tag('IPv4Gateway', 'fe80::1', 'ipv4'),
      tag('MAC', 'ee', 'mac'),
      { name: 'IPNetworks', value: 'nonsense', reason: 'invalid CIDR' },
    ])
  })

  it('parses both gateways before stopping on the IPv6 one', () => {
    expect(problems({ ipv4Gateway: 'fe80::1', ipv6Gateway: 'gw' })).toEqual([
      tag('IPv4Gateway', 'fe80::1', 'ipv4'),
      tag('IPv6Gateway', 'gw', 'ipv6'),
      { name: 'IPv6Gateway', value: 'gw', reason: 'invalid CIDR' },
      { name: 'IPv4Gateway', value: 'fe80::1', reason: 'invalid IPv4 gateway address specified' },
    ])
  })

  it('stops at once on an IPv4 gateway that does not parse', () => {
    expect(problems({ ipv4Gateway: 'gw', ipv6Gateway: '169.254.1.1' })).toEqual([
      tag('IPv4Gateway', 'gw', 'ipv4'),
      tag('IPv6Gateway', '169.254.1.1', 'ipv6'),
      { name: 'IPv4Gateway', value: 'gw', reason: 'invalid CIDR' },
    ])
  })
})

describe('checkWorkloadEndpoint: NATs', () => {
  it.each<[string, Spec, FieldError[]]>([
    [
      'an internal address outside the networks',
      { ipNATs: [{ internalIP: '10.65.0.5', externalIP: '172.16.0.5' }, { internalIP: '10.65.0.9', externalIP: '172.16.0.9' }] },
      [{ name: 'IPNATs', value: '[{10.65.0.5 172.16.0.5} {10.65.0.9 172.16.0.9}]', reason: 'NAT is not in the endpoint networks' }],
    ],
    [
      'NATs on an endpoint without networks',
      { ipNetworks: undefined },
      [{ name: 'IPNATs', value: '[{10.65.0.5 172.16.0.5}]', reason: 'NAT is not in the endpoint networks' }],
    ],
    [
      'addresses of different families',
      { ipNATs: [{ internalIP: '10.65.0.5', externalIP: '2001:db8::5' }] },
      [{ name: 'ExternalIP', value: '2001:db8::5', reason: 'mismatched IP versions' }],
    ],
    [
      'a missing internal address',
      { ipNATs: [{ internalIP: '', externalIP: '172.16.0.5' }] },
      [
        { name: 'ExternalIP', value: '172.16.0.5', reason: 'mismatched IP versions' },
        { name: 'IPNATs', value: '[{ 172.16.0.5}]', reason: 'NAT is not in the endpoint networks' },
      ],
    ],
    ['an internal address written as a CIDR', { ipNATs: [{ internalIP: '10.65.0.5/32', externalIP: '172.16.0.5' }] }, [tag('InternalIP', '10.65.0.5/32', 'ip')]],
    ['an IPv6 NAT inside the IPv6 network', { ipNATs: [{ internalIP: 'fd00:10:65::5', externalIP: '2001:db8::5' }] }, []],
  ])('reports %s', (_, patch, expected) => {
    expect(problems(patch)).toEqual(expected)
  })

  it('stops where upstream crashes on a NAT address that does not parse, naming InternalIP with the external value', () => {
    expect(problems({ ipNATs: [{ internalIP: 'ten', externalIP: '172.16.0.5' }], interfaceName: '' })).toEqual([
      tag('InternalIP', 'ten', 'ip'),
      { name: 'InternalIP', value: '172.16.0.5', reason: 'invalid IP address' },
    ])
  })
})

describe('checkWorkloadEndpoint: ports', () => {
  it.each<[string, Spec, FieldError[]]>([
    [
      'a protocol without ports',
      { ports: [{ name: 'ping', protocol: 'ICMP', port: 1 }] },
      [{ name: 'WorkloadEndpointPort.Protocol', value: 'ICMP', reason: 'WorkloadEndpointPort protocol does not support ports.' }],
    ],
    [
      'a missing protocol (the number 0)',
      { ports: [{ name: 'http', port: 80 }] },
      [
        { name: 'Protocol', value: '0', reason: 'protocol number invalid' },
        { name: 'WorkloadEndpointPort.Protocol', value: '0', reason: 'WorkloadEndpointPort protocol does not support ports.' },
      ],
    ],
    ['a lower-case protocol name', { ports: [{ name: 'http', protocol: 'tcp', port: 80 }] }, [{ name: 'Protocol', value: 'tcp', reason: 'protocol name invalid' }]],
    [
      'an unknown protocol name',
      { ports: [{ name: 'http', protocol: 'QUIC', port: 443 }] },
      [
        { name: 'Protocol', value: 'QUIC', reason: 'protocol name invalid' },
        { name: 'WorkloadEndpointPort.Protocol', value: 'QUIC', reason: 'WorkloadEndpointPort protocol does not support ports.' },
      ],
    ],
    ['a port name in capitals', { ports: [{ name: 'HTTP', protocol: 'TCP', port: 80 }] }, [tag('Name', 'HTTP', 'portName')]],
    ['a port name of digits only', { ports: [{ name: '8080', protocol: 'TCP', port: 8080 }] }, [tag('Name', '8080', 'portName')]],
    ['a port name with a double dash', { ports: [{ name: 'web--ui', protocol: 'TCP', port: 80 }] }, [tag('Name', 'web--ui', 'portName')]],
    ['a port name over 15 characters', { ports: [{ name: 'prometheus-metric', protocol: 'TCP', port: 80 }] }, [tag('Name', 'prometheus-metric', 'portName')]],
    ['a missing port number', { ports: [{ name: 'http', protocol: 'TCP' }] }, [tag('Port', '0', 'gt')]],
    [
      'an unnamed port without a host port',
      { ports: [{ protocol: 'TCP', port: 80 }] },
      [{ name: 'WorkloadEndpointPort.Name', value: '', reason: 'WorkloadEndpointPort name must not be empty if no HostPort is specified' }],
    ],
    ['a bad host IP', { ports: [{ protocol: 'TCP', port: 80, hostPort: 8080, hostIP: '999.1.1.1' }] }, [tag('HostIP', '999.1.1.1', 'net')]],
    [
      'every fault of one port, fields first',
      { ports: [{ protocol: 'TCP', port: 80 }, { name: 'Bad--name', port: 0, hostIP: '10.0.0.1/24' }] },
      [
        { name: 'WorkloadEndpointPort.Name', value: '', reason: 'WorkloadEndpointPort name must not be empty if no HostPort is specified' },
        tag('Name', 'Bad--name', 'portName'),
        { name: 'Protocol', value: '0', reason: 'protocol number invalid' },
        tag('Port', '0', 'gt'),
        tag('HostIP', '10.0.0.1/24', 'net'),
        { name: 'WorkloadEndpointPort.Protocol', value: '0', reason: 'WorkloadEndpointPort protocol does not support ports.' },
      ],
    ],
  ])('reports %s', (_, patch, expected) => {
    expect(problems(patch)).toEqual(expected)
  })
})

describe('checkWorkloadEndpoint: order', () => {
  it('reports field checks in spec order, then the whole-spec checks', () => {
    const errors = problems({ node: 'Worker-1', ipNetworks: ['10.65.0.0/24'], interfaceName: 'cali/0', ports: [{ name: 'http', protocol: 'ICMP', port: 80 }], mac: 'ee' })
    expect(errors.map((e) => e.name)).toEqual(['Node', 'InterfaceName', 'MAC', 'WorkloadEndpointPort.Protocol', 'IPNetworks'])
  })

  it('reads as upstream prints it once raised', () => {
    const errors = problems({ ipv4Gateway: 'fe80::1' })
    expect(new ValidationError(errors).message).toBe(
      'error with the following fields:\n' +
        "-  IPv4Gateway = 'fe80::1' (Reason: failed to validate Field: IPv4Gateway because of Tag: ipv4 )\n" +
        "-  IPv4Gateway = 'fe80::1' (invalid IPv4 gateway address specified)\n",
    )
  })
})
