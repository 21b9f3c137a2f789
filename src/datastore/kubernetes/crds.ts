/**
 * The CustomResourceDefinitions of Calico's crd.projectcalico.org/v1 resources as the Kubernetes
 * datastore is written against them, generated from the schemas in `schemas/` and the CEL rules
 * below: names, group, scope and versions as Calico installs them; the OpenAPI v3 schema of the
 * targeted release (fields marked `x-since` a later release left out, which that release's API
 * server prunes); the schemas' constraints and defaults; and the CRDs' `x-kubernetes-validations`,
 * which the client checks itself only where no API server does (each kind's crdRules).
 */
import type { KindDefinition } from '../../resources/kind.js'
import { allKinds } from '../../resources/all-kinds.js'
import { resolveSchema, schemaFor, type SchemaNode } from '../../resources/schema.js'
import type { Resource } from '../../resources/types.js'
import { CALICO_VERSION, newerThan } from '../../version.js'

export const CRD_GROUP = 'crd.projectcalico.org'
export const CRD_VERSION = 'v1'

/** apiextensions.k8s.io/v1 JSONSchemaProps, as far as the generated schemas use it. */
export interface JSONSchemaProps {
  type?: string
  nullable?: boolean
  properties?: Record<string, JSONSchemaProps>
  additionalProperties?: JSONSchemaProps
  items?: JSONSchemaProps
  required?: string[]
  enum?: unknown[]
  allOf?: JSONSchemaProps[]
  default?: unknown
  format?: string
  pattern?: string
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  minItems?: number
  maxItems?: number
  minProperties?: number
  maxProperties?: number
  'x-kubernetes-int-or-string'?: boolean
  'x-kubernetes-preserve-unknown-fields'?: boolean
  'x-kubernetes-validations'?: ValidationRule[]
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map'
  'x-kubernetes-list-map-keys'?: string[]
  'x-kubernetes-map-type'?: 'atomic' | 'granular'
}

/** How the API server reports a failed rule: `Invalid value: "object": <message>`, `Forbidden: <message>`, `Required value: <message>`. */
export type RuleReason = 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired'

export interface ValidationRule {
  rule: string
  message: string
  reason: RuleReason
}

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1'
  kind: 'CustomResourceDefinition'
  metadata: { name: string; annotations?: Record<string, string> }
  spec: {
    group: string
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames?: string[] }
    scope: 'Namespaced' | 'Cluster'
    versions: Array<{
      name: string
      served: boolean
      storage: boolean
      schema: { openAPIV3Schema: JSONSchemaProps }
      additionalPrinterColumns?: Array<{ name: string; type: string; jsonPath: string }>
      subresources?: { status: Record<string, never> }
    }>
  }
}

/** A CEL rule and the release whose CRDs first have it (when later than the fields it reads). */
interface Rule extends ValidationRule {
  since?: string
}

const invalid = (rule: string, message: string, since?: string): Rule => ({ rule, message, reason: 'FieldValueInvalid', since })
const forbidden = (rule: string, message: string, since?: string): Rule => ({ rule, message, reason: 'FieldValueForbidden', since })
const required = (rule: string, message: string): Rule => ({ rule, message, reason: 'FieldValueRequired' })

/** `has(self.<field>) && self.<field> != ''` (or `size(...) > 0` for a list): the field holds something. */
const filled = (field: string, list = false): string => `(has(self.${field}) && ${list ? `size(self.${field}) > 0` : `self.${field} != ''`})`
const on = (field: string): string => `(has(self.${field}) && self.${field})`
/** An IPIP or VXLAN mode other than off. */
const encapsulating = (field: string): string => `(has(self.${field}) && !(self.${field} in ['', 'Never']))`
const uses = (use: string): string => `(has(self.allowedUses) && '${use}' in self.allowedUses)`
const noGlobal = (field: string, message: string): Rule => invalid(`!has(self.${field}) || !self.${field}.contains('global(')`, message)
const GLOBAL_SELECTOR = 'global() can only be used in an EntityRule namespaceSelector'
const isProtocol = (field: string, name: string, number: number): string => `(has(self.${field}) && (self.${field} == '${name}' || self.${field} == ${number}))`
const linkLocal = (range: string): Rule =>
  invalid(`!cidr('${range}').containsCIDR(self.cidr) && !cidr(self.cidr).containsCIDR('${range}')`, `IPPool CIDR overlaps with IPv${range.includes(':') ? 6 : 4} link local range ${range}`)
