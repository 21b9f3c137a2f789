import type { FieldError } from '../errors.js'
import { cidrsOverlap, parseCidr, type Cidr } from '../net/cidr.js'
import { checkSelectorField, goCidrOrIPVersion, isMaskedNetwork, tagReason } from './checks.js'
import { celCidrError } from './go-netip.js'
import { nameColumn, type CheckContext, type KindDefinition } from './kind.js'
import { goList } from './rule-checks.js'
import type { Resource } from './types.js'

const LINK_LOCAL_V4 = parseCidr('169.254.0.0/16') as Cidr
const LINK_LOCAL_V6 = parseCidr('fe80::/10') as Cidr

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v))
const mode = (v: unknown): string => str(v) || 'Never'

function cidrOf(resource: Resource): ReturnType<typeof parseCidr> {
  return typeof resource.spec?.cidr === 'string' ? parseCidr(resource.spec.cidr) : undefined
}

/**
 * The client's defaulting in validateAndSetDefaults (clientv3/ippool.go): a parsable CIDR in
 * canonical form, the block size for its family, every node, both uses, automatic assignment and
 * no encapsulation.
 */
function applyDefaults(resource: Resource): void {
  const spec = (resource.spec ??= {})
  const cidr = cidrOf(resource)
  // With host bits the client refuses the pool (clientCheck), naming the canonical form.
  if (cidr && !cidr.hadHostBits) spec.cidr = cidr.text
  if (!spec.blockSize && cidr) spec.blockSize = cidr.family === 4 ? 26 : 122
  if (!spec.nodeSelector) spec.nodeSelector = 'all()'
  if (!Array.isArray(spec.allowedUses) || spec.allowedUses.length === 0) spec.allowedUses = ['Workload', 'Tunnel']
  if (!spec.assignmentMode) spec.assignmentMode = 'Automatic'
  if (!spec.ipipMode) spec.ipipMode = 'Never'
  if (!spec.vxlanMode) spec.vxlanMode = 'Never'
}

/** Pools written by Calico v2 still carry `ipip` and `nat-outgoing`; upstream converts them on every KDD read. */
function convertV1Fields(resource: Resource): void {
  const spec = resource.spec
  if (!spec) return
  const ipip = spec.ipip as { enabled?: boolean; mode?: string } | undefined
  if (ipip !== undefined) {
    spec.ipipMode = !ipip?.enabled ? 'Never' : ipip.mode === 'cross-subnet' ? 'CrossSubnet' : 'Always'
    delete spec.ipip
  }
  if (spec['nat-outgoing'] === true) spec.natOutgoing = true
  delete spec['nat-outgoing']
}

const ALLOWED_USES = ['Workload', 'Tunnel', 'LoadBalancer']

/** Pools of the same network: cidrChangeOK lets an update only rewrite the CIDR in canonical form. */
const sameNetwork = (a: Cidr, b: Cidr): boolean => a.family === b.family && a.network === b.network && a.prefix === b.prefix

/**
 * The client's checks in validateAndSetDefaults, in its order: a missing or unparsable CIDR, and
 * dropping LoadBalancer on update, end the write at once with that error alone; the others (CIDR or
 * block size changed on update, overlap with another pool on create, host bits) are collected.
 * The CIDR, and a pool's other fields, have their client defaults by now.
 */
function clientCheck(resource: Resource, context: CheckContext): FieldError[] {
  const spec = resource.spec ?? {}
  const rawCidr = str(spec.cidr)
  if (!rawCidr) return [{ name: 'IPPool.Spec.CIDR', reason: 'IPPool CIDR must be specified' }]
  // cnet.ParseCIDR: a CIDR, not a bare address.
  const cidr = parseCidr(rawCidr)
  if (!cidr) return [{ name: 'IPPool.Spec.CIDR', value: rawCidr, reason: 'IPPool CIDR must be a valid subnet' }]
  const errors: FieldError[] = []
  const old = context.operation === 'update' ? context.existing?.spec : undefined
  const oldCidr = old && parseCidr(str(old.cidr))
  if (old && old.cidr !== cidr.text && !(oldCidr && sameNetwork(oldCidr, cidr)))
    errors.push({ name: 'IPPool.Spec.CIDR', value: cidr.text, reason: 'IPPool CIDR cannot be modified' })
  if (old) {
    const oldUses = (old.allowedUses as string[] | undefined) ?? []
    const uses = (spec.allowedUses as string[] | undefined) ?? []
    if (oldUses.includes('LoadBalancer') && uses.some((u) => u !== 'LoadBalancer'))
      return [{ name: 'IPPool.Spec.AllowedUses', value: goList(uses), reason: 'IPPool allowed use cannot be changed from LoadBalacer to Workload or Tunnel' }]
    if (old.blockSize !== spec.blockSize)
      errors.push({ name: 'IPPool.Spec.BlockSize', value: spec.blockSize, reason: 'IPPool BlockSize cannot be modified' })
  }
  if (context.operation === 'create' && context.peers) errors.push(...overlapErrors(resource, context.peers))
  if (cidr.hadHostBits) errors.push({ name: 'IPPool.Spec.CIDR', value: cidr.text, reason: 'IPPool CIDR is not strictly masked' })
  return errors
}

