/**
 * A progress line on stderr for bulk work (apply of thousands of resources, a list of tens of
 * thousands): `applied 1200/5000 (400/s, ETA 10s)`. Only on a terminal, so pipes and files get
 * exactly what calicoctl prints; only once the work has run a while, so quick commands never
 * flash it; erased when the work is done, so the terminal is left as without it.
 */

/** Work shorter than this shows no line (CALICOCTL_PROGRESS_AFTER_MS changes it, for tests). */
const SHOW_AFTER_MS = 2000
/** The line is redrawn at most this often. */
const REDRAW_MS = 200

export interface ProgressStream {
  isTTY?: boolean
  write(text: string): unknown
}

/** Where no progress line goes. */
export const nowhere: ProgressStream = { isTTY: false, write: () => true }

/** The line for `done` of `total` after `elapsedMs`: count, rate and estimated time left. */
export function progressLine(verb: string, done: number, total: number, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0
  const left = rate > 0 ? Math.max(0, total - done) / rate : undefined
  const eta = left === undefined ? '?' : left >= 60 ? `${Math.floor(left / 60)}m${String(Math.round(left % 60)).padStart(2, '0')}s` : `${Math.ceil(left)}s`
  return `${verb} ${done}/${total} (${Math.round(rate)}/s, ETA ${eta})`
}

export class Progress {
  private done = 0
  private total = 0
  private shown = false
  private drawnAt = 0
  private readonly started: number
  private readonly enabled: boolean
  private readonly showAfter: number

  constructor(
    private readonly verb: string,
    private readonly stream: ProgressStream = process.stderr,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now()
    this.enabled = stream.isTTY === true
    const after = Number(process.env.CALICOCTL_PROGRESS_AFTER_MS)
    this.showAfter = Number.isFinite(after) && process.env.CALICOCTL_PROGRESS_AFTER_MS !== '' ? after : SHOW_AFTER_MS
  }

  /** Counts `n` more items done of `total`. */
  advance(n: number, total: number): void {
    this.done += n
    this.total = Math.max(total, this.done)
    if (!this.enabled) return
    const t = this.now()
    if (t - this.started < this.showAfter || (this.shown && t - this.drawnAt < REDRAW_MS)) return
    this.stream.write(`\r${progressLine(this.verb, this.done, this.total, t - this.started)}\x1b[K`)
    this.shown = true
    this.drawnAt = t
  }

  /** Erases the line, if it was ever drawn. */
  finish(): void {
    if (this.shown) this.stream.write('\r\x1b[K')
    this.shown = false
  }
}
