import http from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startKddFixture, type KddFixture } from './kube-apiserver/fixture.js'
import { startKubeApiServer, type KubeApiServer } from './kube-apiserver/server.js'

/**
 * The test API server keeps the REST contract of kube-apiserver that the KDD tests rely on, so a
 * client passing against it talks to a real cluster the same way.
 */
let server: KubeApiServer

interface Reply {
  code: number
  type: string
  body: any
}

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    // An explicit length: Node sends no chunked body for DELETE.
    const type = payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) }
    const req = http.request(`${server.url}${path}`, { method, headers: { ...type, ...headers } }, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (d: string) => (text += d))
      res.on('end', () => {
        const contentType = String(res.headers['content-type'])
        resolve({ code: res.statusCode ?? 0, type: contentType, body: contentType === 'application/json' ? JSON.parse(text) : text })
      })
    })
    req.on('error', reject)
    req.end(payload)
  })
}

const POOLS = '/apis/crd.projectcalico.org/v1/ippools'
const pool = (name: string, labels?: Record<string, string>) => ({ apiVersion: 'crd.projectcalico.org/v1', kind: 'IPPool', metadata: { name, labels }, spec: { cidr: '10.0.0.0/16' } })

beforeAll(async () => {
  server = await startKubeApiServer({ tokens: { secret: 'admin' } })
})
afterAll(() => server.close())
beforeEach(() => server.store.clear())

const auth = { Authorization: 'Bearer secret' }
const as = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => call(method, path, body, { ...auth, ...headers })

