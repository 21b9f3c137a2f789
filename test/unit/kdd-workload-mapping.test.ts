import { describe, expect, it } from 'vitest'
import type { KubeObject } from '../../src/datastore/kubernetes/crd-mapping.js'
import {
  podNameForWorkloadEndpoint,
  podToWorkloadEndpoints,
  vethNameForWorkload,
  workloadEndpointDeletePatch,
} from '../../src/datastore/kubernetes/workload-mapping.js'
import { toGoJson } from '../../src/output/json.js'

/** A pod of Deployment `frontend` in namespace `shop`, running on node `ip-10-0-0-1`, dual-stack. */
function deploymentPod(
  overrides: { annotations?: Record<string, string>; spec?: Record<string, unknown>; status?: Record<string, unknown>; meta?: Record<string, unknown> } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'frontend-7d4b9c8f6-x2x9z',
      generateName: 'frontend-7d4b9c8f6-',
      namespace: 'shop',
      uid: '6b8e2d90-1c3a-4f5e-8b7d-9a0c2e4f6a81',
      resourceVersion: '48213',
      creationTimestamp: '2026-02-10T08:15:00Z',
      labels: { app: 'frontend', 'pod-template-hash': '7d4b9c8f6' },
      annotations: {
        'cni.projectcalico.org/containerID': '9f3c2b1a0d8e',
        'cni.projectcalico.org/podIP': '10.244.1.17/32',
        'cni.projectcalico.org/podIPs': '10.244.1.17/32,fd00:10:244:1::11/128',
        ...overrides.annotations,
      },
      ...overrides.meta,
    },
    spec: {
      nodeName: 'ip-10-0-0-1',
      serviceAccountName: 'frontend',
      containers: [
        {
          name: 'web',
          ports: [
            { name: 'http', containerPort: 8080, protocol: 'TCP' },
            { containerPort: 9090, protocol: 'TCP' },
          ],
        },
      ],
      ...overrides.spec,
    },
    status: {
      phase: 'Running',
      podIP: '10.244.1.17',
      podIPs: [{ ip: '10.244.1.17' }, { ip: 'fd00:10:244:1::11' }],
      ...overrides.status,
    },
  }
}

const only = (pod: KubeObject) => {
  const weps = podToWorkloadEndpoints(pod, undefined)
  expect(weps).toHaveLength(1)
  return weps[0]
}

describe('interface names', () => {
  it('is cali + the first 11 hex digits of SHA-1("<namespace>.<pod>")', () => {
    // sha1("default.web-0") = 0d7763386da...
    expect(vethNameForWorkload('default', 'web-0', undefined)).toBe('cali0d7763386da')
    expect(vethNameForWorkload('shop', 'frontend-7d4b9c8f6-x2x9z', '')).toBe('cali0767acf6409')
  })

  it('takes the first prefix of FELIX_INTERFACEPREFIX', () => {
    expect(vethNameForWorkload('default', 'web-0', 'tap,cali')).toBe('tap0d7763386da')
  })
})

