/** What the invalidate-cloudfront tests share, in process (test/scenarios) and end to end (test/e2e). */
import type { SandboxScenario } from '../../sandbox/index.js'

export const CRM = {
  id: 'E2CRM000000001',
  domainName: 'd1crm0000001.cloudfront.net',
  aliases: ['brilliancrm.com', 'www.brilliancrm.com']
}
export const QUIZ = {
  id: 'E2QUIZ00000003',
  domainName: 'd3quiz000003.cloudfront.net',
  aliases: ['www.brillianquiz.com']
}

/** Both distributions; invalidations take 1.5 s unless `extra` says otherwise. */
export function scenario(name: string, extra: Partial<SandboxScenario> = {}): SandboxScenario {
  return {
    name,
    description: `invalidate-cloudfront: ${name}`,
    distributions: [
      { ...CRM, invalidationMs: 1500 },
      { ...QUIZ, invalidationMs: 1500 }
    ],
    ...extra
  }
}