/** Every other pool whose CIDR overlaps this one's, as the client lists them. */
function overlapErrors(resource: Resource, others: Resource[]): FieldError[] {
  const cidr = cidrOf(resource)
  if (!cidr) return []
  return others
    .filter((other) => {
      const otherCidr = cidrOf(other)
      return otherCidr !== undefined && cidrsOverlap(cidr, otherCidr)
    })
    .map((other) => ({
      name: 'IPPool.Spec.CIDR',
      value: cidr.text,
      reason: `IPPool(${resource.metadata.name}) CIDR overlaps with IPPool(${other.metadata.name}) CIDR ${String(other.spec?.cidr)}`,
    }))
}

/** A CEL rule's outcome: passed, failed, or stopped by an error (a CIDR `cidr()` cannot read). */
type Outcome = boolean | { error: string }

/**
 * The CRD's CEL rules on the spec, in the CRD's order. Where `cidr(self.cidr)` cannot read the CIDR,
 * a rule that needs it errors (`<error> evaluating rule: <message>`), unless CEL's commutative `||`
 * finds another branch true, as the API server evaluates them.
 */
function celErrors(spec: Record<string, unknown>): FieldError[] {
  const rawCidr = str(spec.cidr)
  const cidrError = celCidrError(rawCidr)
  const cidr = cidrError ? undefined : parseCidr(rawCidr)
  const withCidr = (test: (c: Cidr) => boolean): Outcome => (cidr ? test(cidr) : { error: cidrError ?? '' })
  const uses = (spec.allowedUses as string[] | undefined) ?? []
  const loadBalancer = uses.includes('LoadBalancer')
  const enabled = (m: unknown) => m !== undefined && m !== '' && m !== 'Never'
  const blockSize = typeof spec.blockSize === 'number' && spec.blockSize !== 0 ? spec.blockSize : undefined
  const rules: Array<[message: string, passes: () => Outcome]> = [
    ['ipipMode and vxlanMode cannot both be enabled', () => !(enabled(spec.ipipMode) && enabled(spec.vxlanMode))],
    ['LoadBalancer IP pool cannot have IPIP or VXLAN enabled', () => !(loadBalancer && (enabled(spec.ipipMode) || enabled(spec.vxlanMode)))],
    ['LoadBalancer cannot be combined with Workload or Tunnel allowed uses', () => !(loadBalancer && (uses.includes('Workload') || uses.includes('Tunnel')))],
    ['IPIP is not supported on IPv6 pools', () => !enabled(spec.ipipMode) || withCidr((c) => c.family !== 6)],
    ['LoadBalancer IP pools cannot disable BGP export', () => !(loadBalancer && spec.disableBGPExport === true)],
    ['IP Pool with AllowedUse LoadBalancer must have nodeSelector set to all()', () => !loadBalancer || spec.nodeSelector === 'all()'],
    ['IP Pool with AllowedUse Tunnel cannot have namespaceSelector', () => !(uses.includes('Tunnel') && str(spec.namespaceSelector) !== '')],
    ['global() selector is not valid for IPPool nodeSelector', () => !str(spec.nodeSelector).includes('global(')],
    ['global() selector is not valid for IPPool namespaceSelector', () => !str(spec.namespaceSelector).includes('global(')],
    ['IPPool CIDR must be strictly masked', () => withCidr((c) => !c.hadHostBits)],
    ['IPPool CIDR overlaps with IPv4 link local range 169.254.0.0/16', () => withCidr((c) => !cidrsOverlap(c, LINK_LOCAL_V4))],
    ['IPPool CIDR overlaps with IPv6 link local range fe80::/10', () => withCidr((c) => !cidrsOverlap(c, LINK_LOCAL_V6))],
    [
      'blockSize must be between 20 and 32 for IPv4 pools, and between 116 and 128 for IPv6 pools',
      () => blockSize === undefined || withCidr((c) => (c.family === 4 ? blockSize >= 20 && blockSize <= 32 : blockSize >= 116 && blockSize <= 128)),
    ],
    [
      'IP pool size is too small for use with Calico IPAM. It must be equal to or greater than the block size.',
      () => spec.disabled === true || withCidr((c) => c.prefix <= (blockSize ?? (c.family === 4 ? 26 : 122))),
    ],
  ]
  return rules.flatMap(([message, passes]): FieldError[] => {
    const outcome = passes()
    if (outcome === true) return []
    return [{ name: 'spec', reason: outcome === false ? message : `${outcome.error} evaluating rule: ${message}` }]
  })
}

