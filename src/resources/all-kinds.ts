/**
 * Every kind imported at once, for what needs them all at hand without waiting (the CRDs the
 * Kubernetes datastore is written against, tests). Commands look kinds up in registry.ts, which
 * loads only the kinds they meet.
 */
import type { KindDefinition } from './kind.js'
import { bgpConfiguration } from './bgpconfiguration.js'
import { bgpFilter } from './bgpfilter.js'
import { bgpPeer } from './bgppeer.js'
import { calicoNodeStatus } from './caliconodestatus.js'
import { clusterInformation } from './clusterinformation.js'
import { felixConfiguration } from './felixconfiguration.js'
import { hostEndpoint } from './hostendpoint.js'
import { ipamConfiguration } from './ipamconfiguration.js'
import { ipPool } from './ippool.js'
import { ipReservation } from './ipreservation.js'
import { globalNetworkPolicy, networkPolicy } from './networkpolicy.js'
import { globalNetworkSet, networkSet } from './networksets.js'
import { kubeControllersConfiguration } from './kubecontrollersconfiguration.js'
import { node } from './node.js'
import { profile } from './profile.js'
import { stagedGlobalNetworkPolicy, stagedKubernetesNetworkPolicy, stagedNetworkPolicy } from './stagedpolicies.js'
import { tier } from './tier.js'
import { workloadEndpoint } from './workloadendpoint.js'

const kinds: KindDefinition[] = [
  bgpConfiguration,
  bgpFilter,
  bgpPeer,
  calicoNodeStatus,
  clusterInformation,
  felixConfiguration,
  globalNetworkPolicy,
  globalNetworkSet,
  hostEndpoint,
  ipamConfiguration,
  ipPool,
  ipReservation,
  kubeControllersConfiguration,
  networkPolicy,
  networkSet,
  node,
  profile,
  stagedGlobalNetworkPolicy,
  stagedKubernetesNetworkPolicy,
  stagedNetworkPolicy,
  tier,
  workloadEndpoint,
]

const byName = new Map<string, KindDefinition>()
for (const definition of kinds) {
  for (const name of definition.names) byName.set(name, definition)
}
const byKind = new Map(kinds.map((d) => [d.kind, d]))

/** The kind for a command-line name such as `ippools` or `bgpconfig` (case-insensitive). */
export function kindByName(name: string): KindDefinition | undefined {
  return byName.get(name.toLowerCase())
}

/** The kind for a document's exact `kind` field, e.g. `IPPool`. */
export function kindByKind(kind: string): KindDefinition | undefined {
  return byKind.get(kind)
}

export function allKinds(): readonly KindDefinition[] {
  return kinds
}