const address = (field: string, family: 4 | 6): Rule =>
  invalid(`!${filled(field)} || (isIP(self.${field}) && ip(self.${field}).family() == ${family})`, `${field} must be a valid IPv${family} address`)
const pinnedTier = (name: string, order: number, action: string): Rule[] => [
  invalid(`self.metadata.name != '${name}' || (has(self.spec.defaultAction) && self.spec.defaultAction == '${action}')`, `The '${name}' tier must have default action '${action}'`),
  invalid(`self.metadata.name != '${name}' || (has(self.spec.order) && self.spec.order == ${order.toFixed(1)})`, `${name} tier order must be ${order}`),
]

const IP_POOL_SPEC: Rule[] = [
  forbidden(`!(${encapsulating('ipipMode')} && ${encapsulating('vxlanMode')})`, 'ipipMode and vxlanMode cannot both be enabled'),
  forbidden(`!${uses('LoadBalancer')} || !(${encapsulating('ipipMode')} || ${encapsulating('vxlanMode')})`, 'LoadBalancer IP pool cannot have IPIP or VXLAN enabled'),
  forbidden(`!${uses('LoadBalancer')} || !self.allowedUses.exists(u, u == 'Workload' || u == 'Tunnel')`, 'LoadBalancer cannot be combined with Workload or Tunnel allowed uses'),
  forbidden(`!${encapsulating('ipipMode')} || cidr(self.cidr).ip().family() != 6`, 'IPIP is not supported on IPv6 pools'),
  forbidden(`!${uses('LoadBalancer')} || !${on('disableBGPExport')}`, 'LoadBalancer IP pools cannot disable BGP export'),
  invalid(`!${uses('LoadBalancer')} || (has(self.nodeSelector) && self.nodeSelector == 'all()')`, 'IP Pool with AllowedUse LoadBalancer must have nodeSelector set to all()'),
  forbidden(`!${uses('Tunnel')} || !${filled('namespaceSelector')}`, 'IP Pool with AllowedUse Tunnel cannot have namespaceSelector'),
  noGlobal('nodeSelector', 'global() selector is not valid for IPPool nodeSelector'),
  noGlobal('namespaceSelector', 'global() selector is not valid for IPPool namespaceSelector'),
  invalid('cidr(self.cidr).masked() == cidr(self.cidr)', 'IPPool CIDR must be strictly masked'),
  linkLocal('169.254.0.0/16'),
  linkLocal('fe80::/10'),
  invalid(
    `(has(self.blockSize) ? self.blockSize : 0) == 0 || (cidr(self.cidr).ip().family() == 6 ? (self.blockSize >= 116 && self.blockSize <= 128) : (self.blockSize >= 20 && self.blockSize <= 32))`,
    'blockSize must be between 20 and 32 for IPv4 pools, and between 116 and 128 for IPv6 pools',
  ),
  invalid(
    `${on('disabled')} || cidr(self.cidr).prefixLength() <= ((has(self.blockSize) && self.blockSize != 0) ? self.blockSize : (cidr(self.cidr).ip().family() == 6 ? 122 : 26))`,
    'IP pool size is too small for use with Calico IPAM. It must be equal to or greater than the block size.',
  ),
]

const BGP_PEER_SPEC: Rule[] = [
  forbidden(`!(${filled('node')} && ${filled('nodeSelector')})`, 'node and nodeSelector cannot both be set'),
  forbidden(`!(${filled('peerIP')} && ${filled('peerSelector')})`, 'peerIP and peerSelector cannot both be set'),
  forbidden(`!${filled('peerSelector')} || !has(self.asNumber) || self.asNumber == 0`, 'asNumber must be empty when peerSelector is set'),
  forbidden(`!(${filled('localWorkloadSelector')} && ${filled('peerIP')})`, 'peerIP must be empty when localWorkloadSelector is set'),
  forbidden(`!(${filled('localWorkloadSelector')} && ${filled('peerSelector')})`, 'peerSelector must be empty when localWorkloadSelector is set'),
  invalid(`!${filled('localWorkloadSelector')} || (has(self.asNumber) && self.asNumber != 0)`, 'asNumber is required when localWorkloadSelector is set'),
  forbidden(`!${filled('reachableBy')} || ${filled('peerIP')}`, 'reachableBy must be empty when peerIP is empty'),
  forbidden(
    `!(${on('keepOriginalNextHop')} && has(self.nextHopMode))`,
    'keepOriginalNextHop and nextHopMode cannot both be set; keepOriginalNextHop is deprecated, use nextHopMode instead',
  ),
]

