// A fake NVML: a shared library with the NVML functions Headroom looks up,
// scripted by a text file, so tests exercise the real dlopen/dlsym path and
// the real struct layouts without a GPU. FakeNVML.swift compiles it with
//
//     cc -shared -fPIC -O1 -o libfake.so fake_nvml.c -ldl [-DFAKE_NVML_NO_...]
//
// Written by hand because no package fakes NVML at the C ABI level. It does
// not include Headroom's header: the structs are declared here as NVIDIA's
// nvml.h declares them, so a layout mistake on either side shows up in tests.
//
// The scenario is read at nvmlInit from "<this library's path>.conf" (found
// with dladdr), so several copies of the library at different paths, each
// dlopened on its own, play different scenarios in one process.
//
// Scenario format: one statement a line; `#` starts a comment; blank lines
// are ignored. Sizes are bytes, or a number with KiB, MiB, GiB or TiB.
//
//   driver 550.54.15        nvmlSystemGetDriverVersion
//   cuda 12040              nvmlSystemGetCudaDriverVersion(_v2)
//   init_error 9            nvmlInit fails with this code
//   count_error 999         nvmlDeviceGetCount fails with this code
//   driver_error 3          nvmlSystemGetDriverVersion fails with this code
//   cuda_error 3            nvmlSystemGetCudaDriverVersion fails with this code
//   process_info_v3_bytes 32  the _v3 process queries fill 32-byte entries
//                          (nvmlProcessInfo_v3_t), as drivers 535.43 to 535.86
//                          did under the name of the 24-byte struct; default 24
//   device key=value ...    a GPU; its keys:
//       name=NVIDIA_H100_80GB_HBM3   (underscores become spaces)
//       uuid=GPU-...
//       pci=00000000:3B:00.0          nvmlDeviceGetPciInfo_v3's busId; default
//                          00000000:<index+1 in hex>:00.0
//       total= reserved= used= free=  memory; `used` excludes reserved (as in
//                          nvmlMemory_v2_t); the v1 query reports used+reserved;
//                          free defaults to total-reserved-used. A device with
//                          no total= answers NOT_SUPPORTED (unified memory).
//       util=GPU,MEM  temp=C  power_mw=  limit_mw=  ecc=0|1
//       minor=N                nvmlDeviceGetMinorNumber (/dev/nvidiaN); default
//                          the device's index
//                          a field left out answers NOT_SUPPORTED
//       handle_error= name_error= uuid_error= memory_error= memory_v2_error=
//       util_error= temp_error= power_error= limit_error= ecc_error= minor_error=
//       proc_error= gproc_error=        that query fails with this code
//                          (memory_error fails both memory queries,
//                          memory_v2_error only nvmlDeviceGetMemoryInfo_v2)
//       grow_processes=N  grow_gprocesses=N
//                          the last N compute (graphics) processes are hidden
//                          from queries until the first call that passes a
//                          buffer: they "appear" between the count and the fill
//       mig=0|1  mig_pending=0|1  mig_max=N  mig_error=CODE
//                          MIG: the mode now and after a reset (pending
//                          defaults to mig=), the most MIG devices (default 7),
//                          or nvmlDeviceGetMigMode failing with CODE; a device
//                          with no mig= answers NOT_SUPPORTED (cannot be split)
//   mig key=value ...       a MIG device of the device above (listed only while
//                          its mig=1); keys: profile=1g.10gb gi=N ci=N
//                          total= used= (memory) uuid=MIG-... name=... index=N
//                          (default: the next index; names default to
//                          "<GPU name> MIG <profile>", UUIDs to
//                          "MIG-00000000-0000-0000-<gpu>-<index>")
//   proc pid=N used=SIZE|na    a compute process on the device above
//   gproc pid=N used=SIZE|na   a graphics process on the device above
//                          (na is NVML_VALUE_NOT_AVAILABLE)
//
// Defaults: driver 550.54.15, CUDA 12040, names "Fake GPU <i>", UUIDs
// "GPU-00000000-0000-0000-0000-<i>". A missing .conf is an empty scenario (no
// devices). A line or key=value it cannot understand is skipped and noted:
// fake_nvml_scenario_problem returns the first such note. Everything is
// bounded: 16 devices, 64 processes of each kind a device, 1023-byte lines.
//
// Process queries keep NVML's contract: with *count == 0 or no buffer they
// answer INSUFFICIENT_SIZE with the count (SUCCESS and 0 when there are none);
// with a buffer too small, INSUFFICIENT_SIZE with the count; else they fill.
//
// Compile-time flags remove symbols to play an older driver:
//   -DFAKE_NVML_NO_MEMORY_V2      no nvmlDeviceGetMemoryInfo_v2
//   -DFAKE_NVML_NO_PROCESSES_V3   no nvmlDevice*RunningProcesses_v3
//   -DFAKE_NVML_NO_PROCESSES_V2   no _v2 and no _v3: only the v1 struct
//   -DFAKE_NVML_NO_TEMPERATURE    no nvmlDeviceGetTemperature
//   -DFAKE_NVML_NO_MIG            no MIG functions (a driver before R450)
//
// Besides NVML's functions it exports fake_nvml_call_count(symbol), how many
// times an NVML function was called, so tests can see which one was used.
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

