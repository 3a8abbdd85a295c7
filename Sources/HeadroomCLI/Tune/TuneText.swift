import HeadroomAdvisor
import HeadroomRun

/// `headroom tune`'s words for people.
enum TuneText {
    static func starting(size: Int, number: Int) -> String {
        "trial \(number): batch \(size)..."
    }

    static func progress(_ trial: TuneTrial) -> String {
        let verdict = switch trial.outcome {
        case .fits: "fits"
        case .outOfMemory: "out of memory"
        case .failed: "failed"
        }
        return "  batch \(trial.size): \(verdict) (\(trial.reason), \(trial.seconds.fixed(1)) s)"
    }

    static func summary(_ report: TuneReport) -> String {
        guard let largest = report.largestFitting, let recommended = report.recommended else {
            return "no batch size fits\n"
        }
        var lines: [String] = []
        if let failing = report.smallestFailing {
            lines.append("largest batch that fits: \(largest) (\(failing) runs out of memory)")
        } else if report.reachedMaximum {
            lines.append("largest batch that fits: \(largest), the --max; the program may take more")
        } else {
            lines.append("largest batch that fits: \(largest)")
        }
        lines.append("recommended: \(recommended) (\(Int((report.margin * 100).rounded()))% of \(largest), room for inputs that vary)")
        lines.append("trials: \(report.trials.count), \(report.outOfMemoryCount) out of memory, \(report.seconds.fixed(1)) s")
        return lines.joined(separator: "\n") + "\n"
    }
}