const meshOnly = (field: string): Rule =>
  forbidden(`!has(self.${field}) || !has(self.nodeToNodeMeshEnabled) || self.nodeToNodeMeshEnabled`, `${field} cannot be set when nodeToNodeMeshEnabled is false`)

const BGP_FILTER_RULE: Rule[] = [
  invalid(`${filled('cidr')} == ${filled('matchOperator')}`, 'cidr and matchOperator must both be set or both be empty'),
  invalid(`!has(self.prefixLength) || ${filled('cidr')}`, 'cidr is required when prefixLength is set'),
  invalid(`!${filled('operations', true)} || self.action == 'Accept'`, 'operations may only be used with action Accept', 'v3.32'),
]

const POLICY_RULE: Rule[] = [
  invalid(`!has(self.http) || !has(self.protocol) || ${isProtocol('protocol', 'TCP', 6)}`, 'rules with HTTP match must have protocol TCP or unset'),
  forbidden(`!has(self.http) || self.action == 'Allow'`, 'HTTP match is only valid on Allow rules'),
  forbidden(
    `!has(self.destination) || !has(self.destination.services) || !(${filled('destination.ports', true)} || ${filled('destination.notPorts', true)})`,
    'ports and notPorts cannot be specified with services',
  ),
  invalid(`!has(self.icmp) || ${isProtocol('protocol', 'ICMP', 1)} || ${isProtocol('protocol', 'ICMPv6', 58)}`, 'ICMP fields require protocol to be ICMP or ICMPv6'),
  ...['protocol', 'notProtocol'].flatMap((field) => [
    invalid(`!${isProtocol(field, 'ICMP', 1)} || !has(self.ipVersion) || self.ipVersion == 4`, 'protocol ICMP requires ipVersion 4'),
    invalid(`!${isProtocol(field, 'ICMPv6', 58)} || !has(self.ipVersion) || self.ipVersion == 6`, 'protocol ICMPv6 requires ipVersion 6'),
  ]),
]

const ENTITY_RULE: Rule[] = [
  noGlobal('selector', GLOBAL_SELECTOR),
  forbidden(`!has(self.services) || !${filled('namespaceSelector')}`, 'cannot specify NamespaceSelector and Services on the same rule'),
  forbidden(`!has(self.services) || !has(self.serviceAccounts)`, 'cannot specify ServiceAccounts and Services on the same rule'),
  // A service without a name fails to evaluate (no such key), as Go leaves the empty name out.
  required(`!has(self.services) || self.services.name != ''`, 'services must specify a service name'),
  forbidden(`!has(self.services) || !(${filled('selector')} || ${filled('notSelector')})`, 'cannot specify Selector/NotSelector and Services on the same rule'),
  forbidden(`!has(self.services) || !(${filled('nets', true)} || ${filled('notNets', true)})`, 'cannot specify Nets/NotNets and Services on the same rule'),
]

const ICMP_FIELDS: Rule[] = [invalid('!has(self.code) || has(self.type)', 'ICMP code specified without an ICMP type')]

const NETWORK_POLICY_SPEC: Rule[] = [noGlobal('selector', GLOBAL_SELECTOR), noGlobal('serviceAccountSelector', GLOBAL_SELECTOR)]

const GLOBAL_NETWORK_POLICY_SPEC: Rule[] = [
  forbidden(`!(${on('doNotTrack')} && ${on('preDNAT')})`, 'preDNAT and doNotTrack cannot both be true'),
  forbidden(`!${on('preDNAT')} || !${filled('egress', true)}`, 'preDNAT policy cannot have any egress rules'),
  forbidden(`!${on('preDNAT')} || !(has(self.types) && 'Egress' in self.types)`, "preDNAT policy cannot have 'Egress' type"),
  invalid(`${on('applyOnForward')} || !(${on('doNotTrack')} || ${on('preDNAT')})`, 'applyOnForward must be true if either preDNAT or doNotTrack is true'),
  ...['selector', 'serviceAccountSelector', 'namespaceSelector'].map((field) => noGlobal(field, GLOBAL_SELECTOR)),
]

