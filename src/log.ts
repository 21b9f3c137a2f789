/**
 * Logging to stderr at calicoctl's logrus levels. The level comes from `-l/--log-level`
 * (default `panic`, i.e. silent). Callers must never pass secrets here.
 */
export const LOG_LEVELS = ['panic', 'fatal', 'error', 'warn', 'info', 'debug'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

let current: LogLevel = 'panic'

export function setLogLevel(level: LogLevel): void {
  current = level
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value)
}

function log(level: LogLevel, message: string): void {
  if (LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(current)) {
    process.stderr.write(`${new Date().toISOString()} [${level.toUpperCase()}] ${message}\n`)
  }
}

export const debug = (message: string): void => log('debug', message)
export const info = (message: string): void => log('info', message)
export const warn = (message: string): void => log('warn', message)
