/**
 * Client configuration: `calicoctl.cfg` (YAML/JSON) or environment variables, never both, with the
 * defaults, strictness and error texts of libcalico-go's lib/apiconfig and calicoctl's clientmgr.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import yaml from 'js-yaml'
import { CommandError } from '../errors.js'
import { GO_YAML_SCHEMA } from '../manifest/go-yaml-schema.js'
import { decodeLikeGo, goError } from '../resources/go-decode.js'
import { objectMetaSchema, type SchemaNode } from '../resources/schema.js'
import { redactEndpoint } from './endpoints.js'
import { goQuote } from '../go-quote.js'

export {
  DEFAULT_ETCD_PORT,
  parseEtcdEndpoints,
  resolveEtcdEndpoints,
  validateEtcdConfig,
  type EtcdEndpoint,
  type SrvResolver,
} from './endpoints.js'

export type DatastoreType = 'etcdv3' | 'kubernetes'

export interface CalicoAPIConfigSpec {
  datastoreType: DatastoreType
  etcdEndpoints?: string
  etcdDiscoverySrv?: string
  etcdUsername?: string
  etcdPassword?: string
  etcdKeyFile?: string
  etcdCertFile?: string
  etcdCACertFile?: string
  etcdKey?: string
  etcdCert?: string
  etcdCACert?: string
  kubeconfig?: string
  kubeconfigInline?: string
  k8sAPIEndpoint?: string
  k8sKeyFile?: string
  k8sCertFile?: string
  k8sCAFile?: string
  k8sAPIToken?: string
  k8sInsecureSkipTLSVerify?: boolean
  k8sDisableNodePoll?: boolean
  usePodCIDR?: boolean
  k8sClientQPS?: number
  k8sClientBurst?: number
  k8sCurrentContext?: string
  calicoAPIGroup?: string
}

export const DEFAULT_CONFIG_PATH = '/etc/calico/calicoctl.cfg'

export interface LoadOptions {
  /** The `-c/--config` value; undefined or '' means DEFAULT_CONFIG_PATH. */
  path?: string
  /** Environment to read (default process.env); also supplies HOME. */
  env?: NodeJS.ProcessEnv
  /** Overrides env.HOME for the `$HOME/.kube/config` default. */
  home?: string
  /** Stat check for the config file and the default kubeconfig (default fs.existsSync). */
  fileExists?: (path: string) => boolean
}

/** Named as Go names the field types, since error texts print them. */
type FieldType = 'string' | 'bool' | 'float32' | 'int'
type SpecField = keyof CalicoAPIConfigSpec

interface FieldDef {
  name: SpecField
  type: FieldType
  /** Variable name; also looked up with the CALICO_ prefix first. Absent: settable in the file only. */
  env?: string
  /** Only the CALICO_-prefixed name counts (k8sAPIToken has no envconfig alias upstream). */
  prefixedOnly?: boolean
}

/** In upstream struct order, which decides which bad env variable is reported first. */
const FIELDS: FieldDef[] = [
  { name: 'datastoreType', type: 'string', env: 'DATASTORE_TYPE' },
  { name: 'etcdEndpoints', type: 'string', env: 'ETCD_ENDPOINTS' },
  { name: 'etcdDiscoverySrv', type: 'string', env: 'ETCD_DISCOVERY_SRV' },
  { name: 'etcdUsername', type: 'string', env: 'ETCD_USERNAME' },
  { name: 'etcdPassword', type: 'string', env: 'ETCD_PASSWORD' },
  { name: 'etcdKeyFile', type: 'string', env: 'ETCD_KEY_FILE' },
  { name: 'etcdCertFile', type: 'string', env: 'ETCD_CERT_FILE' },
  { name: 'etcdCACertFile', type: 'string', env: 'ETCD_CA_CERT_FILE' },
  { name: 'etcdKey', type: 'string' },
  { name: 'etcdCert', type: 'string' },
  { name: 'etcdCACert', type: 'string' },
  { name: 'kubeconfig', type: 'string', env: 'KUBECONFIG' },
  { name: 'k8sAPIEndpoint', type: 'string', env: 'K8S_API_ENDPOINT' },
  { name: 'k8sKeyFile', type: 'string', env: 'K8S_KEY_FILE' },
  { name: 'k8sCertFile', type: 'string', env: 'K8S_CERT_FILE' },
  { name: 'k8sCAFile', type: 'string', env: 'K8S_CA_FILE' },
  { name: 'k8sAPIToken', type: 'string', env: 'K8SAPITOKEN', prefixedOnly: true },
  { name: 'k8sInsecureSkipTLSVerify', type: 'bool', env: 'K8S_INSECURE_SKIP_TLS_VERIFY' },
  { name: 'k8sDisableNodePoll', type: 'bool', env: 'K8S_DISABLE_NODE_POLL' },
  { name: 'usePodCIDR', type: 'bool', env: 'USE_POD_CIDR' },
  { name: 'kubeconfigInline', type: 'string' },
  { name: 'k8sClientQPS', type: 'float32', env: 'K8S_CLIENT_QPS' },
  { name: 'k8sClientBurst', type: 'int', env: 'K8S_CLIENT_BURST' },
  { name: 'k8sCurrentContext', type: 'string', env: 'K8S_CURRENT_CONTEXT' },
  { name: 'calicoAPIGroup', type: 'string', env: 'CALICO_API_GROUP' },
]


