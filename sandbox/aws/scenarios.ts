/**
 * Scenarios as data. 'default' is IMBIT's estate (4 apps in eu-central-1, one distribution each);
 * the others are the situations the actions must handle, with short durations so tests stay fast.
 */
import type { AppSpec, DistributionSpec, EnvSpec, SandboxScenario, UpdateScript } from './types.js'

const IMBIT_APPS: Array<{ name: string; domain: string; distribution: string }> = [
  { name: 'BrillianCRM', domain: 'brilliancrm.com', distribution: 'E2CRM000000001' },
  { name: 'BrillianICM', domain: 'brillianicm.com', distribution: 'E2ICM000000001' },
  { name: 'BrillianQuiz', domain: 'brillianquiz.com', distribution: 'E2QUIZ00000001' },
  { name: 'brillianideas', domain: 'brillianideas.com', distribution: 'E2IDEAS0000001' }
]

function imbitApps(update?: UpdateScript, overrides: Record<string, Partial<EnvSpec>> = {}): AppSpec[] {
  return IMBIT_APPS.map(a => ({
    name: a.name,
    region: 'eu-central-1',
    versions: [{ label: 'v0-initial', description: 'Initial version' }],
    environments: [
      {
        name: `${a.name}-env`,
        versionLabel: 'v0-initial',
        update,
        ...overrides[a.name]
      }
    ]
  }))
}

function imbitDistributions(invalidationMs = 2000): DistributionSpec[] {
  return IMBIT_APPS.map(a => ({
    id: a.distribution,
    aliases: [a.domain, `www.${a.domain}`],
    originDomainName: `${a.name}-env.eu-central-1.elasticbeanstalk.com`,
    comment: a.name,
    invalidationMs
  }))
}

function variant(
  name: string,
  description: string,
  update: UpdateScript,
  more: Partial<SandboxScenario> = {}
): SandboxScenario {
  return { name, description, applications: imbitApps(update), distributions: imbitDistributions(), ...more }
}

export const scenarios: Record<string, SandboxScenario> = {
  default: {
    name: 'default',
    description: "IMBIT's four apps in eu-central-1 running v0-initial; updates take 3s and end healthy",
    applications: imbitApps({ durationMs: 3000, outcome: 'healthy' }),
    distributions: imbitDistributions()
  },
  busy: {
    name: 'busy',
    description: 'BrillianCRM-env is already Updating (another deployment) for 5s; then Ready',
    applications: imbitApps(
      { durationMs: 2000, outcome: 'healthy' },
      { BrillianCRM: { status: 'Updating', busyForMs: 5000 } }
    ),
    distributions: imbitDistributions()
  },
  failing: variant(
    'failing',
    "Every update fails after 2s with Beanstalk's Docker failure events; the old version keeps running",
    { durationMs: 2000, outcome: 'fail' }
  ),
  red: variant('red', 'Every update deploys after 2s, then health is Red', {
    durationMs: 2000,
    outcome: 'red'
  }),
  'yellow-then-green': variant(
    'yellow-then-green',
    'Every update deploys after 2s, health Yellow for 3s, then Green',
    { durationMs: 2000, outcome: 'yellow-then-green', yellowMs: 3000 }
  ),
  never: variant('never', 'Every update stays Updating forever (for timeouts)', {
    durationMs: 2000,
    outcome: 'never'
  }),
  'multi-region': {
    name: 'multi-region',
    description: 'The IMBIT apps in eu-central-1, plus Shop in eu-west-1 and a BrillianCRM copy in us-east-1',
    applications: [
      ...imbitApps({ durationMs: 2000, outcome: 'healthy' }),
      {
        name: 'Shop',
        region: 'eu-west-1',
        versions: [{ label: 'v1' }],
        environments: [
          { name: 'Shop-env', versionLabel: 'v1', update: { durationMs: 2000, outcome: 'healthy' } }
        ]
      },
      {
        name: 'BrillianCRM',
        region: 'us-east-1',
        versions: [{ label: 'v0-initial' }],
        environments: [{ name: 'BrillianCRM-staging', versionLabel: 'v0-initial' }]
      }
    ],
    distributions: imbitDistributions()
  },
  'throttling-storm': variant(
    'throttling-storm',
    '30% of Beanstalk/CloudFront calls throttled, 5% answered 5xx, 2% reset, 50ms latency (seeded)',
    { durationMs: 2000, outcome: 'healthy' },
    { faults: { throttleRate: 0.3, serverErrorRate: 0.05, resetRate: 0.02, delayMs: 50, seed: 42 } }
  ),
  'configuration-refused-with-version': variant(
    'configuration-refused-with-version',
    'UpdateEnvironment refuses a version and configuration changes in one request (InvalidParameterCombination), as its API reference allows; each alone works',
    { durationMs: 2000, outcome: 'healthy' },
    { configurationWithVersion: 'refused' }
  ),
  'platform-deprecated': {
    name: 'platform-deprecated',
    description:
      'BrillianCRM-env runs Docker on Amazon Linux 2 v3.9.0 (a deprecated branch, 3.9.2 newer); the others Amazon Linux 2023 v4.4.0',
    applications: imbitApps(
      { durationMs: 2000, outcome: 'healthy' },
      { BrillianCRM: { solutionStackName: '64bit Amazon Linux 2 v3.9.0 running Docker' } }
    ),
    distributions: imbitDistributions()
  },
  'platform-failing': variant(
    'platform-failing',
    'The app fails on platform version 4.10.0 (Beanstalk errors, health Red, left on that platform); every other update ends healthy',
    { durationMs: 2000, outcome: 'healthy', failingPlatforms: ['4.10.0'] }
  ),
  terminated: {
    name: 'terminated',
    description: 'BrillianCRM-env was terminated (visible only with IncludeDeleted); BrillianCRM-env2 runs',
    applications: [
      {
        name: 'BrillianCRM',
        versions: [{ label: 'v0-initial' }],
        environments: [
          { name: 'BrillianCRM-env', status: 'Terminated', versionLabel: 'v0-initial' },
          {
            name: 'BrillianCRM-env2',
            versionLabel: 'v0-initial',
            update: { durationMs: 2000, outcome: 'healthy' }
          }
        ]
      }
    ],
    distributions: imbitDistributions()
  },
  'blue-green': {
    name: 'blue-green',
    description:
      'BrillianCRM as a blue/green pair: BrillianCRM-env holds brilliancrm.eu-central-1.elasticbeanstalk.com (v0-initial), BrillianCRM-env-twin is idle (v1); a swap takes 2s',
    swapMs: 2000,
    applications: [
      {
        name: 'BrillianCRM',
        versions: [{ label: 'v0-initial' }, { label: 'v1' }],
        environments: [
          {
            name: 'BrillianCRM-env',
            versionLabel: 'v0-initial',
            cname: 'brilliancrm.eu-central-1.elasticbeanstalk.com',
            update: { durationMs: 2000, outcome: 'healthy' }
          },
          {
            name: 'BrillianCRM-env-twin',
            versionLabel: 'v1',
            cname: 'brilliancrm-twin.eu-central-1.elasticbeanstalk.com',
            update: { durationMs: 2000, outcome: 'healthy' }
          }
        ]
      }
    ],
    distributions: [
      {
        id: 'E2CRM000000001',
        aliases: ['brilliancrm.com', 'www.brilliancrm.com'],
        originDomainName: 'brilliancrm.eu-central-1.elasticbeanstalk.com',
        comment: 'BrillianCRM'
      }
    ]
  }
}
