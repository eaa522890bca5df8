#!/usr/bin/env node
// The deploy role's permissions policy for ONE Beanstalk environment (or a blue/green pair), with the
// environment's id filled in (docs/aws-setup.md, section 3). Prints the JSON; no AWS call, no dependency:
//
//   node scripts/deploy-policy.mjs --account 123456789012 --region eu-central-1 --application BrillianCRM \
//     --environment BrillianCRM-env=e-abcd123456 --distribution E2ABCDEF123456 --prune > deploy-policy.json
//
// --environment NAME=ID   the environment the role deploys and its id (console → the environment's overview, or
//                         `aws elasticbeanstalk describe-environments --environment-names NAME
//                         --query 'Environments[0].EnvironmentId'`); repeat it for a blue/green pair
// --twin NAME             blue/green (deploy-beanstalk strategy: blue-green): the pair's other environment, which
//                         deploy-beanstalk creates as a clone of the live one when it does not exist. Its id is not
//                         known in advance (and changes when it is terminated and created again), so what Beanstalk
//                         does as you on the pair's stacks and groups is scoped by the tag it puts on them
//                         (elasticbeanstalk:environment-name: one of the pair's names), not by id.
// --bucket NAME           the bundles' bucket (default: Beanstalk's own, elasticbeanstalk-REGION-ACCOUNT)
// --distribution ID       the CloudFront distribution this role invalidates (none: no CloudFront permission)
// --prune                 keep-versions: delete the application's old versions and their bundles. Give it to the
//                         production role only: a role that may delete a bundle may also create it again with
//                         other bytes (a delete, then a create, is an overwrite), and bundles are per application,
//                         not per environment; a staging role with it could also delete production's rollback target.
//
// What it scopes, and why: Beanstalk carries out UpdateEnvironment as the caller, on the environment's own
// CloudFormation stack (awseb-e-<id>-stack) and Auto Scaling group (awseb-e-<id>-…): those of this environment
// only, never `awseb-*` (every environment of the account). Environment properties are readable
// (DescribeConfigurationSettings) for this environment only. Bundles are written under the application's prefix
// only, and are create-only: a PutObject or CompleteMultipartUpload is allowed only with If-None-Match: * (the
// condition key s3:if-none-match), so no role, staging's included, can replace the bytes of an existing bundle,
// such as the one a production version points at; only a --prune role can delete one. A promotion also checks
// the bundle's sha256 against the one recorded when its version was created. The instances' tail logs (a failed
// deploy) and AbortEnvironmentUpdate (a cancelled run) for this environment only; the logs' objects under
// resources/environments/logs/tail/<id>/ only.

import { pathToFileURL } from 'node:url'
import { STACK_ACTIONS, blueGreenStatements } from './deploy-policy-blue-green.mjs'

/** @typedef {{ name: string, id: string }} Environment */
/**
 * @typedef {object} Options
 * @property {string} account
 * @property {string} region
 * @property {string} application
 * @property {Environment[]} environments
 * @property {string} [bucket]
 * @property {string} [distribution]
 * @property {boolean} [prune]
 * @property {string} [twin]
 */

/** The ARN partition of a region: aws, aws-cn (cn-*), aws-us-gov (us-gov-*). */
export function partitionOf(region) {
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  return 'aws'
}

