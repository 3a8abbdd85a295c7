// The NVML and CUDA driver types and function signatures Headroom uses,
// declared here so that clang computes struct layouts. Nothing here links a
// vendor library: the functions are looked up at run time with dlsym and
// called through these pointer types. Layouts follow NVIDIA's nvml.h and
// cuda.h (CUDA 12).
#ifndef CHEADROOM_GPU_H
#define CHEADROOM_GPU_H

#include <stddef.h>

typedef int hr_nvmlReturn_t;
typedef struct hr_nvmlDevice_st *hr_nvmlDevice_t;

#define HR_NVML_SUCCESS 0
#define HR_NVML_ERROR_UNINITIALIZED 1
#define HR_NVML_ERROR_INVALID_ARGUMENT 2
#define HR_NVML_ERROR_NOT_SUPPORTED 3
#define HR_NVML_ERROR_NO_PERMISSION 4
#define HR_NVML_ERROR_NOT_FOUND 6
#define HR_NVML_ERROR_INSUFFICIENT_SIZE 7
#define HR_NVML_ERROR_DRIVER_NOT_LOADED 9
#define HR_NVML_ERROR_FUNCTION_NOT_FOUND 13
#define HR_NVML_ERROR_GPU_IS_LOST 15
#define HR_NVML_ERROR_UNKNOWN 999

#define HR_NVML_TEMPERATURE_GPU 0
#define HR_NVML_DEVICE_NAME_BUFFER_SIZE 96
#define HR_NVML_DEVICE_UUID_BUFFER_SIZE 96
#define HR_NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE 80

/// nvmlMemory_t: what nvmlDeviceGetMemoryInfo fills; `used` includes reserved memory.
typedef struct {
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
} hr_nvmlMemory_t;

/// nvmlMemory_v2_t: reserved memory reported apart from `used`.
typedef struct {
    unsigned int version;
    unsigned long long total;
    unsigned long long reserved;
    unsigned long long free;
    unsigned long long used;
} hr_nvmlMemory_v2_t;

/// The `version` field value for hr_nvmlMemory_v2_t (NVML_STRUCT_VERSION(Memory, 2)).
static inline unsigned int hr_nvmlMemory_v2_version(void) {
    return (unsigned int)(sizeof(hr_nvmlMemory_v2_t) | (2u << 24));
}

typedef struct {
    unsigned int gpu;
    unsigned int memory;
} hr_nvmlUtilization_t;

/// nvmlProcessInfo_v1_t, filled by nvmlDeviceGet*RunningProcesses (no suffix).
typedef struct {
    unsigned int pid;
    unsigned long long usedGpuMemory;
} hr_nvmlProcessInfo_v1_t;

/// nvmlProcessInfo_v2_t, filled by the _v2 and _v3 process queries.
typedef struct {
    unsigned int pid;
    unsigned long long usedGpuMemory;
    unsigned int gpuInstanceId;
    unsigned int computeInstanceId;
} hr_nvmlProcessInfo_v2_t;

/// nvmlPciInfo_t, filled by nvmlDeviceGetPciInfo_v3 (and _v2): `busId` is
/// `domain:bus:device.function` with an 8-digit domain, as DCGM labels it.
typedef struct {
    char busIdLegacy[16];
    unsigned int domain;
    unsigned int bus;
    unsigned int device;
    unsigned int pciDeviceId;
    unsigned int pciSubSystemId;
    char busId[32];
} hr_nvmlPciInfo_t;

typedef hr_nvmlReturn_t (*hr_nvmlInit_fn)(void);
typedef hr_nvmlReturn_t (*hr_nvmlShutdown_fn)(void);
typedef const char *(*hr_nvmlErrorString_fn)(hr_nvmlReturn_t result);
typedef hr_nvmlReturn_t (*hr_nvmlSystemGetString_fn)(char *buffer, unsigned int length);
typedef hr_nvmlReturn_t (*hr_nvmlSystemGetCudaDriverVersion_fn)(int *version);
typedef hr_nvmlReturn_t (*hr_nvmlDeviceGetCount_fn)(unsigned int *count);
typedef hr_nvmlReturn_t (*hr_nvmlDeviceGetHandleByIndex_fn)(unsigned int index, hr_nvmlDevice_t *device);
typedef hr_nvmlReturn_t (*hr_nvmlDeviceGetString_fn)(hr_nvmlDevice_t device, char *buffer, unsigned int length);
typedef hr_nvmlReturn_t (*hr_nvmlDeviceGetPciInfo_fn)(hr_nvmlDevice_t device, hr_nvmlPciInfo_t *pci);
typedef hr_nvmlReturn_t (*hr_nvmlDeviceGetMemoryInfo_fn)(hr_nvmlDevice_t device, hr_nvmlMemory_t *memory);
typedef hr_nvmlReturn_t (*hr_nvmlDeviceGetMemoryInfo_v2_fn)(hr_nvmlDevice_t device, hr_nvmlMemory_v2_t *memory);
typedef hr_nvmlReturn_t (*hr_nvmlDeviceGetUtilizationRates_fn)(hr_nvmlDevice_t device, hr_nvmlUtilization_t *utilization);
typedef hr_nvmlReturn_t (*hr_nvmlDeviceGetTemperature_fn)(hr_nvmlDevice_t device, int sensor, unsigned int *celsius);
typedef hr_nvmlReturn_t (*hr_nvmlDeviceGetUInt_fn)(hr_nvmlDevice_t device, unsigned int *value);
typedef hr_nvmlReturn_t (*hr_nvmlDeviceGetEccMode_fn)(hr_nvmlDevice_t device, int *current, int *pending);
typedef hr_nvmlReturn_t (*hr_nvmlDeviceGetProcesses_v1_fn)(hr_nvmlDevice_t device, unsigned int *count, hr_nvmlProcessInfo_v1_t *infos);
typedef hr_nvmlReturn_t (*hr_nvmlDeviceGetProcesses_v2_fn)(hr_nvmlDevice_t device, unsigned int *count, hr_nvmlProcessInfo_v2_t *infos);