/**
 * The CRDs' rules per kind, by the place in the kind's schema they sit on (`` the object, `spec`,
 * `spec.routeTableRanges[]`); rules of a shared type sit on its definition wherever it is used.
 */
const RULES: Record<string, Record<string, Rule[]>> = {
  IPPool: {
    spec: IP_POOL_SPEC,
    // Transition rules: only an update has an old value to compare with.
    'spec.cidr': [invalid('self == oldSelf', 'CIDR cannot be changed; follow IP pool migration guide to avoid corruption.')],
    'spec.blockSize': [invalid('self == oldSelf', 'Block size cannot be changed; follow IP pool migration guide to avoid corruption.')],
  },
  BGPPeer: { spec: BGP_PEER_SPEC },
  BGPConfiguration: {
    spec: [
      meshOnly('nodeMeshPassword'),
      meshOnly('nodeMeshMaxRestartTime'),
      invalid(`!${filled('communities', true)} || ${filled('prefixAdvertisements', true)}`, 'communities are defined but not used in prefixAdvertisements'),
    ],
  },
  BGPFilter: Object.fromEntries(['exportV4', 'importV4', 'exportV6', 'importV6'].map((list) => [`spec.${list}[]`, BGP_FILTER_RULE])),
  FelixConfiguration: {
    '': [
      forbidden(
        `!(self.metadata.name == 'default' || self.metadata.name.startsWith('node.')) || !has(self.spec.nodeSelector)`,
        "nodeSelector must not be set on the 'default' or per-node ('node.*') FelixConfiguration",
        'v3.32',
      ),
    ],
    spec: [
      forbidden('!(has(self.routeTableRange) && has(self.routeTableRanges))', 'routeTableRange and routeTableRanges cannot both be set'),
      address('natOutgoingAddress', 4),
      address('deviceRouteSourceAddress', 4),
      address('deviceRouteSourceAddressIPv6', 6),
    ],
    'spec.routeTableRange': [invalid('self.min >= 1 && self.min <= self.max && self.max <= 250', 'must be a range of route table indices within 1..250')],
    'spec.routeTableRanges[]': [invalid('self.min >= 1', 'min must be >= 1'), invalid('self.min <= self.max', 'min must not be greater than max')],
  },
  HostEndpoint: {
    spec: [
      invalid(`${filled('interfaceName')} || ${filled('expectedIPs', true)}`, 'at least one of interfaceName or expectedIPs must be specified'),
      invalid(filled('node'), 'node must be specified'),
    ],
  },
  Tier: { '': [...pinnedTier('kube-admin', 1000, 'Pass'), ...pinnedTier('kube-baseline', 10000000, 'Pass'), ...pinnedTier('default', 1000000, 'Deny')] },
  NetworkPolicy: { spec: NETWORK_POLICY_SPEC },
  StagedNetworkPolicy: { spec: NETWORK_POLICY_SPEC },
  GlobalNetworkPolicy: { spec: GLOBAL_NETWORK_POLICY_SPEC },
  StagedGlobalNetworkPolicy: { spec: GLOBAL_NETWORK_POLICY_SPEC },
}

/** Rules of the shared policy types, by their `$ref`. */
const SHARED_RULES: Record<string, Rule[]> = {
  '/shared/policy.json#/definitions/Rule': POLICY_RULE,
  '/shared/policy.json#/definitions/EntityRule': ENTITY_RULE,
  '/shared/policy.json#/definitions/ICMPFields': ICMP_FIELDS,
}

/**
 * Spec fields of the v1 resources that differ from the v3 kind's: an IP pool's fields the v3 API
 * has no more (what Calico v2 wrote, converted on read by kdd.afterRead), and IPAMConfig, IPAM's
 * own type, without the v3 kind's defaults and with its own bound.
 */
const V1_SPEC: Record<string, Record<string, JSONSchemaProps>> = {
  IPPool: { ipip: { type: 'object', properties: { enabled: { type: 'boolean' }, mode: { type: 'string' } } }, 'nat-outgoing': { type: 'boolean' } },
  IPAMConfiguration: {
    strictAffinity: { type: 'boolean' },
    autoAllocateBlocks: { type: 'boolean' },
    maxBlocksPerHost: { type: 'integer', minimum: 0, maximum: 2147483647 },
  },
}

