/**
 * The validator audit (validator-audit-rows.ts): each row's input breaks the rule with the line
 * upstream prints, and its passing input passes, as the client of etcd or `validate` checks them.
 */
import { describe, expect, it } from 'vitest'
import { prepareResource } from '../../src/client/calico-client.js'
import { ValidationError } from '../../src/errors.js'
import { kindByKind } from '../../src/resources/all-kinds.js'
import { AUDIT, documentOf, egress, ingress, reason, tag, type Row, type Spec } from './validator-audit-rows.js'

/** Every line upstream would print for the document ([] when it passes). */
function linesFor(row: Row, spec: Spec): string[] {
  const kind = kindByKind(row.kind)
  if (!kind) throw new Error(`no kind ${row.kind}`)
  // The stored resource is what the client wrote for it: defaulted.
  const existing = row.existing && prepareResource(kind, documentOf(row, row.existing), 'create')
  try {
    prepareResource(kind, documentOf(row, spec), row.operation ?? (existing ? 'update' : 'create'), existing)
    return []
  } catch (err) {
    if (!(err instanceof ValidationError)) return [(err as Error).message]
    return err.fields.map((f) => `${f.name}${f.value === undefined ? '' : ` = '${String(f.value)}'`}${f.reason ? ` (${f.reason})` : ''}`)
  }
}

const title = (r: Row) => `${r.kind}${r.operation ? ` [${r.operation}]` : ''} ${r.field} (${r.rule}): ${r.expect || 'passes'}`

describe('validator audit: upstream reports the violation', () => {
  it.each(AUDIT.filter((r) => r.expect !== '').map((r) => [title(r), r] as const))('%s', (_, row) => {
    const lines = linesFor(row, row.bad)
    expect(lines).toContain(row.expect)
    if (row.all) expect(lines).toEqual(row.all)
  })
})

describe('validator audit: the passing input passes', () => {
  it.each(AUDIT.filter((r) => r.good).map((r) => [title(r), r] as const))('%s', (_, row) => {
    expect(linesFor(row, row.good as Spec)).toEqual([])
  })
})

/** Inputs upstream accepts although a rule nearby might suggest otherwise (no `dive`, rules moved to the CRD). */
const ACCEPTED: Array<[what: string, row: Pick<Row, 'kind' | 'name'>, spec: Spec]> = [
  ['Node addresses, which the validator does not descend into', { kind: 'Node' }, { addresses: [{ address: '10.0.0.1/24', type: 'CalicoNodeIP' }] }],
  ['CalicoNodeStatus peers, which the validator does not descend into', { kind: 'CalicoNodeStatus' }, {}],
  ['services without a name in a profile, which has no CRD rules', { kind: 'Profile' }, { egress: [{ action: 'Allow', destination: { services: { namespace: 'ns1' } } }] }],
  ['a FelixConfiguration nodeSelector on a selector-scoped configuration', { kind: 'FelixConfiguration', name: 'rack-a' }, { nodeSelector: 'has(rack)' }],
]

describe('validator audit: what upstream accepts', () => {
  it.each(ACCEPTED)('%s', (_, row, spec) => {
    expect(linesFor({ ...row, field: '', rule: '', bad: {}, expect: '' }, spec)).toEqual([])
  })

  it('CalicoNodeStatus status peers are not checked', () => {
    const status = { bgp: { peersV4: [{ peerIP: 'not-an-ip' }] } }
    const resource = { ...documentOf({ kind: 'CalicoNodeStatus' }, {}), status }
    expect(() => prepareResource(kindByKind('CalicoNodeStatus')!, resource, 'create')).not.toThrow()
  })
})

/** Checks upstream no longer has in its Go validator (moved to CRD rules with other texts). */
const NOT_REPORTED: Array<[what: string, row: Pick<Row, 'kind' | 'name'>, spec: Spec, line: string]> = [
  ['a global() source selector as a Go error', { kind: 'NetworkPolicy' }, ingress({ source: { selector: 'global()' } }), reason('Selector field', 'global()', 'global() can only be used in an EntityRule namespaceSelector')],
  ['services without a name as a Go error', { kind: 'NetworkPolicy' }, egress({ destination: { services: { namespace: 'ns1' } } }), reason('Services field', '&{ ns1}', 'must specify a service name')],
  ['an unknown log level as a Go tag', { kind: 'FelixConfiguration' }, { logSeverityScreen: 'Verbose' }, tag('LogSeverityScreen', 'logLevel', 'Verbose')],
  ['an unknown endpoint-to-host action as a Go tag', { kind: 'FelixConfiguration' }, { defaultEndpointToHostAction: 'Pass' }, tag('DefaultEndpointToHostAction', 'dropAcceptReturn', 'Pass')],
  ['a bad FelixConfiguration nodeSelector as a Go tag', { kind: 'FelixConfiguration', name: 'rack-a' }, { nodeSelector: 'a ==' }, tag('NodeSelector', 'selector', 'a ==')],
  ['an IPv6 NAT outgoing address as a Go error', { kind: 'FelixConfiguration' }, { natOutgoingAddress: 'fd00::1' }, reason('NATOutgoingAddress', 'fd00::1', 'is not a valid IPv4 address')],
]

describe('validator audit: what upstream no longer reports that way', () => {
  it.each(NOT_REPORTED)('%s', (_, row, spec, line) => {
    expect(linesFor({ ...row, field: '', rule: '', bad: {}, expect: '' }, spec)).not.toContain(line)
  })
})
