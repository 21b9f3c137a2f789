/**
 * Go's texts for system errors. calicoctl's messages embed Go errors such as
 * `dial unix /x: connect: no such file or directory` or `stat /x: no such file or directory`;
 * Node names the same errors by code, so they are translated back here.
 */
const GO_ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ECONNREFUSED: 'connection refused',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTSOCK: 'socket operation on non-socket',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EPROTOTYPE: 'protocol wrong type for socket',
  ECONNRESET: 'connection reset by peer',
  EPIPE: 'broken pipe',
  EAGAIN: 'resource temporarily unavailable',
  ENAMETOOLONG: 'file name too long',
}

export function goErrnoText(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  return (e.code && GO_ERRNO_TEXT[e.code]) ?? e.message ?? String(err)
}

/** Go's *PathError text: `<op> <path>: <errno text>`. */
export function goPathError(op: string, path: string, err: unknown): string {
  return `${op} ${path}: ${goErrnoText(err)}`
}
