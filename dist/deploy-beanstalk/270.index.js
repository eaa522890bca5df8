export const id = 270;
export const ids = [270,269];
export const modules = {

/***/ 4269:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  BeanstalkGateway: () => (/* binding */ BeanstalkGateway)
});

// UNUSED EXPORTS: toEnvironmentInfo

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-elastic-beanstalk/dist-cjs/index.js
var dist_cjs = __webpack_require__(6114);
// EXTERNAL MODULE: ./src/common/aws.ts
var aws = __webpack_require__(2064);
// EXTERNAL MODULE: ./src/common/retry.ts + 6 modules
var retry = __webpack_require__(119);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 19 modules
var core = __webpack_require__(9433);
// EXTERNAL MODULE: ./src/common/format.ts
var format = __webpack_require__(6950);
;// CONCATENATED MODULE: ./src/common/beanstalk-pace.ts




/** Beanstalk requests in any 60 s window that AWS answers (SDK retries included; a throttled one gives its slot back). */
const BEANSTALK_REQUESTS_PER_MINUTE = 20;
/**
 * The one pace of Beanstalk requests, for every action that calls Beanstalk: a call budget of at most 20 requests
 * in any 60 s window (every request sent, SDK retries included), hooked into `client` so each attempt waits for
 * its slot, never past `deadline()` (the deadline of the work under way, see the gateways' `within`). A throttled
 * request gives its slot back and slows the pace; an answer recovers it (common/retry/budget.ts). The deploy's
 * poll schedule (deploy-beanstalk/update/poll.ts) reads the same budget.
 */
function paceBeanstalkRequests(client, clock, deadline, options) {
    const unpaced = options.unpaced ?? new Set();
    // a second of margin: AWS counts a request when it arrives, a little after we sent it
    const budget = new retry/* CallBudget */.Oo(BEANSTALK_REQUESTS_PER_MINUTE, 61_000, clock, waitMs => {
        // a wait a reader would notice gets a line (at least every 20 s while it lasts)
        if (waitMs >= 5_000)
            core/* info */.pq(`Pacing Beanstalk requests (at most ${BEANSTALK_REQUESTS_PER_MINUTE} in any minute): the next one in ${(0,format/* formatDuration */.a3)(waitMs)}.`);
    }, `at most ${BEANSTALK_REQUESTS_PER_MINUTE} Beanstalk requests in any minute`);
    (0,aws/* instrument */.wV)(client, {
        service: 'elasticbeanstalk',
        // every attempt passes here (an SDK retry is a request too), so the budget sees each one
        beforeSend: async (operation) => {
            if (unpaced.has(operation))
                budget.record();
            else
                return await budget.acquire(deadline());
        },
        unsafeToRepeat: options.unsafeToRepeat,
        afterReply: (operation, error, slot) => {
            if (unpaced.has(operation))
                return;
            if (error === undefined)
                budget.succeeded();
            else if ((0,retry/* isThrottling */.E2)(error))
                budget.throttled(slot);
        }
    });
    return budget;
}

;// CONCATENATED MODULE: ./src/deploy-beanstalk/aws/types.ts
function toEnvironmentInfo(env) {
    return {
        name: env.EnvironmentName ?? '',
        id: env.EnvironmentId ?? '',
        application: env.ApplicationName ?? '',
        status: env.Status ?? 'Unknown',
        health: env.Health ?? 'Grey',
        versionLabel: env.VersionLabel || undefined,
        solutionStack: env.SolutionStackName,
        platformArn: env.PlatformArn,
        cname: env.CNAME,
        endpointUrl: env.EndpointURL,
        arn: env.EnvironmentArn
    };
}
/** Every page of a paginated Describe call, one request per page. */
async function allPages(page) {
    const found = [];
    let token;
    do {
        const { items, next } = await page(token);
        found.push(...items);
        token = next;
    } while (token);
    return found;
}

;// CONCATENATED MODULE: ./src/deploy-beanstalk/aws/environments.ts


/**
 * The calls that make a new environment (a blue/green twin cloned from the live one, ../bluegreen/): a
 * configuration template saved from an environment, CNAME availability, CreateEnvironment, the environment's tags.
 * Through the Beanstalk gateway's client, so its call budget and deadline count them like every other request.
 */
/**
 * Mutating calls that are never sent twice blindly: a lost reply fails with an OutcomeUnknownError and the caller
 * checks what happened first (update/lost-reply.ts, versions/create.ts, bluegreen/create.ts).
 */
