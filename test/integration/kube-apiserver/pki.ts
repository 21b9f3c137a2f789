/**
 * Certificates for the test API server, made with openssl like scripts/etcd.sh makes etcd's:
 * a cluster CA, a serving certificate for 127.0.0.1/localhost, a client certificate the CA signed
 * (CN = user name, O = group, as kube-apiserver reads them) and one from a CA the server does not trust.
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface Pki {
  dir: string
  caFile: string
  serverCertFile: string
  serverKeyFile: string
  /** Client certificate of user `kube-admin` in group `system:masters`. */
  clientCertFile: string
  clientKeyFile: string
  /** A client certificate signed by another CA. */
  untrustedCertFile: string
  untrustedKeyFile: string
  /** PEM contents, for the server and for inline kubeconfig data. */
  pem(file: string): string
}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd })
  } catch (err) {
    throw new Error(`openssl ${args[0]} failed: ${(err as { stderr?: string }).stderr ?? (err as Error).message}`)
  }
}

async function makeCa(dir: string, name: string): Promise<void> {
  await openssl(['req', '-x509', ...KEY, '-days', '3650', '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-keyout', `${name}.key`, '-out', `${name}.crt`], dir)
}

async function issue(dir: string, ca: string, name: string, subject: string, extensions: string): Promise<void> {
  await openssl(['req', ...KEY, '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`], dir)
  writeFileSync(join(dir, `${name}.ext`), `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n${extensions}\n`)
  // An explicit serial: certificates are issued in parallel, so a shared serial file would race.
  const serial = `0x${randomBytes(8).toString('hex')}`
  await openssl(['x509', '-req', '-days', '3650', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-set_serial', serial, '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir)
}

export async function makePki(dir: string): Promise<Pki> {
  mkdirSync(dir, { recursive: true })
  await Promise.all([makeCa(dir, 'ca'), makeCa(dir, 'other-ca')])
  await Promise.all([
    issue(dir, 'ca', 'server', '/CN=kube-apiserver', 'extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost'),
    issue(dir, 'ca', 'client', '/O=system:masters/CN=kube-admin', 'extendedKeyUsage=clientAuth'),
    issue(dir, 'other-ca', 'untrusted', '/O=system:masters/CN=intruder', 'extendedKeyUsage=clientAuth'),
  ])
  const file = (name: string) => join(dir, name)
  return {
    dir,
    caFile: file('ca.crt'),
    serverCertFile: file('server.crt'),
    serverKeyFile: file('server.key'),
    clientCertFile: file('client.crt'),
    clientKeyFile: file('client.key'),
    untrustedCertFile: file('untrusted.crt'),
    untrustedKeyFile: file('untrusted.key'),
    pem: (f) => readFileSync(f, 'utf8'),
  }
}
