import { NotFoundError, type FieldError } from '../errors.js'
import { knownKind } from './registry.js'
import { checkASNumber, goCidrOrIPVersion, isGoIPv4, isGoIPv6, normalizeASNumber, tagReason } from './checks.js'
import { nameColumn, type KindDefinition } from './kind.js'
import type { Resource } from './types.js'
import { isMAC } from './workload-checks.js'
import { workloadEndpointNamePrefix } from './workload-names.js'

type Bgp = Record<string, unknown> | undefined
const bgpOf = (r: Resource): Bgp => r.spec?.bgp as Bgp

const isSet = (v: unknown): boolean => v !== undefined && v !== null && v !== ''

/** A WireGuard public key as wgtypes.ParseKey reads it: standard base64 of 32 bytes. */
const isWireguardKey = (v: unknown): boolean => typeof v === 'string' && /^[A-Za-z0-9+/]{43}=$/.test(v)

/**
 * Node checks: the struct tags of NodeSpec (and of its BGP and WireGuard parts) in field order,
 * validateNodeSpec, then the tags of NodeStatus. Addresses and interfaces are lists the validator
 * does not descend into, so their entries are not checked.
 */
function check(resource: Resource): FieldError[] {
  const spec = resource.spec ?? {}
  const errors: FieldError[] = []
  const tagged = (value: unknown, goName: string, tag: string, ok: (v: unknown) => boolean) => {
    if (isSet(value) && !ok(value)) errors.push({ name: goName, value, reason: tagReason(goName, tag) })
  }
  const bgp = bgpOf(resource)
  if (bgp) errors.push(...checkASNumber(bgp, 'asNumber', 'ASNumber'))
  tagged(bgp?.ipv4Address, 'IPv4Address', 'cidrv4', (v) => goCidrOrIPVersion(v) === 4)
  tagged(bgp?.ipv6Address, 'IPv6Address', 'cidrv6', (v) => goCidrOrIPVersion(v) === 6)
  tagged(bgp?.ipv4IPIPTunnelAddr, 'IPv4IPIPTunnelAddr', 'ipv4', isGoIPv4)
  tagged(bgp?.routeReflectorClusterID, 'RouteReflectorClusterID', 'ipv4', isGoIPv4)
  tagged(spec.ipv4VXLANTunnelAddr, 'IPv4VXLANTunnelAddr', 'ipv4', isGoIPv4)
  tagged(spec.vxlanTunnelMACAddr, 'VXLANTunnelMACAddr', 'mac', (v) => isMAC(String(v)))
  tagged(spec.ipv6VXLANTunnelAddr, 'IPv6VXLANTunnelAddr', 'ipv6', isGoIPv6)
  tagged(spec.vxlanTunnelMACAddrV6, 'VXLANTunnelMACAddrV6', 'mac', (v) => isMAC(String(v)))
  const wireguard = spec.wireguard as Record<string, unknown> | undefined
  tagged(wireguard?.interfaceIPv4Address, 'InterfaceIPv4Address', 'ipv4', isGoIPv4)
  tagged(wireguard?.interfaceIPv6Address, 'InterfaceIPv6Address', 'ipv6', isGoIPv6)
  // A BGP section whose every field is Go's zero value; Go prints the pointer with its fields.
  if (bgp && !['asNumber', 'ipv4Address', 'ipv6Address', 'ipv4IPIPTunnelAddr', 'routeReflectorClusterID'].some((f) => isSet(bgp[f])))
    errors.push({ name: 'BGP', value: '&{<nil>    }', reason: 'Spec.BGP should not be empty' })
  const status = resource.status ?? {}
  tagged(status.wireguardPublicKey, 'WireguardPublicKey', 'wireguardPublicKey', isWireguardKey)
  tagged(status.wireguardPublicKeyV6, 'WireguardPublicKeyV6', 'wireguardPublicKey', isWireguardKey)
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
  // BGP configuration and host endpoints go with it (IP release waits for IPAM). The endpoints are
  // listed by the node's name prefix first, which the Kubernetes datastore refuses (its endpoint
  // client needs a pod in the name): there the delete fails before anything is written, as upstream.
  async beforeDelete(store, name) {
    const onNode = async (kindName: string, namePrefix?: string) => {
      const kind = await knownKind(kindName)
      for (const item of (await store.list(kind, undefined, { namePrefix })).items.filter((r) => r.spec?.node === name))
        await store.delete(kind, item.metadata.name ?? '', item.metadata.namespace)
    }
    const ifPresent = (err: unknown) => {
      if (!(err instanceof NotFoundError)) throw err
    }
    await onNode('WorkloadEndpoint', workloadEndpointNamePrefix({ node: name }))
    await onNode('BGPPeer')
    for (const config of ['FelixConfiguration', 'BGPConfiguration'])
      await store.delete(await knownKind(config), `node.${name}`).catch(ifPresent)
    await onNode('HostEndpoint')
    return undefined
  },
  normalize(resource) {
    normalizeASNumber(bgpOf(resource), 'asNumber')
  },
  check,
  // Nodes are registered by the kubelet; calicoctl may only merge Calico's fields into them.
  kdd: { storage: 'node', refuses: { Create: '', Delete: '' } },
}
