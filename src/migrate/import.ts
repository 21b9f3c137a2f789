/**
 * `datastore migrate import -f FILE`: an export of an etcd datastore written into a Kubernetes
 * datastore, as upstream's Import does it: the Calico CRDs created or updated, a target that already
 * holds Calico resources refused, the datastore initialised and locked, the v3 resources applied, the
 * ClusterInformation's GUID and version carried over, then the IPAM objects created.
 *
 * Unlike upstream, the file is read and checked (its three sections, every v3 document and every IPAM
 * entry) before anything is written, so bad input fails with upstream's text but leaves the cluster
 * as it was.
 */
import { readFile } from 'node:fs/promises'
import type { CalicoClient } from '../client/calico-client.js'
import { applyResource } from '../crud/actions.js'
import { runDatastoreLock } from '../crud/datastore-lock.js'
import { FileError, InputError, loadFromFile, type LoadedResource } from '../crud/load.js'
import { openClient } from '../crud/session.js'
import { loadClientConfig } from '../datastore/config.js'
import type { KubernetesDatastore } from '../datastore/kubernetes/backend.js'
import { listAllObjects } from '../datastore/kubernetes/pager.js'
import type { KubeRest } from '../datastore/kubernetes/rest.js'
import { toCalicoError } from '../datastore/kubernetes/status-errors.js'
import { CommandError, NotFoundError } from '../errors.js'
import { NoResourcesError } from '../manifest/index.js'
import { parseJsonLikeGo } from '../output/go-json-parse.js'
import { toGoJson } from '../output/json.js'
import type { KindDefinition } from '../resources/kind.js'
import { knownKind } from '../resources/registry.js'
import { resolveSchema, schemaFor, type SchemaNode } from '../resources/schema.js'
import type { Resource } from '../resources/types.js'
import { CRD_GROUP, fieldsNewerThan } from '../datastore/kubernetes/crds.js'
import { migrationCrds } from './crds.js'
import { checkLocked } from '../crud/datastore-lock.js'
import { EXPORTED_KINDS, KUBERNETES_POLICY_PREFIX } from './export.js'
import { parseIpamSection, type IpamObject } from './ipam-import.js'

export interface ImportOptions {
  config?: string
  filename: string
  stdin?: () => Promise<string>
  write(text: string): void
}

/** The tiers every Kubernetes datastore has (names.TierIsProtected): they do not make a target non-empty. */
const PROTECTED_TIERS = ['default', 'kube-admin', 'kube-baseline']

/** The file split at `===\n` lines into v3 YAML, ClusterInformation JSON and IPAM JSON (upstream's splitImportFile). */
async function readSections(options: ImportOptions): Promise<{ name: string; v3: string; clusterInfo: string; ipam: string }> {
  // Upstream reads `-` as the file /dev/stdin and names it so.
  const name = options.filename === '-' ? '/dev/stdin' : options.filename
  let text: string
  try {
    text = options.filename === '-' && options.stdin ? await options.stdin() : await readFile(name, 'utf8')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    const reason = e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'EISDIR' ? 'is a directory' : e.code === 'EACCES' ? 'permission denied' : e.message
    throw new CommandError(`error while reading migration file: ${e.code === 'EISDIR' ? 'read' : 'open'} ${name}: ${reason}`)
  }
  const parts = text.split('===\n')
  if (parts.length !== 3) throw new CommandError(`error while reading migration file: imported file: ${name} is improperly formatted. Try recreating with 'calicoctl export'`)
  return { name, v3: parts[0], clusterInfo: parts[1], ipam: parts[2] }
}

const V3_FAILED = 'failed to import v3 resources: failed to import v3 resources'

/** The v3 section's resources; none at all is not an error here (upstream fails on it only when applying). */
async function loadV3(name: string, text: string): Promise<LoadedResource[]> {
  try {
    return await loadFromFile('-', { stdin: async () => text, stdinName: name })
  } catch (err) {
    if (err instanceof NoResourcesError) return []
    if (err instanceof FileError) throw new CommandError(`${V3_FAILED}: ${err.message}`, 'stderr', err.details)
    if (err instanceof InputError || err instanceof CommandError) throw new CommandError(`${V3_FAILED}: ${err.message}`, 'stderr', err.details)
    throw err
  }
}

