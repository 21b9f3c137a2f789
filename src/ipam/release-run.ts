/**
 * `calicoctl ipam release`: one address (--ip), or the leaked addresses and handles every report
 * (--from-report, from `ipam check -o`) agrees on, after the report's safety checks.
 */
import { readFileSync } from 'node:fs'
import type { CalicoClient } from '../client/calico-client.js'
import { CommandError, ConflictError, NotFoundError } from '../errors.js'
import { formatIp, parseGoIp } from '../net/cidr.js'
import { goPathError } from '../node/go-errno.js'
import { parseJsonLikeGo } from '../output/go-json-parse.js'
import { knownKind } from '../resources/registry.js'
import { CALICO_VERSION } from '../version.js'
import type { ReleaseOption } from './block.js'
import { parseJson64 } from '../json64.js'
import { eachBounded, releaseIps, type IpamWriter } from './release.js'
import { openIpamSession } from './session.js'
import { handleUidReader, ipamWriter } from './writer.js'

/** Handles deleted at once (upstream: one worker per processor). */
const RELEASE_PARALLELISM = 8

export interface IpamReleaseOptions {
  config?: string
  ip?: string
  fromReport?: string[]
  force?: boolean
  allowVersionMismatch?: boolean
}

interface ReportHandle {
  ID: string
  UID: string | null
  Revision: string
}

interface Report {
  version: string
  clusterGUID: string
  clusterInformationRevision: string
  allocations: Record<string, Array<{ ip: string; handle?: string; sequenceNumber?: bigint; inUse?: boolean; coolingDown?: boolean }>>
  leakedHandles: ReportHandle[]
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')

/** A report as Go's json.Unmarshal reads it into upstream's CheckReport (64-bit sequence numbers kept). */
function readReport(path: string): Report {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new CommandError(goPathError('open', path, err))
  }
  try {
    parseJsonLikeGo(text)
  } catch (err) {
    throw new CommandError((err as Error).message)
  }
  const raw = (parseJson64(text) ?? {}) as Record<string, any>
  const allocations: Report['allocations'] = {}
  for (const [ip, list] of Object.entries((raw.allocations ?? {}) as Record<string, any[]>)) {
    allocations[ip] = (list ?? []).map((a) => ({
      ip: str(a?.ip),
      handle: str(a?.handle),
      sequenceNumber: typeof a?.sequenceNumber === 'bigint' ? a.sequenceNumber : typeof a?.sequenceNumber === 'number' ? BigInt(a.sequenceNumber) : undefined,
      inUse: a?.inUse === true,
      coolingDown: a?.coolingDown === true,
    }))
  }
  return {
    version: str(raw.version),
    clusterGUID: str(raw.clusterGUID),
    clusterInformationRevision: str(raw.clusterInformationRevision),
    allocations,
    leakedHandles: ((raw.leakedHandles ?? []) as any[]).map((h) => ({ ID: str(h?.ID), UID: typeof h?.UID === 'string' ? h.UID : null, Revision: str(h?.Revision) })),
  }
}

/** Only what every report calls leaked, and handles whose revision stayed the same across them. */
export function mergeReports(reports: Report[]): { ips: Map<string, ReleaseOption>; handles: Map<string, ReportHandle> } {
  let ips: Map<string, ReleaseOption> | undefined
  let handles: Map<string, ReportHandle> | undefined
  for (const report of reports) {
    const mergedIps = new Map<string, ReleaseOption>()
    for (const list of Object.values(report.allocations)) {
      for (const a of list) {
        if (a.inUse || a.coolingDown) continue
        if (ips && !ips.has(a.ip)) continue
        mergedIps.set(a.ip, { address: a.ip, handle: a.handle, sequenceNumber: a.sequenceNumber })
      }
    }
    ips = mergedIps
    const mergedHandles = new Map<string, ReportHandle>()
    for (const h of report.leakedHandles) {
      if (!handles || handles.get(h.ID)?.Revision === h.Revision) mergedHandles.set(h.ID, h)
    }
    handles = mergedHandles
  }
  return { ips: ips ?? new Map(), handles: handles ?? new Map() }
}

