import { execFile, spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { calicoctlOn, etcdUnderTest, kubernetesUnderTest, type DatastoreUnderTest } from './datastores.js'
import { countInkedPixels } from '../support/png.js'
import { repoRoot, writeTempFile } from './helpers.js'

/**
 * `bgp topology` and `bgp check` through the built binary, on etcd and on the Kubernetes test API
 * server: the admin notes' route-reflector recipe with three nodes registered the way calico/node
 * (or the kubelet) does, then the recipe's mistakes. The pictures are opened in headless Chromium,
 * and `--live` is compared with real BIRD daemons configured for the recipe (scripts/bird-rr.sh).
 */

const RR = 'gihtg-k8s-master01'
const NAMES = [RR, 'gihtg-k8s-node01', 'gihtg-k8s-node02']
const IPS = ['127.0.0.21', '127.0.0.22', '127.0.0.23']
const etcdNode = (name: string, ip: string) =>
  JSON.stringify({ kind: 'Node', apiVersion: 'projectcalico.org/v3', metadata: { name, uid: `uid-${name}`, creationTimestamp: '2026-11-01T08:00:00Z' }, spec: { bgp: { ipv4Address: `${ip}/32` } } })
const kubeNode = (name: string, ip: string) => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name }, annotations: { 'projectcalico.org/IPv4Address': `${ip}/32` } },
  spec: {},
  status: { addresses: [{ type: 'InternalIP', address: ip }] },
})

const BGPCONFIG = 'apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata:\n  name: default\nspec:\n  nodeToNodeMeshEnabled: false\n  asNumber: 64512\n'
const reflector = (clusterID: boolean, ip = IPS[0]) =>
  `apiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: ${RR}\n  labels:\n    i-am-a-route-reflector: "true"\nspec:\n  bgp:\n    ipv4Address: ${ip}/32\n${clusterID ? '    routeReflectorClusterID: 224.0.0.1\n' : ''}`
const PEERS = `kind: BGPPeer
apiVersion: projectcalico.org/v3
metadata:
  name: peer-to-rrs
spec:
  nodeSelector: "!has(i-am-a-route-reflector)"
  peerSelector: has(i-am-a-route-reflector)
---
kind: BGPPeer
apiVersion: projectcalico.org/v3
metadata:
  name: rr-mesh
spec:
  nodeSelector: has(i-am-a-route-reflector)
  peerSelector: has(i-am-a-route-reflector)
`
const TABLE =
  'NODE                 PEER                 PEER IP      AS      TYPE            ROLE        FROM                  \n' +
  'gihtg-k8s-master01   gihtg-k8s-node01     127.0.0.22   64512   node specific   rr-client   BGPPeer/peer-to-rrs   \n' +
  'gihtg-k8s-master01   gihtg-k8s-node02     127.0.0.23   64512   node specific   rr-client   BGPPeer/peer-to-rrs   \n' +
  'gihtg-k8s-node01     gihtg-k8s-master01   127.0.0.21   64512   node specific   rr          BGPPeer/peer-to-rrs   \n' +
  'gihtg-k8s-node02     gihtg-k8s-master01   127.0.0.21   64512   node specific   rr          BGPPeer/peer-to-rrs   \n'

/** Registers the nodes (the reflector first) on `ips()`, then the recipe's resources as an admin applies them. */
function recipeOn(ds: DatastoreUnderTest, calicoctl: ReturnType<typeof calicoctlOn>, ips = () => IPS) {
  beforeAll(async () => {
    const addresses = ips()
    for (const [i, name] of NAMES.entries()) await ds.addNode(etcdNode(name, addresses[i]), kubeNode(name, addresses[i]))
    for (const doc of [BGPCONFIG, reflector(true, addresses[0]), PEERS]) expect((await calicoctl(['apply', '-f', '-'], doc)).code).toBe(0)
  })
}

