// The one list of every error code a node answers (API, federation, CLI) and of the few codes that
// only the sender, the CLI or the web desk records. docs/errors.md is generated from it
// (`npm run docs:errors`), `GET /problems/ERR_…` serves each entry, and test/shared/error-catalogue.test.ts
// fails on a code used in src/ and missing here, or listed here and no longer used.

/** Where a code reaches a person or a program. */
export type ErrorSurface =
  | 'api' // a problem+json answer of the node's HTTP API
  | 'federation' // an answer to a peer node (POST /federation/v1/…), or a refusal in a batch receipt
  | 'outbox' // recorded by this node's sender on an outgoing message (dead letters show it)
  | 'cli' // printed by a `hanoi247` command, which exits 1
  | 'desk' // made up by the web desk itself, never sent by a node
  | 'internal'; // turned into another code before anyone sees it

export type CatalogueEntry = {
  /** The HTTP status it is answered with; null where it is never an HTTP answer. */
  readonly status: number | null;
  /** A few words, the title of its page. */
  readonly title: string;
  /** What happened, for the person who reads the answer. */
  readonly meaning: string;
  /** What the caller should do about it. */
  readonly action: string;
  readonly surfaces: readonly ErrorSurface[];
};

/** Problem bodies name their type with this relative reference: it resolves on the node that answered. */
export const PROBLEM_TYPE_PATH = '/problems/';

const RETRY_LATER = 'Nothing to change: the sender retries with backoff, then dead-letters it.';