const UNSAFE_TO_REPEAT = new Set([
    'UpdateEnvironment',
    'CreateApplicationVersion',
    'CreateEnvironment',
    // diagnostics.ts: a second abort could abort what the first one started (the way back)
    'AbortEnvironmentUpdate'
]);
class EnvironmentLaunches {
    client;
    constructor(client) {
        this.client = client;
    }
    /** CreateConfigurationTemplate from an environment: its platform version and option settings. */
    async saveTemplate(application, templateName, environmentId, description) {
        await this.client.send(new dist_cjs/* CreateConfigurationTemplateCommand */.EfU({
            ApplicationName: application,
            TemplateName: templateName,
            EnvironmentId: environmentId,
            Description: description
        }));
    }
    async deleteTemplate(application, templateName) {
        await this.client.send(new dist_cjs/* DeleteConfigurationTemplateCommand */.Bvv({ ApplicationName: application, TemplateName: templateName }));
    }
    /** CheckDNSAvailability: whether `<prefix>.<region>.elasticbeanstalk.com` is free, and that host. */
    async cnameAvailable(prefix) {
        const out = await this.client.send(new dist_cjs/* CheckDNSAvailabilityCommand */.QAH({ CNAMEPrefix: prefix }));
        return { available: out.Available === true, host: out.FullyQualifiedCNAME };
    }
    /** The environment's own tags (ListTagsForResource), without the ones AWS and Beanstalk set themselves. */
    async tags(environmentArn) {
        const out = await this.client.send(new dist_cjs/* ListTagsForResourceCommand */.a_e({ ResourceArn: environmentArn }));
        return Object.fromEntries((out.ResourceTags ?? [])
            .filter(t => t.Key && !/^(aws|elasticbeanstalk):/i.test(t.Key))
            .map(t => [t.Key ?? '', t.Value ?? '']));
    }
    async create(spec) {
        const out = await this.client.send(new dist_cjs/* CreateEnvironmentCommand */.Rne({
            ApplicationName: spec.application,
            EnvironmentName: spec.name,
            TemplateName: spec.templateName,
            CNAMEPrefix: spec.cnamePrefix,
            VersionLabel: spec.versionLabel,
            Description: spec.description,
            Tags: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value }))
        }));
        return toEnvironmentInfo(out);
    }
}

;// CONCATENATED MODULE: ./src/deploy-beanstalk/aws/platforms.ts

/**
 * The platform look-ups (read-only, see ../platform/): platform versions and branches, in our own small types.
 * They go through the Beanstalk gateway's client, so its call budget and deadline count them like every other
 * Beanstalk request.
 */
class PlatformLookUps {
    client;
    constructor(client) {
        this.client = client;
    }
    /** ListPlatformVersions with these filters, every page (100 a page). */
    async versions(filters) {
        const found = [];
        let NextToken;
        do {
            const out = await this.client.send(new dist_cjs/* ListPlatformVersionsCommand */.ENR({
                Filters: filters.map(f => ({ Type: f.type, Operator: f.operator, Values: [f.value] })),
                MaxRecords: 100,
                NextToken
            }));
            for (const v of out.PlatformSummaryList ?? [])
                found.push({
                    arn: v.PlatformArn ?? '',
                    version: v.PlatformVersion ?? '',
                    status: v.PlatformStatus,
                    branch: v.PlatformBranchName,
                    branchState: v.PlatformBranchLifecycleState,
                    lifecycle: v.PlatformLifecycleState,
                    operatingSystem: v.OperatingSystemName
                });
            NextToken = out.NextToken;
        } while (NextToken);
        return found;
    }
    /** DescribePlatformVersion. */
    async version(arn) {
        const out = await this.client.send(new dist_cjs/* DescribePlatformVersionCommand */.wCx({ PlatformArn: arn }));
        const v = out.PlatformDescription;
        return {
            arn: v?.PlatformArn ?? arn,
            name: v?.PlatformName,
            version: v?.PlatformVersion ?? '',
            status: v?.PlatformStatus,
            branch: v?.PlatformBranchName,
            branchState: v?.PlatformBranchLifecycleState,
            lifecycle: v?.PlatformLifecycleState,
            solutionStack: v?.SolutionStackName,
            operatingSystem: v?.OperatingSystemName
        };
    }
    /** ListPlatformBranches of one platform (e.g. Docker), every page. */
    async branches(platform) {
        const found = [];
        let NextToken;
        do {
            const out = await this.client.send(new dist_cjs/* ListPlatformBranchesCommand */.XY({
                Filters: [{ Attribute: 'PlatformName', Operator: '=', Values: [platform] }],
                NextToken
            }));
            for (const b of out.PlatformBranchSummaryList ?? [])
                found.push({
                    platform: b.PlatformName ?? platform,
                    branch: b.BranchName ?? '',
                    state: b.LifecycleState,
                    order: b.BranchOrder
                });
            NextToken = out.NextToken;
        } while (NextToken);
        return found;
    }
}

