// The two hot loops of `audit verify`, for Node.js as an N-API addon (scripts/build-native.ts builds
// it at install; src/crypto/native-audit-hash.ts loads it, and without it the same work is done in
// TypeScript, the reference this code is tested against).
//
// Why native: verification makes three SHA-256 per entry (leaf, chain link, Merkle node) of 65 to 250
// bytes. Through node:crypto each call costs some 400-500 ns of call overhead against about 130 ns of
// hashing, and writing each leaf's canonical JSON byte by byte in JavaScript costs about 2 ns a byte:
// on a 2-core machine that kept `audit verify` of 1,000,000 entries on PostgreSQL above 2 s. The hashing
// here is OpenSSL's, the copy node:crypto uses, resolved from the running Node.js process when the
// addon loads (Node.js exports its OpenSSL symbols for addons); no second SHA-256 is involved.
//
// Every input is bounds-checked before a byte is read. copySegment answers only "this batch is
// exactly as expected": on anything else (a byte that JSON would escape, a NULL, a time outside years
// 1..9999, a hash that differs) it returns -2 and the TypeScript checker decides, so a problem is
// always named by the reference code.
#include <node_api.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <string.h>

static napi_value fail(napi_env env, const char *message) {
  napi_throw_range_error(env, NULL, message);
  return NULL;
}

static int bytes_of(napi_env env, napi_value value, napi_typedarray_type want, void **data,
                    size_t *length) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return 0;
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset) != napi_ok) return 0;
  return type == want;
}

// ---- sha256Each(data, ends, out) ----
// The SHA-256 of each consecutive slice of `data`, the i-th ending at ends[i] (the first starts at 0),
// written to out[32 i .. 32 i + 32): the Merkle levels of a batch, a call per level.
static napi_value sha256_each(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 3)
    return fail(env, "sha256Each(data, ends, out): three arguments");
  uint8_t *data;
  uint32_t *ends;
  uint8_t *out;
  size_t data_length, count, out_length;
  if (!bytes_of(env, argv[0], napi_uint8_array, (void **)&data, &data_length))
    return fail(env, "sha256Each: data must be a Uint8Array");
  if (!bytes_of(env, argv[1], napi_uint32_array, (void **)&ends, &count))
    return fail(env, "sha256Each: ends must be a Uint32Array");
  if (!bytes_of(env, argv[2], napi_uint8_array, (void **)&out, &out_length))
    return fail(env, "sha256Each: out must be a Uint8Array");
  if (out_length / SHA256_DIGEST_LENGTH < count) return fail(env, "sha256Each: out is too short");
  size_t start = 0;
  for (size_t i = 0; i < count; i++) {
    if (ends[i] < start || ends[i] > data_length)
      return fail(env, "sha256Each: ends must rise and stay within data");
    start = ends[i];
  }
  start = 0;
  for (size_t i = 0; i < count; i++) {
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, data + start, ends[i] - start);
    SHA256_Final(out + SHA256_DIGEST_LENGTH * i, &context);
    start = ends[i];
  }
  return NULL;
}

// ---- copySegment(batch, from, leaves, chains) ----
// `batch` is one binary COPY of
//   SELECT seq, at, actor, action, object_type, object_id, payload_hash, leaf_hash, chain_hash
// as its CopyData messages ('d', int32 length, payload), the file header with the first tuple, one
// tuple per message, the trailer alone: the form check-binary-batch.ts reads, checked the same way.
// For each entry (sequence numbers from `from` up) it writes the canonical leaf bytes, hashes them into
// leaves[32 i ..], and checks the stored leaf hash and every chain link after the first. It writes the
// first and the last stored chain hashes (hex) to chains[0..64) and chains[64..128). Returns the number
// of entries, or -2 for anything else, which the TypeScript checker then decides.

#define NOT_PLAIN (-2)
#define HEX 64
#define LEAF_ROOM 8192

static const char HEX_DIGITS[] = "0123456789abcdef";
static const uint8_t SIGNATURE[11] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xff, '\r', '\n', 0};

