/**
 * STS GetCallerIdentity only (Query protocol, 2011-06-15): what aws-actions/configure-aws-credentials calls
 * to check static keys, so a workflow run under act can keep its credentials step against the sandbox.
 */
import { AwsError } from './types.js'
import type { XmlNode } from './xml.js'

export const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/'

export function handleSts(operation: string, accountId: string): XmlNode {
  if (operation !== 'GetCallerIdentity') {
    throw new AwsError('InvalidAction', `The sandbox's STS answers GetCallerIdentity only, not ${operation}.`)
  }
  return {
    UserId: 'AIDASANDBOXUSER000000',
    Account: accountId,
    Arn: `arn:aws:iam::${accountId}:user/sandbox`
  }
}
