/**
 * The kubectl commands of `cluster diags` and where their output goes in the bundle, as
 * upstream's cluster/diags.go lays it out.
 */
import type { DiagCmd } from './exec-cmds.js'
import { containersWithPreviousLogs, type KubePod } from './kube.js'

/**
 * A resource as `<info> (yaml)` and `<info> (wide text)`: kubectl's -o yaml and -o wide (with
 * `-A`, in all namespaces, spelt -Ao as upstream does) into <file>.yaml and <file>.txt.
 */
function yamlAndWide(info: string, get: string, file: string, how: { allNamespaces?: boolean; wideInfo?: string } = {}): DiagCmd[] {
  const output = how.allNamespaces ? '-Ao' : '-o'
  return [
    { info: `${info} (yaml)`, cmd: `kubectl get ${get} ${output} yaml`, file: `${file}.yaml` },
    { info: `${info} (${how.wideInfo ?? 'wide text'})`, cmd: `kubectl get ${get} ${output} wide`, file: `${file}.txt` },
  ]
}

/** Logs and description of a pod, and the previous logs of its containers that restarted. */
export function podCmds(dir: string, linkDir: string, since: string, nodeName: string, ns: string, pod: KubePod): DiagCmd[] {
  const name = pod.metadata?.name ?? ''
  // Under the node, and linked from the namespace's directory of links.
  const inNode = (suffix: string) => ({ file: `${dir}/${nodeName}/${ns}/${name}${suffix}`, symlink: `${linkDir}/${ns}/${name}${suffix}` })
  return [
    { info: `Collect logs for pod ${name}`, cmd: `kubectl logs --since=${since} -n ${ns} ${name} --all-containers`, ...inNode('.log') },
    { info: `Collect describe for pod ${name}`, cmd: `kubectl -n ${ns} describe pods ${name}`, ...inNode('.txt') },
    // One command per container: --previous with --all-containers fails if any container never restarted.
    ...containersWithPreviousLogs(pod).map((container) => ({
      info: `Collect previous logs for container ${container} in pod ${name}`,
      cmd: `kubectl logs --previous --since=${since} -n ${ns} ${name} -c ${container}`,
      ...inNode(`.${container}.previous.log`),
    })),
  ]
}

/** `ip`, iptables, nftables, ipset, conntrack and tc in calico-node; with BPF on, its maps and programs too. */
export function calicoNodeCmds(nodeDir: string, nodeName: string, ns: string, podName: string, bpfEnabled: boolean): DiagCmd[] {
  const exec = `kubectl exec -n ${ns} -t ${podName} -c calico-node --`
  const inPod = (info: string, command: string, file: string): DiagCmd => ({ info: `Collect ${info} for node ${nodeName}`, cmd: `${exec} ${command}`, file: `${nodeDir}/${file}` })
  const cmds = [
    inPod('iptables (legacy)', 'iptables-legacy-save -c', 'iptables-legacy-save.txt'),
    inPod('iptables (nft)', 'iptables-nft-save -c', 'iptables-nft-save.txt'),
    inPod('nftables', 'nft -n -a list ruleset', 'nft-ruleset.txt'),
    inPod('ip routes', 'ip route show table all', 'ip-route.txt'),
    inPod('ipv6 routes', 'ip -6 route show table all', 'ip-route-v6.txt'),
    inPod('ip rule', 'ip rule', 'ip-rule.txt'),
    inPod('ip addr', 'ip addr', 'ip-addr.txt'),
    inPod('ip link', 'ip link', 'ip-link.txt'),
    inPod('ip neigh', 'ip neigh', 'ip-neigh.txt'),
    inPod('ipset list', 'ipset list', 'ipset-list.txt'),
    inPod('conntrack stats', 'conntrack -LSC', 'conntrack-list.txt'),
    inPod('tc qdisc', 'tc qdisc show', 'tc-qdisc.txt'),
  ]
  if (!bpfEnabled) return cmds
  // The combined calico binary's JSON dumps, else the text of older calico-nodes' calico-node -bpf.
  const bpf = (info: string, sub: string, file: string): DiagCmd => ({
    info: `Collect eBPF ${info} for node ${nodeName}`,
    cmd: `${exec} calico component node bpf ${sub} --json`,
    file: `${nodeDir}/${file}.json`,
    fallback: { cmd: `${exec} calico-node -bpf ${sub}`, file: `${nodeDir}/${file}.txt` },
  })
  return [
    ...cmds,
    bpf('conntrack', 'conntrack dump', 'bpf-conntrack'),
    bpf('ipsets', 'ipsets dump', 'bpf-ipsets'),
    bpf('nat', 'nat dump', 'bpf-nat'),
    bpf('routes', 'routes dump', 'bpf-routes'),
    bpf('counters', 'counters dump', 'bpf-counters'),
    bpf('arp', 'arp dump', 'bpf-arp'),
    bpf('ifstate', 'ifstate dump', 'bpf-ifstate'),
    bpf('conntrack stats', 'conntrack stats', 'bpf-conntrack-stats'),
    bpf('nat affinity', 'nat aff', 'bpf-nat-aff'),
    bpf('nat maglev table', 'nat maglev', 'bpf-nat-maglev'),
    inPod('eBPF prog', 'bpftool prog list', 'bpf-prog.txt'),
    inPod('eBPF map', 'bpftool map list', 'bpf-maps.txt'),
  ]
}

