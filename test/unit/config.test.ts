import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_CONFIG_PATH,
  loadClientConfig,
  parseEtcdEndpoints,
  redactConfig,
  resolveEtcdEndpoints,
  validateEtcdConfig,
  type CalicoAPIConfigSpec,
} from '../../src/datastore/config.js'
import { CommandError } from '../../src/errors.js'

const dir = mkdtempSync(join(tmpdir(), 'calicoctl-config-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let fileCount = 0
function configFile(text: string): string {
  const path = join(dir, `calicoctl-${++fileCount}.cfg`)
  writeFileSync(path, text)
  return path
}

const HEADER = 'apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\n'

/** Loads from a file with an empty environment and no HOME, so nothing leaks in from the test host. */
function fromFile(text: string, env: NodeJS.ProcessEnv = {}): CalicoAPIConfigSpec {
  return loadClientConfig({ path: configFile(text), env })
}

/** Env mode: the default path is reported missing. */
function fromEnv(env: NodeJS.ProcessEnv, extra: { home?: string; existing?: string[] } = {}): CalicoAPIConfigSpec {
  return loadClientConfig({ env, home: extra.home, fileExists: (p) => (extra.existing ?? []).includes(p) })
}

function errorOf(fn: () => unknown): CommandError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(CommandError)
    return err as CommandError
  }
  throw new Error('expected an error')
}

