/**
 * One deploy role per environment (issue 20, findings 1 and 2), proved over the real JSON: the commands of
 * docs/aws-setup.md (scripts/deploy-policy.mjs) are run as documented, and a small IAM evaluator (Allow/Deny
 * statements, IAM wildcards, the condition operators StringEquals, Bool and Null over the request's context; any
 * other operator is refused rather than guessed) answers, request by request, whether the staging role built from
 * the docs may act on production's stack, Auto Scaling group, environment, environment properties, templates,
 * versions, bundles and distribution. It may not; the production role may (the evaluator can say yes), and each
 * role may do all its own deploy needs. Bundles are create-only: no role may send a request that replaces the bytes
 * of an existing bundle (S3's own 412 for If-None-Match: * on an existing key is shown against the sandbox, in
 * sandbox/test/s3.test.ts and test/e2e/deploy-beanstalk-bundle-create-only.test.ts).
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
  Condition?: Record<string, Record<string, string | string[]>>
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

/** A request's condition keys and their values (a key the request does not carry is absent). */
type RequestContext = Record<string, string>

/**
 * Whether a statement's Condition holds for the request, as IAM evaluates it: every operator and key must hold
 * (keys case-insensitive); StringEquals and Bool are false for a key the request does not carry; Null tests
 * whether it is absent. Any other operator is refused rather than guessed.
 */
function conditionHolds(condition: Statement['Condition'], context: RequestContext): boolean {
  const valueOf = (key: string) =>
    Object.entries(context).find(([name]) => name.toLowerCase() === key.toLowerCase())?.[1]
  return Object.entries(condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => {
      const actual = valueOf(key)
      if (operator === 'StringEquals') return actual !== undefined && list(expected).includes(actual)
      if (operator === 'Bool') return actual !== undefined && list(expected).includes(actual.toLowerCase())
      if (operator === 'Null') return list(expected).includes(String(actual === undefined))
      throw new Error(`condition operator ${operator} is not modelled by this evaluator`)
    })
  )
}

/**
 * IAM's answer for one request by an identity policy: an explicit Deny wins, else an Allow whose action
 * (case-insensitive) and resource (case-sensitive) match and whose condition holds; nothing is an implicit deny.
 */
function allows(policy: Policy, action: string, resource: string, context: RequestContext = {}): boolean {
  const matching = policy.Statement.filter(
    s =>
      list(s.Action).some(a => glob(a, 'i').test(action)) &&
      list(s.Resource).some(r => glob(r, '').test(resource)) &&
      conditionHolds(s.Condition, context)
  )
  if (matching.some(s => s.Effect === 'Deny')) return false
  return matching.some(s => s.Effect === 'Allow')
}

/**
 * The S3 requests that put bytes under a key, as S3 authorizes them (the Service Authorization Reference and
 * "Enforce conditional writes"): each is the IAM action s3:PutObject, told apart by its context. PutObject,
 * CopyObject and CompleteMultipartUpload make the object (s3:ObjectCreationOperation true) and carry
 * s3:if-none-match when sent with If-None-Match; CreateMultipartUpload and UploadPart make none (false).
 */
const CREATE = { 's3:ObjectCreationOperation': 'true' }
const IF_NONE_MATCH = { ...CREATE, 's3:if-none-match': '*' }
const writes: Record<string, RequestContext> = {
  PutObject: CREATE,
  'PutObject If-None-Match: *': IF_NONE_MATCH,
  CopyObject: {
    ...CREATE,
    's3:x-amz-copy-source': 'elasticbeanstalk-eu-central-1-123456789012/BrillianCRM/x.zip'
  },
  CompleteMultipartUpload: CREATE,
  'CompleteMultipartUpload If-None-Match: *': IF_NONE_MATCH,
  CreateMultipartUpload: { 's3:ObjectCreationOperation': 'false' },
  UploadPart: { 's3:ObjectCreationOperation': 'false' }
}
/** The writes a role may send to a key. */
const writesAllowed = (policy: Policy, resource: string): string[] =>
  Object.entries(writes)
    .filter(([, context]) => allows(policy, 's3:PutObject', resource, context))
    .map(([request]) => request)

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
  /** The tag Beanstalk puts on the environment's stack, group and instances (a request on them carries it). */
  tagged: { 'aws:ResourceTag/elasticbeanstalk:environment-name': name } as RequestContext,
  /** An instance's tail logs, where RequestEnvironmentInfo has Beanstalk put them (pre-signed for the caller). */
  tailLogs: `${BUCKET}/resources/environments/logs/tail/${id}/i-0123456789abcdef0/TailLogs-1700000000000.out`
})
const prod = resourcesOf('BrillianCRM-env', PROD_ID)
const stag = resourcesOf('BrillianCRM-staging', STAGING_ID)