/** Creates each CRD, or updates it at its current resourceVersion when it exists (upstream's importCRDs). */
async function applyCrds(rest: KubeRest): Promise<void> {
  const path = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions'
  const resource = 'customresourcedefinitions.apiextensions.k8s.io'
  const fail = (text: string) => new CommandError(`error applying the CRDs necessary to begin datastore import: ${text}`)
  for (const crd of migrationCrds()) {
    const name = crd.metadata.name
    try {
      await rest.request({ method: 'POST', path, body: crd, resource, name })
      continue
    } catch (err) {
      if ((err as { status?: { reason?: string } }).status?.reason !== 'AlreadyExists') throw fail(`error creating CRD ${name}: ${(err as Error).message}`)
    }
    let current: { metadata?: { resourceVersion?: string } }
    try {
      current = await rest.request({ method: 'GET', path: `${path}/${name}`, resource, name })
    } catch (err) {
      throw fail(`error retrieving existing CRD to update: ${name}: ${(err as Error).message}`)
    }
    try {
      await rest.request({ method: 'PUT', path: `${path}/${name}`, body: { ...crd, metadata: { ...crd.metadata, resourceVersion: current.metadata?.resourceVersion } }, resource, name })
    } catch (err) {
      throw fail(`error updating CRD ${name}: ${(err as Error).message}`)
    }
  }
}

const IPAM_PLURALS = ['ipamblocks', 'blockaffinities', 'ipamhandles'] as const

/**
 * Upstream's checkCalicoResourcesNotExist: any Calico resource but the Kubernetes-owned ones (nodes,
 * `knp.default.` policies, the protected tiers), a ClusterInformation, or any IPAM object. A kind
 * that cannot be listed is passed over, as upstream's check does.
 */
async function checkEmpty(client: CalicoClient, api: ReturnType<KubernetesDatastore['apiAccess']>): Promise<void> {
  const found = (what: string) => new CommandError(`datastore already has Calico resources: ${what}. Clear out all Calico resources by deleting all Calico CRDs`)
  for (const [plural, kindName] of [...EXPORTED_KINDS, ['clusterinfo', 'ClusterInformation'] as const]) {
    if (plural === 'nodes') continue
    const kind = await knownKind(kindName)
    let items: Resource[]
    try {
      items = (await client.list(kind)).items
    } catch {
      continue
    }
    if (plural === 'networkpolicies') items = items.filter((p) => !(p.metadata.name ?? '').startsWith(KUBERNETES_POLICY_PREFIX))
    if (plural === 'tiers') items = items.filter((t) => !PROTECTED_TIERS.includes(t.metadata.name ?? ''))
    if (items.length > 0) throw found(`found existing Calico ${kind.kind} resource`)
  }
  let ipamObjects = 0
  try {
    for (const plural of IPAM_PLURALS) {
      const path = `/apis/${api.group}/${api.version}/${plural}`
      ipamObjects += (await listAllObjects(api.rest, { path, resource: `${plural}.${api.group}`, pageSize: api.pageSize }).catch((err) => {
        if (toCalicoError(err, { kind: plural, name: '' }) instanceof NotFoundError) return { items: [] }
        throw err
      })).items.length
    }
    await api.rest
      .request({ method: 'GET', path: `/apis/${api.group}/${api.version}/ipamconfigs/default`, resource: `ipamconfigs.${api.group}`, name: 'default' })
      .then(() => ipamObjects++)
      .catch((err) => {
        if (!(toCalicoError(err, { kind: 'IPAMConfig', name: 'default' }) instanceof NotFoundError)) throw err
      })
  } catch (err) {
    throw found(`failed to retrieve IPAM resources during datastore check: ${(err as Error).message}`)
  }
  if (ipamObjects > 0) throw found('found existing IPAM resources')
}

