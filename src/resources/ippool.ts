import type { FieldError } from '../errors.js'
import { cidrsOverlap, parseCidr, type Cidr } from '../net/cidr.js'
import { checkSelectorField } from './checks.js'
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

/** Upstream IPPool defaulting (libcalico-go clientv3/ippool.go plus the CRD defaults). */
function applyDefaults(resource: Resource): void {
  const spec = (resource.spec ??= {})
  const cidr = cidrOf(resource)
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

/**
 * The client's validateAndSetDefaults checks. Any failure here ends the write before the validator
 * runs; dropping LoadBalancer on update ends it at once, with that error alone.
 */
function clientErrors(spec: Record<string, unknown>, cidr: Cidr, context: CheckContext): FieldError[] {
  const errors: FieldError[] = []
  const old = context.operation === 'update' ? context.existing?.spec : undefined
  if (old) {
    const oldUses = (old.allowedUses as string[] | undefined) ?? []
    const uses = (spec.allowedUses as string[] | undefined) ?? []
    if (oldUses.includes('LoadBalancer') && uses.some((u) => u !== 'LoadBalancer'))
      return [{ name: 'IPPool.Spec.AllowedUses', value: goList(uses), reason: 'IPPool allowed use cannot be changed from LoadBalacer to Workload or Tunnel' }]
    if (old.cidr !== cidr.text) errors.push({ name: 'IPPool.Spec.CIDR', value: cidr.text, reason: 'IPPool CIDR cannot be modified' })
    if (old.blockSize !== spec.blockSize)
      errors.push({ name: 'IPPool.Spec.BlockSize', value: spec.blockSize, reason: 'IPPool BlockSize cannot be modified' })
  }
  if (cidr.hadHostBits) errors.push({ name: 'IPPool.Spec.CIDR', value: cidr.text, reason: 'IPPool CIDR is not strictly masked' })
  return errors
}

/** The CRD's CEL rules on the spec. */
function celErrors(spec: Record<string, unknown>, cidr: Cidr): FieldError[] {
  const uses = (spec.allowedUses as string[] | undefined) ?? []
  const loadBalancer = uses.includes('LoadBalancer')
  const enabled = (m: unknown) => m !== undefined && m !== '' && m !== 'Never'
  const reasons: string[] = []
  if (enabled(spec.ipipMode) && enabled(spec.vxlanMode)) reasons.push('ipipMode and vxlanMode cannot both be enabled')
  if (loadBalancer && (enabled(spec.ipipMode) || enabled(spec.vxlanMode))) reasons.push('LoadBalancer IP pool cannot have IPIP or VXLAN enabled')
  if (loadBalancer && (uses.includes('Workload') || uses.includes('Tunnel'))) reasons.push('LoadBalancer cannot be combined with Workload or Tunnel allowed uses')
  if (cidr.family === 6 && enabled(spec.ipipMode)) reasons.push('IPIP is not supported on IPv6 pools')
  if (loadBalancer && spec.disableBGPExport === true) reasons.push('LoadBalancer IP pools cannot disable BGP export')
  if (loadBalancer && spec.nodeSelector !== 'all()') reasons.push('IP Pool with AllowedUse LoadBalancer must have nodeSelector set to all()')
  if (uses.includes('Tunnel') && spec.namespaceSelector) reasons.push('IP Pool with AllowedUse Tunnel cannot have namespaceSelector')
  if (str(spec.nodeSelector).includes('global(')) reasons.push('global() selector is not valid for IPPool nodeSelector')
  if (str(spec.namespaceSelector).includes('global(')) reasons.push('global() selector is not valid for IPPool namespaceSelector')
  if (cidrsOverlap(cidr, LINK_LOCAL_V4)) reasons.push('IPPool CIDR overlaps with IPv4 link local range 169.254.0.0/16')
  if (cidrsOverlap(cidr, LINK_LOCAL_V6)) reasons.push('IPPool CIDR overlaps with IPv6 link local range fe80::/10')
  if (typeof spec.blockSize === 'number') {
    const [min, max] = cidr.family === 4 ? [20, 32] : [116, 128]
    if (spec.blockSize !== 0 && (spec.blockSize < min || spec.blockSize > max))
      reasons.push('blockSize must be between 20 and 32 for IPv4 pools, and between 116 and 128 for IPv6 pools')
    if (spec.disabled !== true && cidr.prefix > spec.blockSize)
      reasons.push('IP pool size is too small for use with Calico IPAM. It must be equal to or greater than the block size.')
  }
  return reasons.map((reason) => ({ name: 'spec', reason }))
}

function check(resource: Resource, context: CheckContext): FieldError[] {
  const spec = resource.spec ?? {}
  const rawCidr = str(spec.cidr)
  const cidr = cidrOf(resource)
  if (!rawCidr) return [{ name: 'IPPool.Spec.CIDR', reason: 'IPPool CIDR must be specified' }]
  if (!cidr) return [{ name: 'IPPool.Spec.CIDR', value: rawCidr, reason: 'IPPool CIDR must be a valid subnet' }]
  const client = clientErrors(spec, cidr, context)
  if (client.length > 0) return client

  // The validator: field tags, then validateIPPoolSpec, then the CRD's rules.
  const errors: FieldError[] = [...checkSelectorField(spec.nodeSelector, 'NodeSelector'), ...checkSelectorField(spec.namespaceSelector, 'NamespaceSelector')]
  const uses = (spec.allowedUses as string[] | undefined) ?? []
  for (const use of uses.filter((u) => !ALLOWED_USES.includes(u)))
    errors.push({ name: 'IPpool.AllowedUses', value: goList(uses), reason: `unknown use: ${use}` })
  return [...errors, ...celErrors(spec, cidr)]
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
  check,
  // Upstream disables a pool before deleting it, so IPAM stops handing out its addresses; the
  // disabling update also makes a stale resourceVersion fail with a conflict.
  async beforeDelete(store, name, revision) {
    const pool = await store.get(ipPool, name)
    if (revision) pool.metadata.resourceVersion = revision
    if (pool.spec?.disabled === true && !revision) return undefined
    pool.spec = { ...pool.spec, disabled: true }
    return (await store.update(ipPool, pool)).metadata.resourceVersion
  },
  checkAgainstPeers(resource, others) {
    const cidr = cidrOf(resource)
    const overlapping = cidr && others.find((o) => cidrOf(o) && cidrsOverlap(cidr, cidrOf(o) as Cidr))
    if (!cidr || !overlapping) return []
    const reason = `IPPool(${resource.metadata.name}) CIDR overlaps with IPPool(${overlapping.metadata.name}) CIDR ${String(overlapping.spec?.cidr)}`
    return [{ name: 'IPPool.Spec.CIDR', value: cidr.text, reason }]
  },
  // Blocks already allocated in the pool's range must have the pool's block size.
  async checkAgainstStore(store, resource) {
    const cidr = cidrOf(resource)
    const blocks = (await store.ipam?.().listBlocks()) ?? []
    const conflict = cidr && blocks.some((b) => b.cidr.family === cidr.family && b.cidr.prefix !== resource.spec?.blockSize && cidrsOverlap(b.cidr, cidr))
    if (!conflict) return []
    return [{ name: 'IPPool.Spec.BlockSize', value: resource.spec?.blockSize, reason: 'IPPool blocksSize conflicts with existing allocations that use a different blockSize' }]
  },
  kdd: { afterRead: convertV1Fields },
}
