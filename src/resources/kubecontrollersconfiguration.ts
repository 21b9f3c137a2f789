/**
 * KubeControllersConfiguration: libcalico-go's client (validateAndFillDefaults, and the refusal of
 * any name but `default` on create), the CRD defaults and the Go validator's struct tags.
 */
import type { FieldError } from '../errors.js'
import { checkMetadata, checkSelectorField } from './checks.js'
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

/** The CRD's defaults. */
function crdDefaults(spec: Json): void {
  spec.healthChecks ??= 'Enabled'
  const controllers = asObject(spec.controllers)
  const loadBalancer = asObject(controllers?.loadBalancer)
  if (loadBalancer) loadBalancer.assignIPs ??= 'AllServices'
  const migration = asObject(controllers?.migration)
  if (migration) migration.policyNameMigrator ??= 'Enabled'
}

function applyDefaults(resource: Resource): void {
  const spec = (resource.spec ??= {})
  for (const s of specs(resource)) for (const [holder, field] of durationFields(s)) normalizeDuration(holder, field)
  // The client's validateAndFillDefaults, on the spec only.
  spec.prometheusMetricsPort ??= 9094
  const controllers = asObject(spec.controllers)
  const node = asObject(controllers?.node)
  if (node) node.leakGracePeriod ??= '15m0s'
  const loadBalancer = asObject(controllers?.loadBalancer)
  if (loadBalancer && !loadBalancer.assignIPs) loadBalancer.assignIPs = 'AllServices'
  for (const s of specs(resource)) crdDefaults(s)
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
    if (labels && checkMetadata({ apiVersion: '', kind: '', metadata: { labels: labels as Record<string, string> } }).length > 0)
      errors.push(tagError('Labels', goMap(labels), 'labels'))
    errors.push(...checkSelectorField(template.nodeSelector, 'NodeSelector'))
    errors.push(...checkAnnotations(template.annotations))
  }
  errors.push(...enabledOrDisabled(asObject(controllers?.migration)?.policyNameMigrator, 'PolicyNameMigrator'))
  return errors
}

/**
 * The client's template checks come before the validator. kube-controllers reads only `default`:
 * the client refuses to create any other once the validator passes (updates are not checked);
 * that refusal is a plain error, so it is thrown.
 */
function check(resource: Resource, context: CheckContext): FieldError[] {
  const unreadable = specs(resource).flatMap((s) => durationFields(s).flatMap(([holder, field, goName]) => durationErrors(holder, field, goName)))
  if (unreadable.length > 0) return unreadable
  const template = templateError(resource.spec ?? {})
  if (template) return [template]
  const errors = specs(resource).flatMap(tagErrors)
  if (errors.length === 0 && checkMetadata(resource).length === 0 && context.operation === 'create' && resource.metadata.name !== 'default')
    throw new Error('Cannot create a Kube Controllers Configuration resource with a name other than "default"')
  return errors
}

export const kubeControllersConfiguration: KindDefinition = {
  kind: 'KubeControllersConfiguration',
  plural: 'kubecontrollersconfigurations',
  names: ['kubecontrollersconfiguration', 'kubecontrollersconfigurations', 'kubecontrollersconfig', 'kubecontrollersconfigs'],
  namespaced: false,
  schema: 'kubecontrollersconfiguration',
  columns: { ps: [nameColumn], wide: [nameColumn] },
  applyDefaults,
  check,
}