describe('config file', () => {
  it('loads the calicoctl.cfg of the admin notes (quoted values, empty metadata)', () => {
    const text = `apiVersion: projectcalico.org/v3
kind: CalicoAPIConfig
metadata:
spec:
  datastoreType: "etcdv3"
  etcdEndpoints: "https://10.55.3.41,https://10.55.3.42:2379,https://10.55.3.43:2379"
  etcdKeyFile: "/opt/etcd/ssl/server-key.pem"
  etcdCertFile: "/opt/etcd/ssl/server.pem"
  etcdCACertFile: "/opt/etcd/ssl/ca.pem"
`
    const spec = fromFile(text)
    expect(spec).toEqual({
      datastoreType: 'etcdv3',
      etcdEndpoints: 'https://10.55.3.41,https://10.55.3.42:2379,https://10.55.3.43:2379',
      etcdKeyFile: '/opt/etcd/ssl/server-key.pem',
      etcdCertFile: '/opt/etcd/ssl/server.pem',
      etcdCACertFile: '/opt/etcd/ssl/ca.pem',
    })
    expect(validateEtcdConfig(spec)).toEqual([
      { url: 'https://10.55.3.41:2379', host: '10.55.3.41', port: 2379, secure: true, defaultedPort: true },
      { url: 'https://10.55.3.42:2379', host: '10.55.3.42', port: 2379, secure: true, defaultedPort: false },
      { url: 'https://10.55.3.43:2379', host: '10.55.3.43', port: 2379, secure: true, defaultedPort: false },
    ])
  })

  it('loads JSON, with YAML booleans and numbers typed', () => {
    const json = JSON.stringify({
      apiVersion: 'projectcalico.org/v3',
      kind: 'CalicoAPIConfig',
      metadata: { name: 'ignored' },
      spec: { datastoreType: 'kubernetes', kubeconfig: '/k', k8sInsecureSkipTLSVerify: true, k8sClientQPS: 7.5, k8sClientBurst: 20 },
    })
    expect(fromFile(json)).toEqual({
      datastoreType: 'kubernetes',
      kubeconfig: '/k',
      k8sInsecureSkipTLSVerify: true,
      k8sClientQPS: 7.5,
      k8sClientBurst: 20,
    })
  })

  it('reads YAML 1.1 booleans like go-yaml, and turns numbers into strings for string fields', () => {
    const spec = fromFile(`${HEADER}metadata: {}\nspec:\n  k8sAPIEndpoint: https://k:6443\n  k8sDisableNodePoll: yes\n  usePodCIDR: off\n  etcdUsername: 1234\n`)
    expect(spec).toEqual({ datastoreType: 'kubernetes', k8sAPIEndpoint: 'https://k:6443', k8sDisableNodePoll: true, usePodCIDR: false, etcdUsername: '1234' })
  })

  it('matches field names case-insensitively, as encoding/json does', () => {
    expect(fromFile(`${HEADER}spec:\n  DatastoreType: etcdv3\n  ETCDENDPOINTS: http://e:2379\n`)).toEqual({
      datastoreType: 'etcdv3',
      etcdEndpoints: 'http://e:2379',
    })
  })

  it('ignores the environment entirely', () => {
    const env = { CALICO_DATASTORE_TYPE: 'kubernetes', ETCD_USERNAME: 'envuser', CALICO_K8SAPITOKEN: 'tok', HOME: '/nonexistent' }
    expect(fromFile(`${HEADER}spec:\n  etcdEndpoints: http://e:2379\n`, env)).toEqual({ datastoreType: 'etcdv3', etcdEndpoints: 'http://e:2379' })
  })

  it('accepts a file without spec, defaulting to kubernetes', () => {
    expect(fromFile(HEADER)).toEqual({ datastoreType: 'kubernetes' })
  })

  it.each([
    [`${HEADER}spec:\n  etcdEndpoint: x\n`, 'json: unknown field "etcdEndpoint"'],
    [`${HEADER}status: {}\n`, 'json: unknown field "status"'],
    [`${HEADER}metadata:\n  bogus: 1\n`, 'json: unknown field "bogus"'],
    [`${HEADER}spec:\n  k8sInsecureSkipTLSVerify: "true"\n`, 'json: cannot unmarshal string into Go struct field CalicoAPIConfigSpec.spec.k8sInsecureSkipTLSVerify of type bool'],
    [`${HEADER}spec:\n  k8sClientBurst: 1.5\n`, 'json: cannot unmarshal number 1.5 into Go struct field CalicoAPIConfigSpec.spec.k8sClientBurst of type int'],
    [`${HEADER}spec:\n  datastoreType: [etcdv3]\n`, 'json: cannot unmarshal array into Go struct field CalicoAPIConfigSpec.spec.datastoreType of type apiconfig.DatastoreType'],
    [`${HEADER}spec: etcdv3\n`, 'json: cannot unmarshal string into Go struct field CalicoAPIConfig.spec of type apiconfig.CalicoAPIConfigSpec'],
    ['- a\n', 'json: cannot unmarshal array into Go value of type apiconfig.CalicoAPIConfig'],
  ])('refuses %j strictly', (text, reason) => {
    const path = configFile(text)
    const err = errorOf(() => loadClientConfig({ path, env: {} }))
    expect(err.message).toBe(`syntax error in ${path}: failed to parse config as YAML/JSON: error unmarshaling JSON: while decoding JSON: ${reason}`)
    expect(err.stream).toBe('stderr')
  })

  it('refuses duplicate keys and YAML syntax errors with the line number', () => {
    const dup = configFile(`${HEADER}spec:\n  etcdUsername: a\n  etcdUsername: b\n`)
    expect(errorOf(() => loadClientConfig({ path: dup, env: {} })).message).toBe(
      `syntax error in ${dup}: failed to parse config as YAML/JSON: yaml: line 5: duplicated mapping key`,
    )
    const bad = configFile(`${HEADER}spec:\n  etcdUsername: a\n   bad: indent\n`)
    expect(errorOf(() => loadClientConfig({ path: bad, env: {} })).message).toMatch(
      new RegExp(`^syntax error in ${bad}: failed to parse config as YAML/JSON: yaml: line \\d+: \\S`),
    )
  })

  it.each([
    [`apiVersion: v1\nkind: CalicoAPIConfig\n`, "invalid config file: unknown APIVersion 'v1'"],
    [`kind: CalicoAPIConfig\n`, "invalid config file: unknown APIVersion ''"],
    ['', "invalid config file: unknown APIVersion ''"],
    [`apiVersion: projectcalico.org/v3\nkind: IPPool\n`, "invalid config file: expected kind 'CalicoAPIConfig', got 'IPPool'"],
  ])('checks apiVersion and kind of %j', (text, message) => {
    const path = configFile(text)
    expect(errorOf(() => loadClientConfig({ path, env: {} })).message).toBe(`syntax error in ${path}: ${message}`)
  })

  it('never echoes a password or PEM content in a parse error', () => {
    const secrets = ['hunter2-secret', 'MIIEpAIBAAKCAQEA-secret']
    const texts = [
      `${HEADER}spec:\n  etcdPassword: "hunter2-secret\n`,
      `${HEADER}spec:\n  etcdPassword: hunter2-secret\n  etcdPassword: hunter2-secret\n`,
      `${HEADER}spec:\n  etcdPassword: hunter2-secret\n  unknownField: 1\n`,
      `${HEADER}spec:\n  etcdPassword: [hunter2-secret]\n`,
      `${HEADER}spec:\n  etcdKey: |\n    -----BEGIN RSA PRIVATE KEY-----\n    MIIEpAIBAAKCAQEA-secret\n  etcdKey: x\n`,
      `apiVersion: v1\nkind: CalicoAPIConfig\nspec:\n  etcdPassword: hunter2-secret\n`,
    ]
    for (const text of texts) {
      const message = errorOf(() => fromFile(text)).message
      for (const secret of secrets) expect(message).not.toContain(secret)
    }
  })

  it('reports a directory given as config file like os.ReadFile', () => {
    const sub = join(dir, 'a-directory')
    mkdirSync(sub)
    expect(errorOf(() => loadClientConfig({ path: sub, env: {} })).message).toBe(`read ${sub}: is a directory`)
  })
})

