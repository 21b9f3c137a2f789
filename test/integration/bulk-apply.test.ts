import { describe, expect, inject, it } from 'vitest'
import { etcdDelPrefix, etcdGetPrefix, runCli, writeCalicoctlCfg, writeTempFile } from './helpers.js'

const PEERS = '/calico/resources/v3/projectcalico.org/bgppeers/'
const doc = (name: string, peerIP: string, asNumber = 64512) =>
  `apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: ${name}\nspec:\n  peerIP: ${peerIP}\n  asNumber: ${asNumber}\n`

/**
 * A long run of one kind is applied concurrently after one read of what is stored (etcd): what it
 * prints and stores must be what one-by-one apply gives, resource by resource.
 */
describe('apply of many resources of one kind on etcd', () => {
  const env = inject('etcdPlain')

  it('reports each failure as one resource alone does, and updates the stored ones keeping their identity', async () => {
    await etcdDelPrefix(env, PEERS)
    const cfg = writeCalicoctlCfg(env)
    // Stored before: bulk-25 with other values.
    expect((await runCli(['apply', '-f', '-', '-c', cfg], { stdin: doc('bulk-25', '10.6.0.99', 65000) })).code).toBe(0)
    const before = JSON.parse((await etcdGetPrefix(env, `${PEERS}bulk-25`)).get(`${PEERS}bulk-25`) ?? 'null')

    // bulk-20 alone: the error the bulk apply must report for it.
    const bad = doc('bulk-20', '10.6.0.300')
    const alone = await runCli(['apply', '-f', '-', '-c', cfg], { stdin: bad })
    expect(alone.code).toBe(1)
    const aloneError = /^failed to apply 'BGPPeer' resource: \[(.*)\]\n/s.exec(alone.stderr)?.[1]
    expect(aloneError).toBeTruthy()

    const docs = Array.from({ length: 40 }, (_, i) => (i === 20 ? bad : doc(`bulk-${i}`, `10.6.0.${i + 1}`)))
    const bulk = await runCli(['apply', '-f', writeTempFile('bulk.yaml', docs.join('---\n')), '-c', cfg])
    expect(bulk.code).toBe(1)
    expect(bulk.stdout).toBe("Partial success: applied the first 39 out of 40 'BGPPeer' resources:\n")
    expect(bulk.stderr.split('\n')[0]).toBe(`hit error: [${aloneError}]`)

    const stored = await etcdGetPrefix(env, PEERS)
    expect(stored.size).toBe(39)
    expect(stored.has(`${PEERS}bulk-20`)).toBe(false)
    for (let i = 0; i < 40; i++) {
      if (i === 20) continue
      const value = JSON.parse(stored.get(`${PEERS}bulk-${i}`) ?? 'null')
      expect(value.spec, `bulk-${i}`).toEqual({ peerIP: `10.6.0.${i + 1}`, asNumber: 64512 })
    }
    const after = JSON.parse(stored.get(`${PEERS}bulk-25`) ?? 'null')
    expect(after.metadata).toEqual(before.metadata)

    // Applied again: nothing to create, every one updated in place.
    const again = await runCli(['apply', '-f', writeTempFile('bulk2.yaml', docs.filter((_, i) => i !== 20).join('---\n')), '-c', cfg])
    expect(again).toEqual({ code: 0, stdout: "Successfully applied 39 'BGPPeer' resource(s)\n", stderr: '' })
    const storedAgain = await etcdGetPrefix(env, PEERS)
    for (const [key, value] of stored) expect(JSON.parse(storedAgain.get(key) ?? 'null').metadata.uid).toBe(JSON.parse(value).metadata.uid)
  })
})
