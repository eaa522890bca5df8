export const id = 751;
export const ids = [751];
export const modules = {

/***/ 7751:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   PART_SIZE: () => (/* binding */ PART_SIZE),
/* harmony export */   SHA256_METADATA: () => (/* binding */ SHA256_METADATA),
/* harmony export */   StorageGateway: () => (/* binding */ StorageGateway)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9433);
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(3711);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _common_aws_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2064);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1922);
/* harmony import */ var _common_failure_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6191);
/* harmony import */ var _common_format_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(6950);
/* harmony import */ var _common_retry_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(119);








/** The S3 metadata key that records a bundle's sha256 (x-amz-meta-sha256). */
const SHA256_METADATA = 'sha256';
/**
 * Parts of 5 MiB (S3's minimum), one in flight, each read into the same buffer: memory stays flat whatever the
 * bundle's size. (lib-storage's Upload, used before, allocates a new buffer for every part; V8 frees spent
 * buffers only when their sum nears its external-memory limit, so its peak RSS was ~60 MB over a 1 MB deploy
 * from 100 MB up: `npm run bench -- rss`, README.) Compose bundles are kilobytes: one PutObject.
 */
const PART_SIZE = 5 * 1024 * 1024;
/** The edge to S3: look at an object, stream a file into one. */
class StorageGateway {
    region;
    client;
    clock;
    /** `client`: an S3 client of the caller's (tests); by default one with our configuration for `region`. */
    constructor(region, options = {}) {
        this.region = region;
        this.clock = options.clock ?? _common_retry_js__WEBPACK_IMPORTED_MODULE_5__/* .systemClock */ .ml;
        // Checksums only where S3 requires one: the SDK's default CRC32 of every 5 MiB part made a 450 MB upload peak
        // 137–155 MB instead of 137 (npm run bench -- rss); the bytes travel over TLS, and the bundle's sha256 decides
        // whether an object already there is reused
        this.client =
            options.client ??
                new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__/* .S3Client */ .YxF({
                    ...(0,_common_aws_js__WEBPACK_IMPORTED_MODULE_2__/* .awsClientConfig */ .rw)(region, { clock: this.clock }),
                    requestChecksumCalculation: 'WHEN_REQUIRED'
                });
        // A lost reply to CompleteMultipartUpload is checked before it is sent again (upload). PutObject may be repeated
        // by the SDK: with If-None-Match a repeat of one that took effect is refused (412), never an overwrite.
        (0,_common_aws_js__WEBPACK_IMPORTED_MODULE_2__/* .instrument */ .wV)(this.client, {
            service: 's3',
            unsafeToRepeat: operation => operation === 'CompleteMultipartUpload'
        });
    }
    /** The object's size and recorded sha256, or undefined when it does not exist. */
    async head(bucket, key) {
        try {
            const out = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__/* .HeadObjectCommand */ .l81({ Bucket: bucket, Key: key }));
            return { size: out.ContentLength, sha256: out.Metadata?.[SHA256_METADATA] };
        }
        catch (error) {
            if ((0,_common_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .isAwsError */ .m_)(error, 'NotFound', 'NoSuchKey', '404'))
                return undefined;
            throw error;
        }
    }
    /** The object's bytes as a stream (GetObject), or undefined when it does not exist: a promotion hashes it. */
    async read(bucket, key) {
        try {
            const out = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__/* .GetObjectCommand */ .jLs({ Bucket: bucket, Key: key }));
            return out.Body;
        }
        catch (error) {
            if ((0,_common_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .isAwsError */ .m_)(error, 'NotFound', 'NoSuchKey', '404'))
                return undefined;
            throw error;
        }
    }
    /**
     * Uploads the file to S3 create-only, recording its sha256 in the metadata: one PutObject up to PART_SIZE, else
     * a multipart upload whose parts are sent one after the other from one buffer. The request that makes the
     * object (PutObject, CompleteMultipartUpload) carries If-None-Match: *, so an object already under the key is
     * never replaced (the deploy policy allows no other: docs/aws-setup.md); S3's refusal is the outcome `exists`.
     * A multipart upload that did not create the object is aborted, so no parts are left behind. The SDK retries a
     * part with the same bytes; a part sent again replaces itself.
     */
    async upload(input) {
        const object = {
            Bucket: input.bucket,
            Key: input.key,
            ContentType: 'application/zip',
            Metadata: { [SHA256_METADATA]: input.sha256 }
        };
        if (input.size <= PART_SIZE) {
            const Body = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(input.path);
            return await this.createOnly(input, () => this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__/* .PutObjectCommand */ .wKZ({ ...object, Body, IfNoneMatch: '*' })));
        }
        const { UploadId } = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__/* .CreateMultipartUploadCommand */ .nG4(object));
        if (!UploadId)
            throw new Error(`S3 started no multipart upload for s3://${input.bucket}/${input.key}`);
        const target = { Bucket: input.bucket, Key: input.key, UploadId };
        const file = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(input.path, 'r');
        const buffer = Buffer.allocUnsafe(PART_SIZE);
        const parts = [];
        let lastLogged = 0;
        let outcome;
        try {
            for (let offset = 0; offset < input.size; offset += PART_SIZE) {
                const { bytesRead } = await file.read(buffer, 0, Math.min(PART_SIZE, input.size - offset), offset);
                const PartNumber = parts.length + 1;
                const part = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__/* .UploadPartCommand */ .iVK({ ...target, PartNumber, Body: buffer.subarray(0, bytesRead) }));
                if (!part.ETag)
                    throw new Error(`S3 answered part ${PartNumber} of s3://${input.bucket}/${input.key} without an ETag`);
                parts.push({
                    PartNumber,
                    ETag: part.ETag,
                    ChecksumCRC32: part.ChecksumCRC32,
                    ChecksumCRC32C: part.ChecksumCRC32C,
                    ChecksumCRC64NVME: part.ChecksumCRC64NVME,
                    ChecksumSHA1: part.ChecksumSHA1,
                    ChecksumSHA256: part.ChecksumSHA256
                });
                const loaded = offset + bytesRead;
                const now = this.clock.now();
                if (now - lastLogged > 5_000 || loaded >= input.size) {
                    lastLogged = now;
                    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Uploaded ${(0,_common_format_js__WEBPACK_IMPORTED_MODULE_7__/* .formatBytes */ .z3)(loaded)} of ${(0,_common_format_js__WEBPACK_IMPORTED_MODULE_7__/* .formatBytes */ .z3)(input.size)} (${Math.floor((100 * loaded) / input.size)}%).`);
                }
            }
            const complete = () => this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__/* .CompleteMultipartUploadCommand */ .Gym({
                ...target,
                IfNoneMatch: '*',
                MultipartUpload: { Parts: parts }
            }));
            try {
                outcome = await this.createOnly(input, complete);
            }
            catch (error) {
                if (!(error instanceof _common_failure_js__WEBPACK_IMPORTED_MODULE_4__/* .OutcomeUnknownError */ .Do))
                    throw error;
                // the reply was lost: the object is there (made by this request, or by anyone: the caller compares the
                // bytes), or the upload is completed once more, still create-only
                _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${error.message} Checking whether s3://${input.bucket}/${input.key} exists.`);
                if ((await this.head(input.bucket, input.key)) !== undefined)
                    outcome = 'exists';
                else {
                    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('It does not: completing the upload once more.');
                    outcome = await this.createOnly(input, complete);
                }
            }
            return outcome;
        }
        finally {
            // a failed upload, or one that made no object (another is under the key), leaves no parts behind
            if (outcome !== 'created')
                await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__/* .AbortMultipartUploadCommand */ .tfP(target)).catch(() => undefined);
            await file.close();
        }
    }
    /**
     * A request with If-None-Match: *: `exists` when S3 refuses it because the key exists (412 PreconditionFailed),
     * or because another write to the key was under way (409 ConditionalRequestConflict) and an object now stands.
     */
    async createOnly(at, send) {
        try {
            await send();
            return 'created';
        }
        catch (error) {
            const status = (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .awsErrorInfo */ .sR)(error)?.httpStatus;
            if ((0,_common_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .isAwsError */ .m_)(error, 'PreconditionFailed') || status === 412)
                return 'exists';
            const conflict = (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .isAwsError */ .m_)(error, 'ConditionalRequestConflict') || status === 409;
            if (conflict && (await this.head(at.bucket, at.key)) !== undefined)
                return 'exists';
            throw error;
        }
    }
}


/***/ })

};

//# sourceMappingURL=751.index.js.map