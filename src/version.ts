/** The Calico release whose API and behaviour this calicoctl implements. */
export const CALICO_VERSION = 'v3.31.0'
/** Identifies this build in `calicoctl version` (upstream prints the git commit here). */
export const BUILD = 'calicoctl-ts-0.1.0'

/** Major.minor of a version, ignoring a leading `v` and any `-suffix`: `v3.31.2-5-gabc` -> `3.31`. */
export function majorMinor(version: string): string {
  return version.replace(/^v/, '').split('-')[0].split('.').slice(0, 2).join('.')
}
