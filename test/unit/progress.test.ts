import { afterEach, describe, expect, it } from 'vitest'
import { Progress, progressLine } from '../../src/cli/progress.js'

describe('the progress line', () => {
  it('reads count, rate and time left', () => {
    expect(progressLine('applied', 1200, 5000, 3000)).toBe('applied 1200/5000 (400/s, ETA 10s)')
    expect(progressLine('listed', 500, 50000, 2500)).toBe('listed 500/50000 (200/s, ETA 4m08s)')
    expect(progressLine('applied', 0, 10, 2500)).toBe('applied 0/10 (0/s, ETA ?)')
  })

  const terminal = () => {
    const written: string[] = []
    return { written, stream: { isTTY: true, write: (t: string) => written.push(t) } }
  }
  afterEach(() => {
    delete process.env.CALICOCTL_PROGRESS_AFTER_MS
  })

  it('shows nothing for the first 2 s, then redraws at most every 200 ms, and is erased at the end', () => {
    let now = 0
    const { written, stream } = terminal()
    const progress = new Progress('applied', stream, () => now)
    now = 1999
    progress.advance(100, 1000)
    expect(written).toEqual([])
    now = 2000
    progress.advance(100, 1000)
    now = 2100
    progress.advance(100, 1000)
    now = 2200
    progress.advance(100, 1000)
    progress.finish()
    expect(written).toEqual(['\rapplied 200/1000 (100/s, ETA 8s)\x1b[K', '\rapplied 400/1000 (182/s, ETA 4s)\x1b[K', '\r\x1b[K'])
  })

  it('never writes to a stream that is not a terminal (a pipe, a file)', () => {
    process.env.CALICOCTL_PROGRESS_AFTER_MS = '0'
    const written: string[] = []
    const progress = new Progress('listed', { isTTY: false, write: (t: string) => written.push(t) }, () => 5000)
    progress.advance(10, 10)
    progress.finish()
    expect(written).toEqual([])
  })

  it('erases nothing when it never showed', () => {
    const { written, stream } = terminal()
    const progress = new Progress('applied', stream, () => 0)
    progress.advance(1, 1)
    progress.finish()
    expect(written).toEqual([])
  })
})
