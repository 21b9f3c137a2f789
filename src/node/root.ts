import { CommandError } from '../errors.js'

const NOT_ROOT_MESSAGE = 'Need super user privileges: Operation not permitted'

/**
 * The node commands read BIRD's sockets and the host's tables, so calicoctl insists on
 * root (real uid 0) and says so on stdout. `getuid` is a parameter so tests running as
 * root can see the refusal too.
 */
export function requireRoot(getuid: () => number = () => process.getuid?.() ?? 0): void {
  if (getuid() !== 0) throw new CommandError(NOT_ROOT_MESSAGE, 'stdout')
}
