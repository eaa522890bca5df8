// The blue/green statements of the deploy policy (scripts/deploy-policy.mjs --twin NAME): what deploy-beanstalk's
// strategy: blue-green needs besides a deploy, to create the pair's twin as a clone of the live environment.
// No dependency; imported by deploy-policy.mjs only.

/**
 * What Beanstalk does as the caller on an environment's CloudFormation stack during an update (the deploy policy
 * grants it on the environment's own stack; blue/green on the pair's, plus DeleteStack for a terminated twin).
 */
export const STACK_ACTIONS = [
  'cloudformation:DescribeStackEvents',
  'cloudformation:DescribeStackResource',
  'cloudformation:DescribeStackResources',
  'cloudformation:DescribeStacks',
  'cloudformation:GetTemplate',
  'cloudformation:ListStackResources',
  'cloudformation:UpdateStack',
  'cloudformation:CancelUpdateStack',
  'cloudformation:ContinueUpdateRollback'
]

/**
 * What creating and then updating a twin needs (deploy-beanstalk's strategy: blue-green): the clone (a configuration
 * template of the live one, CreateEnvironment with its tags, the CNAME checked free), and what Beanstalk does as you
 * to build a new environment (its CloudFormation stack, Auto Scaling group, security group, Elastic IP, alarms, load
 * balancer when it has one, the instance profile's and the service role passed). The twin's id is unknown in
 * advance: its stack and group are scoped by the tag Beanstalk puts on them (elasticbeanstalk:environment-name, one
 * of the pair's names), deletions too; creations by their awseb- names where AWS allows.
 */