describe('Kubernetes test API server', () => {
  it('answers discovery for the core, apps, apiextensions and the Calico group', async () => {
    expect((await as('GET', '/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] })
    expect((await as('GET', '/apis')).body.groups.map((g: { name: string }) => g.name)).toEqual(['apps', 'apiextensions.k8s.io', 'crd.projectcalico.org'])
    const resources = (await as('GET', '/apis/crd.projectcalico.org/v1')).body.resources
    expect(resources.find((r: { name: string }) => r.name === 'networkpolicies')).toMatchObject({ kind: 'NetworkPolicy', namespaced: true })
    expect(resources.map((r: { name: string }) => r.name)).toContain('ippools/status')
    expect((await as('GET', '/api/v1')).body.resources.map((r: { name: string }) => r.name)).toEqual([
      'events',
      'namespaces',
      'namespaces/status',
      'nodes',
      'nodes/status',
      'pods',
      'pods/log',
      'pods/status',
      'secrets',
      'serviceaccounts',
      'services',
      'services/status',
    ])
  })

  it('answers pods/log with the text set for a container, and the kubelet\'s 400s', async () => {
    await as('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'logs' } })
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'n1', containers: [{ name: 'a' }, { name: 'b' }] } }
    expect((await as('POST', '/api/v1/namespaces/logs/pods', pod)).code).toBe(201)
    server.setPodLog('logs', 'p', 'a', 'line 1\n')
    server.setPodLog('logs', 'p', 'a', 'before the restart\n', true)
    expect(await as('GET', '/api/v1/namespaces/logs/pods/p/log?container=a')).toEqual({ code: 200, type: 'text/plain', body: 'line 1\n' })
    expect(await as('GET', '/api/v1/namespaces/logs/pods/p/log?container=a&previous=true')).toEqual({ code: 200, type: 'text/plain', body: 'before the restart\n' })
    expect(await as('GET', '/api/v1/namespaces/logs/pods/p/log?container=b')).toEqual({ code: 200, type: 'text/plain', body: '' })
    const message = async (query: string) => (await as('GET', `/api/v1/namespaces/logs/pods/p/log${query}`)).body.message
    expect(await message('')).toBe('a container name must be specified for pod p, choose one of: [a b]')
    expect(await message('?container=c')).toBe('container c is not valid for pod p')
    expect(await message('?container=b&previous=true')).toBe('previous terminated container "b" in pod "p" not found')
    expect((await as('GET', '/version')).body).toMatchObject({ major: '1', gitVersion: expect.stringMatching(/^v1\./) })
  })

  it('requires credentials and answers 401 with a Status', async () => {
    expect(await call('GET', POOLS)).toEqual({
      code: 401,
      type: 'application/json',
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 },
    })
  })

  it('creates with server-owned metadata and refuses a second create with AlreadyExists', async () => {
    const created = await as('POST', POOLS, { ...pool('p1'), metadata: { name: 'p1', uid: 'client-uid' } })
    expect(created.code).toBe(201)
    expect(created.body.metadata).toEqual({
      name: 'p1',
      uid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      resourceVersion: expect.stringMatching(/^\d+$/),
      generation: 1,
      creationTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    })
    expect((await as('POST', POOLS, pool('p1'))).body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'ippools.crd.projectcalico.org "p1" already exists',
      reason: 'AlreadyExists',
      details: { name: 'p1', group: 'crd.projectcalico.org', kind: 'ippools' },
      code: 409,
    })
  })

  it("refuses a create that carries a resourceVersion with the storage layer's 500", async () => {
    expect(await as('POST', POOLS, { ...pool('p1'), metadata: { name: 'p1', resourceVersion: '999' } })).toEqual({
      code: 500,
      type: 'application/json',
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'resourceVersion should not be set on objects to be created', code: 500 },
    })
    expect((await as('GET', `${POOLS}/p1`)).code).toBe(404)
    // Checked before the name is looked up, after the object is validated.
    await as('POST', POOLS, pool('p1'))
    expect((await as('POST', POOLS, { ...pool('p1'), metadata: { name: 'p1', resourceVersion: '1' } })).code).toBe(500)
    expect((await as('POST', POOLS, { ...pool('Bad'), metadata: { name: 'Bad', resourceVersion: '1' } })).code).toBe(422)
    // A version that is no number cannot be read, so the storage layer does not object to it.
    const created = await as('POST', POOLS, { ...pool('p2'), metadata: { name: 'p2', resourceVersion: 'abc' } })
    expect(created.code).toBe(201)
    expect(created.body.metadata.resourceVersion).toMatch(/^\d+$/)
  })

  it('checks the group version, kind and name of a body', async () => {
    expect((await as('POST', POOLS, { ...pool('p1'), apiVersion: 'projectcalico.org/v3' })).body.message).toBe(
      'the API version in the data (projectcalico.org/v3) does not match the expected API version (crd.projectcalico.org/v1)',
    )
    const invalid = await as('POST', POOLS, pool('Not_DNS'))
    expect(invalid.code).toBe(422)
    expect(invalid.body.details.causes).toEqual([{ reason: 'FieldValueInvalid', message: expect.stringMatching(/^Invalid value: "Not_DNS": a lowercase RFC 1123 subdomain/), field: 'metadata.name' }])
    expect((await as('POST', POOLS, pool('p1'), { 'Content-Type': 'text/plain' })).body).toMatchObject({
      code: 415,
      reason: 'UnsupportedMediaType',
      message: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
    })
  })

  it('updates only from the current resourceVersion and bumps it; generation counts spec changes', async () => {
    const created = (await as('POST', POOLS, pool('p1'))).body
    const version = Number(created.metadata.resourceVersion)
    const changed = await as('PUT', `${POOLS}/p1`, { ...created, spec: { ...created.spec, natOutgoing: true } })
    expect(changed.code).toBe(200)
    expect(changed.body.metadata).toMatchObject({ resourceVersion: String(version + 1), generation: 2, uid: created.metadata.uid })
    const stale = await as('PUT', `${POOLS}/p1`, created)
    expect(stale.body).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on ippools.crd.projectcalico.org "p1": the object has been modified; please apply your changes to the latest version and try again',
    })
    const relabelled = await as('PUT', `${POOLS}/p1`, { ...changed.body, metadata: { ...changed.body.metadata, labels: { a: 'b' } } })
    expect(relabelled.body.metadata).toMatchObject({ resourceVersion: String(version + 2), generation: 2 })
    const noVersion = await as('PUT', `${POOLS}/p1`, { ...pool('p1') })
    expect(noVersion.body.message).toBe('IPPool.crd.projectcalico.org "p1" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update')
  })

  it('keeps status and the rest apart on resources with a status subresource', async () => {
    const statuses = '/apis/crd.projectcalico.org/v1/caliconodestatuses'
    const nodeStatus = { apiVersion: 'crd.projectcalico.org/v1', kind: 'CalicoNodeStatus', metadata: { name: 's1' }, spec: { node: 'n1' } }
    const created = (await as('POST', statuses, { ...nodeStatus, status: { lastUpdated: '2026-01-01T00:00:00Z' } })).body
    expect(created.status).toBeUndefined()
    const reported = { lastUpdated: '2026-01-01T00:00:00Z', agent: { birdV4: { state: 'Ready' } } }
    const withStatus = (await as('PUT', `${statuses}/s1/status`, { ...created, spec: { node: 'changed' }, status: reported })).body
    expect(withStatus.spec).toEqual({ node: 'n1' })
    expect(withStatus.status).toEqual(reported)
    const mainUpdate = (await as('PUT', `${statuses}/s1`, { ...withStatus, status: { lastUpdated: null } })).body
    expect(mainUpdate.status).toEqual(reported)
    // A custom resource's status subresource takes nothing but status, not even labels or annotations.
    const later = { lastUpdated: '2026-01-02T00:00:00Z' }
    const relabelled = await as('PUT', `${statuses}/s1/status`, { ...mainUpdate, metadata: { ...mainUpdate.metadata, labels: { a: 'b' }, annotations: { c: 'd' } }, status: later })
    expect(relabelled.body.metadata).toEqual({ ...mainUpdate.metadata, resourceVersion: expect.any(String) })
    expect(relabelled.body.status).toEqual(later)
    const unchanged = await as('PUT', `${statuses}/s1/status`, { ...relabelled.body, metadata: { ...relabelled.body.metadata, labels: { a: 'b' } } })
    expect(unchanged.body.metadata.resourceVersion).toBe(relabelled.body.metadata.resourceVersion)
  })

  it('deletes with uid preconditions and returns 404 after', async () => {
    const created = (await as('POST', POOLS, pool('p1'))).body
    const wrong = await as('DELETE', `${POOLS}/p1`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'other' } })
    expect(wrong.body.message).toBe(`Operation cannot be fulfilled on ippools.crd.projectcalico.org "p1": Precondition failed: UID in precondition: other, UID in object meta: ${created.metadata.uid}`)
    expect((await as('DELETE', `${POOLS}/p1`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: created.metadata.uid } })).code).toBe(200)
    expect((await as('GET', `${POOLS}/p1`)).body).toMatchObject({ code: 404, reason: 'NotFound', message: 'ippools.crd.projectcalico.org "p1" not found' })
  })

  it('filters lists by label and field selectors', async () => {
    await as('POST', POOLS, pool('a', { tier: 'web', env: 'prod' }))
    await as('POST', POOLS, pool('b', { tier: 'db', env: 'prod' }))
    await as('POST', POOLS, pool('c', { tier: 'web' }))
    const names = async (query: string) => (await as('GET', `${POOLS}?${query}`)).body.items.map((i: { metadata: { name: string } }) => i.metadata.name)
    expect(await names('labelSelector=tier%3Dweb')).toEqual(['a', 'c'])
    expect(await names('labelSelector=env%2C!missing%2Ctier+in+(db%2Cweb)')).toEqual(['a', 'b'])
    expect(await names('labelSelector=tier+notin+(web)')).toEqual(['b'])
    expect(await names('labelSelector=env!%3Dprod')).toEqual(['c'])
    expect(await names('fieldSelector=metadata.name%3Db')).toEqual(['b'])
    expect(await names(`labelSelector=${encodeURIComponent('tier in (web, db),!missing')}`)).toEqual(['a', 'b', 'c'])
    expect(await names(`labelSelector=${encodeURIComponent('tier in (in),env notin ()')}`)).toEqual([])
  })

  it("answers 400 with the label parser's text for a selector it cannot read, or keys and values that are no labels", async () => {
    const refused = async (selector: string) => {
      const reply = await as('GET', `${POOLS}?labelSelector=${encodeURIComponent(selector)}`)
      expect(reply.body).toMatchObject({ kind: 'Status', code: 400, reason: 'BadRequest' })
      return reply.body.message
    }
    const VALUE =
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    expect(await refused('tier=we$b')).toBe(`unable to parse requirement: values[0][tier]: Invalid value: "we$b": ${VALUE}`)
    expect(await refused(`tier=${'x'.repeat(64)}`)).toBe(`unable to parse requirement: values[0][tier]: Invalid value: "${'x'.repeat(64)}": must be no more than 63 bytes`)
    expect(await refused('tier in (web,-db)')).toBe(`unable to parse requirement: values[0][tier]: Invalid value: "-db": ${VALUE}`)
    expect(await refused('ti$r=web')).toBe(
      "unable to parse requirement: <nil>: Invalid value: \"ti$r\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    )
    expect(await refused('tier >')).toBe('unable to parse requirement: values[0]: Invalid value: "": for \'Gt\', \'Lt\' operators, the value must be an integer')
    expect(await refused('tier = web db')).toBe("found 'db', expected: ',' or 'end of string'")
    expect(await refused('tier,')).toBe("found '', expected: identifier after ','")
    expect(await refused('tier ~ web')).toBe("unable to parse requirement: found '~', expected: in, notin, =, ==, !=, gt, lt")
    expect(await refused('tier in web')).toBe("unable to parse requirement: found 'web' expected: '('")
    expect(await refused('=web')).toBe("found '=', expected: !, identifier, or 'end of string'")
  })

  it('pages lists with limit/continue over the snapshot of the first page', async () => {
    let last = ''
    for (const name of ['d', 'b', 'a', 'c']) last = (await as('POST', POOLS, pool(name))).body.metadata.resourceVersion
    const first = (await as('GET', `${POOLS}?limit=3`)).body
    expect(first.kind).toBe('IPPoolList')
    expect(first.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['a', 'b', 'c'])
    expect(first.metadata).toEqual({ resourceVersion: last, continue: expect.any(String), remainingItemCount: 1 })
    await as('POST', POOLS, pool('e'))
    const rest = (await as('GET', `${POOLS}?limit=3&continue=${encodeURIComponent(first.metadata.continue)}`)).body
    expect(rest.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['d'])
    expect(rest.metadata).toEqual({ resourceVersion: last })
    expect((await as('GET', `${POOLS}?continue=bogus`)).body).toMatchObject({ code: 400, reason: 'BadRequest' })
  })

  it('expires the continue tokens of lists taken before a compaction: 410 Expired, with a token that goes on at the latest revision', async () => {
    for (const name of ['a', 'b', 'c', 'd']) await as('POST', POOLS, pool(name))
    const first = (await as('GET', `${POOLS}?limit=2`)).body
    server.compact()
    await as('POST', POOLS, pool('e'))
    const expired = await as('GET', `${POOLS}?limit=2&continue=${encodeURIComponent(first.metadata.continue)}`)
    expect(expired).toEqual({
      code: 410,
      type: 'application/json',
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: { continue: expect.any(String) },
        status: 'Failure',
        message:
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, ' +
          'or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an ' +
          'inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        reason: 'Expired',
        code: 410,
      },
    })
    const names = (list: { items: Array<{ metadata: { name: string } }> }) => list.items.map((i) => i.metadata.name)
    const latest = (await as('GET', `${POOLS}?limit=2&continue=${encodeURIComponent(expired.body.metadata.continue)}`)).body
    expect(names(latest)).toEqual(['c', 'd'])
    const current = (await as('GET', `${POOLS}/e`)).body.metadata.resourceVersion
    expect(latest.metadata).toEqual({ resourceVersion: current, continue: expect.any(String), remainingItemCount: 1 })
    expect(names((await as('GET', `${POOLS}?limit=2&continue=${encodeURIComponent(latest.metadata.continue)}`)).body)).toEqual(['e'])
    // A list started after the compaction pages as usual.
    const fresh = (await as('GET', `${POOLS}?limit=4`)).body
    expect(names((await as('GET', `${POOLS}?limit=4&continue=${encodeURIComponent(fresh.metadata.continue)}`)).body)).toEqual(['e'])
  })

  it('compacts before the next continued lists when a test asks', async () => {
    for (const name of ['a', 'b', 'c']) await as('POST', POOLS, pool(name))
    server.compactBeforeContinue(1)
    const first = (await as('GET', `${POOLS}?limit=1`)).body
    expect((await as('GET', `${POOLS}?limit=1&continue=${encodeURIComponent(first.metadata.continue)}`)).code).toBe(410)
    const again = (await as('GET', `${POOLS}?limit=1`)).body
    expect((await as('GET', `${POOLS}?limit=1&continue=${encodeURIComponent(again.metadata.continue)}`)).code).toBe(200)
  })

  it('merge-patches a node as kubectl label does, on the latest version', async () => {
    const nodes = '/api/v1/nodes'
    await as('POST', nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { a: '1', b: '2' } }, status: { capacity: { cpu: '2' } } })
    const patched = await as('PATCH', `${nodes}/n1`, { metadata: { labels: { b: null, c: '3' } } }, { 'Content-Type': 'application/merge-patch+json' })
    expect(patched.body.metadata.labels).toEqual({ a: '1', c: '3' })
    expect(patched.body.status).toEqual({ capacity: { cpu: '2' } })
  })

  it('tells an unknown path (plain text) from an unknown resource of a served group (Status)', async () => {
    expect(await as('GET', '/apis/example.com/v1/things')).toEqual({ code: 404, type: 'text/plain; charset=utf-8', body: '404 page not found\n' })
    expect((await as('GET', '/apis/crd.projectcalico.org/v1/things')).body).toMatchObject({ code: 404, message: 'the server could not find the requested resource' })
    expect((await as('POST', `${POOLS}/p1`, pool('p1'))).body).toMatchObject({ code: 405, reason: 'MethodNotAllowed' })
  })
})