describe('Pod -> WorkloadEndpoint', () => {
  it('converts a dual-stack Deployment pod field by field, in Go field order', () => {
    const wep = only(deploymentPod())
    expect(wep).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'WorkloadEndpoint',
      metadata: {
        name: 'ip--10--0--0--1-k8s-frontend--7d4b9c8f6--x2x9z-eth0',
        generateName: 'frontend-7d4b9c8f6-',
        namespace: 'shop',
        uid: '6b8e2d90-1c3a-4f5e-8b7d-9a0c2e4f6a81',
        resourceVersion: '48213',
        creationTimestamp: '2026-02-10T08:15:00Z',
        labels: {
          app: 'frontend',
          'pod-template-hash': '7d4b9c8f6',
          'projectcalico.org/namespace': 'shop',
          'projectcalico.org/orchestrator': 'k8s',
          'projectcalico.org/serviceaccount': 'frontend',
        },
      },
      spec: {
        orchestrator: 'k8s',
        node: 'ip-10-0-0-1',
        containerID: '9f3c2b1a0d8e',
        pod: 'frontend-7d4b9c8f6-x2x9z',
        endpoint: 'eth0',
        serviceAccountName: 'frontend',
        ipNetworks: ['10.244.1.17/32', 'fd00:10:244:1::11/128'],
        profiles: ['kns.shop', 'ksa.shop.frontend'],
        interfaceName: 'cali0767acf6409',
        ports: [{ name: 'http', protocol: 'TCP', port: 8080, hostPort: 0, hostIP: '' }],
      },
    })
    expect(toGoJson(wep.metadata, false)).toBe(
      '{"name":"ip--10--0--0--1-k8s-frontend--7d4b9c8f6--x2x9z-eth0","generateName":"frontend-7d4b9c8f6-","namespace":"shop",' +
        '"uid":"6b8e2d90-1c3a-4f5e-8b7d-9a0c2e4f6a81","resourceVersion":"48213","creationTimestamp":"2026-02-10T08:15:00Z",' +
        '"labels":{"app":"frontend","pod-template-hash":"7d4b9c8f6","projectcalico.org/namespace":"shop",' +
        '"projectcalico.org/orchestrator":"k8s","projectcalico.org/serviceaccount":"frontend"}}',
    )
    expect(Object.keys(wep.spec ?? {})).toEqual([
      'orchestrator', 'node', 'containerID', 'pod', 'endpoint', 'serviceAccountName', 'ipNetworks', 'profiles', 'interfaceName', 'ports',
    ])
  })

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['host-network pods', { hostNetwork: true }, {}],
    ['unscheduled pods', { nodeName: '' }, { phase: 'Pending', podIP: '', podIPs: [] }],
  ])('skips %s', (_label, spec, status) => {
    expect(podToWorkloadEndpoints(deploymentPod({ spec, status }), undefined)).toEqual([])
  })

  it('keeps a Succeeded pod without addresses or NATs', () => {
    const wep = only(deploymentPod({ status: { phase: 'Succeeded' }, annotations: { 'cni.projectcalico.org/floatingIPs': '["192.0.2.10"]' } }))
    expect(wep.spec?.ipNetworks).toBeUndefined()
    expect(wep.spec?.ipNATs).toBeUndefined()
    expect(wep.spec?.profiles).toEqual(['kns.shop', 'ksa.shop.frontend'])
  })

  it('treats a terminating pod whose CNI IP annotation was emptied as finished', () => {
    const annotations = { 'cni.projectcalico.org/podIP': '', 'cni.projectcalico.org/podIPs': '' }
    const terminating = only(deploymentPod({ annotations, meta: { deletionTimestamp: '2026-02-10T09:00:00Z' } }))
    expect(terminating.spec?.ipNetworks).toBeUndefined()
    // Without a deletion timestamp the emptied annotation means nothing: status IPs still count.
    expect(only(deploymentPod({ annotations })).spec?.ipNetworks).toEqual(['10.244.1.17/32', 'fd00:10:244:1::11/128'])
  })

  it.each<[string, Record<string, unknown>, Record<string, string>, string[]]>([
    ['status podIP without podIPs', { podIP: '10.244.1.17', podIPs: [] }, {}, ['10.244.1.17/32']],
    ['the plural Calico annotation, CIDRs masked', { podIP: '', podIPs: [] }, { 'cni.projectcalico.org/podIPs': '10.244.1.17/26,fd00::1' }, ['10.244.1.0/26', 'fd00::1/128']],
    [
      'the singular Calico annotation',
      { podIP: '', podIPs: [] },
      { 'cni.projectcalico.org/podIPs': '', 'cni.projectcalico.org/podIP': '10.244.1.18' },
      ['10.244.1.18/32'],
    ],
    [
      'the AWS VPC annotation',
      { podIP: '', podIPs: [] },
      { 'cni.projectcalico.org/podIPs': '', 'cni.projectcalico.org/podIP': '', 'vpc.amazonaws.com/pod-ips': '192.168.3.4' },
      ['192.168.3.4/32'],
    ],
  ])('reads addresses from %s', (_label, status, annotations, expected) => {
    expect(only(deploymentPod({ status, annotations })).spec?.ipNetworks).toEqual(expected)
  })

  it('fails on a malformed pod IP with Go’s ParseCIDR error', () => {
    expect(() => podToWorkloadEndpoints(deploymentPod({ status: { podIPs: [{ ip: '10.244.1.300' }] } }), undefined)).toThrow(
      'invalid CIDR address: 10.244.1.300',
    )
  })

  it('maps named and host ports of containers, then init containers, with upstream protocol names', () => {
    const spec = {
      containers: [
        {
          ports: [
            { name: 'dns', containerPort: 53, protocol: 'UDP' },
            { name: 'dns-tcp', containerPort: 53 },
            { containerPort: 8443, hostPort: 443, hostIP: '192.168.5.10', protocol: 'TCP' },
            { name: 'assoc', containerPort: 3868, protocol: 'SCTP' },
            // Unknown protocols (the API spells them in capitals) and unnamed, unmapped ports are left out.
            { name: 'lower', containerPort: 7000, protocol: 'udp' },
            { containerPort: 9100 },
          ],
        },
      ],
      initContainers: [{ ports: [{ name: 'setup', containerPort: 9000, protocol: 'TCP' }] }],
    }
    expect(only(deploymentPod({ spec })).spec?.ports).toEqual([
      { name: 'dns', protocol: 'UDP', port: 53, hostPort: 0, hostIP: '' },
      { name: 'dns-tcp', protocol: 'TCP', port: 53, hostPort: 0, hostIP: '' },
      { name: '', protocol: 'TCP', port: 8443, hostPort: 443, hostIP: '192.168.5.10' },
      { name: 'assoc', protocol: 'SCTP', port: 3868, hostPort: 0, hostIP: '' },
      { name: 'setup', protocol: 'TCP', port: 9000, hostPort: 0, hostIP: '' },
    ])
  })

  it('keeps a service account of 63 characters or more out of the labels but not out of the profiles', () => {
    const longName = 'sa-' + 'x'.repeat(60)
    const wep = only(deploymentPod({ spec: { serviceAccountName: longName } }))
    expect(wep.metadata.labels?.['projectcalico.org/serviceaccount']).toBeUndefined()
    expect(wep.spec?.profiles).toEqual(['kns.shop', `ksa.shop.${longName}`])
    expect(wep.spec?.serviceAccountName).toBe(longName)
    const shorter = only(deploymentPod({ spec: { serviceAccountName: longName.slice(1) } }))
    expect(shorter.metadata.labels?.['projectcalico.org/serviceaccount']).toBe(longName.slice(1))
  })

  it('has only the namespace profile when the pod has no service account', () => {
    const wep = only(deploymentPod({ spec: { serviceAccountName: undefined } }))
    expect(wep.spec?.profiles).toEqual(['kns.shop'])
    expect(wep.spec?.serviceAccountName).toBeUndefined()
  })

  it('maps floating IPs to the pod address of the same family', () => {
    const wep = only(deploymentPod({ annotations: { 'cni.projectcalico.org/floatingIPs': '["192.0.2.10","2001:db8::10","198.51.100.7"]' } }))
    expect(wep.spec?.ipNATs).toEqual([
      { internalIP: '10.244.1.17', externalIP: '192.0.2.10' },
      { internalIP: 'fd00:10:244:1::11', externalIP: '2001:db8::10' },
      { internalIP: '10.244.1.17', externalIP: '198.51.100.7' },
    ])
  })

  it.each<[string, Record<string, string>, Record<string, unknown>, string]>([
    ['a JSON string', { 'cni.projectcalico.org/floatingIPs': '"192.0.2.10"' }, {}, `failed to parse '"192.0.2.10"' as JSON: json: cannot unmarshal string into Go value of type []string`],
    ['a number in the list', { 'cni.projectcalico.org/floatingIPs': '[1]' }, {}, "failed to parse '[1]' as JSON: json: cannot unmarshal number into Go value of type string"],
    ['a boolean in the list', { 'cni.projectcalico.org/floatingIPs': '[true]' }, {}, "failed to parse '[true]' as JSON: json: cannot unmarshal bool into Go value of type string"],
    ['an empty value', { 'cni.projectcalico.org/floatingIPs': '' }, {}, "failed to parse '' as JSON: unexpected end of JSON input"],
    ['a text value', { 'cni.projectcalico.org/floatingIPs': 'yes' }, {}, "failed to parse 'yes' as JSON: invalid character 'y' looking for beginning of value"],
    [
      'a pod address wider than /32',
      { 'cni.projectcalico.org/floatingIPs': '["192.0.2.10"]', 'cni.projectcalico.org/podIPs': '10.244.1.17/26' },
      { podIP: '', podIPs: [] },
      'PodIP 10.244.1.0/26 is not a valid IPv4: Mask size is 26, not 32',
    ],
  ])('fails on floating IPs given as %s', (_label, annotations, status, message) => {
    expect(() => podToWorkloadEndpoints(deploymentPod({ annotations, status }), undefined)).toThrow(message)
  })

  it('normalises allowed source prefixes and refuses plain addresses', () => {
    const wep = only(deploymentPod({ annotations: { 'cni.projectcalico.org/allowedSourcePrefixes': '["172.16.5.9/24","2001:db8::1/64"]' } }))
    expect(wep.spec?.allowSpoofedSourcePrefixes).toEqual(['172.16.5.0/24', '2001:db8::/64'])
    const bad = deploymentPod({ annotations: { 'cni.projectcalico.org/allowedSourcePrefixes': '["172.16.5.9"]' } })
    expect(() => podToWorkloadEndpoints(bad, undefined)).toThrow("failed to parse '172.16.5.9' as a CIDR: invalid CIDR address: 172.16.5.9")
  })

  it('passes the Multus network-status annotation through, and no other annotation', () => {
    const status = '[{"name":"k8s-pod-network","ips":["10.244.1.17"],"default":true}]'
    const wep = only(deploymentPod({ annotations: { 'k8s.v1.cni.cncf.io/network-status': status } }))
    expect(wep.metadata.annotations).toEqual({ 'k8s.v1.cni.cncf.io/network-status': status })
  })

  it('uses the interface prefix it is given', () => {
    expect(podToWorkloadEndpoints(deploymentPod(), 'vnet')[0].spec?.interfaceName).toBe('vnet0767acf6409')
  })
})