#ifdef FAKE_NVML_NO_PROCESSES_V2
#ifndef FAKE_NVML_NO_PROCESSES_V3
#define FAKE_NVML_NO_PROCESSES_V3
#endif
#endif

// MARK: NVML's types, as nvml.h declares them

typedef enum nvmlReturn_enum {
    NVML_SUCCESS = 0,
    NVML_ERROR_UNINITIALIZED = 1,
    NVML_ERROR_INVALID_ARGUMENT = 2,
    NVML_ERROR_NOT_SUPPORTED = 3,
    NVML_ERROR_NOT_FOUND = 6,
    NVML_ERROR_INSUFFICIENT_SIZE = 7,
    NVML_ERROR_ARGUMENT_VERSION_MISMATCH = 25,
    NVML_ERROR_UNKNOWN = 999,
} nvmlReturn_t;

typedef enum nvmlTemperatureSensors_enum {
    NVML_TEMPERATURE_GPU = 0,
} nvmlTemperatureSensors_t;

typedef enum nvmlEnableState_enum {
    NVML_FEATURE_DISABLED = 0,
    NVML_FEATURE_ENABLED = 1,
} nvmlEnableState_t;

typedef struct fake_device *nvmlDevice_t;

typedef struct nvmlMemory_st {
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
} nvmlMemory_t;

typedef struct nvmlMemory_v2_st {
    unsigned int version;
    unsigned long long total;
    unsigned long long reserved;
    unsigned long long free;
    unsigned long long used;
} nvmlMemory_v2_t;

#define NVML_STRUCT_VERSION(data, ver) (unsigned int)(sizeof(nvml##data##_v##ver##_t) | (ver << 24U))
#define nvmlMemory_v2 NVML_STRUCT_VERSION(Memory, 2)

typedef struct nvmlUtilization_st {
    unsigned int gpu;
    unsigned int memory;
} nvmlUtilization_t;

typedef struct nvmlProcessInfo_v1_st {
    unsigned int pid;
    unsigned long long usedGpuMemory;
} nvmlProcessInfo_v1_t;

typedef struct nvmlProcessInfo_v2_st {
    unsigned int pid;
    unsigned long long usedGpuMemory;
    unsigned int gpuInstanceId;
    unsigned int computeInstanceId;
} nvmlProcessInfo_v2_t;

// What drivers 535.43 to 535.86 filled from the _v3 process queries.
typedef struct nvmlProcessInfo_v3_st {
    unsigned int pid;
    unsigned long long usedGpuMemory;
    unsigned int gpuInstanceId;
    unsigned int computeInstanceId;
    unsigned long long usedGpuCcProtectedMemory;
} nvmlProcessInfo_v3_t;

// nvmlPciInfo_t, filled by nvmlDeviceGetPciInfo_v3 (and _v2).
typedef struct nvmlPciInfo_st {
    char busIdLegacy[16];
    unsigned int domain;
    unsigned int bus;
    unsigned int device;
    unsigned int pciDeviceId;
    unsigned int pciSubSystemId;
    char busId[32];
} nvmlPciInfo_t;

#define NVML_VALUE_NOT_AVAILABLE (~0ULL)

// Layouts on LP64 (x86_64, arm64), the platforms Headroom builds for.
_Static_assert(sizeof(nvmlMemory_t) == 24, "nvmlMemory_t layout");
_Static_assert(sizeof(nvmlMemory_v2_t) == 40 && offsetof(nvmlMemory_v2_t, total) == 8, "nvmlMemory_v2_t layout");
_Static_assert(sizeof(nvmlProcessInfo_v1_t) == 16, "nvmlProcessInfo_v1_t layout");
_Static_assert(sizeof(nvmlProcessInfo_v2_t) == 24 && offsetof(nvmlProcessInfo_v2_t, gpuInstanceId) == 16,
               "nvmlProcessInfo_v2_t layout");
_Static_assert(sizeof(nvmlProcessInfo_v3_t) == 32, "nvmlProcessInfo_v3_t layout");
_Static_assert(sizeof(nvmlPciInfo_t) == 68 && offsetof(nvmlPciInfo_t, busId) == 36, "nvmlPciInfo_t layout");

// MARK: The scenario

#define FAKE_MAX_DEVICES 16
#define FAKE_MAX_MIGS 64
#define FAKE_MAX_PROCESSES 64
#define FAKE_TEXT 128

enum { FAKE_COMPUTE = 0, FAKE_GRAPHICS = 1 };

struct fake_process {
    unsigned int pid;
    unsigned long long used;
};

struct fake_process_list {
    unsigned int count;
    unsigned int grow;
    int revealed;
    nvmlReturn_t error;
    struct fake_process items[FAKE_MAX_PROCESSES];
};

struct fake_device {
    char name[FAKE_TEXT];
    char uuid[FAKE_TEXT];
    char pci[FAKE_TEXT];
    int has_memory, has_free, has_util, has_temp, has_power, has_limit, has_ecc;
    unsigned long long total, reserved, used, free;
    unsigned int util_gpu, util_memory, temp, power_mw, limit_mw, minor;
    int ecc;
    nvmlReturn_t handle_error, name_error, uuid_error, memory_error, memory_v2_error;
    nvmlReturn_t util_error, temp_error, power_error, limit_error, ecc_error, minor_error;
    struct fake_process_list lists[2];
    // MIG: on a GPU, its mode; on a MIG device, its parent and IDs.
    int has_mig, mig_current, mig_pending, has_mig_pending;
    unsigned int mig_max;
    nvmlReturn_t mig_error;
    int is_mig;
    unsigned int parent, mig_index, gi, ci;
};

