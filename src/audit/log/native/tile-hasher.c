/*
 * The hashing of one full tile of the audit log, for `flowguard audit verify`: from the 256 salted
 * entries of a tile, the entry bundle, the 256 RFC 6962 leaf hashes and the tile's root that the
 * stored log must hold (src/audit/log/tile-hasher.ts says how it is used and what it replaces).
 *
 * Why native code: verifying an entry takes three SHA-256 calls (its commitment, its leaf hash and,
 * on average, one node hash). Through node:crypto each call costs about 0.25 us before a byte is
 * hashed; here a whole tile is one call. The hashing itself is OpenSSL's, the copy linked into
 * Node.js (which exports its symbols to addons): nothing cryptographic is written here.
 *
 * SHA256_Init/Update/Final rather than the one-shot SHA256(): in OpenSSL 3 the one-shot goes through
 * EVP_Q_digest and fetches the algorithm by name on every call, which costs more than the hashing
 * of a leaf. The low-level calls are deprecated in OpenSSL 3 but present in every 3.x release.
 */
#include <node_api.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <string.h>

#define TILE_WIDTH 256
#define HASH_SIZE 32
/* base64 of a SHA-256 digest: 44 characters, the last one '='. */
#define DIGEST_BASE64 44
#define MAX_PREFIX 64

static const char BASE64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void sha256(const uint8_t *data, size_t length, uint8_t *digest) {
  SHA256_CTX context;
  SHA256_Init(&context);
  SHA256_Update(&context, data, length);
  SHA256_Final(digest, &context);
}

static void base64_digest(const uint8_t digest[HASH_SIZE], uint8_t *out) {
  int o = 0;
  for (int i = 0; i + 3 <= HASH_SIZE; i += 3) {
    uint32_t v = ((uint32_t)digest[i] << 16) | ((uint32_t)digest[i + 1] << 8) | digest[i + 2];
    out[o++] = BASE64[v >> 18];
    out[o++] = BASE64[(v >> 12) & 63];
    out[o++] = BASE64[(v >> 6) & 63];
    out[o++] = BASE64[v & 63];
  }
  uint32_t v = ((uint32_t)digest[30] << 16) | ((uint32_t)digest[31] << 8);
  out[o++] = BASE64[v >> 18];
  out[o++] = BASE64[(v >> 12) & 63];
  out[o++] = BASE64[(v >> 6) & 63];
  out[o] = '=';
}

/* The bytes of a Uint8Array or Int32Array argument, or 0 if it is neither. */
static int bytes_of(napi_env env, napi_value value, napi_typedarray_type want, uint8_t **data, size_t *length) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return 0;
  napi_typedarray_type type;
  size_t elements;
  void *start;
  if (napi_get_typedarray_info(env, value, &type, &elements, &start, NULL, NULL) != napi_ok || type != want) return 0;
  *data = start;
  *length = elements * (want == napi_int32_array ? 4 : 1);
  return 1;
}

/*
 * hashTile(salted, lengths, prefix, bundleOut, leafHashesOut, rootOut) -> bytes written to bundleOut
 *
 * salted: salt ‖ entry of the tile's 256 leaves, concatenated; lengths: Int32Array(256), the length
 * of each; prefix: the commitment's version tag. Writes the entry bundle (uint16 big-endian length,
 * then `prefix ‖ base64(SHA-256(salt ‖ entry))`, per leaf), the 256 leaf hashes SHA-256(0x00 ‖
 * commitment) and the root of the tile (RFC 6962 MTH of the leaf hashes). Returns -1 without a
 * result when the lengths do not add up to the salted bytes; throws a TypeError for wrong arguments.
 */
static napi_value hash_tile(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_value result;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  uint8_t *salted, *length_bytes, *prefix, *bundle, *leaves, *root;
  size_t salted_size, lengths_size, prefix_size, bundle_size, leaves_size, root_size;
  if (argc < 6
      || !bytes_of(env, argv[0], napi_uint8_array, &salted, &salted_size)
      || !bytes_of(env, argv[1], napi_int32_array, &length_bytes, &lengths_size)
      || !bytes_of(env, argv[2], napi_uint8_array, &prefix, &prefix_size)
      || !bytes_of(env, argv[3], napi_uint8_array, &bundle, &bundle_size)
      || !bytes_of(env, argv[4], napi_uint8_array, &leaves, &leaves_size)
      || !bytes_of(env, argv[5], napi_uint8_array, &root, &root_size)) {
    napi_throw_type_error(env, NULL, "hashTile(salted, lengths, prefix, bundleOut, leafHashesOut, rootOut): Uint8Arrays, lengths an Int32Array");
    return NULL;
  }
  const size_t commitment_size = prefix_size + DIGEST_BASE64;
  if (lengths_size != 4 * TILE_WIDTH || prefix_size > MAX_PREFIX || bundle_size < TILE_WIDTH * (2 + commitment_size)
      || leaves_size < TILE_WIDTH * HASH_SIZE || root_size < HASH_SIZE) {
    napi_throw_range_error(env, NULL, "hashTile: lengths must hold 256 values, prefix at most 64 bytes, the outputs room for a tile");
    return NULL;
  }
  const int32_t *lengths = (const int32_t *)length_bytes;
  size_t total = 0;
  for (int k = 0; k < TILE_WIDTH; k++) {
    if (lengths[k] <= 0) total = SIZE_MAX;
    if (total == SIZE_MAX) break;
    total += (size_t)lengths[k];
  }
  if (total != salted_size) {
    napi_create_int32(env, -1, &result);
    return result;
  }

  /* leaf_input = 0x00 ‖ prefix ‖ base64 digest; the commitment is all of it but the first byte. */
  uint8_t leaf_input[1 + MAX_PREFIX + DIGEST_BASE64];
  leaf_input[0] = 0x00;
  memcpy(leaf_input + 1, prefix, prefix_size);
  uint8_t digest[HASH_SIZE];
  size_t at = 0;
  uint8_t *bundle_at = bundle;
  for (int k = 0; k < TILE_WIDTH; k++) {
    sha256(salted + at, (size_t)lengths[k], digest);
    at += (size_t)lengths[k];
    base64_digest(digest, leaf_input + 1 + prefix_size);
    bundle_at[0] = (uint8_t)(commitment_size >> 8);
    bundle_at[1] = (uint8_t)(commitment_size & 0xff);
    memcpy(bundle_at + 2, leaf_input + 1, commitment_size);
    bundle_at += 2 + commitment_size;
    sha256(leaf_input, 1 + commitment_size, leaves + k * HASH_SIZE);
  }

  /* The tile's root, level by level: the parents of a level overwrite the start of `level`, and
   * pair i is read before its parent lands at i, which no later pair reads. */
  uint8_t level[TILE_WIDTH / 2 * HASH_SIZE];
  uint8_t node_input[1 + 2 * HASH_SIZE];
  node_input[0] = 0x01;
  const uint8_t *children = leaves;
  for (int width = TILE_WIDTH / 2; width >= 1; width /= 2) {
    for (int i = 0; i < width; i++) {
      memcpy(node_input + 1, children + 2 * i * HASH_SIZE, 2 * HASH_SIZE);
      sha256(node_input, sizeof node_input, width == 1 ? root : level + i * HASH_SIZE);
    }
    children = level;
  }
  napi_create_int32(env, (int32_t)(bundle_at - bundle), &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value hash_tile_function;
  if (napi_create_function(env, "hashTile", NAPI_AUTO_LENGTH, hash_tile, NULL, &hash_tile_function) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "hashTile", hash_tile_function) != napi_ok) return NULL;
  return exports;
}