describe('QoS controls from pod annotations', () => {
  const qos = (annotations: Record<string, string>) => only(deploymentPod({ annotations })).spec?.qosControls

  it.each<[string, Record<string, string>, Record<string, unknown> | undefined]>([
    ['none without annotations', {}, undefined],
    [
      'Kubernetes bandwidth annotations, with the default 4Gi burst',
      { 'kubernetes.io/ingress-bandwidth': '10M', 'kubernetes.io/egress-bandwidth': '1.5Mi' },
      { ingressBandwidth: 10000000, ingressBurst: 4294967296, egressBandwidth: 1572864, egressBurst: 4294967296 },
    ],
    [
      'Calico bandwidth overriding Kubernetes’, with burst, peakrate and minburst',
      {
        'kubernetes.io/ingress-bandwidth': '10M',
        'qos.projectcalico.org/ingressBandwidth': '1G',
        'qos.projectcalico.org/ingressBurst': '8Mi',
        'qos.projectcalico.org/ingressPeakrate': '2G',
        'qos.projectcalico.org/ingressMinburst': '1500',
      },
      { ingressBandwidth: 1000000000, ingressBurst: 8388608, ingressPeakrate: 2000000000, ingressMinburst: 1500 },
    ],
    ['out-of-range values clamped, fractions rounded up', { 'kubernetes.io/ingress-bandwidth': '0', 'kubernetes.io/egress-bandwidth': '2P', 'qos.projectcalico.org/egressBurst': '1001.5' }, { ingressBandwidth: 1000, ingressBurst: 4294967296, egressBandwidth: 1e15, egressBurst: 1002 }],
    ['a burst without bandwidth dropped', { 'qos.projectcalico.org/ingressBurst': '8Mi' }, undefined],
    ['a peakrate not above the bandwidth dropped, with its minburst', { 'qos.projectcalico.org/egressBandwidth': '1M', 'qos.projectcalico.org/egressPeakrate': '1M', 'qos.projectcalico.org/egressMinburst': '2k' }, { egressBandwidth: 1000000, egressBurst: 4294967296 }],
    ['a packet rate with the default burst of 5', { 'qos.projectcalico.org/ingressPacketRate': '100', 'qos.projectcalico.org/egressPacketRate': '1e3', 'qos.projectcalico.org/egressPacketBurst': '20' }, { ingressPacketRate: 100, ingressPacketBurst: 5, egressPacketRate: 1000, egressPacketBurst: 20 }],
    ['connection limits', { 'qos.projectcalico.org/ingressMaxConnections': '10k', 'qos.projectcalico.org/egressMaxConnections': '5G' }, { ingressMaxConnections: 10000, egressMaxConnections: 4294967295 }],
    ['an unparseable quantity read as nothing', { 'kubernetes.io/ingress-bandwidth': '10 mbit' }, undefined],
    ['a DSCP name in canonical case', { 'qos.projectcalico.org/dscp': 'af41' }, { dscp: 'AF41' }],
    ['a numeric DSCP', { 'qos.projectcalico.org/dscp': '46' }, { dscp: 46 }],
    ['an out-of-range DSCP ignored', { 'qos.projectcalico.org/dscp': '64' }, undefined],
  ])('%s', (_label, annotations, expected) => {
    expect(qos(annotations)).toEqual(expected)
  })

  it('sits last in the spec, fields in Go order', () => {
    const wep = only(deploymentPod({ annotations: { 'qos.projectcalico.org/dscp': 'EF', 'kubernetes.io/egress-bandwidth': '1M', 'kubernetes.io/ingress-bandwidth': '1M' } }))
    expect(Object.keys(wep.spec ?? {}).at(-1)).toBe('qosControls')
    expect(Object.keys(wep.spec?.qosControls as object)).toEqual(['ingressBandwidth', 'ingressBurst', 'egressBandwidth', 'egressBurst', 'dscp'])
  })
})

