import net from 'node:net'
import { join } from 'node:path'

/**
 * Unix socket servers in the test process that play a daemon (e.g. a BIRD control socket that
 * answers badly or not at all); `closeAll` stops every one of them.
 */
export function unixSocketServers(dir: string) {
  const servers: net.Server[] = []
  return {
    /** Listens on `<dir>/<name>`; `onConnection` decides what each connection gets. */
    async serve(name: string, onConnection: (socket: net.Socket) => void): Promise<string> {
      const path = join(dir, name)
      const server = net.createServer((socket) => {
        socket.on('error', () => {})
        onConnection(socket)
      })
      await new Promise<void>((resolve) => server.listen(path, resolve))
      servers.push(server)
      return path
    },
    closeAll(): void {
      for (const server of servers) server.close()
    },
  }
}
