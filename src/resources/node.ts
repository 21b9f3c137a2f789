import { NotFoundError, type FieldError } from '../errors.js'
import { kindByKind } from './registry.js'
import { checkASNumber, isCidrOfFamily, isIPv4, isIPv6, normalizeASNumber, tagReason } from './checks.js'
import { nameColumn, type KindDefinition } from './kind.js'
import type { Resource } from './types.js'

type Bgp = Record<string, unknown> | undefined
const bgpOf = (r: Resource): Bgp => r.spec?.bgp as Bgp

/** Node field checks (libcalico-go validateNodeSpec and the struct tags of NodeSpec/NodeBGPSpec). */
function check(resource: Resource): FieldError[] {
  const spec = resource.spec ?? {}
  const errors: FieldError[] = []
  const tagged = (value: unknown, goName: string, tag: string, ok: (v: unknown) => boolean) => {
    if (value !== undefined && value !== '' && !ok(value)) errors.push({ name: goName, value, reason: tagReason(goName, tag) })
  }
  const bgp = spec.bgp as Bgp
  if (bgp !== undefined) {
    if (bgp === null || Object.keys(bgp).length === 0) errors.push({ name: 'BGP', value: '', reason: 'Spec.BGP should not be empty' })
    else {
      tagged(bgp.ipv4Address, 'IPv4Address', 'cidrv4', (v) => isCidrOfFamily(v, 4))
      tagged(bgp.ipv6Address, 'IPv6Address', 'cidrv6', (v) => isCidrOfFamily(v, 6))
      tagged(bgp.ipv4IPIPTunnelAddr, 'IPv4IPIPTunnelAddr', 'ipv4', isIPv4)
      tagged(bgp.routeReflectorClusterID, 'RouteReflectorClusterID', 'ipv4', isIPv4)
      errors.push(...checkASNumber(bgp, 'asNumber', 'ASNumber'))
    }
  }
  tagged(spec.ipv4VXLANTunnelAddr, 'IPv4VXLANTunnelAddr', 'ipv4', isIPv4)
  tagged(spec.ipv6VXLANTunnelAddr, 'IPv6VXLANTunnelAddr', 'ipv6', isIPv6)
  const mac = (v: unknown) => typeof v === 'string' && /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/.test(v)
  tagged(spec.vxlanTunnelMACAddr, 'VXLANTunnelMACAddr', 'mac', mac)
  tagged(spec.vxlanTunnelMACAddrV6, 'VXLANTunnelMACAddrV6', 'mac', mac)
  const wireguard = spec.wireguard as Record<string, unknown> | undefined
  tagged(wireguard?.interfaceIPv4Address, 'InterfaceIPv4Address', 'ipv4', isIPv4)
  tagged(wireguard?.interfaceIPv6Address, 'InterfaceIPv6Address', 'ipv6', isIPv6)
  for (const address of (spec.addresses as Array<{ address?: string }> | undefined) ?? []) {
    const a = address.address ?? ''
    tagged(a || ' ', 'Address', 'cidr|ip', (v) => isIPv4(v) || isIPv6(v) || isCidrOfFamily(v, 4) || isCidrOfFamily(v, 6))
  }
  return errors
}

const asnColumn = {
  header: 'ASN',
  value: (r: Resource, context: { globalASNumber?: string }) => {
    const bgp = bgpOf(r)
    if (!bgp) return ''
    return bgp.asNumber !== undefined ? String(bgp.asNumber) : `(${context.globalASNumber ?? '64512'})`
  },
}

export const node: KindDefinition = {
  kind: 'Node',
  plural: 'nodes',
  names: ['node', 'nodes', 'no', 'nos'],
  namespaced: false,
  schema: 'node',
  needsGlobalASNumber: true,
  columns: {
    ps: [nameColumn],
    wide: [
      nameColumn,
      asnColumn,
      { header: 'IPV4', value: (r) => String(bgpOf(r)?.ipv4Address ?? '') },
      { header: 'IPV6', value: (r) => String(bgpOf(r)?.ipv6Address ?? '') },
    ],
  },
  // Upstream's cascade, in its order: the node's workload endpoints, BGP peers, per-node Felix and
  // BGP configuration and host endpoints go with it (IP release waits for IPAM). On Kubernetes it
  // runs before the backend refuses to delete the Node itself, as upstream.
  async beforeDelete(store, name) {
    const onNode = async (kindName: string) => {
      const kind = kindByKind(kindName) as KindDefinition
      for (const item of (await store.list(kind)).items.filter((r) => r.spec?.node === name))
        await store.delete(kind, item.metadata.name ?? '', item.metadata.namespace)
    }
    const ifPresent = (err: unknown) => {
      if (!(err instanceof NotFoundError)) throw err
    }
    await onNode('WorkloadEndpoint')
    await onNode('BGPPeer')
    for (const config of ['FelixConfiguration', 'BGPConfiguration'])
      await store.delete(kindByKind(config) as KindDefinition, `node.${name}`).catch(ifPresent)
    await onNode('HostEndpoint')
    return undefined
  },
  applyDefaults(resource) {
    normalizeASNumber(bgpOf(resource), 'asNumber')
  },
  check,
  // Nodes are registered by the kubelet; calicoctl may only merge Calico's fields into them.
  kdd: { storage: 'node', refuses: { Create: '', Delete: '' } },
}