/** What a role would do to an environment's resources: every request that changes or reveals them. */
const touching = (r: ReturnType<typeof resourcesOf>): Array<[string, string, RequestContext]> => [
  ['elasticbeanstalk:UpdateEnvironment', r.environment, {}],
  ['elasticbeanstalk:DescribeConfigurationSettings', r.environment, {}],
  ['cloudformation:UpdateStack', r.stack, r.tagged],
  ['cloudformation:CancelUpdateStack', r.stack, r.tagged],
  ['cloudformation:ContinueUpdateRollback', r.stack, r.tagged],
  ['cloudformation:GetTemplate', r.stack, r.tagged],
  ['autoscaling:UpdateAutoScalingGroup', r.group, r.tagged],
  ['autoscaling:SuspendProcesses', r.group, r.tagged],
  ['autoscaling:ResumeProcesses', r.group, r.tagged],
  ['autoscaling:PutScheduledUpdateGroupAction', r.group, r.tagged],
  ['autoscaling:DeleteScheduledAction', r.group, r.tagged],
  ['s3:GetObject', r.templates, {}],
  ['elasticbeanstalk:RequestEnvironmentInfo', r.environment, {}],
  ['elasticbeanstalk:RetrieveEnvironmentInfo', r.environment, {}],
  ['elasticbeanstalk:AbortEnvironmentUpdate', r.environment, {}],
  ['s3:GetObject', r.tailLogs, {}]
]
/** Those a role may make. */
const allowedOf = (policy: Policy, requests: Array<[string, string, RequestContext]>) =>
  requests.filter(([action, resource, context]) => allows(policy, action, resource, context))

