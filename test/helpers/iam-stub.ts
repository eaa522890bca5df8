/**
 * A stand-in for IAM's Query API on 127.0.0.1, for running docs/aws-setup.md's `aws iam …` commands as written:
 * it records each call (the action and its parameters, policy documents included) and answers every action
 * with an empty result in IAM's XML envelope, which the AWS CLI accepts. It checks nothing (no state, no
 * permissions): what the tests look at is what the CLI sent.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface IamCall {
  action: string
  params: Record<string, string>
}

export interface IamStub {
  url: string
  calls: IamCall[]
  close(): Promise<void>
}

export async function startIamStub(): Promise<IamStub> {
  const calls: IamCall[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(body))
      const action = params.Action ?? ''
      calls.push({ action, params })
      res.writeHead(200, { 'content-type': 'text/xml' })
      res.end(
        `<${action}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/">` +
          `<${action}Result></${action}Result>` +
          `<ResponseMetadata><RequestId>${calls.length}</RequestId></ResponseMetadata></${action}Response>`
      )
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
