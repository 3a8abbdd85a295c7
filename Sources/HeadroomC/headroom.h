/*
 * headroom.h — the C interface to Headroom's Swift core (libheadroom.so).
 *
 * The contract for every language binding (the Python package `headroom` uses
 * it through ctypes). ABI version 2: hr_abi_version() returns it; a binding
 * refuses a library whose version differs from the one it was written for.
 *
 * Conventions
 * - Every function but hr_abi_version and hr_last_error returns a status:
 *   HR_OK (0) on success, a negative HR_E_* code on failure. On failure the
 *   message is kept per thread and read with hr_last_error().
 * - No Swift error and no Swift trap crosses this boundary: NULL pointers,
 *   negative sizes and malformed JSON give HR_E_ARGUMENT, never a crash.
 * - Strings in are NUL-terminated UTF-8 and borrowed for the call only.
 *   Strings out (char **out) are allocated by the library; the caller frees
 *   each with hr_string_free(). *out is NULL on failure.
 * - Handles (hr_search, hr_cache, hr_sampler) are opaque; each is freed with
 *   its own *_free function, once. Unless a function says otherwise, one handle
 *   must not be used from two threads at once; hr_cache_* calls are thread-safe.
 * - All functions may be called from any thread.
 */
#ifndef HEADROOM_H
#define HEADROOM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HR_ABI_VERSION 2

enum {
    HR_OK = 0,
    HR_E_ARGUMENT = -1,   /* a NULL pointer, a negative size, malformed JSON, an unknown name */
    HR_E_FAILED = -2,     /* the operation failed for a reason the message explains (a file, the system) */
    HR_E_EXHAUSTED = -3,  /* hr_search_failed: not even one item fits */
};

/* The ABI version of this library: HR_ABI_VERSION when it matches this header. */
int32_t hr_abi_version(void);

/* The message of the last failed call on this thread, or "" when there was none.
 * Owned by the library; valid until the next call on this thread. */
const char *hr_last_error(void);

/* Frees a string the library returned. NULL is allowed. */
void hr_string_free(char *text);

/* ---- JSON in and out ---------------------------------------------------- */

/* The diagnose JSON contract (as `headroom diagnose --json`) for this process's tree,
 * with recommendations at `level` ("conservative", "balanced", "aggressive", "extreme"; NULL: balanced). */
int32_t hr_diagnose_json(const char *level, char **out);

/* Environment settings as `headroom env --format json`: `framework` is "onnxruntime", "torch",
 * "tensorflow", "jax" or "all" (NULL: all); `gpu_fraction` is NULL or "0.8", "80%", "20GiB";
 * `gpu_index` < 0 means every GPU. */
int32_t hr_settings_json(const char *framework, const char *level, const char *gpu_fraction, int32_t gpu_index,
                         char **out);

/* The plan JSON (as `headroom plan --json`) for the model at `path`. `options_json` is NULL or an
 * object with any of: "training" (bool), "dtype" (string), "sequenceLength" (int), "perItemBytes" (int),
 * "gpuMemoryBytes" (int), "level" (string). */
int32_t hr_plan_json(const char *path, const char *options_json, char **out);

/* ---- Out-of-memory classification ---------------------------------------- */

/* *result = 1 when an exception with this message and type name (either may be NULL) is an
 * out-of-memory error of a framework (CUDA, HIP, MPS, cuDNN, cuBLAS, ONNX Runtime, TensorFlow, JAX), else 0. */
int32_t hr_is_out_of_memory(const char *message, const char *type_name, int32_t *result);

/* ---- Batch-size search ----------------------------------------------------- */

typedef struct hr_search hr_search;

/* A search starting at `start` items, never above `maximum`, growing after `grow_after` successes
 * in a row. start >= 1, maximum >= start, grow_after >= 1. */
int32_t hr_search_new(int64_t start, int64_t maximum, int64_t grow_after, hr_search **out);
/* The size of the next batch, at most `remaining` items (remaining >= 1). */
int32_t hr_search_next(hr_search *search, int64_t remaining, int64_t *size);
/* A batch of `size` items succeeded in `seconds`. */
int32_t hr_search_succeeded(hr_search *search, int64_t size, double seconds);
/* A batch of `size` items ran out of memory: HR_OK to retry smaller, HR_E_EXHAUSTED when one item does not fit. */
int32_t hr_search_failed(hr_search *search, int64_t size);
/* The search so far as JSON: {"outOfMemoryCount", "batches", "items", "seconds"}, and, once known,
 * "largestSuccess", "smallestFailure", "itemsPerSecond" and "settledSize" (the largest success, once the
 * search has stopped bisecting); keys not known yet are left out. */
int32_t hr_search_report_json(const hr_search *search, char **out);
/* Frees the search; NULL is allowed. */
void hr_search_free(hr_search *search);

