/** Reading resource documents from `-f FILE|DIR|-`, with line-precise errors. */
export { ManifestError, NoResourcesError, formatFieldPath, type FieldPath, type ManifestErrorDetails } from './errors.js'
export { parseManifestText, type ManifestItem } from './parse.js'
export { readManifests, type ReadOptions } from './read.js'
