import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../src/errors.js'
import type { Resource } from '../../src/resources/types.js'
import {
  assignOrValidateWorkloadEndpointName,
  parseWorkloadEndpointName,
  workloadEndpointLabelsForStorage,
  workloadEndpointName,
  workloadEndpointNamePrefix,
  type WorkloadEndpointIds,
} from '../../src/resources/workload-names.js'

describe('workloadEndpointName', () => {
  it.each<[string, WorkloadEndpointIds, string]>([
    ['k8s: node, orchestrator, pod, endpoint', { node: 'ip-10-0-0-1', orchestrator: 'k8s', pod: 'web-0', endpoint: 'eth0' }, 'ip--10--0--0--1-k8s-web--0-eth0'],
    ['k8s ignores workload and container ID', { node: 'n1', orchestrator: 'k8s', pod: 'p', endpoint: 'eth0', workload: 'w', containerID: 'c' }, 'n1-k8s-p-eth0'],
    ['cni: the container ID is the third segment', { node: 'n1', orchestrator: 'cni', containerID: 'abc-123', endpoint: 'eth0' }, 'n1-cni-abc--123-eth0'],
    ['libnetwork repeats the orchestrator', { node: 'host-a', orchestrator: 'libnetwork', endpoint: 'ep-1' }, 'host--a-libnetwork-libnetwork-ep--1'],
    ['other orchestrators use the workload', { node: 'n1', orchestrator: 'openstack', workload: 'vm-1', endpoint: 'tap0' }, 'n1-openstack-vm--1-tap0'],
    ['inner double dashes double again', { node: 'a--b', orchestrator: 'k8s', pod: 'p', endpoint: 'eth0' }, 'a----b-k8s-p-eth0'],
  ])('%s', (_label, ids, expected) => {
    expect(workloadEndpointName(ids)).toBe(expected)
  })

  it.each<[string, WorkloadEndpointIds, string]>([
    ['node missing (reported without a value)', { orchestrator: 'k8s', pod: 'p', endpoint: 'eth0' }, 'error with field node (field should be assigned)'],
    ['pod missing', { node: 'n1', orchestrator: 'k8s', endpoint: 'eth0' }, "error with field pod = '' (field should be assigned)"],
    ['orchestrator missing', { node: 'n1', workload: 'w', endpoint: 'eth0' }, "error with field orchestrator = '' (field should be assigned)"],
    ['endpoint missing for cni', { node: 'n1', orchestrator: 'cni', containerID: 'c' }, "error with field endpoint = '' (field should be assigned)"],
    ['leading dash', { node: 'n1', orchestrator: 'k8s', pod: '-web', endpoint: 'eth0' }, "error with field pod = '-web' (field must not begin with a '-')"],
    ['trailing dash', { node: 'n1-', orchestrator: 'k8s', pod: 'web', endpoint: 'eth0' }, "error with field node = 'n1-' (field must not end with a '-')"],
  ])('refuses: %s', (_label, ids, message) => {
    expect(() => workloadEndpointName(ids)).toThrow(ValidationError)
    expect(() => workloadEndpointName(ids)).toThrow(message)
  })
})

describe('workloadEndpointNamePrefix', () => {
  it.each<[WorkloadEndpointIds, string]>([
    [{ node: 'ip-10-0-0-1' }, 'ip--10--0--0--1-'],
    [{ node: 'n1', orchestrator: 'k8s' }, 'n1-k8s-'],
    [{ node: 'n1', orchestrator: 'k8s', pod: 'web-0' }, 'n1-k8s-web--0-'],
  ])('%o -> %s', (ids, expected) => {
    expect(workloadEndpointNamePrefix(ids)).toBe(expected)
  })

  it("still needs the node, and refuses a node's edge dashes", () => {
    expect(() => workloadEndpointNamePrefix({})).toThrow('error with field node (field should be assigned)')
    expect(() => workloadEndpointNamePrefix({ node: '-n1' })).toThrow("error with field node = '-n1' (field must not begin with a '-')")
  })
})