/** Go's %v of a ResourceKey in the node warning: `Node(name)`. */
const NODE_WARNING = (name: string) =>
  `[WARNING] Attempted to import node Node(${name}) from etcd that references a nonexistent Kubernetes node. Skipping that node. Non-Kubernetes nodes are not supported in the Kubernetes datastore and will be skipped.`

/**
 * Fields of a later release than the CRDs this calicoctl installs that only hold their default are
 * dropped: the API server would drop them, and nothing is lost. Exports of earlier calicoctl-ts
 * builds hold such values (their etcd client wrote FelixConfiguration's nftablesFlowTableOffload:
 * Disabled); a user may have set one too. Any other such field is left for the write to refuse.
 */
function dropNewerDefaults(kind: KindDefinition, resource: Resource): void {
  for (const { path } of fieldsNewerThan(kind, resource)) {
    if (path.includes('[')) continue
    const segments = path.split('.')
    let node: SchemaNode | undefined = schemaFor(kind.kind)
    let parent: Record<string, unknown> | undefined = resource as unknown as Record<string, unknown>
    for (const [i, segment] of segments.entries()) {
      node = node && resolveSchema(node).properties?.[segment]
      if (i < segments.length - 1) parent = parent?.[segment] as Record<string, unknown> | undefined
    }
    const last = segments[segments.length - 1]
    const schema = node && resolveSchema(node)
    if (parent && schema && schema.default !== undefined && JSON.stringify(parent[last]) === JSON.stringify(schema.default)) delete parent[last]
  }
}

/** Upstream's applyV3 on the v3 section: apply each resource; Nodes without a Kubernetes node are warned about and skipped. */
async function applyV3(client: CalicoClient, loaded: LoadedResource[], write: (text: string) => void): Promise<void> {
  // An empty section: upstream's apply finds no resources and handles none.
  if (loaded.length === 0) throw new CommandError(`${V3_FAILED}: failed to apply any resources: []`)
  const errors: Array<{ error: Error; item: LoadedResource }> = []
  for (const item of loaded) {
    try {
      dropNewerDefaults(item.kind, item.resource)
      await applyResource(client, item.kind, item.resource)
    } catch (err) {
      errors.push({ error: err as Error, item })
    }
  }
  const handled = loaded.length - errors.length
  if (handled === 0) throw new CommandError(`${V3_FAILED}: failed to apply any resources: [${errors.map((e) => e.error.message).join(' ')}]`)
  if (errors.length === 0) {
    const kinds = new Set(loaded.map((l) => l.kind.kind))
    write(kinds.size === 1 ? `Successfully applied ${handled} '${[...kinds][0]}' resource(s)\n` : `Successfully applied ${handled} resource(s)\n`)
    return
  }
  const others: string[] = []
  for (const { error, item } of errors) {
    if (error instanceof NotFoundError && item.kind.kind === 'Node') write(NODE_WARNING(item.resource.metadata.name ?? ''))
    else others.push(error.message)
  }
  if (others.length > 0) throw new CommandError(`${V3_FAILED}: hit error(s): [${others.join(' ')}]`)
}

/** Carries the etcd cluster's GUID and Calico version over to the new ClusterInformation. */
async function updateClusterInfo(client: CalicoClient, migrated: Record<string, unknown>): Promise<void> {
  const kind = await knownKind('ClusterInformation')
  const fail = (text: string) => new CommandError(`failed to update cluster information: ${text}`)
  const current = await client.get(kind, 'default').catch((err: Error) => {
    throw fail(`error retrieving current cluster info for migration: ${err.message}`)
  })
  const spec = (migrated.spec ?? {}) as Record<string, unknown>
  const updated = { ...current, spec: { ...current.spec, clusterGUID: spec.clusterGUID, calicoVersion: spec.calicoVersion } }
  for (const field of ['clusterGUID', 'calicoVersion'] as const) if (typeof updated.spec[field] !== 'string' || updated.spec[field] === '') delete updated.spec[field]
  await client.update(kind, updated).catch((err: Error) => {
    throw fail(`error updating current cluster info for migration: ${err.message}`)
  })
}

