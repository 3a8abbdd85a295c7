#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomAdvisor
import HeadroomRun
import Synchronization

/// The live status line: redrawn in place on a terminal (at most four times a
/// second), or printed as a plain line every so often when standard error is a
/// file or a pipe.
final class StatusDisplay: Sendable {
    private let isTerminal = isatty(2) == 1
    private let plainEvery: Double
    private let last = Mutex<(shown: Double, isDrawn: Bool)>((-1e9, false))

    init(plainEvery: Double) {
        self.plainEvery = plainEvery
    }

    func show(_ sample: MemorySample) {
        let line = StatusLine.format(sample)
        last.withLock { state in
            if isTerminal {
                guard sample.time - state.shown >= 0.25 else { return }
                Output.raw("\r\u{1B}[2K" + line)
                state = (sample.time, true)
            } else if plainEvery > 0, sample.time - state.shown >= plainEvery {
                Output.note("headroom: " + line)
                state = (sample.time, false)
            }
        }
    }

    /// Removes the line from the terminal, before other output.
    func clear() {
        last.withLock { state in
            if state.isDrawn { Output.raw("\r\u{1B}[2K") }
            state.isDrawn = false
        }
    }
}
