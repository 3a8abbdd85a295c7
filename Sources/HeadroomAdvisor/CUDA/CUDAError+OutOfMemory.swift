// A CUDA error with CUDA_ERROR_OUT_OF_MEMORY makes the batcher shrink and retry;
// any other code stops the run with the item range.
extension CUDAError: OutOfMemoryClassifiable {}