;// CONCATENATED MODULE: ./src/common/logs/calls.ts


class TailCalls {
    client;
    constructor(client) {
        this.client = client;
    }
    /** Asks every instance of the environment for its tail logs (the answers come later, see `retrieveTail`). */
    async requestTail(environmentId) {
        await this.client.send(new dist_cjs/* RequestEnvironmentInfoCommand */.UVy({ EnvironmentId: environmentId, InfoType: 'tail' }));
    }
    /** The tail answers Beanstalk holds for the environment (older ones included: filter by `sampled`). */
    async retrieveTail(environmentId) {
        const out = await this.client.send(new dist_cjs/* RetrieveEnvironmentInfoCommand */.D4Y({ EnvironmentId: environmentId, InfoType: 'tail' }));
        return (out.EnvironmentInfo ?? [])
            .filter(info => info.Message && info.Ec2InstanceId)
            .map(info => ({
            instanceId: info.Ec2InstanceId ?? '',
            url: info.Message ?? '',
            sampled: info.SampleTimestamp ?? new Date(0)
        }));
    }
    /**
     * The values of the environment's properties, deployed and pending alike (values set in the console or by an
     * earlier deploy are secrets too): the logs' masking takes them.
     */
    async propertyValues(application, environment) {
        const out = await this.client.send(new dist_cjs/* DescribeConfigurationSettingsCommand */.yAX({ ApplicationName: application, EnvironmentName: environment }));
        return (out.ConfigurationSettings ?? []).flatMap(description => (description.OptionSettings ?? [])
            .filter(o => o.Namespace === aws/* ENVIRONMENT_NAMESPACE */.QI && o.Value)
            .map(o => o.Value ?? ''));
    }
}

;// CONCATENATED MODULE: ./src/deploy-beanstalk/aws/diagnostics.ts


/**
 * The Beanstalk calls of diagnostics and cancellation, through the gateway's client (so the call budget and the
 * instrumentation count them like every request): the instances' tail logs (common/logs/calls.ts) and
 * AbortEnvironmentUpdate.
 */
class EnvironmentInfoCalls extends TailCalls {
    /** Aborts the update in progress on the environment; answers the request id of the abort. */
    async abortUpdate(environmentId) {
        const out = await this.client.send(new dist_cjs/* AbortEnvironmentUpdateCommand */.ET7({ EnvironmentId: environmentId }));
        return out.$metadata?.requestId;
    }
}

;// CONCATENATED MODULE: ./src/deploy-beanstalk/aws/beanstalk.ts









/**
 * The edge to Elastic Beanstalk: every call this action makes, in our own small types, and its one pace: the call
 * budget (common/beanstalk-pace.ts: every request sent, SDK retries included), which the poll schedule (update/poll.ts) reads too.
 */