/**
 * The validator: the `net` tag of the CIDR and the selector tags, in field order, then
 * validateIPPoolSpec (cnet.ParseCIDROrIP, so a bare address passes; it stops at a CIDR it cannot
 * read). On a write the client has made the CIDR canonical already.
 */
function check(resource: Resource): FieldError[] {
  const spec = resource.spec ?? {}
  const rawCidr = str(spec.cidr)
  const errors: FieldError[] = []
  if (!isMaskedNetwork(rawCidr)) errors.push({ name: 'CIDR', value: rawCidr, reason: tagReason('CIDR', 'net') })
  errors.push(...checkSelectorField(spec.nodeSelector, 'NodeSelector'), ...checkSelectorField(spec.namespaceSelector, 'NamespaceSelector'))
  if (!rawCidr) errors.push({ name: 'IPpool.CIDR', value: '', reason: 'IPPool CIDR must be specified' })
  if (goCidrOrIPVersion(rawCidr) === undefined) {
    errors.push({ name: 'IPpool.CIDR', value: rawCidr, reason: 'IPPool CIDR must be a valid subnet' })
  } else {
    if (!isMaskedNetwork(rawCidr)) errors.push({ name: 'IPpool.CIDR', value: rawCidr, reason: 'IP pool CIDR is not strictly masked' })
    const uses = (spec.allowedUses as string[] | undefined) ?? []
    for (const use of uses.filter((u) => !ALLOWED_USES.includes(u)))
      errors.push({ name: 'IPpool.AllowedUses', value: goList(uses), reason: `unknown use: ${use}` })
  }
  return errors
}

export const ipPool: KindDefinition = {
  kind: 'IPPool',
  plural: 'ippools',
  names: ['ippool', 'ippools', 'ipp', 'ipps', 'pool', 'pools'],
  namespaced: false,
  schema: 'ippool',
  columns: {
    ps: [nameColumn, { header: 'CIDR', value: (r) => str(r.spec?.cidr) }, { header: 'SELECTOR', value: (r) => str(r.spec?.nodeSelector) }],
    wide: [
      nameColumn,
      { header: 'CIDR', value: (r) => str(r.spec?.cidr) },
      { header: 'NAT', value: (r) => String(r.spec?.natOutgoing === true) },
      { header: 'IPIPMODE', value: (r) => mode(r.spec?.ipipMode) },
      { header: 'VXLANMODE', value: (r) => mode(r.spec?.vxlanMode) },
      { header: 'DISABLED', value: (r) => String(r.spec?.disabled === true) },
      { header: 'DISABLEBGPEXPORT', value: (r) => String(r.spec?.disableBGPExport === true) },
      { header: 'SELECTOR', value: (r) => str(r.spec?.nodeSelector) },
      { header: 'ASSIGNMENTMODE', value: (r) => str(r.spec?.assignmentMode) },
    ],
  },
  applyDefaults,
  clientCheck,
  check,
  crdRules: (resource) => celErrors(resource.spec ?? {}),
  // Upstream disables a pool before deleting it, so IPAM stops handing out its addresses (the
  // disabling update also makes a stale resourceVersion fail with a conflict), then releases the
  // block affinities in its CIDR: empty blocks go, blocks in use stay without affinity.
  async beforeDelete(store, name, revision) {
    const pool = await store.get(ipPool, name)
    let changed: string | undefined
    if (pool.spec?.disabled !== true) {
      if (revision) pool.metadata.resourceVersion = revision
      pool.spec = { ...pool.spec, disabled: true }
      changed = (await store.update(ipPool, pool)).metadata.resourceVersion
    }
    await (await import('../ipam/on-delete.js')).releaseAffinitiesOfPool(store, pool)
    // The caller's revision served the disabling update; the delete matches what that wrote.
    return changed ?? revision
  },
  // Found by clientCheck, among the client's other findings.
  checkAgainstPeers: overlapErrors,
  // Blocks already allocated in the pool's range must have the pool's block size (blocks of the
  // other family never overlap, as upstream lists only the pool's).
  async checkAgainstStore(store, resource) {
    const cidr = cidrOf(resource)
    const blocks = (await store.ipam?.().listBlocks()) ?? []
    const conflict = cidr && blocks.some((b) => b.cidr.prefix !== resource.spec?.blockSize && cidrsOverlap(b.cidr, cidr))
    if (!conflict) return []
    return [{ name: 'IPPool.Spec.BlockSize', value: resource.spec?.blockSize, reason: 'IPPool blocksSize conflicts with existing allocations that use a different blockSize' }]
  },
  kdd: { afterRead: convertV1Fields },
}