const NAMESPACES = '/api/v1/namespaces'
const namespace = (name: string, labels?: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } })
const pod = (name: string, nodeName?: string, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] },
})
const podsIn = (ns: string) => `${NAMESPACES}/${ns}/pods`
const itemKeys = (list: { items: Array<{ metadata: { namespace?: string; name: string } }> }) =>
  list.items.map((i) => [i.metadata.namespace, i.metadata.name].filter(Boolean).join('/'))
const STRATEGIC = { 'Content-Type': 'application/strategic-merge-patch+json' }

const calico = (kind: string, name: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'crd.projectcalico.org/v1',
  kind,
  metadata: { name },
  spec,
  ...extra,
})
const FELIX = '/apis/crd.projectcalico.org/v1/felixconfigurations'
const TIERS = '/apis/crd.projectcalico.org/v1/tiers'
const GNPS = '/apis/crd.projectcalico.org/v1/globalnetworkpolicies'

describe('Kubernetes test API server: the Calico CRDs, enforced as kube-apiserver does', () => {
  it('prunes fields the CRD does not have without a word, those newer than the release among them', async () => {
    const created = await as('POST', FELIX, calico('FelixConfiguration', 'default', { logSeverityScreen: 'Info', bpfIPFragTimeout: '30s', noSuchField: 1 }, { extra: true }))
    expect(created.code).toBe(201)
    expect(created.body.spec).toEqual({ logSeverityScreen: 'Info', nftablesMode: 'Auto' })
    expect(created.body).not.toHaveProperty('extra')
    const policy = await as('POST', GNPS, calico('GlobalNetworkPolicy', 'p', { ingress: [{ action: 'Allow', made: 'up', source: { nets: ['10.0.0.0/8'], bogus: 1 } }] }))
    expect(policy.body.spec.ingress).toEqual([{ action: 'Allow', source: { nets: ['10.0.0.0/8'] } }])
  })

  it("applies the schema's defaults, also in place of a null, and drops other nulls", async () => {
    const created = (await as('POST', POOLS, calico('IPPool', 'p1', { cidr: '10.0.0.0/16', nodeSelector: null, natOutgoing: null }))).body
    expect(created.spec).toEqual({ cidr: '10.0.0.0/16', nodeSelector: 'all()', assignmentMode: 'Automatic' })
  })

  it('refuses what breaks the OpenAPI schema with a 422 naming each field, and then skips the CEL rules', async () => {
    const bad = await as('POST', POOLS, calico('IPPool', 'p1', { cidr: '10.0.0.0/16', ipipMode: 'Sometimes', vxlanMode: 'Always', blockSize: 'big', allowedUses: ['Workload', 'Tunnel', 'LoadBalancer', 'Workload', 'Tunnel', 'LoadBalancer', 'Workload', 'Tunnel', 'LoadBalancer', 'Workload', 'Tunnel'] }))
    expect(bad.code).toBe(422)
    expect(bad.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422, details: { name: 'p1', group: 'crd.projectcalico.org', kind: 'IPPool' } })
    expect(bad.body.details.causes).toEqual([
      { reason: 'FieldValueNotSupported', message: 'Unsupported value: "Sometimes": supported values: "Never", "Always", "CrossSubnet"', field: 'spec.ipipMode' },
      { reason: 'FieldValueTypeInvalid', message: 'Invalid value: "string": spec.blockSize in body must be of type integer: "string"', field: 'spec.blockSize' },
      { reason: 'FieldValueTooMany', message: 'Too many: 11: must have at most 10 items', field: 'spec.allowedUses' },
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
        field: '<nil>',
      },
    ])
    expect(bad.body.message).toBe(
      'IPPool.crd.projectcalico.org "p1" is invalid: [spec.ipipMode: Unsupported value: "Sometimes": supported values: "Never", "Always", "CrossSubnet", ' +
        'spec.blockSize: Invalid value: "string": spec.blockSize in body must be of type integer: "string", spec.allowedUses: Too many: 11: must have at most 10 items, ' +
        '<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]',
    )
    const felix = await as('POST', FELIX, calico('FelixConfiguration', 'default', { logSeverityScreen: 'Loud', routeRefreshInterval: 'x'.repeat(5), bpfLogLevel: 'x'.repeat(100) }))
    expect(felix.body.message).toContain("spec.logSeverityScreen: Invalid value: \"Loud\": spec.logSeverityScreen in body should match '^(?i)(Trace|Debug|Info|Warning|Error|Fatal)?$'")
    const rule = await as('POST', GNPS, calico('GlobalNetworkPolicy', 'p', { ingress: [{ protocol: 'TCP', icmp: { type: 300 } }] }))
    expect(rule.body.details.causes.slice(0, 2)).toEqual([
      { reason: 'FieldValueInvalid', message: 'Invalid value: 300: spec.ingress[0].icmp.type in body should be less than or equal to 254', field: 'spec.ingress[0].icmp.type' },
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ingress[0].action' },
    ])
    expect(server.object('crd.projectcalico.org', 'ippools', 'p1')).toBeUndefined()
  })

  it("evaluates the CEL rules, reported by each rule's reason", async () => {
    const both = await as('POST', POOLS, calico('IPPool', 'p', { cidr: '10.0.0.0/16', ipipMode: 'Always', vxlanMode: 'Always' }))
    expect(both.body).toMatchObject({
      code: 422,
      message: 'IPPool.crd.projectcalico.org "p" is invalid: spec: Forbidden: ipipMode and vxlanMode cannot both be enabled',
      details: { causes: [{ reason: 'FieldValueForbidden', message: 'Forbidden: ipipMode and vxlanMode cannot both be enabled', field: 'spec' }] },
    })
    const masked = await as('POST', POOLS, calico('IPPool', 'p', { cidr: '10.0.0.1/16' }))
    expect(masked.body.message).toBe('IPPool.crd.projectcalico.org "p" is invalid: spec: Invalid value: "object": IPPool CIDR must be strictly masked')
    const rules = await as('POST', GNPS, calico('GlobalNetworkPolicy', 'p', { ingress: [{ action: 'Deny', http: { methods: ['GET'] }, destination: { services: { namespace: 'ns' } } }] }))
    expect(rules.body.message).toBe(
      'GlobalNetworkPolicy.crd.projectcalico.org "p" is invalid: [spec.ingress[0]: Forbidden: HTTP match is only valid on Allow rules, ' +
        'spec.ingress[0].destination: Invalid value: "object": no such key: name evaluating rule: services must specify a service name]',
    )
    // A rule on the whole object has no field.
    const tier = await as('POST', TIERS, calico('Tier', 'default', { order: 5, defaultAction: 'Deny' }))
    expect(tier.body.message).toBe('Tier.crd.projectcalico.org "default" is invalid: <nil>: Invalid value: "object": default tier order must be 1000000')
  })

  it("words the Kubernetes library's errors as cel-go does", async () => {
    const r = await as('POST', POOLS, calico('IPPool', 'p', { cidr: '10.0.0.0/16', ipipMode: 'Always', vxlanMode: 'Never' }))
    expect(r.code).toBe(201)
    const mapped = await as('POST', POOLS, calico('IPPool', 'v6', { cidr: '::ffff:10.0.0.0/120' }))
    expect(mapped.body.details.causes[0]).toEqual({
      reason: 'FieldValueInvalid',
      message: 'Invalid value: "object": network address parse error during conversion from string: IPv4-mapped IPv6 address "::ffff:10.0.0.0/120" is not allowed evaluating rule: IPPool CIDR must be strictly masked',
      field: 'spec',
    })
    const felix = await as('POST', FELIX, calico('FelixConfiguration', 'default', { natOutgoingAddress: 'fd00::1', deviceRouteSourceAddressIPv6: '10.0.0.1' }))
    expect(felix.body.message).toBe(
      'FelixConfiguration.crd.projectcalico.org "default" is invalid: [spec: Invalid value: "object": natOutgoingAddress must be a valid IPv4 address, ' +
        'spec: Invalid value: "object": deviceRouteSourceAddressIPv6 must be a valid IPv6 address]',
    )
  })

  it('names a repeated field error once in the message and keeps every cause', async () => {
    const r = await as('POST', GNPS, calico('GlobalNetworkPolicy', 'p', { selector: 'global()', namespaceSelector: 'global()' }))
    expect(r.body.message).toBe('GlobalNetworkPolicy.crd.projectcalico.org "p" is invalid: spec: Invalid value: "object": global() can only be used in an EntityRule namespaceSelector')
    expect(r.body.details.causes).toHaveLength(2)
  })

  it('runs transition rules on update only', async () => {
    const created = (await as('POST', POOLS, calico('IPPool', 'p', { cidr: '10.0.0.0/16', blockSize: 26 }))).body
    const moved = await as('PUT', `${POOLS}/p`, { ...created, spec: { ...created.spec, cidr: '10.1.0.0/16', blockSize: 24 } })
    expect(moved.body.message).toBe(
      'IPPool.crd.projectcalico.org "p" is invalid: [spec.cidr: Invalid value: "string": CIDR cannot be changed; follow IP pool migration guide to avoid corruption., ' +
        'spec.blockSize: Invalid value: "integer": Block size cannot be changed; follow IP pool migration guide to avoid corruption.]',
    )
    expect((await as('PUT', `${POOLS}/p`, { ...created, spec: { ...created.spec, natOutgoing: true } })).code).toBe(200)
  })

  it('stores custom resources without a CRD as they come, and all of them when started without CRDs', async () => {
    const block = { apiVersion: 'crd.projectcalico.org/v1', kind: 'IPAMBlock', metadata: { name: '10-0-0-0-26' }, spec: { anything: ['goes'] } }
    expect((await as('POST', '/apis/crd.projectcalico.org/v1/ipamblocks', block)).body.spec).toEqual({ anything: ['goes'] })
    const open = await startKubeApiServer({ crds: [] })
    try {
      const stored = await new Promise<number>((resolve, reject) => {
        const body = JSON.stringify(calico('IPPool', 'p', { cidr: 'x', ipipMode: 'Sometimes' }))
        const req = http.request(`${open.url}${POOLS}`, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => resolve(res.statusCode ?? 0))
        req.on('error', reject)
        req.end(body)
      })
      expect(stored).toBe(201)
    } finally {
      await open.close()
    }
  })
})

