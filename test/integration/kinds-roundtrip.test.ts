import { beforeAll, describe, expect, it } from 'vitest'
import { calicoctlOn, etcdUnderTest, kubernetesUnderTest } from './datastores.js'

interface Sample {
  kind: string
  /** What `calicoctl get <cli> [-n ns]` takes. */
  cli: string
  namespace?: string
  yaml: string
  /** `get -o wide` as upstream prints it. */
  wide: string
}

const SAMPLES: Sample[] = [
  {
    kind: 'HostEndpoint',
    cli: 'hep',
    yaml: `apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata:
  name: node1-eth0
  labels:
    role: k8s-worker
spec:
  interfaceName: eth0
  node: node1
  expectedIPs: [192.168.0.1, 192.168.0.45]
  profiles: [projectcalico-default-allow]
  ports:
  - name: https
    port: 443
    protocol: TCP
`,
    wide:
      'NAME         NODE    INTERFACE   IPS                        PROFILES                      \n' +
      'node1-eth0   node1   eth0        192.168.0.1,192.168.0.45   projectcalico-default-allow   \n\n',
  },
  {
    kind: 'NetworkSet',
    cli: 'netsets',
    namespace: 'prod',
    yaml: `apiVersion: projectcalico.org/v3
kind: NetworkSet
metadata:
  name: external-db
  namespace: prod
  labels:
    role: db
spec:
  nets: [198.51.100.0/28, 203.0.113.0/24]
`,
    wide: 'NAMESPACE   NAME          NETS                             \nprod        external-db   198.51.100.0/28,203.0.113.0/24   \n\n',
  },
  {
    kind: 'GlobalNetworkSet',
    cli: 'globalnetworksets',
    yaml: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata:
  name: blocklist
spec:
  nets: [192.0.2.0/24]
`,
    wide: 'NAME        NETS           \nblocklist   192.0.2.0/24   \n\n',
  },
  {
    kind: 'IPReservation',
    cli: 'reservations',
    yaml: `apiVersion: projectcalico.org/v3
kind: IPReservation
metadata:
  name: gateways
spec:
  reservedCIDRs: [10.65.0.0/28, 10.65.1.0/28]
`,
    wide: 'NAME       CIDRS                       \ngateways   10.65.0.0/28,10.65.1.0/28   \n\n',
  },
]

/** Every further kind: create, the wide table, a `get -o yaml` re-applied unchanged, delete; on both datastores. */
describe.each([
  ['etcd', () => etcdUnderTest('etcdPlain')],
  ['kubernetes', kubernetesUnderTest],
] as const)('more kinds on %s', (_name, makeDatastore) => {
  const ds = makeDatastore()
  const calicoctl = calicoctlOn(ds)

  beforeAll(async () => {
    await ds.reset()
    await ds.addNamespace('prod')
  })

  it.each(SAMPLES)('$kind: create, list, export and re-apply, delete', async ({ kind, cli, namespace, yaml, wide }) => {
    const ns = namespace ? ['-n', namespace] : []
    expect(await calicoctl(['create', '-f', '-'], yaml)).toEqual({ code: 0, stdout: `Successfully created 1 '${kind}' resource(s)\n`, stderr: '' })
    expect(await calicoctl(['get', cli, '-o', 'wide', ...ns])).toEqual({ code: 0, stdout: wide, stderr: '' })
    const name = /name: (\S+)/.exec(yaml)?.[1] as string
    const exported = await calicoctl(['get', cli, name, '-o', 'yaml', ...ns])
    expect(exported.code).toBe(0)
    const before = await ds.stored()
    // What get prints is what apply takes back: nothing changes but the revision.
    expect(await calicoctl(['apply', '-f', '-'], exported.stdout)).toMatchObject({ code: 0, stdout: `Successfully applied 1 '${kind}' resource(s)\n` })
    const after = await ds.stored()
    const key = [...before.keys()].find((k) => k.endsWith(`/${name}`)) as string
    const withoutRevision = (o: any) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, managedFields: undefined } })
    expect(withoutRevision(after.get(key))).toEqual(withoutRevision(before.get(key)))
    expect(await calicoctl(['delete', cli, name, ...ns])).toEqual({ code: 0, stdout: `Successfully deleted 1 '${kind}' resource(s)\n`, stderr: '' })
  })
})
