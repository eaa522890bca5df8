/**
 * docs/iam/*.json, two roles: the deploy role allows every AWS API call the actions make (found by scanning src/
 * for the SDK commands they send), scoped to resources wherever AWS supports it, and only the deploy job in the
 * GitHub environment may assume it; the read-only role allows deploy-beanstalk's look-ups and no mutating call,
 * and only jobs on main (the check job) may assume it. The trust policies are evaluated against the sub claims
 * GitHub issues.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = join(import.meta.dirname, '..', '..')

interface Statement {
  Sid?: string
  Effect: 'Allow' | 'Deny'
  Action: string | string[]
  Resource?: string | string[]
  Principal?: unknown
  Condition?: Record<string, Record<string, string | string[]>>
}
interface Policy {
  Version: string
  Statement: Statement[]
}

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : [value].flat())
const policyFiles = readdirSync(join(root, 'docs', 'iam')).filter(name => name.endsWith('.json'))
const policies = Object.fromEntries(
  policyFiles.map(name => [name, JSON.parse(readFileSync(join(root, 'docs', 'iam', name), 'utf8')) as Policy])
)
const isTrust = (policy: Policy): boolean =>
  policy.Statement.some(statement => statement.Principal !== undefined)
const permissionStatements = Object.values(policies)
  .filter(policy => !isTrust(policy))
  .flatMap(policy => policy.Statement)

/** IAM matching: case-insensitive, `*` any run of characters, `?` one. */
const matches = (pattern: string, value: string): boolean =>
  new RegExp(
    `^${pattern
      .split('')
      .map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    'i'
  ).test(value)

// --- the AWS calls the actions make ------------------------------------------------------------------------------
const servicePrefix: Record<string, string> = {
  '@aws-sdk/client-elastic-beanstalk': 'elasticbeanstalk',
  '@aws-sdk/client-s3': 's3',
  '@aws-sdk/client-cloudfront': 'cloudfront'
}
/** S3 operations authorized by an IAM action of another name (the Service Authorization Reference). */
const s3ActionFor: Record<string, string> = {
  HeadObject: 's3:GetObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  ListParts: 's3:ListMultipartUploadParts',
  HeadBucket: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket'
}
/** Where the IAM action is not the operation's name. */
const iamActionsFor = (service: string, operation: string): string[] => {
  if (service === 's3' && operation in s3ActionFor) return [s3ActionFor[operation]]
  return [`${service}:${operation}`]
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

interface Call {
  file: string
  what: string
  actions: string[]
}

/** Every `new XxxCommand(`, `paginateXxx(` and lib-storage `new Upload(` whose name is imported from the AWS SDK. */
function awsCalls(): Call[] {
  const calls: Call[] = []
  for (const path of sourceFiles(join(root, 'src'))) {
    const source = readFileSync(path, 'utf8')
    const file = relative(root, path)
    const imported = new Map<string, string>()
    for (const [, names, from] of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
      for (const name of names.split(',').map(n =>
        n
          .trim()
          .split(/\s+as\s+/)[0]
          .trim()
      )) {
        if (name !== '') imported.set(name, from)
      }
    }
    for (const [, name] of source.matchAll(/new\s+(\w+Command)\s*\(/g)) {
      const service = servicePrefix[imported.get(name) ?? '']
      if (service)
        calls.push({ file, what: name, actions: iamActionsFor(service, name.replace(/Command$/, '')) })
    }
    for (const [, operation] of source.matchAll(/\bpaginate(\w+)\s*\(/g)) {
      const service = servicePrefix[imported.get(`paginate${operation}`) ?? '']
      if (service)
        calls.push({ file, what: `paginate${operation}`, actions: iamActionsFor(service, operation) })
    }
    if (imported.get('Upload') === '@aws-sdk/lib-storage' && /new\s+Upload\s*\(/.test(source)) {
      // Upload sends PutObject, or CreateMultipartUpload/UploadPart/CompleteMultipartUpload (all s3:PutObject)
      // and AbortMultipartUpload when it fails.
      calls.push({ file, what: 'Upload', actions: ['s3:PutObject', 's3:AbortMultipartUpload'] })
    }
    if (/\bDeleteSourceBundle\s*:/.test(source)) {
      // DeleteApplicationVersion with DeleteSourceBundle: Beanstalk deletes the S3 object as the caller.
      calls.push({ file, what: 'DeleteSourceBundle', actions: ['s3:DeleteObject'] })
    }
  }
  return calls
}

/** `aws <service> <operation>` in the workflows' scripts, such as `aws elasticbeanstalk describe-application-versions`. */
function cliCalls(): Call[] {
  const pascal = (kebab: string): string =>
    kebab.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase())
  const calls: Call[] = []
  const dir = join(root, '.github', 'workflows')
  for (const name of readdirSync(dir).filter(n => /\.ya?ml$/.test(n))) {
    const source = readFileSync(join(dir, name), 'utf8')
    for (const [, service, operation] of source.matchAll(/\baws\s+([a-z0-9-]+)\s+([a-z][a-z0-9-]+)/g)) {
      calls.push({
        file: `.github/workflows/${name}`,
        what: `aws ${service} ${operation}`,
        actions: [`${service}:${pascal(operation)}`]
      })
    }
  }
  return calls
}

/** The two roles of docs/aws-setup.md: what each may do, and who may assume it. */
const roles = {
  deploy: { permissions: 'deploy-policy.json', trust: 'deploy-trust-policy.json' },
  readOnly: { permissions: 'read-only-policy.json', trust: 'read-only-trust-policy.json' }
} as const
type Role = keyof typeof roles

const allowedBy = (role: Role, action: string): Statement[] =>
  policies[roles[role].permissions].Statement.filter(
    s => s.Effect === 'Allow' && list(s.Action).some(pattern => matches(pattern, action))
  )

/**
 * Whether a GitHub OIDC token with these claims may assume the role (AssumeRoleWithWebIdentity): an Allow statement
 * for the action whose federated principal is GitHub's provider and whose every condition holds (StringEquals:
 * one of the values, exactly; StringLike: one of the patterns, IAM wildcards). Any other condition operator is
 * refused rather than guessed.
 */
function canAssume(role: Role, claims: { aud: string; sub: string }): boolean {
  const claimOf = (key: string): string | undefined =>
    key === 'token.actions.githubusercontent.com:aud'
      ? claims.aud
      : key === 'token.actions.githubusercontent.com:sub'
        ? claims.sub
        : undefined
  return policies[roles[role].trust].Statement.some(statement => {
    if (statement.Effect !== 'Allow' || !list(statement.Action).includes('sts:AssumeRoleWithWebIdentity'))
      return false
    const federated = (statement.Principal as { Federated?: string } | undefined)?.Federated ?? ''
    if (!/:oidc-provider\/token\.actions\.githubusercontent\.com$/.test(federated)) return false
    return Object.entries(statement.Condition ?? {}).every(([operator, conditions]) =>
      Object.entries(conditions).every(([key, values]) => {
        const claim = claimOf(key)
        if (claim === undefined) return false
        if (operator === 'StringEquals') return list(values).includes(claim)
        if (operator === 'StringLike') return list(values).some(pattern => matches(pattern, claim))
        throw new Error(`unsupported condition operator ${operator}`)
      })
    )
  })
}

/**
 * Reads that are not named Describe/List/Get: CheckDNSAvailability "Checks if the specified CNAME is available"
 * (Elastic Beanstalk API Reference) and changes nothing; named exactly, never through a wildcard.
 */
const READS_OF_OTHER_NAMES = ['elasticbeanstalk:CheckDNSAvailability']
/** A Describe/List/Get action (a trailing wildcard such as ec2:Describe* stays within the verb), or a read above. */
const readOnly = (action: string): boolean =>
  /^[a-z0-9-]+:(Describe|List|Get)[A-Za-z*]*$/.test(action) || READS_OF_OTHER_NAMES.includes(action)
/** Mutating actions that support no resource-level permissions (the service authorizes them on "*" only). */
const noResourceLevel = ['elasticbeanstalk:CreateStorageLocation']

describe('the IAM policies in docs/iam', () => {
  it('are valid policy documents: two roles, each a permissions policy and a trust policy', () => {
    // and each trust policy also in the pinned-workflow form (test/unit/iam-per-environment.test.ts)
    expect(policyFiles.sort()).toEqual(
      Object.values(roles)
        .flatMap(role => [role.permissions, role.trust, role.trust.replace('.json', '-pinned.json')])
        .sort()
    )
    for (const role of Object.values(roles)) {
      expect(isTrust(policies[role.trust])).toBe(true)
      expect(isTrust(policies[role.permissions])).toBe(false)
    }
    for (const policy of Object.values(policies)) {
      expect(policy.Version).toBe('2012-10-17')
      expect(policy.Statement.length).toBeGreaterThan(0)
      for (const statement of policy.Statement) {
        expect(['Allow', 'Deny']).toContain(statement.Effect)
        expect(list(statement.Action).every(action => /^[a-z0-9-]+:[A-Za-z*?]+$/.test(action))).toBe(true)
      }
    }
  })

  const calls = awsCalls()
  const cli = cliCalls()
  it('find the calls the actions and the workflows make (the scans are not empty)', () => {
    const found = [...new Set(calls.flatMap(call => call.actions))].sort()
    expect(found.length).toBeGreaterThanOrEqual(12)
    expect(found).toEqual(
      expect.arrayContaining([
        'cloudfront:CreateInvalidation',
        'cloudfront:GetInvalidation',
        'cloudfront:ListDistributions',
        'elasticbeanstalk:CreateApplicationVersion',
        'elasticbeanstalk:CreateStorageLocation',
        'elasticbeanstalk:DescribeConfigurationSettings',
        'elasticbeanstalk:DeleteApplicationVersion',
        'elasticbeanstalk:DescribeAccountAttributes',
        'elasticbeanstalk:DescribeEnvironments',
        'elasticbeanstalk:UpdateEnvironment',
        's3:GetObject',
        's3:PutObject',
        's3:AbortMultipartUpload',
        's3:DeleteObject'
      ])
    )
    // The workflows' own aws CLI calls: only the check job's read of the deploy role's trust policy (the
    // redeploy check moved into deploy-beanstalk).
    expect(cli.map(call => [call.what, call.actions])).toEqual([['aws iam get-role', ['iam:GetRole']]])
    expect(
      new Set(calls.filter(call => call.file.startsWith('src/')).map(call => call.file.split('/')[1]))
    ).toEqual(new Set(['deploy-beanstalk', 'invalidate-cloudfront', 'swap-environments']))
  })

  it('let the deploy role make every AWS call the actions make', () => {
    const missing = calls.flatMap(call =>
      call.actions
        .filter(action => allowedBy('deploy', action).length === 0)
        .map(action => `${action} (${call.what} in ${call.file})`)
    )
    expect(missing).toEqual([])
  })

  it("let the read-only role make deploy-beanstalk's look-ups (its dry run in the check job), and nothing else", () => {
    const lookUps = calls
      .filter(call => call.file.includes('deploy-beanstalk'))
      .flatMap(call => call.actions)
      .filter(readOnly)
    expect(lookUps).toEqual(
      expect.arrayContaining([
        // blue/green: the live one's tags and the twin's CNAME, in the dry run too
        'elasticbeanstalk:ListTagsForResource',
        'elasticbeanstalk:CheckDNSAvailability',
        'elasticbeanstalk:DescribeApplications',
        'elasticbeanstalk:DescribeEnvironments',
        'elasticbeanstalk:DescribeApplicationVersions',
        's3:GetObject'
      ])
    )
    // but not the environment's properties: DescribeConfigurationSettings returns their values (issue 20); the
    // check job's dry run is given no configuration, so it makes no such call.
    expect(lookUps).toContain('elasticbeanstalk:DescribeConfigurationSettings')
    expect(allowedBy('readOnly', 'elasticbeanstalk:DescribeConfigurationSettings')).toEqual([])
    expect(
      lookUps
        .filter(action => action !== 'elasticbeanstalk:DescribeConfigurationSettings')
        .filter(action => allowedBy('readOnly', action).length === 0)
    ).toEqual([])
    // Every action the policy names is a Describe/List/Get action: no pattern can widen into a mutating one.
    const named = policies[roles.readOnly.permissions].Statement.flatMap(s => list(s.Action))
    expect(named.filter(action => !readOnly(action) || /[*?]/.test(action))).toEqual([])
  })

  it("let the read-only role make the check job's aws CLI calls, on the deploy role only", () => {
    expect(
      cli.flatMap(call => call.actions).filter(action => allowedBy('readOnly', action).length === 0)
    ).toEqual([])
    expect(allowedBy('readOnly', 'iam:GetRole').flatMap(s => list(s.Resource))).toEqual([
      'arn:aws:iam::123456789012:role/github-deploy-brilliancrm'
    ])
  })

  it('let the read-only role call no mutating API', () => {
    const mutatingCalls = [
      ...new Set(calls.flatMap(call => call.actions).filter(action => !readOnly(action)))
    ]
    expect(mutatingCalls).toEqual(
      expect.arrayContaining([
        'elasticbeanstalk:UpdateEnvironment',
        'elasticbeanstalk:CreateApplicationVersion',
        'elasticbeanstalk:CreateEnvironment',
        'elasticbeanstalk:CreateConfigurationTemplate',
        'elasticbeanstalk:DeleteConfigurationTemplate',
        'elasticbeanstalk:SwapEnvironmentCNAMEs',
        'elasticbeanstalk:TerminateEnvironment',
        's3:PutObject',
        'cloudfront:CreateInvalidation'
      ])
    )
    const dangerous = [
      'cloudformation:CreateStack',
      'elasticbeanstalk:AddTags',
      'elasticbeanstalk:TerminateEnvironment',
      'elasticbeanstalk:DeleteApplicationVersion',
      'elasticbeanstalk:UpdateConfigurationTemplate',
      'elasticbeanstalk:RestartAppServer',
      's3:DeleteObject',
      'cloudformation:UpdateStack',
      'iam:PassRole',
      'iam:UpdateAssumeRolePolicy',
      'iam:PutRolePolicy',
      'sts:AssumeRole'
    ]
    expect(
      [...mutatingCalls, ...dangerous].filter(action => allowedBy('readOnly', action).length > 0)
    ).toEqual([])
    // The check is not vacuous: the deploy role does allow the mutating calls.
    expect(mutatingCalls.filter(action => allowedBy('deploy', action).length === 0)).toEqual([])
  })

  it('never allow every action, nor a mutating action on every resource', () => {
    for (const statement of permissionStatements) {
      const actions = list(statement.Action)
      expect(actions.filter(action => action === '*' || /^[a-z0-9-]+:\*$/.test(action))).toEqual([])
      if (list(statement.Resource).includes('*')) {
        const mutating = actions.filter(action => !readOnly(action) && !noResourceLevel.includes(action))
        expect([statement.Sid, mutating]).toEqual([statement.Sid, []])
      }
    }
  })

  it('scope the mutating calls to the application, environment, bucket and distribution', () => {
    const resourcesOf = (action: string): string[] =>
      allowedBy('deploy', action).flatMap(s => list(s.Resource))
    expect(resourcesOf('elasticbeanstalk:UpdateEnvironment')).toContain(
      'arn:aws:elasticbeanstalk:eu-central-1:123456789012:environment/BrillianCRM/BrillianCRM-env'
    )
    expect(resourcesOf('elasticbeanstalk:CreateApplicationVersion')).toContain(
      'arn:aws:elasticbeanstalk:eu-central-1:123456789012:applicationversion/BrillianCRM/*'
    )
    // create-only (test/unit/iam-per-environment.test.ts): with If-None-Match: *, or a multipart upload's parts
    expect(resourcesOf('s3:PutObject')).toEqual([
      'arn:aws:s3:::elasticbeanstalk-eu-central-1-123456789012/BrillianCRM/*',
      'arn:aws:s3:::elasticbeanstalk-eu-central-1-123456789012/BrillianCRM/*'
    ])
    expect(allowedBy('deploy', 's3:PutObject').map(s => s.Condition)).toEqual([
      { StringEquals: { 's3:if-none-match': '*' } },
      { Bool: { 's3:ObjectCreationOperation': 'false' } }
    ])
    expect(resourcesOf('cloudfront:CreateInvalidation')).toEqual([
      'arn:aws:cloudfront::123456789012:distribution/E2ABCDEF123456'
    ])
    // keep-versions: only this application's versions, and only its bundles (the <application>/ prefix)
    expect(resourcesOf('elasticbeanstalk:DeleteApplicationVersion')).toEqual([
      'arn:aws:elasticbeanstalk:eu-central-1:123456789012:applicationversion/BrillianCRM/*'
    ])
    expect(resourcesOf('s3:DeleteObject')).toEqual([
      'arn:aws:s3:::elasticbeanstalk-eu-central-1-123456789012/BrillianCRM/*'
    ])
    expect(resourcesOf('elasticbeanstalk:DescribeAccountAttributes')).toEqual(['*'])
    // blue/green: swap-environments swaps and terminates within the pair only
    for (const action of [
      'elasticbeanstalk:SwapEnvironmentCNAMEs',
      'elasticbeanstalk:TerminateEnvironment'
    ]) {
      expect(resourcesOf(action).sort()).toEqual([
        'arn:aws:elasticbeanstalk:eu-central-1:123456789012:environment/BrillianCRM/BrillianCRM-env',
        'arn:aws:elasticbeanstalk:eu-central-1:123456789012:environment/BrillianCRM/BrillianCRM-env-twin'
      ])
    }
    // An action the actions do not need is not allowed.
    expect(allowedBy('deploy', 'elasticbeanstalk:RebuildEnvironment')).toEqual([])
    // blue/green: the twin is created in this application only, under the pair's names
    expect(resourcesOf('elasticbeanstalk:CreateEnvironment')).toEqual(
      expect.arrayContaining([
        'arn:aws:elasticbeanstalk:eu-central-1:123456789012:environment/BrillianCRM/BrillianCRM-env',
        'arn:aws:elasticbeanstalk:eu-central-1:123456789012:environment/BrillianCRM/BrillianCRM-env-twin'
      ])
    )
    expect(
      resourcesOf('elasticbeanstalk:CreateEnvironment').filter(r => r.includes(':environment/'))
    ).toHaveLength(2)
    expect(resourcesOf('elasticbeanstalk:CreateConfigurationTemplate')).toContain(
      'arn:aws:elasticbeanstalk:eu-central-1:123456789012:configurationtemplate/BrillianCRM/*'
    )
    expect(allowedBy('deploy', 'elasticbeanstalk:DeleteApplication')).toEqual([])
    expect(allowedBy('deploy', 's3:DeleteBucket')).toEqual([])
    expect(allowedBy('deploy', 's3:DeleteObjectVersion')).toEqual([])
  })
})

describe('who may assume which role (the trust policies)', () => {
  const repo = 'repo:imbit/BrillianCRM'
  const sts = 'sts.amazonaws.com'
  // The sub claims GitHub issues: a job in an environment, a job on a branch or tag, a pull request.
  const subjects = {
    'the deploy job (environment BrillianCRM-env)': `${repo}:environment:BrillianCRM-env`,
    'a job on main outside any environment (the check job)': `${repo}:ref:refs/heads/main`,
    'a job on another branch': `${repo}:ref:refs/heads/feature`,
    'a job on a tag': `${repo}:ref:refs/tags/v1.0.0`,
    'a pull request': `${repo}:pull_request`,
    'another environment of the repository': `${repo}:environment:BrillianCRM-staging`,
    'the same environment name in another repository': 'repo:imbit/BrillianQuiz:environment:BrillianCRM-env',
    'a look-alike repository name': 'repo:imbit/BrillianCRM2:environment:BrillianCRM-env'
  }
  const allowed = (role: Role, aud = sts): string[] =>
    Object.entries(subjects)
      .filter(([, sub]) => canAssume(role, { aud, sub }))
      .map(([who]) => who)

  it('let only the environment-gated deploy job assume the deploy role', () => {
    expect(allowed('deploy')).toEqual(['the deploy job (environment BrillianCRM-env)'])
  })

  it('let only jobs on main (the check job) assume the read-only role', () => {
    expect(allowed('readOnly')).toEqual(['a job on main outside any environment (the check job)'])
  })

  it("refuse a token asked for another audience (such as the workflow's own-commit look-up)", () => {
    expect(allowed('deploy', 'imbit-actions-self')).toEqual([])
    expect(allowed('readOnly', 'imbit-actions-self')).toEqual([])
  })

  it('trust GitHub OIDC only, with exact subjects (no wildcard that could widen them)', () => {
    for (const role of Object.values(roles)) {
      for (const statement of policies[role.trust].Statement) {
        expect(statement.Action).toBe('sts:AssumeRoleWithWebIdentity')
        expect(statement.Principal).toEqual({
          Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com'
        })
        expect(statement.Condition?.StringLike).toBeUndefined()
      }
    }
  })

  it('evaluates conditions as IAM does (the evaluator can say no, and yes)', () => {
    expect(canAssume('deploy', { aud: sts, sub: `${repo}:environment:BrillianCRM-env` })).toBe(true)
    expect(canAssume('deploy', { aud: sts, sub: `${repo}:environment:brilliancrm-env` })).toBe(false)
    expect(
      canAssume('deploy', { aud: 'sts.amazonaws.com ', sub: `${repo}:environment:BrillianCRM-env` })
    ).toBe(false)
  })
})

describe('the operation → IAM action mapping', () => {
  it('maps S3 operations to the actions IAM checks for them', () => {
    expect(iamActionsFor('s3', 'HeadObject')).toEqual(['s3:GetObject'])
    expect(iamActionsFor('s3', 'CreateMultipartUpload')).toEqual(['s3:PutObject'])
    expect(iamActionsFor('s3', 'UploadPart')).toEqual(['s3:PutObject'])
    expect(iamActionsFor('s3', 'CompleteMultipartUpload')).toEqual(['s3:PutObject'])
    expect(iamActionsFor('s3', 'AbortMultipartUpload')).toEqual(['s3:AbortMultipartUpload'])
    expect(iamActionsFor('elasticbeanstalk', 'UpdateEnvironment')).toEqual([
      'elasticbeanstalk:UpdateEnvironment'
    ])
  })
})

describe('the IAM matcher', () => {
  it('matches wildcards as IAM does', () => {
    expect(matches('ec2:Describe*', 'ec2:DescribeInstances')).toBe(true)
    expect(matches('s3:GetObject', 's3:getobject')).toBe(true)
    expect(matches('s3:Get?bject', 's3:GetObject')).toBe(true)
    expect(matches('s3:GetObject', 's3:GetObjectAcl')).toBe(false)
    expect(matches('cloudfront:List*', 'cloudfront:CreateInvalidation')).toBe(false)
  })
})
