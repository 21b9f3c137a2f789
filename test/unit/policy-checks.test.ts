import { describe, expect, it } from 'vitest'
import type { Datastore } from '../../src/datastore/types.js'
import { NotFoundError, ValidationError, type FieldError } from '../../src/errors.js'
import {
  checkGlobalNetworkPolicy,
  crdRulesGlobalNetworkPolicy,
  crdRulesNetworkPolicy,
  checkNetworkPolicy,
  checkProfile,
  policyTierExists,
} from '../../src/resources/policy-checks.js'
import { defaultResource } from '../../src/client/calico-client.js'
import type { KindDefinition } from '../../src/resources/kind.js'
import { kindByKind } from '../../src/resources/all-kinds.js'
import type { Resource } from '../../src/resources/types.js'

type Spec = Record<string, unknown>

const np = (spec: Spec, name = 'allow-dns', labels?: Record<string, string>): Resource => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: 'shop', ...(labels ? { labels } : {}) },
  spec,
})
const gnp = (spec: Spec, name = 'host-protection'): Resource => ({ apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name }, spec })
const profile = (spec: Spec): Resource => ({ apiVersion: 'projectcalico.org/v3', kind: 'Profile', metadata: { name: 'dev' }, spec })

/** The defaults a write gives the resource: Go's form of its rules, the client's, then the CRD's. */
const defaultPolicy = (resource: Resource): Resource => defaultResource(kindByKind(resource.kind) as KindDefinition, resource)
const defaultProfile = defaultPolicy

/** What the client validates after defaulting: the Go validator's findings, then the CRD's CEL rules'. */
function npProblems(spec: Spec, name?: string): FieldError[] {
  const resource = np(spec, name)
  defaultPolicy(resource)
  return [...checkNetworkPolicy(resource), ...crdRulesNetworkPolicy(resource)]
}
function gnpProblems(spec: Spec, name?: string): FieldError[] {
  const resource = gnp(spec, name)
  defaultPolicy(resource)
  return [...checkGlobalNetworkPolicy(resource), ...crdRulesGlobalNetworkPolicy(resource)]
}

const allowDNS = {
  action: 'Allow',
  protocol: 'UDP',
  destination: { selector: "k8s-app == 'kube-dns'", namespaceSelector: "projectcalico.org/name == 'kube-system'", ports: [53] },
}
const fromBackend = {
  action: 'Allow',
  protocol: 'TCP',
  source: { namespaceSelector: "kubernetes.io/metadata.name == 'backend'" },
  destination: { ports: [5432] },
}
const ping = { action: 'Allow', protocol: 'ICMP', icmp: { type: 8, code: 0 } }

describe('defaultPolicy', () => {
  it('sets the tier, its label and Egress for a DNS egress policy', () => {
    const resource = np({ selector: 'all()', egress: [{ ...allowDNS, destination: { ...allowDNS.destination, ports: ['53'] } }] }, 'allow-dns', { team: 'web' })
    defaultPolicy(resource)
    expect(resource.metadata.labels).toEqual({ team: 'web', 'projectcalico.org/tier': 'default' })
    expect(resource.spec).toEqual({
      selector: 'all()',
      egress: [{ ...allowDNS, destination: { ...allowDNS.destination, ports: [53] } }],
      types: ['Egress'],
      tier: 'default',
    })
  })

  it.each([
    [{}, ['Ingress']],
    [{ ingress: [ping] }, ['Ingress']],
    [{ egress: [allowDNS] }, ['Egress']],
    [{ ingress: [ping], egress: [allowDNS] }, ['Ingress', 'Egress']],
    [{ ingress: [], egress: [] }, ['Ingress']],
    [{ egress: [allowDNS], types: ['Ingress'] }, ['Ingress']],
  ])('defaults types of %j to %j', (spec, types) => {
    const resource = np(spec)
    defaultPolicy(resource)
    expect(resource.spec?.types).toEqual(types)
  })

  it('labels a policy with its own tier, replacing a stale label', () => {
    const resource = gnp({ tier: 'security', order: 10 })
    resource.metadata.labels = { 'projectcalico.org/tier': 'default' }
    defaultPolicy(resource)
    expect(resource.metadata.labels).toEqual({ 'projectcalico.org/tier': 'security' })
    expect(resource.spec?.tier).toBe('security')
  })

  it('treats an empty tier as the default tier', () => {
    const resource = gnp({ tier: '' })
    defaultPolicy(resource)
    expect(resource.spec?.tier).toBe('default')
    expect(resource.metadata.labels).toEqual({ 'projectcalico.org/tier': 'default' })
  })

  it('stores ports and protocols as upstream decodes them', () => {
    const rule = {
      action: 'Allow',
      protocol: '6',
      notProtocol: 'tcp',
      source: { ports: ['0080', '80:80', '8000:8080', 'http', '8080:8000'] },
      destination: { notPorts: ['443', 9090] },
    }
    const resource = np({ ingress: [rule] })
    defaultPolicy(resource)
    expect((resource.spec?.ingress as Spec[])[0]).toEqual({
      action: 'Allow',
      protocol: 6,
      notProtocol: 'tcp',
      source: { ports: [80, 80, '8000:8080', 'http', '8080:8000'] },
      destination: { notPorts: [443, 9090] },
    })
  })

  it('normalises profile rules too', () => {
    const resource = profile({ ingress: [{ action: 'Allow', protocol: '17', destination: { ports: ['53'] } }] })
    defaultProfile(resource)
    expect(resource.spec).toEqual({ ingress: [{ action: 'Allow', protocol: 17, destination: { ports: [53] } }] })
  })
})

