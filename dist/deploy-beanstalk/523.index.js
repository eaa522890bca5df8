export const id = 523;
export const ids = [523];
export const modules = {

/***/ 8523:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  prepareBundle: () => (/* binding */ prepareBundle)
});

// UNUSED EXPORTS: BEANSTALK_MAX_BUNDLE_BYTES, checkBundleSize

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 19 modules
var core = __webpack_require__(9433);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(1922);
// EXTERNAL MODULE: ./src/common/format.ts
var format = __webpack_require__(6950);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/common/image-ref.ts
/**
 * Container image references: the one parser of their grammar (as in distribution's reference package),
 * shared by the actions that read them: deploy-beanstalk (compose images, `image`) and verify-package-public
 * (`image`). An action adds only its own rules and words its own messages from `ImageRefError.problem`. Pure.
 */
/** One repository path component. */
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** A registry host: a DNS name or a bracketed IPv6 address, with an optional port (any case). */
const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::\d{1,5})?$/i;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;
const DOCKER_HUB = 'docker.io';
/** Docker Hub's names as people write them. */
const DOCKER_HUB_NAMES = new Set([
    'docker.io',
    'index.docker.io',
    'registry-1.docker.io'
]);
/** What is wrong with a reference: `problem` for the action's own wording, `message` a plain default. */
class ImageRefError extends Error {
    problem;
    part;
    name = 'ImageRefError';
    constructor(problem, message, 
    /** The part at fault (the tag, the host, the component…), when there is one. */
    part) {
        super(message);
        this.problem = problem;
        this.part = part;
    }
}
/** True when a reference's first component names a registry host (a dot or a port, or localhost). */
function looksLikeHost(component) {
    return component.includes('.') || component.includes(':') || component.toLowerCase() === 'localhost';
}
/** Splits `NAME[:TAG][@DIGEST]`: the tag is after a colon that follows the last slash (not a port). */
function splitTagAndDigest(value) {
    let name = value;
    let digest;
    const at = name.indexOf('@');
    if (at >= 0) {
        digest = name.slice(at + 1);
        name = name.slice(0, at);
    }
    let tag;
    const colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
        tag = name.slice(colon + 1);
        name = name.slice(0, colon);
    }
    return { name, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}
/** `[HOST[:PORT]/]PATH[:TAG][@DIGEST]` into its parts, unchecked. */
function splitImageRef(value) {
    const { name, tag, digest } = splitTagAndDigest(value);
    const slash = name.indexOf('/');
    const first = slash < 0 ? name : name.slice(0, slash);
    const host = slash >= 0 && looksLikeHost(first) ? first : undefined;
    const path = host === undefined ? name : name.slice(slash + 1);
    return {
        ...(host === undefined ? {} : { host }),
        path,
        ...(tag === undefined ? {} : { tag }),
        ...(digest === undefined ? {} : { digest })
    };
}
/** Parses `[HOST[:PORT]/]PATH[:TAG][@DIGEST]`; throws an ImageRefError saying what is wrong. */
function parseImageRef(ref) {
    const value = ref.trim();
    if (value === '')
        throw new ImageRefError('empty', 'the image reference is empty');
    if (/\s/.test(value))
        throw new ImageRefError('spaces', `"${value}" contains spaces`);
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value);
    if (scheme) {
        throw new ImageRefError('scheme', `"${value}" has a scheme (drop "${scheme[0]}")`, value.slice(scheme[0].length));
    }
    const { host, path, tag, digest } = splitImageRef(value);
    if (digest !== undefined && !DIGEST.test(digest))
        throw new ImageRefError('digest', `"${value}" has an invalid digest "${digest}" (expected sha256:<hex>)`, digest);
    if (tag !== undefined && !TAG.test(tag))
        throw new ImageRefError('tag', `"${value}" has an invalid tag "${tag}"`, tag);
    let registry = DOCKER_HUB;
    if (host !== undefined) {
        if (!HOST.test(host))
            throw new ImageRefError('host', `"${value}" has an invalid registry host "${host}"`, host);
        registry = host.toLowerCase();
    }
    const parts = path.split('/');
    if (parts.some(p => p === ''))
        throw new ImageRefError('empty-component', `"${value}" has an empty path component`);
    for (const part of parts) {
        if (part !== part.toLowerCase()) {
            throw new ImageRefError('upper-case', `"${value}" has upper-case letters in "${part}": repository names must be lower case`, part);
        }
        if (!COMPONENT.test(part))
            throw new ImageRefError('component', `"${value}" has an invalid repository component "${part}"`, part);
    }
    if (DOCKER_HUB_NAMES.has(registry)) {
        registry = DOCKER_HUB;
        if (parts.length === 1)
            parts.unshift('library');
    }
    const repository = parts.join('/');
    if (repository.length > 255)
        throw new ImageRefError('too-long', `"${value}" has a repository name over 255 characters`);
    return {
        registry,
        repository,
        ...(tag === undefined ? {} : { tag }),
        ...(digest === undefined ? {} : { digest })
    };
}
/** Same registry and repository, ignoring tag and digest (`nginx` ≡ `docker.io/library/nginx`). */
function sameRepository(a, b) {
    const norm = (r) => (DOCKER_HUB_NAMES.has(r) ? DOCKER_HUB : r);
    return norm(a.registry) === norm(b.registry) && a.repository === b.repository;
}
/** `registry/repository` for messages. */
function repositoryName(ref) {
    return `${ref.registry}/${ref.repository}`;
}