/** A dump of each Calico map in `bpftool map list`'s output (`<id>: <type>  name cali_...`). */
export function bpfMapDumpCmds(nodeDir: string, nodeName: string, ns: string, podName: string, listing: string): DiagCmd[] {
  return listing
    .trim()
    .split('\n')
    .flatMap((line) => {
      const m = /^(\d+):.*name (cali\w+)/.exec(line)
      if (!m) return []
      const [, id, name] = m
      return [
        {
          info: `Collect eBPF map ${id}:${name} for node ${nodeName}`,
          cmd: `kubectl exec -n ${ns} -t ${podName} -c calico-node -- bpftool map dump id ${id}`,
          file: `${nodeDir}/bpf-maps/${name}-id_${id}.txt`,
        },
      ]
    })
}

/** Each file `ls /var/log/calico/cni` listed. */
export function cniLogCmds(nodeDir: string, nodeName: string, ns: string, podName: string, listing: string): DiagCmd[] {
  return listing
    .trim()
    .split('\n')
    .map((logFile) => ({
      info: `Collect CNI log ${logFile} for the node ${nodeName}`,
      cmd: `kubectl exec -n ${ns} -t ${podName} -c calico-node -- cat /var/log/calico/cni/${logFile}`,
      file: `${nodeDir}/${logFile}.log`,
    }))
}

/**
 * Calico's resource types: the CRDs named like projectcalico or tigera (`<plural>.<group>=<storage
 * version>` from kubectl's template), then what `kubectl api-resources --api-group=projectcalico.org`
 * adds, each fetched by its fully qualified `<plural>.<version>.<group>` across namespaces.
 */
export function calicoResourceCmds(dir: string, crdListing: string | undefined, apiResources: string | undefined): DiagCmd[] {
  const collected = new Set<string>()
  const cmds: DiagCmd[] = []
  const add = (crdName: string, resource: string) => cmds.push(...yamlAndWide(`Collect Calico ${resource}`, resource, `${dir}/${crdName}`, { allNamespaces: true }))
  for (const entry of (crdListing ?? '').split(/\s+/).filter(Boolean)) {
    const eq = entry.indexOf('=')
    const crdName = eq < 0 ? entry : entry.slice(0, eq)
    const version = eq < 0 ? '' : entry.slice(eq + 1)
    if (!crdName.includes('projectcalico') && !crdName.includes('tigera')) continue
    collected.add(crdName)
    const dot = crdName.indexOf('.')
    add(crdName, version && dot > 0 ? `${crdName.slice(0, dot)}.${version}.${crdName.slice(dot + 1)}` : crdName)
  }
  for (const line of (apiResources ?? '').split('\n')) {
    const fields = line.split(/\s+/).filter(Boolean)
    if (fields.length < 3) continue
    // NAME [SHORTNAMES] APIVERSION NAMESPACED KIND: the API version is the first field with a slash.
    const plural = fields[0]
    const apiVersion = fields.slice(1).find((f) => f.includes('/')) ?? ''
    const crdName = `${plural}.projectcalico.org`
    if (collected.has(crdName)) continue
    collected.add(crdName)
    const slash = apiVersion.indexOf('/')
    add(crdName, slash >= 0 ? `${plural}.${apiVersion.slice(slash + 1)}.${apiVersion.slice(0, slash)}` : crdName)
  }
  return cmds
}

