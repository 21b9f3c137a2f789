import { describe, expect, inject, it } from 'vitest'
import { etcdDelPrefix, runCli, writeCalicoctlCfg, writeTempFile } from './helpers.js'

describe('a list larger than gRPC message limit', () => {
  const env = inject('etcdPlain')

  it('pages through more than 4 MiB of BGPPeers', async () => {
    await etcdDelPrefix(env, '/calico/')
    const cfg = writeCalicoctlCfg(env)
    const filler = 'x'.repeat(40 * 1024)
    const count = 130
    const docs = Array.from({ length: count }, (_, i) => {
      const name = `peer-${String(i).padStart(3, '0')}`
      return `apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: ${name}\n  annotations:\n    filler: ${filler}\nspec:\n  peerIP: 10.0.${Math.floor(i / 250)}.${(i % 250) + 1}\n  asNumber: 64512\n`
    })
    const created = await runCli(['create', '-f', writeTempFile('peers.yaml', docs.join('---\n')), '-c', cfg], { timeoutMs: 60000 })
    expect(created).toMatchObject({ code: 0, stdout: `Successfully created ${count} 'BGPPeer' resource(s)\n` })

    const listed = await runCli(['get', 'bgppeers', '-o', 'json', '-c', cfg], { timeoutMs: 60000 })
    expect(listed.code).toBe(0)
    expect(listed.stdout.length).toBeGreaterThan(5 * 1024 * 1024)
    const list = JSON.parse(listed.stdout)
    expect(list.kind).toBe('BGPPeerList')
    expect(list.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(docs.map((_, i) => `peer-${String(i).padStart(3, '0')}`))
  })
})
