#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The number of read stripes: each thread that reads a cache owns one (the
/// same in every cache) until it exits, so its lock-free reads write only lines
/// no other thread writes. A thread that finds all stripes owned reads under
/// the shard's lock, as every read did before.
@usableFromInline let readStripeCount = 32

/// Bit `i` set: stripe `i` is owned by a live thread.
let ownedReadStripes = Atomic<UInt64>(0)

/// Each thread's stripe plus one, or `readStripeCount + 1` for none; nil before
/// its first read. Its destructor hands the stripe back when the thread exits.
@usableFromInline let readStripeKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, releaseReadStripe)
    return key
}()

#if os(Linux)
private func releaseReadStripe(_ value: UnsafeMutableRawPointer?) {
    releaseReadStripe(Int(bitPattern: value) - 1)
}
#else
private func releaseReadStripe(_ value: UnsafeMutableRawPointer) {
    releaseReadStripe(Int(bitPattern: value) - 1)
}
#endif

private func releaseReadStripe(_ stripe: Int) {
    guard stripe >= 0, stripe < readStripeCount else { return }
    ownedReadStripes.bitwiseAnd(~(UInt64(1) << UInt64(stripe)), ordering: .releasing)
}

/// This thread's read stripe, 0..<``readStripeCount``, or -1 if it has none.
@inlinable @inline(__always)
func currentReadStripe() -> Int {
    let stored = Int(bitPattern: pthread_getspecific(readStripeKey))
    return stored != 0 ? (stored <= readStripeCount ? stored - 1 : -1) : claimReadStripe()
}

/// Claims the lowest free stripe for this thread (or none, if all are owned).
@usableFromInline
func claimReadStripe() -> Int {
    var owned = ownedReadStripes.load(ordering: .relaxed)
    while true {
        let free = ~owned & ((UInt64(1) << UInt64(readStripeCount)) - 1)
        guard free != 0 else {
            pthread_setspecific(readStripeKey, UnsafeRawPointer(bitPattern: readStripeCount + 1))
            return -1
        }
        let stripe = free.trailingZeroBitCount
        let (exchanged, now) = ownedReadStripes.compareExchange(
            expected: owned, desired: owned | (UInt64(1) << UInt64(stripe)), ordering: .acquiringAndReleasing)
        if exchanged {
            pthread_setspecific(readStripeKey, UnsafeRawPointer(bitPattern: stripe + 1))
            return stripe
        }
        owned = now
    }
}
