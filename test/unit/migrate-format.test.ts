/**
 * The formats of `datastore migrate export/import`, byte for byte: the IPAM section as upstream's
 * json.MarshalIndent of migrateIPAM writes it (64-bit sequence numbers exact), node renaming, and the
 * custom resources and CRDs the import writes.
 */
import { describe, expect, it } from 'vitest'
import { migrationCrds } from '../../src/migrate/crds.js'
import { convertIptablesFields } from '../../src/migrate/export.js'
import { goTime, pullIpam, type EtcdKeyReader } from '../../src/migrate/ipam-export.js'
import { hostnameHash } from '../../src/datastore/kubernetes/ipam-kv.js'
import { parseIpamSection } from '../../src/migrate/ipam-import.js'
import { affinityName } from '../../src/datastore/kubernetes/ipam-kv.js'
import { parseJson64 } from '../../src/json64.js'
import { toGoJson } from '../../src/output/json.js'
import { parseCidr, type Cidr } from '../../src/net/cidr.js'

/** etcd as a map of keys; lists in key order, as etcd returns them. */
function etcd(entries: Record<string, string>): EtcdKeyReader {
  return {
    getKey: async (key) => (key in entries ? { value: entries[key], revision: '1' } : undefined),
    listKeys: async (prefix) =>
      Object.keys(entries)
        .filter((k) => k.startsWith(prefix))
        .sort()
        .map((key) => ({ key, value: entries[key] })),
  }
}

const BLOCK = '/calico/ipam/v2/assignment/ipv4/block/10.65.0.0-30'

describe('parseJson64', () => {
  it('keeps integers past 2^53 exact and reads everything else as JSON.parse does', () => {
    expect(parseJson64('{"a":18446744073709551615,"b":9007199254740993,"c":9007199254740991,"d":-3,"e":1.5,"f":1e3}')).toEqual({
      a: 18446744073709551615n,
      b: 9007199254740993n,
      c: 9007199254740991,
      d: -3,
      e: 1.5,
      f: 1000,
    })
    expect(parseJson64(' [ "x\\u00e9\\n", true, false, null, {} ] ')).toEqual(['xé\n', true, false, null, {}])
    expect(toGoJson(parseJson64('{"n":18446744073709551615}'), false)).toBe('{"n":18446744073709551615}')
  })

  it('refuses what is not JSON', () => {
    for (const bad of ['', '{', '{"a":}', '[1,]', '01', '{"a":1} x', "'a'"]) expect(() => parseJson64(bad), bad).toThrow(SyntaxError)
  })
})