describe('parseWorkloadEndpointName', () => {
  it.each<[string, WorkloadEndpointIds]>([
    ['ip--10--0--0--1-k8s-web--0-eth0', { node: 'ip-10-0-0-1', orchestrator: 'k8s', pod: 'web-0', endpoint: 'eth0' }],
    ['n1-cni-abc--123-eth0', { node: 'n1', orchestrator: 'cni', containerID: 'abc-123', endpoint: 'eth0' }],
    ['n1-openstack-vm--1-tap0', { node: 'n1', orchestrator: 'openstack', workload: 'vm-1', endpoint: 'tap0' }],
    // The third segment of a libnetwork name lands in the orchestrator again.
    ['n1-libnetwork-libnet-ep', { node: 'n1', orchestrator: 'libnet', endpoint: 'ep' }],
    // Short names give only the identifiers they have.
    ['node1', { node: 'node1' }],
    ['node1-k8s', { node: 'node1', orchestrator: 'k8s' }],
    ['node1-k8s-web--0', { node: 'node1', orchestrator: 'k8s', pod: 'web-0' }],
    // A leading dash is part of the first segment; three dashes are an escaped dash then a separator.
    ['-n-k8s-p-eth0', { node: '-n', orchestrator: 'k8s', pod: 'p', endpoint: 'eth0' }],
    ['a---b-k8s-p', { node: 'a-', orchestrator: 'b', workload: 'k8s', endpoint: 'p' }],
  ])('%s', (name, ids) => {
    expect(parseWorkloadEndpointName(name)).toEqual(ids)
  })

  it('refuses an empty name and one with too many segments', () => {
    expect(() => parseWorkloadEndpointName('')).toThrow('Cannot parse empty string')
    expect(() => parseWorkloadEndpointName('n1-k8s-web-eth0-extra')).toThrow(
      'Error parsing n1-k8s-web-eth0-extra, verify that WorkloadEndpoint name is correct',
    )
  })
})

const wep = (name: string, spec: Record<string, unknown>, labels?: Record<string, string>): Resource => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'WorkloadEndpoint',
  metadata: { name, namespace: 'shop', labels },
  spec,
})

describe('the v3 client name check and labels', () => {
  const spec = { orchestrator: 'k8s', node: 'node-1', pod: 'web-0', endpoint: 'eth0' }

  it('accepts the computed name and fills in an empty one', () => {
    expect(assignOrValidateWorkloadEndpointName(wep('node--1-k8s-web--0-eth0', spec))).toEqual([])
    const unnamed = wep('', spec)
    expect(assignOrValidateWorkloadEndpointName(unnamed)).toEqual([])
    expect(unnamed.metadata.name).toBe('node--1-k8s-web--0-eth0')
  })

  it('reports a different name with the expected one, as calicoctl prints it', () => {
    const errors = assignOrValidateWorkloadEndpointName(wep('node-1-k8s-web-0-eth0', spec))
    expect(new ValidationError(errors).message).toBe(
      "error with field Name = 'node-1-k8s-web-0-eth0' (the WorkloadEndpoint name does not match the primary identifiers assigned in the Spec: expected name node--1-k8s-web--0-eth0)",
    )
  })

  it('reports incomplete identifiers before looking at the name', () => {
    const unnamed = wep('', { orchestrator: 'k8s', node: 'node-1', endpoint: 'eth0' })
    expect(assignOrValidateWorkloadEndpointName(unnamed)).toEqual([{ name: 'pod', value: '', reason: 'field should be assigned' }])
    expect(unnamed.metadata.name).toBe('')
  })

  it('stores the namespace and orchestrator labels over any the user set', () => {
    const labels = workloadEndpointLabelsForStorage(wep('x', spec, { app: 'web', 'projectcalico.org/namespace': 'other' }))
    expect(labels).toEqual({ app: 'web', 'projectcalico.org/namespace': 'shop', 'projectcalico.org/orchestrator': 'k8s' })
    expect(Object.keys(labels)).toEqual(['app', 'projectcalico.org/namespace', 'projectcalico.org/orchestrator'])
  })
})