static struct {
    unsigned int init_count;
    char driver[FAKE_TEXT];
    int cuda;
    unsigned int process_info_v3_bytes;
    nvmlReturn_t init_error, count_error, driver_error, cuda_error;
    unsigned int device_count;
    struct fake_device devices[FAKE_MAX_DEVICES];
    unsigned int mig_count;
    struct fake_device migs[FAKE_MAX_MIGS];
    char problem[512];
} fake;

// Init, shutdown and the process queries (which change state) hold this lock.
static pthread_mutex_t fake_lock = PTHREAD_MUTEX_INITIALIZER;

static void note_problem(unsigned int line, const char *what, const char *text) {
    fake_note_problem(fake.problem, sizeof fake.problem, line, what, text);
}

static int parse_uint(const char *text, unsigned int *value) {
    unsigned long long number;
    if (!fake_parse_size(text, &number) || number > UINT_MAX) return 0;
    for (const char *c = text; *c; c++) if (!isdigit((unsigned char)*c)) return 0;
    *value = (unsigned int)number;
    return 1;
}

static int parse_code(const char *text, nvmlReturn_t *code) {
    unsigned int number;
    if (!parse_uint(text, &number) || number > INT_MAX) return 0;
    *code = (nvmlReturn_t)number;
    return 1;
}

static int copy_text(char *to, const char *text, int underscores_to_spaces) {
    size_t length = strlen(text);
    if (length >= FAKE_TEXT) return 0;
    for (size_t i = 0; i <= length; i++) to[i] = (underscores_to_spaces && text[i] == '_') ? ' ' : text[i];
    return 1;
}

static struct { const char *key; size_t offset; } const device_errors[] = {
    {"handle_error", offsetof(struct fake_device, handle_error)},
    {"name_error", offsetof(struct fake_device, name_error)},
    {"uuid_error", offsetof(struct fake_device, uuid_error)},
    {"memory_error", offsetof(struct fake_device, memory_error)},
    {"memory_v2_error", offsetof(struct fake_device, memory_v2_error)},
    {"util_error", offsetof(struct fake_device, util_error)},
    {"temp_error", offsetof(struct fake_device, temp_error)},
    {"power_error", offsetof(struct fake_device, power_error)},
    {"limit_error", offsetof(struct fake_device, limit_error)},
    {"ecc_error", offsetof(struct fake_device, ecc_error)},
    {"minor_error", offsetof(struct fake_device, minor_error)},
    {"proc_error", offsetof(struct fake_device, lists[FAKE_COMPUTE].error)},
    {"gproc_error", offsetof(struct fake_device, lists[FAKE_GRAPHICS].error)},
    {"mig_error", offsetof(struct fake_device, mig_error)},
};

/// One `key=value` of a device line; 0 when it is not understood.
static int parse_device_field(struct fake_device *device, const char *key, const char *value) {
    for (size_t i = 0; i < sizeof device_errors / sizeof device_errors[0]; i++) {
        if (strcmp(key, device_errors[i].key) == 0) {
            return parse_code(value, (nvmlReturn_t *)(void *)((char *)device + device_errors[i].offset));
        }
    }
    if (strcmp(key, "name") == 0) return copy_text(device->name, value, 1);
    if (strcmp(key, "uuid") == 0) return copy_text(device->uuid, value, 0);
    if (strcmp(key, "pci") == 0) return copy_text(device->pci, value, 0);
    if (strcmp(key, "total") == 0) return device->has_memory = fake_parse_size(value, &device->total);
    if (strcmp(key, "reserved") == 0) return fake_parse_size(value, &device->reserved);
    if (strcmp(key, "used") == 0) return fake_parse_size(value, &device->used);
    if (strcmp(key, "free") == 0) return device->has_free = fake_parse_size(value, &device->free);
    if (strcmp(key, "temp") == 0) return device->has_temp = parse_uint(value, &device->temp);
    if (strcmp(key, "power_mw") == 0) return device->has_power = parse_uint(value, &device->power_mw);
    if (strcmp(key, "minor") == 0) return parse_uint(value, &device->minor);
    if (strcmp(key, "limit_mw") == 0) return device->has_limit = parse_uint(value, &device->limit_mw);
    if (strcmp(key, "grow_processes") == 0) return parse_uint(value, &device->lists[FAKE_COMPUTE].grow);
    if (strcmp(key, "grow_gprocesses") == 0) return parse_uint(value, &device->lists[FAKE_GRAPHICS].grow);
    if (strcmp(key, "mig") == 0 || strcmp(key, "mig_pending") == 0) {
        unsigned int on;
        if (!parse_uint(value, &on) || on > 1) return 0;
        if (key[3] == 0) { device->mig_current = (int)on; device->has_mig = 1; }
        else { device->mig_pending = (int)on; device->has_mig_pending = 1; }
        return 1;
    }
    if (strcmp(key, "mig_max") == 0) return parse_uint(value, &device->mig_max);
    if (device->is_mig) {
        if (strcmp(key, "gi") == 0) return parse_uint(value, &device->gi);
        if (strcmp(key, "ci") == 0) return parse_uint(value, &device->ci);
        if (strcmp(key, "index") == 0) return parse_uint(value, &device->mig_index);
        if (strcmp(key, "profile") == 0) {
            const struct fake_device *parent = &fake.devices[device->parent];
            if (strlen(parent->name) + strlen(value) + 6 >= FAKE_TEXT) return 0;
            snprintf(device->name, FAKE_TEXT, "%s MIG %s", parent->name, value);
            return 1;
        }
    }
    if (strcmp(key, "ecc") == 0) {
        unsigned int on;
        if (!parse_uint(value, &on) || on > 1) return 0;
        device->ecc = (int)on;
        return device->has_ecc = 1;
    }
    if (strcmp(key, "util") == 0) {
        char gpu[32];
        const char *comma = strchr(value, ',');
        if (comma == NULL || (size_t)(comma - value) >= sizeof gpu) return 0;
        memcpy(gpu, value, (size_t)(comma - value));
        gpu[comma - value] = 0;
        return device->has_util = parse_uint(gpu, &device->util_gpu) && parse_uint(comma + 1, &device->util_memory);
    }
    return 0;
}

