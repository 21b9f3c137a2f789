import { describe, expect, it } from 'vitest'
import { toGoJson } from '../../src/output/json.js'
import { renderTable } from '../../src/output/table.js'
import { toGoYaml } from '../../src/output/yaml.js'

// Expected texts are what calicoctl (Go text/tabwriter, encoding/json and
// go-yaml v2.4.0 behind ghodss-style JSON-to-YAML) prints for the same data.

const ippool = {
  kind: 'IPPool',
  apiVersion: 'projectcalico.org/v3',
  metadata: { name: 'ippool-name1', uid: 'a1b2', resourceVersion: '42', creationTimestamp: '2025-03-01T10:00:00Z' },
  spec: {
    cidr: '10.0.1.0/24',
    ipipMode: 'Never',
    vxlanMode: 'Never',
    natOutgoing: false,
    blockSize: 26,
    nodeSelector: "foo == 'bar'",
    allowedUses: ['Workload', 'Tunnel'],
    assignmentMode: 'Automatic',
  },
}
const ippoolList = { kind: 'IPPoolList', apiVersion: 'projectcalico.org/v3', metadata: { resourceVersion: '42' }, items: [ippool] }

describe('renderTable', () => {
  it('pads every cell, the last column too, to the longest cell plus three', () => {
    expect(renderTable(['NAME', 'CIDR', 'SELECTOR'], [['ippool-name1', '10.0.1.0/24', "foo == 'bar'"]])).toBe(
      'NAME           CIDR          SELECTOR       \n' + "ippool-name1   10.0.1.0/24   foo == 'bar'   \n",
    )
  })

  it('renders the wide IPPool columns', () => {
    const headers = ['NAME', 'CIDR', 'NAT', 'IPIPMODE', 'VXLANMODE', 'DISABLED', 'DISABLEBGPEXPORT', 'SELECTOR', 'ASSIGNMENTMODE']
    const row = ['ippool-name1', '10.0.1.0/24', 'false', 'Always', 'Never', 'false', 'false', "foo == 'bar'", 'Automatic']
    expect(renderTable(headers, [row])).toBe(
      'NAME           CIDR          NAT     IPIPMODE   VXLANMODE   DISABLED   DISABLEBGPEXPORT   SELECTOR       ASSIGNMENTMODE   \n' +
        "ippool-name1   10.0.1.0/24   false   Always     Never       false      false              foo == 'bar'   Automatic        \n",
    )
  })

  it('prints only the header line for an empty list', () => {
    expect(renderTable(['NAME', 'CIDR', 'SELECTOR'], [])).toBe('NAME   CIDR   SELECTOR   \n')
  })

  it('keeps columns at least five wide', () => {
    expect(renderTable(['A', 'B'], [['x', 'y']])).toBe('A    B    \nx    y    \n')
  })

  it('measures cells in characters, not bytes', () => {
    expect(renderTable(['NAME', 'LABELS'], [['pro-é日本', 'a=b'], ['p2', 'x']])).toBe(
      'NAME      LABELS   \n' + 'pro-é日本   a=b      \n' + 'p2        x        \n',
    )
  })
})