describe.each([
  ['etcd', () => etcdUnderTest('etcdPlain')],
  ['the Kubernetes API (test server)', kubernetesUnderTest],
] as const)('bgp topology and bgp check on %s', (_name, makeDatastore) => {
  const ds = makeDatastore()
  const calicoctl = calicoctlOn(ds)
  recipeOn(ds, calicoctl)

  it('lists each side of every session of the recipe', async () => {
    expect(await calicoctl(['bgp', 'topology'])).toEqual({ code: 0, stdout: TABLE, stderr: '' })
  })

  it('narrows to one node and one family', async () => {
    const one = await calicoctl(['bgp', 'topology', '--node', 'gihtg-k8s-node02'])
    // Columns are as wide as their widest cell: one node's rows make narrower ones.
    expect(one).toEqual({
      code: 0,
      stdout:
        'NODE               PEER                 PEER IP      AS      TYPE            ROLE   FROM                  \n' +
        'gihtg-k8s-node02   gihtg-k8s-master01   127.0.0.21   64512   node specific   rr     BGPPeer/peer-to-rrs   \n',
      stderr: '',
    })
    expect((await calicoctl(['bgp', 'topology', '--ip-version', '6'])).stdout).toBe('No BGP sessions are configured.\n')
    expect(await calicoctl(['bgp', 'topology', '--node', 'nope'])).toMatchObject({ code: 1, stderr: 'node "nope" does not exist\n' })
  })

  it('prints the data as JSON, with the nodes and the findings', async () => {
    const r = await calicoctl(['bgp', 'topology', '-o', 'json'])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.nodes.find((n: { name: string }) => n.name === RR)).toMatchObject({
      asNumber: 64512,
      ipv4Address: '127.0.0.21/32',
      routeReflectorClusterID: '224.0.0.1',
      labels: expect.objectContaining({ 'i-am-a-route-reflector': 'true' }),
    })
    expect(doc.sessions.map((s: Record<string, unknown>) => `${s.node} ${s.peerIP} ${s.routeReflectorClient} ${s.type} ${s.source}`)).toEqual([
      `${RR} 127.0.0.22 true node specific BGPPeer/peer-to-rrs`,
      `${RR} 127.0.0.23 true node specific BGPPeer/peer-to-rrs`,
      `gihtg-k8s-node01 127.0.0.21 false node specific BGPPeer/peer-to-rrs`,
      `gihtg-k8s-node02 127.0.0.21 false node specific BGPPeer/peer-to-rrs`,
    ])
    expect(doc.findings.map((f: { code: string }) => f.code)).toEqual(['single-reflector'])
  })

  it('bgp check warns of the single reflector and exits 0', async () => {
    const r = await calicoctl(['bgp', 'check'])
    expect(r).toMatchObject({ code: 0, stderr: '' })
    expect(r.stdout).toContain(`WARNING single-reflector (Node/${RR})\n`)
    expect(r.stdout).toMatch(/3 nodes and 2 BGPPeers checked: 0 errors, 1 warning, 0 info\.\n$/)
    const json = await calicoctl(['bgp', 'check', '-o', 'json'])
    expect(JSON.parse(json.stdout).findings).toEqual([expect.objectContaining({ severity: 'warning', code: 'single-reflector', objects: [`Node/${RR}`] })])
  })

  it('apply --check refuses a reflector without its cluster ID and writes nothing', async () => {
    const r = await calicoctl(['apply', '--check', '-f', '-'], reflector(false))
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(`ERROR reflector-without-cluster-id (Node/${RR})`)
    expect(r.stderr).toMatch(/the BGP configuration would have 1 error: nothing was applied\n$/)
    expect((await calicoctl(['bgp', 'topology'])).stdout).toBe(TABLE)
    const ok = await calicoctl(['apply', '--check', '-f', '-'], reflector(true))
    expect(ok).toMatchObject({ code: 0, stdout: "Successfully applied 1 'Node' resource(s)\n" })
    expect(ok.stderr).toContain('0 errors, 1 warning')
  })

  it('validate --check finds a peerSelector that matches nothing', async () => {
    const typo = PEERS.replace('peerSelector: has(i-am-a-route-reflector)', 'peerSelector: has(i-am-a-route-reflecter)')
    const r = await calicoctl(['validate', '--check', '-f', '-'], typo)
    expect(r.code).toBe(1)
    expect(r.stdout).toBe("Successfully validated 2 'BGPPeer' resource(s)\n")
    expect(r.stderr).toContain('ERROR no-sessions (Node/gihtg-k8s-node01)')
    expect(r.stderr).toContain('WARNING selector-matches-nothing (BGPPeer/peer-to-rrs)')
  })

  it('bgp check exits 1 once a mistake is stored', async () => {
    expect((await calicoctl(['apply', '-f', '-'], PEERS.replace('"!has(i-am-a-route-reflector)"', 'has(nothing)'))).code).toBe(0)
    try {
      const r = await calicoctl(['bgp', 'check'])
      expect(r.code).toBe(1)
      expect(r.stdout).toContain('ERROR no-sessions (Node/gihtg-k8s-node01)')
      expect(r.stderr).toBe('the BGP configuration has 3 errors\n')
    } finally {
      expect((await calicoctl(['apply', '-f', '-'], PEERS)).code).toBe(0)
    }
  })

  it('bgp check warns of a BGPPeer stored as upstream calicoctl stores an unquoted !has(...)', async () => {
    // Upstream reads `nodeSelector: !has(...)` as a YAML tag on an empty value and stores the
    // BGPPeer without a nodeSelector; an explicit empty one is stored the same way.
    const emptied = PEERS.replace('nodeSelector: "!has(i-am-a-route-reflector)"', 'nodeSelector: ""')
    expect((await calicoctl(['apply', '-f', '-'], emptied)).code).toBe(0)
    try {
      expect((await ds.stored()).get('bgppeers/peer-to-rrs').spec).toEqual({ peerSelector: 'has(i-am-a-route-reflector)' })
      const r = await calicoctl(['bgp', 'check'])
      expect(r).toMatchObject({ code: 0, stderr: '' })
      expect(r.stdout).toContain(
        'WARNING peer-selector-without-node-selector (BGPPeer/peer-to-rrs)\n' +
          '  BGPPeer peer-to-rrs has a peerSelector (has(i-am-a-route-reflector)) but no nodeSelector: every node, including those the peerSelector matches, peers with them.\n',
      )
      expect(r.stdout).toMatch(/3 nodes and 2 BGPPeers checked: 0 errors, 2 warnings, 0 info\.\n$/)
      // The clients now peer with the reflector through a global BGPPeer; the reflector keeps them as clients.
      expect((await calicoctl(['bgp', 'topology'])).stdout).toBe(
        'NODE                 PEER                 PEER IP      AS      TYPE            ROLE        FROM                  \n' +
          'gihtg-k8s-master01   gihtg-k8s-node01     127.0.0.22   64512   node specific   rr-client   BGPPeer/peer-to-rrs   \n' +
          'gihtg-k8s-master01   gihtg-k8s-node02     127.0.0.23   64512   node specific   rr-client   BGPPeer/peer-to-rrs   \n' +
          'gihtg-k8s-node01     gihtg-k8s-master01   127.0.0.21   64512   global          rr          BGPPeer/peer-to-rrs   \n' +
          'gihtg-k8s-node02     gihtg-k8s-master01   127.0.0.21   64512   global          rr          BGPPeer/peer-to-rrs   \n',
      )
    } finally {
      expect((await calicoctl(['apply', '-f', '-'], PEERS)).code).toBe(0)
    }
  })

  it('draws DOT, Mermaid and an SVG picture', async () => {
    const dot = await calicoctl(['bgp', 'topology', '-o', 'dot'])
    expect(dot.stdout).toContain(`"${RR}" -> "gihtg-k8s-node01" [label="peer-to-rrs", dir=forward`)
    expect((await calicoctl(['bgp', 'topology', '-o', 'mermaid'])).stdout).toMatch(/^flowchart TB\n {2}subgraph rr0\["route reflector cluster 224\.0\.0\.1"\]/)
    const svg = await calicoctl(['bgp', 'topology', '-o', 'svg'])
    expect(svg.code).toBe(0)
    expect(svg.stdout).toMatch(/<svg [^>]*viewBox="/)
    // Graphviz writes some characters as numeric entities (- as &#45;).
    const text = svg.stdout.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)))
    for (const [i, name] of NAMES.entries()) {
      expect(text).toContain(`>${name}</text>`)
      expect(text).toContain(`>${IPS[i]}/32</text>`)
    }
  })
})