/** Kinds Calico keeps as crd.projectcalico.org custom resources (not Nodes, nor what Kubernetes objects stand for). */
function customResourceKinds(): KindDefinition[] {
  return allKinds().filter((k) => !schemaFor(k.kind)['x-no-crd'] && (k.kdd?.storage ?? 'custom-resource') === 'custom-resource')
}

const joinPath = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`)

/** One schema node as the CRD's structural schema has it, with the rules that sit on it. */
export function toOpenAPI(node: SchemaNode, path: string, rules: Record<string, Rule[]>, release: string): JSONSchemaProps {
  const schema = resolveSchema(node)
  const out: JSONSchemaProps = {}
  const all = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type]
  // Go writes a zero metav1.Time as null.
  const types = all.filter((t) => t !== 'null')
  if (types.length < all.length) out.nullable = true
  if (types.length === 2 && types.includes('integer') && types.includes('string')) out['x-kubernetes-int-or-string'] = true
  else if (types.length === 1) out.type = types[0]
  else out['x-kubernetes-preserve-unknown-fields'] = true
  if (schema.properties) {
    const properties: Record<string, JSONSchemaProps> = {}
    for (const [key, child] of Object.entries(schema.properties)) {
      if (newerThan(child['x-since'], release)) continue
      properties[key] = toOpenAPI(child, joinPath(path, key), rules, release)
    }
    out.properties = properties
    const kept = (schema.required as string[] | undefined)?.filter((key) => key in properties)
    if (kept?.length) out.required = kept
  } else if (typeof schema.additionalProperties === 'object') {
    out.additionalProperties = toOpenAPI(schema.additionalProperties, `${path}{}`, rules, release)
  } else if (out.type === 'object') {
    out['x-kubernetes-preserve-unknown-fields'] = true
  }
  if (schema.items) out.items = toOpenAPI(schema.items, `${path}[]`, rules, release)
  for (const keyword of STRUCTURE_KEYWORDS) if (schema[keyword] !== undefined) out[keyword] = structuredClone(schema[keyword]) as never
  Object.assign(out, valueValidations(schema))
  if (Array.isArray(schema.allOf)) out.allOf = (schema.allOf as SchemaNode[]).map(valueValidations)
  const validations = [...(node.$ref ? (SHARED_RULES[node.$ref] ?? []) : []), ...(rules[path] ?? [])].filter((r) => !newerThan(r.since, release))
  if (validations.length > 0) out['x-kubernetes-validations'] = validations.map(({ rule, message, reason }) => ({ rule, message, reason }))
  return out
}

/** How the API server merges and compares lists and maps (server-side apply, list-type uniqueness). */
const STRUCTURE_KEYWORDS = ['x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type'] as const
const VALUE_KEYWORDS = ['enum', 'default', 'format', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties'] as const

/** A node's constraints on its value (and default); the CRD's pattern where JavaScript's differs. */
function valueValidations(schema: SchemaNode): JSONSchemaProps {
  const out: Record<string, unknown> = {}
  for (const keyword of VALUE_KEYWORDS) if (schema[keyword] !== undefined) out[keyword] = structuredClone(schema[keyword])
  const pattern = schema['x-crd-pattern'] ?? schema.pattern
  if (typeof pattern === 'string') out.pattern = pattern
  return out
}

/** The kind's CRD as the given release has it (default: the release this calicoctl targets). */
export function customResourceDefinition(kind: KindDefinition, release = CALICO_VERSION): CustomResourceDefinition {
  const names = kind.kdd?.v1Names ?? { plural: kind.plural, kind: kind.kind }
  const root = schemaFor(kind.kind)
  const rules = RULES[kind.kind] ?? {}
  const properties: Record<string, JSONSchemaProps> = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } }
  for (const part of ['spec', 'status'] as const) {
    const node = root.properties?.[part]
    if (node && !newerThan(node['x-since'], release)) properties[part] = toOpenAPI(node, part, rules, release)
  }
  Object.assign(properties.spec?.properties ?? {}, V1_SPEC[kind.kind])
  const openAPIV3Schema: JSONSchemaProps = { type: 'object', properties }
  const rootRules = (rules[''] ?? []).filter((r) => !newerThan(r.since, release))
  if (rootRules.length > 0) openAPIV3Schema['x-kubernetes-validations'] = rootRules.map(({ rule, message, reason }) => ({ rule, message, reason }))
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${names.plural}.${CRD_GROUP}` },
    spec: {
      group: CRD_GROUP,
      names: { kind: names.kind, listKind: `${names.kind}List`, plural: names.plural, singular: names.kind.toLowerCase() },
      scope: kind.namespaced ? 'Namespaced' : 'Cluster',
      versions: [{ name: CRD_VERSION, served: true, storage: true, schema: { openAPIV3Schema } }],
    },
  }
}

