/** The Calico release whose API and behaviour this calicoctl implements. */
export const CALICO_VERSION = 'v3.31.0'
/** Identifies this build in `calicoctl version` (upstream prints the git commit here). */
export const BUILD = 'calicoctl-ts-0.1.0'

/** A version as upstream's mismatch check compares it: no leading `v`, nothing from the first `-`: `v3.31.2-5-gabc` -> `3.31.2`. */
export function releaseOf(version: string): string {
  return version.replace(/^v/, '').split('-')[0]
}