;// CONCATENATED MODULE: ./src/deploy-beanstalk/bundle/compose.ts



/** The service's effective image as Compose sees it (own key, alias, or merged from `<<`). */
function effectiveImages(doc) {
    const js = doc.toJS({ maxAliasCount: 1000 });
    const services = js?.services;
    const out = new Map();
    if (services === null || typeof services !== 'object' || Array.isArray(services))
        return out;
    for (const [name, def] of Object.entries(services)) {
        const image = def?.image;
        out.set(name, typeof image === 'string' ? image : image === undefined || image === null ? undefined : String(image));
    }
    return out;
}
function tryParse(image) {
    if (image === undefined)
        return undefined;
    try {
        return parseImageRef(image);
    }
    catch {
        return undefined; // e.g. ${REGISTRY}/app:${TAG}: not ours to pin
    }
}
/** ` (not a valid reference: …)` for images we cannot parse, so a typo or upper case is visible. */
function invalidNote(image) {
    if (image.includes('${'))
        return ' (uses variables: not pinned)';
    try {
        parseImageRef(image);
        return '';
    }
    catch (error) {
        return ` (not a valid reference: ${error.message})`;
    }
}
/**
 * Pins `image` on every service whose image has the same repository. Throws a UserError when the
 * YAML is invalid, has no `services`, or no service matches.
 */
