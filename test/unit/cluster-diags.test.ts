import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { bpfMapDumpCmds, calicoResourceCmds, cniLogCmds } from '../../src/cluster/commands.js'
import { CmdRunner } from '../../src/cluster/exec-cmds.js'
import { censorSecret, containersWithPreviousLogs, selectorString } from '../../src/cluster/kube.js'

describe('selectorString (LabelSelectorAsMap, then SelectorFromSet)', () => {
  it('writes the labels sorted by key, an In with one value as an equality', () => {
    expect(selectorString({ matchLabels: { 'k8s-app': 'calico-node', app: 'x' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] })).toBe(
      'app=x,k8s-app=calico-node,tier=a',
    )
    expect(selectorString(undefined)).toBe('')
    expect(selectorString({})).toBe('')
  })

  it('refuses what an equality selector cannot say, in apimachinery words', () => {
    expect(() => selectorString({ matchExpressions: [{ key: 'a', operator: 'In', values: ['x', 'y'] }] })).toThrow(
      'operator "In" without a single value cannot be converted into the old label selector format',
    )
    expect(() => selectorString({ matchExpressions: [{ key: 'a', operator: 'Exists' }] })).toThrow('operator "Exists" cannot be converted into the old label selector format')
    expect(() => selectorString({ matchExpressions: [{ key: 'a', operator: 'Near' }] })).toThrow('"Near" is not a valid selector operator')
  })
})

describe('censorSecret', () => {
  it('keeps the certificate keys, censors the rest, and drops what a typed client drops', () => {
    const censored = censorSecret({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'calico-system', uid: 'u', labels: {}, extra: 'x' },
      data: { 'tls.crt': 'Y2VydA==', 'apiserver.crt': 'YQ==', 'tls.key': 'a2V5', password: 'cA==' },
      type: 'Opaque',
      unknown: 1,
    })
    const censoredValue = Buffer.from('<censored>').toString('base64')
    expect(censored).toEqual({
      metadata: { name: 's', namespace: 'calico-system', uid: 'u', creationTimestamp: null },
      data: { 'tls.crt': 'Y2VydA==', 'apiserver.crt': 'YQ==', 'tls.key': censoredValue, password: censoredValue },
      type: 'Opaque',
    })
  })
})

it('containersWithPreviousLogs: restarted or with a terminated last state, init containers after', () => {
  expect(
    containersWithPreviousLogs({
      status: {
        containerStatuses: [{ name: 'a', restartCount: 0 }, { name: 'b', restartCount: 2 }, { name: 'c', lastState: { terminated: { exitCode: 0 } } }],
        initContainerStatuses: [{ name: 'init', restartCount: 1 }],
      },
    }),
  ).toEqual(['b', 'c', 'init'])
})

describe('calicoResourceCmds', () => {
  it('fetches the CRDs by <plural>.<storage version>.<group>, then the projectcalico.org kinds the CRDs did not give', () => {
    const crds = 'ippools.crd.projectcalico.org=v1 widgets.example.com=v1 installations.operator.tigera.io=v1 tiers.projectcalico.org= '
    const apiResources = [
      'ippools            projectcalico.org/v3   false   IPPool',
      'networkpolicies    cnp,caliconetworkpolicy   projectcalico.org/v3   true    NetworkPolicy',
      'tiers              projectcalico.org/v3   false   Tier',
      '',
    ].join('\n')
    const cmds = calicoResourceCmds('/d', crds, apiResources)
    expect(cmds.filter((_, i) => i % 2 === 0).map((c) => [c.info, c.cmd, c.file])).toEqual([
      ['Collect Calico ippools.v1.crd.projectcalico.org (yaml)', 'kubectl get ippools.v1.crd.projectcalico.org -Ao yaml', '/d/ippools.crd.projectcalico.org.yaml'],
      ['Collect Calico installations.v1.operator.tigera.io (yaml)', 'kubectl get installations.v1.operator.tigera.io -Ao yaml', '/d/installations.operator.tigera.io.yaml'],
      ['Collect Calico tiers.projectcalico.org (yaml)', 'kubectl get tiers.projectcalico.org -Ao yaml', '/d/tiers.projectcalico.org.yaml'],
      ['Collect Calico ippools.v3.projectcalico.org (yaml)', 'kubectl get ippools.v3.projectcalico.org -Ao yaml', '/d/ippools.projectcalico.org.yaml'],
      ['Collect Calico networkpolicies.v3.projectcalico.org (yaml)', 'kubectl get networkpolicies.v3.projectcalico.org -Ao yaml', '/d/networkpolicies.projectcalico.org.yaml'],
    ])
    expect(cmds[1]).toEqual({ info: 'Collect Calico ippools.v1.crd.projectcalico.org (wide text)', cmd: 'kubectl get ippools.v1.crd.projectcalico.org -Ao wide', file: '/d/ippools.crd.projectcalico.org.txt' })
  })
})