/** Everything `kubectl get all` shows in one namespace. */
export function namespaceCmds(dir: string, ns: string): DiagCmd[] {
  return yamlAndWide(`Collect all in ${ns}`, `all -n ${ns}`, `${dir}/${ns}`)
}

const KUBERNETES_RESOURCES = [
  'configmaps',
  'daemonsets',
  'deployments',
  'endpoints',
  'endpointslices',
  'pods',
  'pv',
  'pvc',
  'sc',
  'services',
  'statefulsets',
  // Older Calico Enterprise releases used these.
  'jobs',
  'cronjobs',
  // Gateway API.
  'backendlbpolicies',
  'backendtlspolicies',
  'gatewayclasses',
  'gateways',
  'grpcroutes',
  'httproutes',
  'referencegrants',
  'tcproutes',
  'tlsroutes',
  'udproutes',
]

export function kubernetesResourceCmds(dir: string): DiagCmd[] {
  // Upstream's later kinds: "(text)" rather than "(wide text)", the cluster-scoped ones text first.
  const other = (info: string, get: string, file: string, allNamespaces: boolean): DiagCmd[] => {
    const pair = yamlAndWide(info, get, `${dir}/${file}`, { allNamespaces, wideInfo: 'text' })
    return allNamespaces ? pair : pair.reverse()
  }
  return [
    ...KUBERNETES_RESOURCES.flatMap((resource) => yamlAndWide(`Collect ${resource}`, `${resource} --all-namespaces`, `${dir}/${resource}`)),
    ...yamlAndWide('Collect nodes', 'nodes', `${dir}/nodes`),
    // Upstream's labels of these two are swapped: the "(yaml)" one writes the wide text.
    { info: 'Collect namespaces (yaml)', cmd: 'kubectl get namespaces -o wide', file: `${dir}/namespaces.txt` },
    { info: 'Collect namespaces (wide text)', cmd: 'kubectl get namespaces -o yaml', file: `${dir}/namespaces.yaml` },
    ...other('Collect k8s networkpolicies', 'networkpolicies.networking.k8s.io', 'networkpolicies', true),
    ...other('Collect k8s adminnetworkpolicies', 'adminnetworkpolicies.policy.networking.k8s.io', 'adminnetworkpolicies', true),
    ...other('Collect k8s baselineadminnetworkpolicies', 'baselineadminnetworkpolicies.policy.networking.k8s.io', 'baselineadminnetworkpolicies', true),
    ...other('Collect multus network-attachment-definitions', 'network-attachment-definitions.k8s.cni.cncf.io', 'network-attachment-definitions', true),
    ...other('Collect k8s validatingwebhookconfigurations', 'validatingwebhookconfigurations.admissionregistration.k8s.io', 'validatingwebhookconfigurations', false),
    ...other('Collect k8s mutatingwebhookconfigurations', 'mutatingwebhookconfigurations.admissionregistration.k8s.io', 'mutatingwebhookconfigurations', false),
    ...other('Collect k8s apiservices', 'apiservices.apiregistration.k8s.io', 'apiservices', false),
  ]
}

export function thirdPartyCmds(dir: string): DiagCmd[] {
  return ['elasticsearches', 'kibanas', 'prometheuses', 'alertmanagers'].flatMap((resource) =>
    yamlAndWide(`Collect ${resource}`, `${resource} --all-namespaces`, `${dir}/${resource}`),
  )
}
