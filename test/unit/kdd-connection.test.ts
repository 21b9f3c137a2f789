import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import type https from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import yaml from 'js-yaml'
import { afterAll, describe, expect, it } from 'vitest'
import { connectKube } from '../../src/datastore/kubernetes/connection.js'
import type { CalicoAPIConfigSpec } from '../../src/datastore/config.js'

/** Which server, credentials and TLS settings a configuration resolves to; no API server needed. */
const dir = mkdtempSync(join(tmpdir(), 'kdd-connection-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string, content: string): string {
  const path = join(dir, name)
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, content)
  return path
}

const ca = file('certs/ca.crt', 'CA PEM\n')
const kubeconfig = (doc: Record<string, unknown>) => yaml.dump({ apiVersion: 'v1', kind: 'Config', ...doc })
const main = file(
  'main.kubeconfig',
  kubeconfig({
    clusters: [
      { name: 'prod', cluster: { server: 'https://prod.example:6443/', 'certificate-authority': 'certs/ca.crt' } },
      { name: 'lab', cluster: { server: 'http://127.0.0.1:8080', 'insecure-skip-tls-verify': true } },
    ],
    users: [
      { name: 'alice', user: { token: 'alice-token' } },
      { name: 'bob', user: { username: 'bob', password: 'pw', as: 'carol' } },
    ],
    contexts: [
      { name: 'prod', context: { cluster: 'prod', user: 'alice' } },
      { name: 'lab', context: { cluster: 'lab', user: 'bob' } },
    ],
    'current-context': 'prod',
  }),
)

async function connect(config: Partial<CalicoAPIConfigSpec>, env: NodeJS.ProcessEnv = {}) {
  const connection = await connectKube({ datastoreType: 'kubernetes', ...config }, { env, serviceAccountPrefix: join(dir, 'no-pod') })
  const options = (connection.agent as https.Agent).options
  connection.agent.destroy()
  return { server: connection.server, headers: connection.headers, options }
}