it('bpfMapDumpCmds and cniLogCmds read the listings of bpftool and ls', () => {
  const maps = '35: lru_hash  name cali_v4_srmsg  flags 0x0\n\tkey 16B  value 8B  max_entries 510000\n36: hash  name other_map  flags 0x0\n40: array  name cali_v4_state\n'
  expect(bpfMapDumpCmds('/n', 'node-a', 'calico-system', 'calico-node-x', maps).map((c) => [c.info, c.file])).toEqual([
    ['Collect eBPF map 35:cali_v4_srmsg for node node-a', '/n/bpf-maps/cali_v4_srmsg-id_35.txt'],
    ['Collect eBPF map 40:cali_v4_state for node node-a', '/n/bpf-maps/cali_v4_state-id_40.txt'],
  ])
  expect(cniLogCmds('/n', 'node-a', 'calico-system', 'calico-node-x', 'cni.log\ncni.log.1\n')).toEqual([
    { info: 'Collect CNI log cni.log for the node node-a', cmd: 'kubectl exec -n calico-system -t calico-node-x -c calico-node -- cat /var/log/calico/cni/cni.log', file: '/n/cni.log.log' },
    { info: 'Collect CNI log cni.log.1 for the node node-a', cmd: 'kubectl exec -n calico-system -t calico-node-x -c calico-node -- cat /var/log/calico/cni/cni.log.1', file: '/n/cni.log.1.log' },
  ])
})

describe('CmdRunner (ExecAllCmdsWriteToFile)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cmd-runner-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  // A tool that prints its arguments on stdout and "oops" on stderr, failing when the first is "fail".
  const bin = join(dir, 'bin')
  mkdirSync(bin)
  writeFileSync(join(bin, 'tool'), '#!/bin/sh\necho "$@"\nif [ "$1" = fail ]; then echo oops >&2; exit 3; fi\n')
  chmodSync(join(bin, 'tool'), 0o755)
  const env = { PATH: `${bin}:/usr/bin:/bin` }

  it('numbers the commands across batches, keeps a failed command\'s output, runs the fallback and links', async () => {
    const lines: string[] = []
    const runner = new CmdRunner(2, env, (line) => lines.push(line))
    await runner.runAll([
      { info: 'first', cmd: 'tool one  two', file: `${dir}/out/a.txt`, symlink: `${dir}/links/x/a.txt` },
      { info: 'second', cmd: 'tool fail now', file: `${dir}/out/b.txt` },
    ])
    await runner.runAll([{ info: 'third', cmd: 'tool fail json', file: `${dir}/out/c.json`, fallback: { cmd: 'tool text', file: `${dir}/out/c.txt` } }])
    expect(lines).toEqual(['[1] first', '[2] second', '[2] Failed to run command: tool fail now\nError: fail now\noops\n', '[3] third'])
    expect(readFileSync(`${dir}/out/a.txt`, 'utf8')).toBe('one two\n')
    expect(readFileSync(`${dir}/out/b.txt`, 'utf8')).toBe('fail now\noops\n')
    expect(readFileSync(`${dir}/out/c.txt`, 'utf8')).toBe('text\n')
    expect(() => readFileSync(`${dir}/out/c.json`)).toThrow()
    expect(readlinkSync(`${dir}/links/x/a.txt`)).toBe('../../out/a.txt')
  })

  it('reports a tool that is not installed as Go does, with an empty file', async () => {
    const lines: string[] = []
    await new CmdRunner(10, env, (line) => lines.push(line)).runAll([{ info: 'missing', cmd: 'no-such-tool x', file: `${dir}/out/m.txt` }])
    expect(lines).toEqual(['[1] missing', '[1] Failed to run command: no-such-tool x\nError: '])
    expect(readFileSync(`${dir}/out/m.txt`, 'utf8')).toBe('')
  })
})