export function blueGreenStatements({
  account,
  region,
  application,
  environments,
  twin,
  partition,
  beanstalk,
  versions
}) {
  const names = [...environments.map(e => e.name), twin]
  const pair = names.map(name => `${beanstalk}:environment/${application}/${name}`)
  const templates = `${beanstalk}:configurationtemplate/${application}/*`
  const platforms = [
    `arn:${partition}:elasticbeanstalk:${region}::platform/*`,
    `arn:${partition}:elasticbeanstalk:${region}::solutionstack/*`
  ]
  const onThePair = tag => ({ StringEquals: { [`${tag}/elasticbeanstalk:environment-name`]: names } })
  const ec2 = `arn:${partition}:ec2:${region}:${account}`
  const stacks = `arn:${partition}:cloudformation:${region}:${account}:stack/awseb-e-*-stack/*`
  const groups = `arn:${partition}:autoscaling:${region}:${account}:autoScalingGroup:*:autoScalingGroupName/awseb-e-*`
  const elb = `arn:${partition}:elasticloadbalancing:${region}:${account}`
  return [
    {
      Sid: 'BlueGreenReadThePairsTags',
      Effect: 'Allow',
      Action: 'elasticbeanstalk:ListTagsForResource',
      Resource: pair
    },
    {
      // swap-environments: the CNAME swap between the two of the pair (both are authorized), and the idle one
      // terminated after a successful release (idle-after-swap: terminate); nothing else of the application
      Sid: 'BlueGreenSwapAndTerminateWithinThePair',
      Effect: 'Allow',
      Action: ['elasticbeanstalk:SwapEnvironmentCNAMEs', 'elasticbeanstalk:TerminateEnvironment'],
      Resource: pair
    },
    {
      Sid: 'BlueGreenCnameAvailabilityHasNoResourceLevelPermissions',
      Effect: 'Allow',
      Action: 'elasticbeanstalk:CheckDNSAvailability',
      Resource: '*'
    },
    {
      Sid: 'BlueGreenCloneTheLiveOneThroughATemplate',
      Effect: 'Allow',
      Action: [
        'elasticbeanstalk:CreateConfigurationTemplate',
        'elasticbeanstalk:DeleteConfigurationTemplate'
      ],
      Resource: [`${beanstalk}:application/${application}`, templates, ...pair, ...platforms]
    },
    {
      Sid: 'BlueGreenCreateTheTwin',
      Effect: 'Allow',
      Action: ['elasticbeanstalk:CreateEnvironment', 'elasticbeanstalk:AddTags'],
      Resource: [`${beanstalk}:application/${application}`, templates, versions, ...pair, ...platforms]
    },
    {
      Sid: 'BlueGreenPassTheServiceRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: `arn:${partition}:iam::${account}:role/aws-elasticbeanstalk-service-role`,
      Condition: { StringEquals: { 'iam:PassedToService': 'elasticbeanstalk.amazonaws.com' } }
    },
    {
      Sid: 'BlueGreenCreateThePairsStack',
      Effect: 'Allow',
      Action: ['cloudformation:CreateStack', 'cloudformation:TagResource'],
      Resource: stacks,
      Condition: onThePair('aws:RequestTag')
    },
    {
      Sid: 'BlueGreenActAsYouOnThePairsStack',
      Effect: 'Allow',
      Action: [...STACK_ACTIONS, 'cloudformation:DeleteStack'],
      Resource: stacks,
      Condition: onThePair('aws:ResourceTag')
    },
    {
      Sid: 'BlueGreenCreateThePairsAutoScalingGroup',
      Effect: 'Allow',
      Action: ['autoscaling:CreateAutoScalingGroup', 'autoscaling:CreateOrUpdateTags'],
      Resource: groups,
      Condition: onThePair('aws:RequestTag')
    },
    {
      Sid: 'BlueGreenActAsYouOnThePairsAutoScalingGroup',
      Effect: 'Allow',
      Action: [
        'autoscaling:SuspendProcesses',
        'autoscaling:ResumeProcesses',
        'autoscaling:UpdateAutoScalingGroup',
        'autoscaling:PutScheduledUpdateGroupAction',
        'autoscaling:DeleteScheduledAction',
        'autoscaling:PutScalingPolicy',
        'autoscaling:PutNotificationConfiguration',
        'autoscaling:DeleteAutoScalingGroup'
      ],
      Resource: groups,
      Condition: onThePair('aws:ResourceTag')
    },
    {
      Sid: 'BlueGreenCreateTheTwinsSecurityGroupAndAddress',
      Effect: 'Allow',
      Action: [
        'ec2:CreateSecurityGroup',
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:AllocateAddress',
        'ec2:AssociateAddress',
        'ec2:CreateTags'
      ],
      Resource: `${ec2}:*`
    },
    {
      Sid: 'BlueGreenRemoveOnlyThePairsSecurityGroupAndAddress',
      Effect: 'Allow',
      Action: [
        'ec2:RevokeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupEgress',
        'ec2:DeleteSecurityGroup',
        'ec2:DisassociateAddress',
        'ec2:ReleaseAddress'
      ],
      Resource: `${ec2}:*`,
      Condition: onThePair('aws:ResourceTag')
    },
    {
      Sid: 'BlueGreenAlarmsOfBeanstalkEnvironments',
      Effect: 'Allow',
      Action: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms'],
      Resource: `arn:${partition}:cloudwatch:${region}:${account}:alarm:awseb-e-*`
    },
    {
      Sid: 'BlueGreenLoadBalancerOfALoadBalancedTwin',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:CreateLoadBalancer',
        'elasticloadbalancing:CreateTargetGroup',
        'elasticloadbalancing:CreateListener',
        'elasticloadbalancing:AddTags',
        'elasticloadbalancing:ConfigureHealthCheck',
        'elasticloadbalancing:ModifyLoadBalancerAttributes',
        'elasticloadbalancing:ModifyTargetGroupAttributes'
      ],
      Resource: [
        `${elb}:loadbalancer/awseb-*`,
        `${elb}:loadbalancer/app/awseb-*`,
        `${elb}:targetgroup/awseb-*`,
        `${elb}:listener/app/awseb-*`
      ]
    }
  ]
}