describe('NetworkPolicy names', () => {
  it.each(['allow-dns', 'security.allow-dns', 'knp.default.allow.from.backend', 'ossg.default.web.x', 'a'])('accepts %s', (name) =>
    expect(npProblems({}, name)).toEqual([]),
  )

  const labelReason = "name must consist of lower case alphanumeric characters or '-' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?)"
  it.each(['Allow-DNS', 'a.b.c', 'allow..dns', 'allow_dns', '-allow', ''])('rejects %j', (name) =>
    expect(npProblems({}, name)).toEqual([{ name: 'Metadata.Name', value: name, reason: labelReason }]),
  )

  it('counts the length in bytes', () => {
    expect(npProblems({}, 'a'.repeat(254))).toEqual([{ name: 'Metadata.Name', value: 'a'.repeat(254), reason: 'name is too long by 1 bytes' }])
  })
})

describe('GlobalNetworkPolicy names', () => {
  it.each(['host-protection', 'security.host-protection'])('accepts %s', (name) => expect(gnpProblems({}, name)).toEqual([]))
  it.each(['a.b.c', 'knp.default.x', 'Host'])('rejects %s', (name) =>
    expect(gnpProblems({}, name)).toEqual([
      { name: 'Metadata.Name', value: name, reason: "name must consist of lower case alphanumeric characters or '-' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?)" },
    ]),
  )
})