/** Secret-bearing fields, replaced in redactConfig output. */
const SECRET_FIELDS: SpecField[] = ['etcdPassword', 'k8sAPIToken', 'etcdKey', 'etcdCert', 'etcdCACert', 'kubeconfigInline']

type RawSpec = Partial<Record<SpecField, string | boolean | number>>

// ---------------------------------------------------------------------------------------------
// Go strconv parsers (envconfig uses ParseBool, ParseFloat(_, 32) and ParseInt(_, 0, 64)).


function parseGoBool(v: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false
  throw new Error(`strconv.ParseBool: parsing ${goQuote(v)}: invalid syntax`)
}

/** Decimal, inf/infinity and nan forms; Go's rarely used hexadecimal floats are not accepted. */
function parseGoFloat32(v: string): number {
  const special = /^([+-]?)(inf|infinity)$/i.exec(v)
  let n: number
  if (special) n = special[1] === '-' ? -Infinity : Infinity
  else if (/^nan$/i.test(v)) n = NaN
  else if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) n = Number(v)
  else throw new Error(`strconv.ParseFloat: parsing ${goQuote(v)}: invalid syntax`)
  if (Number.isFinite(n) && !Number.isFinite(Math.fround(n))) throw new Error(`strconv.ParseFloat: parsing ${goQuote(v)}: value out of range`)
  return n
}

/** Base 0: 0x/0o/0b prefixes, a leading 0 means octal, `_` allowed between digits. */
function parseGoInt(v: string): number {
  const m = /^([+-]?)(0[xX](?:_?[0-9a-fA-F])+|0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0(?:_?[0-7])*|[1-9](?:_?[0-9])*)$/.exec(v)
  if (!m) throw new Error(`strconv.ParseInt: parsing ${goQuote(v)}: invalid syntax`)
  const digits = m[2].replace(/_/g, '')
  const magnitude = BigInt(/^0[0-7]/.test(digits) ? `0o${digits.slice(1)}` : digits)
  const value = m[1] === '-' ? -magnitude : magnitude
  if (value > 2n ** 63n - 1n || value < -(2n ** 63n)) throw new Error(`strconv.ParseInt: parsing ${goQuote(v)}: value out of range`)
  return Number(value)
}

const ENV_PARSERS: Record<FieldType, (v: string) => string | boolean | number> = {
  string: (v) => v,
  bool: parseGoBool,
  float32: parseGoFloat32,
  int: parseGoInt,
}

// ---------------------------------------------------------------------------------------------
// Environment mode (kelseyhightower/envconfig with prefix "calico").

function specFromEnv(env: NodeJS.ProcessEnv): RawSpec {
  const spec: RawSpec = {}
  for (const field of FIELDS) {
    if (!field.env) continue
    const key = `CALICO_${field.env}`
    // A variable that is set, even to '', wins over the unprefixed one.
    const value = key in env ? env[key] : field.prefixedOnly ? undefined : env[field.env]
    if (value === undefined) continue
    try {
      spec[field.name] = ENV_PARSERS[field.type](value)
    } catch (err) {
      // Only bool/number fields can fail, so the echoed value is never a secret.
      throw new CommandError(
        `failed to load config from env vars: envconfig.Process: assigning ${key} to ${field.env}: ` +
          `converting '${value}' to type ${field.type}. details: ${(err as Error).message}`,
      )
    }
  }
  return spec
}

// ---------------------------------------------------------------------------------------------
// File mode (sigs.k8s.io/yaml UnmarshalStrict: YAML 1.1 via go-yaml v2, then strict encoding/json).


/** Go's type of a spec field, for the decoder's texts. */
const GO_TYPES: Record<FieldType, SchemaNode> = {
  string: { type: 'string' },
  bool: { type: 'boolean' },
  float32: { type: 'number', 'x-go-type': 'float32' },
  int: { type: 'integer', 'x-go-type': 'int' },
}

let configSchema: SchemaNode | undefined

