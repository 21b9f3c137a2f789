import { describe, expect, it } from 'vitest'
import { goMapJson, mergeIntoKubeNode, nodeToCalico } from '../../src/datastore/kubernetes/node-mapping.js'
import type { KubeObject } from '../../src/datastore/kubernetes/crd-mapping.js'

const kubeNode = (annotations: Record<string, string> = {}, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: 'worker-1',
    uid: '11111111-2222-4333-8444-555555555555',
    resourceVersion: '77',
    creationTimestamp: '2026-03-04T05:06:07Z',
    labels: { 'kubernetes.io/hostname': 'worker-1', rack: 'k8s-rack' },
    annotations,
  },
  spec: { podCIDR: '10.244.3.0/24', podCIDRs: ['10.244.3.0/24', 'fd00:10:244:3::/64'] },
  status: {
    addresses: [
      { type: 'InternalIP', address: '192.168.5.10' },
      { type: 'Hostname', address: 'worker-1' },
      { type: 'ExternalIP', address: '203.0.113.10' },
    ],
  },
  ...extra,
})

describe('Kubernetes Node -> Calico Node', () => {
  it('reads every Calico annotation into its field, with the Node identity unconverted', () => {
    const node = nodeToCalico(
      kubeNode({
        'projectcalico.org/IPv4Address': '192.168.5.10/24',
        'projectcalico.org/IPv6Address': 'fd00::10/64',
        'projectcalico.org/ASNumber': '1.10',
        'projectcalico.org/RouteReflectorClusterID': '224.0.0.1',
        'projectcalico.org/IPv4IPIPTunnelAddr': '10.244.3.1',
        'projectcalico.org/IPv4VXLANTunnelAddr': '10.244.3.2',
        'projectcalico.org/VXLANTunnelMACAddr': '66:d4:3c:1e:9a:01',
        'projectcalico.org/IPv6VXLANTunnelAddr': 'fd00:10:244:3::2',
        'projectcalico.org/VXLANTunnelMACAddrV6': '66:d4:3c:1e:9a:02',
        'projectcalico.org/IPv4WireguardInterfaceAddr': '10.244.3.3',
        'projectcalico.org/IPv6WireguardInterfaceAddr': 'fd00:10:244:3::3',
        'projectcalico.org/WireguardPublicKey': 'key4=',
        'projectcalico.org/WireguardPublicKeyV6': 'key6=',
        'projectcalico.org/Interfaces': '[{"name":"eth0","addresses":["192.168.5.10"]}]',
        'projectcalico.org/labels': '{"rack":"calico-rack","rr":"yes"}',
        'projectcalico.org/annotations': '{"owner":"net"}',
        'node.alpha.kubernetes.io/ttl': '0',
      }),
    )
    expect(node).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'Node',
      metadata: {
        name: 'worker-1',
        uid: '11111111-2222-4333-8444-555555555555',
        resourceVersion: '77',
        creationTimestamp: '2026-03-04T05:06:07Z',
        // Kubernetes labels win over Calico's own.
        labels: { rack: 'k8s-rack', rr: 'yes', 'kubernetes.io/hostname': 'worker-1' },
        annotations: { owner: 'net', 'projectcalico.org/kube-labels': '{"kubernetes.io/hostname":"worker-1","rack":"k8s-rack"}' },
      },
      spec: {
        bgp: {
          ipv4Address: '192.168.5.10/24',
          ipv6Address: 'fd00::10/64',
          routeReflectorClusterID: '224.0.0.1',
          ipv4IPIPTunnelAddr: '10.244.3.1',
          asNumber: 65546,
        },
        ipv4VXLANTunnelAddr: '10.244.3.2',
        vxlanTunnelMACAddr: '66:d4:3c:1e:9a:01',
        ipv6VXLANTunnelAddr: 'fd00:10:244:3::2',
        vxlanTunnelMACAddrV6: '66:d4:3c:1e:9a:02',
        orchRefs: [{ nodeName: 'worker-1', orchestrator: 'k8s' }],
        wireguard: { interfaceIPv4Address: '10.244.3.3', interfaceIPv6Address: 'fd00:10:244:3::3' },
        addresses: [
          { address: '192.168.5.10/24', type: 'CalicoNodeIP' },
          { address: 'fd00::10/64', type: 'CalicoNodeIP' },
          { address: '192.168.5.10', type: 'InternalIP' },
          { address: '203.0.113.10', type: 'ExternalIP' },
        ],
        interfaces: [{ name: 'eth0', addresses: ['192.168.5.10'] }],
      },
      status: { wireguardPublicKey: 'key4=', wireguardPublicKeyV6: 'key6=', podCIDRs: ['10.244.3.0/24', 'fd00:10:244:3::/64'] },
    })
  })

  it('ignores annotation values that do not validate, as upstream does', () => {
    const node = nodeToCalico(
      kubeNode({
        'projectcalico.org/IPv4Address': '192.168.5.10',
        'projectcalico.org/ASNumber': 'sixty',
        'projectcalico.org/RouteReflectorClusterID': '10.0.0.1/24',
        'projectcalico.org/VXLANTunnelMACAddr': 'not-a-mac',
        'projectcalico.org/labels': '{broken',
      }),
    )
    expect(node.spec).toEqual({
      orchRefs: [{ nodeName: 'worker-1', orchestrator: 'k8s' }],
      addresses: [
        { address: '192.168.5.10', type: 'InternalIP' },
        { address: '203.0.113.10', type: 'ExternalIP' },
      ],
    })
    expect(node.metadata.labels).toEqual({ 'kubernetes.io/hostname': 'worker-1', rack: 'k8s-rack' })
  })

  it('records a Node without labels as null kube-labels, like Go marshals a nil map', () => {
    const node = nodeToCalico({ metadata: { name: 'bare' } })
    expect(node.metadata).toEqual({ name: 'bare', annotations: { 'projectcalico.org/kube-labels': 'null' } })
    expect(node.status).toBeUndefined()
  })

  it('derives the IPIP tunnel address from the pod CIDR with host-local IPAM', () => {
    const node = nodeToCalico(kubeNode({ 'projectcalico.org/IPv4IPIPTunnelAddr': '10.9.9.9', 'projectcalico.org/WireguardPublicKey': 'k=' }), { usePodCIDR: true })
    expect(node.spec?.bgp).toEqual({ ipv4IPIPTunnelAddr: '10.244.3.1' })
    expect(node.spec?.wireguard).toEqual({ interfaceIPv4Address: '10.244.3.1' })
  })
})

