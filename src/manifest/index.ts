/** Reading resource documents from `-f FILE|DIR|-`, with line-precise errors. */
export { ManifestError, NoResourcesError, formatFieldPath, type FieldPath, type ManifestErrorDetails } from './errors.js'
export { memberItem, parseManifestText, type ManifestItem } from './parse.js'
export { readManifests, readManifestSources, type ManifestSource, type ReadOptions } from './read.js'
export { missingTypeHint } from './hints.js'
