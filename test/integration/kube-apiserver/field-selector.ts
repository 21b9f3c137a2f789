/**
 * Field selectors of list requests (k8s.io/apimachinery fields.ParseSelector): comma-separated
 * terms `f=v`, `f==v`, `f!=v`, all of which must hold. Each kind accepts its own fields, as the core
 * field label conversions and registry strategies define them; custom resources and kinds without a
 * conversion accept only metadata.name and metadata.namespace. A field an object lacks reads as "".
 */
import { EVENTS, NAMESPACES, NODES, PODS, type ServedResource } from './resources.js'
import { badRequest } from './status.js'
import type { KubeObject } from './store.js'

type Fields = Record<string, string>
export type FieldRequirement = (fields: Fields) => boolean

const str = (v: unknown): string => (typeof v === 'string' ? v : '')

function podFields(o: KubeObject): Fields {
  const spec = (o.spec ?? {}) as Record<string, unknown>
  const status = (o.status ?? {}) as Record<string, unknown>
  const podIPs = status.podIPs as Array<{ ip?: string }> | undefined
  return {
    'spec.nodeName': str(spec.nodeName),
    'spec.restartPolicy': str(spec.restartPolicy),
    'spec.schedulerName': str(spec.schedulerName),
    'spec.serviceAccountName': str(spec.serviceAccountName),
    'spec.hostNetwork': String(spec.hostNetwork === true),
    'status.phase': str(status.phase),
    // The registry reads the first of podIPs, which the API keeps in step with podIP.
    'status.podIP': str(podIPs?.[0]?.ip ?? status.podIP),
    'status.nominatedNodeName': str(status.nominatedNodeName),
  }
}

/** The event registry's selectable fields (kubectl describe lists a pod's events by involvedObject). */
function eventFields(o: KubeObject): Fields {
  const involved = ((o as Record<string, unknown>).involvedObject ?? {}) as Record<string, unknown>
  const source = ((o as Record<string, unknown>).source ?? {}) as Record<string, unknown>
  const fields: Fields = {}
  for (const key of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) fields[`involvedObject.${key}`] = str(involved[key])
  return { ...fields, reason: str(o.reason), reportingComponent: str(o.reportingComponent), source: str(source.component), type: str(o.type) }
}

/** Selectable fields besides metadata.name (and metadata.namespace for namespaced kinds). */
function kindFields(r: ServedResource, o: KubeObject): Fields {
  if (r === PODS) return podFields(o)
  if (r === NODES) return { 'spec.unschedulable': String((o.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true) }
  if (r === EVENTS) return eventFields(o)
  if (r === NAMESPACES) return { 'status.phase': str((o.status as { phase?: unknown } | undefined)?.phase) }
  return {}
}

export function selectableFields(r: ServedResource, o: KubeObject): Fields {
  const fields: Fields = { 'metadata.name': str(o.metadata.name), ...kindFields(r, o) }
  if (r.namespaced) fields['metadata.namespace'] = str(o.metadata.namespace)
  return fields
}

/** The labels a kind's conversion accepts, mapped to the field they select (old clients send spec.host). */
function convertLabel(r: ServedResource, label: string): string {
  const supported = (labels: string[]) => {
    if (labels.includes(label)) return label
    throw badRequest(`field label not supported: ${label}`)
  }
  if (r === PODS) {
    if (label === 'spec.host') return 'spec.nodeName'
    return supported(['metadata.name', 'metadata.namespace', ...Object.keys(podFields({ metadata: {} })), 'status.podIPs'])
  }
  if (r === NODES) return supported(['metadata.name', 'spec.unschedulable'])
  if (r === NAMESPACES) return supported(['metadata.name', 'status.phase'])
  if (r === EVENTS) return supported(['metadata.name', 'metadata.namespace', ...Object.keys(eventFields({ metadata: {} }))])
  if (label === 'metadata.name' || label === 'metadata.namespace') return label
  throw badRequest(`"${label}" is not a known field selector: only "metadata.name", "metadata.namespace"`)
}

const OPERATORS = ['!=', '==', '=']

/** Splits at the first operator found scanning left to right; values may escape `\,` `\=` `\\`. */
export function parseFieldSelector(r: ServedResource, text: string): FieldRequirement[] {
  const terms = text.split(/(?<!\\),/).filter(Boolean).sort()
  return terms.map((term) => {
    for (let i = 0; i < term.length; i++) {
      const op = OPERATORS.find((o) => term.startsWith(o, i))
      if (!op) continue
      const field = convertLabel(r, term.slice(0, i))
      const value = term.slice(i + op.length).replace(/\\(.)/g, '$1')
      return op === '!=' ? (f: Fields) => (f[field] ?? '') !== value : (f: Fields) => (f[field] ?? '') === value
    }
    throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`)
  })
}
