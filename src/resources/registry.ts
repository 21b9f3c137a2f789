import type { KindDefinition } from './kind.js'
import { bgpConfiguration } from './bgpconfiguration.js'
import { bgpPeer } from './bgppeer.js'
import { clusterInformation } from './clusterinformation.js'
import { hostEndpoint } from './hostendpoint.js'
import { ipPool } from './ippool.js'
import { ipReservation } from './ipreservation.js'
import { globalNetworkPolicy, networkPolicy } from './networkpolicy.js'
import { globalNetworkSet, networkSet } from './networksets.js'
import { node } from './node.js'
import { profile } from './profile.js'
import { tier } from './tier.js'
import { workloadEndpoint } from './workloadendpoint.js'

const kinds: KindDefinition[] = [
  bgpConfiguration,
  bgpPeer,
  clusterInformation,
  globalNetworkPolicy,
  globalNetworkSet,
  hostEndpoint,
  ipPool,
  ipReservation,
  networkPolicy,
  networkSet,
  node,
  profile,
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
