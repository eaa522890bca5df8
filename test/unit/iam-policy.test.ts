/**
 * docs/iam/*.json: valid IAM policies that allow every AWS API call the actions make (found by scanning src/ for
 * the SDK commands they send), scoped to resources wherever AWS supports it, and the trust policy scoped to the
 * repository (environment or main branch) through GitHub's OIDC provider.
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

const allowed = (action: string): Statement[] =>
  permissionStatements.filter(
    s => s.Effect === 'Allow' && list(s.Action).some(pattern => matches(pattern, action))
  )

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

const readOnly = (action: string): boolean => /:(Describe|List|Get|Head)/.test(action)
/** Mutating actions that support no resource-level permissions (the service authorizes them on "*" only). */
const noResourceLevel = ['elasticbeanstalk:CreateStorageLocation']

describe('the IAM policies in docs/iam', () => {
  it('are valid policy documents', () => {
    expect(policyFiles.sort()).toEqual(['deploy-policy.json', 'trust-policy.json'])
    for (const policy of Object.values(policies)) {
      expect(policy.Version).toBe('2012-10-17')
      expect(policy.Statement.length).toBeGreaterThan(0)
      for (const statement of policy.Statement) {
        expect(['Allow', 'Deny']).toContain(statement.Effect)
        expect(list(statement.Action).every(action => /^[a-z0-9-]+:[A-Za-z*?]+$/.test(action))).toBe(true)
      }
    }
  })

  const calls = [...awsCalls(), ...cliCalls()]
  it('find the calls the actions make (the scan is not empty)', () => {
    const found = [...new Set(calls.flatMap(call => call.actions))].sort()
    expect(found.length).toBeGreaterThanOrEqual(12)
    expect(found).toEqual(
      expect.arrayContaining([
        'cloudfront:CreateInvalidation',
        'cloudfront:GetInvalidation',
        'cloudfront:ListDistributions',
        'elasticbeanstalk:CreateApplicationVersion',
        'elasticbeanstalk:CreateStorageLocation',
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
    expect(calls.filter(call => call.what.startsWith('aws ')).map(call => call.actions)).toEqual([
      ['elasticbeanstalk:DescribeApplicationVersions']
    ])
    expect(
      new Set(calls.filter(call => call.file.startsWith('src/')).map(call => call.file.split('/')[1]))
    ).toEqual(new Set(['deploy-beanstalk', 'invalidate-cloudfront']))
  })

  it('allow every AWS call the actions make', () => {
    const missing = calls.flatMap(call =>
      call.actions
        .filter(action => allowed(action).length === 0)
        .map(action => `${action} (${call.what} in ${call.file})`)
    )
    expect(missing).toEqual([])
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
    const resourcesOf = (action: string): string[] => allowed(action).flatMap(s => list(s.Resource))
    expect(resourcesOf('elasticbeanstalk:UpdateEnvironment')).toContain(
      'arn:aws:elasticbeanstalk:eu-central-1:123456789012:environment/BrillianCRM/BrillianCRM-env'
    )
    expect(resourcesOf('elasticbeanstalk:CreateApplicationVersion')).toContain(
      'arn:aws:elasticbeanstalk:eu-central-1:123456789012:applicationversion/BrillianCRM/*'
    )
    expect(resourcesOf('s3:PutObject')).toEqual(['arn:aws:s3:::elasticbeanstalk-eu-central-1-123456789012/*'])
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
    // An action the actions do not need is not allowed.
    expect(allowed('elasticbeanstalk:TerminateEnvironment')).toEqual([])
    expect(allowed('elasticbeanstalk:DeleteApplication')).toEqual([])
    expect(allowed('s3:DeleteBucket')).toEqual([])
    expect(allowed('s3:DeleteObjectVersion')).toEqual([])
  })

  it('let only this repository assume the role, through GitHub OIDC, from its environment or main', () => {
    const trust = Object.values(policies).filter(isTrust)
    expect(trust).toHaveLength(1)
    const [statement] = trust[0].Statement
    expect(statement.Action).toBe('sts:AssumeRoleWithWebIdentity')
    expect(statement.Principal).toEqual({
      Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com'
    })
    const equals = statement.Condition?.StringEquals ?? {}
    expect(equals['token.actions.githubusercontent.com:aud']).toBe('sts.amazonaws.com')
    expect(list(equals['token.actions.githubusercontent.com:sub']).sort()).toEqual([
      'repo:imbit/BrillianCRM:environment:BrillianCRM-env',
      'repo:imbit/BrillianCRM:ref:refs/heads/main'
    ])
    expect(statement.Condition?.StringLike).toBeUndefined()
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
