/**
 * Request body media types as kube-apiserver negotiates them, and the patches this server applies.
 * Types a real server accepts but this one does not model (YAML and protobuf bodies, JSON patch,
 * server-side apply, strategic merge of lists and `$` directives) answer 500 naming the gap, so a
 * client is never told something a real cluster would not say.
 */
import type { ServedResource } from './resources.js'
import { internalError, unsupportedMediaType, type StatusError } from './status.js'

const MERGE_PATCH = 'application/merge-patch+json'
const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json'
const JSON_PATCH = 'application/json-patch+json'
const APPLY_PATCH = 'application/apply-patch+yaml'

const notModelled = (what: string): StatusError => internalError(`the test API server does not model ${what}`)

/** Create and update bodies: custom resources have no protobuf encoding. */
export function checkBodyType(r: ServedResource, type: string): void {
  const accepted = r.group ? ['application/json', 'application/yaml'] : ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']
  if (!accepted.includes(type)) throw unsupportedMediaType(accepted)
  if (type !== 'application/json') throw notModelled(`${type} request bodies`)
}

/** Strategic merge patches need Go struct tags, so custom resources do not take them. */
export function checkPatchType(r: ServedResource, type: string): void {
  const accepted = r.group ? [JSON_PATCH, MERGE_PATCH, APPLY_PATCH] : [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH]
  if (!accepted.includes(type)) throw unsupportedMediaType(accepted)
  if (type !== MERGE_PATCH && type !== STRATEGIC_MERGE_PATCH) throw notModelled(`${type} patches`)
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Lists may merge by key (containers by name, podIPs by ip) in a strategic merge patch; maps merge as in RFC 7386. */
function checkMapsOnly(patch: Record<string, unknown>, path: string): void {
  for (const [key, value] of Object.entries(patch)) {
    const at = path ? `${path}.${key}` : key
    if (key.startsWith('$')) throw notModelled(`the strategic merge patch directive ${at}`)
    if (Array.isArray(value)) throw notModelled(`strategic merge patches of lists (${at})`)
    if (isMap(value)) checkMapsOnly(value, at)
  }
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return patch
  const out: Record<string, unknown> = isMap(target) ? { ...target } : {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key]
    else out[key] = mergePatch(out[key], value)
  }
  return out
}

export function applyPatch(type: string, target: unknown, patch: unknown): unknown {
  if (type === STRATEGIC_MERGE_PATCH && isMap(patch)) checkMapsOnly(patch, '')
  return mergePatch(target, patch)
}