static void parse_process(struct fake_process_list *list, char *rest, unsigned int line) {
    if (list->count >= FAKE_MAX_PROCESSES) { note_problem(line, "too many processes", rest); return; }
    struct fake_process process = {0, 0};
    int has_pid = 0;
    char *save = NULL;
    for (char *token = strtok_r(rest, " \t", &save); token; token = strtok_r(NULL, " \t", &save)) {
        char *equals = strchr(token, '=');
        if (equals == NULL) { note_problem(line, "not key=value", token); continue; }
        *equals = 0;
        const char *value = equals + 1;
        if (strcmp(token, "pid") == 0 && parse_uint(value, &process.pid)) has_pid = 1;
        else if (strcmp(token, "used") == 0 && strcmp(value, "na") == 0) process.used = NVML_VALUE_NOT_AVAILABLE;
        else if (strcmp(token, "used") == 0 && fake_parse_size(value, &process.used)) {}
        else note_problem(line, "bad process field", token);
    }
    if (!has_pid) { note_problem(line, "process without pid", "pid="); return; }
    list->items[list->count++] = process;
}

static void parse_line(char *text, unsigned int line) {
    char *hash = strchr(text, '#');
    if (hash) *hash = 0;
    char empty[1] = "";
    char *save = NULL;
    char *keyword = strtok_r(text, " \t\r\n", &save);
    if (keyword == NULL) return;
    char *rest = strtok_r(NULL, "\r\n", &save);
    if (rest == NULL) rest = empty;
    char value[FAKE_TEXT] = "";
    sscanf(rest, "%127s", value);

    struct fake_device *last = fake.device_count > 0 ? &fake.devices[fake.device_count - 1] : NULL;
    if (strcmp(keyword, "driver") == 0) {
        if (!copy_text(fake.driver, value, 0)) note_problem(line, "bad driver", rest);
    } else if (strcmp(keyword, "cuda") == 0) {
        unsigned int version;
        if (parse_uint(value, &version) && version <= INT_MAX) fake.cuda = (int)version;
        else note_problem(line, "bad cuda", rest);
    } else if (strcmp(keyword, "process_info_v3_bytes") == 0) {
        unsigned int bytes;
        if (parse_uint(value, &bytes) && (bytes == sizeof(nvmlProcessInfo_v2_t) || bytes == sizeof(nvmlProcessInfo_v3_t)))
            fake.process_info_v3_bytes = bytes;
        else note_problem(line, "process_info_v3_bytes is 24 or 32", rest);
    } else if (strcmp(keyword, "init_error") == 0) {
        if (!parse_code(value, &fake.init_error)) note_problem(line, "bad code", rest);
    } else if (strcmp(keyword, "count_error") == 0) {
        if (!parse_code(value, &fake.count_error)) note_problem(line, "bad code", rest);
    } else if (strcmp(keyword, "driver_error") == 0) {
        if (!parse_code(value, &fake.driver_error)) note_problem(line, "bad code", rest);
    } else if (strcmp(keyword, "cuda_error") == 0) {
        if (!parse_code(value, &fake.cuda_error)) note_problem(line, "bad code", rest);
    } else if (strcmp(keyword, "device") == 0) {
        if (fake.device_count >= FAKE_MAX_DEVICES) { note_problem(line, "too many devices", rest); return; }
        struct fake_device *device = &fake.devices[fake.device_count];
        snprintf(device->name, FAKE_TEXT, "Fake GPU %u", fake.device_count);
        snprintf(device->uuid, FAKE_TEXT, "GPU-00000000-0000-0000-0000-%012u", fake.device_count);
        device->minor = fake.device_count;
        snprintf(device->pci, FAKE_TEXT, "00000000:%02X:00.0", fake.device_count + 1);
        fake.device_count++;
        char *fields = NULL;
        for (char *token = strtok_r(rest, " \t", &fields); token; token = strtok_r(NULL, " \t", &fields)) {
            char *equals = strchr(token, '=');
            if (equals == NULL) { note_problem(line, "not key=value", token); continue; }
            *equals = 0;
            if (!parse_device_field(device, token, equals + 1)) note_problem(line, "bad device field", token);
        }
        if (device->has_memory && !device->has_free) {
            unsigned long long taken = device->reserved + device->used;
            device->free = taken < device->total ? device->total - taken : 0;
        }
        if (!device->has_mig_pending) device->mig_pending = device->mig_current;
        if (device->mig_max == 0) device->mig_max = 7;
    } else if (strcmp(keyword, "mig") == 0) {
        if (last == NULL) { note_problem(line, "mig device before any device", rest); return; }
        if (fake.mig_count >= FAKE_MAX_MIGS) { note_problem(line, "too many MIG devices", rest); return; }
        unsigned int parent = fake.device_count - 1;
        unsigned int next = 0;
        for (unsigned int i = 0; i < fake.mig_count; i++) {
            if (fake.migs[i].parent == parent && fake.migs[i].mig_index >= next) next = fake.migs[i].mig_index + 1;
        }
        struct fake_device *device = &fake.migs[fake.mig_count++];
        device->is_mig = 1;
        device->parent = parent;
        device->mig_index = next;
        snprintf(device->name, FAKE_TEXT, "%.100s MIG", last->name);
        snprintf(device->uuid, FAKE_TEXT, "MIG-00000000-0000-0000-%04u-%012u", parent, next);
        char *fields = NULL;
        for (char *token = strtok_r(rest, " \t", &fields); token; token = strtok_r(NULL, " \t", &fields)) {
            char *equals = strchr(token, '=');
            if (equals == NULL) { note_problem(line, "not key=value", token); continue; }
            *equals = 0;
            if (!parse_device_field(device, token, equals + 1)) note_problem(line, "bad mig field", token);
        }
        if (device->has_memory && !device->has_free) {
            unsigned long long taken = device->reserved + device->used;
            device->free = taken < device->total ? device->total - taken : 0;
        }
    } else if (strcmp(keyword, "proc") == 0 || strcmp(keyword, "gproc") == 0) {
        if (last == NULL) { note_problem(line, "process before any device", rest); return; }
        parse_process(&last->lists[keyword[0] == 'g' ? FAKE_GRAPHICS : FAKE_COMPUTE], rest, line);
    } else {
        note_problem(line, "unknown statement", keyword);
    }
}

