import ArgumentParser
import FoundationEssentials
import HeadroomAdvisor

/// `--pod-names FILE`: names for pod UIDs and container IDs, from a file the user
/// keeps. Headroom never asks the Kubernetes API server.
struct PodNamesOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Name pods and containers from FILE: lines '<pod UID or container ID> <namespace>/<pod>[/<container>]', or a JSON object of such keys to {namespace, pod, container}.",
        valueName: "file"))
    var podNames: String?

    /// The names in the file, or `nil` without the option.
    func load() throws -> WorkloadNames? {
        guard let podNames else { return nil }
        guard let text = SystemRoot.live.readIfPresent(podNames) else {
            throw CommandFailure(description: "cannot read --pod-names file \(podNames)")
        }
        if text.drop(while: { $0.isWhitespace }).first == "{" {
            do {
                return WorkloadNames(byKey: try JSONDecoder().decode([String: WorkloadName].self, from: Data(text.utf8)))
            } catch {
                throw CommandFailure(description: "--pod-names \(podNames): not a JSON object of names: \(error)")
            }
        }
        do {
            return try WorkloadNames.parse(lines: text, path: podNames)
        } catch {
            throw CommandFailure(description: "--pod-names: \(error)")
        }
    }
}

extension ProcessTreeMemory {
    /// Gives each process the names `names` has for its pod or container.
    mutating func name(with names: WorkloadNames) {
        for index in processes.indices {
            processes[index].workloadName = processes[index].workload.flatMap(names.name(for:))
        }
        if let first = processes.first, first.pid == root.pid { root = first }
    }
}
