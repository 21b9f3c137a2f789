/**
 * `apply --check` and `validate --check`: bgp check on the state the file would produce (the
 * datastore's resources with the file's written over them), before anything is written.
 */
import { collectResources, type ModifyOptions } from '../../crud/modify.js'
import { checkConfigReadable, checkVersionMismatch, openCommandClient } from '../../crud/session.js'
import { CommandError } from '../../errors.js'
import { checkTopology } from './checks.js'
import { computeTopology } from './compute.js'
import { overlayResources, readTopologyInput, usesWorkloads } from './load.js'
import { renderFindings } from './render.js'

/** Reads stdin once, so that the check and the command itself both see `-f -`. */
export function stdinOnce(read: () => Promise<string>): () => Promise<string> {
  let text: Promise<string> | undefined
  return () => (text ??= read())
}

/** Prints the findings on stderr; fails, naming what did not happen, when any is an error. */
export async function preflightBgpCheck(options: ModifyOptions, notDone: string): Promise<void> {
  checkConfigReadable(options.config)
  const loaded = await collectResources(options)
  const resources = loaded.map((item) => item.resource)
  const client = await openCommandClient(options.config)
  let input
  try {
    if (!options.allowVersionMismatch) await checkVersionMismatch(client)
    input = overlayResources(await readTopologyInput(client, usesWorkloads(resources)), resources)
  } finally {
    await client.store.close()
  }
  const findings = checkTopology(computeTopology(input), input.bgpPeers)
  process.stderr.write(`bgp check of the resulting configuration:\n${renderFindings(findings, { nodes: input.nodes.length, bgpPeers: input.bgpPeers.length })}`)
  const errors = findings.filter((f) => f.severity === 'error').length
  if (errors > 0) throw new CommandError(`the BGP configuration would have ${errors} error${errors === 1 ? '' : 's'}: ${notDone}`)
}