describe('Kubernetes test API server: core/v1 namespaces, service accounts and pods', () => {
  it('starts with the system namespaces and labels every namespace with its name', async () => {
    expect(itemKeys((await as('GET', NAMESPACES)).body)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system'])
    const created = await as('POST', NAMESPACES, { ...namespace('ns1', { team: 'a' }), status: { phase: 'Terminating' } })
    expect(created.code).toBe(201)
    expect(created.body).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'ns1',
        labels: { team: 'a', 'kubernetes.io/metadata.name': 'ns1' },
        uid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        resourceVersion: expect.stringMatching(/^\d+$/),
        creationTimestamp: expect.any(String),
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    })
    const relabelled = await as('PUT', `${NAMESPACES}/ns1`, { ...created.body, metadata: { ...created.body.metadata, labels: { 'kubernetes.io/metadata.name': 'other' } } })
    expect(relabelled.body.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'ns1' })
    expect((await as('GET', `${NAMESPACES}/ns1`)).body.metadata.resourceVersion).toBe(relabelled.body.metadata.resourceVersion)
    expect((await as('GET', `${NAMESPACES}?fieldSelector=status.phase%3DActive%2Cmetadata.name!%3Ddefault`)).body.items.length).toBe(4)
  })

  it('validates namespace names as DNS labels and keeps the system namespaces', async () => {
    expect((await as('POST', NAMESPACES, namespace('a.b'))).body).toMatchObject({
      code: 422,
      message: 'Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": must not contain dots',
    })
    expect((await as('POST', NAMESPACES, namespace('Bad_Name'))).body.details.causes[0].message).toBe(
      `Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    )
    expect((await as('DELETE', `${NAMESPACES}/default`)).body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'namespaces "default" is forbidden: this namespace may not be deleted',
      reason: 'Forbidden',
      details: { name: 'default', kind: 'namespaces' },
      code: 403,
    })
    expect((await as('DELETE', `${NAMESPACES}/kube-node-lease`)).code).toBe(200)
    expect(itemKeys((await as('GET', NAMESPACES)).body)).toEqual(['default', 'kube-public', 'kube-system'])
    // A new cluster (clear) has all of them again.
    server.store.clear()
    expect(itemKeys((await as('GET', NAMESPACES)).body)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system'])
  })

  it('creates namespaced objects only in a namespace that exists', async () => {
    const missing = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'namespaces "ns1" not found',
      reason: 'NotFound',
      details: { name: 'ns1', kind: 'namespaces' },
      code: 404,
    }
    const account = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa1' } }
    const policy = { apiVersion: 'crd.projectcalico.org/v1', kind: 'NetworkPolicy', metadata: { name: 'np1' }, spec: {} }
    expect(await as('POST', `${NAMESPACES}/ns1/serviceaccounts`, account)).toMatchObject({ code: 404, body: missing })
    expect(await as('POST', podsIn('ns1'), pod('p1'))).toMatchObject({ code: 404, body: missing })
    expect(await as('POST', '/apis/crd.projectcalico.org/v1/namespaces/ns1/networkpolicies', policy)).toMatchObject({ code: 404, body: missing })
    // Outside a namespace there is nowhere to create them.
    expect((await as('POST', '/api/v1/pods', pod('p1'))).body).toMatchObject({ code: 404, message: 'the server could not find the requested resource' })

    await as('POST', NAMESPACES, namespace('ns1'))
    const created = await as('POST', `${NAMESPACES}/ns1/serviceaccounts`, account)
    expect(created.code).toBe(201)
    expect(created.body.metadata).toEqual({
      name: 'sa1',
      namespace: 'ns1',
      uid: expect.any(String),
      resourceVersion: expect.any(String),
      creationTimestamp: expect.any(String),
    })
    expect((await as('GET', `${NAMESPACES}/ns1/serviceaccounts/sa1`)).body).toEqual(created.body)
    expect((await as('POST', '/apis/crd.projectcalico.org/v1/namespaces/ns1/networkpolicies', policy)).code).toBe(201)
  })

  it('can let namespaced objects into namespaces that do not exist (requireNamespaces: false)', async () => {
    const lax = await startKubeApiServer({ requireNamespaces: false })
    try {
      const res = await new Promise<number>((resolve, reject) => {
        const body = JSON.stringify(pod('p1'))
        const req = http.request(`${lax.url}${podsIn('nowhere')}`, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (r) => {
          r.resume().on('end', () => resolve(r.statusCode ?? 0))
        })
        req.on('error', reject)
        req.end(body)
      })
      expect(res).toBe(201)
      expect(lax.object('', 'pods', 'p1', 'nowhere')?.metadata.namespace).toBe('nowhere')
    } finally {
      await lax.close()
    }
  })

  it('lists pods within one namespace or across all, in namespace then name order', async () => {
    await as('POST', NAMESPACES, namespace('ns1'))
    await as('POST', NAMESPACES, namespace('ns2'))
    await as('POST', podsIn('ns2'), pod('a', 'n1', { app: 'web' }))
    await as('POST', podsIn('ns1'), pod('c', 'n1', { app: 'db' }))
    const created = await as('POST', podsIn('ns1'), { ...pod('b', 'n2', { app: 'web' }), status: { phase: 'Running', podIP: '10.0.0.9' } })
    // The kubelet reports status; what a client sends on create is replaced.
    expect(created.body.status).toEqual({ phase: 'Pending' })
    expect(created.body.metadata.generation).toBeUndefined()

    const all = (await as('GET', '/api/v1/pods')).body
    expect(all).toMatchObject({ kind: 'PodList', apiVersion: 'v1' })
    expect(itemKeys(all)).toEqual(['ns1/b', 'ns1/c', 'ns2/a'])
    expect(itemKeys((await as('GET', podsIn('ns1'))).body)).toEqual(['ns1/b', 'ns1/c'])
    expect(itemKeys((await as('GET', podsIn('ns3'))).body)).toEqual([])
    expect(itemKeys((await as('GET', '/api/v1/pods?labelSelector=app%3Dweb')).body)).toEqual(['ns1/b', 'ns2/a'])

    const first = (await as('GET', '/api/v1/pods?limit=2')).body
    expect(itemKeys(first)).toEqual(['ns1/b', 'ns1/c'])
    expect(first.metadata.remainingItemCount).toBe(1)
    expect(itemKeys((await as('GET', `/api/v1/pods?limit=2&continue=${encodeURIComponent(first.metadata.continue)}`)).body)).toEqual(['ns2/a'])
  })

  it('serves typed lists of core objects with items that carry no kind or apiVersion, as kube-apiserver encodes them', async () => {
    await as('POST', NAMESPACES, namespace('ns1'))
    const created = (await as('POST', podsIn('ns1'), pod('a', 'n1'))).body
    expect(created).toMatchObject({ apiVersion: 'v1', kind: 'Pod' })
    const { apiVersion: _v, kind: _k, ...item } = created
    expect((await as('GET', podsIn('ns1'))).body).toEqual({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: created.metadata.resourceVersion }, items: [item] })
    await as('POST', `${NAMESPACES}/ns1/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa1' } })
    await as('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } })
    for (const path of [NAMESPACES, '/api/v1/serviceaccounts', '/api/v1/nodes']) {
      const { items } = (await as('GET', path)).body
      expect(items.length).toBeGreaterThan(0)
      for (const listed of items) expect(Object.keys(listed).filter((k) => k === 'kind' || k === 'apiVersion')).toEqual([])
    }
    // Custom resources are unstructured: their list items keep both.
    await as('POST', POOLS, pool('p1'))
    expect((await as('GET', POOLS)).body.items[0]).toMatchObject({ apiVersion: 'crd.projectcalico.org/v1', kind: 'IPPool' })
  })

  it("takes metadata but never the spec through nodes/status and pods/status, nor a pod's owner references", async () => {
    await as('POST', NAMESPACES, namespace('ns1'))
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: '11111111-2222-3333-4444-555555555555' }
    const created = (await as('POST', podsIn('ns1'), { ...pod('p1', 'n1'), metadata: { name: 'p1', ownerReferences: [owner] } })).body
    const sent = { ...created, metadata: { ...created.metadata, labels: { app: 'web' }, ownerReferences: [] }, spec: { nodeName: 'n2' }, status: { phase: 'Running' } }
    const updated = (await as('PUT', `${podsIn('ns1')}/p1/status`, sent)).body
    expect(updated.metadata).toMatchObject({ labels: { app: 'web' }, ownerReferences: [owner] })
    expect(updated.spec).toEqual(created.spec)
    expect(updated.status).toEqual({ phase: 'Running' })

    const node = (await as('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: { podCIDR: '10.0.0.0/24' } })).body
    const annotated = (await as('PUT', '/api/v1/nodes/n1/status', { ...node, metadata: { ...node.metadata, annotations: { a: 'b' } }, spec: { unschedulable: true } })).body
    expect(annotated.metadata.annotations).toEqual({ a: 'b' })
    expect(annotated.spec).toEqual({ podCIDR: '10.0.0.0/24' })
  })

  it("selects pods by field, as calico lists a node's workloads with spec.nodeName", async () => {
    await as('POST', NAMESPACES, namespace('ns1'))
    await as('POST', NAMESPACES, namespace('ns2'))
    await as('POST', podsIn('ns1'), pod('a', 'n1'))
    await as('POST', podsIn('ns2'), pod('b', 'n1'))
    await as('POST', podsIn('ns1'), pod('c', 'n2'))
    await as('POST', podsIn('ns1'), pod('pending'))
    const keys = async (path: string, selector: string) => itemKeys((await as('GET', `${path}?fieldSelector=${encodeURIComponent(selector)}`)).body)
    expect(await keys('/api/v1/pods', 'spec.nodeName=n1')).toEqual(['ns1/a', 'ns2/b'])
    expect(await keys(podsIn('ns1'), 'spec.nodeName==n1')).toEqual(['ns1/a'])
    expect(await keys('/api/v1/pods', 'spec.nodeName=')).toEqual(['ns1/pending'])
    expect(await keys('/api/v1/pods', 'spec.nodeName!=n1,metadata.namespace=ns1')).toEqual(['ns1/c', 'ns1/pending'])
    expect(await keys('/api/v1/pods', 'spec.host=n2')).toEqual(['ns1/c'])
    expect(await keys('/api/v1/pods', 'metadata.name=b,status.phase=Pending')).toEqual(['ns2/b'])

    const bad = async (path: string, selector: string) => (await as('GET', `${path}?fieldSelector=${encodeURIComponent(selector)}`)).body
    expect(await bad('/api/v1/pods', 'spec.containers=x')).toMatchObject({ code: 400, reason: 'BadRequest', message: 'field label not supported: spec.containers' })
    expect((await bad('/api/v1/nodes', 'metadata.namespace=x')).message).toBe('field label not supported: metadata.namespace')
    expect((await bad('/api/v1/serviceaccounts', 'spec.x=1')).message).toBe('"spec.x" is not a known field selector: only "metadata.name", "metadata.namespace"')
    expect((await bad('/api/v1/pods', 'spec.nodeName=n1,nonsense')).message).toBe("invalid selector: 'spec.nodeName=n1,nonsense'; can't understand 'nonsense'")
  })

  it('strategic-merge-patches pods/status as calico writes pod annotations, on the latest version', async () => {
    await as('POST', NAMESPACES, namespace('ns1'))
    const created = (await as('POST', podsIn('ns1'), { ...pod('p1', 'n1'), metadata: { name: 'p1', annotations: { keep: 'me', drop: 'me' } } })).body
    const patch = {
      metadata: { annotations: { 'cni.projectcalico.org/podIP': '10.0.0.5/32', drop: null } },
      spec: { nodeName: 'elsewhere' },
      status: { phase: 'Running', podIP: '10.0.0.5' },
    }
    const patched = await as('PATCH', `${podsIn('ns1')}/p1/status`, patch, STRATEGIC)
    expect(patched.code).toBe(200)
    expect(patched.body.metadata.annotations).toEqual({ keep: 'me', 'cni.projectcalico.org/podIP': '10.0.0.5/32' })
    expect(patched.body.metadata.resourceVersion).toBe(String(Number(created.metadata.resourceVersion) + 1))
    // The status subresource leaves the spec alone.
    expect(patched.body.spec.nodeName).toBe('n1')
    expect(patched.body.status).toEqual({ phase: 'Running', podIP: '10.0.0.5' })
    expect(itemKeys((await as('GET', '/api/v1/pods?fieldSelector=status.podIP%3D10.0.0.5')).body)).toEqual(['ns1/p1'])

    const stale = await as('PATCH', `${podsIn('ns1')}/p1/status`, { metadata: { resourceVersion: created.metadata.resourceVersion, annotations: { a: 'b' } } }, STRATEGIC)
    expect(stale.body).toMatchObject({ code: 409, message: 'Operation cannot be fulfilled on pods "p1": the object has been modified; please apply your changes to the latest version and try again' })
    const relabelled = await as('PATCH', `${podsIn('ns1')}/p1`, { metadata: { labels: { app: 'web' } } }, STRATEGIC)
    expect(relabelled.body.metadata).toMatchObject({ labels: { app: 'web' }, resourceVersion: String(Number(created.metadata.resourceVersion) + 2) })
  })

  it('answers 415 for patch types the resource does not take, and names what this server does not model', async () => {
    await as('POST', NAMESPACES, namespace('ns1'))
    await as('POST', podsIn('ns1'), pod('p1', 'n1'))
    await as('POST', POOLS, pool('p1'))
    expect((await as('PATCH', `${podsIn('ns1')}/p1`, { metadata: {} }, { 'Content-Type': 'application/x-unknown' })).body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
      reason: 'UnsupportedMediaType',
      code: 415,
    })
    // Custom resources have no Go types to drive a strategic merge.
    expect((await as('PATCH', `${POOLS}/p1`, { spec: {} }, STRATEGIC)).body).toMatchObject({
      code: 415,
      message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    })
    expect((await as('PATCH', `${podsIn('ns1')}/p1/status`, { status: { podIPs: [{ ip: '10.0.0.5' }] } }, STRATEGIC)).body).toMatchObject({
      code: 500,
      message: 'Internal error occurred: the test API server does not model strategic merge patches of lists (status.podIPs)',
    })
    expect((await as('PATCH', `${podsIn('ns1')}/p1`, [{ op: 'add', path: '/metadata/labels', value: {} }], { 'Content-Type': 'application/json-patch+json' })).body).toMatchObject({
      code: 500,
      message: 'Internal error occurred: the test API server does not model application/json-patch+json patches',
    })
  })

  it('takes the objects of a deleted namespace along', async () => {
    await as('POST', NAMESPACES, namespace('ns1'))
    await as('POST', NAMESPACES, namespace('ns2'))
    await as('POST', podsIn('ns1'), pod('p1'))
    await as('POST', podsIn('ns2'), pod('p2'))
    const deleted = await as('DELETE', `${NAMESPACES}/ns1`)
    expect(deleted.code).toBe(200)
    expect(deleted.body.metadata.name).toBe('ns1')
    expect(itemKeys((await as('GET', '/api/v1/pods')).body)).toEqual(['ns2/p2'])
    expect((await as('GET', `${NAMESPACES}/ns1`)).body).toMatchObject({ code: 404, message: 'namespaces "ns1" not found' })
  })
})

