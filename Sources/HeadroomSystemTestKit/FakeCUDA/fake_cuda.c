// A fake CUDA driver: a shared library with the driver API functions Headroom
// looks up in libcuda.so.1, scripted by a text file, so tests exercise the
// real dlopen/dlsym path, primary contexts and out-of-memory errors without a
// GPU. FakeCUDA.swift compiles it with
//
//     cc -shared -fPIC -O1 -o libfake.so fake_cuda.c -ldl -lpthread [-DFAKE_CUDA_NO_...]
//
// Written by hand because no package fakes the CUDA driver at the C ABI level.
// It does not include Headroom's header: the types are declared here as
// NVIDIA's cuda.h declares them, so a mistake on either side shows up in tests.
//
// The scenario is read at the first cuInit from "<this library's path>.conf"
// (found with dladdr), so several copies of the library at different paths,
// each dlopened on its own, play different scenarios in one process.
//
// Scenario format: one statement a line; `#` starts a comment; blank lines
// are ignored. Sizes are bytes, or a number with KiB, MiB, GiB or TiB.
//
//   devices 2            how many GPUs (default 1, at most 16); with 0, cuInit
//                        fails with CUDA_ERROR_NO_DEVICE (100), as the driver does
//   total 16GiB          memory on each GPU (default 16GiB)
//   used 1GiB            memory other processes hold on each GPU (default 0)
//   context 300MiB       memory a primary context takes while it is retained
//                        (default 0; the real one takes a few hundred MiB)
//   granularity 2MiB     allocations are rounded up to a multiple of this
//                        (default 2MiB, the driver's large-page size); 1 is exact
//   init_error 999       cuInit fails with this code
//   alloc_error 999      every cuMemAlloc_v2 fails with this code
//   meminfo_error 999    every cuMemGetInfo_v2 fails with this code
//
// Free memory on a device is total − used − context (while retained) − the
// rounded sizes of its live allocations. cuMemAlloc_v2 answers
// CUDA_ERROR_OUT_OF_MEMORY (2) when the rounded size is more than that, and
// CUDA_ERROR_INVALID_VALUE (1) for 0 bytes; cuMemFree_v2 gives the memory
// back, and CUDA_ERROR_INVALID_VALUE for an address it did not hand out.
// Memory calls need a current context (cuCtxSetCurrent, per thread) and
// answer CUDA_ERROR_INVALID_CONTEXT (201) without one; allocations belong to
// the device of the current context. Releasing a primary context for the last
// time frees its allocations, as destroying a context does. Before cuInit
// every call but cuGetErrorName/String answers CUDA_ERROR_NOT_INITIALIZED (3).
//
// A missing .conf is the default scenario (one 16 GiB GPU). A line it cannot
// understand is skipped and noted: fake_cuda_scenario_problem returns the
// first such note. Bounded: 16 devices, 4096 live allocations in all (beyond
// that cuMemAlloc_v2 answers CUDA_ERROR_UNKNOWN, 999), 1023-byte lines.
//
// Compile-time flags remove symbols to play an older or broken driver:
//   -DFAKE_CUDA_NO_PRIMARY_CTX_RELEASE_V2  only cuDevicePrimaryCtxRelease (before CUDA 11)
//   -DFAKE_CUDA_NO_ERROR_TEXT              no cuGetErrorName, no cuGetErrorString
//   -DFAKE_CUDA_NO_MEM_ALLOC_V2            no cuMemAlloc_v2 (a required symbol)
//
// Besides the driver's functions it exports, for tests:
//   fake_cuda_call_count(symbol)        how many times a driver function was called
//   fake_cuda_live_allocations(device)  allocations not yet freed
//   fake_cuda_context_references(device) retains of the primary context not yet released
//   fake_cuda_scenario_problem()        the first scenario line not understood, or NULL
#define _GNU_SOURCE
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../FakeLibrary/fake_library.h"

// MARK: The driver's types, as cuda.h declares them

