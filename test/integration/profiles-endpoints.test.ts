import { beforeEach, describe, expect, it } from 'vitest'
import { calicoctlOn, etcdUnderTest, kubernetesUnderTest } from './datastores.js'
import { writeTempFile } from './helpers.js'

const PROFILE = `apiVersion: projectcalico.org/v3
kind: Profile
metadata:
  name: frontend
spec:
  labelsToApply:
    tier: web
    app: shop
  ingress:
  - action: Allow
`
const WEP = (name: string) => `apiVersion: projectcalico.org/v3
kind: WorkloadEndpoint
metadata:
  name: ${name}
  namespace: prod
  labels:
    app: web
spec:
  orchestrator: k8s
  node: ip-10-0-0-1
  pod: web-0
  endpoint: eth0
  interfaceName: cali0123456789a
  ipNetworks: [10.65.0.5/32]
  profiles: [kns.prod]
`
const WEP_NAME = 'ip--10--0--0--1-k8s-web--0-eth0'
const DEFAULT_ALLOW_REFUSED =
  'operation Delete is not supported on projectcalico-default-allow: The profile "projectcalico-default-allow" is a default provided by Calico and cannot be deleted'

describe('profiles and workload endpoints on etcd', () => {
  const ds = etcdUnderTest('etcdPlain')
  const run = calicoctlOn(ds)
  const calicoctl = (...args: string[]) => run(args)

  beforeEach(() => ds.reset())

  it('serves the default-allow profile without storing it, after the stored ones', async () => {
    expect((await calicoctl('get', 'profiles')).stdout).toBe('NAME                          \nprojectcalico-default-allow   \n\n')
    expect((await calicoctl('apply', '-f', writeTempFile('profile.yaml', PROFILE))).stdout).toBe("Successfully applied 1 'Profile' resource(s)\n")
    expect((await calicoctl('get', 'profile', '-o', 'wide')).stdout).toBe(
      'NAME                          LABELS              \nfrontend                      app=shop,tier=web   \nprojectcalico-default-allow                       \n\n',
    )
    const builtIn = await calicoctl('get', 'profile', 'projectcalico-default-allow', '-o', 'yaml')
    expect(builtIn.stdout).toBe(
      'apiVersion: projectcalico.org/v3\nkind: Profile\nmetadata:\n  name: projectcalico-default-allow\n  resourceVersion: "1"\nspec:\n' +
        '  egress:\n  - action: Allow\n  ingress:\n  - action: Allow\n',
    )
    expect([...(await ds.stored()).keys()].filter((k) => k.startsWith('profiles/'))).toEqual(['profiles/frontend'])
  })

  it('refuses to write or delete the default-allow profile', async () => {
    expect(await calicoctl('delete', 'profile', 'projectcalico-default-allow')).toEqual({
      code: 1,
      stdout: '',
      stderr: `Failed to delete 'Profile' resource: ${DEFAULT_ALLOW_REFUSED}\n\n`,
    })
    const builtIn = writeTempFile('p.yaml', PROFILE.replace('frontend', 'projectcalico-default-allow'))
    const updateRefused =
      'operation Update is not supported on projectcalico-default-allow: The profile "projectcalico-default-allow" is a default provided by Calico and cannot be updated'
    expect((await calicoctl('apply', '-f', builtIn)).stderr).toBe(`failed to apply 'Profile' resource: [${updateRefused}]\n`)
    expect(await calicoctl('replace', '-f', builtIn)).toEqual({
      code: 1,
      stdout: "Partial success: replaced the first 1 out of 1 'Profile' resources:\n",
      stderr: `hit error: ${updateRefused}\n`,
    })
    const create = await calicoctl('create', '-f', builtIn)
    expect(create.stderr).toBe(
      "failed to create 'Profile' resource: [resource already exists: projectcalico-default-allow with error: projectcalico-default-allow already exists. " +
        'The profile "projectcalico-default-allow" is default provided by Calico]\n',
    )
  })

  it('checks a workload endpoint name against its spec, and stores the labels Calico adds', async () => {
    const wrong = await calicoctl('create', '-f', writeTempFile('wep.yaml', WEP('web-0')))
    expect(wrong.stderr).toMatch(
      new RegExp(
        `^failed to create 'WorkloadEndpoint' resource: \\[error with field Name = 'web-0' \\(the WorkloadEndpoint name does not match the primary identifiers assigned in the Spec: expected name ${WEP_NAME}\\)\\]\n`,
      ),
    )
    const badSpec = WEP(WEP_NAME).replace('[10.65.0.5/32]', '[10.65.0.0/24]').replace('cali0123456789a', 'cali0123456789abcdef')
    // Field tags first, then the whole-spec checks, as upstream's validator runs them.
    const badFile = writeTempFile('wep.yaml', badSpec)
    expect((await calicoctl('create', '-f', badFile)).stderr).toBe(
      "failed to create 'WorkloadEndpoint' resource: [error with the following fields:\n" +
        "-  InterfaceName = 'cali0123456789abcdef' (Reason: failed to validate Field: InterfaceName because of Tag: interface )\n" +
        "-  IPNetworks = '[10.65.0.0/24]' (IP network contains multiple addresses)\n]\n" +
        `  at ${badFile}: document 1, line 13 (spec.interfaceName)\n`,
    )
    expect((await calicoctl('create', '-f', writeTempFile('wep.yaml', WEP(WEP_NAME)))).stdout).toBe("Successfully created 1 'WorkloadEndpoint' resource(s)\n")
    const stored = (await ds.stored()).get(`workloadendpoints/prod/${WEP_NAME}`)
    expect(stored.metadata.labels).toEqual({ app: 'web', 'projectcalico.org/namespace': 'prod', 'projectcalico.org/orchestrator': 'k8s' })
    expect((await calicoctl('get', 'wep', '-n', 'prod')).stdout).toBe(
      'NAMESPACE   WORKLOAD   NODE          NETWORKS       INTERFACE         \nprod        web-0      ip-10-0-0-1   10.65.0.5/32   cali0123456789a   \n\n',
    )
    expect((await calicoctl('get', 'weps', '-A', '-o', 'custom-columns=NAME,ORCHESTRATOR,PROFILES')).stdout).toBe(
      `NAME                              ORCHESTRATOR   PROFILES   \n${WEP_NAME}   k8s            kns.prod   \n\n`,
    )
  })
})