class BeanstalkGateway {
    region;
    /** The hard cap: every request sent, SDK retries included, at most 20 in any 60 s window. */
    budget;
    /** The deadline of the work under way (see `within`): no request waits for a budget slot past it. */
    deadline;
    client;
    /** The platform look-ups (platforms.ts), through the same client: budgeted like every request. */
    platforms;
    /** New environments (environments.ts: a blue/green twin), through the same client. */
    launches;
    /** Tail logs and AbortEnvironmentUpdate (diagnostics.ts), through the same client. */
    info;
    constructor(region, client, clock = retry/* systemClock */.ml) {
        this.region = region;
        this.client = client ?? new dist_cjs/* ElasticBeanstalkClient */.E8k((0,aws/* awsClientConfig */.rw)(region, { clock }));
        this.platforms = new PlatformLookUps(this.client);
        this.launches = new EnvironmentLaunches(this.client);
        this.info = new EnvironmentInfoCalls(this.client);
        this.budget = paceBeanstalkRequests(this.client, clock, () => this.deadline, {
            unsafeToRepeat: operation => UNSAFE_TO_REPEAT.has(operation),
            // Pruning old versions (keep-versions) happens outside the follow, one deletion at a time: counted, but
            // not paced (holding back 50 deletions at 20 a minute would add minutes to a deploy, and the SDK retries a
            // throttled deletion itself).
            unpaced: new Set(['DeleteApplicationVersion'])
        });
    }
    /**
     * Runs `work` under `deadline` (the step's timeout, or a rollback's fresh one): while it runs, a request that
     * would wait for a budget slot past the deadline fails at once (DeadlineReached) instead. The deadline before is
     * restored after, so a rollback's does not outlive it.
     */
    async within(deadline, work) {
        const before = this.deadline;
        this.deadline = deadline;
        try {
            return await work();
        }
        finally {
            this.deadline = before;
        }
    }
    /** Names of the applications in this region (all, or those named). */
    async applicationNames(names) {
        const out = await this.client.send(new dist_cjs/* DescribeApplicationsCommand */.UHp({ ApplicationNames: names }));
        return (out.Applications ?? []).map(app => app.ApplicationName ?? '').filter(name => name !== '');
    }
    /** Environments, including those terminated within the last hour (Beanstalk's default). */
    async environments(filter) {
        return await allPages(async (NextToken) => {
            const out = await this.client.send(new dist_cjs/* DescribeEnvironmentsCommand */.$8c({
                ApplicationName: filter.application,
                EnvironmentNames: filter.names,
                EnvironmentIds: filter.ids,
                IncludeDeleted: filter.includeDeleted ?? false,
                NextToken
            }));
            return { items: (out.Environments ?? []).map(toEnvironmentInfo), next: out.NextToken };
        });
    }
    async version(application, label) {
        const out = await this.client.send(new dist_cjs/* DescribeApplicationVersionsCommand */.QDX({ ApplicationName: application, VersionLabels: [label] }));
        const version = out.ApplicationVersions?.find(v => v.VersionLabel === label);
        if (!version)
            return undefined;
        return {
            label,
            status: version.Status ?? 'Unprocessed',
            description: version.Description,
            bucket: version.SourceBundle?.S3Bucket,
            key: version.SourceBundle?.S3Key
        };
    }
    async events(filter) {
        const out = await this.client.send(new dist_cjs/* DescribeEventsCommand */.w6x({
            ApplicationName: filter.application,
            EnvironmentId: filter.environmentId,
            VersionLabel: filter.versionLabel,
            StartTime: filter.startTime,
            MaxRecords: 100
        }));
        return (out.Events ?? []).map(event => ({
            date: event.EventDate ?? new Date(0),
            message: event.Message ?? '',
            severity: event.Severity ?? 'INFO',
            requestId: event.RequestId,
            versionLabel: event.VersionLabel,
            environmentName: event.EnvironmentName
        }));
    }
    /** Beanstalk's own S3 bucket for this region and account (created on first use). */
    async storageLocation() {
        const out = await this.client.send(new dist_cjs/* CreateStorageLocationCommand */.UCX({}));
        if (!out.S3Bucket)
            throw new Error('CreateStorageLocation answered without a bucket name.');
        return out.S3Bucket;
    }
    async createVersion(input) {
        const out = await this.client.send(new dist_cjs/* CreateApplicationVersionCommand */.m8t({
            ApplicationName: input.application,
            VersionLabel: input.label,
            Description: input.description,
            SourceBundle: { S3Bucket: input.bucket, S3Key: input.key },
            Process: true
        }));
        const version = out.ApplicationVersion;
        return {
            label: input.label,
            status: version?.Status ?? 'Processing',
            bucket: version?.SourceBundle?.S3Bucket ?? input.bucket,
            key: version?.SourceBundle?.S3Key ?? input.key
        };
    }
    /**
     * UpdateEnvironment with what `send` holds: a version, configuration changes, a platform version, or some of them. OptionSettings and
     * OptionsToRemove are left out entirely when there is no change (so an unchanged configuration sends none).
     */
    async updateEnvironment(environmentId, send) {
        const settings = send.configuration?.optionSettings ?? [];
        const removals = send.configuration?.optionsToRemove ?? [];
        const out = await this.client.send(new dist_cjs/* UpdateEnvironmentCommand */.i98({
            EnvironmentId: environmentId,
            VersionLabel: send.label,
            PlatformArn: send.platformArn,
            OptionSettings: settings.length > 0
                ? settings.map(s => ({
                    Namespace: s.namespace,
                    OptionName: s.optionName,
                    Value: s.value,
                    ResourceName: s.resourceName
                }))
                : undefined,
            OptionsToRemove: removals.length > 0
                ? removals.map(r => ({
                    Namespace: r.namespace,
                    OptionName: r.optionName,
                    ResourceName: r.resourceName
                }))
                : undefined
        }));
        return { info: toEnvironmentInfo(out), dateUpdated: out.DateUpdated, requestId: out.$metadata?.requestId };
    }
    /**
     * The environment's applied option settings (DescribeConfigurationSettings). While an update is pending,
     * Beanstalk answers two descriptions (DeploymentStatus deployed and pending): the deployed one is taken.
     */
    async configurationSettings(application, environment) {
        const out = await this.client.send(new dist_cjs/* DescribeConfigurationSettingsCommand */.yAX({ ApplicationName: application, EnvironmentName: environment }));
        const descriptions = out.ConfigurationSettings ?? [];
        const deployed = descriptions.find(d => d.DeploymentStatus?.toLowerCase() === 'deployed') ?? descriptions[0];
        return (deployed?.OptionSettings ?? [])
            .filter(o => o.Namespace && o.OptionName)
            .map(o => ({
            namespace: o.Namespace ?? '',
            optionName: o.OptionName ?? '',
            value: o.Value ?? '',
            resourceName: o.ResourceName || undefined
        }));
    }
    // ---- versions over time (see ../versions/) --------------------------------------------------------------
    /** ApplicationVersionQuota.Maximum of the account in this region (DescribeAccountAttributes). */
    async versionQuota() {
        const out = await this.client.send(new dist_cjs/* DescribeAccountAttributesCommand */.zSg({}));
        return out.ResourceQuotas?.ApplicationVersionQuota?.Maximum;
    }
    /** Every version in this region (of one application, or of all: the quota counts all), pages of 1000. */
    async listVersions(application) {
        return await allPages(async (NextToken) => {
            const out = await this.client.send(new dist_cjs/* DescribeApplicationVersionsCommand */.QDX({ ApplicationName: application, MaxRecords: 1000, NextToken }));
            const items = (out.ApplicationVersions ?? []).map(v => ({
                label: v.VersionLabel ?? '',
                application: v.ApplicationName,
                status: v.Status ?? 'Unprocessed',
                description: v.Description,
                bucket: v.SourceBundle?.S3Bucket,
                key: v.SourceBundle?.S3Key,
                created: v.DateCreated
            }));
            return { items, next: out.NextToken };
        });
    }
    async deleteVersion(application, label, deleteSourceBundle) {
        await this.client.send(new dist_cjs/* DeleteApplicationVersionCommand */.Xb({
            ApplicationName: application,
            VersionLabel: label,
            DeleteSourceBundle: deleteSourceBundle
        }));
    }
}


