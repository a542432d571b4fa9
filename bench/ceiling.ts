// The client ceiling: the cheapest HTTP/1.1 server possible, a raw socket that answers with
// precomputed bytes and parses no more than it must to find where each request ends. GET gets the
// document in the file named by argv[3] (the floor's GET document), anything else the floor's
// small POST answer. What the load client drives against this is the most it can drive at all:
// a floor close to it may be the client's limit rather than the server's.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

const answer = (body: string) =>
  Buffer.from(
    `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `connection: keep-alive\r\nkeep-alive: timeout=5\r\n\r\n${body}`,
  )
const forGet = answer(readFileSync(process.argv[3]!, 'utf8'))
const forPost = answer('{"status_code":200,"ok":true}')

createServer((socket) => {
  let pending = ''
  socket.setNoDelay(true)
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString('latin1')
    const answers: Buffer[] = []
    for (;;) {
      const head = pending.indexOf('\r\n\r\n')
      if (head < 0) break
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(pending.slice(0, head))
      const end = head + 4 + (length ? Number(length[1]) : 0)
      if (pending.length < end) break
      answers.push(pending.startsWith('GET ') ? forGet : forPost)
      pending = pending.slice(end)
    }
    if (answers.length > 0)
      socket.write(answers.length === 1 ? answers[0]! : Buffer.concat(answers))
  })
  socket.on('error', () => socket.destroy())
}).listen(Number(process.argv[2]), '127.0.0.1')