// MIG (Multi-Instance GPU): a GPU's mode, and the MIG devices (slices) it is split into.
// A MIG device handle answers nvmlDeviceGetName, nvmlDeviceGetUUID and the memory
// queries for its slice, and nvmlDeviceGetGpuInstanceId / nvmlDeviceGetComputeInstanceId.
#define HR_NVML_DEVICE_MIG_DISABLE 0
#define HR_NVML_DEVICE_MIG_ENABLE 1
/// nvmlDeviceGetMigMode: the mode now and the mode after the next GPU reset.
typedef hr_nvmlReturn_t (*hr_nvmlDeviceGetMigMode_fn)(hr_nvmlDevice_t device, unsigned int *current, unsigned int *pending);
/// nvmlDeviceGetMigDeviceHandleByIndex: NOT_FOUND for an index with no MIG device behind it.
typedef hr_nvmlReturn_t (*hr_nvmlDeviceGetMigDeviceHandleByIndex_fn)(hr_nvmlDevice_t device, unsigned int index, hr_nvmlDevice_t *migDevice);

// MARK: The CUDA driver API (cuda.h)
//
// The few driver functions Headroom calls to read free device memory and to
// allocate it, under the versioned names libcuda.so.1 exports (cuda.h maps
// cuMemAlloc to cuMemAlloc_v2 and so on with macros). Sizes are size_t, as in
// the _v2 forms; the unsuffixed cuMemGetInfo and cuMemAlloc are the 32-bit ABI
// of CUDA before 3.2 and are never looked up.

typedef int hr_CUresult;
typedef int hr_CUdevice;
typedef struct hr_CUctx_st *hr_CUcontext;
typedef unsigned long long hr_CUdeviceptr;

#define HR_CUDA_SUCCESS 0
#define HR_CUDA_ERROR_INVALID_VALUE 1
#define HR_CUDA_ERROR_OUT_OF_MEMORY 2
#define HR_CUDA_ERROR_NOT_INITIALIZED 3
#define HR_CUDA_ERROR_NO_DEVICE 100
#define HR_CUDA_ERROR_INVALID_DEVICE 101
#define HR_CUDA_ERROR_INVALID_CONTEXT 201

typedef hr_CUresult (*hr_cuInit_fn)(unsigned int flags);
typedef hr_CUresult (*hr_cuDeviceGetCount_fn)(int *count);
typedef hr_CUresult (*hr_cuDeviceGet_fn)(hr_CUdevice *device, int ordinal);
typedef hr_CUresult (*hr_cuDevicePrimaryCtxRetain_fn)(hr_CUcontext *context, hr_CUdevice device);
/// cuDevicePrimaryCtxRelease_v2, or cuDevicePrimaryCtxRelease before CUDA 11 (the same signature).
typedef hr_CUresult (*hr_cuDevicePrimaryCtxRelease_fn)(hr_CUdevice device);
typedef hr_CUresult (*hr_cuCtxSetCurrent_fn)(hr_CUcontext context);
/// cuMemGetInfo_v2.
typedef hr_CUresult (*hr_cuMemGetInfo_fn)(size_t *free, size_t *total);
/// cuMemAlloc_v2.
typedef hr_CUresult (*hr_cuMemAlloc_fn)(hr_CUdeviceptr *pointer, size_t bytes);
/// cuMemFree_v2.
typedef hr_CUresult (*hr_cuMemFree_fn)(hr_CUdeviceptr pointer);
/// cuGetErrorName ("CUDA_ERROR_OUT_OF_MEMORY") and cuGetErrorString ("out of memory"):
/// a static string, or CUDA_ERROR_INVALID_VALUE and NULL for a code the driver does not know.
typedef hr_CUresult (*hr_cuGetErrorName_fn)(hr_CUresult error, const char **name);
typedef hr_CUresult (*hr_cuGetErrorString_fn)(hr_CUresult error, const char **string);

#endif