/***/ }),

/***/ 4270:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  POST_BUDGET_MS: () => (/* binding */ POST_BUDGET_MS),
  postStep: () => (/* binding */ postStep)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 19 modules
var core = __webpack_require__(9433);
// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(1922);
// EXTERNAL MODULE: ./src/common/failure.ts
var failure = __webpack_require__(6191);
// EXTERNAL MODULE: ./src/common/retry.ts + 6 modules
var retry = __webpack_require__(119);
// EXTERNAL MODULE: ./src/common/secrets.ts
var secrets = __webpack_require__(7168);
// EXTERNAL MODULE: ./src/common/summary.ts
var summary = __webpack_require__(7701);
// EXTERNAL MODULE: ./src/deploy-beanstalk/aws/beanstalk.ts + 6 modules
var beanstalk = __webpack_require__(4269);
;// CONCATENATED MODULE: ./src/deploy-beanstalk/cancel/decide.ts
function ownUpdate(started, env, events) {
    const what = started.label
        ? `the update of ${started.environmentName} to ${started.label}`
        : `the configuration update of ${started.environmentName}`;
    if (!env)
        return { abort: false, detail: `${started.environmentName} no longer exists: nothing to abort.` };
    if (env.status !== 'Updating')
        return {
            abort: false,
            detail: `${env.name} is ${env.status} (health ${env.health}, running ${env.versionLabel ?? 'no version'}): ${what} has ended; nothing to abort.`
        };
    const since = Date.parse(started.since);
    const tagged = events
        .filter(e => e.requestId && e.date.getTime() >= since)
        .sort((a, b) => b.date.getTime() - a.date.getTime());
    const newest = tagged[0];
    if (!newest)
        return {
            abort: false,
            detail: `${env.name} is updating, but no event tells whose update it is: not aborted (never another run's update).`
        };
    const ours = started.requestId
        ? newest.requestId === started.requestId
        : started.label !== undefined && newest.versionLabel === started.label;
    if (!ours)
        return {
            abort: false,
            detail: `${env.name} is running another update (request ${newest.requestId}${newest.versionLabel ? `, version ${newest.versionLabel}` : ''}), not this run's: not aborted.`
        };
    return { abort: true, detail: `${what} is still running` };
}