static int32_t int32_at(const uint8_t *p) {
  return (int32_t)(((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3]);
}

static int64_t int64_at(const uint8_t *p) {
  return (int64_t)(((uint64_t)(uint32_t)int32_at(p) << 32) | (uint32_t)int32_at(p + 4));
}

/** The end of the CopyData message at `at` into *end; 0 when there is none there. */
static int message_end(const uint8_t *b, size_t length, size_t at, size_t *end) {
  if (at + 5 > length || b[at] != 'd') return 0;
  int32_t size = int32_at(b + at + 1);
  if (size < 4 || (size_t)size > length - at - 1) return 0;
  *end = at + 1 + (size_t)size;
  return 1;
}

static void sha256(const uint8_t *data, size_t length, uint8_t *digest) {
  SHA256_CTX context;
  SHA256_Init(&context);
  SHA256_Update(&context, data, length);
  SHA256_Final(digest, &context);
}

static int same_as_hex(const uint8_t *digest, const uint8_t *hex) {
  for (int i = 0; i < 32; i++) {
    if (hex[2 * i] != HEX_DIGITS[digest[i] >> 4] || hex[2 * i + 1] != HEX_DIGITS[digest[i] & 15]) return 0;
  }
  return 1;
}

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static uint8_t *put_digits(uint8_t *w, int64_t value, int width) {
  for (int i = width - 1; i >= 0; i--) {
    w[i] = (uint8_t)('0' + value % 10);
    value /= 10;
  }
  return w + width;
}

/** Writes ms since 1970 as toISOString does ('YYYY-MM-DDTHH:MM:SS.sssZ'); NULL outside years 1..9999. */
static uint8_t *put_iso(uint8_t *w, int64_t ms) {
  // Days to civil date: H. Hinnant's algorithm, exact over the proleptic Gregorian calendar.
  int64_t days = floor_div(ms, 86400000);
  int64_t in_day = ms - days * 86400000;
  int64_t z = days + 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t day = doy - (153 * mp + 2) / 5 + 1;
  int64_t month = mp < 10 ? mp + 3 : mp - 9;
  int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 1 || year > 9999) return NULL;
  w = put_digits(w, year, 4);
  *w++ = '-';
  w = put_digits(w, month, 2);
  *w++ = '-';
  w = put_digits(w, day, 2);
  *w++ = 'T';
  w = put_digits(w, in_day / 3600000, 2);
  *w++ = ':';
  w = put_digits(w, in_day / 60000 % 60, 2);
  *w++ = ':';
  w = put_digits(w, in_day / 1000 % 60, 2);
  *w++ = '.';
  w = put_digits(w, in_day % 1000, 3);
  *w++ = 'Z';
  return w;
}

/** Copies a text field that JSON writes as it is (printable ASCII but quote and backslash); NULL otherwise. */
static uint8_t *put_plain(uint8_t *w, const uint8_t *text, int32_t length) {
  for (int32_t i = 0; i < length; i++) {
    uint8_t c = text[i];
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return NULL;
  }
  memcpy(w, text, (size_t)length);
  return w + length;
}

#define PUT_KEY(w, key) (memcpy((w), (key), sizeof(key) - 1), (w) + sizeof(key) - 1)

static napi_value number(napi_env env, double value) {
  napi_value out;
  napi_create_double(env, value, &out);
  return out;
}