/// Forgets the last scenario and reads "<this library's path>.conf".
static void load_scenario(void) {
    memset(&fake, 0, sizeof fake);
    snprintf(fake.driver, sizeof fake.driver, "550.54.15");
    fake.cuda = 12040;
    fake.process_info_v3_bytes = sizeof(nvmlProcessInfo_v2_t);

    fake_read_scenario(&fake, 1, fake.problem, sizeof fake.problem, parse_line);
}

// MARK: Call counts

static const char *const fake_symbols[] = {
    "nvmlInit_v2", "nvmlInit", "nvmlShutdown", "nvmlErrorString",
    "nvmlSystemGetDriverVersion", "nvmlSystemGetCudaDriverVersion_v2", "nvmlSystemGetCudaDriverVersion",
    "nvmlDeviceGetCount_v2", "nvmlDeviceGetCount", "nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex",
    "nvmlDeviceGetName", "nvmlDeviceGetUUID", "nvmlDeviceGetPciInfo_v3", "nvmlDeviceGetMemoryInfo", "nvmlDeviceGetMemoryInfo_v2",
    "nvmlDeviceGetUtilizationRates", "nvmlDeviceGetTemperature", "nvmlDeviceGetPowerUsage",
    "nvmlDeviceGetEnforcedPowerLimit", "nvmlDeviceGetEccMode", "nvmlDeviceGetMinorNumber",
    "nvmlDeviceGetComputeRunningProcesses", "nvmlDeviceGetComputeRunningProcesses_v2",
    "nvmlDeviceGetComputeRunningProcesses_v3", "nvmlDeviceGetGraphicsRunningProcesses",
    "nvmlDeviceGetGraphicsRunningProcesses_v2", "nvmlDeviceGetGraphicsRunningProcesses_v3",
    "nvmlDeviceGetMigMode", "nvmlDeviceGetMaxMigDeviceCount", "nvmlDeviceGetMigDeviceHandleByIndex",
    "nvmlDeviceGetGpuInstanceId", "nvmlDeviceGetComputeInstanceId",
};
#define FAKE_SYMBOL_COUNT (sizeof fake_symbols / sizeof fake_symbols[0])
static unsigned long fake_calls[FAKE_SYMBOL_COUNT];

static void count_call(const char *symbol) {
    fake_count_call(fake_symbols, fake_calls, FAKE_SYMBOL_COUNT, symbol);
}

/// How many times the NVML function `symbol` was called; -1 for a name it does not count.
long fake_nvml_call_count(const char *symbol) {
    return fake_call_count(fake_symbols, fake_calls, FAKE_SYMBOL_COUNT, symbol);
}

