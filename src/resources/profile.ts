import { AlreadyExistsError, NotSupportedError } from '../errors.js'
import { nameColumn, type Column, type KindDefinition } from './kind.js'
import { checkProfile, normalizePolicy } from './policy-checks.js'
import { API_VERSION, type Resource } from './types.js'

/** The profile every endpoint may fall back to; never stored, served by both datastores. */
export const DEFAULT_ALLOW_PROFILE = 'projectcalico-default-allow'

/** Go's []Rule{{Action: Allow}}: the zero source and destination are `omitzero`, so not written. */
export const allowAll = (): Array<Record<string, unknown>> => [{ action: 'Allow' }]

/**
 * The synthetic allow-all profile (libcalico-go lib/resources/static.go): no uid, no
 * creationTimestamp, revision "1", identical on both datastores.
 */
export function defaultAllowProfile(): Resource {
  return {
    apiVersion: API_VERSION,
    kind: 'Profile',
    metadata: { name: DEFAULT_ALLOW_PROFILE, resourceVersion: '1' },
    spec: { ingress: allowAll(), egress: allowAll() },
  }
}

/** Upstream names the profile without its kind when refusing to create it. */
class DefaultAllowProfileExists extends AlreadyExistsError {
  constructor() {
    const inner = `${DEFAULT_ALLOW_PROFILE} already exists. The profile "${DEFAULT_ALLOW_PROFILE}" is default provided by Calico`
    super({ kind: 'Profile', name: DEFAULT_ALLOW_PROFILE }, inner)
    this.message = `resource already exists: ${DEFAULT_ALLOW_PROFILE} with error: ${inner}`
  }
}

/** The error the client gives instead of writing or deleting the default-allow profile. */
export function defaultAllowProfileRefusal(operation: 'create' | 'update' | 'delete'): Error {
  if (operation === 'create') return new DefaultAllowProfileExists()
  const verb = operation === 'update' ? 'updated' : 'deleted'
  return new NotSupportedError(
    operation === 'update' ? 'Update' : 'Delete',
    DEFAULT_ALLOW_PROFILE,
    `The profile "${DEFAULT_ALLOW_PROFILE}" is a default provided by Calico and cannot be ${verb}`,
  )
}

/** LABELS: labelsToApply as sorted `k=v` pairs. */
const labelsColumn: Column = {
  header: 'LABELS',
  value: (r) =>
    Object.entries((r.spec?.labelsToApply as Record<string, string> | undefined) ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
}

export const profile: KindDefinition = {
  kind: 'Profile',
  plural: 'profiles',
  names: ['profile', 'profiles', 'pro', 'pros'],
  namespaced: false,
  schema: 'profile',
  columns: { ps: [nameColumn], wide: [nameColumn, labelsColumn] },
  builtIn: { name: DEFAULT_ALLOW_PROFILE, resource: defaultAllowProfile, refusal: defaultAllowProfileRefusal },
  normalize: normalizePolicy,
  check: checkProfile,
  kdd: { storage: 'profile', refuses: { Create: '', Update: '', Delete: '' } },
}