/** apiconfig.CalicoAPIConfig as encoding/json sees it (metadata is an ObjectMeta, decoded and ignored). */
function calicoAPIConfigSchema(): SchemaNode {
  configSchema ??= {
    type: 'object',
    'x-go-type': 'apiconfig.CalicoAPIConfig',
    additionalProperties: false,
    properties: {
      kind: { type: 'string' },
      apiVersion: { type: 'string' },
      metadata: objectMetaSchema(),
      spec: {
        type: 'object',
        'x-go-type': 'apiconfig.CalicoAPIConfigSpec',
        additionalProperties: false,
        properties: Object.fromEntries(
          FIELDS.map((f) => [f.name, f.name === 'datastoreType' ? { type: 'string', 'x-go-type': 'apiconfig.DatastoreType' } : GO_TYPES[f.type]]),
        ),
      },
    },
  }
  return configSchema
}

/** Parses file content the way LoadClientConfigFromBytes does; errors lack the file-name prefix. */
function specFromBytes(text: string): RawSpec {
  let doc: unknown
  try {
    // go-yaml decodes only the first document of a stream.
    doc = yaml.loadAll(text, undefined, { schema: GO_YAML_SCHEMA })[0] ?? null
  } catch (err) {
    // js-yaml's own message quotes the offending lines, which could hold a password: keep only reason and line.
    const e = err as yaml.YAMLException
    throw new Error(`failed to parse config as YAML/JSON: yaml: line ${e.mark ? e.mark.line + 1 : 0}: ${e.reason}`)
  }
  const decoded = decodeLikeGo(doc, calicoAPIConfigSchema())
  const failure = goError(decoded.problems)
  if (failure) throw new Error(`failed to parse config as YAML/JSON: error unmarshaling JSON: while decoding JSON: ${failure.message}`)
  const { apiVersion = '', kind = '', spec = {} } = (decoded.value ?? {}) as { apiVersion?: string; kind?: string; spec?: RawSpec }
  if (apiVersion !== 'projectcalico.org/v3') throw new Error(`invalid config file: unknown APIVersion '${apiVersion}'`)
  if (kind !== 'CalicoAPIConfig') throw new Error(`invalid config file: expected kind 'CalicoAPIConfig', got '${kind}'`)
  return spec
}

/** Go's os.ReadFile error texts for the failures a user can hit after a successful stat. */
function readConfigFile(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EISDIR') throw new CommandError(`read ${path}: is a directory`)
    if (code === 'EACCES') throw new CommandError(`open ${path}: permission denied`)
    throw new CommandError(`open ${path}: ${(err as Error).message}`)
  }
}

// ---------------------------------------------------------------------------------------------

function applyDefaults(raw: RawSpec, home: string | undefined, fileExists: (p: string) => boolean): CalicoAPIConfigSpec {
  const spec: Record<string, unknown> = {}
  // Go cannot tell an empty string from an unset one; drop empties so `if (spec.x)` and `??` agree.
  for (const [k, v] of Object.entries(raw)) if (v !== '') spec[k] = v
  const datastoreType = (spec.datastoreType as string | undefined) ?? (spec.etcdEndpoints ? 'etcdv3' : 'kubernetes')
  if (datastoreType !== 'etcdv3' && datastoreType !== 'kubernetes') throw new CommandError(`unknown datastore type: ${datastoreType}`)
  spec.datastoreType = datastoreType
  if (datastoreType === 'kubernetes' && !spec.kubeconfig && !spec.k8sAPIEndpoint && home) {
    const kubeconfig = join(home, '.kube', 'config')
    if (fileExists(kubeconfig)) spec.kubeconfig = kubeconfig
  }
  return spec as unknown as CalicoAPIConfigSpec
}

/**
 * Loads the client configuration as calicoctl does: from the `-c` file when it exists, otherwise
 * (default path only) from the environment. Throws CommandError with calicoctl's texts.
 */
export function loadClientConfig(opts: LoadOptions = {}): CalicoAPIConfigSpec {
  const env = opts.env ?? process.env
  const fileExists = opts.fileExists ?? existsSync
  const path = opts.path || DEFAULT_CONFIG_PATH
  let raw: RawSpec
  if (fileExists(path)) {
    try {
      raw = specFromBytes(readConfigFile(path))
    } catch (err) {
      if (err instanceof CommandError) throw err
      throw new CommandError(`syntax error in ${path}: ${(err as Error).message}`)
    }
  } else if (path !== DEFAULT_CONFIG_PATH) {
    throw new CommandError(`Error reading config file: ${path}`, 'stdout')
  } else {
    raw = specFromEnv(env)
  }
  return applyDefaults(raw, opts.home ?? env.HOME, fileExists)
}

/** A copy safe for debug logs: secrets and inline PEM replaced, endpoint credentials hidden. */
export function redactConfig(spec: CalicoAPIConfigSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { ...spec }
  for (const field of SECRET_FIELDS) if (out[field]) out[field] = '<redacted>'
  if (spec.etcdEndpoints) out.etcdEndpoints = spec.etcdEndpoints.split(',').map(redactEndpoint).join(',')
  return out
}
