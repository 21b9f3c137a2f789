/** kubeconfig files for tests, in the layout kubectl writes. */
import yaml from 'js-yaml'

export interface KubeconfigSpec {
  clusters: Array<{ name: string; server: string; caFile?: string; caData?: string }>
  users: Array<{ name: string; token?: string; tokenFile?: string; certFile?: string; keyFile?: string; certData?: string; keyData?: string }>
  contexts: Array<{ name: string; cluster: string; user: string }>
  currentContext?: string
}

const base64 = (pem: string) => Buffer.from(pem).toString('base64')

export function kubeconfigYaml(spec: KubeconfigSpec): string {
  return yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: spec.clusters.map((c) => ({
      name: c.name,
      cluster: {
        server: c.server,
        'certificate-authority': c.caFile,
        'certificate-authority-data': c.caData && base64(c.caData),
      },
    })),
    users: spec.users.map((u) => ({
      name: u.name,
      user: {
        token: u.token,
        tokenFile: u.tokenFile,
        'client-certificate': u.certFile,
        'client-key': u.keyFile,
        'client-certificate-data': u.certData && base64(u.certData),
        'client-key-data': u.keyData && base64(u.keyData),
      },
    })),
    contexts: spec.contexts.map((c) => ({ name: c.name, context: { cluster: c.cluster, user: c.user } })),
    'current-context': spec.currentContext,
  }, { skipInvalid: true })
}
