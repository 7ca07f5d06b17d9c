/**
 * Baselines for the node bench: the same request/response pattern (a small request, then
 * `size` bytes back; or `size` bytes up, then a small answer) over a raw TCP socket and a
 * node:tls TLS 1.3 socket on loopback.
 */
import { once } from 'node:events'
import { createServer, type Socket, connect as tcpConnect } from 'node:net'
import { createServer as createTlsServer, connect as tlsConnect } from 'node:tls'
import forge from 'node-forge'

export interface Loopback {
  /** Fetches `size` bytes; resolves when all arrived. */
  get(size: number): Promise<void>
  /** Sends `size` bytes; resolves when the server acknowledged them. */
  put(bytes: Uint8Array): Promise<void>
  close(): Promise<void>
}

function selfSigned(): { key: string; cert: string } {
  const keys = forge.pki.rsa.generateKeyPair(2048)
  const cert = forge.pki.createCertificate()
  cert.publicKey = keys.publicKey
  cert.serialNumber = '01'
  cert.validity.notBefore = new Date(Date.now() - 60_000)
  cert.validity.notAfter = new Date(Date.now() + 3_600_000)
  const attrs = [{ name: 'commonName', value: 'localhost' }]
  cert.setSubject(attrs)
  cert.setIssuer(attrs)
  cert.sign(keys.privateKey, forge.md.sha256.create())
  return { key: forge.pki.privateKeyToPem(keys.privateKey), cert: forge.pki.certificateToPem(cert) }
}

/**
 * Server protocol: 5-byte header (op 'g' or 'p', u32 BE size). 'g': the server sends `size`
 * bytes. 'p': the client sends `size` bytes, the server answers one byte.
 */
function serve(socket: Socket, payload: Buffer): void {
  let pending = Buffer.alloc(0)
  let expecting = 0
  socket.on('data', (chunk: Buffer) => {
    if (expecting > 0) {
      expecting -= chunk.length
      if (expecting <= 0) socket.write(Buffer.of(1))
      return
    }
    pending = Buffer.concat([pending, chunk])
    if (pending.length < 5) return
    const op = String.fromCharCode(pending[0]!)
    const size = pending.readUInt32BE(1)
    const rest = pending.length - 5
    pending = Buffer.alloc(0)
    if (op === 'g') socket.write(payload.subarray(0, size))
    else {
      expecting = size - rest
      if (expecting <= 0) socket.write(Buffer.of(1))
    }
  })
}

function client(socket: Socket): Loopback {
  const receive = (bytes: number) =>
    new Promise<void>(resolve => {
      let got = 0
      const onData = (chunk: Buffer) => {
        got += chunk.length
        if (got >= bytes) {
          socket.off('data', onData)
          resolve()
        }
      }
      socket.on('data', onData)
    })
  const header = (op: string, size: number) => {
    const h = Buffer.alloc(5)
    h[0] = op.charCodeAt(0)
    h.writeUInt32BE(size, 1)
    return h
  }
  return {
    get(size) {
      const done = receive(size)
      socket.write(header('g', size))
      return done
    },
    put(bytes) {
      const done = receive(1)
      socket.write(header('p', bytes.length))
      socket.write(bytes)
      return done
    },
    async close() {
      socket.destroy()
    },
  }
}

export async function startLoopback(kind: 'tcp' | 'tls', payload: Buffer): Promise<Loopback> {
  const credentials = kind === 'tls' ? selfSigned() : undefined
  const server =
    kind === 'tls'
      ? createTlsServer({ ...credentials, minVersion: 'TLSv1.3' }, socket => serve(socket, payload))
      : createServer(socket => serve(socket, payload))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  const socket =
    kind === 'tls'
      ? tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false, minVersion: 'TLSv1.3' })
      : tcpConnect({ port, host: '127.0.0.1' })
  await once(socket, kind === 'tls' ? 'secureConnect' : 'connect')
  socket.setNoDelay(true)
  const loopback = client(socket)
  return {
    ...loopback,
    async close() {
      await loopback.close()
      await new Promise(resolve => server.close(resolve))
    },
  }
}
