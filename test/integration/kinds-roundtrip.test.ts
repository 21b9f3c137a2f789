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
  {
    kind: 'FelixConfiguration',
    cli: 'felixconfig',
    yaml: `apiVersion: projectcalico.org/v3
kind: FelixConfiguration
metadata:
  name: default
spec:
  ipipEnabled: true
  logSeverityScreen: Info
  reportingInterval: 0s
  bpfEnabled: false
  routeRefreshInterval: 90s
`,
    wide: 'NAME      \ndefault   \n\n',
  },
  {
    kind: 'KubeControllersConfiguration',
    cli: 'kubecontrollersconfig',
    yaml: `apiVersion: projectcalico.org/v3
kind: KubeControllersConfiguration
metadata:
  name: default
spec:
  logSeverityScreen: Info
  healthChecks: Enabled
  controllers:
    node:
      reconcilerPeriod: 5m
      syncLabels: Enabled
    policy:
      reconcilerPeriod: 5m
`,
    wide: 'NAME      \ndefault   \n\n',
  },
  {
    kind: 'BGPFilter',
    cli: 'bgpfilters',
    yaml: `apiVersion: projectcalico.org/v3
kind: BGPFilter
metadata:
  name: only-pods
spec:
  exportV4:
  - action: Accept
    matchOperator: In
    cidr: 10.65.0.0/16
  - action: Reject
    matchOperator: NotIn
    cidr: 10.0.0.0/8
  importV4:
  - action: Reject
    matchOperator: In
    cidr: 192.168.0.0/16
`,
    wide: 'NAME        NUMEXPORTV4   NUMIMPORTV4   NUMEXPORTV6   NUMIMPORTV6   \nonly-pods   2             1             0             0             \n\n',
  },
  {
    kind: 'IPAMConfiguration',
    cli: 'ipamconfig',
    yaml: `apiVersion: projectcalico.org/v3
kind: IPAMConfiguration
metadata:
  name: default
spec:
  strictAffinity: true
  maxBlocksPerHost: 4
`,
    // Go always writes autoAllocateBlocks (no omitempty), so left out it is stored false: the CRD's
    // default (true) never applies.
    wide: 'NAME      STRICTAFFINITY   AUTOALLOCATEBLOCKS   MAXBLOCKSPERHOST   \ndefault   true             false                4                  \n\n',
  },
  {
    kind: 'CalicoNodeStatus',
    cli: 'caliconodestatus',
    yaml: `apiVersion: projectcalico.org/v3
kind: CalicoNodeStatus
metadata:
  name: rr01-status
spec:
  node: rr01
  classes: [Agent, BGP, Routes]
  updatePeriodSeconds: 10
`,
    wide: 'NAME          NODE   CLASSES            \nrr01-status   rr01   Agent,BGP,Routes   \n\n',
  },
  {
    kind: 'StagedNetworkPolicy',
    cli: 'stagednetworkpolicy',
    namespace: 'prod',
    yaml: `apiVersion: projectcalico.org/v3
kind: StagedNetworkPolicy
metadata:
  name: deny-egress
  namespace: prod
spec:
  order: 100
  selector: app == 'web'
  types: [Egress]
`,
    wide: "NAMESPACE   NAME          TIER      ORDER   SELECTOR       \nprod        deny-egress   default   100     app == 'web'   \n\n",
  },
  {
    kind: 'StagedGlobalNetworkPolicy',
    cli: 'sgnp',
    yaml: `apiVersion: projectcalico.org/v3
kind: StagedGlobalNetworkPolicy
metadata:
  name: deny-all
spec:
  selector: all()
  types: [Ingress, Egress]
`,
    wide: 'NAME       TIER      ORDER   SELECTOR   \ndeny-all   default   <nil>   all()      \n\n',
  },
  {
    kind: 'StagedKubernetesNetworkPolicy',
    cli: 'sknp',
    namespace: 'prod',
    yaml: `apiVersion: projectcalico.org/v3
kind: StagedKubernetesNetworkPolicy
metadata:
  name: web-ingress
  namespace: prod
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress]
  ingress:
  - ports:
    - port: 443
      protocol: TCP
`,
    // text/template prints the selector with the generated String() of metav1.LabelSelector.
    wide: (() => {
      const selector = '&LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}'
      return `NAMESPACE   NAME          ${'PODSELECTOR'.padEnd(selector.length)}   \nprod        web-ingress   ${selector}   \n\n`
    })(),
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
    // Kubernetes keeps IPAMConfiguration as the IPAM library's IPAMConfig object.
    const storedKind = ds.name === 'kubernetes' && kind === 'IPAMConfiguration' ? 'IPAMConfig' : kind
    const key = [...before.keys()].find((k) => before.get(k).kind === storedKind && before.get(k).metadata.name === name) as string
    expect(key).toBeDefined()
    const withoutRevision = (o: any) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, managedFields: undefined } })
    expect(withoutRevision(after.get(key))).toEqual(withoutRevision(before.get(key)))
    expect(await calicoctl(['delete', cli, name, ...ns])).toEqual({ code: 0, stdout: `Successfully deleted 1 '${kind}' resource(s)\n`, stderr: '' })
  })
})
