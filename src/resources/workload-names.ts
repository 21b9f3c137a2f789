/**
 * WorkloadEndpoint names, as libcalico-go builds and reads them (`lib/names/workloadendpoint.go`).
 * A name joins identifier segments with `-`, each segment's own dashes doubled, in an order set by
 * the orchestrator:
 * - `k8s`: `<node>-k8s-<pod>-<endpoint>`
 * - `cni`: `<node>-cni-<containerID>-<endpoint>`
 * - `libnetwork`: `<node>-libnetwork-libnetwork-<endpoint>`
 * - anything else: `<node>-<orchestrator>-<workload>-<endpoint>`
 * The v3 client insists a WorkloadEndpoint's name is exactly that name (clientv3/workloadendpoint.go).
 */
import { ValidationError, type FieldError } from '../errors.js'
import type { Resource } from './types.js'

export interface WorkloadEndpointIds {
  node?: string
  orchestrator?: string
  workload?: string
  pod?: string
  containerID?: string
  endpoint?: string
}

type IdField = keyof WorkloadEndpointIds

/** The segment fields, in name order, for an orchestrator. */
function segmentFields(orchestrator: string | undefined): IdField[] {
  switch (orchestrator) {
    case 'k8s':
      return ['node', 'orchestrator', 'pod', 'endpoint']
    case 'cni':
      return ['node', 'orchestrator', 'containerID', 'endpoint']
    case 'libnetwork':
      return ['node', 'orchestrator', 'orchestrator', 'endpoint']
    default:
      return ['node', 'orchestrator', 'workload', 'endpoint']
  }
}

/**
 * Field errors of CalculateWorkloadEndpointName (field names are the JSON ones, as upstream reports
 * them). With `allowPrefix`, the first unset segment ends the name instead: the segments so far and a dash.
 */
function nameErrors(ids: WorkloadEndpointIds, allowPrefix = false): { name?: string; errors: FieldError[] } {
  // Upstream checks the node before anything else, and reports it without a value.
  if (!ids.node) return { errors: [{ name: 'node', reason: 'field should be assigned' }] }
  const parts: string[] = []
  for (const field of segmentFields(ids.orchestrator)) {
    const value = ids[field] ?? ''
    if (value === '' && allowPrefix) return { name: `${parts.join('-')}-`, errors: [] }
    if (value === '') return { errors: [{ name: field, value, reason: 'field should be assigned' }] }
    if (value.startsWith('-')) return { errors: [{ name: field, value, reason: "field must not begin with a '-'" }] }
    if (value.endsWith('-')) return { errors: [{ name: field, value, reason: "field must not end with a '-'" }] }
    parts.push(value.replaceAll('-', '--'))
  }
  return { name: parts.join('-'), errors: [] }
}

/** The one name a WorkloadEndpoint with these identifiers may have; throws upstream's ValidationError. */
export function workloadEndpointName(ids: WorkloadEndpointIds): string {
  const { name, errors } = nameErrors(ids)
  if (name === undefined) throw new ValidationError(errors)
  return name
}

/** The name prefix of every WorkloadEndpoint with these leading identifiers (e.g. a node's: `<node>-`). */
export function workloadEndpointNamePrefix(ids: WorkloadEndpointIds): string {
  const { name, errors } = nameErrors(ids, true)
  if (name === undefined) throw new ValidationError(errors)
  return name
}

/** Splits a name at its single dashes, undoing the doubling inside each segment. */
function splitSegments(name: string): string[] {
  const parts: string[] = []
  let lastDash = -1
  // A dash in first position can never be a separator.
  for (let i = 1; i < name.length; i++) {
    if (name[i] !== '-') continue
    if (i < name.length - 1 && name[i + 1] === '-') {
      i++
      continue
    }
    parts.push(name.slice(lastDash + 1, i).replaceAll('--', '-'))
    lastDash = i
  }
  parts.push(name.slice(lastDash + 1).replaceAll('--', '-'))
  return parts
}

/** The fields after node and orchestrator, per orchestrator, as upstream parses them back. */
function trailingFields(orchestrator: string): IdField[] {
  switch (orchestrator) {
    case 'k8s':
      return ['pod', 'endpoint']
    case 'cni':
      return ['containerID', 'endpoint']
    case 'libnetwork':
      return ['orchestrator', 'endpoint']
    default:
      return ['workload', 'endpoint']
  }
}

/**
 * Reads the identifiers back out of a name (ParseWorkloadEndpointName). Short names give only the
 * leading identifiers; a name with too many segments is an error.
 */
export function parseWorkloadEndpointName(name: string): WorkloadEndpointIds {
  if (name === '') throw new Error('Cannot parse empty string')
  const [node, orchestrator, ...rest] = splitSegments(name)
  const ids: WorkloadEndpointIds = { node }
  if (orchestrator === undefined) return ids
  ids.orchestrator = orchestrator
  const fields = trailingFields(orchestrator)
  if (rest.length > fields.length) throw new Error(`Error parsing ${name}, verify that WorkloadEndpoint name is correct`)
  rest.forEach((value, i) => (ids[fields[i]] = value))
  return ids
}

/** The identifiers a WorkloadEndpoint resource carries in its spec. */
export function workloadEndpointIds(resource: Resource): WorkloadEndpointIds {
  const spec = resource.spec ?? {}
  const text = (field: IdField): string | undefined => (typeof spec[field] === 'string' ? (spec[field] as string) : undefined)
  return {
    node: text('node'),
    orchestrator: text('orchestrator'),
    workload: text('workload'),
    pod: text('pod'),
    containerID: text('containerID'),
    endpoint: text('endpoint'),
  }
}

/**
 * The v3 client's check on create and update (assignOrValidateName): an empty name is filled in
 * with the computed one; any other name must equal it. Returns the field errors, empty when fine.
 */
export function assignOrValidateWorkloadEndpointName(resource: Resource): FieldError[] {
  const { name: expected, errors } = nameErrors(workloadEndpointIds(resource))
  if (expected === undefined) return errors
  const name = resource.metadata.name ?? ''
  if (name === '') {
    resource.metadata.name = expected
    return []
  }
  if (name === expected) return []
  return [
    {
      name: 'Name',
      value: name,
      reason: `the WorkloadEndpoint name does not match the primary identifiers assigned in the Spec: expected name ${expected}`,
    },
  ]
}

export const NAMESPACE_LABEL = 'projectcalico.org/namespace'
export const ORCHESTRATOR_LABEL = 'projectcalico.org/orchestrator'
export const SERVICE_ACCOUNT_LABEL = 'projectcalico.org/serviceaccount'

/**
 * The labels the v3 client stores for a WorkloadEndpoint (updateLabelsForStorage): the resource's
 * own, with the namespace and orchestrator labels forced to the resource's values.
 */
export function workloadEndpointLabelsForStorage(resource: Resource): Record<string, string> {
  const orchestrator = resource.spec?.orchestrator
  return sortedLabels({
    ...resource.metadata.labels,
    [NAMESPACE_LABEL]: resource.metadata.namespace ?? '',
    [ORCHESTRATOR_LABEL]: typeof orchestrator === 'string' ? orchestrator : '',
  })
}

/** A label map with its keys in the order Go writes a map (sorted). */
export function sortedLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}
