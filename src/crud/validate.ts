import { prepareResource } from '../client/calico-client.js'
import { locateError } from './locate.js'
import { collectResources, type ModifyOptions } from './modify.js'
import { reportCreateLike, withLocations, type Outcome, type Report } from './results.js'

/** `validate`: schema and semantic checks only, offline; reported like create. */
export async function runValidate(options: ModifyOptions): Promise<Report> {
  const loaded = await collectResources(options)
  if (loaded.length === 0) return { stdout: ['No resources specified'] }
  const outcome: Outcome = { kinds: [], errors: [] }
  const locations: string[] = []
  for (const item of loaded) {
    outcome.kinds.push(item.kind.kind)
    try {
      prepareResource(item.kind, item.resource, 'create')
    } catch (err) {
      outcome.errors.push((err as Error).message)
      const location = locateError(err, item)
      if (location) locations.push(location)
    }
  }
  const notes = loaded.flatMap((item) => item.notes ?? [])
  return { ...withLocations(reportCreateLike('validate', outcome), locations), notes }
}