/** Checks the options; returns the problems, one sentence each, naming the option and the fix. */
export function problemsOf(options) {
  const problems = []
  if (!/^\d{12}$/.test(options.account ?? '')) problems.push('--account: the 12-digit AWS account id.')
  if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(options.region ?? ''))
    problems.push('--region: the Beanstalk region, such as eu-central-1.')
  if (!/^[^/*?]{1,100}$/.test(options.application ?? ''))
    problems.push('--application: the Beanstalk application, exactly as named in Beanstalk (no / * ?).')
  if (!options.environments?.length)
    problems.push('--environment: NAME=ID, such as BrillianCRM-env=e-abcd123456 (at least one).')
  for (const environment of options.environments ?? []) {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{2,39}$/.test(environment.name))
      problems.push(`--environment: "${environment.name}" is not a Beanstalk environment name.`)
    if (!/^e-[a-z0-9]{10}$/.test(environment.id))
      problems.push(
        `--environment ${environment.name}: "${environment.id}" is not an environment id (e- and 10 letters or digits, such as e-abcd123456).`
      )
  }
  if (options.bucket !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket))
    problems.push(`--bucket: "${options.bucket}" is not an S3 bucket name.`)
  if (options.twin !== undefined) {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{2,38}[A-Za-z0-9]$/.test(options.twin))
      problems.push(`--twin: "${options.twin}" is not a Beanstalk environment name.`)
    if ((options.environments ?? []).some(e => e.name === options.twin))
      problems.push(
        `--twin: "${options.twin}" is given with --environment too: name the other one of the pair.`
      )
  }
  if (options.distribution !== undefined && !/^[A-Z0-9]{8,20}$/.test(options.distribution))
    problems.push(`--distribution: "${options.distribution}" is not a CloudFront distribution id.`)
  return problems
}

/** The deploy policy for these options (checked with problemsOf first). Pure. */
export function deployPolicy(options) {
  const problems = problemsOf(options)
  if (problems.length > 0) throw new Error(problems.join(' '))
  const { account, region, application, environments } = options
  const partition = partitionOf(region)
  const bucket = options.bucket ?? `elasticbeanstalk-${region}-${account}`
  const beanstalk = `arn:${partition}:elasticbeanstalk:${region}:${account}`
  const versions = `${beanstalk}:applicationversion/${application}/*`
  const bundles = `arn:${partition}:s3:::${bucket}/${application}/*`
  // the environments deployed to: with --twin, the pair's other one too (created when missing)
  const deployedTo = [...environments.map(e => e.name), ...(options.twin ? [options.twin] : [])]
  const environmentArns = deployedTo.map(name => `${beanstalk}:environment/${application}/${name}`)
  const one = list => (list.length === 1 ? list[0] : list)
  const statements = [
    {
      Sid: 'BeanstalkReadOnlyLookups',
      Effect: 'Allow',
      Action: [
        'elasticbeanstalk:DescribeAccountAttributes',
        'elasticbeanstalk:DescribeApplications',
        'elasticbeanstalk:DescribeApplicationVersions',
        'elasticbeanstalk:DescribeEnvironments',
        'elasticbeanstalk:DescribeEvents'
      ],
      Resource: '*'
    },
    {
      // platform updates (deploy-beanstalk's `platform`) and the lifecycle check every plan makes: Beanstalk's own
      // platforms have no account in their ARN; ListPlatformBranches has no resource-level permissions
      Sid: 'BeanstalkPlatformLookUps',
      Effect: 'Allow',
      Action: ['elasticbeanstalk:DescribePlatformVersion', 'elasticbeanstalk:ListPlatformVersions'],
      Resource: `arn:${partition}:elasticbeanstalk:${region}::platform/*`
    },
    {
      Sid: 'BeanstalkPlatformBranchesHaveNoResourceLevelPermissions',
      Effect: 'Allow',
      Action: 'elasticbeanstalk:ListPlatformBranches',
      Resource: '*'
    },
    {
      Sid: 'BeanstalkReadThisEnvironmentsPropertiesOnly',
      Effect: 'Allow',
      Action: 'elasticbeanstalk:DescribeConfigurationSettings',
      Resource: one(environmentArns)
    },
    {
      Sid: 'BeanstalkStorageLocationHasNoResourceLevelPermissions',
      Effect: 'Allow',
      Action: 'elasticbeanstalk:CreateStorageLocation',
      Resource: '*'
    },
    {
      Sid: 'BeanstalkCreateVersionOfThisApplication',
      Effect: 'Allow',
      Action: 'elasticbeanstalk:CreateApplicationVersion',
      Resource: [`${beanstalk}:application/${application}`, versions]
    },
    ...(options.prune
      ? [
          {
            Sid: 'BeanstalkDeleteOldVersionsOfThisApplication',
            Effect: 'Allow',
            Action: 'elasticbeanstalk:DeleteApplicationVersion',
            Resource: versions
          }
        ]
      : []),
    {
      Sid: 'BeanstalkDeployToThisEnvironment',
      Effect: 'Allow',
      Action: 'elasticbeanstalk:UpdateEnvironment',
      // an update that changes the platform names it: the region's Docker platforms, or a solution stack
      Resource: [
        ...environmentArns,
        versions,
        `arn:${partition}:elasticbeanstalk:${region}::platform/Docker running on *`,
        `arn:${partition}:elasticbeanstalk:${region}::solutionstack/*`
      ]
    },
    {
      // a failed update: the instances' tail logs; a cancelled run: the abort of its own update (diagnostics/, cancel/)
      Sid: 'BeanstalkLogsAndAbortOfThisEnvironment',
      Effect: 'Allow',
      Action: [
        'elasticbeanstalk:RequestEnvironmentInfo',
        'elasticbeanstalk:RetrieveEnvironmentInfo',
        'elasticbeanstalk:AbortEnvironmentUpdate'
      ],
      Resource: one(environmentArns)
    },
    {
      // the pre-signed URLs RetrieveEnvironmentInfo answers are signed with the caller's own credentials
      Sid: 'TailLogsOfThisEnvironmentsInstances',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: one(
        environments.map(e => `arn:${partition}:s3:::${bucket}/resources/environments/logs/tail/${e.id}/*`)
      )
    },
    {
      Sid: 'ReadBundlesOfThisApplicationOnly',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: bundles
    },
    {
      // a bundle is created once and never replaced: PutObject and CompleteMultipartUpload (the requests that
      // make an object) only with If-None-Match: *, which S3 refuses with 412 when the key exists
      Sid: 'CreateBundlesOnlyNeverOverwrite',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: bundles,
      Condition: { StringEquals: { 's3:if-none-match': '*' } }
    },
    {
      // CreateMultipartUpload and UploadPart take no conditional header and make no object (s3:PutObject too)
      Sid: 'MultipartPartsOfANewBundle',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: bundles,
      Condition: { Bool: { 's3:ObjectCreationOperation': 'false' } }
    },
    {
      Sid: 'AbortAFailedMultipartUpload',
      Effect: 'Allow',
      Action: 's3:AbortMultipartUpload',
      Resource: bundles
    },
    {
      Sid: 'UpdateEnvironmentReadsThisEnvironmentsTemplatesAsYou',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: one(environments.map(e => `arn:${partition}:s3:::${bucket}/resources/environments/${e.id}/*`))
    },
    ...(options.prune
      ? [
          {
            Sid: 'BeanstalkDeleteSourceBundlesOfThisApplication',
            Effect: 'Allow',
            Action: 's3:DeleteObject',
            Resource: bundles
          }
        ]
      : []),
    {
      Sid: 'BeanstalkBucketItself',
      Effect: 'Allow',
      Action: ['s3:ListBucket', 's3:GetBucketLocation', 's3:GetBucketPolicy'],
      Resource: `arn:${partition}:s3:::${bucket}`
    },
    {
      Sid: 'UpdateEnvironmentActsAsYouOnThisEnvironmentsStack',
      Effect: 'Allow',
      Action: STACK_ACTIONS,
      Resource: one(
        environments.map(
          e => `arn:${partition}:cloudformation:${region}:${account}:stack/awseb-${e.id}-stack/*`
        )
      )
    },
    {
      Sid: 'UpdateEnvironmentActsAsYouOnThisEnvironmentsAutoScalingGroup',
      Effect: 'Allow',
      Action: [
        'autoscaling:SuspendProcesses',
        'autoscaling:ResumeProcesses',
        'autoscaling:UpdateAutoScalingGroup',
        'autoscaling:PutScheduledUpdateGroupAction',
        'autoscaling:DeleteScheduledAction'
      ],
      Resource: one(
        environments.map(
          e =>
            `arn:${partition}:autoscaling:${region}:${account}:autoScalingGroup:*:autoScalingGroupName/awseb-${e.id}-*`
        )
      )
    },
    {
      // a platform update: a new image means a new launch template version (EC2 here and Amazon's images)
      Sid: 'PlatformUpdateNewLaunchTemplateVersionForTheNewImage',
      Effect: 'Allow',
      Action: [
        'ec2:CreateLaunchTemplate',
        'ec2:CreateLaunchTemplateVersion',
        'ec2:ModifyLaunchTemplate',
        'ec2:DeleteLaunchTemplate',
        'ec2:DeleteLaunchTemplateVersions',
        'ec2:RunInstances',
        'ec2:CreateTags'
      ],
      Resource: [`arn:${partition}:ec2:${region}:${account}:*`, `arn:${partition}:ec2:${region}::image/*`]
    },
    {
      Sid: 'PlatformUpdateLaunchConfigurationOfOlderEnvironments',
      Effect: 'Allow',
      Action: ['autoscaling:CreateLaunchConfiguration', 'autoscaling:DeleteLaunchConfiguration'],
      Resource: one(
        environments.map(
          e =>
            `arn:${partition}:autoscaling:${region}:${account}:launchConfiguration:*:launchConfigurationName/awseb-${e.id}-*`
        )
      )
    },
    {
      Sid: 'PlatformUpdatePassesTheInstanceProfileRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: `arn:${partition}:iam::${account}:role/aws-elasticbeanstalk-ec2-role`,
      Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } }
    },
    {
      Sid: 'UpdateEnvironmentReadsEc2AutoScalingLoadBalancingLogs',
      Effect: 'Allow',
      Action: [
        'autoscaling:Describe*',
        'ec2:Describe*',
        'elasticloadbalancing:Describe*',
        'cloudwatch:DescribeAlarms',
        'logs:DescribeLogGroups'
      ],
      Resource: '*'
    },
    ...(options.twin ? blueGreenStatements({ ...options, partition, bucket, beanstalk, versions }) : []),
    ...(options.distribution
      ? [
          {
            Sid: 'CloudFrontInvalidateThisDistribution',
            Effect: 'Allow',
            Action: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
            Resource: `arn:${partition}:cloudfront::${account}:distribution/${options.distribution}`
          },
          {
            Sid: 'CloudFrontFindDistributionByDomain',
            Effect: 'Allow',
            Action: 'cloudfront:ListDistributions',
            Resource: '*'
          }
        ]
      : [])
  ]
  return { Version: '2012-10-17', Statement: statements }
}

