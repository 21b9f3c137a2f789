/**
 * Logging to stderr as calicoctl's logrus does: its levels (from `-l/--log-level`, default `panic`,
 * i.e. silent) and its text format. Callers must never pass secrets here.
 */
export const LOG_LEVELS = ['panic', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

let current: LogLevel = 'panic'
const started = Date.now()

export function setLogLevel(level: LogLevel): void {
  current = level
}

/** logrus.ParseLevel: the level names in any case, `warning` for warn. */
export function parseLogLevel(value: string): LogLevel | undefined {
  const name = value.toLowerCase()
  if (name === 'warning') return 'warn'
  return (LOG_LEVELS as readonly string[]).includes(name) ? (name as LogLevel) : undefined
}

/** logrus quotes a value unless every character is one of these. */
const needsQuoting = (text: string): boolean => text === '' || /[^a-zA-Z0-9\-._/@^+]/.test(text)

/** RFC 3339 in local time, as Go's time.Format writes it. */
function rfc3339(date: Date): string {
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0')
  const offset = -date.getTimezoneOffset()
  const zone = offset === 0 ? 'Z' : `${offset > 0 ? '+' : '-'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${zone}`
}

const COLOURS: Record<LogLevel, number> = { panic: 31, fatal: 31, error: 31, warn: 33, info: 36, debug: 37, trace: 37 }

/** logrus's TextFormatter: coloured on a terminal, `key=value` pairs otherwise. */
function format(level: LogLevel, message: string): string {
  const name = level === 'warn' ? 'warning' : level
  if (process.stderr.isTTY) {
    const seconds = String(Math.floor((Date.now() - started) / 1000)).padStart(4, '0')
    return `\x1b[${COLOURS[level]}m${name.toUpperCase().slice(0, 4)}\x1b[0m[${seconds}] ${message.padEnd(44)} \n`
  }
  const msg = needsQuoting(message) ? JSON.stringify(message) : message
  return `time="${rfc3339(new Date())}" level=${name} msg=${msg}\n`
}

function log(level: LogLevel, message: string): void {
  if (LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(current)) process.stderr.write(format(level, message))
}

export const debug = (message: string): void => log('debug', message)
export const info = (message: string): void => log('info', message)
export const warn = (message: string): void => log('warn', message)