describe('profiles and workload endpoints on kubernetes (derived from namespaces, service accounts and pods)', () => {
  const ds = kubernetesUnderTest()
  const run = calicoctlOn(ds)
  const calicoctl = (...args: string[]) => run(args)

  beforeEach(async () => {
    await ds.reset()
    const fixture = ds.fixture!
    fixture.addNamespace('prod', { team: 'shop' })
    fixture.addServiceAccount('prod', 'web', { app: 'web' })
    fixture.addPod({
      metadata: { name: 'web-0', namespace: 'prod', labels: { app: 'web' } },
      spec: { nodeName: 'ip-10-0-0-1', serviceAccountName: 'web', containers: [{ name: 'web', image: 'nginx' }] },
      status: { phase: 'Running', podIP: '10.65.0.5', podIPs: [{ ip: '10.65.0.5' }] },
    })
    fixture.addPod({
      metadata: { name: 'node-exporter', namespace: 'prod' },
      spec: { nodeName: 'ip-10-0-0-1', hostNetwork: true, containers: [{ name: 'x', image: 'x' }] },
      status: { phase: 'Running', podIP: '10.0.0.1' },
    })
  })

  it('lists a profile per namespace and service account, after the default-allow one', async () => {
    const r = await calicoctl('get', 'profiles')
    expect(r.stdout).toBe(
      'NAME                          \nprojectcalico-default-allow   \nkns.default                   \nkns.kube-node-lease           \nkns.kube-public               \n' +
        'kns.kube-system               \nkns.prod                      \nksa.prod.web                  \n\n',
    )
    const wide = await calicoctl('get', 'profile', 'kns.prod', 'ksa.prod.web', '-o', 'wide')
    const labels = ['pcns.kubernetes.io/metadata.name=prod,pcns.projectcalico.org/name=prod,pcns.team=shop', 'pcsa.app=web,pcsa.projectcalico.org/name=web']
    expect(wide.stdout).toBe(
      `NAME       ${'LABELS'.padEnd(labels[0].length)}   \nkns.prod   ${labels[0]}   \n\n` +
        `NAME           ${'LABELS'.padEnd(labels[1].length)}   \nksa.prod.web   ${labels[1]}   \n\n`,
    )
  })

  it('refuses to create, update or delete profiles with upstream texts', async () => {
    const file = writeTempFile('profile.yaml', PROFILE)
    expect((await calicoctl('create', '-f', file)).stderr).toBe("failed to create 'Profile' resource: [operation Create is not supported on Profile(frontend)]\n")
    // apply falls back to update on "not supported"; the update first reads the profile, and a name
    // that stands for no namespace or service account is upstream's parse error
    expect((await calicoctl('apply', '-f', file)).stderr).toBe("failed to apply 'Profile' resource: [Invalid name frontend]\n")
    const derived = writeTempFile('kns.yaml', PROFILE.replace('frontend', 'kns.prod'))
    expect((await calicoctl('replace', '-f', derived)).stderr).toBe('hit error: operation Update is not supported on Profile(kns.prod)\n')
    expect((await calicoctl('delete', 'profile', 'kns.prod')).stderr).toBe("Failed to delete 'Profile' resource: operation Delete is not supported on Profile(kns.prod)\n\n")
    expect(ds.fixture?.server.object('', 'namespaces', 'prod')).toBeDefined()
  })

  it('shows a workload endpoint per pod that Calico networks', async () => {
    const r = await calicoctl('get', 'workloadendpoints', '-A', '-o', 'wide')
    expect(r.code).toBe(0)
    const [header, row, ...rest] = r.stdout.split('\n')
    expect(header.split(/\s+/).filter(Boolean)).toEqual(['NAMESPACE', 'NAME', 'WORKLOAD', 'NODE', 'NETWORKS', 'INTERFACE', 'PROFILES', 'NATS'])
    expect(row.split(/\s+/).filter(Boolean)).toEqual(['prod', WEP_NAME, 'web-0', 'ip-10-0-0-1', '10.65.0.5/32', expect.stringMatching(/^cali[0-9a-f]{11}$/), 'kns.prod,ksa.prod.web'])
    expect(rest).toEqual(['', ''])
    const one = JSON.parse((await calicoctl('get', 'wep', WEP_NAME, '-n', 'prod', '-o', 'json')).stdout)
    expect(one.metadata.labels).toEqual({
      app: 'web',
      'projectcalico.org/namespace': 'prod',
      'projectcalico.org/orchestrator': 'k8s',
      'projectcalico.org/serviceaccount': 'web',
    })
    expect(one.spec).toMatchObject({ orchestrator: 'k8s', node: 'ip-10-0-0-1', pod: 'web-0', endpoint: 'eth0', ipNetworks: ['10.65.0.5/32'] })
  })

  it('refuses endpoint writes outside the CNI plugin; a delete only releases the pod IP annotations', async () => {
    const create = await calicoctl('create', '-f', writeTempFile('wep.yaml', WEP(WEP_NAME)))
    expect(create.stderr).toBe(
      `failed to create 'WorkloadEndpoint' resource: [operation Create is not supported on WorkloadEndpoint(prod/${WEP_NAME}): unsupported PatchMode: patchModeUnspecified]\n`,
    )
    expect(await calicoctl('delete', 'wep', WEP_NAME, '-n', 'prod')).toEqual({ code: 0, stdout: "Successfully deleted 1 'WorkloadEndpoint' resource(s)\n", stderr: '' })
    const pod = ds.fixture?.server.object('', 'pods', 'web-0', 'prod')
    expect(pod?.metadata.annotations).toEqual({ 'cni.projectcalico.org/podIP': '', 'cni.projectcalico.org/podIPs': '' })
    expect((await calicoctl('delete', 'wep', 'web-0', '-n', 'prod')).stderr).toBe("Failed to delete 'WorkloadEndpoint' resource: insufficient identifiers, missing 'web-0'\n\n")
    const missing = await calicoctl('get', 'wep', 'ip--10--0--0--1-k8s-nope-eth0', '-n', 'prod')
    expect(missing.stderr).toBe(`resource does not exist: WorkloadEndpoint(prod/ip--10--0--0--1-k8s-nope-eth0) with error: pods "nope" not found\n`)
  })
})