describe('KDD fixture: namespaces, service accounts and pods as the cluster leaves them', () => {
  let kube: KddFixture
  beforeAll(async () => {
    kube = await startKddFixture()
  })
  afterAll(() => kube.close())

  it('adds them through the store and serves them over the API', async () => {
    expect(kube.addNamespace('ns1', { team: 'a' }).metadata.labels).toEqual({ team: 'a', 'kubernetes.io/metadata.name': 'ns1' })
    expect(kube.addServiceAccount('ns1', 'sa1', { role: 'x' }).metadata).toMatchObject({ name: 'sa1', namespace: 'ns1', labels: { role: 'x' } })
    const placed = kube.addPod({
      metadata: { name: 'web-1', namespace: 'ns1', labels: { app: 'web' } },
      spec: { nodeName: 'n1', serviceAccountName: 'sa1', containers: [{ name: 'c', image: 'nginx' }] },
      status: { phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }] },
    })
    expect(placed).toMatchObject({ apiVersion: 'v1', kind: 'Pod', spec: { nodeName: 'n1' }, status: { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }] } })
    expect(kube.addPod({ metadata: { name: 'queued' }, spec: { containers: [] } })).toMatchObject({ metadata: { namespace: 'default' }, status: { phase: 'Pending' } })
    expect(() => kube.addServiceAccount('nowhere', 'sa1')).toThrow('namespaces "nowhere" not found')

    const listed = await kube.request('GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dn1')
    const { apiVersion: _v, kind: _k, ...item } = placed
    expect(listed.body.items).toEqual([item])
    expect((await kube.request('GET', '/api/v1/namespaces/ns1/serviceaccounts/sa1')).body.metadata.labels).toEqual({ role: 'x' })
  })
})

