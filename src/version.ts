/** The Calico release whose API and behaviour this calicoctl implements. */
export const CALICO_VERSION = 'v3.31.0'
/** Identifies this build in `calicoctl version` (upstream prints the git commit here). */
export const BUILD = 'calicoctl-ts-0.1.0'

/** A version as upstream's mismatch check compares it: no leading `v`, nothing from the first `-`: `v3.31.2-5-gabc` -> `3.31.2`. */
export function releaseOf(version: string): string {
  return version.replace(/^v/, '').split('-')[0]
}

/** Orders Calico releases (`v3.31.4`, `v3.32`): negative when a is older. */
function compareReleases(a: string, b: string): number {
  const parts = (v: string) => releaseOf(v).split('.').map(Number)
  const [pa, pb] = [parts(a), parts(b)]
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/** Whether `since` (a schema's `x-since`) names a release later than `release`; not when it is no string. */
export const newerThan = (since: unknown, release: string): boolean => typeof since === 'string' && compareReleases(since, release) > 0
