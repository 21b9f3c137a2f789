import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, inject, it } from 'vitest'
import { etcdDelPrefix, etcdGetPrefix, etcdPut, repoRoot, runCli, writeCalicoctlCfg, writeTempFile } from './helpers.js'

/**
 * Both directions of compatibility with Calico's own components: values in the exact form
 * libcalico-go writes them (built from the datastore spec) load in our tool, and a read-edit-apply
 * cycle that changes nothing stores the same bytes again.
 */
const fixtures: Record<string, string> = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/etcd/calico-written.json'), 'utf8'))
const KEY = (plural: string, name: string) => `/calico/resources/v3/projectcalico.org/${plural}/${name}`

describe('data written by Calico components', () => {
  const env = inject('etcdPlain')
  let cfg: string
  const calicoctl = (args: string[], stdin?: string) => runCli([...args, '-c', cfg], { stdin })

  beforeEach(async () => {
    cfg = writeCalicoctlCfg(env)
    await etcdDelPrefix(env, '/calico/')
    for (const [key, value] of Object.entries(fixtures)) await etcdPut(env, key, value)
  })

  it('is listed with the values Calico stored', async () => {
    const nodes = await calicoctl(['get', 'nodes', '-o', 'wide'])
    expect(nodes).toMatchObject({ code: 0, stderr: '' })
    expect(nodes.stdout).toBe('NAME     ASN     IPV4             IPV6   \nnode-b   65001   192.168.2.2/24          \n\n')
    const peers = await calicoctl(['get', 'bgppeers', '-o', 'yaml'])
    expect(peers.stdout).toContain("    nodeSelector: has(i-am-a-route-reflector) && zone == 'a'\n")
  })

  it.each([
    ['ippool', 'ippools', 'default-ipv4-ippool'],
    ['bgpconfig', 'bgpconfigurations', 'default'],
    ['bgppeer', 'bgppeers', 'rr-mesh'],
    ['node', 'nodes', 'node-b'],
  ])('%s: get -o yaml then apply stores the same bytes', async (kind, plural, name) => {
    const exported = await calicoctl(['get', kind, name, '-o', 'yaml'])
    expect(exported.code).toBe(0)
    const applied = await calicoctl(['apply', '-f', writeTempFile(`${name}.yaml`, exported.stdout)])
    expect(applied).toMatchObject({ code: 0, stderr: '' })
    expect((await etcdGetPrefix(env, KEY(plural, name))).get(KEY(plural, name))).toBe(fixtures[KEY(plural, name)])
  })

  it('json output re-encodes to the stored value (same field order and escaping)', async () => {
    const r = await calicoctl(['get', 'bgppeer', 'rr-mesh', '-o', 'json'])
    const printed = JSON.parse(r.stdout)
    delete printed.metadata.resourceVersion
    expect(JSON.stringify(printed).replace(/&/g, '\\u0026')).toBe(fixtures[KEY('bgppeers', 'rr-mesh')])
  })

  it('accepts a cluster on its own release, refuses any other as upstream does, patch releases too', async () => {
    expect((await calicoctl(['get', 'ippool'])).code).toBe(0)
    const info = JSON.parse(fixtures[KEY('clusterinformations', 'default')])
    for (const [version, shown] of [['v3.31.0-12-gabcdef', ''], ['v3.31.2', '3.31.2'], ['v3.30.4', '3.30.4']]) {
      info.spec.calicoVersion = version
      await etcdPut(env, KEY('clusterinformations', 'default'), JSON.stringify(info))
      const r = await calicoctl(['get', 'ippool'])
      if (shown === '') expect(r.code).toBe(0)
      else
        expect(r).toEqual({
          code: 1,
          stdout: '',
          stderr: `failed to get resources: version mismatch.\nClient Version:   v3.31.0\nCluster Version:  ${shown}\nUse --allow-version-mismatch to override\n`,
        })
    }
    expect((await calicoctl(['get', 'ippool', '--allow-version-mismatch'])).code).toBe(0)
    // The check comes before the input is read or the kind looked up, as upstream's.
    const mismatch = 'version mismatch.\nClient Version:   v3.31.0\nCluster Version:  3.30.4\nUse --allow-version-mismatch to override\n'
    const unknownField = 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: x}\nspec: {bogus: 1}\n'
    expect(await calicoctl(['apply', '-f', '-'], unknownField)).toEqual({ code: 1, stdout: '', stderr: mismatch })
    expect(await calicoctl(['delete', 'foo', 'x'])).toEqual({ code: 1, stdout: '', stderr: mismatch })
    expect(await calicoctl(['get', 'foo'])).toEqual({ code: 1, stdout: '', stderr: `failed to get resources: ${mismatch}` })
    expect(await calicoctl(['patch', 'foo', 'x', '-p', '{}'])).toEqual({ code: 1, stdout: '', stderr: mismatch })
    expect(await calicoctl(['label', 'foo', 'x', 'a=b'])).toEqual({ code: 1, stdout: '', stderr: `failed to get foo x, error ${mismatch}` })
    // label reads its label argument before anything, the configuration included.
    expect(await runCli(['label', 'foo', 'x', 'nope', '-c', '/nonexistent/calicoctl.cfg'])).toEqual({ code: 1, stdout: '', stderr: 'invalid label nope\n' })
    const v = await calicoctl(['version'])
    expect(v.stdout).toBe('Client Version:    v3.31.0\nGit commit:        calicoctl-ts-0.1.0\nCluster Version:   v3.30.4\nCluster Type:      k8s,bgp\n')
  })

  it('refuses to write ClusterInformation with upstream texts', async () => {
    const doc = 'apiVersion: projectcalico.org/v3\nkind: ClusterInformation\nmetadata:\n  name: default\nspec:\n  calicoVersion: v9.9.9\n'
    expect(await calicoctl(['apply', '-f', '-'], doc)).toMatchObject({
      code: 1,
      stderr: "failed to apply 'ClusterInformation' resource: [operation apply is not supported on ClusterInformation: resource is readonly]\n",
    })
    expect(await calicoctl(['delete', 'clusterinfo', 'default'])).toMatchObject({
      code: 1,
      stderr: "Failed to delete 'ClusterInformation' resource: operation delete is not supported on ClusterInformation\n\n",
    })
    expect(await calicoctl(['label', 'clusterinformation', 'default', 'a=b'])).toEqual({ code: 1, stdout: '', stderr: 'failed to update clusterinformation default, label not changed\n' })
    expect(await calicoctl(['patch', 'clusterinfo', 'default', '-p', '{"spec":{"calicoVersion":"v9.9.9"}}'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'hit error: updating existing resource: operation apply or replace is not supported on ClusterInformation\n',
    })
    expect(await calicoctl(['label', 'ippool', '', 'a=b'])).toEqual({ code: 1, stdout: '', stderr: 'failed to get ippool , error resource name may not be empty\n' })
    expect((await etcdGetPrefix(env, KEY('clusterinformations', 'default'))).get(KEY('clusterinformations', 'default'))).toBe(fixtures[KEY('clusterinformations', 'default')])
  })
})
