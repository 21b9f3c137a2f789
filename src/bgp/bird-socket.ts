import net from 'node:net'
import { goErrnoText } from '../node/go-errno.js'

/**
 * A client for BIRD's control socket: a unix stream socket carrying `\n`-terminated lines.
 * Errors read like the Go errors calicoctl prints (`dial unix <path>: connect: ...`,
 * `read unix @-><path>: i/o timeout`), because those texts are part of its output.
 */

export class BirdSocketError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BirdSocketError'
  }
}

export class BirdConnection {
  private pending = ''
  private readonly lines: string[] = []
  private ended = false
  private failure?: BirdSocketError
  private wake?: () => void

  private constructor(
    private readonly socket: net.Socket,
    readonly path: string,
  ) {
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      const parts = (this.pending + chunk).split('\n')
      this.pending = parts.pop() ?? ''
      this.lines.push(...parts)
      this.notify()
    })
    socket.on('end', () => {
      this.ended = true
      this.notify()
    })
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.failure ??= new BirdSocketError(`read unix @->${path}: read: ${goErrnoText(err)}`)
      this.notify()
    })
  }

  static dial(path: string): Promise<BirdConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(path)
      const onError = (err: NodeJS.ErrnoException): void => {
        socket.destroy()
        reject(new BirdSocketError(`dial unix ${path}: connect: ${goErrnoText(err)}`))
      }
      socket.once('error', onError)
      socket.once('connect', () => {
        socket.off('error', onError)
        resolve(new BirdConnection(socket, path))
      })
    })
  }

  write(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.write(text, (err?: NodeJS.ErrnoException | null) => {
        if (err) reject(new BirdSocketError(`write unix @->${this.path}: write: ${goErrnoText(err)}`))
        else resolve()
      })
    })
  }

  /**
   * The next line without its `\n` (and a `\r`, as Go's scanner drops it), or undefined at
   * end of stream. Fails when no full line arrives within `timeoutMs`.
   */
  async readLine(timeoutMs: number): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const line = this.lines.shift()
      if (line !== undefined) return line.replace(/\r$/, '')
      if (this.failure) throw this.failure
      if (this.ended) {
        const last = this.pending
        this.pending = ''
        return last === '' ? undefined : last.replace(/\r$/, '')
      }
      const left = deadline - Date.now()
      if (left <= 0) throw new BirdSocketError(`read unix @->${this.path}: i/o timeout`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
  }

  close(): void {
    this.socket.destroy()
  }

  private notify(): void {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }
}

/** Dials each path in turn; fails with the error of the last one, as calicoctl reports it. */
export async function dialFirst(paths: readonly string[]): Promise<BirdConnection> {
  let lastError: unknown = new BirdSocketError('no BIRD socket path given')
  for (const path of paths) {
    try {
      return await BirdConnection.dial(path)
    } catch (err) {
      lastError = err
    }
  }
  throw lastError
}

/**
 * Runs one CLI command (e.g. `show protocols all`) and returns the raw exchange: greeting
 * and reply lines. Each BIRD reply ends with a line whose code is followed by a space; the
 * greeting (code 0001) is such a reply of its own.
 */
export async function birdCommand(paths: readonly string[], command: string, timeoutMs: number): Promise<string> {
  const connection = await dialFirst(paths)
  try {
    await connection.write(`${command}\n`)
    const lines: string[] = []
    for (;;) {
      const line = await connection.readLine(timeoutMs)
      if (line === undefined) break
      lines.push(line)
      if (/^\d{4} /.test(line) && !line.startsWith('0001')) break
    }
    return lines.map((l) => `${l}\n`).join('')
  } finally {
    connection.close()
  }
}