// EXTERNAL MODULE: ./src/deploy-beanstalk/cancel/state.ts
var state = __webpack_require__(3315);
;// CONCATENATED MODULE: ./src/deploy-beanstalk/cancel/post.ts









/**
 * The post step (action.yml: `post`, run when the job was cancelled or failed): aborts the update this run
 * started when it is still running, and only that one (decide.ts), once. It reports what it did in the log and,
 * when there was an update to look at, in the job summary. It never fails the job: a failure is one warning.
 */
/** How long the post step may take: the runner gives a cancelled job's post steps a few minutes at most. */
const POST_BUDGET_MS = 60_000;
async function postStep(deps = {}) {
    const clock = deps.clock ?? retry/* systemClock */.ml;
    (0,secrets/* maskEnvironmentSecrets */.LK)(deps.env ?? process.env);
    const started = (0,state/* readStarted */.y7)();
    if (!started) {
        core/* info */.pq('No update of this run is left running: nothing to abort.');
        return;
    }
    const what = started.label ? `${started.environmentName} to ${started.label}` : started.environmentName;
    if (core/* getInput */.V4('wait').trim().toLowerCase() === 'false') {
        const detail = `wait is false: the update of ${what} was handed to Beanstalk and is left to finish; nothing was aborted.`;
        core/* info */.pq(detail);
        return await report(started, { aborted: false, detail });
    }
    const gateway = (deps.gatewayFor ?? (region => new beanstalk.BeanstalkGateway(region, undefined, clock)))(started.region);
    let outcome;
    try {
        outcome = await gateway.within(new retry/* Deadline */.B2(POST_BUDGET_MS, clock), () => abortIfOurs(gateway, started));
    }
    catch (error) {
        outcome = {
            aborted: false,
            detail: `The update of ${what} could not be aborted: ${(0,errors/* describeError */.Uc)(error)}`
        };
        core/* warning */.$e((0,secrets/* maskAll */.gh)(outcome.detail).replace(/\s*\r?\n\s*/g, ' '), { title: 'Update not aborted' });
        return await report(started, outcome);
    }
    core/* info */.pq(outcome.detail);
    await report(started, outcome);
}
async function abortIfOurs(gateway, started) {
    const [env] = await gateway.environments({ ids: [started.environmentId] });
    const events = env
        ? await gateway.events({
            application: started.application,
            environmentId: started.environmentId,
            startTime: new Date(started.since)
        })
        : [];
    const verdict = ownUpdate(started, env, events);
    if (!verdict.abort)
        return { aborted: false, detail: verdict.detail };
    try {
        const requestId = await gateway.info.abortUpdate(started.environmentId);
        return {
            aborted: true,
            detail: `Aborted: ${verdict.detail} when the run was stopped (AbortEnvironmentUpdate${requestId ? ` ${requestId}` : ''}). Beanstalk returns ${started.environmentName} to the version and configuration it ran before.`
        };
    }
    catch (error) {
        if (!(error instanceof failure/* OutcomeUnknownError */.Do))
            throw error;
        // the abort was sent but its reply was lost: never sent twice; say what the environment shows
        const [now] = await gateway.environments({ ids: [started.environmentId] });
        return {
            aborted: true,
            detail: `AbortEnvironmentUpdate was sent for ${verdict.detail}, but its reply was lost (not sent again); ${started.environmentName} is ${now?.status ?? 'unknown'} now.`
        };
    }
}
async function report(started, outcome) {
    const layout = {
        title: 'Elastic Beanstalk: the cancelled run',
        tone: 'warning',
        // what happened, in one or two sentences: the update aborted, or why it was left alone
        headline: outcome.detail,
        facts: [
            ['Environment', `${started.environmentName} (${started.environmentId})`],
            ['Region', started.region],
            ['Version of the update', started.label],
            ['Update request', started.requestId],
            ['Requested at', started.since]
        ]
    };
    await (0,summary/* writeLayout */.wy)(layout);
}


/***/ })

};

//# sourceMappingURL=270.index.js.map