/** A PNG of `file` as headless Chromium shows it. */
function screenshot(browser: string, file: string, png: string): void {
  // A profile of its own, so that runs side by side do not share (and lock) one.
  const profile = `${png}.profile`
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--user-data-dir=${profile}`, '--window-size=1000,800']
  const r = spawnSync(browser, [...flags, `--screenshot=${png}`, `file://${file}`], {
    encoding: 'utf8',
    timeout: 60_000,
  })
  rmSync(profile, { recursive: true, force: true })
  if (r.status !== 0) throw new Error(`chromium failed: ${r.stderr}`)
}

describe('the pictures in a browser', () => {
  const ds = etcdUnderTest('etcdPlain')
  const calicoctl = calicoctlOn(ds)
  recipeOn(ds, calicoctl)
  // scripts/ensure-chromium.sh (run by npm test) installs Debian's chromium.
  const browser = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim() || undefined

  it('chromium is installed', () => {
    expect(browser, 'chromium is missing: run scripts/ensure-chromium.sh as root').toBeDefined()
  })

  it.skipIf(!browser).each(['svg', 'html'])('-o %s renders as a picture with something in it', async (format) => {
    const r = await calicoctl(['bgp', 'topology', '-o', format])
    expect(r.code).toBe(0)
    const page = writeTempFile(`topology.${format}`, r.stdout)
    const blank = writeTempFile('blank.html', '<!DOCTYPE html><html><body></body></html>')
    screenshot(browser as string, page, `${page}.png`)
    screenshot(browser as string, blank, `${blank}.png`)
    // The blank page shows the counting sees no ink where there is none.
    expect(countInkedPixels(readFileSync(`${blank}.png`))).toEqual({ width: 1000, height: 800, inked: 0 })
    const shot = countInkedPixels(readFileSync(`${page}.png`))
    expect(shot).toMatchObject({ width: 1000, height: 800 })
    // Three boxes with three lines of text each, two arrows: thousands of pixels.
    expect(shot.inked).toBeGreaterThan(2000)
  })
})