typedef enum cudaError_enum {
    CUDA_SUCCESS = 0,
    CUDA_ERROR_INVALID_VALUE = 1,
    CUDA_ERROR_OUT_OF_MEMORY = 2,
    CUDA_ERROR_NOT_INITIALIZED = 3,
    CUDA_ERROR_NO_DEVICE = 100,
    CUDA_ERROR_INVALID_DEVICE = 101,
    CUDA_ERROR_INVALID_CONTEXT = 201,
    CUDA_ERROR_UNKNOWN = 999,
} CUresult;

typedef int CUdevice;
typedef struct CUctx_st *CUcontext;
typedef unsigned long long CUdeviceptr;

_Static_assert(sizeof(CUresult) == sizeof(int), "CUresult is an int-sized enum");
_Static_assert(sizeof(CUdeviceptr) == 8, "CUdeviceptr is 64-bit");

// MARK: The scenario

#define FAKE_MAX_DEVICES 16
#define FAKE_MAX_ALLOCATIONS 4096
#define FAKE_TEXT 128

struct CUctx_st {
    int device;
    unsigned int references;
};

struct fake_allocation {
    CUdeviceptr address;  // 0: the slot is empty
    unsigned long long bytes;
    int device;
};

static struct {
    int loaded;
    int initialized;
    int device_count;
    unsigned long long total, used, context_bytes, granularity;
    CUresult init_error, alloc_error, meminfo_error;
    struct CUctx_st contexts[FAKE_MAX_DEVICES];
    unsigned long long allocated[FAKE_MAX_DEVICES];
    struct fake_allocation allocations[FAKE_MAX_ALLOCATIONS];
    CUdeviceptr next_address;
    char problem[512];
} fake;

// Every call that reads or changes the state above holds this lock.
static pthread_mutex_t fake_lock = PTHREAD_MUTEX_INITIALIZER;

// The current context is the calling thread's, as in the driver.
static __thread CUcontext current_context;

static void note_problem(unsigned int line, const char *what, const char *text) {
    fake_note_problem(fake.problem, sizeof fake.problem, line, what, text);
}

/// A plain decimal number no larger than `limit`; 0 when it is not one.
static int parse_number(const char *text, unsigned long long limit, unsigned long long *value) {
    if (text[0] == 0) return 0;
    for (const char *c = text; *c; c++) if (!isdigit((unsigned char)*c)) return 0;
    unsigned long long number;
    if (!fake_parse_size(text, &number) || number > limit) return 0;
    *value = number;
    return 1;
}

static int parse_code(const char *text, CUresult *code) {
    unsigned long long number;
    if (!parse_number(text, INT_MAX, &number)) return 0;
    *code = (CUresult)number;
    return 1;
}

static void parse_line(char *text, unsigned int line) {
    char *hash = strchr(text, '#');
    if (hash) *hash = 0;
    char *save = NULL;
    char *keyword = strtok_r(text, " \t\r\n", &save);
    if (keyword == NULL) return;
    char *value = strtok_r(NULL, " \t\r\n", &save);
    char *extra = strtok_r(NULL, " \t\r\n", &save);
    if (value == NULL || extra != NULL) { note_problem(line, "expected one value", keyword); return; }

    unsigned long long number;
    int ok = 1;
    if (strcmp(keyword, "devices") == 0) {
        if ((ok = parse_number(value, FAKE_MAX_DEVICES, &number))) fake.device_count = (int)number;
    } else if (strcmp(keyword, "total") == 0) {
        ok = fake_parse_size(value, &fake.total);
    } else if (strcmp(keyword, "used") == 0) {
        ok = fake_parse_size(value, &fake.used);
    } else if (strcmp(keyword, "context") == 0) {
        ok = fake_parse_size(value, &fake.context_bytes);
    } else if (strcmp(keyword, "granularity") == 0) {
        ok = fake_parse_size(value, &number) && number > 0;
        if (ok) fake.granularity = number;
    } else if (strcmp(keyword, "init_error") == 0) {
        ok = parse_code(value, &fake.init_error);
    } else if (strcmp(keyword, "alloc_error") == 0) {
        ok = parse_code(value, &fake.alloc_error);
    } else if (strcmp(keyword, "meminfo_error") == 0) {
        ok = parse_code(value, &fake.meminfo_error);
    } else {
        note_problem(line, "unknown statement", keyword);
        return;
    }
    if (!ok) note_problem(line, "bad value", value);
}