describe('connection settings of the Kubernetes datastore', () => {
  it('uses the current context; relative file paths are relative to the kubeconfig', async () => {
    const c = await connect({ kubeconfig: main })
    expect(c.server).toBe('https://prod.example:6443')
    expect(c.headers).toEqual({ Authorization: 'Bearer alice-token' })
    expect(String(c.options.ca)).toBe('CA PEM\n')
    expect(c.options.rejectUnauthorized).toBe(true)
  })

  it('switches context with k8sCurrentContext: basic auth, impersonation, plain http', async () => {
    const c = await connect({ kubeconfig: main, k8sCurrentContext: 'lab' })
    expect(c.server).toBe('http://127.0.0.1:8080')
    expect(c.headers).toEqual({ Authorization: `Basic ${Buffer.from('bob:pw').toString('base64')}`, 'Impersonate-User': 'carol' })
  })

  it('applies the calicoctl.cfg overrides on top of the kubeconfig', async () => {
    const cert = file('client.crt', 'CERT\n')
    const key = file('client.key', 'KEY\n')
    const c = await connect({
      kubeconfig: main,
      k8sAPIEndpoint: 'https://10.0.0.1:6443',
      k8sAPIToken: 'override-token',
      k8sCertFile: cert,
      k8sKeyFile: key,
      k8sInsecureSkipTLSVerify: true,
    })
    expect(c.server).toBe('https://10.0.0.1:6443')
    expect(c.headers).toEqual({ Authorization: 'Bearer override-token' })
    expect([String(c.options.cert), String(c.options.key)]).toEqual(['CERT\n', 'KEY\n'])
    // An insecure override also drops the kubeconfig's CA, as client-go does.
    expect(c.options.ca).toBeUndefined()
    expect(c.options.rejectUnauthorized).toBe(false)
  })

  it('works from the overrides alone, without a kubeconfig', async () => {
    const c = await connect({ k8sAPIEndpoint: 'https://10.0.0.2:6443', k8sCAFile: ca, k8sAPIToken: 't' })
    expect(c.server).toBe('https://10.0.0.2:6443')
    expect(String(c.options.ca)).toBe('CA PEM\n')
  })

  it('uses kubeconfigInline as given, ignoring the overrides like upstream', async () => {
    const inline = kubeconfig({
      clusters: [{ name: 'c', cluster: { server: 'https://inline:6443', 'certificate-authority-data': Buffer.from('INLINE CA').toString('base64') } }],
      users: [{ name: 'u', user: { token: 'inline-token' } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    })
    const c = await connect({ kubeconfigInline: inline, k8sAPIEndpoint: 'https://ignored:6443', k8sCurrentContext: 'nope' })
    expect(c.server).toBe('https://inline:6443')
    expect(c.headers).toEqual({ Authorization: 'Bearer inline-token' })
    expect(String(c.options.ca)).toBe('INLINE CA')
  })

  it('merges a list of kubeconfigs: the first file to name a cluster, user, context or current context wins', async () => {
    const second = file(
      'second.kubeconfig',
      kubeconfig({
        clusters: [{ name: 'prod', cluster: { server: 'https://impostor:6443' } }, { name: 'dev', cluster: { server: 'https://dev:6443' } }],
        users: [{ name: 'dave', user: { token: 'dave-token' } }],
        contexts: [{ name: 'dev', context: { cluster: 'dev', user: 'dave' } }],
        'current-context': 'dev',
      }),
    )
    const list = [join(dir, 'missing.kubeconfig'), main, second, main].join(':')
    expect((await connect({ kubeconfig: list })).server).toBe('https://prod.example:6443')
    const dev = await connect({ kubeconfig: list, k8sCurrentContext: 'dev' })
    expect([dev.server, dev.headers.Authorization]).toEqual(['https://dev:6443', 'Bearer dave-token'])
  })

  it('falls back to the pod service account, where the overrides still apply', async () => {
    const prefix = join(dir, 'pod')
    file('pod/var/run/secrets/kubernetes.io/serviceaccount/token', 'sa-token\n')
    file('pod/var/run/secrets/kubernetes.io/serviceaccount/ca.crt', 'SA CA\n')
    const env = { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }
    const pod = await connectKube({ datastoreType: 'kubernetes' }, { env, serviceAccountPrefix: prefix })
    pod.agent.destroy()
    expect(pod.server).toBe('https://[fd00::1]:443')
    expect(pod.headers).toEqual({ Authorization: 'Bearer sa-token' })
    expect(String((pod.agent as https.Agent).options.ca)).toBe('SA CA\n')
    const overridden = await connectKube({ datastoreType: 'kubernetes', k8sAPIToken: 'mine' }, { env, serviceAccountPrefix: prefix })
    overridden.agent.destroy()
    expect(overridden.headers).toEqual({ Authorization: 'Bearer mine' })
  })

  it('fails with client-go texts when nothing usable is configured', async () => {
    await expect(connect({})).rejects.toThrow(
      'invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable',
    )
    await expect(connect({ kubeconfig: main, k8sCurrentContext: 'staging' })).rejects.toThrow('context "staging" does not exist')
    await expect(connect({ kubeconfig: join(dir, 'absent') })).rejects.toThrow(`stat ${join(dir, 'absent')}: no such file or directory`)
    const dangling = file('dangling.kubeconfig', kubeconfig({ contexts: [], 'current-context': 'gone' }))
    await expect(connect({ kubeconfig: dangling })).rejects.toThrow(
      'invalid configuration: [context was not found for specified context: gone, cluster has no server defined]',
    )
    // A context that exists but names a cluster nobody defines is client-go's ErrEmptyConfig.
    const clusterless = file('clusterless.kubeconfig', kubeconfig({ contexts: [{ name: 'ctx-b', context: { cluster: 'nope', user: 'u' } }], 'current-context': 'ctx-b' }))
    await expect(connect({ kubeconfig: clusterless })).rejects.toThrow(
      'invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable',
    )
    const broken = file('broken.kubeconfig', 'clusters:\n- cluster: {}\n')
    await expect(connect({ kubeconfig: broken })).rejects.toThrow(`error loading config file "${broken}": clusters[0].name is missing`)
    await expect(connect({ k8sAPIEndpoint: 'https://x:6443', k8sCAFile: join(dir, 'no-ca.crt') })).rejects.toThrow(`open ${join(dir, 'no-ca.crt')}: no such file or directory`)
  })
})