async function releaseFromReports(client: CalicoClient, writer: IpamWriter, options: IpamReleaseOptions, print: (text: string) => void): Promise<void> {
  const info = await client.get(await knownKind('ClusterInformation'), 'default')
  let foundCurrent = false
  const reports: Report[] = []
  for (const file of options.fromReport ?? []) {
    const report = readReport(file)
    if (String(info.spec?.clusterGUID ?? '') !== report.clusterGUID)
      throw new CommandError(`cluster does not match the provided report (${file}): mismatched cluster GUID. Refusing to release`)
    if (report.version !== CALICO_VERSION) {
      if (!options.force) throw new CommandError(`the provided report (${file}) was produced using a different version (${report.version}) of calicoctl. Refusing to release`)
      print('WARNING: Report was produced using a different version of calicoctl. Ignoring due to --force option\n')
    }
    if (info.metadata.resourceVersion === report.clusterInformationRevision) foundCurrent = true
    reports.push(report)
  }
  if (!foundCurrent)
    throw new CommandError('the provided reports are all stale - at least one should be up-to-date. Please generate a new report while the data store is locked and try again')
  if (info.spec?.datastoreReady !== false) {
    if (!options.force) throw new CommandError('data store is not locked. Either lock the data store, or re-run with --force')
    print('WARNING: Data store is not locked. Ignoring due to --force option\n')
  }
  const { ips, handles } = mergeReports(reports)
  if (ips.size > 0) {
    print(`Releasing ${ips.size} old IPs...\n`)
    const { unallocated, error } = await releaseIps(writer, [...ips.values()])
    if (error)
      print(
        `An error occurred while releasing some IPs: ${error.message}.  Problems are often caused by an out-of-date IPAM report.  Try regenerating the IPAM report and retry.\n`,
      )
    else print(`Released ${ips.size - unallocated.length} IPs successfully\n`)
    if (unallocated.length !== 0) print(`${unallocated.length} addresses marked as leaked in the report had already been cleaned up.\n`)
  } else print("Report didn't contain any leaked IPs to clean up.\n")
  if (handles.size > 0) await releaseHandles(client, writer, handles, print)
  else print("Report didn't contain any handles to clean up.\n")
}

/** Deletes each handle still at the report's revision and uid: `.` deleted, `x` missing or changed. */
async function releaseHandles(client: CalicoClient, writer: IpamWriter, handles: Map<string, ReportHandle>, print: (text: string) => void): Promise<void> {
  print(`Deleting ${handles.size} handles...\n`)
  print("Key: '.' = Deleted OK; 'x' = skip, handle missing/changed.\n")
  const uidOf = await handleUidReader(client.store)
  let released = 0
  let skipped = 0
  let errors = 0
  // Several at once, as upstream's workers; each prints its mark when it is done.
  await eachBounded([...handles.values()], RELEASE_PARALLELISM, async (info) => {
    try {
      const stored = await writer.kv.getHandle(info.ID)
      if (!stored) throw new NotFoundError({ kind: 'IPAMHandle', name: info.ID })
      if (stored.revision !== info.Revision || uidOf(stored) !== info.UID) throw new ConflictError({ kind: 'IPAMHandle', name: info.ID })
      await writer.kv.deleteHandle(stored)
      released++
      print('.')
    } catch (err) {
      if (err instanceof NotFoundError || err instanceof ConflictError) {
        skipped++
        print('x')
      } else {
        errors++
        print(`\nDeleting handle ${info.ID} failed: ${(err as Error).message}.\n`)
      }
    }
  })
  print('\n')
  print(`Released ${released} handles; ${skipped} skipped; ${errors} errors.\n`)
}

export async function runIpamRelease(options: IpamReleaseOptions): Promise<void> {
  // As upstream: a release may send many requests, so the Kubernetes client's rate is raised to 100/s, whatever the configuration says.
  const { client } = await openIpamSession(options.config, options.allowVersionMismatch, { k8sClientQPS: 100 })
  const print = (text: string) => process.stdout.write(text)
  try {
    const writer = ipamWriter(client)
    if ((options.fromReport ?? []).length > 0) {
      await releaseFromReports(client, writer, options, print)
      print('You may now unlock the data store.\n')
      return
    }
    if (options.ip) {
      const ip = parseGoIp(options.ip)
      if (!ip) throw new CommandError(`Error executing command: invalid IP address specified: ${options.ip}`, 'stdout')
      const address = formatIp(ip.family, ip.value)
      const { unallocated, error } = await releaseIps(writer, [{ address }])
      if (error) throw new CommandError(`error: ${error.message}`)
      if (unallocated.length !== 0) throw new CommandError(`IP address ${address} is not assigned`)
      print(`Successfully released IP address ${address}\n`)
    }
  } finally {
    await client.store.close()
  }
}