describe('NetworkPolicy checks', () => {
  it.each([
    ['allow DNS egress to kube-dns', { selector: 'all()', egress: [allowDNS] }],
    ['deny all ingress except from the backend namespace', { selector: "app == 'db'", types: ['Ingress'], ingress: [fromBackend] }],
    ['ping', { ingress: [ping, { action: 'Allow', protocol: 'ICMPv6', ipVersion: 6, icmp: { type: 128 } }] }],
    ['a port range', { ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: ['8000:8080', 'http-alt'] } }] }],
    ['named ports without a protocol', { ingress: [{ action: 'Allow', destination: { ports: ['metrics'] } }] }],
    ['numeric protocols', { ingress: [{ action: 'Allow', protocol: 132, source: { notPorts: [9] } }, { action: 'Allow', protocol: 1, ipVersion: 4 }] }],
    ['nets of one family', { egress: [{ action: 'Deny', ipVersion: 4, destination: { nets: ['169.254.169.254/32', '10.0.0.0/8'], notNets: ['10.1.0.0/16'] } }] }],
    ['global() as a namespace selector', { ingress: [{ action: 'Allow', source: { namespaceSelector: 'global()', selector: "role == 'monitoring'" } }] }],
    ['a service destination', { egress: [{ action: 'Allow', destination: { services: { name: 'kubernetes', namespace: 'default' } } }] }],
    ['HTTP matches on ingress', { ingress: [{ action: 'Allow', protocol: 'TCP', http: { methods: ['GET', 'HEAD'], paths: [{ prefix: '/api' }] } }] }],
    ['service accounts', { ingress: [{ action: 'Allow', source: { serviceAccounts: { names: ['api'], selector: "team == 'web'" } } }] }],
  ])('accepts %s', (_, spec) => expect(npProblems(spec)).toEqual([]))

  const ingress = (rule: Spec): Spec => ({ ingress: [{ action: 'Allow', ...rule }] })
  const egress = (rule: Spec): Spec => ({ egress: [{ action: 'Allow', ...rule }] })
  const tag = (field: string, value: string, t: string): FieldError => ({
    name: field,
    value,
    reason: `Reason: failed to validate Field: ${field} because of Tag: ${t} `,
  })

  it.each<[string, Spec, FieldError[]]>([
    ['a tier that is no name', { tier: 'Net_Sec' }, [tag('Tier', 'Net_Sec', 'name')]],
    ['a broken policy selector', { selector: "app == 'web" }, [tag('Selector', "app == 'web", 'selector')]],
    ['a broken service account selector', { serviceAccountSelector: 'has(' }, [tag('ServiceAccountSelector', 'has(', 'selector')]],
    ['global() as the policy selector', { selector: 'global()' }, [{ name: 'spec', reason: 'global() can only be used in an EntityRule namespaceSelector' }]],
    ['repeated performance hints', { performanceHints: ['AssumeNeededOnEveryNode', 'AssumeNeededOnEveryNode'] }, [tag('PerformanceHints', '[AssumeNeededOnEveryNode AssumeNeededOnEveryNode]', 'unique')]],
    [
      'numeric ports without a protocol',
      ingress({ destination: { ports: [5432, 'metrics'] } }),
      [{ name: 'Destination.Ports', value: '[5432 metrics]', reason: 'rules with numeric port or port range must set protocol to TCP or UDP or SCTP' }],
    ],
    [
      'ports with ICMP',
      ingress({ protocol: 'ICMP', source: { notPorts: ['8000:8080'] }, destination: { ports: ['http'] } }),
      [
        { name: 'Source.NotPorts', value: '[8000:8080]', reason: 'rules that specify ports must set protocol to TCP or UDP or SCTP' },
        { name: 'Destination.Ports', value: '[http]', reason: 'rules that specify ports must set protocol to TCP or UDP or SCTP' },
      ],
    ],
    ['a lower-case protocol', ingress({ protocol: 'tcp', destination: { ports: [80] } }), [{ name: 'Protocol', value: 'tcp', reason: 'protocol name invalid' }]],
    ['protocol 0', ingress({ notProtocol: 0 }), [{ name: 'Protocol', value: '0', reason: 'protocol number invalid' }]],
    ['port 0', ingress({ protocol: 'TCP', destination: { ports: ['0:100'] } }), [{ name: 'Port', value: '0', reason: 'port range invalid, port number must be between 1 and 65535' }]],
    ['a port name Kubernetes rejects', ingress({ protocol: 'TCP', destination: { ports: ['HTTP'] } }), [tag('PortName', 'HTTP', 'portName')]],
    ['a net with host bits', ingress({ source: { nets: ['10.0.0.0/8', '10.1.2.3/16'] } }), [tag('Nets[1]', '10.1.2.3/16', 'net')]],
    ['a bare address as a net', egress({ destination: { notNets: ['192.168.0.1'] } }), [{ name: 'Destination.NotNets', value: '192.168.0.1', reason: 'invalid CIDR' }]],
    [
      'a net that is no address',
      ingress({ source: { nets: ['office'] } }),
      [tag('Nets[0]', 'office', 'net'), { name: 'Source.Nets', value: 'office', reason: 'invalid CIDR' }],
    ],
    [
      'everything negated',
      egress({ destination: { notNets: ['0.0.0.0/0'] } }),
      [{ name: 'Destination.NotNets', value: '0.0.0.0/0', reason: 'catch-all CIDR in negation creates logical contradiction (matches no traffic)' }],
    ],
    [
      'IPv4 nets in an IPv6 rule (upstream shows the source nets)',
      egress({ ipVersion: 6, destination: { nets: ['10.0.0.0/8'] } }),
      [{ name: 'Destination.Nets', value: '[]', reason: "rule IP version doesn't match CIDR version" }],
    ],
    [
      'nets of both families',
      ingress({ source: { nets: ['10.0.0.0/8'] }, destination: { nets: ['fd00::/64'] } }),
      [{ name: 'Destination.Nets', value: '[fd00::/64]', reason: 'rule contains both IPv4 and IPv6 CIDRs' }],
    ],
    ['an ICMP code without a type', ingress({ protocol: 'ICMP', icmp: { code: 0 } }), [{ name: 'spec.ingress[0].icmp', reason: 'ICMP code specified without an ICMP type' }]],
    ['ICMP fields on a TCP rule', ingress({ protocol: 'TCP', icmp: { type: 8 } }), [{ name: 'spec.ingress[0]', reason: 'ICMP fields require protocol to be ICMP or ICMPv6' }]],
    ['ICMP fields without a protocol', ingress({ notICMP: { type: 8 }, icmp: { type: 8 } }), [{ name: 'spec.ingress[0]', reason: 'ICMP fields require protocol to be ICMP or ICMPv6' }]],
    ['ICMPv6 in an IPv4 rule', ingress({ protocol: 'ICMPv6', ipVersion: 4 }), [{ name: 'spec.ingress[0]', reason: 'protocol ICMPv6 requires ipVersion 6' }]],
    ['not ICMP in an IPv6 rule', ingress({ notProtocol: 1, ipVersion: 6 }), [{ name: 'spec.ingress[0]', reason: 'protocol ICMP requires ipVersion 4' }]],
    [
      'HTTP on a UDP deny rule',
      { ingress: [{ action: 'Deny', protocol: 'UDP', http: { methods: ['GET'] } }] },
      [
        { name: 'spec.ingress[0]', reason: 'rules with HTTP match must have protocol TCP or unset' },
        { name: 'spec.ingress[0]', reason: 'HTTP match is only valid on Allow rules' },
      ],
    ],
    [
      'repeated HTTP methods and a bad path',
      ingress({ http: { methods: ['GET', 'GET'], paths: [{ exact: '/a', prefix: '/b' }] } }),
      [
        { name: 'Methods', value: '[GET GET]', reason: 'Invalid methods (duplicates): [GET GET]' },
        { name: 'Paths', value: '[{/a /b}]', reason: "Invalid path match. Both 'exact' and 'prefix' are set" },
      ],
    ],
    ['an HTTP path with a query', ingress({ http: { paths: [{ exact: '/a?b' }] } }), [{ name: 'Paths', value: '[{/a?b }]', reason: 'Invalid path /a?b. (must start with `/` and not contain `?` or `#`' }]],
    ['HTTP on egress', egress({ http: { methods: ['GET'] } }), [{ name: 'HTTP', value: '&{[GET] []}', reason: 'not allowed in egress rule' }]],
    [
      'global() in an entity selector',
      ingress({ source: { selector: 'global()' } }),
      [{ name: 'spec.ingress[0].source', reason: 'global() can only be used in an EntityRule namespaceSelector' }],
    ],
    [
      'global() combined with another namespace selector',
      ingress({ source: { namespaceSelector: "global() && env == 'prod'" } }),
      [{ name: 'NamespaceSelector field', value: "global() && env == 'prod'", reason: 'global() cannot be combined with other selectors' }],
    ],
    ['broken entity selectors', egress({ destination: { notSelector: 'a ==', serviceAccounts: { selector: '!' } } }), [tag('NotSelector', 'a ==', 'selector'), tag('Selector', '!', 'selector')]],
    [
      'a service next to a selector',
      egress({ destination: { services: { name: 'web', namespace: 'shop' }, selector: "app == 'web'", ports: [80] }, protocol: 'TCP' }),
      [
        { name: 'spec.egress[0]', reason: 'ports and notPorts cannot be specified with services' },
        { name: 'spec.egress[0].destination', reason: 'cannot specify Selector/NotSelector and Services on the same rule' },
      ],
    ],
    [
      'a service without a name',
      egress({ destination: { services: { namespace: 'shop' }, nets: ['10.0.0.0/8'] } }),
      [
        { name: 'spec.egress[0].destination', reason: 'no such key: name evaluating rule: services must specify a service name' },
        { name: 'spec.egress[0].destination', reason: 'cannot specify Nets/NotNets and Services on the same rule' },
      ],
    ],
    [
      'a service with namespace selector and service accounts',
      egress({ destination: { services: { name: 'web' }, namespaceSelector: 'all()', serviceAccounts: { names: ['api'] } } }),
      [
        { name: 'spec.egress[0].destination', reason: 'cannot specify NamespaceSelector and Services on the same rule' },
        { name: 'spec.egress[0].destination', reason: 'cannot specify ServiceAccounts and Services on the same rule' },
      ],
    ],
    ['a service name that is no name', egress({ destination: { services: { name: 'Web', namespace: 'shop' } } }), [tag('Name', 'Web', 'name')]],
    ['a service as an ingress destination', ingress({ destination: { services: { name: 'web', namespace: 'shop' } } }), [{ name: 'Services', value: '&{web shop}', reason: 'not allowed in ingress rule destination' }]],
    ['a service as an egress source', egress({ source: { services: { name: 'web' } } }), [{ name: 'Services', value: '&{web }', reason: 'not allowed in egress rule source' }]],
    [
      'a rule annotation key Kubernetes rejects',
      ingress({ metadata: { annotations: { 'bad key': 'x' } } }),
      [
        {
          name: 'Metadata.Annotations (key)',
          value: 'bad key',
          reason:
            "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        },
      ],
    ],
  ])('reports %s', (_, spec, expected) => expect(npProblems(spec)).toEqual(expected))

  it('reports bad labels a second time, as the policy validator checks them again', () => {
    const resource = np({}, 'allow-dns', { tier: 'not valid' })
    defaultPolicy(resource)
    expect(checkNetworkPolicy(resource)).toEqual([
      {
        name: 'Metadata.Labels (value)',
        value: 'not valid',
        reason:
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      },
    ])
  })

  it('reports rule problems before name and CEL problems, as calicoctl prints them', () => {
    const problems = npProblems(
      { ingress: [{ action: 'Allow', destination: { ports: [443] } }], egress: [{ action: 'Allow', protocol: 'ICMP', icmp: { code: 1 } }] },
      'Allow-HTTPS',
    )
    expect(new ValidationError(problems).message).toBe(
      'error with the following fields:\n' +
        "-  Destination.Ports = '[443]' (rules with numeric port or port range must set protocol to TCP or UDP or SCTP)\n" +
        "-  Metadata.Name = 'Allow-HTTPS' (name must consist of lower case alphanumeric characters or '-' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?))\n" +
        '-  spec.egress[0].icmp (ICMP code specified without an ICMP type)\n',
    )
  })

  it("limits a rule's annotations to 256 KiB of keys and values together, as Kubernetes does", () => {
    const sized = (bytes: number) => ingress({ metadata: { annotations: { note: 'x'.repeat(bytes - 'note'.length) } } })
    expect(npProblems(sized(256 * 1024))).toEqual([])
    const tooLarge = npProblems(sized(256 * 1024 + 3)).map(({ name, reason }) => ({ name, reason }))
    expect(tooLarge).toEqual([{ name: 'Metadata.Annotations (key)', reason: 'total size of annotations is too large by 3 bytes' }])
  })

  it('reports the repeated metadata checks annotations first, as validateObjectMetaAnnotations runs before the labels', () => {
    const resource = np({}, 'allow-dns', { tier: 'not valid' })
    resource.metadata.annotations = { 'bad key': 'x' }
    defaultPolicy(resource)
    const names = checkNetworkPolicy(resource).map((e) => e.name)
    expect(names.slice(-2)).toEqual(['Metadata.Annotations (key)', 'Metadata.Labels (value)'])
  })
})