describe('Calico Node -> Kubernetes Node', () => {
  it('sets each annotation, keeps Kubernetes labels out of the Calico ones and never touches the Node labels', () => {
    const current = kubeNode({ 'node.alpha.kubernetes.io/ttl': '0', 'projectcalico.org/IPv6Address': 'fd00::10/64' })
    const read = nodeToCalico(current)
    read.metadata.labels = { ...read.metadata.labels, rack: 'changed', rr: 'yes' }
    read.spec = { ...read.spec, bgp: { ipv4Address: '192.168.5.10/24', asNumber: 64512 }, vxlanTunnelMACAddr: '66:d4:3c:1e:9a:01' }
    const written = mergeIntoKubeNode(read, current)
    expect(written.metadata.labels).toEqual(current.metadata.labels)
    expect(written.metadata.annotations).toEqual({
      'node.alpha.kubernetes.io/ttl': '0',
      'projectcalico.org/labels': '{"rr":"yes"}',
      'projectcalico.org/IPv4Address': '192.168.5.10/24',
      'projectcalico.org/ASNumber': '64512',
      'projectcalico.org/VXLANTunnelMACAddr': '66:d4:3c:1e:9a:01',
    })
    expect(written.spec).toEqual(current.spec)
    expect(current.metadata.annotations).toEqual({ 'node.alpha.kubernetes.io/ttl': '0', 'projectcalico.org/IPv6Address': 'fd00::10/64' })
  })

  it('stores Calico annotations apart and drops the bookkeeping one', () => {
    const current = kubeNode()
    const read = nodeToCalico(current)
    read.metadata.annotations = { ...read.metadata.annotations, owner: 'net & ops' }
    expect(mergeIntoKubeNode(read, current).metadata.annotations).toEqual({ 'projectcalico.org/annotations': '{"owner":"net \\u0026 ops"}' })
  })

  it('refuses an unreadable kube-labels annotation', () => {
    const node = nodeToCalico(kubeNode())
    node.metadata.annotations = { 'projectcalico.org/kube-labels': '{' }
    expect(() => mergeIntoKubeNode(node, kubeNode())).toThrow(/^failed to read the projectcalico.org\/kube-labels annotation: /)
  })
})

describe('goMapJson', () => {
  it('sorts keys and escapes like encoding/json', () => {
    expect(goMapJson({ b: '1', a: '<2>' })).toBe('{"a":"\\u003c2\\u003e","b":"1"}')
    expect(goMapJson(undefined)).toBe('null')
  })
})
