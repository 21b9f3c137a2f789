/**
 * How a CRUD command builds its client from `-c`, with no datastore running: a missing file ends the
 * command first, on stdout, as upstream reads the configuration before anything else; other
 * problems are reported as upstream's "Failed to create Calico API client" (stdout, exit 1).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkConfigReadable, openCommandClient } from '../../src/crud/session.js'
import { CommandError } from '../../src/errors.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'calicoctl-session-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const config = (spec: string) => {
  const path = join(dir, 'calicoctl.cfg')
  writeFileSync(path, `apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nmetadata: {}\nspec:\n${spec}`)
  return path
}
const failure = async (run: () => unknown) => {
  try {
    await run()
  } catch (err) {
    expect(err).toBeInstanceOf(CommandError)
    return { stream: (err as CommandError).stream, message: (err as Error).message }
  }
  return undefined
}

describe('the client configuration', () => {
  it('that does not exist ends the command before anything else, on stdout', async () => {
    const missing = join(dir, 'missing.cfg')
    const expected = { stream: 'stdout', message: `Error reading config file: ${missing}` }
    expect(await failure(() => checkConfigReadable(missing))).toEqual(expected)
    expect(await failure(() => openCommandClient(missing))).toEqual(expected)
  })

  it('that exists but is wrong waits for the client, which fails as upstream words it', async () => {
    const bogus = config('  datastoreType: bogus\n')
    expect(await failure(() => checkConfigReadable(bogus))).toBeUndefined()
    expect(await failure(() => openCommandClient(bogus))).toEqual({ stream: 'stdout', message: 'Failed to create Calico API client: unknown datastore type: bogus' })
    const endpoint = config('  datastoreType: etcdv3\n  etcdEndpoints: "not a url"\n')
    expect(await failure(() => openCommandClient(endpoint))).toEqual({ stream: 'stdout', message: "Failed to create Calico API client: invalid etcd endpoint 'not a url'" })
  })

  it('for Kubernetes needs its kubeconfig', async () => {
    const kubeconfig = join(dir, 'kubeconfig')
    const path = config(`  datastoreType: kubernetes\n  kubeconfig: ${kubeconfig}\n`)
    expect(await failure(() => openCommandClient(path))).toEqual({ stream: 'stdout', message: `Failed to create Calico API client: stat ${kubeconfig}: no such file or directory` })
  })

  it('for etcd builds a client without connecting yet, eight writes in flight as on Kubernetes', async () => {
    const client = await openCommandClient(config('  datastoreType: etcdv3\n  etcdEndpoints: http://127.0.0.1:1\n'))
    try {
      expect(client.store.constructor.name).toBe('EtcdDatastore')
      expect(client.parallelism).toBe(8)
    } finally {
      await client.store.close()
    }
  })
})
