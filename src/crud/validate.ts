import { prepareResource } from '../client/calico-client.js'
import { massageError } from '../errors.js'
import { FileError, type LoadedResource } from './load.js'
import { locateError } from './locate.js'
import { collectResources, type ModifyOptions } from './modify.js'
import { resolveNamespace } from './namespaces.js'
import { reportCreateLike, withLocations, type Outcome, type Report } from './results.js'

/**
 * `validate`: decoding and libcalico-go's validator (calicoctl's ActionValidate calls only
 * validator.Validate, with the CRD's defaults, constraints and CEL rules), offline, reported like
 * create; none of the typed clients' defaulting or checks. Where upstream stops at the
 * first document it cannot decode, its text is kept as the error and every other problem of the input
 * (more bad documents, failed checks of the good ones) follows it, each with its place.
 */
export async function runValidate(options: ModifyOptions): Promise<Report> {
  let loaded: LoadedResource[]
  let fileError: FileError | undefined
  try {
    loaded = await collectResources({ ...options, collectAll: true })
  } catch (err) {
    if (!(err instanceof FileError)) throw err
    fileError = err
    loaded = err.loaded
  }
  if (loaded.length === 0 && !fileError) return { stdout: ['No resources specified'] }
  const outcome: Outcome = { kinds: [], errors: [] }
  const locations: string[] = []
  for (const item of loaded) {
    outcome.kinds.push(item.kind.kind)
    try {
      const problem = resolveNamespace(item.kind, item.resource, { namespace: options.namespace })
      if (problem !== undefined) throw new Error(problem)
      prepareResource(item.kind, item.resource, 'validate')
    } catch (err) {
      const message = (err as Error).message
      outcome.errors.push(message)
      const location = locateError(err, item)
      if (fileError) locations.push(`also: ${location ? `${location}: ` : ''}${massageError(message)}`)
      else if (location) locations.push(`  at ${location}`)
    }
  }
  if (fileError) return { stdout: [], error: fileError.message, details: [...fileError.details, ...locations] }
  return withLocations(reportCreateLike('validate', outcome), locations)
}
