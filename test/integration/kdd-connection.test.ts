import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG_PATH } from '../../src/datastore/config.js'
import { KubernetesDatastore } from '../../src/datastore/kubernetes/backend.js'
import { kindByKind } from '../../src/resources/all-kinds.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import { runCli } from './helpers.js'
import { ADMIN_TOKEN, calicoctlCfg, startKddFixture, type KddFixture } from './kube-apiserver/fixture.js'
import { kubeconfigYaml } from './kube-apiserver/kubeconfig.js'
import { startKubeApiServer, type KubeApiServer } from './kube-apiserver/server.js'

/**
 * How calicoctl finds and authenticates to the API server: kubeconfig files (one, or a KUBECONFIG
 * list merged first-wins), --context, the calicoctl.cfg overrides (endpoint, CA, client
 * certificate, token, insecure), in-cluster service-account settings, and the errors when none works.
 */
const POOL = 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: pool-a\nspec:\n  cidr: 10.40.0.0/16\n'
const CRD = 'crd.projectcalico.org'

describe('connecting to the Kubernetes API', () => {
  let kube: KddFixture
  /** A second, plain-http cluster, to see which one a command reached. */
  let other: KubeApiServer
  const reached = () => ({
    main: kube.server.object(CRD, 'ippools', 'pool-a') !== undefined,
    other: other.object(CRD, 'ippools', 'pool-a') !== undefined,
  })
  const withCfg = (spec: Record<string, unknown>, args: string[], stdin?: string) =>
    runCli([...args, '-c', kube.write(`cfg-${Math.random().toString(36).slice(2)}`, calicoctlCfg({ datastoreType: 'kubernetes', ...spec }))], { stdin })

  beforeAll(async () => {
    kube = await startKddFixture({ tokens: { [ADMIN_TOKEN]: 'admin', 'viewer-token': 'viewer' }, permissions: { viewer: ['get', 'list'] } })
    other = await startKubeApiServer()
  })
  afterAll(async () => {
    await other.close()
    await kube.close()
  })
  beforeEach(() => {
    kube.server.store.clear()
    other.store.clear()
  })

  // Environment mode applies only when the default /etc/calico/calicoctl.cfg does not exist (as upstream);
  // on a machine that has one, these tests would read that cluster's configuration instead.
  describe.skipIf(existsSync(DEFAULT_CONFIG_PATH))('kubeconfig and context (environment mode: no /etc/calico/calicoctl.cfg)', () => {
    let first: string
    let second: string
    beforeAll(() => {
      first = kube.write(
        'first.kubeconfig',
        kubeconfigYaml({
          clusters: [{ name: 'main', server: kube.server.url, caFile: kube.pki.caFile }],
          users: [{ name: 'admin', certFile: kube.pki.clientCertFile, keyFile: kube.pki.clientKeyFile }],
          contexts: [{ name: 'admin', cluster: 'main', user: 'admin' }],
          currentContext: 'admin',
        }),
      )
      // Redefines cluster `main` (ignored: the first file wins) and adds context `other`.
      second = kube.write(
        'second.kubeconfig',
        kubeconfigYaml({
          clusters: [
            { name: 'main', server: other.url },
            { name: 'other', server: other.url },
          ],
          users: [{ name: 'nobody' }],
          contexts: [{ name: 'other', cluster: 'other', user: 'nobody' }],
          currentContext: 'other',
        }),
      )
    })
    const env = (extra: Record<string, string>) => ({ DATASTORE_TYPE: 'kubernetes', ...extra })

    it('merges a KUBECONFIG list first-wins: current context and cluster from the first file', async () => {
      const r = await runCli(['apply', '-f', '-'], { env: env({ KUBECONFIG: `${first}:${second}:/nonexistent/skipped` }), stdin: POOL })
      expect(r).toEqual({ code: 0, stdout: "Successfully applied 1 'IPPool' resource(s)\n", stderr: '' })
      expect(reached()).toEqual({ main: true, other: false })
    })

    it('selects another context with --context', async () => {
      const r = await runCli(['apply', '-f', '-', '--context', 'other'], { env: env({ KUBECONFIG: `${first}:${second}` }), stdin: POOL })
      expect(r.code).toBe(0)
      expect(reached()).toEqual({ main: false, other: true })
    })

    it('names a context that does not exist, and a kubeconfig that does not exist', async () => {
      expect(await runCli(['get', 'ippool', '--context', 'nope'], { env: env({ KUBECONFIG: first }) })).toEqual({
        code: 1,
        stdout: 'Failed to create Calico API client: context "nope" does not exist\n',
        stderr: '',
      })
      expect(await withCfg({ kubeconfig: '/nonexistent/kubeconfig' }, ['get', 'ippool'])).toEqual({
        code: 1,
        stdout: 'Failed to create Calico API client: stat /nonexistent/kubeconfig: no such file or directory\n',
        stderr: '',
      })
    })

    it('says so when nothing is configured at all', async () => {
      expect(await runCli(['get', 'ippool'])).toEqual({
        code: 1,
        stdout: 'Failed to create Calico API client: invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable\n',
        stderr: '',
      })
    })

    it('reads certificates embedded in the kubeconfig', async () => {
      const inline = kube.write(
        'inline.kubeconfig',
        kubeconfigYaml({
          clusters: [{ name: 'main', server: kube.server.url, caData: kube.pki.pem(kube.pki.caFile) }],
          users: [{ name: 'admin', certData: kube.pki.pem(kube.pki.clientCertFile), keyData: kube.pki.pem(kube.pki.clientKeyFile) }],
          contexts: [{ name: 'admin', cluster: 'main', user: 'admin' }],
          currentContext: 'admin',
        }),
      )
      expect((await withCfg({ kubeconfig: inline }, ['apply', '-f', '-'], POOL)).code).toBe(0)
      expect(reached().main).toBe(true)
    })
  })

  describe('credentials from calicoctl.cfg', () => {
    const endpoint = () => ({ k8sAPIEndpoint: kube.server.url, k8sCAFile: kube.pki.caFile })

    it('authenticates with a bearer token', async () => {
      expect(await withCfg({ ...endpoint(), k8sAPIToken: ADMIN_TOKEN }, ['apply', '-f', '-'], POOL)).toEqual({
        code: 0,
        stdout: "Successfully applied 1 'IPPool' resource(s)\n",
        stderr: '',
      })
      expect(kube.server.requests.at(-1)?.user).toBe('admin')
    })

    it('authenticates with a client certificate and key', async () => {
      const cert = { k8sCertFile: kube.pki.clientCertFile, k8sKeyFile: kube.pki.clientKeyFile }
      expect((await withCfg({ ...endpoint(), ...cert }, ['apply', '-f', '-'], POOL)).code).toBe(0)
      expect(kube.server.requests.at(-1)?.user).toBe('kube-admin')
    })

    it('is refused with a wrong token or a certificate from another CA', async () => {
      for (const credentials of [{ k8sAPIToken: 'wrong' }, { k8sCertFile: kube.pki.untrustedCertFile, k8sKeyFile: kube.pki.untrustedKeyFile }]) {
        const r = await withCfg({ ...endpoint(), ...credentials }, ['apply', '-f', '-', '--allow-version-mismatch'], POOL)
        expect(r).toEqual({ code: 1, stdout: '', stderr: "failed to apply 'IPPool' resource: [connection is unauthorized: Unauthorized]\n" })
      }
    })

    it('reports what RBAC forbids, with the API server text', async () => {
      const r = await withCfg({ ...endpoint(), k8sAPIToken: 'viewer-token' }, ['apply', '-f', '-'], POOL)
      expect(r).toEqual({
        code: 1,
        stdout: '',
        stderr:
          "failed to apply 'IPPool' resource: [connection is unauthorized: ippools.crd.projectcalico.org is forbidden: User \"viewer\" cannot create resource \"ippools\" in API group \"crd.projectcalico.org\" at the cluster scope]\n",
      })
    })

    it('verifies the server certificate unless k8sInsecureSkipTLSVerify is set', async () => {
      const unverified = await withCfg({ k8sAPIEndpoint: kube.server.url, k8sAPIToken: ADMIN_TOKEN }, ['apply', '-f', '-', '--allow-version-mismatch'], POOL)
      expect(unverified.code).toBe(1)
      expect(unverified.stderr).toBe(
        `failed to apply 'IPPool' resource: [Get "${kube.server.url}/apis/crd.projectcalico.org/v1/ippools?limit=500": tls: failed to verify certificate: x509: certificate signed by unknown authority]\n`,
      )
      const insecure = await withCfg({ k8sAPIEndpoint: kube.server.url, k8sAPIToken: ADMIN_TOKEN, k8sInsecureSkipTLSVerify: true }, ['apply', '-f', '-'], POOL)
      expect(insecure.code).toBe(0)
    })
  })

  it("authenticates with the bearer token in a kubeconfig user's tokenFile, as client-go reads it", async () => {
    kube.write('admin.token', `${ADMIN_TOKEN}\n`)
    const kubeconfig = (user: { token?: string; tokenFile: string }) =>
      kube.write(
        `token-${Math.random().toString(36).slice(2)}.kubeconfig`,
        kubeconfigYaml({
          clusters: [{ name: 'main', server: kube.server.url, caFile: kube.pki.caFile }],
          users: [{ name: 'bot', ...user }],
          contexts: [{ name: 'bot', cluster: 'main', user: 'bot' }],
          currentContext: 'bot',
        }),
      )
    // A relative path is relative to the kubeconfig, as for the other files it names.
    expect(await withCfg({ kubeconfig: kubeconfig({ tokenFile: 'admin.token' }) }, ['apply', '-f', '-'], POOL)).toEqual({
      code: 0,
      stdout: "Successfully applied 1 'IPPool' resource(s)\n",
      stderr: '',
    })
    expect(kube.server.requests.at(-1)?.user).toBe('admin')
    // The file's token is the one sent when a token is written beside it.
    kube.server.resetStats()
    expect((await withCfg({ kubeconfig: kubeconfig({ token: 'viewer-token', tokenFile: 'admin.token' }) }, ['get', 'ippool'])).code).toBe(0)
    expect(kube.server.requests.map((r) => r.user)).not.toContain('viewer')
    const missing = join(kube.dir, 'missing.token')
    expect(await withCfg({ kubeconfig: kubeconfig({ tokenFile: missing }) }, ['get', 'ippool'])).toEqual({
      code: 1,
      stdout: `Failed to create Calico API client: open ${missing}: no such file or directory\n`,
      stderr: '',
    })
  })

  it("gives up on a server that never answers the TLS handshake after Go's 10 s, naming the endpoint", async () => {
    // Accepts the connection, then says nothing: a wedged API server or a port that is not TLS.
    const sockets = new Set<net.Socket>()
    const silent = net.createServer((socket) => sockets.add(socket.on('error', () => {})))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const url = `https://127.0.0.1:${(silent.address() as net.AddressInfo).port}`
    try {
      const started = performance.now()
      const r = await withCfg({ k8sAPIEndpoint: url, k8sInsecureSkipTLSVerify: true }, ['get', 'ippool', '--allow-version-mismatch'])
      const seconds = (performance.now() - started) / 1000
      expect(r).toEqual({ code: 1, stdout: '', stderr: `failed to get resources: Get "${url}/apis/crd.projectcalico.org/v1/ippools?limit=500": net/http: TLS handshake timeout\n` })
      // One handshake's wait: the requests after the first fail at once.
      expect(seconds).toBeGreaterThan(9.5)
      expect(seconds).toBeLessThan(14)
    } finally {
      for (const socket of sockets) socket.destroy()
      silent.close()
    }
  }, 30_000)

  it('uses the pod service account when running in a cluster', async () => {
    const prefix = join(kube.dir, 'pod')
    const dir = join(prefix, 'var/run/secrets/kubernetes.io/serviceaccount')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'token'), `${ADMIN_TOKEN}\n`)
    writeFileSync(join(dir, 'ca.crt'), kube.pki.pem(kube.pki.caFile))
    const port = new URL(kube.server.url).port
    const store = await KubernetesDatastore.connect(
      { datastoreType: 'kubernetes' },
      { env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port }, serviceAccountPrefix: prefix },
    )
    const list = await store.list(kindByKind('IPPool') as KindDefinition)
    await store.close()
    expect(list.items).toEqual([])
    expect(kube.server.requests.at(-1)).toMatchObject({ path: '/apis/crd.projectcalico.org/v1/ippools', user: 'admin', code: 200 })
  })
})