/// Sets the defaults and reads "<this library's path>.conf". Called with the lock held.
static void load_scenario(void) {
    memset(&fake, 0, sizeof fake);
    fake.device_count = 1;
    fake.total = 16ULL << 30;
    fake.granularity = 2ULL << 20;
    fake.next_address = 0x7f0000000000ULL;
    for (int i = 0; i < FAKE_MAX_DEVICES; i++) fake.contexts[i].device = i;
    fake.loaded = 1;

    fake_read_scenario(&fake, 0, fake.problem, sizeof fake.problem, parse_line);
}

// MARK: Test hooks

static const char *const fake_symbols[] = {
    "cuInit", "cuDeviceGetCount", "cuDeviceGet", "cuDevicePrimaryCtxRetain",
    "cuDevicePrimaryCtxRelease_v2", "cuDevicePrimaryCtxRelease", "cuCtxSetCurrent",
    "cuMemGetInfo_v2", "cuMemAlloc_v2", "cuMemFree_v2", "cuGetErrorName", "cuGetErrorString",
};
#define FAKE_SYMBOL_COUNT (sizeof fake_symbols / sizeof fake_symbols[0])
static unsigned long fake_calls[FAKE_SYMBOL_COUNT];

static void count_call(const char *symbol) {
    fake_count_call(fake_symbols, fake_calls, FAKE_SYMBOL_COUNT, symbol);
}

/// How many times the driver function `symbol` was called; -1 for a name it does not count.
long fake_cuda_call_count(const char *symbol) {
    return fake_call_count(fake_symbols, fake_calls, FAKE_SYMBOL_COUNT, symbol);
}

/// Allocations on `device` not yet freed; -1 for a device the scenario does not have.
long fake_cuda_live_allocations(int device) {
    pthread_mutex_lock(&fake_lock);
    long count = -1;
    if (device >= 0 && device < fake.device_count) {
        count = 0;
        for (int i = 0; i < FAKE_MAX_ALLOCATIONS; i++) {
            if (fake.allocations[i].address != 0 && fake.allocations[i].device == device) count++;
        }
    }
    pthread_mutex_unlock(&fake_lock);
    return count;
}

/// Retains of `device`'s primary context not yet released; -1 for a device the scenario does not have.
long fake_cuda_context_references(int device) {
    pthread_mutex_lock(&fake_lock);
    long count = device >= 0 && device < fake.device_count ? (long)fake.contexts[device].references : -1;
    pthread_mutex_unlock(&fake_lock);
    return count;
}

/// The first scenario line that was not understood, or NULL when every line was.
const char *fake_cuda_scenario_problem(void) {
    return fake.problem[0] ? fake.problem : NULL;
}

// MARK: Initialization and devices

CUresult cuInit(unsigned int flags) {
    count_call(__func__);
    if (flags != 0) return CUDA_ERROR_INVALID_VALUE;
    pthread_mutex_lock(&fake_lock);
    if (!fake.loaded) load_scenario();
    CUresult code = fake.init_error;
    if (code == CUDA_SUCCESS && fake.device_count == 0) code = CUDA_ERROR_NO_DEVICE;
    if (code == CUDA_SUCCESS) fake.initialized = 1;
    pthread_mutex_unlock(&fake_lock);
    return code;
}

static int is_initialized(void) {
    return __atomic_load_n(&fake.initialized, __ATOMIC_ACQUIRE);
}

CUresult cuDeviceGetCount(int *count) {
    count_call(__func__);
    if (!is_initialized()) return CUDA_ERROR_NOT_INITIALIZED;
    if (count == NULL) return CUDA_ERROR_INVALID_VALUE;
    *count = fake.device_count;
    return CUDA_SUCCESS;
}

CUresult cuDeviceGet(CUdevice *device, int ordinal) {
    count_call(__func__);
    if (!is_initialized()) return CUDA_ERROR_NOT_INITIALIZED;
    if (device == NULL) return CUDA_ERROR_INVALID_VALUE;
    if (ordinal < 0 || ordinal >= fake.device_count) return CUDA_ERROR_INVALID_DEVICE;
    *device = ordinal;
    return CUDA_SUCCESS;
}

// MARK: Primary contexts