static napi_value copy_segment(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 4)
    return fail(env, "copySegment(batch, from, leaves, chains): four arguments");
  uint8_t *b, *leaves, *chains;
  size_t length, leaves_length, chains_length;
  int64_t from;
  if (!bytes_of(env, argv[0], napi_uint8_array, (void **)&b, &length))
    return fail(env, "copySegment: batch must be a Uint8Array");
  if (napi_get_value_int64(env, argv[1], &from) != napi_ok || from < 1)
    return fail(env, "copySegment: from must be a positive integer");
  if (!bytes_of(env, argv[2], napi_uint8_array, (void **)&leaves, &leaves_length))
    return fail(env, "copySegment: leaves must be a Uint8Array");
  if (!bytes_of(env, argv[3], napi_uint8_array, (void **)&chains, &chains_length) || chains_length < 2 * HEX)
    return fail(env, "copySegment: chains must be a Uint8Array of 128 bytes or more");
  const size_t capacity = leaves_length / 32;

  size_t end;
  if (!message_end(b, length, 0, &end) || end < 5 + 19) return number(env, NOT_PLAIN);
  if (memcmp(b + 5, SIGNATURE, sizeof SIGNATURE) != 0 || int32_at(b + 16) != 0) return number(env, NOT_PLAIN);
  int32_t extension = int32_at(b + 20);
  if (extension < 0 || (size_t)extension > end - 24) return number(env, NOT_PLAIN);
  size_t pos = 24 + (size_t)extension;

  uint8_t leaf[LEAF_ROOM];
  uint8_t link[2 * HEX];
  uint8_t digest[32];
  const uint8_t *last_chain = NULL;
  int64_t seq = from;
  size_t n = 0;
  for (;;) {
    if (pos == end) {
      if (!message_end(b, length, pos, &end)) return number(env, NOT_PLAIN);
      pos += 5;
    }
    if (end - pos < 2) return number(env, NOT_PLAIN);
    int16_t count = (int16_t)((b[pos] << 8) | b[pos + 1]);
    if (count == -1) {
      if (pos + 2 != end || end != length) return number(env, NOT_PLAIN);
      break;
    }
    if (count != 9 || n >= capacity) return number(env, NOT_PLAIN);
    size_t p = pos + 2;
    // seq bigint and at timestamptz, 8 bytes each after their length.
    if (end - p < 24 || int32_at(b + p) != 8 || int32_at(b + p + 12) != 8) return number(env, NOT_PLAIN);
    if (int64_at(b + p + 4) != seq) return number(env, NOT_PLAIN);
    int64_t micros = int64_at(b + p + 16);
    p += 24;
    // actor, action, object_type, object_id, payload_hash, then the two stored hashes.
    const uint8_t *text[7];
    int32_t text_length[7];
    size_t total = 0;
    for (int f = 0; f < 7; f++) {
      if (end - p < 4) return number(env, NOT_PLAIN);
      int32_t size = int32_at(b + p);
      if (size < 0 || (size_t)size > end - p - 4) return number(env, NOT_PLAIN);
      text[f] = b + p + 4;
      text_length[f] = size;
      total += (size_t)size;
      p += 4 + (size_t)size;
    }
    if (text_length[5] != HEX || text_length[6] != HEX || total > LEAF_ROOM - 256) return number(env, NOT_PLAIN);
    pos = p;

    // The canonical JSON, keys in sorted order, as auditLeafHashBytes writes it.
    uint8_t *w = leaf;
    *w++ = 0;
    w = PUT_KEY(w, "{\"action\":\"");
    if (!(w = put_plain(w, text[1], text_length[1]))) return number(env, NOT_PLAIN);
    w = PUT_KEY(w, "\",\"actor\":\"");
    if (!(w = put_plain(w, text[0], text_length[0]))) return number(env, NOT_PLAIN);
    w = PUT_KEY(w, "\",\"at\":\"");
    if (!(w = put_iso(w, floor_div(micros, 1000) + 946684800000LL))) return number(env, NOT_PLAIN);
    w = PUT_KEY(w, "\",\"objectId\":\"");
    if (!(w = put_plain(w, text[3], text_length[3]))) return number(env, NOT_PLAIN);
    w = PUT_KEY(w, "\",\"objectType\":\"");
    if (!(w = put_plain(w, text[2], text_length[2]))) return number(env, NOT_PLAIN);
    w = PUT_KEY(w, "\",\"payloadHash\":\"");
    if (!(w = put_plain(w, text[4], text_length[4]))) return number(env, NOT_PLAIN);
    w = PUT_KEY(w, "\",\"seq\":");
    int digits = 1;
    for (int64_t rest = seq / 10; rest > 0; rest /= 10) digits++;
    w = put_digits(w, seq, digits);
    *w++ = '}';
    sha256(leaf, (size_t)(w - leaf), leaves + 32 * n);
    if (!same_as_hex(leaves + 32 * n, text[5])) return number(env, NOT_PLAIN);

    // The link: the stored chain hash before, then this leaf's stored (now proved) hash, both hex.
    if (n == 0) {
      memcpy(chains, text[6], HEX);
    } else {
      memcpy(link + HEX, text[5], HEX);
      sha256(link, sizeof link, digest);
      if (!same_as_hex(digest, text[6])) return number(env, NOT_PLAIN);
    }
    memcpy(link, text[6], HEX);
    last_chain = text[6];
    n++;
    seq++;
  }
  if (n == 0) return number(env, NOT_PLAIN);
  memcpy(chains + HEX, last_chain, HEX);
  return number(env, (double)n);
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_value fn;
  if (napi_create_function(env, "sha256Each", NAPI_AUTO_LENGTH, sha256_each, NULL, &fn) != napi_ok)
    return NULL;
  if (napi_set_named_property(env, exports, "sha256Each", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "copySegment", NAPI_AUTO_LENGTH, copy_segment, NULL, &fn) != napi_ok)
    return NULL;
  if (napi_set_named_property(env, exports, "copySegment", fn) != napi_ok) return NULL;
  return exports;
}
