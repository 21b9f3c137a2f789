import { beforeEach, describe, expect, it } from 'vitest'
import { calicoctlOn, etcdUnderTest, kubernetesUnderTest } from './datastores.js'

/** `datastore migrate lock|unlock` flip ClusterInformation's datastoreReady, which Calico's components wait on. */
describe.each([
  ['etcd', () => etcdUnderTest('etcdPlain')],
  ['kubernetes', kubernetesUnderTest],
] as const)('datastore migrate lock and unlock on %s', (_name, makeDatastore) => {
  const ds = makeDatastore()
  const calicoctl = calicoctlOn(ds)
  const ready = async () => {
    const info = (await ds.stored()).get('clusterinformations/default')
    return info.spec.datastoreReady
  }

  beforeEach(() => ds.reset())

  it('locks an empty datastore (creating its ClusterInformation) and unlocks it again', async () => {
    expect(await calicoctl(['datastore', 'migrate', 'lock'])).toEqual({ code: 0, stdout: 'Datastore locked.\n', stderr: '' })
    expect(await ready()).toBe(false)
    expect((await calicoctl(['get', 'clusterinformation', '-o', 'wide'])).stdout).toMatch(/\s+false\s+\n\n$/)
    expect(await calicoctl(['datastore', 'migrate', 'unlock'])).toEqual({ code: 0, stdout: 'Datastore unlocked.\n', stderr: '' })
    expect(await ready()).toBe(true)
  })

  it('cannot unlock a datastore that has no ClusterInformation', async () => {
    const r = await calicoctl(['datastore', 'migrate', 'unlock'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^error retrieving ClusterInformation for unlocking: resource does not exist: ClusterInformation\(default\) with error: /)
  })
})