describe('toGoYaml', () => {
  it('prints a list with sorted keys, quoted timestamps and numeric strings, unindented items', () => {
    expect(toGoYaml(ippoolList)).toBe(
      [
        'apiVersion: projectcalico.org/v3',
        'items:',
        '- apiVersion: projectcalico.org/v3',
        '  kind: IPPool',
        '  metadata:',
        '    creationTimestamp: "2025-03-01T10:00:00Z"',
        '    name: ippool-name1',
        '    resourceVersion: "42"',
        '    uid: a1b2',
        '  spec:',
        '    allowedUses:',
        '    - Workload',
        '    - Tunnel',
        '    assignmentMode: Automatic',
        '    blockSize: 26',
        '    cidr: 10.0.1.0/24',
        '    ipipMode: Never',
        '    natOutgoing: false',
        "    nodeSelector: foo == 'bar'",
        '    vxlanMode: Never',
        'kind: IPPoolList',
        'metadata:',
        '  resourceVersion: "42"',
        '',
      ].join('\n'),
    )
  })

  it('quotes label values that would read back as booleans or numbers, and prints null and {}', () => {
    const node = {
      kind: 'Node',
      apiVersion: 'projectcalico.org/v3',
      metadata: {
        name: 'node1',
        labels: { 'i-am-a-route-reflector': 'true', 'kubernetes.io/hostname': 'node1', rack: '10', zone: 'yes' },
        creationTimestamp: null,
      },
      spec: {
        bgp: { ipv4Address: '10.0.0.1/24', asNumber: 64512, routeReflectorClusterID: '224.0.0.1' },
        orchRefs: [{ nodeName: 'node1', orchestrator: 'k8s' }],
      },
      status: {},
    }
    expect(toGoYaml(node)).toBe(
      [
        'apiVersion: projectcalico.org/v3',
        'kind: Node',
        'metadata:',
        '  creationTimestamp: null',
        '  labels:',
        '    i-am-a-route-reflector: "true"',
        '    kubernetes.io/hostname: node1',
        '    rack: "10"',
        '    zone: "yes"',
        '  name: node1',
        'spec:',
        '  bgp:',
        '    asNumber: 64512',
        '    ipv4Address: 10.0.0.1/24',
        '    routeReflectorClusterID: 224.0.0.1',
        '  orchRefs:',
        '  - nodeName: node1',
        '    orchestrator: k8s',
        'status: {}',
        '',
      ].join('\n'),
    )
  })

  it('single-quotes a selector starting with "!" and leaves has(...) plain', () => {
    const peer = {
      kind: 'BGPPeer',
      apiVersion: 'projectcalico.org/v3',
      metadata: { name: 'peer-with-rr', creationTimestamp: null },
      spec: { nodeSelector: '!has(i-am-a-route-reflector)', peerSelector: 'has(i-am-a-route-reflector)' },
    }
    expect(toGoYaml(peer)).toBe(
      [
        'apiVersion: projectcalico.org/v3',
        'kind: BGPPeer',
        'metadata:',
        '  creationTimestamp: null',
        '  name: peer-with-rr',
        'spec:',
        "  nodeSelector: '!has(i-am-a-route-reflector)'",
        '  peerSelector: has(i-am-a-route-reflector)',
        '',
      ].join('\n'),
    )
  })

  it('prints an empty list as items: []', () => {
    const list = { kind: 'IPPoolList', apiVersion: 'projectcalico.org/v3', metadata: { resourceVersion: '7' }, items: [] }
    expect(toGoYaml(list)).toBe('apiVersion: projectcalico.org/v3\nitems: []\nkind: IPPoolList\nmetadata:\n  resourceVersion: "7"\n')
  })

  it('prints null alone for nothing found', () => {
    expect(toGoYaml(null)).toBe('null\n')
  })

  it('orders keys like go-yaml: letters first, digit runs by value', () => {
    expect(toGoYaml({ a10: 1, a9: 2, a_b: 3, aB: 4, ab: 5, 'a-b': 6, B: 7, '': 8 })).toBe(
      '"": 8\nB: 7\na-b: 6\na_b: 3\na9: 2\na10: 1\naB: 4\nab: 5\n',
    )
  })

  it('prints integers verbatim and other numbers like Go %g', () => {
    expect(toGoYaml({ int: 64512, neg: -3, float: 1.5, bigFloat: 1234567.5, small: 0.00001 })).toBe(
      'bigFloat: 1.2345675e+06\nfloat: 1.5\nint: 64512\nneg: -3\nsmall: 1e-05\n',
    )
  })

  it('quotes strings the way go-yaml v2 does', () => {
    const value = {
      yes: 'yes', on: 'On', base60: '1:20', hex: '0x1F', date: '2025-03-01', empty: '', tilde: '~',
      star: '*all', q: "'quoted' text", colon: 'key: value', hash: 'a #b', dash: '- item',
      lead: ' padded', trail: 'padded ', ipv6: 'fd00::/64', tab: 'a\tb', emoji: 'ok 😀', uni: 'Grüße 日本',
    }
    expect(toGoYaml(value)).toBe(
      [
        'base60: "1:20"',
        "colon: 'key: value'",
        "dash: '- item'",
        'date: "2025-03-01"',
        'emoji: "ok \\U0001F600"',
        'empty: ""',
        "hash: 'a #b'",
        'hex: "0x1F"',
        'ipv6: fd00::/64',
        "lead: ' padded'",
        '"on": "On"',
        "q: '''quoted'' text'",
        "star: '*all'",
        'tab: "a\\tb"',
        'tilde: "~"',
        "trail: 'padded '",
        'uni: Grüße 日本',
        '"yes": "yes"',
        '',
      ].join('\n'),
    )
  })

  it('prints strings with newlines as literal blocks', () => {
    const value = { cert: '-----BEGIN-----\nabc\n-----END-----\n', script: 'line1\nline2', keep: 'a\n\n', indented: ' x\ny' }
    expect(toGoYaml(value)).toBe(
      'cert: |\n  -----BEGIN-----\n  abc\n  -----END-----\n' +
        'indented: |2-\n   x\n  y\n' +
        'keep: |+\n  a\n\n' +
        'script: |-\n  line1\n  line2\n',
    )
  })

  it('folds a long value at the first space after column 80', () => {
    const selector = "has(projectcalico.org/namespace) && projectcalico.org/orchestrator == 'k8s' && environment in {'production', 'staging'}"
    expect(toGoYaml({ spec: { selector } })).toBe(
      'spec:\n' +
        "  selector: has(projectcalico.org/namespace) && projectcalico.org/orchestrator ==\n" +
        "    'k8s' && environment in {'production', 'staging'}\n",
    )
  })

  it('nests sequences and empty collections', () => {
    expect(toGoYaml([[1, 2], [], {}, [{ a: null }]])).toBe('- - 1\n  - 2\n- []\n- {}\n- - a: null\n')
  })

  it('uses the explicit key form for keys over 128 bytes', () => {
    const key = 'k'.repeat(129)
    expect(toGoYaml({ [key]: 'v' })).toBe(`? ${key}\n: v\n`)
  })

  it('fails like go-yaml on control characters that Go leaves raw in JSON', () => {
    expect(() => toGoYaml({ note: 'bad\u007f' })).toThrow('yaml: control characters are not allowed')
  })
})

