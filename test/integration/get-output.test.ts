import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { etcdUnderTest, kubernetesUnderTest } from './datastores.js'
import { runCli, writeTempFile } from './helpers.js'

const POOLS = ['a', 'b']
  .map((n, i) => `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: pool-${n}\nspec:\n  cidr: 10.${i + 20}.0.0/16\n  nodeSelector: foo == 'bar'\n`)
  .join('---\n')

/** The shapes `get` prints: one object, several named ones, lists, exports and column picks. */
describe.each([
  ['etcd', () => etcdUnderTest('etcdPlain')],
  ['kubernetes', kubernetesUnderTest],
] as const)('get output shapes on %s', (_name, makeDatastore) => {
  const ds = makeDatastore()
  let cfg: string
  const calicoctl = (...args: string[]) => runCli([...args, '-c', cfg])

  afterAll(() => ds.tearDown())
  beforeAll(async () => {
    cfg = await ds.setUp()
    expect((await runCli(['create', '-f', writeTempFile('pools.yaml', POOLS), '-c', cfg])).code).toBe(0)
  })

  it('prints one table per named resource, each with its header and a blank line', async () => {
    const r = await calicoctl('get', 'ippool', 'pool-a', 'pool-b')
    expect(r.stdout).toBe(
      "NAME     CIDR           SELECTOR       \npool-a   10.20.0.0/16   foo == 'bar'   \n\n" +
        "NAME     CIDR           SELECTOR       \npool-b   10.21.0.0/16   foo == 'bar'   \n\n",
    )
  })

  it('prints several named resources as a bare YAML sequence, and the missing ones as errors after', async () => {
    const r = await calicoctl('get', 'ippool', 'pool-a', 'nope', 'pool-b', '-o', 'yaml')
    expect(r.code).toBe(1)
    expect(r.stdout.startsWith('- apiVersion: projectcalico.org/v3\n  kind: IPPool\n')).toBe(true)
    expect(r.stdout.match(/^- apiVersion/gm)).toHaveLength(2)
    const missing = `resource does not exist: IPPool(nope) with error: ${ds.notFoundInner('ippools', 'nope')}\n`
    expect(r.stderr).toBe(missing)
    expect(await calicoctl('get', 'ippool', 'nope', '-o', 'json')).toEqual({ code: 1, stdout: 'null', stderr: missing })
  })

  it('strips cluster metadata with --export', async () => {
    const r = await calicoctl('get', 'ippool', 'pool-a', '-o', 'yaml', '--export')
    expect(r.stdout).toMatch(/^apiVersion: projectcalico.org\/v3\nkind: IPPool\nmetadata:\n  name: pool-a\nspec:\n/)
    expect(r.stdout).not.toMatch(/uid|resourceVersion/)
  })

  it('picks heading keys with custom-columns', async () => {
    const r = await calicoctl('get', 'ippools', '-o', 'custom-columns=NAME,NAT,CIDR')
    expect(r.stdout).toBe('NAME     NAT     CIDR           \npool-a   false   10.20.0.0/16   \npool-b   false   10.21.0.0/16   \n\n')
    const bad = await calicoctl('get', 'ippools', '-o', 'custom-columns=NAME,FOO')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^unknown heading FOO, valid values are: /)
  })

  it('reads -f - from stdin for get and delete too', async () => {
    const doc = 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: pool-b\n'
    const got = await runCli(['get', '-f', '-', '-o', 'yaml', '-c', cfg], { stdin: doc })
    expect(got.code).toBe(0)
    expect(got.stdout).toContain('  name: pool-b\n')
    expect(await runCli(['delete', '-f', '-', '-c', cfg], { stdin: doc })).toEqual({ code: 0, stdout: "Successfully deleted 1 'IPPool' resource(s)\n", stderr: '' })
  })

  it('prints an empty list as a header and a blank line, or an empty List object', async () => {
    expect((await calicoctl('get', 'bgppeers')).stdout).toBe('NAME   PEERIP   NODE   ASN   \n\n')
    expect((await calicoctl('get', 'bgppeers', '-o', 'yaml')).stdout).toMatch(/^apiVersion: projectcalico.org\/v3\nitems: \[\]\nkind: BGPPeerList\nmetadata:\n  resourceVersion: "\d+"\n$/)
  })
})