describe('Kubernetes test API server without Calico installed', () => {
  const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions'
  const crd = (extra: Record<string, unknown> = {}) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'ippools.crd.projectcalico.org' },
    spec: {
      group: 'crd.projectcalico.org',
      names: { kind: 'IPPool', listKind: 'IPPoolList', plural: 'ippools', singular: 'ippool' },
      scope: 'Cluster',
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { cidr: { type: 'string' } } } } } } }],
      ...extra,
    },
  })
  let bare: KubeApiServer
  const bareCall = async (method: string, path: string, body?: unknown) => {
    const saved = server
    server = bare
    try {
      return await call(method, path, body)
    } finally {
      server = saved
    }
  }
  beforeAll(async () => {
    bare = await startKubeApiServer({ withoutCalicoCrds: true })
  })
  afterAll(() => bare.close())

  it('serves a Calico resource once its CRD is created, and admits it by the CRD schema', async () => {
    expect((await bareCall('GET', '/apis')).body.groups.map((g: { name: string }) => g.name)).toEqual(['apps', 'apiextensions.k8s.io'])
    expect(await bareCall('GET', POOLS)).toMatchObject({ code: 404, body: '404 page not found\n' })
    const created = await bareCall('POST', CRDS, crd())
    expect(created).toMatchObject({ code: 201, body: { metadata: { name: 'ippools.crd.projectcalico.org', resourceVersion: expect.any(String), uid: expect.any(String) } } })
    expect((await bareCall('POST', CRDS, crd())).body).toMatchObject({ code: 409, reason: 'AlreadyExists' })
    // Unknown fields are pruned by the CRD's schema.
    const p = await bareCall('POST', POOLS, { ...pool('p1'), spec: { cidr: '10.1.0.0/16', bogus: 1 } })
    expect(p).toMatchObject({ code: 201, body: { spec: { cidr: '10.1.0.0/16' } } })
    expect(p.body.spec.bogus).toBeUndefined()
    // An update at the current resourceVersion replaces the schema.
    const current = (await bareCall('GET', `${CRDS}/ippools.crd.projectcalico.org`)).body
    const updated = crd()
    Object.assign(updated.metadata, { resourceVersion: current.metadata.resourceVersion })
    ;(updated.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties as Record<string, unknown>).bogus = { type: 'integer' }
    expect((await bareCall('PUT', `${CRDS}/ippools.crd.projectcalico.org`, updated)).code).toBe(200)
    expect((await bareCall('POST', POOLS, { ...pool('p2'), spec: { cidr: '10.2.0.0/16', bogus: 2 } })).body.spec).toEqual({ cidr: '10.2.0.0/16', bogus: 2 })
  })

  it('refuses a CRD not named <plural>.<group>', async () => {
    const wrong = crd()
    wrong.metadata.name = 'pools.crd.projectcalico.org'
    expect((await bareCall('POST', CRDS, wrong)).body).toMatchObject({ code: 422, reason: 'Invalid' })
  })

  it('refuses a CRD in a group under k8s.io without an API approval annotation, as apiextensions does', async () => {
    const policy = (annotations?: Record<string, string>) => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.policy.networking.k8s.io', ...(annotations && { annotations }) },
      spec: { ...crd().spec, group: 'policy.networking.k8s.io', names: { kind: 'Widget', listKind: 'WidgetList', plural: 'widgets', singular: 'widget' } },
    })
    const field = 'metadata.annotations[api-approved.kubernetes.io]'
    const pr = 'see https://github.com/kubernetes/enhancements/pull/1111'
    expect((await bareCall('POST', CRDS, policy())).body.message).toBe(
      `CustomResourceDefinition.apiextensions.k8s.io "widgets.policy.networking.k8s.io" is invalid: ${field}: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", ${pr}`,
    )
    expect((await bareCall('POST', CRDS, policy({ 'api-approved.kubernetes.io': 'yes' }))).body.message).toBe(
      `CustomResourceDefinition.apiextensions.k8s.io "widgets.policy.networking.k8s.io" is invalid: ${field}: Invalid value: "yes": protected groups must have approval annotation "api-approved.kubernetes.io" with either a URL or a reason starting with "unapproved", ${pr}`,
    )
    expect((await bareCall('POST', CRDS, policy({ 'api-approved.kubernetes.io': 'unapproved, testing only' }))).code).toBe(201)
    // An update that leaves the approval state as it was is not checked again.
    const current = (await bareCall('GET', `${CRDS}/widgets.policy.networking.k8s.io`)).body
    expect((await bareCall('PUT', `${CRDS}/widgets.policy.networking.k8s.io`, { ...policy({ 'api-approved.kubernetes.io': 'unapproved: still' }), metadata: { ...current.metadata } })).code).toBe(200)
  })
})

