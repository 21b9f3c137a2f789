import type { KubeObject } from './crd-mapping.js'
import { KubeApiError, type KubeRest } from './rest.js'

interface KubeList {
  metadata?: { resourceVersion?: string; continue?: string }
  items?: KubeObject[]
}

/** client-go's pager page size. */
export const LIST_PAGE_SIZE = 500

/**
 * Every object of a collection, page by page with limit/continue; the revision is the last page's.
 * As client-go's pager (tools/pager, FullListIfExpired): when a later page finds its continue token
 * expired (410, reason Expired), the pages read so far are dropped and one list without a limit
 * takes their place.
 */
export async function listAllObjects(
  rest: KubeRest,
  request: { path: string; resource: string; pageSize?: number },
): Promise<{ items: KubeObject[]; revision: string }> {
  const list = (query: Record<string, string | undefined>) => rest.request<KubeList>({ method: 'GET', path: request.path, query, resource: request.resource })
  const items: KubeObject[] = []
  let revision = ''
  let token: string | undefined
  do {
    let page: KubeList
    try {
      page = await list({ limit: String(request.pageSize ?? LIST_PAGE_SIZE), continue: token })
    } catch (err) {
      if (!token || !(err instanceof KubeApiError) || err.status.reason !== 'Expired') throw err
      const full = await list({})
      return { items: full.items ?? [], revision: full.metadata?.resourceVersion ?? '' }
    }
    items.push(...(page.items ?? []))
    revision = page.metadata?.resourceVersion ?? revision
    token = page.metadata?.continue || undefined
  } while (token)
  return { items, revision }
}