function pinComposeImage(composeYaml, image, fileLabel = 'docker-compose.yml') {
    let target;
    try {
        target = parseImageRef(image);
    }
    catch (error) {
        throw new errors/* UserError */.yo(`Input 'image' is not a valid image reference: ${error.message}.`, {
            input: 'image'
        });
    }
    const doc = (0,dist/* parseDocument */.Tp)(composeYaml, { merge: true, prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
        const first = doc.errors[0];
        const pos = first?.linePos?.[0];
        const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
        throw new errors/* UserError */.yo(`${fileLabel} is not valid YAML${where}: ${first?.message.split('\n')[0] ?? 'parse error'}`, { input: 'compose-file' });
    }
    const servicesNode = doc.get('services', true);
    if (!(0,dist/* isMap */.jh)(servicesNode) || servicesNode.items.length === 0) {
        throw new errors/* UserError */.yo(`${fileLabel} has no 'services' mapping: expected a Compose file with at least one service (services: web: image: …).`, { input: 'compose-file' });
    }
    let before;
    try {
        before = effectiveImages(doc);
    }
    catch (error) {
        // e.g. "Excessive alias count": a YAML alias bomb, or aliases nested too deep to expand safely
        throw new errors/* UserError */.yo(`${fileLabel} cannot be read safely: ${error.message.split('\n')[0]} (its YAML anchors and *aliases expand to too much). Write the services out without nested aliases.`, { input: 'compose-file', title: 'Unusable compose file', cause: error });
    }
    const pinned = [];
    const aliased = [];
    for (const pair of servicesNode.items) {
        const name = (0,dist/* isScalar */.jn)(pair.key) ? String(pair.key.value) : String(pair.key);
        const current = before.get(name);
        const ref = tryParse(current);
        if (current === undefined || ref === undefined || !sameRepository(ref, target))
            continue;
        if ((0,dist/* isAlias */.Vj)(pair.value)) {
            aliased.push({ service: name, from: current }); // follows its anchor, checked below
            continue;
        }
        if (!(0,dist/* isMap */.jh)(pair.value))
            continue;
        setImage(doc, pair.value, image);
        pinned.push({ service: name, from: current, to: image });
    }
    if (aliased.length > 0) {
        const now = effectiveImages(doc);
        for (const a of aliased) {
            if (now.get(a.service) !== image) {
                throw new errors/* UserError */.yo(`${fileLabel}: service '${a.service}' is an alias (*anchor) of a node that is not a pinned service; ` +
                    `write the service out so its image can be pinned.`, { input: 'compose-file' });
            }
            pinned.push({ service: a.service, from: a.from, to: image });
        }
        const order = [...before.keys()];
        pinned.sort((x, y) => order.indexOf(x.service) - order.indexOf(y.service));
    }
    if (pinned.length === 0) {
        const found = [...before.entries()].map(([s, i]) => i === undefined ? `${s} (build only, no image)` : `${s}: ${i}${invalidNote(i)}`);
        throw new errors/* UserError */.yo(`No service in ${fileLabel} uses the repository of image '${image}' (${repositoryName(target)}). ` +
            `Services found: ${found.join('; ')}. The image must match one of them (same registry, owner and name; ` +
            `tag or digest may differ), or set 'image:' on the service that should run it.`, { input: 'image' });
    }
    const buildRemoved = [];
    for (const pair of servicesNode.items) {
        const name = (0,dist/* isScalar */.jn)(pair.key) ? String(pair.key.value) : String(pair.key);
        if (!(0,dist/* isMap */.jh)(pair.value) || !pinned.some(p => p.service === name))
            continue;
        const own = pair.value.has('build');
        if (own)
            pair.value.delete('build');
        const effective = effectiveService(doc, name);
        const merged = effective?.build !== undefined && writeOutMerges(doc, pair.value, effective);
        if (own || merged)
            buildRemoved.push(name);
    }
    const yaml = doc.toString({ flowCollectionPadding: false, lineWidth: 0 });
    const after = effectiveImages((0,dist/* parseDocument */.Tp)(yaml, { merge: true }));
    for (const p of pinned) {
        if (after.get(p.service) !== image)
            throw new Error(`pinning ${p.service} in ${fileLabel} did not take effect`);
    }
    return {
        yaml,
        pinned,
        images: [...after.entries()].map(([service, img]) => ({ service, image: img })),
        buildRemoved
    };
}
/** The service as Compose reads it (merges applied). */
function effectiveService(doc, name) {
    const js = doc.toJS({ maxAliasCount: 1000 });
    const service = js?.services?.[name];
    return service !== null && typeof service === 'object' ? service : undefined;
}
function isMergeKey(key) {
    if (!(0,dist/* isScalar */.jn)(key))
        return false;
    return key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<');
}
/**
 * A `build:` merged in from `<<: *anchor`: the merge is written out in the service (the merged keys but `build`,
 * where the `<<` was), so the anchor, maybe shared with other services, stays as it is. False when no merge.
 */
function writeOutMerges(doc, service, effective) {
    const at = service.items.findIndex(pair => isMergeKey(pair.key));
    if (at < 0)
        return false;
    const own = new Set(service.items
        .filter(pair => !isMergeKey(pair.key))
        .map(pair => String((0,dist/* isScalar */.jn)(pair.key) ? pair.key.value : pair.key)));
    const merged = Object.entries(effective)
        .filter(([key]) => key !== 'build' && !own.has(key))
        .map(([key, value]) => doc.createPair(key, value));
    const kept = service.items.filter(pair => !isMergeKey(pair.key));
    kept.splice(at, 0, ...merged);
    service.items = kept;
    return true;
}
/** Sets the service's own `image`, keeping comments; an anchored scalar is changed in place (its aliases follow). */
function setImage(doc, service, image) {
    const node = service.get('image', true);
    if ((0,dist/* isScalar */.jn)(node)) {
        node.value = image;
        return;
    }
    // absent (merged from `<<`) or an alias: an own key overrides it without touching the anchor
    service.set('image', doc.createNode(image));
}
/**
 * The services whose image the compose file does not pin itself, with why: no image (built on the instance),
 * variables, `latest` or no tag. Pinned: a digest, or a tag other than `latest`. Unreadable YAML or no services:
 * every service unpinned is not decidable, so one entry saying so (the bundle step reports the YAML itself).
 */
function unpinnedServices(composeYaml) {
    const doc = (0,dist/* parseDocument */.Tp)(composeYaml, { merge: true, uniqueKeys: true });
    if (doc.errors.length > 0)
        return [{ service: '(compose file)', why: 'not valid YAML' }];
    let images;
    try {
        images = effectiveImages(doc);
    }
    catch {
        return [{ service: '(compose file)', why: 'its aliases cannot be expanded safely' }];
    }
    if (images.size === 0)
        return [{ service: '(compose file)', why: 'no services' }];
    const out = [];
    for (const [service, image] of images) {
        if (image === undefined) {
            out.push({ service, why: 'no image (built on the instance)' });
            continue;
        }
        const ref = tryParse(image);
        if (ref === undefined)
            out.push({ service, why: `${image}${invalidNote(image)}` });
        else if (ref.digest === undefined && (ref.tag === undefined || ref.tag === 'latest'))
            out.push({ service, why: `${image} (${ref.tag === undefined ? 'no tag: latest' : 'latest'})` });
    }
    return out;
}

;// CONCATENATED MODULE: ./src/deploy-beanstalk/bundle/contents.ts



const COMPOSE_ENTRY = 'docker-compose.yml';
const INPUT = 'include';
function toPosix(path) {
    return path.split(external_node_path_.sep).join('/');
}
function inside(root, path) {
    const rel = (0,external_node_path_.relative)(root, path);
    return rel === '' || (!rel.startsWith('..') && !(0,external_node_path_.isAbsolute)(rel));
}
/** Hooks must be executable on the instance; everything else is 0644. */
function entryMode(name, sourceMode) {
    const hook = /^\.platform\/(hooks|confighooks)\//.test(name) || (name.startsWith('.platform/') && name.endsWith('.sh'));
    return hook || (sourceMode & 0o111) !== 0 ? 0o755 : 0o644;
}
/**
 * Never shipped, at any depth of an included folder: VCS folders (a `.git/config` can hold an AUTHORIZATION
 * extraheader: actions/checkout writes one) and `.env*` files (`.env`, `.env.production`, `.envrc`: local
 * secrets). Case-insensitive. The bundle goes to S3 and onto every instance.
 */
function isPrivatePath(basename) {
    return /^\.(git|hg|svn)$/i.test(basename) || /^\.env/i.test(basename);
}
/** True when a posix path inside the workspace goes through (or is) a VCS folder or a .env file. */
function throughPrivate(posixPath) {
    return posixPath.split('/').some(isPrivatePath);
}
/**
 * `root`: the include path itself, resolved in full (a folder on its way may be a link); below it only
 * symbolic links need resolving, since their folders were resolved and checked on the way down.
 */
async function addPath(walk, path, root = false) {
    const name = toPosix((0,external_node_path_.relative)(walk.workspace, path));
    if (throughPrivate(name)) {
        walk.skipped.push(name);
        return;
    }
    const info = await (0,promises_.lstat)(path);
    let real = path;
    let target = info;
    if (info.isSymbolicLink() || root) {
        try {
            real = await (0,promises_.realpath)(path);
        }
        catch {
            throw new errors/* UserError */.yo(`Input '${INPUT}': "${name}" is a broken symbolic link.`, { input: INPUT });
        }
        if (!inside(walk.realWorkspace, real)) {
            throw new errors/* UserError */.yo(`Input '${INPUT}': "${name}" is a symbolic link to ${real}, outside the workspace; copy the file into the repository instead.`, { input: INPUT });
        }
        // a link to .env or into .git ships the secret under an innocent name
        const linked = toPosix((0,external_node_path_.relative)(walk.realWorkspace, real));
        if (throughPrivate(linked)) {
            walk.skipped.push(`${name} (a link to ${linked})`);
            return;
        }
        target = info.isSymbolicLink() ? await (0,promises_.stat)(real) : info;
    }
    if (target.isDirectory()) {
        const key = await (0,promises_.realpath)(real);
        if (walk.seenDirs.has(key))
            return; // a symlink loop or a folder reached twice
        walk.seenDirs.add(key);
        for (const child of (await (0,promises_.readdir)(path)).sort())
            await addPath(walk, (0,external_node_path_.join)(path, child));
        walk.seenDirs.delete(key);
        return;
    }
    if (!target.isFile())
        return; // sockets, fifos: nothing to ship
    walk.out.push({ name, source: { path: real }, mode: entryMode(name, target.mode) });
}
/**
 * Lists what goes into the bundle: the (pinned) compose file as docker-compose.yml at the root, then each
 * include path (folders recursively), sorted by name. Reads only metadata, never file contents.
 */
async function collectEntries(opts) {
    const workspace = (0,external_node_path_.resolve)(opts.workspace);
    const realWorkspace = await (0,promises_.realpath)(workspace);
    const out = [{ name: COMPOSE_ENTRY, source: { content: opts.composeContent }, mode: 0o644 }];
    const walk = {
        workspace,
        realWorkspace,
        include: '',
        out,
        seenDirs: new Set(),
        skipped: opts.skipped ?? []
    };
    for (const raw of opts.include) {
        const item = raw.trim();
        if (item === '')
            continue;
        const full = (0,external_node_path_.resolve)(workspace, item);
        if (!inside(workspace, full)) {
            throw new errors/* UserError */.yo(`Input '${INPUT}' has "${item}": expected a path inside the workspace (${workspace}), relative to it.`, { input: INPUT });
        }
        if (full === workspace) {
            throw new errors/* UserError */.yo(`Input '${INPUT}' has "${item}", the whole workspace: list the files or folders to ship, e.g. .ebextensions and .platform.`, { input: INPUT });
        }
        try {
            await (0,promises_.lstat)(full);
        }
        catch {
            if (!opts.includeExplicit)
                continue;
            throw new errors/* UserError */.yo(`Input '${INPUT}' has "${item}", which does not exist in the workspace (${workspace}). Check the path or remove it.`, { input: INPUT });
        }
        walk.include = item;
        await addPath(walk, full, true);
    }
    out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (let i = 1; i < out.length; i++) {
        if (out[i]?.name === out[i - 1]?.name) {
            const name = out[i]?.name ?? '';
            throw new errors/* UserError */.yo(name === COMPOSE_ENTRY
                ? `Input '${INPUT}' adds ${COMPOSE_ENTRY} at the bundle root, where the compose file (${opts.composeFile}) goes; leave it out of '${INPUT}'.`
                : `Input '${INPUT}' adds "${name}" twice; list each file or folder once.`, { input: INPUT });
        }
    }
    return out;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/yauzl/index.js
var yauzl = __webpack_require__(663);
;// CONCATENATED MODULE: ./src/deploy-beanstalk/bundle/inspect.ts





const inspect_INPUT = 'bundle';
async function sha256File(path) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for await (const chunk of (0,external_node_fs_.createReadStream)(path))
        hash.update(chunk);
    return hash.digest('hex');
}
/** Reads the central directory only (no decompression). */
function listEntries(path) {
    return new Promise((resolvePromise, reject) => {
        yauzl.open(path, { lazyEntries: true, autoClose: true, strictFileNames: false }, (openError, zip) => {
            if (openError || !zip) {
                reject(new errors/* UserError */.yo(`Input '${inspect_INPUT}' ("${path}") is not a readable zip file: ${openError?.message ?? 'unknown error'}.`, { input: inspect_INPUT }));
                return;
            }
            const names = [];
            zip.on('entry', (entry) => {
                names.push(entry.fileName);
                zip.readEntry();
            });
            zip.on('end', () => resolvePromise(names));
            zip.on('error', (error) => {
                zip.close();
                reject(new errors/* UserError */.yo(`Input '${inspect_INPUT}' ("${path}") is not a valid zip file: ${error.message}.`, {
                    input: inspect_INPUT
                }));
            });
            zip.readEntry();
        });
    });
}
/** What sits at the zip's root: files, and folders (`app/`) even when the zip has no entry for them. */
function rootNames(entries) {
    const seen = new Set();
    for (const name of entries) {
        const slash = name.indexOf('/');
        const top = slash < 0 ? name : name.slice(0, slash + 1);
        if (top !== '' && top !== '/')
            seen.add(top);
    }
    return [...seen];
}
/** Checks a ready `bundle` zip: readable, and docker-compose.yml or Dockerrun.aws.json at its root. */
async function inspectBundle(path) {
    let size;
    try {
        const info = await (0,promises_.stat)(path);
        if (!info.isFile())
            throw new Error('not a file');
        size = info.size;
    }
    catch {
        throw new errors/* UserError */.yo(`Input '${inspect_INPUT}' is "${path}", which is not a file in the workspace.`, {
            input: inspect_INPUT
        });
    }
    const [entries, sha256] = await Promise.all([listEntries(path), sha256File(path)]);
    const root = rootNames(entries);
    const hasCompose = root.includes('docker-compose.yml');
    const hasDockerrun = root.includes('Dockerrun.aws.json');
    if (!hasCompose && !hasDockerrun) {
        const shown = root.length === 0
            ? 'nothing (the zip is empty or everything is in a sub-folder)'
            : root.slice(0, 20).join(', ') + (root.length > 20 ? `, … (${root.length} in all)` : '');
        const nested = entries.find(n => /(^|\/)(docker-compose\.yml|Dockerrun\.aws\.json)$/.test(n));
        throw new errors/* UserError */.yo(`Input '${inspect_INPUT}' ("${path}") has neither docker-compose.yml nor Dockerrun.aws.json at its root; the root holds: ${shown}.` +
            (nested ? ` Found "${nested}": zip the folder's contents, not the folder.` : '') +
            ' Beanstalk needs one of them at the top of the zip.', { input: inspect_INPUT });
    }
    return { path, sha256, size, hasCompose, hasDockerrun, entries };
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: ./node_modules/yazl/index.js
var yazl = __webpack_require__(3044);
;// CONCATENATED MODULE: ./src/deploy-beanstalk/bundle/zip.ts





/**
 * 1980-01-01 00:00:00 as local time: yazl writes DOS timestamps from local fields, so this encodes the
 * same bytes (the earliest DOS date) in every time zone.
 */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const REGULAR_FILE = 0o100000;
/**
 * Writes a deterministic zip (sorted names, fixed time, fixed modes, DOS timestamp only) streamed to
 * `outPath`, hashing the bytes on their way to disk. Same entries and contents → same bytes.
 */
async function writeDeterministicZip(entries, outPath) {
    const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const zip = new yazl/* ZipFile */.u();
    for (const entry of sorted) {
        const options = {
            mtime: FIXED_MTIME,
            mode: REGULAR_FILE | ((entry.mode ?? 0o644) & 0o777),
            compress: true,
            forceDosTimestamp: true
        };
        const source = entry.source;
        if ('content' in source)
            zip.addBuffer(source.content, entry.name, options);
        else
            zip.addReadStreamLazy(entry.name, options, cb => cb(null, (0,external_node_fs_.createReadStream)(source.path)));
    }
    zip.end();
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let size = 0;
    const tap = new external_node_stream_.Transform({
        transform(chunk, _enc, done) {
            hash.update(chunk);
            size += chunk.length;
            done(null, chunk);
        }
    });
    await (0,external_node_stream_promises_.pipeline)(zip.outputStream, tap, (0,external_node_fs_.createWriteStream)(outPath));
    return { path: outPath, sha256: hash.digest('hex'), size, entries: sorted.map(e => e.name) };
}

;// CONCATENATED MODULE: ./src/deploy-beanstalk/bundle/index.ts










/**
 * The source bundle, from the `compose-file` (pinned to `image`) and the `include`s, or the user's own
 * `bundle` zip: what goes in (contents.ts), the compose rewrite (compose.ts), the deterministic zip (zip.ts),
 * the check of a ready zip (inspect.ts) and Beanstalk's size limit (here). Only this file is imported from
 * outside the folder.
 */
/** Beanstalk's limit on a source bundle. */
const BEANSTALK_MAX_BUNDLE_BYTES = 500 * 1024 * 1024;
/** Throws before any upload when the bundle exceeds Beanstalk's 500 MB limit. */
function checkBundleSize(size, input) {
    if (size <= BEANSTALK_MAX_BUNDLE_BYTES)
        return;
    throw new errors/* UserError */.yo(`The bundle is ${(size / (1024 * 1024)).toFixed(1)} MB (${size} bytes), over Elastic Beanstalk's limit of 500 MB ` +
        `(${BEANSTALK_MAX_BUNDLE_BYTES} bytes) per source bundle. Ship the application as a Docker image ` +
        `(the bundle only needs docker-compose.yml and its config) and leave large files out of '${input}'.`, { input });
}
function insideWorkspace(workspace, input, path) {
    const full = (0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.resolve)(workspace, path);
    const rel = (0,external_node_path_.relative)(workspace, full);
    if (rel.startsWith('..') || (0,external_node_path_.isAbsolute)(rel)) {
        throw new errors/* UserError */.yo(`Input '${input}' is "${path}": expected a path inside the workspace (${workspace}).`, { input });
    }
    return full;
}
async function composeCandidates(dir) {
    try {
        return (await (0,promises_.readdir)(dir)).filter(name => /^(docker-)?compose[\w.-]*\.ya?ml$/i.test(name)).sort();
    }
    catch {
        return [];
    }
}
async function readCompose(workspace, composeFile) {
    const path = insideWorkspace(workspace, 'compose-file', composeFile);
    try {
        return await (0,promises_.readFile)(path, 'utf8');
    }
    catch (error) {
        const code = error.code;
        if (code !== 'ENOENT' && code !== 'EISDIR')
            throw error;
        const candidates = await composeCandidates((0,external_node_path_.dirname)(path));
        const hint = candidates.length > 0
            ? ` Compose files in ${(0,external_node_path_.relative)(workspace, (0,external_node_path_.dirname)(path)) || 'the workspace root'}: ${candidates.join(', ')}.`
            : ' Check out the repository first (actions/checkout), or set compose-file to its path.';
        throw new errors/* UserError */.yo(`Input 'compose-file' is "${composeFile}": no such file in the workspace (${path}).${hint}`, { input: 'compose-file', title: 'Compose file not found' });
    }
}
/** Builds the deterministic zip (compose file pinned to `image`, plus the includes) in `tempDir`. */
async function buildBundle(source, workspace, tempDir) {
    const original = await readCompose(workspace, source.composeFile);
    let composeContent = original;
    let pinned = [];
    if (source.image !== undefined) {
        const result = pinComposeImage(original, source.image, source.composeFile);
        composeContent = result.yaml;
        pinned = result.pinned;
        for (const pin of pinned)
            core/* info */.pq(`Service ${pin.service}: ${pin.from} → ${pin.to}`);
        for (const service of result.buildRemoved) {
            core/* info */.pq(`Service ${service}: its build: section was removed (the bundle has no build context; the image is pulled).`);
        }
    }
    const skipped = [];
    const entries = await collectEntries({
        workspace,
        composeFile: source.composeFile,
        composeContent: Buffer.from(composeContent, 'utf8'),
        include: source.include,
        includeExplicit: source.includeExplicit,
        skipped
    });
    for (const path of skipped)
        core/* info */.pq(`Skipped ${path}: VCS folders and .env files are never shipped.`);
    const out = (0,external_node_path_.join)(tempDir, `deploy-beanstalk-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}.zip`);
    const zip = await writeDeterministicZip(entries, out);
    checkBundleSize(zip.size, 'include');
    return {
        path: zip.path,
        sha256: zip.sha256,
        size: zip.size,
        temporary: true,
        pinned,
        entries: zip.entries.length,
        unpinned: source.image === undefined ? unpinnedServices(original) : undefined
    };
}
/** Checks a ready zip: inside the workspace, under Beanstalk's size limit, with a compose file or Dockerrun. */
async function readyBundle(path, workspace) {
    const full = insideWorkspace(workspace, 'bundle', path);
    let size;
    try {
        size = (await (0,promises_.stat)(full)).size;
    }
    catch {
        throw new errors/* UserError */.yo(`Input 'bundle' is "${path}": no such file in the workspace (${full}).`, {
            input: 'bundle'
        });
    }
    checkBundleSize(size, 'bundle');
    // Readable, with docker-compose.yml or Dockerrun.aws.json at its root (else a UserError saying what is there).
    const info = await inspectBundle(full);
    return {
        path: full,
        sha256: info.sha256,
        size: info.size,
        temporary: false,
        pinned: [],
        entries: info.entries.length
    };
}
async function prepareBundle(source, workspace, tempDir) {
    const bundle = source.kind === 'bundle'
        ? await readyBundle(source.path, workspace)
        : await buildBundle(source, workspace, tempDir);
    core/* info */.pq(`${source.kind === 'bundle' ? (0,external_node_path_.basename)(bundle.path) : 'Bundle'}: ${(0,format/* formatBytes */.z3)(bundle.size)}, ${bundle.entries} entries, sha256 ${bundle.sha256}`);
    return bundle;
}


/***/ })

};

//# sourceMappingURL=523.index.js.map