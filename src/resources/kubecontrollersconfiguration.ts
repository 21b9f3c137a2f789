/**
 * KubeControllersConfiguration: libcalico-go's client (validateAndFillDefaults, and the refusal of
 * any name but `default` on create) and the Go validator's struct tags; the CRD's defaults are the
 * schema's.
 */
import type { FieldError } from '../errors.js'
import { checkLabelsAndAnnotations, checkSelectorField } from './checks.js'
import { cidrOrIpFamily, compilesAsGoRegexp, durationErrors, normalizeDuration } from './go-values.js'
import { nameColumn, type CheckContext, type KindDefinition } from './kind.js'
import { asList, asObject, asText, checkAnnotations, goList, goMap, NAME_PATTERN, tagError, type Json } from './rule-checks.js'
import type { Resource } from './types.js'

const TEMPLATES = 'KubeControllersConfiguration.Node.HostEndpoint.Templates'

/** Controllers whose only setting is a reconciler period. */
const PERIODIC = ['node', 'policy', 'workloadEndpoint', 'serviceAccount', 'namespace']

/** The metav1.Duration fields of a spec (or of the running config in the status), with Go names. */
function durationFields(spec: Json): Array<[holder: Json | undefined, field: string, goName: string]> {
  const controllers = asObject(spec.controllers) ?? {}
  return [
    [spec, 'etcdV3CompactionPeriod', 'EtcdV3CompactionPeriod'],
    ...PERIODIC.map((c): [Json | undefined, string, string] => [asObject(controllers[c]), 'reconcilerPeriod', 'ReconcilerPeriod']),
    [asObject(controllers.node), 'leakGracePeriod', 'LeakGracePeriod'],
  ]
}

/** The spec and the status's copy of it: both are decoded, defaulted by the CRD and validated alike. */
function specs(resource: Resource): Json[] {
  const running = asObject(asObject(resource.status)?.runningConfig)
  return [resource.spec ?? {}, ...(running ? [running] : [])]
}

/** Durations as Go holds them, in the spec and the status's copy of it. */
function normalize(resource: Resource): void {
  for (const s of specs(resource)) for (const [holder, field] of durationFields(s)) normalizeDuration(holder, field)
}

/** The client's defaults in validateAndFillDefaults, on the spec only (the CRD's come with the schema). */
function applyDefaults(resource: Resource): void {
  const spec = (resource.spec ??= {})
  spec.prometheusMetricsPort ??= 9094
  const controllers = asObject(spec.controllers)
  const node = asObject(controllers?.node)
  if (node) node.leakGracePeriod ??= '15m0s'
  const loadBalancer = asObject(controllers?.loadBalancer)
  if (loadBalancer && !loadBalancer.assignIPs) loadBalancer.assignIPs = 'AllServices'
}

const templatesOf = (spec: Json): Json[] =>
  asList(asObject(asObject(asObject(spec.controllers)?.node)?.hostEndpoint)?.templates).map((t) => asObject(t) ?? {})

/** The client's template checks, which stop at the first problem. */
function templateError(spec: Json): FieldError | undefined {
  const seen = new Set<string>()
  for (const template of templatesOf(spec)) {
    const name = asText(template.generateName)
    if (name === '') return { name: TEMPLATES, reason: 'Template name must be specified' }
    if (name.length > 253) return { name: TEMPLATES, reason: 'Template name must be shorter than 253 characters' }
    if (seen.has(name)) return { name: `${TEMPLATES}.${name}`, reason: 'Template name must be unique' }
    seen.add(name)
    if (asList(template.interfaceCIDRs).length === 0 && !asText(template.interfacePattern))
      return { name: `${TEMPLATES}.${name}`, reason: 'InterfaceCIDRs or InterfacePattern must be specified' }
  }
  return undefined
}

/** The `omitempty,oneof=Enabled Disabled` tag. */
function enabledOrDisabled(value: unknown, goName: string): FieldError[] {
  const text = asText(value)
  return text && text !== 'Enabled' && text !== 'Disabled' ? [tagError(goName, text, 'oneof')] : []
}

/** Struct tags of a spec and validateTemplate, in Go field order. */
function tagErrors(spec: Json): FieldError[] {
  const errors: FieldError[] = enabledOrDisabled(spec.healthChecks, 'HealthChecks')
  const controllers = asObject(spec.controllers)
  const node = asObject(controllers?.node)
  errors.push(...enabledOrDisabled(node?.syncLabels, 'SyncLabels'))
  const hostEndpoint = asObject(node?.hostEndpoint)
  errors.push(...enabledOrDisabled(hostEndpoint?.autoCreate, 'AutoCreate'))
  const mode = asText(hostEndpoint?.createDefaultHostEndpoint)
  if (mode && mode !== 'Enabled' && mode !== 'Disabled') errors.push(tagError('CreateDefaultHostEndpoint', mode, 'createDefaultHostEndpoint'))
  for (const template of templatesOf(spec)) {
    const name = asText(template.generateName)
    if (name && !NAME_PATTERN.test(name)) errors.push(tagError('GenerateName', name, 'name'))
    const cidrs = asList(template.interfaceCIDRs).map(String)
    if (!cidrs.every((c) => cidrOrIpFamily(c) !== undefined)) errors.push(tagError('InterfaceCIDRs', goList(cidrs), 'cidrs'))
    const pattern = asText(template.interfacePattern)
    if (pattern && !compilesAsGoRegexp(pattern)) errors.push(tagError('InterfacePattern', pattern, 'regexp'))
    const labels = asObject(template.labels)
    if (labels && checkLabelsAndAnnotations({ labels: labels as Record<string, string> }).length > 0)
      errors.push(tagError('Labels', goMap(labels), 'labels'))
    errors.push(...checkSelectorField(template.nodeSelector, 'NodeSelector'))
    errors.push(...checkAnnotations(template.annotations))
  }
  errors.push(...enabledOrDisabled(asObject(controllers?.migration)?.policyNameMigrator, 'PolicyNameMigrator'))
  return errors
}

/** The validator: a duration Go cannot read fails the decoding; otherwise the struct tags of the spec and its running copy. */
function check(resource: Resource): FieldError[] {
  const unreadable = specs(resource).flatMap((s) => durationFields(s).flatMap(([holder, field, goName]) => durationErrors(holder, field, goName)))
  if (unreadable.length > 0) return unreadable
  return specs(resource).flatMap(tagErrors)
}

/** The client's template checks, before the validator, which stop at the first problem. */
function clientCheck(resource: Resource): FieldError[] {
  const template = templateError(resource.spec ?? {})
  return template ? [template] : []
}

/**
 * kube-controllers reads only `default`: once the validator passes, the client refuses to create any
 * other (updates are not checked); that refusal is a plain error, so it is thrown.
 */
function clientCheckAfterValidation(resource: Resource, context: CheckContext): FieldError[] {
  if (context.operation === 'create' && resource.metadata.name !== 'default')
    throw new Error('Cannot create a Kube Controllers Configuration resource with a name other than "default"')
  return []
}

export const kubeControllersConfiguration: KindDefinition = {
  kind: 'KubeControllersConfiguration',
  plural: 'kubecontrollersconfigurations',
  names: ['kubecontrollersconfiguration', 'kubecontrollersconfigurations', 'kubecontrollersconfig', 'kubecontrollersconfigs'],
  namespaced: false,
  schema: 'kubecontrollersconfiguration',
  columns: { ps: [nameColumn], wide: [nameColumn] },
  normalize,
  applyDefaults,
  clientCheck,
  check,
  clientCheckAfterValidation,
}