CUresult cuDevicePrimaryCtxRetain(CUcontext *context, CUdevice device) {
    count_call(__func__);
    if (!is_initialized()) return CUDA_ERROR_NOT_INITIALIZED;
    if (context == NULL) return CUDA_ERROR_INVALID_VALUE;
    if (device < 0 || device >= fake.device_count) return CUDA_ERROR_INVALID_DEVICE;
    pthread_mutex_lock(&fake_lock);
    fake.contexts[device].references++;
    *context = &fake.contexts[device];
    pthread_mutex_unlock(&fake_lock);
    return CUDA_SUCCESS;
}

static CUresult primary_release(CUdevice device) {
    if (!is_initialized()) return CUDA_ERROR_NOT_INITIALIZED;
    if (device < 0 || device >= fake.device_count) return CUDA_ERROR_INVALID_DEVICE;
    pthread_mutex_lock(&fake_lock);
    CUresult code = CUDA_SUCCESS;
    struct CUctx_st *context = &fake.contexts[device];
    if (context->references == 0) {
        code = CUDA_ERROR_INVALID_CONTEXT;
    } else if (--context->references == 0) {
        // The context is destroyed, and its memory with it.
        for (int i = 0; i < FAKE_MAX_ALLOCATIONS; i++) {
            if (fake.allocations[i].address != 0 && fake.allocations[i].device == device) fake.allocations[i].address = 0;
        }
        fake.allocated[device] = 0;
    }
    pthread_mutex_unlock(&fake_lock);
    return code;
}

#ifndef FAKE_CUDA_NO_PRIMARY_CTX_RELEASE_V2
CUresult cuDevicePrimaryCtxRelease_v2(CUdevice device) { count_call(__func__); return primary_release(device); }
#endif
CUresult cuDevicePrimaryCtxRelease(CUdevice device) { count_call(__func__); return primary_release(device); }

/// Whether `context` is a primary context that is retained now. Called with the lock held.
static int is_live(CUcontext context) {
    for (int i = 0; i < fake.device_count; i++) {
        if (context == &fake.contexts[i]) return fake.contexts[i].references > 0;
    }
    return 0;
}

CUresult cuCtxSetCurrent(CUcontext context) {
    count_call(__func__);
    if (!is_initialized()) return CUDA_ERROR_NOT_INITIALIZED;
    pthread_mutex_lock(&fake_lock);
    CUresult code = context == NULL || is_live(context) ? CUDA_SUCCESS : CUDA_ERROR_INVALID_CONTEXT;
    pthread_mutex_unlock(&fake_lock);
    if (code == CUDA_SUCCESS) current_context = context;
    return code;
}

/// The device of the calling thread's current context, or -1 when there is none (or it was destroyed).
/// Called with the lock held.
static int current_device(void) {
    CUcontext context = current_context;
    return context != NULL && is_live(context) ? context->device : -1;
}

// MARK: Memory

/// Free memory on `device`. Called with the lock held.
static unsigned long long free_bytes(int device) {
    unsigned long long taken = fake.used + fake.allocated[device];
    if (fake.contexts[device].references > 0) taken += fake.context_bytes;
    return taken < fake.total ? fake.total - taken : 0;
}

CUresult cuMemGetInfo_v2(size_t *free, size_t *total) {
    count_call(__func__);
    if (!is_initialized()) return CUDA_ERROR_NOT_INITIALIZED;
    if (free == NULL || total == NULL) return CUDA_ERROR_INVALID_VALUE;
    pthread_mutex_lock(&fake_lock);
    CUresult code = CUDA_SUCCESS;
    int device = current_device();
    if (device < 0) {
        code = CUDA_ERROR_INVALID_CONTEXT;
    } else if (fake.meminfo_error) {
        code = fake.meminfo_error;
    } else {
        *free = (size_t)free_bytes(device);
        *total = (size_t)fake.total;
    }
    pthread_mutex_unlock(&fake_lock);
    return code;
}

