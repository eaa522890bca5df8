/**
 * One deploy role per environment (issue 20, findings 1 and 2), proved over the real JSON: the commands of
 * docs/aws-setup.md (scripts/deploy-policy.mjs) are run as documented, and a small IAM evaluator (Allow/Deny
 * statements, IAM wildcards; a Condition is refused rather than guessed) answers, request by request, whether the
 * staging role built from the docs may act on production's stack, Auto Scaling group, environment, environment
 * properties, templates, versions and distribution. It may not; the production role may (the evaluator can say
 * yes), and each role may do all its own deploy needs.
 */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { ROOT } from '../../sandbox/index.js'
import { read } from '../helpers/workflow.js'

interface Statement {
  Sid?: string
  Effect: 'Allow' | 'Deny'
  Action: string | string[]
  Resource: string | string[]
  Condition?: unknown
}
interface Policy {
  Version: string
  Statement: Statement[]
}

const list = (value: string | string[]): string[] => [value].flat()
const glob = (pattern: string, flags: string): RegExp =>
  new RegExp(
    `^${pattern
      .split('')
      .map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    flags
  )

/**
 * IAM's answer for one request by an identity policy: an explicit Deny wins, else an Allow whose action
 * (case-insensitive) and resource (case-sensitive) match; nothing matching is an implicit deny.
 */
function allows(policy: Policy, action: string, resource: string): boolean {
  const matching = policy.Statement.filter(
    s =>
      list(s.Action).some(a => glob(a, 'i').test(action)) &&
      list(s.Resource).some(r => glob(r, '').test(resource))
  )
  for (const s of matching) {
    if (s.Condition !== undefined)
      throw new Error(`statement ${s.Sid} has a condition this evaluator does not model`)
  }
  if (matching.some(s => s.Effect === 'Deny')) return false
  return matching.some(s => s.Effect === 'Allow')
}

/** The page's shell variables from its fill-in step, as that step sets them for the documented account. */
const fillIn = (arg: string): string =>
  arg === '"$ACCOUNT"' ? '123456789012' : arg === '"$DISTRIBUTION"' ? 'E2ABCDEF123456' : arg

/** The documented `node scripts/deploy-policy.mjs …` commands, in the order of docs/aws-setup.md. */
const documented = [
  ...read('docs/aws-setup.md').matchAll(/^node scripts\/deploy-policy\.mjs (.+?) > (\S+)$/gm)
].map(([, args, output]) => ({ args: args.split(/\s+/).map(fillIn), output }))
const generate = (args: string[]): Policy => {
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'deploy-policy.mjs'), ...args], {
    encoding: 'utf8',
    timeout: 4000
  })
  if (run.status !== 0) throw new Error(`deploy-policy.mjs ${args.join(' ')}: ${run.stderr}`)
  return JSON.parse(run.stdout) as Policy
}

const production = generate(documented.find(c => c.output === 'deploy-policy.json')?.args ?? [])
const staging = generate(documented.find(c => c.output === 'deploy-policy-staging.json')?.args ?? [])
const readOnly = JSON.parse(read('docs/iam/read-only-policy.json')) as Policy

const ACCOUNT = '123456789012'
const EB = `arn:aws:elasticbeanstalk:eu-central-1:${ACCOUNT}`
const BUCKET = `arn:aws:s3:::elasticbeanstalk-eu-central-1-${ACCOUNT}`
const PROD_ID = 'e-abcd123456'
const STAGING_ID = 'e-stag123456'
/** An environment's resources, as the requests Beanstalk makes as the caller name them. */
const resourcesOf = (name: string, id: string) => ({
  environment: `${EB}:environment/BrillianCRM/${name}`,
  stack: `arn:aws:cloudformation:eu-central-1:${ACCOUNT}:stack/awseb-${id}-stack/5b1c8a30-8e5e-11ee-b9d1-0242ac120002`,
  group: `arn:aws:autoscaling:eu-central-1:${ACCOUNT}:autoScalingGroup:1d2f3a4b-0000-4c4c-8888-123456789abc:autoScalingGroupName/awseb-${id}-AWSEBAutoScalingGroup-Q2W3E4R5T6`,
  templates: `${BUCKET}/resources/environments/${id}/_runtime/_embedded_extensions/app/stack.template`,
  /** An instance's tail logs, where RequestEnvironmentInfo has Beanstalk put them (pre-signed for the caller). */
  tailLogs: `${BUCKET}/resources/environments/logs/tail/${id}/i-0123456789abcdef0/TailLogs-1700000000000.out`
})
const prod = resourcesOf('BrillianCRM-env', PROD_ID)
const stag = resourcesOf('BrillianCRM-staging', STAGING_ID)

/** What a role would do to an environment's resources: every request that changes or reveals them. */
const touching = (r: ReturnType<typeof resourcesOf>): Array<[string, string]> => [
  ['elasticbeanstalk:UpdateEnvironment', r.environment],
  ['elasticbeanstalk:DescribeConfigurationSettings', r.environment],
  ['cloudformation:UpdateStack', r.stack],
  ['cloudformation:CancelUpdateStack', r.stack],
  ['cloudformation:ContinueUpdateRollback', r.stack],
  ['cloudformation:GetTemplate', r.stack],
  ['autoscaling:UpdateAutoScalingGroup', r.group],
  ['autoscaling:SuspendProcesses', r.group],
  ['autoscaling:ResumeProcesses', r.group],
  ['autoscaling:PutScheduledUpdateGroupAction', r.group],
  ['autoscaling:DeleteScheduledAction', r.group],
  ['s3:GetObject', r.templates],
  ['elasticbeanstalk:RequestEnvironmentInfo', r.environment],
  ['elasticbeanstalk:RetrieveEnvironmentInfo', r.environment],
  ['elasticbeanstalk:AbortEnvironmentUpdate', r.environment],
  ['s3:GetObject', r.tailLogs]
]

describe('the documented per-environment deploy policies', () => {
  it('are generated by the commands of docs/aws-setup.md, and the production one is docs/iam/deploy-policy.json', () => {
    expect(documented.map(c => c.output)).toEqual(['deploy-policy.json', 'deploy-policy-staging.json'])
    expect(production).toEqual(JSON.parse(read('docs/iam/deploy-policy.json')))
    expect(documented[1].args).toContain(`BrillianCRM-staging=${STAGING_ID}`)
    expect(documented[1].args).not.toContain('--prune')
  })

  it('give the staging role no permission on production’s stack, group, environment, properties or templates', () => {
    const allowed = touching(prod).filter(([action, resource]) => allows(staging, action, resource))
    expect(allowed).toEqual([])
    // the evaluator can say yes: the production role may do each of them, the staging role each on staging
    expect(touching(prod).filter(([action, resource]) => !allows(production, action, resource))).toEqual([])
    expect(touching(stag).filter(([action, resource]) => !allows(staging, action, resource))).toEqual([])
    expect(touching(stag).filter(([action, resource]) => allows(production, action, resource))).toEqual([])
  })

  it('give the staging role no way to delete production’s versions or bundles, nor to invalidate its distribution', () => {
    for (const [action, resource] of [
      ['elasticbeanstalk:DeleteApplicationVersion', `${EB}:applicationversion/BrillianCRM/abc1234-0f0f0f0f`],
      ['s3:DeleteObject', `${BUCKET}/BrillianCRM/abc1234-0f0f0f0f.zip`],
      ['cloudfront:CreateInvalidation', `arn:aws:cloudfront::${ACCOUNT}:distribution/E2ABCDEF123456`],
      ['elasticbeanstalk:TerminateEnvironment', prod.environment],
      ['elasticbeanstalk:UpdateApplicationVersion', `${EB}:applicationversion/BrillianCRM/abc1234-0f0f0f0f`]
    ]) {
      expect([action, allows(staging, action, resource)]).toEqual([action, false])
    }
    expect(
      allows(
        production,
        'elasticbeanstalk:DeleteApplicationVersion',
        `${EB}:applicationversion/BrillianCRM/x`
      )
    ).toBe(true)
  })

  it('let each role write bundles under the application’s prefix only (a promotion checks their sha256)', () => {
    for (const policy of [production, staging]) {
      expect(allows(policy, 's3:PutObject', `${BUCKET}/BrillianCRM/abc1234-0f0f0f0f.zip`)).toBe(true)
      expect(allows(policy, 's3:PutObject', `${BUCKET}/BrillianQuiz/q1.zip`)).toBe(false)
      expect(allows(policy, 's3:PutObject', `${BUCKET}/resources/environments/${PROD_ID}/x`)).toBe(false)
      expect(
        allows(policy, 's3:GetObject', `${BUCKET}/resources/environments/logs/${PROD_ID}/tail.txt`)
      ).toBe(false)
      expect(allows(policy, 's3:GetObject', `${BUCKET}/resources/templates/BrillianCRM/saved-config`)).toBe(
        false
      )
    }
  })

  it('let no role read production’s environment properties but the production deploy role', () => {
    expect(allows(readOnly, 'elasticbeanstalk:DescribeConfigurationSettings', prod.environment)).toBe(false)
    expect(allows(staging, 'elasticbeanstalk:DescribeConfigurationSettings', prod.environment)).toBe(false)
    expect(allows(production, 'elasticbeanstalk:DescribeConfigurationSettings', prod.environment)).toBe(true)
    // nor another application's
    expect(
      allows(
        production,
        'elasticbeanstalk:DescribeConfigurationSettings',
        `${EB}:environment/BrillianQuiz/BrillianQuiz-env`
      )
    ).toBe(false)
  })

  it('tell the old shared policy’s reach (stack/awseb-*) from the generated one', () => {
    const old = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow' as const,
          Action: 'cloudformation:UpdateStack',
          Resource: `arn:aws:cloudformation:eu-central-1:${ACCOUNT}:stack/awseb-*`
        }
      ]
    }
    expect(allows(old, 'cloudformation:UpdateStack', prod.stack)).toBe(true)
    expect(allows(staging, 'cloudformation:UpdateStack', prod.stack)).toBe(false)
  })
})

describe('scripts/deploy-policy.mjs', () => {
  const base = ['--account', ACCOUNT, '--region', 'eu-central-1', '--application', 'BrillianCRM']

  it('covers both twins of a blue/green pair when given both', () => {
    const pair = generate([
      ...base,
      '--environment',
      `BrillianCRM-env=${PROD_ID}`,
      '--environment',
      'BrillianCRM-env-twin=e-twin123456'
    ])
    expect(allows(pair, 'cloudformation:UpdateStack', prod.stack)).toBe(true)
    expect(
      allows(pair, 'cloudformation:UpdateStack', resourcesOf('BrillianCRM-env-twin', 'e-twin123456').stack)
    ).toBe(true)
    expect(allows(pair, 'cloudformation:UpdateStack', stag.stack)).toBe(false)
  })

  it('uses the partition of the region, and no CloudFront permission without --distribution', () => {
    const china = generate([
      '--account',
      ACCOUNT,
      '--region',
      'cn-north-1',
      '--application',
      'A',
      '--environment',
      `A-env=${PROD_ID}`
    ])
    expect(JSON.stringify(china)).toContain('arn:aws-cn:elasticbeanstalk:cn-north-1:')
    expect(JSON.stringify(china)).not.toContain('cloudfront:')
  })

  it.each([
    [['--environment', 'BrillianCRM-env'], '"" is not an environment id'],
    [['--environment', 'BrillianCRM-env=abcd123456'], 'is not an environment id'],
    [['--environment', `BrillianCRM-env=${PROD_ID}`, '--bucket'], '--bucket: a value is missing.'],
    [
      ['--environment', `BrillianCRM-env=${PROD_ID}`, '--all-environments'],
      '--all-environments: unknown argument'
    ]
  ])('refuses %j with a message naming the option', (args, message) => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'deploy-policy.mjs'), ...base, ...args], {
      encoding: 'utf8',
      timeout: 4000
    })
    expect([run.status, run.stdout]).toEqual([2, ''])
    expect(run.stderr).toContain(message)
  })
})
