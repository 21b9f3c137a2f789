import http from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
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
  it('answers discovery for the core and the Calico group', async () => {
    expect((await as('GET', '/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] })
    expect((await as('GET', '/apis')).body.groups.map((g: { name: string }) => g.name)).toEqual(['crd.projectcalico.org'])
    const resources = (await as('GET', '/apis/crd.projectcalico.org/v1')).body.resources
    expect(resources.find((r: { name: string }) => r.name === 'networkpolicies')).toMatchObject({ kind: 'NetworkPolicy', namespaced: true })
    expect(resources.map((r: { name: string }) => r.name)).toContain('ippools/status')
    expect((await as('GET', '/api/v1')).body.resources.map((r: { name: string }) => r.name)).toEqual(['nodes', 'nodes/status'])
  })

  it('requires credentials and answers 401 with a Status', async () => {
    expect(await call('GET', POOLS)).toEqual({
      code: 401,
      type: 'application/json',
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 },
    })
  })

  it('creates with server-owned metadata and refuses a second create with AlreadyExists', async () => {
    const created = await as('POST', POOLS, { ...pool('p1'), metadata: { name: 'p1', uid: 'client-uid', resourceVersion: '999' } })
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

  it('checks the group version, kind and name of a body', async () => {
    expect((await as('POST', POOLS, { ...pool('p1'), apiVersion: 'projectcalico.org/v3' })).body.message).toBe(
      'the API version in the data (projectcalico.org/v3) does not match the expected API version (crd.projectcalico.org/v1)',
    )
    const invalid = await as('POST', POOLS, pool('Not_DNS'))
    expect(invalid.code).toBe(422)
    expect(invalid.body.details.causes).toEqual([{ reason: 'FieldValueInvalid', message: expect.stringMatching(/^Invalid value: "Not_DNS": a lowercase RFC 1123 subdomain/), field: 'metadata.name' }])
    expect((await as('POST', POOLS, pool('p1'), { 'Content-Type': 'application/yaml' })).code).toBe(415)
  })

  it('updates only from the current resourceVersion and bumps it; generation counts spec changes', async () => {
    const created = (await as('POST', POOLS, pool('p1'))).body
    const version = Number(created.metadata.resourceVersion)
    const changed = await as('PUT', `${POOLS}/p1`, { ...created, spec: { cidr: '10.1.0.0/16' } })
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
    const created = (await as('POST', POOLS, { ...pool('p1'), status: { ignored: true } })).body
    expect(created.status).toBeUndefined()
    const withStatus = (await as('PUT', `${POOLS}/p1/status`, { ...created, spec: { cidr: 'changed' }, status: { conditions: [] } })).body
    expect(withStatus.spec).toEqual({ cidr: '10.0.0.0/16' })
    expect(withStatus.status).toEqual({ conditions: [] })
    const mainUpdate = (await as('PUT', `${POOLS}/p1`, { ...withStatus, status: { conditions: ['dropped'] } })).body
    expect(mainUpdate.status).toEqual({ conditions: [] })
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
    expect((await as('GET', `${POOLS}?labelSelector=tier+%3E`)).body).toMatchObject({ code: 400, reason: 'BadRequest' })
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
