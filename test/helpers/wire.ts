// One HTTP call on a real port with node:http: the answer's status, headers as Node gives them
// (date aside, it differs from call to call) and body. Tests that must reach the adapter's Node
// request (the calls answered before the router) make their calls this way.
import { request as httpRequest } from 'node:http'

export interface WireAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

export function wireCall(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<WireAnswer> {
  return new Promise<WireAnswer>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (d: Buffer) => chunks.push(d))
      res.on('end', () => {
        const { date: _date, ...rest } = res.headers as Record<string, string>
        resolve({ status: res.statusCode!, headers: rest, body: Buffer.concat(chunks).toString() })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}