describe('config file path', () => {
  it('a missing user-supplied path is an error printed on stdout', () => {
    const path = join(dir, 'missing.cfg')
    const err = errorOf(() => loadClientConfig({ path, env: { ETCD_ENDPOINTS: 'http://e:2379' } }))
    expect(err.message).toBe(`Error reading config file: ${path}`)
    expect(err.stream).toBe('stdout')
  })

  it.each([undefined, ''])('a missing default path (-c %j) silently means env mode', (path) => {
    const checked: string[] = []
    const spec = loadClientConfig({ path, env: { ETCD_ENDPOINTS: 'http://e:2379' }, fileExists: (p) => (checked.push(p), false) })
    expect(spec).toEqual({ datastoreType: 'etcdv3', etcdEndpoints: 'http://e:2379' })
    expect(checked[0]).toBe(DEFAULT_CONFIG_PATH)
  })
})

describe('environment variables', () => {
  it('reads every variable of the table, without prefix', () => {
    const spec = fromEnv({
      DATASTORE_TYPE: 'etcdv3',
      ETCD_ENDPOINTS: 'http://e:2379',
      ETCD_USERNAME: 'u',
      ETCD_PASSWORD: 'p',
      ETCD_KEY_FILE: '/k',
      ETCD_CERT_FILE: '/c',
      ETCD_CA_CERT_FILE: '/ca',
      KUBECONFIG: '/kc',
      K8S_API_ENDPOINT: 'https://api',
      K8S_KEY_FILE: '/kk',
      K8S_CERT_FILE: '/kcrt',
      K8S_CA_FILE: '/kca',
      K8S_INSECURE_SKIP_TLS_VERIFY: 'true',
      K8S_DISABLE_NODE_POLL: 'T',
      USE_POD_CIDR: '0',
      K8S_CLIENT_QPS: '2.5',
      K8S_CLIENT_BURST: '0x10',
      K8S_CURRENT_CONTEXT: 'ctx',
      CALICO_API_GROUP: 'projectcalico.org/v3',
    })
    expect(spec).toEqual({
      datastoreType: 'etcdv3',
      etcdEndpoints: 'http://e:2379',
      etcdUsername: 'u',
      etcdPassword: 'p',
      etcdKeyFile: '/k',
      etcdCertFile: '/c',
      etcdCACertFile: '/ca',
      kubeconfig: '/kc',
      k8sAPIEndpoint: 'https://api',
      k8sKeyFile: '/kk',
      k8sCertFile: '/kcrt',
      k8sCAFile: '/kca',
      k8sInsecureSkipTLSVerify: true,
      k8sDisableNodePoll: true,
      usePodCIDR: false,
      k8sClientQPS: 2.5,
      k8sClientBurst: 16,
      k8sCurrentContext: 'ctx',
      calicoAPIGroup: 'projectcalico.org/v3',
    })
  })

  it('prefers the CALICO_ prefixed name, even when it is set to empty', () => {
    expect(fromEnv({ CALICO_ETCD_ENDPOINTS: 'http://a:2379', ETCD_ENDPOINTS: 'http://b:2379' }).etcdEndpoints).toBe('http://a:2379')
    expect(fromEnv({ CALICO_CALICO_API_GROUP: 'x/v1', CALICO_API_GROUP: 'y/v1' }).calicoAPIGroup).toBe('x/v1')
    expect(fromEnv({ CALICO_ETCD_ENDPOINTS: '', ETCD_ENDPOINTS: 'http://b:2379' })).toEqual({ datastoreType: 'kubernetes' })
  })

  it('takes k8sAPIToken only from CALICO_K8SAPITOKEN', () => {
    expect(fromEnv({ CALICO_K8SAPITOKEN: 'tok' }).k8sAPIToken).toBe('tok')
    expect(fromEnv({ K8SAPITOKEN: 'tok', K8S_API_TOKEN: 'tok', CALICO_K8S_API_TOKEN: 'tok' }).k8sAPIToken).toBeUndefined()
  })

  it('never takes inline PEM or kubeconfig content from the environment', () => {
    const env = { CALICO_ETCDKEY: 'k', ETCD_KEY: 'k', CALICO_ETCD_CERT: 'c', ETCDCACERT: 'ca', CALICO_KUBECONFIGINLINE: 'x', KUBECONFIG_INLINE: 'x' }
    expect(fromEnv(env)).toEqual({ datastoreType: 'kubernetes' })
  })

  it('reads the context set by --context', () => {
    expect(fromEnv({ K8S_CURRENT_CONTEXT: 'prod' }).k8sCurrentContext).toBe('prod')
  })

  it.each([
    ['K8S_INSECURE_SKIP_TLS_VERIFY', 'yes', 'bool', 'strconv.ParseBool: parsing "yes": invalid syntax'],
    ['K8S_DISABLE_NODE_POLL', '', 'bool', 'strconv.ParseBool: parsing "": invalid syntax'],
    ['K8S_CLIENT_QPS', '1,5', 'float32', 'strconv.ParseFloat: parsing "1,5": invalid syntax'],
    ['K8S_CLIENT_QPS', '1e39', 'float32', 'strconv.ParseFloat: parsing "1e39": value out of range'],
    ['K8S_CLIENT_BURST', '1.0', 'int', 'strconv.ParseInt: parsing "1.0": invalid syntax'],
    ['K8S_CLIENT_BURST', '9223372036854775808', 'int', 'strconv.ParseInt: parsing "9223372036854775808": value out of range'],
  ])('refuses %s=%j', (name, value, type, details) => {
    const expected =
      `failed to load config from env vars: envconfig.Process: assigning CALICO_${name} to ${name}: ` +
      `converting '${value}' to type ${type}. details: ${details}`
    expect(errorOf(() => fromEnv({ [name]: value })).message).toBe(expected)
    expect(errorOf(() => fromEnv({ [`CALICO_${name}`]: value })).message).toBe(expected)
  })

  it('parses numbers like Go: octal and underscores for ints, inf for floats', () => {
    expect(fromEnv({ K8S_CLIENT_BURST: '017' }).k8sClientBurst).toBe(15)
    expect(fromEnv({ K8S_CLIENT_BURST: '-1_000' }).k8sClientBurst).toBe(-1000)
    expect(fromEnv({ K8S_CLIENT_QPS: '+Inf' }).k8sClientQPS).toBe(Infinity)
    expect(fromEnv({ K8S_CLIENT_QPS: '.5e1' }).k8sClientQPS).toBe(5)
  })

  it('does not echo the password when another variable is bad', () => {
    const message = errorOf(() => fromEnv({ ETCD_PASSWORD: 'hunter2-secret', USE_POD_CIDR: 'maybe' })).message
    expect(message).not.toContain('hunter2-secret')
  })
})