/// The first scenario line that was not understood, or NULL when every line was.
const char *fake_nvml_scenario_problem(void) {
    return fake.problem[0] ? fake.problem : NULL;
}

// MARK: System

static nvmlReturn_t initialize(void) {
    pthread_mutex_lock(&fake_lock);
    if (fake.init_count == 0) load_scenario();
    nvmlReturn_t code = fake.init_error;
    if (code == NVML_SUCCESS) fake.init_count++;
    pthread_mutex_unlock(&fake_lock);
    return code;
}

nvmlReturn_t nvmlInit_v2(void) { count_call(__func__); return initialize(); }
nvmlReturn_t nvmlInit(void) { count_call(__func__); return initialize(); }

nvmlReturn_t nvmlShutdown(void) {
    count_call(__func__);
    pthread_mutex_lock(&fake_lock);
    nvmlReturn_t code = fake.init_count > 0 ? NVML_SUCCESS : NVML_ERROR_UNINITIALIZED;
    if (fake.init_count > 0) fake.init_count--;
    pthread_mutex_unlock(&fake_lock);
    return code;
}

const char *nvmlErrorString(nvmlReturn_t result) {
    count_call(__func__);
    switch ((int)result) {
    case 0: return "Success";
    case 1: return "Uninitialized";
    case 2: return "Invalid Argument";
    case 3: return "Not Supported";
    case 4: return "Insufficient Permissions";
    case 5: return "Already Initialized";
    case 6: return "Not Found";
    case 7: return "Insufficient Size";
    case 8: return "Insufficient External Power";
    case 9: return "Driver Not Loaded";
    case 10: return "Timeout";
    case 11: return "Interrupted by IRQ";
    case 12: return "NVML Shared Library Not Found";
    case 13: return "Function Not Found";
    case 14: return "Corrupted infoROM";
    case 15: return "GPU is lost";
    case 16: return "GPU requires restart";
    case 17: return "Operating System Call Failed";
    case 18: return "RM has detected an NVML/RM version mismatch";
    case 19: return "In use by another client";
    case 20: return "Insufficient Memory";
    case 21: return "No data";
    case 25: return "Argument version mismatch";
    default: return "Unknown Error";
    }
}

static int is_initialized(void) {
    return __atomic_load_n(&fake.init_count, __ATOMIC_RELAXED) > 0;
}

static nvmlReturn_t copy_string(const char *value, char *buffer, unsigned int length) {
    if (buffer == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    size_t needed = strlen(value) + 1;
    if (needed > length) return NVML_ERROR_INSUFFICIENT_SIZE;
    memcpy(buffer, value, needed);
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length) {
    count_call(__func__);
    if (!is_initialized()) return NVML_ERROR_UNINITIALIZED;
    if (fake.driver_error) return fake.driver_error;
    return copy_string(fake.driver, version, length);
}

static nvmlReturn_t cuda_driver_version(int *version) {
    if (!is_initialized()) return NVML_ERROR_UNINITIALIZED;
    if (version == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    if (fake.cuda_error) return fake.cuda_error;
    *version = fake.cuda;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlSystemGetCudaDriverVersion_v2(int *version) { count_call(__func__); return cuda_driver_version(version); }
nvmlReturn_t nvmlSystemGetCudaDriverVersion(int *version) { count_call(__func__); return cuda_driver_version(version); }

static nvmlReturn_t device_count(unsigned int *count) {
    if (!is_initialized()) return NVML_ERROR_UNINITIALIZED;
    if (count == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    if (fake.count_error) return fake.count_error;
    *count = fake.device_count;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count) { count_call(__func__); return device_count(count); }
nvmlReturn_t nvmlDeviceGetCount(unsigned int *count) { count_call(__func__); return device_count(count); }

static nvmlReturn_t handle_by_index(unsigned int index, nvmlDevice_t *device) {
    if (!is_initialized()) return NVML_ERROR_UNINITIALIZED;
    if (device == NULL || index >= fake.device_count) return NVML_ERROR_INVALID_ARGUMENT;
    if (fake.devices[index].handle_error) return fake.devices[index].handle_error;
    *device = &fake.devices[index];
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
    count_call(__func__);
    return handle_by_index(index, device);
}

nvmlReturn_t nvmlDeviceGetHandleByIndex(unsigned int index, nvmlDevice_t *device) {
    count_call(__func__);
    return handle_by_index(index, device);
}

// MARK: Devices

/// The device behind a handle this library gave out, or NULL.
static struct fake_device *lookup(nvmlDevice_t device) {
    if (!is_initialized()) return NULL;
    for (unsigned int i = 0; i < fake.device_count; i++) {
        if (device == &fake.devices[i]) return device;
    }
    for (unsigned int i = 0; i < fake.mig_count; i++) {
        if (device == &fake.migs[i]) return device;
    }
    return NULL;
}

// Every device query starts the same way: initialized, a known handle, an
// output pointer, and the scripted error for that field.
#define DEVICE_QUERY(handle, out, error_field)                                  \
    count_call(__func__);                                                      \
    if (!is_initialized()) return NVML_ERROR_UNINITIALIZED;                   \
    struct fake_device *d = lookup(handle);                                    \
    if (d == NULL || (out) == NULL) return NVML_ERROR_INVALID_ARGUMENT;        \
    if (d->error_field) return d->error_field

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length) {
    DEVICE_QUERY(device, name, name_error);
    return copy_string(d->name, name, length);
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length) {
    DEVICE_QUERY(device, uuid, uuid_error);
    return copy_string(d->uuid, uuid, length);
}

nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t device, nvmlPciInfo_t *pci) {
    DEVICE_QUERY(device, pci, uuid_error);
    memset(pci, 0, sizeof *pci);
    unsigned int domain = 0, bus = 0, slot = 0, function = 0;
    sscanf(d->pci, "%x:%x:%x.%x", &domain, &bus, &slot, &function);
    pci->domain = domain;
    pci->bus = bus;
    pci->device = slot;
    snprintf(pci->busIdLegacy, sizeof pci->busIdLegacy, "%04X:%02X:%02X.%X", domain & 0xFFFF, bus, slot, function);
    return copy_string(d->pci, pci->busId, sizeof pci->busId);
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory) {
    DEVICE_QUERY(device, memory, memory_error);
    if (!d->has_memory) return NVML_ERROR_NOT_SUPPORTED;
    memory->total = d->total;
    memory->free = d->free;
    memory->used = d->used + d->reserved;  // v1 counts reserved memory as used
    return NVML_SUCCESS;
}

#ifndef FAKE_NVML_NO_MEMORY_V2
nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t device, nvmlMemory_v2_t *memory) {
    DEVICE_QUERY(device, memory, memory_error);
    if (memory->version != nvmlMemory_v2) return NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
    if (d->memory_v2_error) return d->memory_v2_error;
    if (!d->has_memory) return NVML_ERROR_NOT_SUPPORTED;
    memory->total = d->total;
    memory->reserved = d->reserved;
    memory->free = d->free;
    memory->used = d->used;
    return NVML_SUCCESS;
}
#endif

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *utilization) {
    DEVICE_QUERY(device, utilization, util_error);
    if (!d->has_util) return NVML_ERROR_NOT_SUPPORTED;
    utilization->gpu = d->util_gpu;
    utilization->memory = d->util_memory;
    return NVML_SUCCESS;
}

