import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { etcdDelPrefix, repoRoot, runCli, writeCalicoctlCfg, writeTempFile } from './helpers.js'

const COUNT = 300
const peers = Array.from(
  { length: COUNT },
  (_, i) => `apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: progress-${i}\nspec:\n  peerIP: 10.8.${i >> 8}.${i & 255}\n  asNumber: 64512\n`,
).join('---\n')

/** Runs the CLI on a pseudo-terminal (util-linux `script`): stderr, and stdout unless `stdoutTo` a file, reach it. */
function onTerminal(args: string[], env: Record<string, string>, stdoutTo?: string): Promise<{ code: number; output: string }> {
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`
  const command = [process.execPath, join(repoRoot, 'bin/run.js'), ...args].map(quote).join(' ') + (stdoutTo ? ` >${quote(stdoutTo)}` : '')
  return new Promise((resolve, reject) => {
    execFile('script', ['-qefc', command, '/dev/null'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, timeout: 60_000 }, (err, stdout) => {
      if (err && typeof err.code !== 'number') reject(err)
      else resolve({ code: err ? Number(err.code) : 0, output: stdout })
    })
  })
}

describe('the progress line of bulk work', () => {
  const env = inject('etcdPlain')
  // Shown from the start here (the 2 s default would need a slow run).
  const now = { CALICOCTL_PROGRESS_AFTER_MS: '0' }

  it('is drawn on a terminal while apply and get run, then erased', async () => {
    await etcdDelPrefix(env, '/calico/resources/v3/projectcalico.org/bgppeers/')
    const cfg = writeCalicoctlCfg(env)
    const applied = await onTerminal(['apply', '-f', writeTempFile('progress.yaml', peers), '-c', cfg], now)
    expect(applied.code).toBe(0)
    expect(applied.output).toMatch(/\rapplied \d+\/300 \(\d+\/s, ETA (\d+s|\?)\)\x1b\[K/)
    // Erased before the result line, which the terminal shows as it would without it.
    expect(applied.output).toMatch(/\r\x1b\[KSuccessfully applied 300 'BGPPeer' resource\(s\)\r\n$/)

    // A list shows it when its output goes to a file; on the terminal the output itself shows progress.
    const file = writeTempFile('progress.json', '')
    const listed = await onTerminal(['get', 'bgppeers', '-o', 'json', '-c', cfg], now, file)
    expect(listed.code).toBe(0)
    expect(listed.output).toMatch(/^\rlisted \d+\/300 \(\d+\/s, ETA (\d+s|\?)\)\x1b\[K(.*\x1b\[K)*\r\x1b\[K$/)
    expect(JSON.parse(readFileSync(file, 'utf8')).items).toHaveLength(300)
    const shown = await onTerminal(['get', 'bgppeers', '-o', 'json', '-c', cfg], now)
    expect(shown.output).not.toContain('listed')
  })

  it('never reaches a pipe: stderr stays empty', async () => {
    const cfg = writeCalicoctlCfg(env)
    const applied = await runCli(['apply', '-f', writeTempFile('progress.yaml', peers), '-c', cfg], { env: now })
    expect(applied).toEqual({ code: 0, stdout: "Successfully applied 300 'BGPPeer' resource(s)\n", stderr: '' })
    const listed = await runCli(['get', 'bgppeers', '-o', 'yaml', '-c', cfg], { env: now })
    expect(listed.code).toBe(0)
    expect(listed.stderr).toBe('')
    expect(listed.stdout).not.toContain('listed')
  })
})