const asRoot = process.getuid?.() === 0
describe.skipIf(!asRoot)('bgp topology --live against BIRD daemons configured for the recipe', () => {
  const labDir = join(repoRoot, `.test-state/bird-rr-it-${process.pid}`)
  const birdRr = (action: string) => promisify(execFile)('bash', [join(repoRoot, 'scripts/bird-rr.sh'), action, '--dir', labDir])
  let lab: Record<string, string> = {}
  // The lab first: it chooses the addresses the nodes are registered with.
  beforeAll(async () => {
    const { stdout } = await birdRr('start')
    lab = Object.fromEntries(stdout.trim().split('\n').map((l) => l.split('=') as [string, string]))
  })
  afterAll(() => birdRr('stop'))
  const ds = etcdUnderTest('etcdPlain')
  const calicoctl = calicoctlOn(ds)
  recipeOn(ds, calicoctl, () => [lab.RR_IP, lab.C1_IP, lab.C2_IP])
  const live = (node: string, socket: string) => calicoctl(['bgp', 'topology', '--live', '--node', node, '--bird-socket', socket, '--bird6-socket', '/nonexistent/bird6.ctl'])
  const protocol = (ip: string) => `Node_${ip.replaceAll('.', '_')}`
  const escape = (text: string) => text.replaceAll('.', '\\.')

  it('agrees on the reflector and on each client', async () => {
    const rr = await live(RR, lab.RR_SOCKET)
    expect(rr).toMatchObject({ code: 0, stderr: '' })
    for (const [name, ip] of [['gihtg-k8s-node01', lab.C1_IP], ['gihtg-k8s-node02', lab.C2_IP]])
      expect(rr.stdout).toMatch(new RegExp(`\n${name} +${escape(ip)} +node specific +BGPPeer/peer-to-rrs +${protocol(ip)} +up Established +expected, Established +\n`))
    expect(rr.stdout).toContain('2 expected: 2 Established, 0 not Established, 0 not in BIRD; 0 live session(s) the configuration does not explain.\n')
    for (const [node, socket] of [['gihtg-k8s-node01', lab.C1_SOCKET], ['gihtg-k8s-node02', lab.C2_SOCKET]]) {
      const r = await live(node, socket)
      expect(r).toMatchObject({ code: 0, stderr: '' })
      expect(r.stdout).toMatch(new RegExp(`\n${RR} +${escape(lab.RR_IP)} +node specific +BGPPeer/peer-to-rrs +${protocol(lab.RR_IP)} +up Established +expected, Established +\n`))
      expect(r.stdout).toContain('1 expected: 1 Established, 0 not Established, 0 not in BIRD; 0 live session(s) the configuration does not explain.\n')
    }
  })

  it('tells a session BIRD lacks and one the configuration does not explain', async () => {
    const tor = 'apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: tor\nspec:\n  node: gihtg-k8s-node01\n  peerIP: 127.0.0.29\n  asNumber: 65000\n'
    expect((await calicoctl(['apply', '-f', '-'], tor)).code).toBe(0)
    expect((await calicoctl(['delete', 'bgppeer', 'peer-to-rrs'])).code).toBe(0)
    try {
      const r = await live('gihtg-k8s-node01', lab.C1_SOCKET)
      expect(r.code).toBe(1)
      expect(r.stdout).toMatch(/\n127\.0\.0\.29 +127\.0\.0\.29 +node specific +BGPPeer\/tor +Node_127_0_0_29 +expected, not in BIRD +\n/)
      expect(r.stdout).toMatch(new RegExp(`\n${escape(lab.RR_IP)} +${escape(lab.RR_IP)} +node specific +${protocol(lab.RR_IP)} +up Established +not in the configuration +\n`))
      expect(r.stdout).toContain('1 expected: 0 Established, 0 not Established, 1 not in BIRD; 1 live session(s) the configuration does not explain.\n')
      expect(r.stderr).toBe('the BGP sessions in BIRD do not match the configuration\n')
    } finally {
      await calicoctl(['delete', 'bgppeer', 'tor'])
      await calicoctl(['apply', '-f', '-'], PEERS)
    }
  })
})