describe('toGoJson', () => {
  it('indents with two spaces and keeps the given key order, without a trailing newline', () => {
    expect(toGoJson(ippoolList, true)).toBe(
      [
        '{',
        '  "kind": "IPPoolList",',
        '  "apiVersion": "projectcalico.org/v3",',
        '  "metadata": {',
        '    "resourceVersion": "42"',
        '  },',
        '  "items": [',
        '    {',
        '      "kind": "IPPool",',
        '      "apiVersion": "projectcalico.org/v3",',
        '      "metadata": {',
        '        "name": "ippool-name1",',
        '        "uid": "a1b2",',
        '        "resourceVersion": "42",',
        '        "creationTimestamp": "2025-03-01T10:00:00Z"',
        '      },',
        '      "spec": {',
        '        "cidr": "10.0.1.0/24",',
        '        "ipipMode": "Never",',
        '        "vxlanMode": "Never",',
        '        "natOutgoing": false,',
        '        "blockSize": 26,',
        '        "nodeSelector": "foo == \'bar\'",',
        '        "allowedUses": [',
        '          "Workload",',
        '          "Tunnel"',
        '        ],',
        '        "assignmentMode": "Automatic"',
        '      }',
        '    }',
        '  ]',
        '}',
      ].join('\n'),
    )
  })

  it('keeps empty objects and arrays on one line when indenting', () => {
    expect(toGoJson({ a: {}, b: [], c: [1, { d: [] }], e: null }, true)).toBe(
      '{\n  "a": {},\n  "b": [],\n  "c": [\n    1,\n    {\n      "d": []\n    }\n  ],\n  "e": null\n}',
    )
  })

  it('escapes like Go in compact form and passes other unicode through', () => {
    const value = {
      kind: 'NetworkPolicy',
      spec: { selector: "a == 'x' && b != 'y'", tag: '<b>&</b>', empty: {}, list: [], u: 'é 日本 😀 \u2028 \u0001 \u001f \b\f\n\r\t "\\' },
    }
    expect(toGoJson(value, false)).toBe(
      '{"kind":"NetworkPolicy","spec":{"selector":"a == \'x\' \\u0026\\u0026 b != \'y\'",' +
        '"tag":"\\u003cb\\u003e\\u0026\\u003c/b\\u003e","empty":{},"list":[],' +
        '"u":"é 日本 😀 \\u2028 \\u0001 \\u001f \\u0008\\u000c\\n\\r\\t \\"\\\\"}}',
    )
  })

  it('leaves out properties whose value is undefined', () => {
    expect(toGoJson({ name: 'a', order: undefined, types: ['Ingress'] }, false)).toBe('{"name":"a","types":["Ingress"]}')
  })
})