describe('the documented per-environment deploy policies', () => {
  it('are generated by the commands of docs/aws-setup.md, and the production one is docs/iam/deploy-policy.json', () => {
    expect(documented.map(c => c.output)).toEqual(['deploy-policy.json', 'deploy-policy-staging.json'])
    expect(production).toEqual(JSON.parse(read('docs/iam/deploy-policy.json')))
    expect(documented[1].args).toContain(`BrillianCRM-staging=${STAGING_ID}`)
    expect(documented[1].args).not.toContain('--prune')
  })

  it('give the staging role no permission on production’s stack, group, environment, properties or templates', () => {
    expect(allowedOf(staging, touching(prod))).toEqual([])
    // the evaluator can say yes: the production role may do each of them, the staging role each on staging
    expect(allowedOf(production, touching(prod))).toEqual(touching(prod))
    expect(allowedOf(staging, touching(stag))).toEqual(touching(stag))
    expect(allowedOf(production, touching(stag))).toEqual([])
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
      expect(
        allows(policy, 's3:PutObject', `${BUCKET}/BrillianCRM/abc1234-0f0f0f0f.zip`, IF_NONE_MATCH)
      ).toBe(true)
      expect(allows(policy, 's3:PutObject', `${BUCKET}/BrillianQuiz/q1.zip`, IF_NONE_MATCH)).toBe(false)
      expect(
        allows(policy, 's3:PutObject', `${BUCKET}/resources/environments/${PROD_ID}/x`, IF_NONE_MATCH)
      ).toBe(false)
      expect(
        allows(policy, 's3:GetObject', `${BUCKET}/resources/environments/logs/${PROD_ID}/tail.txt`)
      ).toBe(false)
      expect(allows(policy, 's3:GetObject', `${BUCKET}/resources/templates/BrillianCRM/saved-config`)).toBe(
        false
      )
    }
  })

  it('make bundles create-only: the staging role cannot replace the bytes of production’s bundle', () => {
    // the bundle production's version points at: staging uploaded it, production promoted it
    const productionBundle = `${BUCKET}/BrillianCRM/abc1234-0f0f0f0f.zip`
    // every request that makes an object must carry If-None-Match: *, which S3 refuses (412) when the key exists;
    // a multipart upload's parts make no object; and staging may not delete a bundle to create it again
    expect(writesAllowed(staging, productionBundle)).toEqual([
      'PutObject If-None-Match: *',
      'CompleteMultipartUpload If-None-Match: *',
      'CreateMultipartUpload',
      'UploadPart'
    ])
    expect(allows(staging, 's3:DeleteObject', productionBundle)).toBe(false)
    expect(allows(staging, 's3:DeleteObjectVersion', productionBundle)).toBe(false)
    // nor may the production role overwrite; it alone deletes old bundles (--prune, keep-versions)
    expect(writesAllowed(production, productionBundle)).toEqual(writesAllowed(staging, productionBundle))
    expect(allows(production, 's3:DeleteObject', productionBundle)).toBe(true)
    // the same requests are all refused outside the application's prefix
    expect(writesAllowed(staging, `${BUCKET}/BrillianQuiz/q1.zip`)).toEqual([])
    // the old statement (s3:PutObject on the prefix, no condition) allowed every one of them
    const old: Policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: `${BUCKET}/BrillianCRM/*` }]
    }
    expect(writesAllowed(old, productionBundle)).toEqual(Object.keys(writes))
  })

  it('the optional bucket statement of the docs binds every principal: no unconditional creation under the prefix', () => {
    const statement = [...read('docs/aws-setup.md').matchAll(/```json\n([\s\S]*?)```/g)]
      .map(m => JSON.parse(m[1]) as Statement & { Principal?: unknown })
      .find(s => s.Sid === 'BundlesOfBrillianCRMAreCreateOnly')
    expect(statement).toMatchObject({ Effect: 'Deny', Principal: '*' })
    // an administrator's own policy allows every S3 request; the bucket's Deny still wins (the same account)
    const admin: Policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }, statement!]
    }
    const bundle = `${BUCKET}/BrillianCRM/abc1234-0f0f0f0f.zip`
    expect(writesAllowed(admin, bundle)).toEqual([
      'PutObject If-None-Match: *',
      'CompleteMultipartUpload If-None-Match: *',
      'CreateMultipartUpload',
      'UploadPart'
    ])
    expect(writesAllowed(admin, `${BUCKET}/BrillianQuiz/q1.zip`)).toEqual(Object.keys(writes))
  })

  it('evaluates conditions as IAM does: a missing key fails StringEquals and Bool, Null tests absence', () => {
    const policy = (Condition: Statement['Condition']): Policy => ({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*', Condition }]
    })
    const put = (p: Policy, context: RequestContext) => allows(p, 's3:PutObject', 'arn:aws:s3:::b/k', context)
    expect(put(policy({ StringEquals: { 's3:if-none-match': '*' } }), IF_NONE_MATCH)).toBe(true)
    expect(put(policy({ StringEquals: { 's3:if-none-match': '*' } }), CREATE)).toBe(false)
    expect(put(policy({ StringEquals: { 'S3:If-None-Match': '*' } }), IF_NONE_MATCH)).toBe(true)
    expect(put(policy({ Bool: { 's3:ObjectCreationOperation': 'false' } }), CREATE)).toBe(false)
    expect(put(policy({ Bool: { 's3:ObjectCreationOperation': 'false' } }), {})).toBe(false)
    expect(put(policy({ Null: { 's3:if-none-match': 'false' } }), IF_NONE_MATCH)).toBe(true)
    expect(put(policy({ Null: { 's3:if-none-match': 'true' } }), IF_NONE_MATCH)).toBe(false)
    expect(() => put(policy({ StringLike: { 's3:if-none-match': '*' } }), IF_NONE_MATCH)).toThrow(
      /not modelled/
    )
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

  it('let the production role (--twin) create and then update the twin, whose id is unknown, by the tag of its name only', () => {
    const twin = resourcesOf('BrillianCRM-env-twin', 'e-newtwin123')
    const creating = { 'aws:RequestTag/elasticbeanstalk:environment-name': 'BrillianCRM-env-twin' }
    const twinRequests: Array<[string, string, RequestContext]> = [
      ['elasticbeanstalk:CreateEnvironment', twin.environment, {}],
      ['elasticbeanstalk:CreateConfigurationTemplate', `${EB}:configurationtemplate/BrillianCRM/t`, {}],
      ['elasticbeanstalk:ListTagsForResource', prod.environment, {}],
      ['cloudformation:CreateStack', twin.stack, creating],
      ['autoscaling:CreateAutoScalingGroup', twin.group, creating],
      ...touching(twin).filter(([action]) => !action.startsWith('s3:'))
    ]
    expect(allowedOf(production, twinRequests)).toEqual(twinRequests)
    // nothing of it for the staging role (no --twin), nor on staging's resources for the production role
    expect(allowedOf(staging, twinRequests)).toEqual([])
    const elsewhere: Array<[string, string, RequestContext]> = [
      ['elasticbeanstalk:CreateEnvironment', stag.environment, {}],
      ['elasticbeanstalk:CreateEnvironment', `${EB}:environment/BrillianQuiz/BrillianCRM-env-twin`, {}],
      [
        'cloudformation:CreateStack',
        stag.stack,
        { 'aws:RequestTag/elasticbeanstalk:environment-name': 'BrillianCRM-staging' }
      ],
      ['cloudformation:UpdateStack', twin.stack, {}], // untagged: not the pair's
      ['cloudformation:DeleteStack', stag.stack, stag.tagged],
      ['autoscaling:DeleteAutoScalingGroup', stag.group, stag.tagged],
      ['ec2:ReleaseAddress', `arn:aws:ec2:eu-central-1:${ACCOUNT}:elastic-ip/eipalloc-0abc`, {}],
      ['ec2:DeleteSecurityGroup', `arn:aws:ec2:eu-central-1:${ACCOUNT}:security-group/sg-0abc`, stag.tagged],
      // swap-environments: never with staging, nor with an environment of another application
      ['elasticbeanstalk:SwapEnvironmentCNAMEs', stag.environment, {}],
      ['elasticbeanstalk:TerminateEnvironment', stag.environment, {}],
      ['elasticbeanstalk:TerminateEnvironment', `${EB}:environment/BrillianQuiz/BrillianCRM-env-twin`, {}]
    ]
    expect(allowedOf(production, elsewhere)).toEqual([])
    // swap-environments within the pair: the swap (both sides), terminating the now-idle one; none for staging
    const withinThePair: Array<[string, string, RequestContext]> = [
      ['elasticbeanstalk:SwapEnvironmentCNAMEs', prod.environment, {}],
      ['elasticbeanstalk:SwapEnvironmentCNAMEs', twin.environment, {}],
      ['elasticbeanstalk:TerminateEnvironment', prod.environment, {}],
      ['elasticbeanstalk:TerminateEnvironment', twin.environment, {}]
    ]
    expect(allowedOf(production, withinThePair)).toEqual(withinThePair)
    expect(allowedOf(staging, withinThePair)).toEqual([])
    expect(
      allows(
        production,
        'ec2:DeleteSecurityGroup',
        `arn:aws:ec2:eu-central-1:${ACCOUNT}:security-group/sg-0abc`,
        twin.tagged
      )
    ).toBe(true)
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
    ],
    [
      ['--environment', `BrillianCRM-env=${PROD_ID}`, '--twin', 'BrillianCRM-env'],
      '--twin: "BrillianCRM-env" is given'
    ],
    [['--environment', `BrillianCRM-env=${PROD_ID}`, '--twin', '-twin'], '--twin: "-twin" is not']
  ])('refuses %j with a message naming the option', (args, message) => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'deploy-policy.mjs'), ...base, ...args], {
      encoding: 'utf8',
      timeout: 4000
    })
    expect([run.status, run.stdout]).toEqual([2, ''])
    expect(run.stderr).toContain(message)
  })
})