export const ERROR_CATALOGUE = {
  // — General HTTP —
  ERR_VALIDATION: {
    status: 400,
    title: 'Input not valid',
    meaning: 'The body, query or path does not match the schema; `errors` names each field at fault.',
    action: 'Correct every field listed in `errors` and send again.',
    surfaces: ['api', 'cli'],
  },
  ERR_BAD_REQUEST: {
    status: 400,
    title: 'Bad request',
    meaning:
      'The request could not be read, for a reason no more precise code names (see ERR_INVALID_JSON, ERR_EMPTY_BODY, ERR_BAD_HTTP).',
    action: 'Send a well-formed request; the `detail` says what is wrong.',
    surfaces: ['api'],
  },
  ERR_BODY_TOO_LARGE: {
    status: 413,
    title: 'Body too large',
    meaning: 'The request body is larger than this node accepts on this route.',
    action: 'Send less at once (split an import or a bulk check).',
    surfaces: ['api'],
  },
  ERR_HEADERS_TOO_LARGE: {
    status: 431,
    title: 'Headers too large',
    meaning: 'The request line and headers together are over 16 KiB.',
    action: 'Shorten the URL or drop large cookies and headers.',
    surfaces: ['api'],
  },
  ERR_URI_TOO_LONG: {
    status: 414,
    title: 'URI too long',
    meaning: 'A path segment is longer than any route of this node accepts.',
    action: 'Fix the path; long inputs go in the body, not the URL.',
    surfaces: ['api'],
  },
  ERR_BAD_URL: {
    status: 400,
    title: 'Malformed URL',
    meaning: 'The URL has malformed percent-encoding.',
    action: 'Percent-encode the URL correctly and send again.',
    surfaces: ['api'],
  },
  ERR_BAD_HTTP: {
    status: 400,
    title: 'Malformed HTTP',
    meaning: 'The request is not valid HTTP/1.1 (a malformed request line, header or chunk).',
    action: 'Fix the client; the connection is closed after this answer.',
    surfaces: ['api'],
  },
  ERR_REQUEST_TIMEOUT: {
    status: 408,
    title: 'Request timeout',
    meaning: 'The request was not received completely in time.',
    action: 'Send it again, on a faster or steadier connection.',
    surfaces: ['api'],
  },
  ERR_INVALID_JSON: {
    status: 400,
    title: 'Body is not JSON',
    meaning: 'The content type says JSON but the body does not parse; `detail` says where.',
    action: 'Send a valid JSON body.',
    surfaces: ['api'],
  },
  ERR_EMPTY_BODY: {
    status: 400,
    title: 'Empty body',
    meaning: 'The content type says JSON but the body is empty.',
    action: 'Send a body, or no JSON content type.',
    surfaces: ['api'],
  },
  ERR_BAD_CONTENT_LENGTH: {
    status: 400,
    title: 'Bad content length',
    meaning: 'The Content-Length header does not match the body or is not a number.',
    action: 'Fix the client so that Content-Length is the byte length of the body.',
    surfaces: ['api'],
  },
  ERR_METRICS_TOKEN: {
    status: 401,
    title: 'Metrics token needed',
    meaning: '/metrics needs `Authorization: Bearer` with the token set in HANOI247_METRICS_TOKEN.',
    action: "Configure the scraper with the node's metrics token.",
    surfaces: ['api'],
  },
  ERR_METRICS_LOOPBACK_ONLY: {
    status: 403,
    title: 'Metrics only from this machine',
    meaning: 'No metrics token is configured, so /metrics answers only callers on the loopback interface.',
    action: "Set HANOI247_METRICS_TOKEN and scrape with it, or scrape from the node's own machine.",
    surfaces: ['api'],
  },
  ERR_EVIDENCE_NOT_IN_CASE: {
    status: 403,
    title: 'Not an officer of this case',
    meaning:
      "The user is not an officer of the request's case: only they may see, upload or download its evidence.",
    action: 'Ask to be assigned to the request, or act from an account of the case.',
    surfaces: ['api'],
  },
  ERR_EVIDENCE_REQUEST_STATE: {
    status: 409,
    title: 'Request not in a state for evidence',
    meaning:
      'Evidence is kept only on an incoming request in execution, partially executed or executed, or on spontaneous information once approved, sent or acknowledged.',
    action: 'Move the request on first.',
    surfaces: ['api'],
  },
  ERR_EVIDENCE_EXERCISE_BOUNDARY: {
    status: 409,
    title: 'Evidence across the exercise boundary',
    meaning:
      "An exercise's evidence item or package was to be sealed into, sent for or received on a real request (or passed on to a third State), or real evidence on an exercise's request: evidence carries its request's exercise and never crosses between an exercise and real work. A receiving node audits the refusal (`evidence.package_refuse`).",
    action: "Seal the items of the request itself; an exercise's evidence stays in its exercise.",
    surfaces: ['api'],
  },
  ERR_EVIDENCE_TOO_LARGE: {
    status: 413,
    title: 'Evidence item too large',
    meaning: 'Upload-Length is over HANOI247_EVIDENCE_MAX_BYTES (`maxBytes` in the body).',
    action: 'Split the file, or ask the operator to raise the limit.',
    surfaces: ['api'],
  },
  ERR_UPLOAD_PAST_LENGTH: {
    status: 413,
    title: 'Bytes past the declared length',
    meaning: 'The PATCH carries bytes past the Upload-Length declared at creation.',
    action: 'Send only the remaining bytes.',
    surfaces: ['api'],
  },
  ERR_UPLOAD_OFFSET: {
    status: 409,
    title: 'Wrong upload offset',
    meaning: 'Upload-Offset is not where the upload stands (`offset` in the body).',
    action: 'Resume from that offset, or ask with HEAD.',
    surfaces: ['api'],
  },
  ERR_UPLOAD_BUSY: {
    status: 409,
    title: 'Upload busy',
    meaning: 'Another PATCH on this upload is still running.',
    action: 'Ask with HEAD, then retry from the offset it gives.',
    surfaces: ['api'],
  },
  ERR_UPLOAD_CLOSED: {
    status: 409,
    title: 'Upload closed',
    meaning: 'The upload is complete or cancelled (`itemId` in the body).',
    action: 'Use the item, or start a new upload.',
    surfaces: ['api'],
  },
  ERR_UPLOAD_CONTENT_TYPE: {
    status: 415,
    title: 'Wrong upload content type',
    meaning: 'A tus PATCH must be sent as application/offset+octet-stream.',
    action: 'Send the bytes with that content type.',
    surfaces: ['api'],
  },
  ERR_STORAGE_FULL: {
    status: 507,
    title: 'Storage full',
    meaning: 'The disk filled during the upload; the bytes up to `offset` are kept.',
    action: 'Free space on the node, then resume from the offset.',
    surfaces: ['api'],
  },
  ERR_EVIDENCE_CHUNK_INVALID: {
    status: 422,
    title: 'Evidence chunk refused',
    meaning:
      "A chunk of a package in transfer is truncated, altered, of the wrong length or does not match its item's chunk root in the signed manifest; nothing of it was kept.",
    action: 'The sending node sends the chunk again (it does so by itself, up to three times).',
    surfaces: ['federation'],
  },
  ERR_EVIDENCE_MANIFEST_SIGNATURE: {
    status: 422,
    title: 'Package manifest not signed by the sender',
    meaning:
      'The manifest of an offered package is not signed by a key the directory lists for the sending State, or it disagrees with the offer.',
    action: "Check the sender's keys in the signed directory; a forged package is not accepted.",
    surfaces: ['federation'],
  },
  ERR_EVIDENCE_WRONG_NODE: {
    status: 422,
    title: 'Package for another node',
    meaning: "The offered package's manifest names another recipient State than this node.",
    action: "Send the package to the node of the State that made the request (the directory's entry).",
    surfaces: ['federation'],
  },
  ERR_EVIDENCE_INCOMPLETE: {
    status: 409,
    title: 'Package transfer incomplete',
    meaning:
      'A receipt was asked for before every chunk of the package was received and checked (`missing`).',
    action: 'Send the missing chunks (send the package again: it resumes), then ask again.',
    surfaces: ['federation'],
  },
  ERR_EVIDENCE_TRANSFER: {
    status: 502,
    title: 'Receiving node did not take the package',
    meaning:
      'The requesting node could not be reached, refused the offer, a chunk or the completion, or answered a receipt that does not name the package.',
    action: 'Send the package again once the peer answers: the transfer resumes where it stopped.',
    surfaces: ['api'],
  },
  ERR_EVIDENCE_EMPTY_PACKAGE: {
    status: 409,
    title: 'Empty package',
    meaning: 'A package needs at least one complete evidence item to be sealed.',
    action: 'Upload items first.',
    surfaces: ['api'],
  },
  ERR_EVIDENCE_SUPERSEDED: {
    status: 409,
    title: 'Package superseded',
    meaning: 'The package was corrected by a newer one; it cannot be approved or corrected again.',
    action: 'Act on the package that supersedes it.',
    surfaces: ['api'],
  },
  ERR_EVIDENCE_PACKAGE_STATE: {
    status: 409,
    title: 'Package not in that state',
    meaning: 'Approving needs a sealed package; handing over needs an approved one that still has its bytes.',
    action: 'Follow the package through seal, approve, hand over.',
    surfaces: ['api'],
  },
  ERR_EVIDENCE_DELETED: {
    status: 410,
    title: 'Evidence deleted',
    meaning:
      'The bytes were deleted when the retention period ended; only the tombstone in the audit log remains.',
    action: 'Nothing: ask the sending State for a new package if still needed.',
    surfaces: ['api'],
  },
  ERR_EVIDENCE_CONSENT_REQUIRED: {
    status: 409,
    title: 'Onward transfer needs consent',
    meaning:
      'The package was received from another State, and handing it to a third State needs that State’s consent (art. 36); none is recorded as granted (for a transfer to the third State’s node: none with the grant the originating node signs).',
    action:
      'Ask the originating State for consent (POST …/packages/{id}/consents) and hand it over or send it on (POST …/packages/{id}/onward) once granted.',
    surfaces: ['api', 'cli'],
  },
  ERR_EVIDENCE_CONSENT_INVALID: {
    status: 422,
    title: 'Consent does not cover this onward transfer',
    meaning:
      'A package offered onward came with a consent grant that is not signed by the originating node’s key in the signed directory, or that names another package, Merkle root, asking State or third State.',
    action:
      'Nothing to change on the receiving side: the State passing the package on asks the originating State for consent to this State and sends again.',
    surfaces: ['api'],
  },
  ERR_EVIDENCE_CONSENT_WRONG_STATE: {
    status: 422,
    title: 'Consent from the wrong State',
    meaning:
      'A consent answer came from a State other than the one that sealed the package, or a consent request from a State the package was not delivered to.',
    action:
      'Nothing to change on this side: only the originating State answers, only the receiving State asks.',
    surfaces: ['federation'],
  },
  ERR_EVIDENCE_CONSENT_STATE: {
    status: 409,
    title: 'Consent already answered',
    meaning: 'This consent was already granted or refused.',
    action: 'Nothing: the first answer stands; the asking State may ask again.',
    surfaces: ['api'],
  },
  ERR_AUDIT_FORGED: {
    status: 503,
    title: 'Audit log state not sealed by this node',
    meaning:
      "The audit log's state does not carry the seal of the node's key secret: someone without the secret appended, altered or removed entries. The node writes nothing on top of it (every change needs an audit entry) and signs no tree head over it.",
    action:
      'An administrator restores the database from a backup, then runs `hanoi247 audit verify` (with HANOI247_KEY_SECRET set) and restarts the node.',
    surfaces: ['api', 'cli'],
  },
  ERR_AUDIT_DIVERGED: {
    status: 409,
    title: 'Audit log diverged from its witnesses',
    meaning:
      'The log is smaller than, or has another root than, a checkpoint its witnesses cosigned: the node signs nothing over it.',
    action:
      'Restore the log from a backup that holds the witnessed entries, then POST /api/v1/audit/witness/check.',
    surfaces: ['api'],
  },
  ERR_WITNESS_REQUEST: {
    status: 400,
    title: 'Malformed witness request',
    meaning: 'The add-checkpoint body is malformed, or its old size is larger than the checkpoint.',
    action: 'Fix the request (C2SP tlog-witness add-checkpoint).',
    surfaces: ['federation'],
  },
  ERR_WITNESS_SIGNATURE: {
    status: 403,
    title: 'Checkpoint not signed by the node',
    meaning: 'The checkpoint carries no valid signature by a key the directory lists for that node.',
    action: 'Check the directory and the node keys.',
    surfaces: ['federation'],
  },
  ERR_WITNESS_UNKNOWN_LOG: {
    status: 404,
    title: 'Unknown log',
    meaning: 'This node does not witness that origin.',
    action: 'Check the origin and that the node is listed in the directory.',
    surfaces: ['federation'],
  },
  ERR_WITNESS_PROOF: {
    status: 422,
    title: 'Consistency proof fails',
    meaning:
      'The consistency proof from the last cosigned size fails; the witness keeps both checkpoints as proof of a fork.',
    action: 'Investigate the log: it was cut or rewritten.',
    surfaces: ['federation'],
  },
  ERR_CHECKPOINT_FILE: {
    status: null,
    title: 'Not a checkpoint of this node',
    meaning: 'The --checkpoint file is not a checkpoint signed by this node.',
    action: 'Give the checkpoint file saved from this node.',
    surfaces: ['cli'],
  },
  ERR_NOTE_FORMAT: {
    status: null,
    title: 'Not a signed note',
    meaning: 'A checkpoint or cosignature is not a well-formed C2SP signed note.',
    action: 'Turned into ERR_WITNESS_REQUEST or ERR_CHECKPOINT_FILE before anyone sees it.',
    surfaces: ['internal'],
  },
  ERR_EVIDENCE_INTEGRITY: {
    status: null,
    title: 'Stored evidence fails its check',
    meaning:
      'An encrypted evidence chunk at rest fails its authentication tag or its hash: the stored bytes were altered.',
    action:
      'Treat the stored copy as damaged: restore it from backup or ask the sending State for the package again.',
    surfaces: ['cli', 'internal'],
  },
  ERR_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported media type',
    meaning:
      'The Content-Type is not one this route reads (the API reads application/json; TAXII its own type).',
    action: 'Send the body with the content type the route documents at /docs.',
    surfaces: ['api'],
  },
  ERR_NOT_ACCEPTABLE: {
    status: 406,
    title: 'Not acceptable',
    meaning: 'The Accept header asks for a format this route cannot answer (an event stream, TAXII).',
    action: 'Send the Accept header the route documents (text/event-stream, application/taxii+json).',
    surfaces: ['api'],
  },
  ERR_NO_ROUTE: {
    status: 404,
    title: 'No such route',
    meaning: 'No route answers this method and path.',
    action: 'Check the path and method against the API description at /docs.',
    surfaces: ['api'],
  },
  ERR_NOT_FOUND: {
    status: 404,
    title: 'Not found',
    meaning:
      'The thing named in the path (a request, alert, user, message…) does not exist on this node, or you may not see it.',
    action: 'Check the id; list the collection to find it.',
    surfaces: ['api', 'cli'],
  },
  ERR_CONFLICT: {
    status: 409,
    title: 'Conflict',
    meaning: 'The change conflicts with what exists (for instance a name already taken).',
    action: 'Read the current state, choose another name or value, and send again.',
    surfaces: ['api', 'cli'],
  },
  ERR_RATE_LIMITED: {
    status: 429,
    title: 'Too many attempts',
    meaning: 'Too many failed sign-ins for this account or address: it is locked for a while.',
    action: 'Wait the seconds given in the Retry-After header, then try again.',
    surfaces: ['api'],
  },
  ERR_INTERNAL: {
    status: 500,
    title: 'Internal error',
    meaning: 'Something failed on the server; the details are in its log, under the `requestId`.',
    action: 'Give the `requestId` to the node operator. Retrying may work if the failure was passing.',
    surfaces: ['api', 'federation'],
  },
  ERR_NOT_READY: {
    status: 503,
    title: 'Not ready',
    meaning: 'The node is up but its database does not answer yet (GET /readyz).',
    action: 'Wait and ask again; a load balancer should not send traffic yet.',
    surfaces: ['api'],
  },
  ERR_WEB_NOT_BUILT: {
    status: 404,
    title: 'Web desk not built',
    meaning: 'The node serves the API, but the web desk was not built on it.',
    action: 'Run `npm run build:web` on the node (`npm start` does it), or use the API.',
    surfaces: ['api'],
  },

  // — Accounts and access —
  ERR_UNAUTHENTICATED: {
    status: 401,
    title: 'Sign in first',
    meaning:
      'The route needs a session cookie or an API token, and the call carries neither (or an expired session).',
    action: 'Sign in (POST /api/v1/auth/login) or send `Authorization: Bearer <token>`.',
    surfaces: ['api'],
  },
  ERR_LOGIN: {
    status: 401,
    title: 'Sign-in refused',
    meaning: 'The username or password is wrong, or the account is disabled.',
    action:
      'Check the credentials; after several failures the account locks (ERR_RATE_LIMITED). An administrator re-enables a disabled account.',
    surfaces: ['api'],
  },
  ERR_TOKEN: {
    status: 401,
    title: 'Token refused',
    meaning: 'The API token is unknown, revoked or expired.',
    action: 'Ask an administrator for a new token.',
    surfaces: ['api'],
  },
  ERR_TOTP_REQUIRED: {
    status: 401,
    title: 'Second factor needed',
    meaning: 'This account has a second factor: the sign-in needs the 6-digit code of its authenticator app.',
    action: 'Send the sign-in again with `totp`.',
    surfaces: ['api'],
  },
  ERR_TOTP: {
    status: 401,
    title: 'Second factor wrong',
    meaning: 'The authenticator code is wrong or expired.',
    action: 'Type the current code from the authenticator app (check the device clock).',
    surfaces: ['api'],
  },
  ERR_TOTP_ENROLMENT_REQUIRED: {
    status: 403,
    title: 'Second factor required by the node',
    meaning:
      'This node requires a second factor for approvers and administrators, and this account has none.',
    action: 'An administrator enrols it: `hanoi247 user totp USERNAME`.',
    surfaces: ['api'],
  },
  ERR_FORBIDDEN: {
    status: 403,
    title: 'Role not allowed',
    meaning: 'Your roles do not allow this route or this step; `requiredRoles` names those that do.',
    action: 'Ask a colleague with one of the required roles, or an administrator to change your roles.',
    surfaces: ['api'],
  },
  ERR_CSRF: {
    status: 403,
    title: 'CSRF token missing',
    meaning: 'A change made with a session cookie needs the x-csrf-token header given at sign-in.',
    action: 'Send the `csrfToken` from the sign-in answer in the x-csrf-token header.',
    surfaces: ['api'],
  },
  ERR_USER_EXISTS: {
    status: 409,
    title: 'User exists',
    meaning: 'A user with this name exists already.',
    action: 'Choose another username, or enable the existing account.',
    surfaces: ['api', 'cli'],
  },
  ERR_CURRENT_PASSWORD: {
    status: 403,
    title: 'Current password wrong',
    meaning: 'Changing a password needs the current one, and the one given is wrong.',
    action: 'Type the current password again; if it is lost, ask an administrator for a reset.',
    surfaces: ['api'],
  },
  ERR_PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    title: 'Password change required',
    meaning:
      'An administrator set this password (a reset): nothing else is allowed until the account chooses its own.',
    action:
      'Change the password (POST /api/v1/auth/password, or the account page of the desk), then carry on.',
    surfaces: ['api'],
  },
  ERR_RESET_LINK: {
    status: 403,
    title: 'Reset link not valid',
    meaning:
      'The one-time password-reset link is unknown, used already, replaced by a newer one or expired (24 h).',
    action: 'Ask an administrator for a new link (hanoi247 user reset, or the Accounts page).',
    surfaces: ['api'],
  },
  ERR_LAST_ADMIN: {
    status: 409,
    title: 'Last administrator',
    meaning: 'The change would leave the node without an active administrator.',
    action: 'Give ADMIN to another account first, then change this one.',
    surfaces: ['api', 'cli'],
  },

  // — Requests under the Convention —
  ERR_ILLEGAL_TRANSITION: {
    status: 409,
    title: 'Step not allowed now',
    meaning: 'The request is not in a status where this step can be taken; `allowed` lists the next steps.',
    action: 'Reload the request and choose one of the allowed steps.',
    surfaces: ['api'],
  },
  ERR_FOUR_EYES: {
    status: 403,
    title: 'Four eyes',
    meaning: 'The person who drafted a request may not approve it.',
    action: 'Another user with the APPROVER role approves it.',
    surfaces: ['api'],
  },
  ERR_REPORT_FOUR_EYES: {
    status: 403,
    title: 'Report released by its builder',
    meaning:
      'The person who built an indicators report may not release it: a second person does (four eyes).',
    action: 'Ask another approver or administrator to release it.',
    surfaces: ['api'],
  },
  ERR_REPORT_RELEASED: {
    status: 409,
    title: 'Report already released',
    meaning: 'This indicators report is already public; a release cannot be repeated or undone.',
    action: 'Nothing to do; to publish new figures, build a new report of the period.',
    surfaces: ['api'],
  },
  ERR_REPORT_FORMAT: {
    status: null,
    title: 'Not a signed report',
    meaning:
      'The file given to `report verify` is neither a signed indicators report (JSON with `report` and `jws`) nor a regional aggregate (`aggregate` and `jws`), nor the compact JWS of one; or a signed aggregate names no member, or a member without its report id, audit tree size or root.',
    action:
      'Give the file that `report build` wrote or that GET /api/v1/public/reports/{id} (or, for a region, GET /api/v1/public/regional-reports/{period} on its hub) answers.',
    surfaces: ['cli'],
  },
  ERR_REPORT_SIGNATURE: {
    status: null,
    title: 'Report signature not valid',
    meaning:
      'The report is not signed by a signing key of the node it names, or the regional aggregate by one of its hub (unknown key, or a signature that does not verify).',
    action:
      'Do not trust the figures. Fetch the report again from the node, or check you have its current directory entry or key file.',
    surfaces: ['cli'],
  },
  ERR_REPORT_MISMATCH: {
    status: null,
    title: 'Report changed after signing',
    meaning:
      'The readable report (or regional aggregate) in the file differs from what the node (or hub) signed.',
    action: 'Do not trust the figures; read the signed payload, or fetch the report again from the node.',
    surfaces: ['cli'],
  },
  ERR_REPORT_CHECKPOINT: {
    status: null,
    title: 'Report checkpoint not valid',
    meaning:
      'The audit checkpoint of the report is malformed, not signed by the same node, or names another size or root than its signed tree head.',
    action: 'Do not trust the figures; ask the publishing node for its tree heads and a consistency proof.',
    surfaces: ['cli'],
  },
  // — Joint exercises (issue #18) —
  ERR_EXERCISE_SCENARIO: {
    status: 400,
    title: 'Scenario not valid',
    meaning:
      'The exercise scenario file does not validate: `errors` lists every problem (unknown State, inject after the end, action without a target, duplicate id…), each with its path and code.',
    action:
      'Correct every listed problem in the file (`hanoi247 exercise validate FILE` shows them) and start again.',
    surfaces: ['api', 'cli'],
  },
  ERR_EXERCISE_RUNNING: {
    status: 409,
    title: 'An exercise is already running',
    meaning:
      'This node already runs (or has paused) an exercise; one exercise at a time keeps the players on one script.',
    action: 'End the running exercise first (`hanoi247 exercise end`), or join it.',
    surfaces: ['api', 'cli'],
  },
  ERR_EXERCISE_NOT_RUNNING: {
    status: 409,
    title: 'Exercise not running',
    meaning:
      'The exercise named does not run on this node: it was never started or joined here, or it ended (ended exercises are archived, read-only), or it is paused where a running one is needed.',
    action: 'Check the exercise id and its status (`GET /api/v1/exercises`); resume it if it is paused.',
    surfaces: ['api', 'cli'],
  },
  ERR_EXERCISE_INJECT_FIRED: {
    status: 409,
    title: 'Inject already fired',
    meaning: 'This inject of the exercise has already fired (by its time or by hand); an inject fires once.',
    action: 'Nothing to do; add an unscripted manual inject if the players need another message.',
    surfaces: ['api'],
  },
  ERR_EXERCISE_NOT_JOINED: {
    status: 409,
    title: 'Exercise not joined',
    meaning:
      'A federation message marked as exercise traffic names an exercise this node has not joined (or has ended): it is refused and audited, so exercise traffic never touches real work.',
    action:
      'The receiving node joins the exercise with the same scenario file, or the sending node stops sending exercise traffic to it.',
    surfaces: ['federation', 'outbox'],
  },
  ERR_EXERCISE_FOLLOWS_CONTROLLER: {
    status: 409,
    title: "Clock driven by the controller's node",
    meaning:
      "This node joined the exercise naming the controller's node: its exercise clock follows that node's pause, resume and jumps, which arrive over federation, so it is not paused, resumed or jumped here.",
    action:
      'Ask the controller to pause, resume or jump the exercise; a node that must drive its own clock joins without `controller`.',
    surfaces: ['api'],
  },
  ERR_STALE: {
    status: 409,
    title: 'Changed meanwhile',
    meaning: 'The request changed since you read it (`expectedVersion` is older than its version).',
    action: 'Read the request again, check the change, and take the step again.',
    surfaces: ['api'],
  },
  ERR_NOT_DRAFT: {
    status: 409,
    title: 'Not a draft',
    meaning: 'Only a draft can be edited; this request has left the draft status.',
    action: 'Take a step instead (for instance ask for information or withdraw).',
    surfaces: ['api'],
  },
  ERR_NOT_PRESERVED: {
    status: 409,
    title: 'No preservation yet',
    meaning: 'The step extends a preservation, but this request has no preservation expiry yet.',
    action: 'Record the preservation first, then extend it.',
    surfaces: ['api'],
  },
  ERR_NO_NODE_SECRET: {
    status: 409,
    title: 'Node secret not set',
    meaning:
      'Identifiers are stored as keyed hashes under HANOI247_KEY_SECRET, which this node does not have.',
    action:
      'The operator sets HANOI247_KEY_SECRET and restarts the node; until then send the request without identifiers.',
    surfaces: ['api', 'cli'],
  },
  ERR_UNKNOWN_PARTY: {
    status: null,
    title: 'Unknown State',
    meaning:
      'A State or organisation code is not listed in the directory (the API answers it as ERR_VALIDATION on the field).',
    action: 'Use an ISO 3166-1 alpha-2 code the directory lists (`hanoi247 directory show`).',
    surfaces: ['cli'],
  },
  ERR_SAME_PARTY: {
    status: null,
    title: 'Same State on both sides',
    meaning: 'Requesting and requested State are the same (the API answers it as ERR_VALIDATION).',
    action: 'Name the other State as the requested one.',
    surfaces: ['cli'],
  },
  ERR_INVALID_DATE: {
    status: null,
    title: 'Not a date',
    meaning: 'A date is not a calendar date YYYY-MM-DD (the API answers it as ERR_VALIDATION).',
    action: 'Give the date as YYYY-MM-DD.',
    surfaces: ['cli'],
  },

  // — Directory of Parties and its signature —
  ERR_DIRECTORY_UNSIGNED: {
    status: 400,
    title: 'Directory not signed',
    meaning:
      'This node trusts publisher keys, and the directory offered is not signed (or, as a refusal reason, the version in force was kept without its signature).',
    action: 'Import the directory signed by its publisher (`hanoi247 directory sign`).',
    surfaces: ['api', 'cli'],
  },
  ERR_DIRECTORY_NO_TRUST_ANCHOR: {
    status: 400,
    title: 'No trust anchor',
    meaning: 'A signed directory was offered, but this node trusts no publisher key yet.',
    action: 'Set HANOI247_DIRECTORY_PUBLISHER_KEYS to the publisher key and restart, then import again.',
    surfaces: ['api', 'cli'],
  },
  ERR_DIRECTORY_SIGNATURE: {
    status: 400,
    title: 'Directory signature not valid',
    meaning:
      'The signed directory is not a compact JWS, or its signature does not verify (an altered document).',
    action: 'Get the document again from its publisher; do not import an altered copy.',
    surfaces: ['api', 'cli'],
  },
  ERR_DIRECTORY_PUBLISHER_UNKNOWN: {
    status: 400,
    title: 'Publisher key unknown',
    meaning: 'The directory is signed by a key that is not among this node’s trust anchors.',
    action:
      'Check who signed it; add the publisher’s new key to HANOI247_DIRECTORY_PUBLISHER_KEYS only if it is genuine.',
    surfaces: ['api', 'cli'],
  },
  ERR_DIRECTORY_PUBLISHER_REVOKED: {
    status: 400,
    title: 'Publisher key revoked',
    meaning: 'The directory is signed by a publisher key that is revoked.',
    action: 'Get a directory signed with the publisher’s current key.',
    surfaces: ['api', 'cli'],
  },
  ERR_DIRECTORY_PUBLISHER_EXPIRED: {
    status: 400,
    title: 'Publisher key out of validity',
    meaning: 'The directory is signed by a publisher key outside its validity period.',
    action: 'Get a directory signed with the publisher’s current key.',
    surfaces: ['api', 'cli'],
  },
  ERR_DIRECTORY_EXPIRED: {
    status: 400,
    title: 'Directory expired',
    meaning: 'The directory document is past its `validUntil`.',
    action: 'Fetch or import the newer directory the publisher issued.',
    surfaces: ['api', 'cli'],
  },
  ERR_DIRECTORY_ROLLBACK: {
    status: 400,
    title: 'Older directory',
    meaning:
      'The signed directory was issued before the one in force: importing it would roll the directory back.',
    action: 'Import the newest directory; an old copy is refused on purpose.',
    surfaces: ['api', 'cli'],
  },
  ERR_DIRECTORY_NO_URL: {
    status: 400,
    title: 'No directory URL',
    meaning: 'A fetch was asked, but HANOI247_DIRECTORY_URL is not configured.',
    action: 'Set HANOI247_DIRECTORY_URL, or import the directory from a file.',
    surfaces: ['api', 'cli'],
  },
  ERR_DIRECTORY_FETCH: {
    status: 502,
    title: 'Directory fetch failed',
    meaning: 'The directory URL did not answer, or answered neither a signed directory nor JSON.',
    action: 'Check HANOI247_DIRECTORY_URL and the publisher’s server; the directory in force stays in use.',
    surfaces: ['api', 'cli'],
  },
  ERR_DIRECTORY_NOT_SIGNED: {
    status: 404,
    title: 'No signed document kept',
    meaning: 'That directory version was imported unsigned (or before signed documents were kept).',
    action: 'Import the same document signed to keep its signature with it.',
    surfaces: ['api', 'cli'],
  },
  ERR_DIRECTORY_UNTRUSTED: {
    status: 503,
    title: 'Directory in force untrusted',
    meaning:
      'The directory in force no longer verifies against the trust anchors; `reason` gives the ERR_DIRECTORY_… code why. Nothing that needs the directory is done.',
    action:
      'The operator imports or fetches a newer signed directory, or restores the publisher key in the anchors.',
    surfaces: ['api', 'federation', 'cli'],
  },

  // — Node keys and storage (mostly CLI and start-up) —
  ERR_NO_KEY_SECRET: {
    status: null,
    title: 'Key secret not set',
    meaning:
      'HANOI247_KEY_SECRET is not set: the node cannot unlock its private keys, nor write its sealed audit log.',
    action: 'Set HANOI247_KEY_SECRET to the operator secret and run the command again.',
    surfaces: ['cli'],
  },
  ERR_NO_DATA: {
    status: null,
    title: 'No node here',
    meaning:
      'A command that only reads found no node: no DATABASE_URL, and no data folder where HANOI247_DATA_DIR points (default ./data).',
    action:
      "Set HANOI247_DATA_DIR to the node's data folder (or DATABASE_URL to its database), or create a node with `hanoi247 init`.",
    surfaces: ['cli'],
  },
  ERR_NO_DIRECTORY: {
    status: null,
    title: 'No directory loaded',
    meaning: 'The node has no directory of Parties yet, so it cannot say which legal basis applies.',
    action:
      'Import one with `hanoi247 directory import FILE` or `hanoi247 directory fetch URL`, or start the demo.',
    surfaces: ['cli'],
  },
  ERR_WRONG_KEY_SECRET: {
    status: null,
    title: 'Wrong key secret',
    meaning: 'HANOI247_KEY_SECRET does not unlock this node’s private keys.',
    action: 'Use the secret the keys were created with.',
    surfaces: ['cli'],
  },
  ERR_NO_NODE_KEYS: {
    status: null,
    title: 'No node keys',
    meaning: 'This node has no keys yet.',
    action: 'Run `hanoi247 init` with HANOI247_KEY_SECRET set.',
    surfaces: ['cli'],
  },
  ERR_KEY_REVOKED: {
    status: null,
    title: 'Key set revoked already',
    meaning: 'The key set is revoked already.',
    action: 'Nothing to do; `hanoi247 keys list` shows the key sets.',
    surfaces: ['cli'],
  },
  ERR_LAST_KEY: {
    status: null,
    title: 'Last key set',
    meaning: 'This key set is the only usable one: revoking it would leave the node unable to sign.',
    action: 'Run `hanoi247 keys rotate` first, then revoke the old key set.',
    surfaces: ['cli'],
  },
  ERR_DATA_DIR_BUSY: {
    status: null,
    title: 'Data folder in use',
    meaning: 'Another hanoi247 process holds the embedded database folder.',
    action: 'Stop that node first, use its API instead, or use PostgreSQL (DATABASE_URL).',
    surfaces: ['cli'],
  },
  ERR_SIGNATURE: {
    status: null,
    title: 'Signature not valid',
    meaning:
      'A signature did not verify; it always becomes ERR_PEER_SIGNATURE, ERR_PEER_RECEIPT or ERR_DIRECTORY_SIGNATURE.',
    action: 'See the code it became.',
    surfaces: ['internal'],
  },

  // — Federation: what a receiving node answers a peer —
  ERR_PEER_ENVELOPE: {
    status: 400,
    title: 'Envelope not readable',
    meaning: 'The body is not a compact JWE to this node, is truncated, or was altered.',
    action: 'Dead letter: check the sender’s encryption key for this node against the directory.',
    surfaces: ['federation'],
  },
  ERR_PEER_SIGNATURE: {
    status: 401,
    title: 'Message signature not valid',
    meaning: 'The message’s signature does not verify with the sender’s keys in this node’s directory.',
    action: 'Dead letter: the sender’s current signing key must be in the published directory.',
    surfaces: ['federation'],
  },
  ERR_PEER_UNKNOWN: {
    status: 401,
    title: 'Unknown node',
    meaning: 'The sending (or, recorded by the sender, the receiving) State has no node in the directory.',
    action: 'The directory must list the node; update the directory on both sides.',
    surfaces: ['federation', 'outbox'],
  },
  ERR_PEER_HEADER: {
    status: 400,
    title: 'Message header not valid',
    meaning: 'The protected header of the message is missing a field or has a wrong one.',
    action: 'Dead letter: a bug or a version mismatch in the sending node.',
    surfaces: ['federation'],
  },
  ERR_PEER_RECIPIENT: {
    status: 400,
    title: 'Message for another node',
    meaning: 'The message (or batch) is addressed to another node.',
    action: 'Dead letter: check the node URL the directory lists for the recipient.',
    surfaces: ['federation'],
  },
  ERR_PEER_EXPIRED: {
    status: 400,
    title: 'Message expired',
    meaning: 'The message is past its expiry time.',
    action: 'Dead letter; the officer takes the step again if it is still needed.',
    surfaces: ['federation'],
  },
  ERR_PEER_CLOCK_SKEW: {
    status: 400,
    title: 'Clock ahead',
    meaning: 'The message is dated more than 5 minutes ahead of this node’s clock.',
    action: 'Fix the sending node’s clock (NTP); the message is retried.',
    surfaces: ['federation'],
  },
  ERR_PEER_REPLAY: {
    status: 409,
    title: 'Replay',
    meaning: 'A message with this id was received already with a different content.',
    action: 'Dead letter: a message id is never reused; investigate the sender.',
    surfaces: ['federation'],
  },
  ERR_PEER_OUT_OF_ORDER: {
    status: 409,
    title: 'Earlier message missing',
    meaning: 'An earlier message of the same request has not arrived yet; `expectedSeq` names it.',
    action: RETRY_LATER,
    surfaces: ['federation'],
  },
  ERR_PEER_PROTOCOL: {
    status: 422,
    title: 'Message cannot be applied',
    meaning:
      'The message is well signed but cannot be applied (an unknown request, a step not allowed there, a RED alert…).',
    action:
      'Dead letter: the `detail` says why; the two nodes’ copies differ and need a look by their operators.',
    surfaces: ['federation'],
  },
  ERR_PEER_TOO_LARGE: {
    status: 413,
    title: 'Message too large',
    meaning: 'A federation message or batch is over the 10 MB limit.',
    action: 'The sender splits batches by itself; a single message that large is a dead letter.',
    surfaces: ['federation'],
  },

  // — Federation: what the sender records on an outgoing message —
  ERR_PEER_NO_KEY: {
    status: null,
    title: 'No encryption key for the partner',
    meaning: 'The directory lists no valid encryption key for the receiving node.',
    action: 'Update the directory with the partner’s entry; then retry the dead letter.',
    surfaces: ['outbox'],
  },
  ERR_PEER_UNREACHABLE: {
    status: null,
    title: 'Partner unreachable',
    meaning: 'The receiving node did not answer (network error or timeout).',
    action: RETRY_LATER,
    surfaces: ['outbox'],
  },
  ERR_SEND: {
    status: null,
    title: 'Sending failed',
    meaning: 'Sending the message failed before an answer came back.',
    action: RETRY_LATER,
    surfaces: ['outbox'],
  },
  ERR_PEER_RECEIPT: {
    status: null,
    title: 'Receipt not valid',
    meaning:
      'The partner answered without a receipt, or its receipt’s signature or content does not match the message.',
    action: RETRY_LATER,
    surfaces: ['outbox'],
  },
  ERR_NOT_DEAD_LETTER: {
    status: 409,
    title: 'Not a dead letter',
    meaning: 'Only a dead letter can be retried; this message is in another status.',
    action: 'List the dead letters (GET /api/v1/federation/dead-letters) and retry one of them.',
    surfaces: ['api'],
  },

  // — Early-warning hub —
  ERR_HUB_NO_ORG: {
    status: 403,
    title: 'No member organisation',
    meaning: 'Your account belongs to no member organisation of the hub.',
    action: 'An administrator adds your account to its organisation.',
    surfaces: ['api', 'cli'],
  },
  ERR_HUB_NOT_GROUP_MEMBER: {
    status: 403,
    title: 'Not in the sharing group',
    meaning: 'Your organisation is not a member of this sharing group.',
    action: 'Use a group your organisation belongs to, or ask an administrator to add it.',
    surfaces: ['api', 'cli'],
  },
  ERR_HUB_NOT_PUBLISHER: {
    status: 403,
    title: 'Not the publisher',
    meaning: 'Only the organisation that published an alert changes or revokes it.',
    action: 'Report a sighting or a false positive instead.',
    surfaces: ['api'],
  },
  ERR_HUB_STALE: {
    status: 409,
    title: 'Alert changed meanwhile',
    meaning: 'The alert changed since you read it.',
    action: 'Read the alert again and make the change again.',
    surfaces: ['api'],
  },
  ERR_HUB_REVOKED: {
    status: 409,
    title: 'Alert revoked',
    meaning: 'A revoked alert cannot change, and cannot be revoked again.',
    action: 'Publish a new alert if needed.',
    surfaces: ['api'],
  },
  ERR_HUB_MEMBER: {
    status: 409,
    title: 'Member of another organisation',
    meaning: 'The user belongs to another organisation already.',
    action: 'Remove the user from that organisation first.',
    surfaces: ['api'],
  },
  ERR_TOO_MANY_VALUES: {
    status: 413,
    title: 'Too many values',
    meaning: 'A bulk check has more values than one call takes; `limit` gives the maximum.',
    action: 'Split the check into calls of at most `limit` values.',
    surfaces: ['api'],
  },

  // — The web desk's own —
  ERR_NETWORK: {
    status: null,
    title: 'Node not reachable',
    meaning: 'The web desk got no answer from its node (network down, node stopped).',
    action: 'Check the connection and try again.',
    surfaces: ['desk'],
  },
  ERR_HTTP: {
    status: null,
    title: 'Unexpected answer',
    meaning: 'The node answered an error without a problem body (a proxy in between, for instance).',
    action: 'Try again; report it to the node operator if it persists.',
    surfaces: ['desk'],
  },
} as const satisfies Record<`ERR_${string}`, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** The entry of `code`, or undefined for a code the catalogue does not list. */
export function catalogueEntry(code: string): CatalogueEntry | undefined {
  return Object.hasOwn(ERROR_CATALOGUE, code) ? ERROR_CATALOGUE[code as ErrorCode] : undefined;
}

/** The `type` of a problem body with this code: a path on the node that answered it. */
export function problemType(code: string): string {
  return `${PROBLEM_TYPE_PATH}${code}`;
}