/** The crd.projectcalico.org/v1 object as Go's encoder writes it (a zero creationTimestamp is omitted since apimachinery 0.37). */
function ipamBody(object: IpamObject, group: string, version: string): string {
  const metadata = { name: object.name, labels: object.labels }
  return toGoJson({ kind: object.kind, apiVersion: `${group}/${version}`, metadata, spec: object.spec }, false)
}

/** Upstream's PushToDatastore: every object created; each failure is counted as handled and reported. */
async function pushIpam(api: ReturnType<KubernetesDatastore['apiAccess']>, objects: IpamObject[], write: (text: string) => void): Promise<void> {
  const errors: string[] = []
  for (const object of objects) {
    try {
      await api.rest.request({
        method: 'POST',
        path: `/apis/${api.group}/${api.version}/${object.plural}`,
        rawBody: ipamBody(object, api.group, api.version),
        resource: `${object.plural}.${api.group}`,
        name: object.name,
      })
    } catch (err) {
      const mapped = toCalicoError(err, { kind: object.kind, name: object.name })
      // Upstream's text says "block affinity" whatever the object is.
      errors.push(`error trying to create block affinity ${object.keyText}: ${mapped.message}`)
    }
  }
  if (errors.length === 0) {
    write(`Successfully applied ${objects.length} IPAM resource(s)\n`)
    return
  }
  write(`Partial success: applied the first ${objects.length} out of ${objects.length} resources:\n`)
  throw new CommandError(`hit error(s): [${errors.join(' ')}]`)
}

export async function runImport(options: ImportOptions): Promise<void> {
  const config = loadClientConfig({ path: options.config })
  if (config.datastoreType !== 'kubernetes')
    throw new CommandError(`invalid datastore type: ${config.datastoreType} to import to for datastore migration. Datastore type must be kubernetes`)

  // The whole file is read and checked before the cluster is touched.
  const sections = await readSections(options)
  const loaded = await loadV3(sections.name, sections.v3)
  let clusterInfo: Record<string, unknown>
  try {
    clusterInfo = parseJsonLikeGo(sections.clusterInfo) as Record<string, unknown>
    if (typeof clusterInfo !== 'object' || clusterInfo === null || Array.isArray(clusterInfo))
      throw new Error('json: cannot unmarshal non-object into Go value of type v3.ClusterInformation')
  } catch (err) {
    throw new CommandError(`failed to update cluster information: error reading exported cluster info for migration: ${(err as Error).message}`)
  }
  let ipam: IpamObject[]
  try {
    ipam = parseIpamSection(sections.ipam).objects
  } catch (err) {
    throw new CommandError(`failed to read IPAM resources: ${(err as Error).message}`)
  }
  if (ipam.length === 0) throw new CommandError('no IPAM resources specified in file')

  const client = await openClient(options.config)
  try {
    const api = (client.store as KubernetesDatastore).apiAccess()
    // Upstream also writes into projectcalico.org/v3 CRDs; only the v1 objects are written here.
    if (api.group !== CRD_GROUP)
      throw new CommandError(`this cluster keeps Calico's resources in ${api.group}/${api.version}; calicoctl-ts imports into ${CRD_GROUP}/v1 only`)
    await applyCrds(api.rest)
    await checkEmpty(client, api)
    await client.ensureInitialized().catch((err: Error) => {
      throw new CommandError(`unable to initialize cluster information for the datastore migration: ${err.message}`)
    })
    if (!(await checkLocked(client))) {
      const line = await runDatastoreLock(true, { config: options.config }).catch((err: Error) => {
        throw new CommandError(`error while attempting to lock the datastore for import: ${err.message}`)
      })
      options.write(`${line}\n`)
    }
    await applyV3(client, loaded, options.write)
    await updateClusterInfo(client, clusterInfo)
    options.write('Importing IPAM resources\n')
    await pushIpam(api, ipam, options.write)
    options.write('Datastore information successfully imported. Please refer to the datastore migration documentation for next steps.\n')
  } finally {
    await client.store.close()
  }
}
