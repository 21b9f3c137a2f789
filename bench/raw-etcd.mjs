#!/usr/bin/env node
// The floor `apply` is measured against: the same etcd transactions calicoctl-ts sends for N BGPPeers,
// sent by the raw etcd3 client with 8 in flight, from a process of its own (start-up included).
//   create:   one create-if-absent transaction per key (version == 0 -> put)
//   reapply:  one paged read of the prefix, then one compare-and-swap per key (mod == read -> put, else get)
// and, to set up the list benchmark, `weps FROM TO`: WorkloadEndpoints FROM..TO-1 stored as calicoctl
// stores them (64 puts in flight).
// Usage: node bench/raw-etcd.mjs create|reapply N PREFIX | weps FROM TO     (ETCD_ENDPOINTS from the environment)
import { Etcd3 } from 'etcd3'

const [mode, countText, prefix] = process.argv.slice(2)
const count = Number(countText)
const IN_FLIGHT = 8
const client = new Etcd3({ hosts: process.env.ETCD_ENDPOINTS.split(',') })

if (mode === 'weps') {
  const [from, to] = [Number(countText), Number(prefix)]
  const wep = (i) => {
    const node = `node-${i % 200}`
    const namespace = `ns-${i % 50}`
    const name = `${node}-k8s-web--${i}-eth0`
    return [
      `/calico/resources/v3/projectcalico.org/workloadendpoints/${namespace}/${name}`,
      JSON.stringify({
        kind: 'WorkloadEndpoint',
        apiVersion: 'projectcalico.org/v3',
        metadata: {
          name,
          namespace,
          uid: `449ee92a-886c-4903-af35-${String(i).padStart(12, '0')}`,
          creationTimestamp: '2026-01-01T00:00:00Z',
          labels: { app: `web-${i % 10}`, 'projectcalico.org/namespace': namespace, 'projectcalico.org/orchestrator': 'k8s' },
        },
        spec: {
          orchestrator: 'k8s',
          node,
          containerID: `${i.toString(16).padStart(16, '0')}`,
          pod: `web-${i}`,
          endpoint: 'eth0',
          ipNetworks: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`],
          profiles: [`kns.${namespace}`, `ksa.${namespace}.default`],
          interfaceName: `cali${i.toString(16).padStart(11, '0')}`,
          mac: 'ee:ee:ee:ee:ee:ee',
          ports: [{ name: 'http', protocol: 'TCP', port: 80, hostPort: 0, hostIP: '' }],
        },
      }),
    ]
  }
  let next = from
  const put = async () => {
    while (next < to) {
      const [key, value] = wep(next++)
      await client.put(key).value(value)
    }
  }
  await Promise.all(Array.from({ length: 64 }, put))
  client.close()
  process.exit(0)
}
const value = (i) =>
  JSON.stringify({
    kind: 'BGPPeer',
    apiVersion: 'projectcalico.org/v3',
    metadata: { name: `peer-${i}`, uid: '449ee92a-886c-4903-af35-e03a90ef0b8f', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { peerIP: `10.0.${(i >> 8) & 255}.${i & 255}`, asNumber: 64512 },
  })

const revisions = new Map()
if (mode === 'reapply') {
  let start = prefix
  for (;;) {
    const page = await client.getAll().inRange({ start, end: `${prefix.slice(0, -1)}0` }).limit(500).exec()
    for (const kv of page.kvs) revisions.set(kv.key.toString(), kv.mod_revision)
    if (!page.more) break
    start = `${page.kvs[page.kvs.length - 1].key.toString()}\0`
  }
}

let next = 0
async function worker() {
  while (next < count) {
    const i = next++
    const key = `${prefix}peer-${i}`
    const txn =
      mode === 'create'
        ? client.if(key, 'Version', '==', 0).then(client.put(key).value(value(i)))
        : client.if(key, 'Mod', '==', revisions.get(key) ?? '0').then(client.put(key).value(value(i))).else(client.get(key))
    const result = await txn.commit()
    if (!result.succeeded) throw new Error(`${mode} of ${key} did not succeed`)
  }
}
await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
client.close()