describe('GlobalNetworkPolicy checks', () => {
  it('accepts a pre-DNAT host policy that applies on forward', () => {
    const spec = { selector: 'has(kubernetes-host)', preDNAT: true, applyOnForward: true, order: 10, ingress: [{ action: 'Deny', protocol: 'TCP', destination: { ports: [22] } }] }
    expect(gnpProblems(spec)).toEqual([])
  })

  it.each<[string, Spec, FieldError[]]>([
    [
      'pre-DNAT egress rules without applyOnForward',
      { preDNAT: true, egress: [allowDNS] },
      [
        { name: 'spec', reason: 'preDNAT policy cannot have any egress rules' },
        { name: 'spec', reason: "preDNAT policy cannot have 'Egress' type" },
        { name: 'spec', reason: 'applyOnForward must be true if either preDNAT or doNotTrack is true' },
      ],
    ],
    [
      'doNotTrack with preDNAT',
      { doNotTrack: true, preDNAT: true, applyOnForward: true, ingress: [ping] },
      [{ name: 'spec', reason: 'preDNAT and doNotTrack cannot both be true' }],
    ],
    ['doNotTrack without applyOnForward', { doNotTrack: true, ingress: [ping] }, [{ name: 'spec', reason: 'applyOnForward must be true if either preDNAT or doNotTrack is true' }]],
    [
      'global() in the namespace selector',
      { namespaceSelector: 'global()' },
      [{ name: 'spec', reason: 'global() can only be used in an EntityRule namespaceSelector' }],
    ],
    [
      'a broken namespace selector',
      { namespaceSelector: 'a in {' },
      [{ name: 'NamespaceSelector', value: 'a in {', reason: 'Reason: failed to validate Field: NamespaceSelector because of Tag: selector ' }],
    ],
    [
      'services without a namespace',
      { egress: [{ action: 'Allow', destination: { services: { name: 'kubernetes' } } }], ingress: [{ action: 'Allow', source: { services: { name: 'web' } } }] },
      [
        { name: 'Namespace', value: '', reason: 'must specify a namespace' },
        { name: 'Namespace', value: '', reason: 'must specify a namespace' },
      ],
    ],
    ['HTTP on egress', { egress: [{ action: 'Allow', http: { paths: [{ prefix: '/' }] } }] }, [{ name: 'HTTP', value: '&{[] [{ /}]}', reason: 'not allowed in egress rules' }]],
  ])('reports %s', (_, spec, expected) => expect(gnpProblems(spec)).toEqual(expected))
})