/** The command line (process.argv.slice(2)) as options; unknown or incomplete arguments are problems. */
export function parseArguments(args) {
  const options = { environments: [], prune: false }
  const problems = []
  const names = { '--account': 'account', '--region': 'region', '--application': 'application' }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--prune') {
      options.prune = true
      continue
    }
    const value = args[i + 1]
    if (
      ![
        '--account',
        '--region',
        '--application',
        '--environment',
        '--twin',
        '--bucket',
        '--distribution'
      ].includes(arg)
    ) {
      problems.push(`${arg}: unknown argument (see the top of scripts/deploy-policy.mjs).`)
      continue
    }
    if (value === undefined || value.startsWith('--')) {
      problems.push(`${arg}: a value is missing.`)
      continue
    }
    i++
    if (arg === '--environment') {
      const [name, id = ''] = value.split('=')
      options.environments.push({ name, id })
    } else if (arg === '--twin') options.twin = value
    else if (arg === '--bucket') options.bucket = value
    else if (arg === '--distribution') options.distribution = value
    else options[names[arg]] = value
  }
  return { options, problems: [...problems, ...problemsOf(options)] }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { options, problems } = parseArguments(process.argv.slice(2))
  if (problems.length > 0) {
    for (const problem of problems) console.error(problem)
    process.exit(2)
  }
  process.stdout.write(`${JSON.stringify(deployPolicy(options), null, 2)}\n`)
}