#ifndef FAKE_NVML_NO_TEMPERATURE
nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, nvmlTemperatureSensors_t sensor, unsigned int *temp) {
    DEVICE_QUERY(device, temp, temp_error);
    if (sensor != NVML_TEMPERATURE_GPU) return NVML_ERROR_INVALID_ARGUMENT;
    if (!d->has_temp) return NVML_ERROR_NOT_SUPPORTED;
    *temp = d->temp;
    return NVML_SUCCESS;
}
#endif

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int *power) {
    DEVICE_QUERY(device, power, power_error);
    if (!d->has_power) return NVML_ERROR_NOT_SUPPORTED;
    *power = d->power_mw;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t device, unsigned int *limit) {
    DEVICE_QUERY(device, limit, limit_error);
    if (!d->has_limit) return NVML_ERROR_NOT_SUPPORTED;
    *limit = d->limit_mw;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetEccMode(nvmlDevice_t device, nvmlEnableState_t *current, nvmlEnableState_t *pending) {
    DEVICE_QUERY(device, current, ecc_error);
    if (pending == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    if (!d->has_ecc) return NVML_ERROR_NOT_SUPPORTED;
    *current = d->ecc ? NVML_FEATURE_ENABLED : NVML_FEATURE_DISABLED;
    *pending = *current;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMinorNumber(nvmlDevice_t device, unsigned int *minor) {
    DEVICE_QUERY(device, minor, minor_error);
    *minor = d->minor;
    return NVML_SUCCESS;
}

// MARK: Processes

/// NVML's count-then-fill contract. With *count == 0 or no buffer: SUCCESS and
/// a count of 0 when there are none, else INSUFFICIENT_SIZE with the count.
/// With a buffer too small: INSUFFICIENT_SIZE with the count. Otherwise the
/// entries, in the v1 (16-byte), v2 (24-byte) or 535-era v3 (32-byte) layout.
static nvmlReturn_t running_processes(nvmlDevice_t device, int kind, unsigned int *count, void *infos, size_t stride) {
    if (!is_initialized()) return NVML_ERROR_UNINITIALIZED;
    struct fake_device *d = lookup(device);
    if (d == NULL || count == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    pthread_mutex_lock(&fake_lock);
    struct fake_process_list *list = &d->lists[kind];
    nvmlReturn_t code = NVML_SUCCESS;
    if (list->error) {
        code = list->error;
    } else {
        // The hidden processes appear when a caller first brings a buffer.
        if (infos != NULL && *count > 0) list->revealed = 1;
        unsigned int hidden = list->revealed ? 0 : (list->grow < list->count ? list->grow : list->count);
        unsigned int visible = list->count - hidden;
        if (visible == 0) {
            *count = 0;
        } else if (infos == NULL || *count < visible) {
            *count = visible;
            code = NVML_ERROR_INSUFFICIENT_SIZE;
        } else {
            for (unsigned int i = 0; i < visible; i++) {
                void *entry = (char *)infos + i * stride;
                if (stride == sizeof(nvmlProcessInfo_v1_t)) {
                    nvmlProcessInfo_v1_t *out = entry;
                    out->pid = list->items[i].pid;
                    out->usedGpuMemory = list->items[i].used;
                } else {
                    // The v3 struct begins with the v2 one.
                    nvmlProcessInfo_v2_t *out = entry;
                    out->pid = list->items[i].pid;
                    out->usedGpuMemory = list->items[i].used;
                    out->gpuInstanceId = 0xFFFFFFFFu;  // what NVML reports without MIG
                    out->computeInstanceId = 0xFFFFFFFFu;
                    if (stride == sizeof(nvmlProcessInfo_v3_t)) ((nvmlProcessInfo_v3_t *)entry)->usedGpuCcProtectedMemory = 0;
                }
            }
            *count = visible;
        }
    }
    pthread_mutex_unlock(&fake_lock);
    return code;
}

nvmlReturn_t nvmlDeviceGetComputeRunningProcesses(nvmlDevice_t device, unsigned int *count, nvmlProcessInfo_v1_t *infos) {
    count_call(__func__);
    return running_processes(device, FAKE_COMPUTE, count, infos, sizeof(nvmlProcessInfo_v1_t));
}

nvmlReturn_t nvmlDeviceGetGraphicsRunningProcesses(nvmlDevice_t device, unsigned int *count, nvmlProcessInfo_v1_t *infos) {
    count_call(__func__);
    return running_processes(device, FAKE_GRAPHICS, count, infos, sizeof(nvmlProcessInfo_v1_t));
}

#ifndef FAKE_NVML_NO_PROCESSES_V2
nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v2(nvmlDevice_t device, unsigned int *count, nvmlProcessInfo_v2_t *infos) {
    count_call(__func__);
    return running_processes(device, FAKE_COMPUTE, count, infos, sizeof(nvmlProcessInfo_v2_t));
}

nvmlReturn_t nvmlDeviceGetGraphicsRunningProcesses_v2(nvmlDevice_t device, unsigned int *count, nvmlProcessInfo_v2_t *infos) {
    count_call(__func__);
    return running_processes(device, FAKE_GRAPHICS, count, infos, sizeof(nvmlProcessInfo_v2_t));
}
#endif

#ifndef FAKE_NVML_NO_PROCESSES_V3
nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t device, unsigned int *count, nvmlProcessInfo_v2_t *infos) {
    count_call(__func__);
    return running_processes(device, FAKE_COMPUTE, count, infos, fake.process_info_v3_bytes);
}

nvmlReturn_t nvmlDeviceGetGraphicsRunningProcesses_v3(nvmlDevice_t device, unsigned int *count, nvmlProcessInfo_v2_t *infos) {
    count_call(__func__);
    return running_processes(device, FAKE_GRAPHICS, count, infos, fake.process_info_v3_bytes);
}
#endif

// MARK: MIG

#ifndef FAKE_NVML_NO_MIG
nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t device, unsigned int *current, unsigned int *pending) {
    DEVICE_QUERY(device, current, mig_error);
    if (pending == NULL || d->is_mig) return NVML_ERROR_INVALID_ARGUMENT;
    if (!d->has_mig) return NVML_ERROR_NOT_SUPPORTED;
    *current = (unsigned int)d->mig_current;
    *pending = (unsigned int)d->mig_pending;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(nvmlDevice_t device, unsigned int *count) {
    DEVICE_QUERY(device, count, handle_error);
    if (d->is_mig) return NVML_ERROR_INVALID_ARGUMENT;
    if (!d->has_mig) return NVML_ERROR_NOT_SUPPORTED;
    *count = d->mig_max;
    return NVML_SUCCESS;
}

/// NOT_FOUND for an index with no MIG device, as NVML answers for holes.
nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(nvmlDevice_t device, unsigned int index, nvmlDevice_t *mig) {
    DEVICE_QUERY(device, mig, handle_error);
    if (d->is_mig || index >= d->mig_max) return NVML_ERROR_INVALID_ARGUMENT;
    if (!d->has_mig) return NVML_ERROR_NOT_SUPPORTED;
    if (!d->mig_current) return NVML_ERROR_NOT_FOUND;
    unsigned int parent = (unsigned int)(d - fake.devices);
    for (unsigned int i = 0; i < fake.mig_count; i++) {
        if (fake.migs[i].parent == parent && fake.migs[i].mig_index == index) {
            *mig = &fake.migs[i];
            return NVML_SUCCESS;
        }
    }
    return NVML_ERROR_NOT_FOUND;
}

static nvmlReturn_t instance_id(nvmlDevice_t device, unsigned int *id, int compute) {
    if (!is_initialized()) return NVML_ERROR_UNINITIALIZED;
    struct fake_device *d = lookup(device);
    if (d == NULL || id == NULL || !d->is_mig) return NVML_ERROR_INVALID_ARGUMENT;
    *id = compute ? d->ci : d->gi;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetGpuInstanceId(nvmlDevice_t device, unsigned int *id) {
    count_call(__func__);
    return instance_id(device, id, 0);
}

nvmlReturn_t nvmlDeviceGetComputeInstanceId(nvmlDevice_t device, unsigned int *id) {
    count_call(__func__);
    return instance_id(device, id, 1);
}
#endif
