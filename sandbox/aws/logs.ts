/**
 * The instances' tail logs, as Beanstalk serves them: RequestEnvironmentInfo (InfoType=tail) asks every instance;
 * a moment later RetrieveEnvironmentInfo answers one entry per instance whose Message is a pre-signed URL (query
 * SigV4, 15 minutes) to the object the instance wrote in the region's storage bucket, under
 * resources/environments/logs/tail/<environment-id>/<instance-id>/. The text is Beanstalk's tail format: each file's
 * last lines under its path between two rules of dashes. eb-engine.log tells how the last update went; the
 * container log prints the environment's properties, so that a test or the demo can see them masked.
 */
import { createHash } from 'node:crypto'
import type { S3Service } from './s3.js'
import { AwsError, DEFAULT_REGION, type TailLogsSpec } from './types.js'
import { members, type XmlNode } from './xml.js'

/** What the logs are made from: the environment as the sandbox holds it. */
export interface TailSubject {
  id: string
  name: string
  app: string
  region: string
  bucket: string
  versionLabel?: string
  /** The last update failed (a failed deploy, or Red): eb-engine.log ends with the platform's error. */
  failed: boolean
  /** The version the last update tried to deploy. */
  lastTarget?: string
  /** aws:elasticbeanstalk:application:environment, name → value */
  properties: Record<string, string>
}

const RULE = '----------------------------------------'

/** i-0… ids, stable for an environment and an index. */
export function tailInstanceIds(envId: string, count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) =>
      `i-0${createHash('sha256')
        .update(i === 0 ? envId : `${envId}#${i}`)
        .digest('hex')
        .slice(0, 16)}`
  )
}

/** One instance's tail text. */
export function tailText(env: TailSubject, instanceId: string, at: number): string {
  const stamp = (offsetMs: number) =>
    new Date(at - offsetMs).toISOString().replace('T', ' ').replace('Z', '').replace(/-/g, '/')
  const engine: string[] = []
  // more lines than the action shows by default, so the cut is visible
  for (let i = 0; i < 120; i++)
    engine.push(
      `${stamp(60_000 - i * 300)} [INFO] Executing instruction: step ${i + 1} of the deployment on ${instanceId}`
    )
  if (env.failed) {
    engine.push(
      `${stamp(20_000)} [INFO] Running command: docker compose -f docker-compose.yml up -d`,
      `${stamp(19_000)} [ERROR] Container web-1 exited with code 1: the application did not start.`,
      `${stamp(18_000)} [ERROR] An error occurred during execution of command [app-deploy] - [Run Docker Compose]. Stop running the command. Error: docker compose up failed with error: exit status 1`,
      `${stamp(17_000)} [INFO] Executing cleanup logic`
    )
  } else {
    engine.push(`${stamp(18_000)} [INFO] Instance deployment completed successfully.`)
  }
  const container = [
    `web-1  | Starting ${env.app} ${env.lastTarget ?? env.versionLabel ?? ''} on port 8080`,
    ...Object.entries(env.properties).map(
      ([name, value]) => `web-1  | read ${name} from the environment: ${value}`
    ),
    ...(env.failed
      ? ['web-1  | Error: connect ECONNREFUSED 10.0.3.17:5432', 'web-1  | exited with code 1']
      : ['web-1  | listening on :8080'])
  ]
  const access = [`10.0.1.5 - - [${stamp(5_000)}] "GET / HTTP/1.1" 502 157 "-" "ELB-HealthChecker/2.0"`]
  const file = (path: string, lines: string[]) => [RULE, path, RULE, ...lines, '']
  return [
    ...file('/var/log/eb-engine.log', engine),
    ...file('/var/log/eb-docker/containers/eb-current-app/eb-stdouterr.log', container),
    ...file('/var/log/nginx/access.log', access)
  ].join('\n')
}

/** A pre-signed GET URL (query SigV4, as S3 accepts; s3rver does not check the signature itself). */
export function presignedUrl(s3Url: string, bucket: string, key: string, region: string, at: Date): string {
  const date = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
  const query = new URLSearchParams({
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `S3RVER/${date.slice(0, 8)}/${region}/s3/aws4_request`,
    'X-Amz-Date': date,
    'X-Amz-Expires': '900',
    'X-Amz-SignedHeaders': 'host',
    'X-Amz-Signature': createHash('sha256').update(`${bucket}/${key}@${date}`).digest('hex')
  })
  return `${s3Url}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}?${query.toString()}`
}

export class TailLogs {
  /** environment id → when its last tail request is answered */
  private readonly requested = new Map<string, number>()

  constructor(
    private readonly spec: TailLogsSpec,
    private readonly s3: S3Service,
    private readonly now: () => number
  ) {}

  request(env: TailSubject): void {
    if (this.spec.behaviour === 'denied') {
      throw new AwsError(
        'AccessDenied',
        `User: arn:aws:sts::123456789012:assumed-role/imbit-deploy/GitHubActions is not authorized to perform: elasticbeanstalk:RequestEnvironmentInfo on resource: arn:aws:elasticbeanstalk:${env.region}:123456789012:environment/${env.app}/${env.name} because no identity-based policy allows the elasticbeanstalk:RequestEnvironmentInfo action`,
        403
      )
    }
    this.requested.set(env.id, this.now() + (this.spec.answerAfterMs ?? 2000))
  }

  async retrieve(env: TailSubject): Promise<XmlNode> {
    const readyAt = this.requested.get(env.id)
    if (this.spec.behaviour === 'never' || readyAt === undefined || this.now() < readyAt)
      return { EnvironmentInfo: members([]) }
    await this.s3.ensureBucket(env.bucket)
    const entries: XmlNode[] = []
    for (const instanceId of tailInstanceIds(env.id, this.spec.instances ?? 1)) {
      const key = `resources/environments/logs/tail/${env.id}/${instanceId}/TailLogs-${readyAt}.out`
      await this.s3.putObject(env.bucket, key, Buffer.from(tailText(env, instanceId, readyAt), 'utf8'))
      entries.push({
        InfoType: 'tail',
        Ec2InstanceId: instanceId,
        SampleTimestamp: new Date(readyAt),
        Message: presignedUrl(this.s3.url, env.bucket, key, env.region ?? DEFAULT_REGION, new Date())
      })
    }
    return { EnvironmentInfo: members(entries) }
  }
}
