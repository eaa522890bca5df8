export const id = 751;
export const ids = [751];
export const modules = {

/***/ 7751:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   PART_SIZE: () => (/* binding */ PART_SIZE),
/* harmony export */   QUEUE_SIZE: () => (/* binding */ QUEUE_SIZE),
/* harmony export */   SHA256_METADATA: () => (/* binding */ SHA256_METADATA),
/* harmony export */   StorageGateway: () => (/* binding */ StorageGateway)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9433);
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(3711);
/* harmony import */ var _aws_sdk_lib_storage__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2358);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _common_aws_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2064);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1922);
/* harmony import */ var _common_format_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(6950);
/* harmony import */ var _common_retry_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(119);








/** The S3 metadata key that records a bundle's sha256 (x-amz-meta-sha256). */
const SHA256_METADATA = 'sha256';
/**
 * Parts of 5 MiB (S3's minimum), one in flight: memory stays flat whatever the bundle's size (npm run bench:
 * two in flight measured ~20 MB more peak RSS at 450 MB, mostly part buffers awaiting GC). Compose bundles are
 * kilobytes; only bundles with large `include`s are multipart at all.
 */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 1;
/** The edge to S3: look at an object, stream a file into one. */
class StorageGateway {
    region;
    client;
    clock;
    /** `client`: an S3 client of the caller's (tests); by default one with our configuration for `region`. */
    constructor(region, options = {}) {
        this.region = region;
        this.clock = options.clock ?? _common_retry_js__WEBPACK_IMPORTED_MODULE_5__/* .systemClock */ .ml;
        this.client = options.client ?? new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__.S3Client((0,_common_aws_js__WEBPACK_IMPORTED_MODULE_3__/* .awsClientConfig */ .rw)(region, { clock: this.clock }));
        (0,_common_aws_js__WEBPACK_IMPORTED_MODULE_3__/* .instrument */ .wV)(this.client, { service: 's3' });
    }
    /** The object's size and recorded sha256, or undefined when it does not exist. */
    async head(bucket, key) {
        try {
            const out = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__.HeadObjectCommand({ Bucket: bucket, Key: key }));
            return { size: out.ContentLength, sha256: out.Metadata?.[SHA256_METADATA] };
        }
        catch (error) {
            if ((0,_common_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .isAwsError */ .m_)(error, 'NotFound', 'NoSuchKey', '404'))
                return undefined;
            throw error;
        }
    }
    /** The object's bytes as a stream (GetObject), or undefined when it does not exist: a promotion hashes it. */
    async read(bucket, key) {
        try {
            const out = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__.GetObjectCommand({ Bucket: bucket, Key: key }));
            return out.Body;
        }
        catch (error) {
            if ((0,_common_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .isAwsError */ .m_)(error, 'NotFound', 'NoSuchKey', '404'))
                return undefined;
            throw error;
        }
    }
    /** Streams the file to S3 (multipart when over one part), recording its sha256 in the metadata. */
    async upload(input) {
        const upload = new _aws_sdk_lib_storage__WEBPACK_IMPORTED_MODULE_1__/* .Upload */ ._({
            client: this.client,
            partSize: PART_SIZE,
            queueSize: QUEUE_SIZE,
            leavePartsOnError: false,
            params: {
                Bucket: input.bucket,
                Key: input.key,
                Body: (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.createReadStream)(input.path, { highWaterMark: 1024 * 1024 }),
                ContentType: 'application/zip',
                Metadata: { [SHA256_METADATA]: input.sha256 }
            }
        });
        let lastLogged = 0;
        upload.on('httpUploadProgress', progress => {
            const loaded = progress.loaded ?? 0;
            const now = this.clock.now();
            if (input.size > PART_SIZE && (now - lastLogged > 5_000 || loaded >= input.size)) {
                lastLogged = now;
                _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Uploaded ${(0,_common_format_js__WEBPACK_IMPORTED_MODULE_7__/* .formatBytes */ .z3)(loaded)} of ${(0,_common_format_js__WEBPACK_IMPORTED_MODULE_7__/* .formatBytes */ .z3)(input.size)} (${Math.floor((100 * loaded) / input.size)}%).`);
            }
        });
        await upload.done();
    }
}


/***/ })

};

//# sourceMappingURL=751.index.js.map