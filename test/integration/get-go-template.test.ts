import { dirname } from 'node:path'
import { describe, expect, it } from 'vitest'
import { calicoctlOn, etcdUnderTest, kubernetesUnderTest } from './datastores.js'
import { writeTempFile } from './helpers.js'

/**
 * `get -o go-template=...` and `-o go-template-file=...` through the built binary on both
 * datastores: the template sees calicoctl's result list with Go field names, has join,
 * joinAndTruncate and config, and its errors (Go's, and safetext's YAML checks) are the command's.
 */

const POOLS = [
  ['a', '10.20.0.0/16', '  annotations:\n    note: "owner: team-a"\n'],
  ['b', '10.21.0.0/16', ''],
]
  .map(([n, cidr, meta]) => `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: pool-${n}\n${meta}spec:\n  cidr: ${cidr}\n`)
  .join('---\n')
const NODES = [
  ['tpl-node1', '127.0.0.31'],
  ['tpl-node2', '127.0.0.32'],
]
const etcdNode = (name: string, ip: string) =>
  JSON.stringify({ kind: 'Node', apiVersion: 'projectcalico.org/v3', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: { bgp: { ipv4Address: `${ip}/32` } } })
const kubeNode = (name: string, ip: string) => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name }, annotations: { 'projectcalico.org/IPv4Address': `${ip}/32` } },
  spec: {},
  status: { addresses: [{ type: 'InternalIP', address: ip }] },
})
const BGPCONFIG = 'apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata:\n  name: default\nspec:\n  asNumber: 64999\n'