describe('Profile checks', () => {
  it('runs the Go rule checks but no CRD rules', () => {
    const spec = {
      ingress: [{ action: 'Allow', protocol: 'ICMP', icmp: { code: 0 } }],
      egress: [{ action: 'Allow', destination: { ports: [80] } }],
    }
    expect(checkProfile(profile(spec))).toEqual([
      { name: 'Destination.Ports', value: '[80]', reason: 'rules with numeric port or port range must set protocol to TCP or UDP or SCTP' },
    ])
  })

  it('checks the labels it applies', () => {
    expect(checkProfile(profile({ labelsToApply: { team: 'web', 'bad key': 'x' } }))).toEqual([
      { name: 'LabelsToApply', value: 'map[bad key:x team:web]', reason: 'Reason: failed to validate Field: LabelsToApply because of Tag: labels ' },
    ])
    expect(checkProfile(profile({ labelsToApply: { 'projectcalico.org/team': 'web' } }))).toEqual([])
  })
})

describe('policyTierExists', () => {
  /** A datastore holding only the given tiers. */
  function storeWithTiers(...names: string[]): { store: Datastore; asked: string[] } {
    const asked: string[] = []
    const get = async (kind: KindDefinition, name: string): Promise<Resource> => {
      asked.push(`${kind.kind}/${name}`)
      if (!names.includes(name)) throw new NotFoundError({ kind: kind.kind, name })
      return { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name } }
    }
    return { store: { get } as unknown as Datastore, asked }
  }

  it('looks up the default tier for a policy without one', async () => {
    const { store, asked } = storeWithTiers('default')
    await policyTierExists(store, np({ egress: [allowDNS] }), 'create')
    expect(asked).toEqual(['Tier/default'])
  })

  it("fails with the datastore's error when the tier is missing", async () => {
    const { store } = storeWithTiers('default')
    await expect(policyTierExists(store, gnp({ tier: 'security' }), 'create')).rejects.toThrow('resource does not exist: Tier(security) with error: <nil>')
  })
})

describe('policy types', () => {
  it('refuses a type listed twice, as the 3.30 validator does', () => {
    expect(checkNetworkPolicy(np({ types: ['Ingress', 'Egress', 'Ingress'], ingress: [{ action: 'Allow' }] }))).toEqual([
      { name: 'NetworkPolicySpec.Types', value: '[Ingress Egress Ingress]', reason: "'Ingress' type specified more than once" },
    ])
    expect(checkGlobalNetworkPolicy(gnp({ types: ['Egress', 'Egress'] }))).toEqual([
      { name: 'GlobalNetworkPolicySpec.Types', value: '[Egress Egress]', reason: "'Egress' type specified more than once" },
    ])
  })
})