#ifndef FAKE_CUDA_NO_MEM_ALLOC_V2
CUresult cuMemAlloc_v2(CUdeviceptr *pointer, size_t bytes) {
    count_call(__func__);
    if (!is_initialized()) return CUDA_ERROR_NOT_INITIALIZED;
    if (pointer == NULL || bytes == 0) return CUDA_ERROR_INVALID_VALUE;
    pthread_mutex_lock(&fake_lock);
    CUresult code = CUDA_SUCCESS;
    int device = current_device();
    unsigned long long g = fake.granularity;
    unsigned long long rounded = bytes > ULLONG_MAX - (g - 1) ? ULLONG_MAX : (bytes + g - 1) / g * g;
    int slot = -1;
    for (int i = 0; i < FAKE_MAX_ALLOCATIONS && slot < 0; i++) if (fake.allocations[i].address == 0) slot = i;
    if (device < 0) {
        code = CUDA_ERROR_INVALID_CONTEXT;
    } else if (fake.alloc_error) {
        code = fake.alloc_error;
    } else if (rounded > free_bytes(device)) {
        code = CUDA_ERROR_OUT_OF_MEMORY;
    } else if (slot < 0) {
        code = CUDA_ERROR_UNKNOWN;
    } else {
        fake.allocations[slot] = (struct fake_allocation){fake.next_address, rounded, device};
        fake.allocated[device] += rounded;
        *pointer = fake.next_address;
        fake.next_address += rounded;  // never handed out twice
    }
    pthread_mutex_unlock(&fake_lock);
    return code;
}
#endif

CUresult cuMemFree_v2(CUdeviceptr pointer) {
    count_call(__func__);
    if (!is_initialized()) return CUDA_ERROR_NOT_INITIALIZED;
    pthread_mutex_lock(&fake_lock);
    CUresult code = CUDA_ERROR_INVALID_VALUE;
    if (current_device() < 0) {
        code = CUDA_ERROR_INVALID_CONTEXT;
    } else if (pointer != 0) {
        for (int i = 0; i < FAKE_MAX_ALLOCATIONS; i++) {
            struct fake_allocation *allocation = &fake.allocations[i];
            if (allocation->address == pointer) {
                fake.allocated[allocation->device] -= allocation->bytes;
                allocation->address = 0;
                code = CUDA_SUCCESS;
                break;
            }
        }
    }
    pthread_mutex_unlock(&fake_lock);
    return code;
}

// MARK: Error text

#ifndef FAKE_CUDA_NO_ERROR_TEXT
static const struct { CUresult code; const char *name; const char *text; } fake_errors[] = {
    {0, "CUDA_SUCCESS", "no error"},
    {1, "CUDA_ERROR_INVALID_VALUE", "invalid argument"},
    {2, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory"},
    {3, "CUDA_ERROR_NOT_INITIALIZED", "initialization error"},
    {4, "CUDA_ERROR_DEINITIALIZED", "driver shutting down"},
    {34, "CUDA_ERROR_STUB_LIBRARY", "CUDA driver is a stub library"},
    {46, "CUDA_ERROR_DEVICE_UNAVAILABLE", "CUDA-capable device(s) is/are busy or unavailable"},
    {100, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected"},
    {101, "CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal"},
    {201, "CUDA_ERROR_INVALID_CONTEXT", "invalid device context"},
    {700, "CUDA_ERROR_ILLEGAL_ADDRESS", "an illegal memory access was encountered"},
    {803, "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH", "system has unsupported display driver / cuda driver combination"},
    {999, "CUDA_ERROR_UNKNOWN", "unknown error"},
};

/// The driver's contract: CUDA_ERROR_INVALID_VALUE and NULL for a code it does not know.
static CUresult error_text(CUresult error, const char **out, int want_name) {
    if (out == NULL) return CUDA_ERROR_INVALID_VALUE;
    for (size_t i = 0; i < sizeof fake_errors / sizeof fake_errors[0]; i++) {
        if (fake_errors[i].code == error) {
            *out = want_name ? fake_errors[i].name : fake_errors[i].text;
            return CUDA_SUCCESS;
        }
    }
    *out = NULL;
    return CUDA_ERROR_INVALID_VALUE;
}

CUresult cuGetErrorName(CUresult error, const char **name) { count_call(__func__); return error_text(error, name, 1); }
CUresult cuGetErrorString(CUresult error, const char **string) { count_call(__func__); return error_text(error, string, 0); }
#endif
