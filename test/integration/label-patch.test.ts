import { beforeEach, describe, expect, it } from 'vitest'
import { calicoctlOn, etcdUnderTest, kubernetesUnderTest } from './datastores.js'

const NODE_ETCD =
  '{"kind":"Node","apiVersion":"projectcalico.org/v3","metadata":{"name":"rr01","uid":"0f1e2d3c-4b5a-4968-8776-655443322110","creationTimestamp":"2026-11-01T08:00:00Z","labels":{"kubernetes.io/os":"linux"}},"spec":{"bgp":{"ipv4Address":"192.168.3.1/24"}}}'
const NODE_KUBE = {
  metadata: { name: 'rr01', labels: { 'kubernetes.io/os': 'linux' }, annotations: { 'projectcalico.org/IPv4Address': '192.168.3.1/24' } },
  spec: {},
  status: {},
}
const RR = 'i-am-a-route-reflector'

/** `label` and `patch`, the short ways through the route-reflector workflow, on both datastores. */
describe.each([
  ['etcd', () => etcdUnderTest('etcdPlain')],
  ['kubernetes', kubernetesUnderTest],
] as const)('label and patch on %s', (_name, makeDatastore) => {
  const ds = makeDatastore()
  const run = calicoctlOn(ds)
  const calicoctl = (...args: string[]) => run(args)
  const calicoLabels = async (): Promise<Record<string, string>> => {
    const node = (await ds.stored()).get('nodes/rr01')
    if (ds.name === 'etcd') return node.metadata.labels ?? {}
    // Kubernetes: Calico's own labels live in an annotation; the Kubernetes labels are never written.
    expect(node.metadata.labels).toEqual({ 'kubernetes.io/os': 'linux' })
    return JSON.parse(node.metadata.annotations['projectcalico.org/labels'] ?? '{}')
  }

  beforeEach(async () => {
    await ds.reset()
    await ds.addNode(NODE_ETCD, NODE_KUBE)
  })

  it('sets, re-sets, overwrites and removes a node label with upstream messages', async () => {
    const ok = (stdout: string) => ({ code: 0, stdout: `${stdout}\n`, stderr: '' })
    expect(await calicoctl('label', 'nodes', 'rr01', `${RR}=true`)).toEqual(ok(`Successfully set label ${RR} on nodes rr01`))
    expect(await calicoLabels()).toMatchObject({ [RR]: 'true' })
    expect(await calicoctl('label', 'nodes', 'rr01', `${RR}=true`)).toEqual(ok(`Successfully updated label ${RR} on nodes rr01`))
    expect(await calicoctl('label', 'nodes', 'rr01', `${RR}=false`)).toEqual({
      code: 1,
      stdout: '',
      stderr: `failed to update label of nodes rr01, key ${RR} is already present. please use '--overwrite' to set a new value\n`,
    })
    expect(await calicoctl('label', 'nodes', 'rr01', `${RR}=false`, '--overwrite')).toEqual(ok(`Successfully updated label ${RR} on nodes rr01`))
    expect((await calicoLabels())[RR]).toBe('false')
    expect(await calicoctl('label', 'nodes', 'rr01', RR, '--remove')).toEqual(ok(`Successfully removed label ${RR} from nodes rr01`))
    expect(await calicoLabels()).not.toHaveProperty(RR)
    expect((await calicoctl('label', 'nodes', 'rr01', RR, '--remove')).stderr).toBe(`cannot remove label of nodes rr01, key ${RR} does not exist\n`)
  })

  it('explains what it cannot label', async () => {
    const fails = (stderr: string) => ({ code: 1, stdout: '', stderr: `${stderr}\n` })
    expect(await calicoctl('label', 'nodes', 'nope', 'a=b')).toEqual(fails('nodes nope not found'))
    expect(await calicoctl('label', 'nodes', 'rr01', 'no-equals-sign')).toEqual(fails('invalid label no-equals-sign'))
    expect(await calicoctl('label', 'gadgets', 'rr01', 'a=b')).toEqual(fails("failed to get gadgets rr01, error resource type 'gadgets' is not supported"))
    expect(await calicoctl('label', 'nodes', 'rr01')).toEqual(fails('requires at least 3 arg(s), only received 2'))
    expect(await calicoctl('label', 'nodes', 'rr01', 'bad key=x')).toEqual(fails('failed to update nodes rr01, label not changed'))
  })

  it('patches a node in place, keeping what the patch does not name', async () => {
    const patch = '{"spec":{"bgp":{"routeReflectorClusterID":"224.0.0.1"}},"metadata":{"labels":{"i-am-a-route-reflector":"true"}}}'
    expect(await calicoctl('patch', 'node', 'rr01', '-p', patch)).toEqual({ code: 0, stdout: "Successfully patched 1 'Node' resource\n", stderr: '' })
    const node = JSON.parse((await calicoctl('get', 'node', 'rr01', '-o', 'json')).stdout)
    expect(node.spec.bgp).toEqual({ ipv4Address: '192.168.3.1/24', routeReflectorClusterID: '224.0.0.1' })
    expect(node.metadata.labels).toMatchObject({ [RR]: 'true', 'kubernetes.io/os': 'linux' })
    // null removes a key, as in any merge patch
    expect((await calicoctl('patch', 'node', 'rr01', '--patch', '{"spec":{"bgp":{"routeReflectorClusterID":null}}}')).code).toBe(0)
    expect(JSON.parse((await calicoctl('get', 'node', 'rr01', '-o', 'json')).stdout).spec.bgp).toEqual({ ipv4Address: '192.168.3.1/24' })
  })

  it('switches the full mesh off with a patch of the default BGPConfiguration', async () => {
    const off = '{"spec": {"nodeToNodeMeshEnabled": false}}'
    const missing = await calicoctl('patch', 'bgpconfiguration', 'default', '-p', off)
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: `hit error: resource does not exist: BGPConfiguration(default) with error: ${ds.notFoundInner('bgpconfigurations', 'default')}\n`,
    })
    const config = 'apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata:\n  name: default\nspec:\n  asNumber: 64512\n'
    expect((await run(['apply', '-f', '-'], config)).code).toBe(0)
    expect(await calicoctl('patch', 'bgpconfig', 'default', '-p', off)).toMatchObject({ code: 0, stdout: "Successfully patched 1 'BGPConfiguration' resource\n" })
    expect((await calicoctl('get', 'bgpconfig')).stdout).toBe('NAME      LOGSEVERITY   MESHENABLED   ASNUMBER   \ndefault   Info          false         64512      \n\n')
  })

  it('reports bad patches with upstream prefixes and changes nothing', async () => {
    const before = await ds.stored()
    const fails = (stderr: string) => ({ code: 1, stdout: '', stderr: `hit error: ${stderr}\n` })
    // strategicpatch reads the patch as a JSON object and says only that it is not one.
    expect(await calicoctl('patch', 'node', 'rr01', '-p', 'spec: {}')).toEqual(fails('performing strategic merge patch: invalid JSON document'))
    // Upstream's MassageError replaces the whole message of an unknown field.
    expect(await calicoctl('patch', 'node', 'rr01', '-p', '{"spec":{"bgp":{"colour":"blue"}}}')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'field in document is not recognized or is in the wrong location: colour\n',
    })
    expect(await calicoctl('patch', 'node', 'rr01', '-p', '{"spec":{"bgp":{"asNumber":true}}}')).toEqual(
      fails(
        'creating resource from patched data: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal bool into Go struct field NodeBGPSpec.spec.bgp.asNumber of type string',
      ),
    )
    expect(await calicoctl('patch', 'node', 'rr01', '-p', '{"spec":{"bgp":{"routeReflectorClusterID":"not-an-ip"}}}')).toEqual(
      fails(
        "updating existing resource: error with field RouteReflectorClusterID = 'not-an-ip' (Reason: failed to validate Field: RouteReflectorClusterID because of Tag: ipv4 )",
      ),
    )
    expect(await calicoctl('patch', 'node', 'rr01')).toEqual(fails('performing strategic merge patch: invalid JSON document'))
    expect(await calicoctl('patch', 'node', '-p', '{}')).toEqual({ code: 1, stdout: '', stderr: 'accepts 2 arg(s), received 1\n' })
    expect(await ds.stored()).toEqual(before)
  })
})