describe('export: the IPAM section', () => {
  it('is migrateIPAM as json.MarshalIndent writes it', async () => {
    const ipam = await pullIpam(
      etcd({
        [BLOCK]:
          '{"cidr":"10.65.0.0/30","affinity":"host:calico-1","affinity_claim_time":"2026-01-02T03:04:05.678Z","allocations":[0,null,1,null],"unallocated":[3,1],"attributes":[{"handle_id":"vxlan-tunnel-addr-calico-1","secondary":{"type":"vxlanTunnelAddress","node":"calico-1"}},{"handle_id":"k8s-pod-network.x","secondary":{"pod":"a<b>&","node":"calico-2","namespace":"ns"},"alternateOwnerAttrs":{"node":"calico-1"},"releasedAt":"2026-01-02T03:04:05+01:00"}],"sequenceNumber":18446744073709551615,"sequenceNumberForAllocation":{"2":9007199254740993,"0":1},"deleted":false}',
        '/calico/ipam/v2/host/calico-1/ipv4/block/10.65.0.0-30': '',
        '/calico/ipam/v2/handle/vxlan-tunnel-addr-calico-1': '{"block":{"10.65.0.0/30":1},"deleted":false}',
        '/calico/ipam/v2/config': '{"strict_affinity":false,"auto_allocate_blocks":true,"maxBlocksPerHost":0}',
      }),
      new Map([
        ['calico-1', 'k8s-1'],
        ['calico-2', 'k8s-2'],
      ]),
    )
    expect(`${toGoJson(ipam, true)}\n`).toBe(`{
  "block_affinities": [
    {
      "Key": "/calico/ipam/v2/host/k8s-1/ipv4/block/10.65.0.0-30",
      "Value": {
        "state": "",
        "deleted": false
      },
      "TTL": 0
    }
  ],
  "blocks": [
    {
      "Key": "/calico/ipam/v2/assignment/ipv4/block/10.65.0.0-30",
      "Value": {
        "cidr": "10.65.0.0/30",
        "affinity": "host:k8s-1",
        "affinity_claim_time": "2026-01-02T03:04:05Z",
        "allocations": [
          0,
          null,
          1,
          null
        ],
        "unallocated": [
          3,
          1
        ],
        "attributes": [
          {
            "handle_id": "vxlan-tunnel-addr-k8s-1",
            "secondary": {
              "node": "k8s-1",
              "type": "vxlanTunnelAddress"
            }
          },
          {
            "handle_id": "k8s-pod-network.x",
            "secondary": {
              "namespace": "ns",
              "node": "k8s-2",
              "pod": "a\\u003cb\\u003e\\u0026"
            },
            "alternateOwnerAttrs": {
              "node": "k8s-1"
            },
            "releasedAt": "2026-01-02T02:04:05Z"
          }
        ],
        "sequenceNumber": 18446744073709551615,
        "sequenceNumberForAllocation": {
          "0": 1,
          "2": 9007199254740993
        },
        "deleted": false
      },
      "TTL": 0
    }
  ],
  "handles": [
    {
      "Key": "/calico/ipam/v2/handle/vxlan-tunnel-addr-k8s-1",
      "Value": {
        "block": {
          "10.65.0.0/30": 1
        },
        "deleted": false
      },
      "TTL": 0
    }
  ],
  "config": {
    "Key": "/calico/ipam/v2/config",
    "Value": {
      "auto_allocate_blocks": true
    },
    "TTL": 0
  }
}
`)
  })

  it('writes null for what Go decodes as nil, and {} when nothing is stored', async () => {
    expect(toGoJson(await pullIpam(etcd({})), true)).toBe('{}')
    const ipam = await pullIpam(etcd({ [BLOCK]: '{"cidr":"10.65.0.0/30"}', '/calico/ipam/v2/handle/h': '{}' }))
    expect(toGoJson(ipam.blocks?.[0].Value, false)).toBe(
      '{"cidr":"10.65.0.0/30","affinity":null,"allocations":null,"unallocated":null,"attributes":null,"sequenceNumber":0,"sequenceNumberForAllocation":null,"deleted":false}',
    )
    expect(toGoJson(ipam.handles?.[0].Value, false)).toBe('{"block":null,"deleted":false}')
  })

  it('renames a virtual affinity of a known node to host:, as upstream does, and leaves unknown nodes alone', async () => {
    const ipam = await pullIpam(
      etcd({
        [BLOCK]: '{"cidr":"10.65.0.0/30","affinity":"virtual:calico-1","attributes":[{"handle_id":"ipip-tunnel-addr-other","secondary":{"node":"other"}}]}',
        '/calico/ipam/v2/host/other/ipv4/block/10.65.0.0-30': '{"state":"pending","deleted":true}',
      }),
      new Map([['calico-1', 'k8s-1']]),
    )
    expect(ipam.blocks?.[0].Value).toMatchObject({ affinity: 'host:k8s-1', attributes: [{ handle_id: 'ipip-tunnel-addr-other', secondary: { node: 'other' } }] })
    expect(ipam.block_affinities?.[0]).toEqual({ Key: '/calico/ipam/v2/host/other/ipv4/block/10.65.0.0-30', Value: { state: 'pending', deleted: true }, TTL: 0 })
  })

  it('skips keys and values libcalico-go cannot read, as its list does', async () => {
    const ipam = await pullIpam(
      etcd({
        '/calico/ipam/v2/assignment/ipv4/block/not-a-cidr': '{}',
        '/calico/ipam/v2/assignment/ipv4/block/10.65.0.4-30': 'not json',
        '/calico/ipam/v2/assignment/ipv4/block/10.65.0.8-30': '{"cidr":"10.65.0.8/30","sequenceNumber":-1}',
        '/calico/ipam/v2/assignment/ipv4/block/10.65.0.12-30/extra': '{}',
        '/calico/ipam/v2/handle/a/b': '{}',
      }),
    )
    expect(ipam).toEqual({})
  })

  it('writes times as Go writes metav1.Time: UTC, whole seconds', () => {
    expect(goTime('2026-05-06T07:08:09.999999999+02:00')).toBe('2026-05-06T05:08:09Z')
    expect(goTime(undefined)).toBeUndefined()
    expect(() => goTime('yesterday')).toThrow(/RFC 3339/)
  })
})

