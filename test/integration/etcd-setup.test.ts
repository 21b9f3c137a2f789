import { readFileSync } from 'node:fs'
import { describe, expect, inject, it } from 'vitest'
import { etcdctl, etcdDelPrefix, etcdGetPrefix, etcdPut, writeCalicoctlCfg } from './helpers.js'

/** The etcd instances started by the global setup are reachable the way the tests use them. */
const instances = [
  ['plain', inject('etcdPlain')],
  ['tls', inject('etcdTls')],
  ['tls-auth', inject('etcdTlsAuth')],
] as const

const PREFIX = '/calicoctl-ts-setup-test/'

describe.each(instances)('etcd instance %s', (name, env) => {
  it('stores and lists keys under a prefix, values intact', async () => {
    await etcdDelPrefix(env, PREFIX)
    const value = `{"name":"${name}","note":"multi\\nline -x"}`
    await etcdPut(env, `${PREFIX}a`, value)
    await etcdPut(env, `${PREFIX}b`, '-starts-with-dash')
    expect(await etcdGetPrefix(env, PREFIX)).toEqual(
      new Map([
        [`${PREFIX}a`, value],
        [`${PREFIX}b`, '-starts-with-dash'],
      ]),
    )
    await etcdDelPrefix(env, PREFIX)
    expect((await etcdGetPrefix(env, PREFIX)).size).toBe(0)
  })

  it('listens on loopback only', () => {
    expect(env.ETCD_ENDPOINTS).toMatch(/^https?:\/\/127\.0\.0\.1:\d+$/)
    expect(env.ETCDCTL_ENDPOINTS).toBe(env.ETCD_ENDPOINTS)
  })
})

describe('connection settings', () => {
  it('plain has no TLS or credentials', () => {
    const env = inject('etcdPlain')
    expect(env.ETCD_ENDPOINTS).toMatch(/^http:/)
    expect(Object.keys(env).sort()).toEqual(['DATASTORE_TYPE', 'ETCDCTL_API', 'ETCDCTL_ENDPOINTS', 'ETCD_ENDPOINTS'])
    expect(env.DATASTORE_TYPE).toBe('etcdv3')
  })

  it('tls has client certificates and no credentials', () => {
    const env = inject('etcdTls')
    expect(env.ETCD_ENDPOINTS).toMatch(/^https:/)
    expect(env.ETCD_CA_CERT_FILE).toMatch(/\/\.test-state\/run-\d+\/tls\/pki\/ca\.crt$/)
    expect(env.ETCD_CERT_FILE).toMatch(/\/\.test-state\/run-\d+\/tls\/pki\/client\.crt$/)
    expect(env.ETCD_KEY_FILE).toMatch(/\/\.test-state\/run-\d+\/tls\/pki\/client\.key$/)
    expect(env.ETCD_USERNAME).toBeUndefined()
  })

  it('tls-auth adds user root and its password', () => {
    const env = inject('etcdTlsAuth')
    expect(env.ETCD_ENDPOINTS).toMatch(/^https:/)
    expect(env.ETCD_USERNAME).toBe('root')
    expect(env.ETCDCTL_USER).toBe(`root:${env.ETCD_PASSWORD}`)
  })
})

describe('access control', () => {
  const { ETCDCTL_USER: _user, ...certsOnly } = inject('etcdTlsAuth')

  it('tls-auth refuses a client certificate without the password', async () => {
    await expect(etcdctl(certsOnly, ['get', '/calico/'])).rejects.toThrow('etcdserver: permission denied')
  })

  it('tls-auth refuses a wrong password', async () => {
    await expect(etcdctl({ ...certsOnly, ETCDCTL_USER: 'root:wrong' }, ['get', '/calico/'])).rejects.toThrow(
      'etcdserver: authentication failed, invalid user ID or password',
    )
  })

  it('tls refuses a client without a certificate', async () => {
    const { ETCDCTL_CERT: _c, ETCDCTL_KEY: _k, ...caOnly } = inject('etcdTls')
    // The handshake fails, so etcdctl only ever sees its deadline pass.
    await expect(etcdctl(caOnly, ['--command-timeout=1s', 'get', '/calico/'])).rejects.toThrow(
      'Error: context deadline exceeded',
    )
  })
})

describe('writeCalicoctlCfg', () => {
  it('writes a CalicoAPIConfig with the instance settings and extra spec fields', () => {
    const env = inject('etcdTlsAuth')
    const text = readFileSync(writeCalicoctlCfg(env, { etcdEndpoints: 'https://127.0.0.1:1' }), 'utf8')
    expect(text).toBe(
      [
        'apiVersion: projectcalico.org/v3',
        'kind: CalicoAPIConfig',
        'metadata: {}',
        'spec:',
        '  datastoreType: etcdv3',
        '  etcdEndpoints: https://127.0.0.1:1',
        `  etcdCACertFile: ${env.ETCD_CA_CERT_FILE}`,
        `  etcdCertFile: ${env.ETCD_CERT_FILE}`,
        `  etcdKeyFile: ${env.ETCD_KEY_FILE}`,
        '  etcdUsername: root',
        `  etcdPassword: ${env.ETCD_PASSWORD}`,
        '',
      ].join('\n'),
    )
  })
})
