import type { KubeObject } from './crd-mapping.js'
import type { KubeRest } from './rest.js'

interface KubeList {
  metadata?: { resourceVersion?: string; continue?: string }
  items?: KubeObject[]
}

/** client-go's pager page size. */
export const LIST_PAGE_SIZE = 500

/** Every object of a collection, page by page with limit/continue; the revision is the last page's. */
export async function listAllObjects(
  rest: KubeRest,
  request: { path: string; resource: string; pageSize?: number },
): Promise<{ items: KubeObject[]; revision: string }> {
  const items: KubeObject[] = []
  let revision = ''
  let token: string | undefined
  do {
    const page = await rest.request<KubeList>({
      method: 'GET',
      path: request.path,
      query: { limit: String(request.pageSize ?? LIST_PAGE_SIZE), continue: token },
      resource: request.resource,
    })
    items.push(...(page.items ?? []))
    revision = page.metadata?.resourceVersion ?? revision
    token = page.metadata?.continue || undefined
  } while (token)
  return { items, revision }
}
