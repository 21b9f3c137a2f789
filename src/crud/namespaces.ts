import type { KindDefinition } from '../resources/kind.js'
import type { Resource } from '../resources/types.js'

export interface NamespaceFlags {
  /** `-n` */
  namespace?: string
  /** `get -A` */
  allNamespaces?: boolean
}

/**
 * calicoctl's namespace rules for one resource (cli spec 2.0): a namespaced resource takes `-n`
 * when it names none, `default` when neither does, and no namespace at all (every namespace) with
 * `-A`; cluster-scoped kinds refuse both. Sets `metadata.namespace` in place; returns upstream's
 * error text when the combination is refused.
 */
export function resolveNamespace(kind: KindDefinition, resource: Resource, flags: NamespaceFlags): string | undefined {
  const cli = flags.namespace ?? ''
  const own = resource.metadata.namespace ?? ''
  if (!kind.namespaced) {
    if (own) return `namespace should not be specified for a non-namespaced resource. ${kind.kind} is not a namespaced resource`
    if (cli || flags.allNamespaces) return `${kind.kind} is not namespaced`
    return undefined
  }
  if (flags.allNamespaces && cli) return 'cannot use both --namespace and --all-namespaces flags at the same time'
  if (flags.allNamespaces) delete resource.metadata.namespace
  else if (!own) resource.metadata.namespace = cli || 'default'
  else if (cli && own !== cli) return `resource namespace does not match client namespace. ${own} != ${cli}`
  return undefined
}
