import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { queryBgpSessions } from '../../src/bgp/bird-sessions.js'
import { birdCommand } from '../../src/bgp/bird-socket.js'
import { unixSocketServers } from '../support/unix-socket-servers.js'

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/bird/${name}`, import.meta.url), 'utf8')
const scratch = mkdtempSync(join(tmpdir(), 'bird-socket-unit-'))
const { serve, closeAll } = unixSocketServers(scratch)
afterAll(() => {
  closeAll()
  rmSync(scratch, { recursive: true, force: true })
})


/** Answers the first command line with a recorded transcript (minus its greeting). */
const replying = (transcript: string) => (socket: net.Socket) => {
  const cut = transcript.indexOf('\n') + 1
  socket.write(transcript.slice(0, cut))
  socket.once('data', () => socket.write(transcript.slice(cut)))
}

describe('show protocols over the socket', () => {
  it('reads a full reply from a fake BIRD', async () => {
    const path = await serve('ok.ctl', replying(fixture('bird1-v6-show-protocols.raw')))
    const result = await queryBgpSessions([path], 'IPv6', 1000)
    expect(result.outcome === 'ok' && result.sessions.map((s) => s.displayAddress)).toEqual(['fdca:11c0::3', 'fdca:11c0::9'])
  })

  it('writes exactly "show protocols\\n" without waiting for the greeting', async () => {
    let received = ''
    const path = await serve('capture.ctl', (socket) => {
      socket.on('data', (d) => {
        received += d.toString()
        socket.end('0000 \n')
      })
    })
    expect(await queryBgpSessions([path], 'IPv4', 1000)).toEqual({ outcome: 'ok', sessions: [] })
    expect(received).toBe('show protocols\n')
  })

  it('takes an end of stream before 0000 as the end of the reply', async () => {
    const transcript = fixture('bird1-v4-show-protocols.raw')
    const path = await serve('eof.ctl', (socket) => socket.once('data', () => socket.end(transcript.slice(0, transcript.indexOf(' Node_')))))
    const result = await queryBgpSessions([path], 'IPv4', 1000)
    expect(result.outcome === 'ok' && result.sessions.map((s) => s.protocol)).toEqual(['Mesh_127_0_0_3'])
  })

  it('times out on a socket that accepts but never answers', async () => {
    const path = await serve('silent.ctl', () => {})
    const started = Date.now()
    expect(await queryBgpSessions([path], 'IPv4', 300)).toEqual({ outcome: 'failed', error: `read unix @->${path}: i/o timeout` })
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('fails on an error reply', async () => {
    const path = await serve('syntax.ctl', replying(fixture('bird1-v4-syntax-error.raw')))
    expect(await queryBgpSessions([path], 'IPv4', 1000)).toEqual({ outcome: 'failed', error: 'unexpected output line from BIRD' })
  })

  it('reports the last path tried when no socket answers', async () => {
    const missing = join(scratch, 'missing.ctl')
    // A socket file nobody listens on any more: the listener was killed without cleaning up.
    const stale = join(scratch, 'stale.ctl')
    spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`])
    expect(existsSync(stale)).toBe(true)
    expect(await queryBgpSessions([stale, missing], 'IPv4', 1000)).toEqual({
      outcome: 'unreachable',
      error: `dial unix ${missing}: connect: no such file or directory`,
    })
    expect(await queryBgpSessions([missing, stale], 'IPv4', 1000)).toEqual({
      outcome: 'unreachable',
      error: `dial unix ${stale}: connect: connection refused`,
    })
  })
})

describe('any command over the socket', () => {
  it('returns greeting and reply up to the final line', async () => {
    const transcript = fixture('bird1-v4-show-protocols-all.raw')
    const path = await serve('all.ctl', replying(transcript))
    expect(await birdCommand([path], 'show protocols all', 1000)).toBe(transcript)
  })
})