describe.each([
  ['etcd', () => etcdUnderTest('etcdPlain')],
  ['kubernetes', kubernetesUnderTest],
] as const)('get -o go-template on %s', (_name, makeDatastore) => {
  const ds = makeDatastore()
  const calicoctl = calicoctlOn(ds)

  it('sets up pools and nodes', async () => {
    expect((await calicoctl(['create', '-f', writeTempFile('tpl-pools.yaml', POOLS)])).code).toBe(0)
    for (const [name, ip] of NODES) await ds.addNode(etcdNode(name, ip), kubeNode(name, ip))
  })

  it('walks a list get as one <Kind>List and prints no newline of its own', async () => {
    const r = await calicoctl(['get', 'ippools', '-o', 'go-template={{range .}}{{range .Items}}{{.Spec.CIDR}},{{end}}{{end}}'])
    expect(r).toEqual({ code: 0, stdout: '10.20.0.0/16,10.21.0.0/16,', stderr: '' })
    const meta = await calicoctl(['get', 'ippools', '-o', 'go-template={{range .}}{{.Kind}} {{.APIVersion}} {{$n := len .Items}}{{$n}}{{end}}'])
    expect(meta.stdout).toBe('IPPoolList projectcalico.org/v3 2')
    // safetext's copy of the items fails on their embedded structs, as upstream's does.
    const len = await calicoctl(['get', 'ippools', '-o', 'go-template={{range .}}{{len .Items}}{{end}}'])
    expect(len).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'template: get:1:0: executing "get" at <ApplyInjectionDetection>: error calling ApplyInjectionDetection: reflect.Set: value of type *v1.TypeMeta is not assignable to type v1.TypeMeta\n',
    })
  })

  it('gives named gets the objects themselves, in the order asked', async () => {
    const r = await calicoctl(['get', 'ippool', 'pool-b', 'pool-a', '-o', 'go-template={{range .}}{{.ObjectMeta.Name}}/{{.Name}} {{end}}'])
    expect(r).toEqual({ code: 0, stdout: 'pool-b/pool-b pool-a/pool-a ', stderr: '' })
  })

  it('prints what it found, then the names it did not find, failing', async () => {
    const r = await calicoctl(['get', 'ippool', 'pool-a', 'nope', '-o', 'go-template={{range .}}{{.Name}} {{end}}'])
    expect(r).toEqual({ code: 1, stdout: 'pool-a ', stderr: `resource does not exist: IPPool(nope) with error: ${ds.notFoundInner('ippools', 'nope')}\n` })
  })

  it("prints the nodes' BGP addresses and labels", async () => {
    const r = await calicoctl(['get', 'nodes', '-o', 'go-template={{range .}}{{range .Items}}{{.ObjectMeta.Name}} {{.Spec.BGP.IPv4Address}} {{.Labels}}{{"\\n"}}{{end}}{{end}}'])
    expect(r).toEqual({
      code: 0,
      stdout: 'tpl-node1 127.0.0.31/32 map[kubernetes.io/hostname:tpl-node1]\ntpl-node2 127.0.0.32/32 map[kubernetes.io/hostname:tpl-node2]\n',
      stderr: '',
    })
  })

  it('has join and joinAndTruncate', async () => {
    const r = await calicoctl(['get', 'node', 'tpl-node1', '-o', 'go-template={{range .}}{{join .Labels ";"}} {{joinAndTruncate .Spec.BGP.IPv4Address "," 5}}{{end}}'])
    expect(r).toEqual({ code: 0, stdout: 'kubernetes.io/hostname=tpl-node1 12...', stderr: '' })
  })

  it('reads config "asnumber": 64512 without a BGPConfiguration, else its AS number', async () => {
    expect((await calicoctl(['get', 'ippool', 'pool-a', '-o', 'go-template={{config "asnumber"}}'])).stdout).toBe('64512')
    expect((await calicoctl(['apply', '-f', '-'], BGPCONFIG)).code).toBe(0)
    expect((await calicoctl(['get', 'ippool', 'pool-a', '-o', 'go-template={{config "asnumber"}}'])).stdout).toBe('64999')
  })

  it("fails with Go's parse and exec errors, printing nothing of the output", async () => {
    expect(await calicoctl(['get', 'ippools', '-o', 'go-template={{.Foo}'])).toEqual({ code: 1, stdout: '', stderr: 'template: get:1: unexpected "}" in operand\n' })
    expect(await calicoctl(['get', 'ippools', '-o', 'go-template=x{{range .}}{{.Spec}}{{end}}'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'template: get:1:14: executing "get" at <.Spec>: can\'t evaluate field Spec in type runtime.Object\n',
    })
  })

  it('reads go-template-file, with Go\'s error for a missing file', async () => {
    const file = writeTempFile('pools.tmpl', '{{range .}}{{range .Items}}{{.Name}} {{end}}{{end}}')
    expect(await calicoctl(['get', 'ippools', '-o', `go-template-file=${file}`])).toEqual({ code: 0, stdout: 'pool-a pool-b ', stderr: '' })
    const missing = `${file}.nope`
    expect(await calicoctl(['get', 'ippools', '-o', `go-template-file=${missing}`])).toEqual({ code: 1, stdout: '', stderr: `open ${missing}: no such file or directory\n` })
    const dir = dirname(file)
    expect(await calicoctl(['get', 'ippools', '-o', `go-template-file=${dir}`])).toEqual({ code: 1, stdout: '', stderr: `read ${dir}: is a directory\n` })
  })

  it("refuses output whose YAML structure the data changes, as safetext's yamltemplate does", async () => {
    // Names as mapping keys: the baseline run repeats one key.
    const keys = await calicoctl(['get', 'ippools', '-o', 'go-template={{range .}}{{range .Items}}{{.Name}}: {{.Spec.CIDR}}{{"\\n"}}{{end}}{{end}}'])
    expect(keys).toEqual({ code: 1, stdout: '', stderr: 'Invalid YAML Template\n' })
    // An annotation holding ": " turns a scalar into a mapping.
    const note = await calicoctl(['get', 'ippool', 'pool-a', '-o', 'go-template={{range .}}{{.Annotations.note}}{{end}}'])
    expect(note).toEqual({ code: 1, stdout: '', stderr: 'YAML Injection Detected\n' })
  })
})