describe('export: FelixConfiguration actions of the v1 API', () => {
  it('title-cases them as upstream does, and leaves unset ones alone', () => {
    const spec: Record<string, unknown> = { defaultEndpointToHostAction: 'DROP', iptablesFilterAllowAction: 'ACCEPT', iptablesMangleAllowAction: 'Return', iptablesFilterDenyAction: 'drop', logSeverityScreen: 'INFO' }
    convertIptablesFields(spec)
    expect(spec).toEqual({ defaultEndpointToHostAction: 'Drop', iptablesFilterAllowAction: 'Accept', iptablesMangleAllowAction: 'Return', iptablesFilterDenyAction: 'Drop', logSeverityScreen: 'INFO' })
    const empty: Record<string, unknown> = { iptablesFilterAllowAction: '' }
    convertIptablesFields(empty)
    expect(empty).toEqual({ iptablesFilterAllowAction: '' })
  })
})

describe('import: the IPAM objects', () => {
  const cidr = (text: string) => parseCidr(text) as Cidr

  it('names and shapes them as the Kubernetes backend does, sequence numbers intact', () => {
    const { objects } = parseIpamSection(`{
  "block_affinities": [{"Key": "/calico/ipam/v2/host/k8s-node-1/ipv6/block/fd00:10::-122", "Value": {"state": "confirmed", "deleted": false}, "TTL": 0}],
  "blocks": [{"Key": "/calico/ipam/v2/assignment/ipv4/block/10.65.0.0-30", "Value": {"cidr": "10.65.0.0/30", "affinity": "host:k8s-node-1", "allocations": [0, null, null, null], "unallocated": [1, 2, 3], "attributes": [{"handle_id": "Pod-A", "secondary": {"node": "k8s-node-1"}}], "sequenceNumber": 18446744073709551615, "sequenceNumberForAllocation": {"0": 18446744073709551614}, "deleted": false}, "TTL": 0}],
  "handles": [{"Key": "/calico/ipam/v2/handle/Pod-A", "Value": {"block": {"10.65.0.0/30": 1}, "deleted": false}, "TTL": 0}],
  "config": {"Key": "/calico/ipam/v2/config", "Value": {"strict_affinity": true}, "TTL": 0}
}`)
    expect(objects.map((o) => [o.plural, o.name, o.keyText])).toEqual([
      ['blockaffinities', 'k8s-node-1-fd00-10---122', 'BlockAffinityKey(cidr=fd00:10::/122, host=k8s-node-1, affinityType=host)'],
      ['ipamblocks', '10-65-0-0-30', 'BlockKey(cidr=10.65.0.0/30)'],
      ['ipamhandles', 'pod-a', 'IPAMHandleKey(id=Pod-A)'],
      ['ipamconfigs', 'default', 'IPAMConfigKey()'],
    ])
    expect(objects[0].labels).toEqual({
      'projectcalico.org/affinity-type': 'host',
      'projectcalico.org/hostname-hash': hostnameHash('k8s-node-1'),
      'projectcalico.org/ip-version': '6',
    })
    expect(objects[0].spec).toEqual({ state: 'confirmed', node: 'k8s-node-1', type: 'host', cidr: 'fd00:10::/122', deleted: 'false' })
    expect(toGoJson(objects[1].spec, false)).toBe(
      '{"cidr":"10.65.0.0/30","affinity":"host:k8s-node-1","allocations":[0,null,null,null],"unallocated":[1,2,3],"attributes":[{"handle_id":"Pod-A","secondary":{"node":"k8s-node-1"}}],"sequenceNumber":18446744073709551615,"sequenceNumberForAllocation":{"0":18446744073709551614},"deleted":false,"strictAffinity":false}',
    )
    expect(objects[2].spec).toEqual({ handleID: 'Pod-A', block: { '10.65.0.0/30': 1 }, deleted: false })
    expect(toGoJson(objects[3].spec, false)).toBe('{"strictAffinity":true,"autoAllocateBlocks":false}')
  })

  it('hashes host names for the label as libcalico-go does (SHA3-256, base32, no padding)', () => {
    // Computed independently with Python's hashlib.sha3_256 and base64.b32encode.
    expect(hostnameHash('k8s-node-1')).toBe('T4CS4SZBK6FMNLYS3G526IGYWFY7DRULZKSNFZP5ZWPCW35P3FSA')
  })

  it('shortens an affinity name past 252 characters with a hash of node and CIDR', () => {
    expect(affinityName('n1', cidr('10.65.0.0/26'))).toBe('n1-10-65-0-0-26')
    const name = affinityName('h'.repeat(250), cidr('10.65.0.0/26'))
    expect(name).toBe(`${'h'.repeat(227)}-10-65-0-0-26-fb7d19471a5`)
    expect(name.length).toBeLessThan(253)
  })

  it('refuses entries whose key names nothing', () => {
    expect(() => parseIpamSection('{"handles":[{"Key":"/calico/ipam/v2/handle/","Value":{}}]}')).toThrow('handles: "/calico/ipam/v2/handle/" is not a handle key')
    expect(() => parseIpamSection('{"blocks":[{"Key":"/calico/ipam/v2/assignment/ipv4/block/10.0.0.0-33"}]}')).toThrow('is not a block key')
    expect(() => parseIpamSection('[1]')).toThrow('cannot unmarshal')
  })
})