describe('defaults', () => {
  it('selects etcdv3 from etcdEndpoints, but not from etcdDiscoverySrv', () => {
    expect(fromEnv({ ETCD_ENDPOINTS: 'http://e:2379' }).datastoreType).toBe('etcdv3')
    expect(fromEnv({ ETCD_DISCOVERY_SRV: 'example.com' }).datastoreType).toBe('kubernetes')
  })

  it('uses $HOME/.kube/config for kubernetes when it exists and nothing else is configured', () => {
    const existing = ['/home/u/.kube/config']
    expect(fromEnv({}, { home: '/home/u', existing }).kubeconfig).toBe('/home/u/.kube/config')
    expect(loadClientConfig({ env: { HOME: '/home/u' }, fileExists: (p) => existing.includes(p) }).kubeconfig).toBe('/home/u/.kube/config')
    expect(fromEnv({}, { home: '/home/u' }).kubeconfig).toBeUndefined()
    expect(fromEnv({}, { existing })).toEqual({ datastoreType: 'kubernetes' })
    expect(fromEnv({ KUBECONFIG: '/other' }, { home: '/home/u', existing }).kubeconfig).toBe('/other')
    expect(fromEnv({ K8S_API_ENDPOINT: 'https://api' }, { home: '/home/u', existing }).kubeconfig).toBeUndefined()
    expect(fromEnv({ DATASTORE_TYPE: 'etcdv3' }, { home: '/home/u', existing }).kubeconfig).toBeUndefined()
  })

  it('applies the kubeconfig default in file mode too', () => {
    const home = join(dir, 'home')
    mkdirSync(join(home, '.kube'), { recursive: true })
    writeFileSync(join(home, '.kube', 'config'), '')
    expect(loadClientConfig({ path: configFile(HEADER), env: { HOME: home } })).toEqual({
      datastoreType: 'kubernetes',
      kubeconfig: join(home, '.kube', 'config'),
    })
  })

  it('refuses an unknown datastore type', () => {
    expect(errorOf(() => fromEnv({ DATASTORE_TYPE: 'etcdv2' })).message).toBe('unknown datastore type: etcdv2')
    expect(errorOf(() => fromFile(`${HEADER}spec:\n  datastoreType: Kubernetes\n`)).message).toBe('unknown datastore type: Kubernetes')
  })
})