describe('Kubernetes test API server: numbers, decoded as kube-apiserver decodes them', () => {
  const BLOCKS = '/apis/crd.projectcalico.org/v1/ipamblocks'
  /** A request with a body written by hand (JSON.stringify cannot write a 64-bit integer), and the reply's text. */
  const send = (method: string, path: string, text: string, type = 'application/json', to: KubeApiServer = server) =>
    new Promise<{ code: number; text: string }>((resolve, reject) => {
      const headers = { ...auth, 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(text)) }
      const req = http.request(`${to.url}${path}`, { method, headers }, (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (d: string) => (body += d))
        res.on('end', () => resolve({ code: res.statusCode ?? 0, text: body }))
      })
      req.on('error', reject)
      req.end(text)
    })
  const get = async (path: string) => (await send('GET', path, '')).text
  const block = (spec: string, rv = '') =>
    `{"apiVersion":"crd.projectcalico.org/v1","kind":"IPAMBlock","metadata":{"name":"10-0-0-0-26"${rv && `,"resourceVersion":"${rv}"`}},"spec":${spec}}`

  it('keeps int64s beyond 2^53 digit for digit through create, get, list, update and merge patch', async () => {
    const seqs = '{"0":9223372036854775807,"1":-9223372036854775808,"2":7}'
    const created = await send('POST', BLOCKS, block(`{"sequenceNumber":1767225600000000001,"sequenceNumberForAllocation":${seqs}}`))
    expect(created.code).toBe(201)
    expect(created.text).toContain(`"spec":{"sequenceNumber":1767225600000000001,"sequenceNumberForAllocation":${seqs}}`)
    expect(server.object('crd.projectcalico.org', 'ipamblocks', '10-0-0-0-26')?.spec).toEqual({
      sequenceNumber: 1767225600000000001n,
      sequenceNumberForAllocation: { '0': 9223372036854775807n, '1': -9223372036854775808n, '2': 7 },
    })
    expect(await get(`${BLOCKS}/10-0-0-0-26`)).toContain('"sequenceNumber":1767225600000000001,')
    expect(await get(BLOCKS)).toContain('"sequenceNumber":1767225600000000001,')
    const rv = server.object('crd.projectcalico.org', 'ipamblocks', '10-0-0-0-26')?.metadata.resourceVersion as string
    const updated = await send('PUT', `${BLOCKS}/10-0-0-0-26`, block('{"sequenceNumber":1767225600000000002}', rv))
    expect(updated).toMatchObject({ code: 200, text: expect.stringContaining('"spec":{"sequenceNumber":1767225600000000002}') })
    const patched = await send('PATCH', `${BLOCKS}/10-0-0-0-26`, '{"spec":{"sequenceNumberForAllocation":{"3":1767225600000000003}}}', 'application/merge-patch+json')
    expect(patched.code).toBe(200)
    expect(patched.text).toContain('"spec":{"sequenceNumber":1767225600000000002,"sequenceNumberForAllocation":{"3":1767225600000000003}}')
  })

  it('reads an integer past int64, and a number with a fraction or exponent, as a float64', async () => {
    const created = await send('POST', BLOCKS, block('{"big":18446744073709551615,"exponent":1e20,"fraction":9007199254740993.0,"small":2.5}'))
    expect(created.code).toBe(201)
    // Go writes a float64 as its shortest decimal, as JavaScript does.
    expect(created.text).toContain('"spec":{"big":18446744073709552000,"exponent":100000000000000000000,"fraction":9007199254740992,"small":2.5}')
  })

  it('validates int64s exactly against the CRD schema', async () => {
    const felix = (spec: string) =>
      send('POST', FELIX, `{"apiVersion":"crd.projectcalico.org/v1","kind":"FelixConfiguration","metadata":{"name":"default"},"spec":${spec}}`)
    const bad = JSON.parse((await felix('{"iptablesMarkMask":9223372036854775807,"vxlanVNI":1e20}')).text)
    expect(bad.code).toBe(422)
    // A float64 past 2^53 is no JSON integer to kube-openapi; an int64 compares with the bound exactly.
    expect(bad.details.causes).toEqual(
      expect.arrayContaining([
        { reason: 'FieldValueTypeInvalid', message: 'Invalid value: "number": spec.vxlanVNI in body must be of type integer: "number"', field: 'spec.vxlanVNI' },
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 9223372036854775807: spec.iptablesMarkMask in body should be less than or equal to 4294967295',
          field: 'spec.iptablesMarkMask',
        },
      ]),
    )
    const good = await felix('{"maxIpsetSize":9007199254740993}')
    expect(good.code).toBe(201)
    expect(good.text).toContain('"maxIpsetSize":9007199254740993')
  })

  it('gives CEL rules the int64 itself', async () => {
    const bare = await startKubeApiServer({ withoutCalicoCrds: true, tokens: { secret: 'admin' } })
    try {
      const spec = { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.a > self.b', message: 'a must exceed b' }] }
      const crd = {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'counters.example.com' },
        spec: {
          group: 'example.com',
          names: { kind: 'Counter', listKind: 'CounterList', plural: 'counters', singular: 'counter' },
          scope: 'Cluster',
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec } } } }],
        },
      }
      expect((await send('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', JSON.stringify(crd), 'application/json', bare)).code).toBe(201)
      const counter = (name: string, a: string, b: string) =>
        send('POST', '/apis/example.com/v1/counters', `{"apiVersion":"example.com/v1","kind":"Counter","metadata":{"name":"${name}"},"spec":{"a":${a},"b":${b}}}`, 'application/json', bare)
      // Both round to 2^53 as float64s.
      expect((await counter('up', '9007199254740993', '9007199254740992')).code).toBe(201)
      expect(JSON.parse((await counter('down', '9007199254740992', '9007199254740993')).text).message).toBe(
        'Counter.example.com "down" is invalid: spec: Invalid value: "object": a must exceed b',
      )
    } finally {
      await bare.close()
    }
  })
})