describe('import: the CRDs', () => {
  it('creates every CRD upstream embeds, IPAM types and the network-policy-api ones included, in its file order', () => {
    const crds = migrationCrds()
    expect(crds.map((c) => `${c.spec.group}_${c.spec.names.plural}`)).toEqual([
      ...['bgpconfigurations', 'bgpfilters', 'bgppeers', 'blockaffinities', 'caliconodestatuses', 'clusterinformations', 'felixconfigurations',
        'globalnetworkpolicies', 'globalnetworksets', 'hostendpoints', 'ipamblocks', 'ipamconfigs', 'ipamhandles', 'ippools', 'ipreservations',
        'kubecontrollersconfigurations', 'networkpolicies', 'networksets', 'stagedglobalnetworkpolicies', 'stagedkubernetesnetworkpolicies',
        'stagednetworkpolicies', 'tiers'].map((plural) => `crd.projectcalico.org_${plural}`),
      'policy.networking.k8s.io_adminnetworkpolicies',
      'policy.networking.k8s.io_baselineadminnetworkpolicies',
    ])
    for (const crd of crds) expect(crd.metadata.name).toBe(`${crd.spec.names.plural}.${crd.spec.group}`)
    const block = crds.find((c) => c.spec.names.plural === 'ipamblocks')
    expect(block?.spec).toMatchObject({ group: 'crd.projectcalico.org', scope: 'Cluster', names: { kind: 'IPAMBlock', listKind: 'IPAMBlockList', singular: 'ipamblock' } })
    expect(block?.spec.versions[0].schema.openAPIV3Schema.properties?.spec).toMatchObject({
      required: ['allocations', 'attributes', 'cidr', 'strictAffinity', 'unallocated'],
      properties: {
        allocations: { type: 'array', items: { type: 'integer', nullable: true } },
        sequenceNumber: { type: 'integer', format: 'int64', default: 0 },
        sequenceNumberForAllocation: { type: 'object', additionalProperties: { type: 'integer', format: 'int64' } },
        attributes: { items: { properties: { secondary: { type: 'object', additionalProperties: { type: 'string' } }, releasedAt: { type: 'string', format: 'date-time' } } } },
      },
    })
    expect(crds.find((c) => c.spec.names.plural === 'blockaffinities')?.spec.versions[0].schema.openAPIV3Schema.properties?.spec).toMatchObject({
      required: ['cidr', 'deleted', 'node', 'state'],
      properties: { deleted: { type: 'string' } },
    })
  })
})
