/**
 * validateRule, validateEntityRule and the port tags of libcalico-go's validator at their edges, on
 * a GlobalNetworkPolicy's rules: protocols given as names or numbers, named and numeric ports, the
 * families of nets, and global() in namespace selectors. Texts are upstream's.
 */
import { describe, expect, it } from 'vitest'
import { defaultResource } from '../../src/client/calico-client.js'
import type { FieldError } from '../../src/errors.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import { checkGlobalNetworkPolicy } from '../../src/resources/policy-checks.js'
import { kindByKind } from '../../src/resources/all-kinds.js'

type Rule = Record<string, unknown>
const PORTS = 'rules that specify ports must set protocol to TCP or UDP or SCTP'
const NUMERIC = 'rules with numeric port or port range must set protocol to TCP or UDP or SCTP'
const portName = (name: string) => ({ name: 'PortName', value: name, reason: `Reason: failed to validate Field: PortName because of Tag: portName ` })

/** What the validator reports for a policy with this one ingress rule. */
function problems(rule: Rule): FieldError[] {
  const resource = defaultResource(kindByKind('GlobalNetworkPolicy') as KindDefinition, {
    apiVersion: 'projectcalico.org/v3',
    kind: 'GlobalNetworkPolicy',
    metadata: { name: 'edges' },
    spec: { selector: 'all()', ingress: [{ action: 'Allow', ...rule }] },
  })
  return checkGlobalNetworkPolicy(resource).filter((e) => !e.name.startsWith('spec'))
}

describe('protocols and ports', () => {
  it.each<[string, Rule, FieldError[]]>([
    ['UDP with a port', { protocol: 'UDP', destination: { ports: [53] } }, []],
    ['SCTP with a port', { protocol: 'SCTP', source: { ports: [9] } }, []],
    ['protocol 6 with a range', { protocol: 6, destination: { ports: ['1:2'] } }, []],
    ['protocol 17 as text', { protocol: '17', destination: { ports: [53] } }, []],
    ['protocol 132 as text', { protocol: '132', destination: { ports: [9] } }, []],
    ['protocol 1 with a port', { protocol: 1, destination: { ports: [80] } }, [{ name: 'Destination.Ports', value: '[80]', reason: PORTS }]],
    ['ICMPv6 with source ports', { protocol: 'ICMPv6', source: { ports: [80, 'http'] } }, [{ name: 'Source.Ports', value: '[80 http]', reason: PORTS }]],
    ['UDPLite with not-ports', { protocol: 'UDPLite', destination: { notPorts: ['1:9'] } }, [{ name: 'Destination.NotPorts', value: '[1:9]', reason: PORTS }]],
    ['named ports without a protocol', { destination: { ports: ['http', 'https'] } }, []],
    ['a numeric port without a protocol', { source: { ports: ['http', 80] } }, [{ name: 'Source.Ports', value: '[http 80]', reason: NUMERIC }]],
    ['numeric not-ports without a protocol', { source: { notPorts: ['1:2'] }, destination: { notPorts: [3] } }, [
      { name: 'Source.NotPorts', value: '[1:2]', reason: NUMERIC },
      { name: 'Destination.NotPorts', value: '[3]', reason: NUMERIC },
    ]],
    ['protocol 255', { protocol: 255 }, []],
    ['protocol "255"', { protocol: '255' }, []],
    ['protocol "256", a name', { protocol: '256' }, [{ name: 'Protocol', value: '256', reason: 'protocol name invalid' }]],
    ['UDPLite', { notProtocol: 'UDPLite' }, []],
    ['a protocol name with a prefix', { protocol: 'xTCP' }, [{ name: 'Protocol', value: 'xTCP', reason: 'protocol name invalid' }]],
    ['a protocol name with a suffix', { protocol: 'TCPx' }, [{ name: 'Protocol', value: 'TCPx', reason: 'protocol name invalid' }]],
  ])('%s', (_what, rule, expected) => expect(problems(rule)).toEqual(expected))

  it.each<[string, FieldError[]]>([
    ['http', []],
    ['a-b', []],
    ['abcdefghijklmno', []],
    ['abcdefghijklmnop', [portName('abcdefghijklmnop')]],
    ['-http', [portName('-http')]],
    ['http-', [portName('http-')]],
    ['ht--tp', [portName('ht--tp')]],
    ['80-90', [portName('80-90')]],
    ['h_ttp', [portName('h_ttp')]],
  ])('port name %j', (name, expected) => expect(problems({ protocol: 'TCP', destination: { ports: [name] } })).toEqual(expected))

  it('takes port 1 and refuses port 0 at either end of a range', () => {
    expect(problems({ protocol: 'TCP', destination: { ports: [1, '1:65535'] } })).toEqual([])
    expect(problems({ protocol: 'TCP', destination: { ports: [0] } })).toEqual([
      { name: 'Port', value: '0', reason: 'port range invalid, port number must be between 1 and 65535' },
    ])
  })
})

describe('nets', () => {
  const both = (field: string, value: string) => ({ name: field, value, reason: 'rule contains both IPv4 and IPv6 CIDRs' })
  it.each<[string, Rule, FieldError[]]>([
    ['IPv6 everything negated', { destination: { notNets: ['::/0'] } }, [{ name: 'Destination.NotNets', value: '::/0', reason: 'catch-all CIDR in negation creates logical contradiction (matches no traffic)' }]],
    ['IPv4 everything as a net', { source: { nets: ['0.0.0.0/0'] } }, []],
    ['a short IPv6 prefix negated', { source: { notNets: ['fd00::/8'] } }, []],
    ['IPv6 nets in an IPv6 rule', { ipVersion: 6, source: { nets: ['fd00::/8'] } }, []],
    ['IPv6 nets in an IPv4 rule', { ipVersion: 4, source: { nets: ['fd00::/8'] } }, [{ name: 'Source.Nets', value: '[fd00::/8]', reason: "rule IP version doesn't match CIDR version" }]],
    ['both families in one field', { source: { nets: ['10.0.0.0/8', 'fd00::/8'] } }, [both('Source.Nets', '[10.0.0.0/8 fd00::/8]')]],
    ['IPv6 after IPv4 in another field', { source: { notNets: ['10.0.0.0/8'] }, destination: { notNets: ['fd00::/8'] } }, [both('Destination.NotNets', '[fd00::/8]')]],
    ['IPv4 after IPv6', { source: { nets: ['fd00::/8'] }, destination: { nets: ['10.0.0.0/8'] } }, [both('Destination.Nets', '[10.0.0.0/8]')]],
    ['a net that is no text', { source: { nets: [5] } }, [
      { name: 'Nets[0]', value: '5', reason: 'Reason: failed to validate Field: Nets[0] because of Tag: net ' },
      { name: 'Source.Nets', value: '5', reason: 'invalid CIDR' },
    ]],
  ])('%s', (_what, rule, expected) => expect(problems(rule)).toEqual(expected))
})

describe('global() in a namespace selector', () => {
  const combined = { name: 'NamespaceSelector field', value: '', reason: 'global() cannot be combined with other selectors' }
  it.each<[string, FieldError[]]>([
    ['global()', []],
    [' global() ', []],
    ["global() && a == 'b'", [{ ...combined, value: "global() && a == 'b'" }]],
    ["a == 'b' || global()", [{ ...combined, value: "a == 'b' || global()" }]],
  ])('%j', (selector, expected) => expect(problems({ source: { namespaceSelector: selector } })).toEqual(expected))
})
