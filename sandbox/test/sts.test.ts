/**
 * STS GetCallerIdentity (what configure-aws-credentials calls to check static keys). No STS client is
 * installed, so the request is made by hand, with a SigV4-shaped Authorization header whose credential scope
 * names sts (the sandbox reads the scope; it does not verify signatures), and the answer parsed as XML.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { XMLParser } from 'fast-xml-parser'
import { startSandbox, type Sandbox } from '../index.js'

const boxes: Sandbox[] = []
afterEach(async () => {
  for (const box of boxes.splice(0)) await box.close()
})

async function sts(box: Sandbox, action: string): Promise<{ status: number; doc: Record<string, unknown> }> {
  const res = await fetch(box.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=${box.env.AWS_ACCESS_KEY_ID}/20260101/eu-central-1/sts/aws4_request, SignedHeaders=host, Signature=0`
    },
    body: `Action=${action}&Version=2011-06-15`
  })
  return { status: res.status, doc: new XMLParser({ ignoreAttributes: true }).parse(await res.text()) }
}
describe('STS', () => {
  it('GetCallerIdentity answers the sandbox account; other actions are refused', async () => {
    const box = await startSandbox({ name: 'sts', accountId: '111122223333' }, { silent: true })
    boxes.push(box)
    const ok = await sts(box, 'GetCallerIdentity')
    expect(ok.status).toBe(200)
    expect(ok.doc).toMatchObject({
      GetCallerIdentityResponse: {
        GetCallerIdentityResult: { Account: 111122223333, Arn: 'arn:aws:iam::111122223333:user/sandbox' }
      }
    })
    const other = await sts(box, 'AssumeRole')
    expect(other.status).toBe(400)
    expect(other.doc).toMatchObject({ ErrorResponse: { Error: { Code: 'InvalidAction' } } })
    expect(box.requests.map(r => [r.service, r.operation, r.status])).toEqual([
      ['sts', 'GetCallerIdentity', 200],
      ['sts', 'AssumeRole', 400]
    ])
  })
})