/** Every Calico CRD of the release, sorted by name. */
export function customResourceDefinitions(release = CALICO_VERSION): CustomResourceDefinition[] {
  return customResourceKinds()
    .map((kind) => customResourceDefinition(kind, release))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
}

export interface NewerField {
  /** Where it is in the resource: `spec.bpfIPFragTimeout`, `spec.exportV4[0].operations`. */
  path: string
  since: string
}

/**
 * The fields `resource` sets that the release's CRDs do not have (marked `x-since` a later
 * release), which its API server would drop on write. A field Go leaves out (absent, null, or the
 * zero value of an omitempty field) is not set.
 */
export function fieldsNewerThan(kind: KindDefinition, resource: Resource, release = CALICO_VERSION): NewerField[] {
  const found: NewerField[] = []
  const visit = (value: unknown, node: SchemaNode | undefined, path: string) => {
    if (!node || value === null || typeof value !== 'object') return
    const schema = resolveSchema(node)
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, schema.items, `${path}[${i}]`))
      return
    }
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const childSchema = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined)
      if (!childSchema) continue
      const since = resolveSchema(childSchema)['x-since']
      if (newerThan(since, release) && !goLeavesOut(child, resolveSchema(childSchema))) found.push({ path: joinPath(path, key), since: since as string })
      else visit(child, childSchema, joinPath(path, key))
    }
  }
  visit({ spec: resource.spec, status: resource.status }, schemaFor(kind.kind), '')
  return found
}

/**
 * Whether the value is nothing to lose: absent, null, the zero Go writes without omitempty, an
 * omitempty zero, or a struct Go always writes holding nothing else.
 */
function goLeavesOut(value: unknown, schema: SchemaNode): boolean {
  if (value === undefined || value === null || value === schema['x-go-zero']) return true
  if (schema['x-go-struct'] && typeof value === 'object' && !Array.isArray(value))
    return Object.entries(value as Record<string, unknown>).every(([key, child]) => {
      const field = schema.properties?.[key]
      return field !== undefined && goLeavesOut(child, resolveSchema(field))
    })
  if (!schema['x-omitempty']) return false
  if (Array.isArray(value)) return value.length === 0
  if (typeof value === 'object') return Object.keys(value).length === 0
  return value === false || value === 0 || value === ''
}

/** A write refused for fields the CRDs do not have; `causeFields` tells where they are in the input. */
export class NewerFieldsError extends Error {
  constructor(
    message: string,
    readonly causeFields: string[],
  ) {
    super(message)
    this.name = 'NewerFieldsError'
  }
}

/**
 * Refuses to write a resource that sets fields the targeted release's CRDs do not have: its API
 * server would drop them without a word, and the resource stored would not be the one written.
 */
export function refuseNewerFields(kind: KindDefinition, resource: Resource, release = CALICO_VERSION): void {
  const newer = fieldsNewerThan(kind, resource, release)
  if (newer.length === 0) return
  const id = `${kind.kind}(${resource.metadata.namespace ? `${resource.metadata.namespace}/` : ''}${resource.metadata.name ?? ''})`
  const fields = newer.map((f) => `${f.path} (Calico ${f.since})`).join(', ')
  const [verb, pronoun] = newer.length === 1 ? ['is', 'it'] : ['are', 'them']
  throw new NewerFieldsError(
    `${id}: ${fields} ${verb} not in the Calico ${release} CRDs this calicoctl writes to; the Kubernetes API server would drop ${pronoun}`,
    newer.map((f) => f.path),
  )
}