describe('KDD get and delete by endpoint name', () => {
  it.each<[string, string | undefined]>([
    ['ip--10--0--0--1-k8s-web--0-eth0', 'web-0'],
    ['ip--10--0--0--1-k8s-web--0', 'web-0'],
    ['ip--10--0--0--1-k8s', undefined],
    ['node1-cni-abc-eth0', undefined],
  ])('%s is pod %s', (name, pod) => {
    expect(podNameForWorkloadEndpoint(name)).toBe(pod)
  })

  it('passes on upstream’s parse error', () => {
    expect(() => podNameForWorkloadEndpoint('n-k8s-web-eth0-x')).toThrow('Error parsing n-k8s-web-eth0-x, verify that WorkloadEndpoint name is correct')
  })

  it('empties the CNI IP annotations on the pod status, guarded by revision and uid when given', () => {
    expect(JSON.stringify(workloadEndpointDeletePatch())).toBe(
      '{"metadata":{"annotations":{"cni.projectcalico.org/podIP":"","cni.projectcalico.org/podIPs":""}}}',
    )
    expect(JSON.stringify(workloadEndpointDeletePatch({ resourceVersion: '48213', uid: '6b8e2d90-1c3a-4f5e-8b7d-9a0c2e4f6a81' }))).toBe(
      '{"metadata":{"annotations":{"cni.projectcalico.org/podIP":"","cni.projectcalico.org/podIPs":""},' +
        '"resourceVersion":"48213","uid":"6b8e2d90-1c3a-4f5e-8b7d-9a0c2e4f6a81"}}',
    )
  })
})