/* ---- Cache policy (W-TinyLFU over 64-bit key hashes) ---------------------- */

typedef struct hr_cache hr_cache;

/* A policy for entries costing `capacity_bytes` in all (> 0), named `name` in its statistics (NULL: "cache").
 * Thread-safe. From 64 KiB on, the capacity is split into 4 shards, so one entry may cost at most a quarter
 * of it: a larger one is not admitted. */
int32_t hr_cache_new(int64_t capacity_bytes, const char *name, hr_cache **out);
/* Records a read of `key`: *hit = 1 when the policy holds it. */
int32_t hr_cache_get(hr_cache *cache, uint64_t key, int32_t *hit);
/* Records reads of `count` keys at once, as hr_cache_get does one by one: a binding that knows which keys
 * it holds buffers its reads and hands them over in batches, so a read need not cross into the library.
 * Call it before the next hr_cache_put so admission sees the frequencies. */
int32_t hr_cache_touch(hr_cache *cache, const uint64_t *keys, int64_t count);
/* The arguments and results of hr_cache_put, in one block a binding allocates once per cache and reuses
 * under its own lock: through ctypes each argument converted costs more than the policy's decision, and
 * one pointer is the cheapest call. Every field is 8 bytes, at the offsets 0, 8, ..., 64. */
typedef struct hr_cache_put_args {
    hr_cache *cache;           /* in: the cache */
    uint64_t key;              /* in: the key offered */
    int64_t cost;              /* in: its cost in bytes, >= 0 */
    uint64_t *evicted;         /* in: where evicted keys are written (NULL only with evicted_capacity 0) */
    int64_t evicted_capacity;  /* in: room in `evicted`, >= 0 */
    int64_t stored;            /* out: 1 when admitted, else 0 */
    int64_t evicted_count;     /* out: evicted keys waiting in all; more than evicted_capacity means call
                                *      hr_cache_drain_evicted for the rest */
    const uint64_t *reads;     /* in: keys read since the last call, recorded first as hr_cache_touch does, so
                                *      the policy sees the miss that led to this put before the put
                                *      (NULL only with read_count 0) */
    int64_t read_count;        /* in: how many, >= 0 */
} hr_cache_put_args;
/* Offers args->key costing args->cost bytes. The keys evicted to make room, and the key itself when it
 * is not admitted (a refused replacement drops the old value too), are written to args->evicted. */
int32_t hr_cache_put(hr_cache_put_args *args);
/* Evicted keys not yet returned (up to `capacity`); *count says how many were written. */
int32_t hr_cache_drain_evicted(hr_cache *cache, uint64_t *evicted, int64_t capacity, int64_t *count);
/* Forgets `key`. */
int32_t hr_cache_remove(hr_cache *cache, uint64_t key);
/* Evicts until at most `bytes` are held (0 clears); evicted keys are drained as above. */
int32_t hr_cache_trim(hr_cache *cache, int64_t bytes);
/* Statistics as JSON: {"name", "bytes", "capacityBytes", "entries", "hits", "misses", "hitRate", "insertions",
 * "rejections", "evictions", "evictedBytes", "windowShare" (the W-TinyLFU window's share now, 0 to 0.99),
 * "popularShifts" (shifts of the popular set detected, when the policy forgot its frequencies), "sketchBytes",
 * "status"}. */
int32_t hr_cache_stats_json(hr_cache *cache, char **out);
/* Frees the policy; NULL is allowed. */
void hr_cache_free(hr_cache *cache);

/* ---- Content keys ---------------------------------------------------------- */

/* The SHA-256 content key (64 hex characters and a NUL into hex_out, 65 bytes) of `length` bytes at
 * `bytes` (NULL only with length 0) and `parameters_json` (NULL or a flat JSON object of strings,
 * numbers and booleans). *hash64 (may be NULL) gets the key's first 8 bytes read as a little-endian
 * integer, for hr_cache_*. */
int32_t hr_content_key(const void *bytes, int64_t length, const char *parameters_json, char *hex_out,
                       uint64_t *hash64);

/* ---- Sampler (scopes) -------------------------------------------------------- */

typedef struct hr_sampler hr_sampler;

/* Samples process `pid`'s tree (RSS and GPU memory) every `interval_ms` (>= 1) on a background thread. */
int32_t hr_sampler_start(int32_t pid, int64_t interval_ms, hr_sampler **out);
/* Stops sampling and frees the handle (also when `out` is NULL, which is then HR_E_ARGUMENT); *out is JSON: {"rssBeforeBytes", "rssPeakBytes", "rssAfterBytes",
 * "gpuBeforeBytes", "gpuPeakBytes", "gpuAfterBytes" (null without a GPU), "samples", "seconds"}. */
int32_t hr_sampler_stop(hr_sampler *sampler, char **out);

#ifdef __cplusplus
}
#endif
#endif