describe('etcd endpoints', () => {
  it('defaults the port, trims entries, skips empty ones and reads a bare host:port as http', () => {
    expect(parseEtcdEndpoints(' https://10.55.3.41 ,10.0.0.1:2379,, http://etcd.local:443/ ,')).toEqual([
      { url: 'https://10.55.3.41:2379', host: '10.55.3.41', port: 2379, secure: true, defaultedPort: true },
      { url: 'http://10.0.0.1:2379', host: '10.0.0.1', port: 2379, secure: false, defaultedPort: false },
      { url: 'http://etcd.local:443', host: 'etcd.local', port: 443, secure: false, defaultedPort: false },
    ])
  })

  it('handles IPv6 addresses', () => {
    expect(parseEtcdEndpoints('https://[::1]:2379,http://[fd00::5]')).toEqual([
      { url: 'https://[::1]:2379', host: '::1', port: 2379, secure: true, defaultedPort: false },
      { url: 'http://[fd00::5]:2379', host: 'fd00::5', port: 2379, secure: false, defaultedPort: true },
    ])
  })

  it.each(['ftp://e:2379', 'https://e:0', 'https://e:65536', 'https://e:', 'https://e/v3', '::1', 'https://[nothost]:2379', 'http://', 'https://a b:2379'])(
    'refuses %j',
    (endpoint) => {
      expect(errorOf(() => parseEtcdEndpoints(`http://ok:2379,${endpoint}`)).message).toBe(`invalid etcd endpoint '${endpoint}'`)
    },
  )

  it('hides credentials of an endpoint in the error', () => {
    expect(errorOf(() => parseEtcdEndpoints('https://root:hunter2@e:2379')).message).toBe("invalid etcd endpoint 'https://xxxxx@e:2379'")
  })

  it('refuses endpoints together with SRV discovery, or no endpoints at all', () => {
    const both = { datastoreType: 'etcdv3', etcdEndpoints: 'http://e:2379', etcdDiscoverySrv: 'example.com' } as const
    expect(errorOf(() => validateEtcdConfig(both)).message).toBe(
      'multiple discovery or bootstrap options specified, use either "etcdEndpoints" or "etcdDiscoverySrv"',
    )
    expect(errorOf(() => validateEtcdConfig({ datastoreType: 'etcdv3' })).message).toBe('no etcd endpoints specified')
    expect(errorOf(() => validateEtcdConfig({ datastoreType: 'etcdv3', etcdEndpoints: ' , ' })).message).toBe('no etcd endpoints specified')
  })

  it('refuses mixed or incomplete TLS material', () => {
    const base = { datastoreType: 'etcdv3', etcdEndpoints: 'https://e:2379' } as const
    const pem = '-----BEGIN CERTIFICATE-----\nMIIsecret\n-----END CERTIFICATE-----'
    const mixed = errorOf(() => validateEtcdConfig({ ...base, etcdCert: pem, etcdKey: pem, etcdCACertFile: '/ca.pem' }))
    expect(mixed.message).toBe('Cannot mix inline certificate-key and certificate / key files')
    const caOnly = errorOf(() => validateEtcdConfig({ ...base, etcdCACert: pem }))
    expect(caOnly.message).toBe('could not initialize etcdv3 client: Certificate and Key must both be present inline.')
    expect(errorOf(() => validateEtcdConfig({ ...base, etcdCert: pem })).message).not.toContain('MIIsecret')
    expect(validateEtcdConfig({ ...base, etcdCert: pem, etcdKey: pem, etcdCACert: pem })).toHaveLength(1)
  })

  it('discovers endpoints through SRV records', async () => {
    const spec = { datastoreType: 'etcdv3', etcdDiscoverySrv: 'example.com' } as const
    const asked: string[] = []
    const endpoints = await resolveEtcdEndpoints(spec, async (name) => {
      asked.push(name)
      if (name.startsWith('_etcd-client-ssl.')) return [{ name: 'etcd1.example.com.', port: 2379 }]
      throw Object.assign(new Error('querySrv ENOTFOUND'), { code: 'ENOTFOUND' })
    })
    expect(asked).toEqual(['_etcd-client-ssl._tcp.example.com', '_etcd-client._tcp.example.com'])
    expect(endpoints.map((e) => e.url)).toEqual(['https://etcd1.example.com:2379'])
  })

  it('fails SRV discovery only when both lookups fail', async () => {
    const spec = { datastoreType: 'etcdv3', etcdDiscoverySrv: 'example.com' } as const
    const failing = async () => {
      throw Object.assign(new Error('querySrv ENOTFOUND'), { code: 'ENOTFOUND' })
    }
    await expect(resolveEtcdEndpoints(spec, failing)).rejects.toThrow(
      'failed to discover etcd endpoints through SRV discovery: dns lookup errors: lookup _etcd-client-ssl._tcp.example.com: no such host and lookup _etcd-client._tcp.example.com: no such host',
    )
    await expect(resolveEtcdEndpoints(spec, async () => [])).rejects.toThrow('no etcd endpoints specified')
  })
})

describe('redactConfig', () => {
  it('hides passwords, tokens, inline PEM and endpoint credentials, keeping the rest', () => {
    const spec: CalicoAPIConfigSpec = {
      datastoreType: 'etcdv3',
      etcdEndpoints: 'https://root:pw@e1:2379,https://e2:2379',
      etcdUsername: 'root',
      etcdPassword: 'pw',
      etcdKey: 'KEY',
      etcdCert: 'CERT',
      etcdCACert: 'CA',
      k8sAPIToken: 'TOKEN',
      kubeconfigInline: 'apiVersion: v1',
      etcdCACertFile: '/ca.pem',
    }
    expect(redactConfig(spec)).toEqual({
      datastoreType: 'etcdv3',
      etcdEndpoints: 'https://xxxxx@e1:2379,https://e2:2379',
      etcdUsername: 'root',
      etcdPassword: '<redacted>',
      etcdKey: '<redacted>',
      etcdCert: '<redacted>',
      etcdCACert: '<redacted>',
      k8sAPIToken: '<redacted>',
      kubeconfigInline: '<redacted>',
      etcdCACertFile: '/ca.pem',
    })
    expect(spec.etcdPassword).toBe('pw')
  })
})
