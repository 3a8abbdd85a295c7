/// A pod's namespace and name, and a container's name, as a person calls them.
public struct WorkloadName: Sendable, Hashable, Codable {
    public var namespace: String?
    public var pod: String?
    public var container: String?

    public init(namespace: String? = nil, pod: String? = nil, container: String? = nil) {
        self.namespace = namespace
        self.pod = pod
        self.container = container
    }
}

/// Names for pod UIDs and container IDs, from a file the user gives
/// (`--pod-names`): Headroom never asks the API server.
///
/// The line format, one mapping a line, `#` starting a comment:
///
/// ```
/// 0b7a1c2d-1111-2222-3333-444455556666  ml/trainer-0
/// 3f1e…(64 hex digits)                  ml/trainer-0/main
/// ```
///
/// The key is a pod UID (dashes or underscores) or a container ID; the value is
/// `namespace/pod`, optionally followed by `/container`.
public struct WorkloadNames: Sendable, Hashable {
    /// Names by pod UID (lowercase, with dashes) or container ID (lowercase).
    public var byKey: [String: WorkloadName]

    public init(byKey: [String: WorkloadName] = [:]) {
        self.byKey = Dictionary(byKey.map { (WorkloadNames.normalized($0.key), $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// Parses the line format.
    /// - Throws: ``ProbeError`` (`.malformed`) naming the first line it cannot read.
    public static func parse(lines text: String, path: String = "pod names") throws(ProbeError) -> WorkloadNames {
        var names: [String: WorkloadName] = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = line.words
            if words.isEmpty { continue }
            let parts = words.count == 2 ? words[1].split(separator: "/", omittingEmptySubsequences: false) : []
            guard (2...3).contains(parts.count), !parts.contains(where: \.isEmpty) else {
                throw ProbeError(.malformed, path: path,
                                 "line \(number + 1): expected '<pod UID or container ID> <namespace>/<pod>[/<container>]'")
            }
            names[String(words[0])] = WorkloadName(namespace: String(parts[0]), pod: String(parts[1]),
                                                   container: parts.count == 3 ? String(parts[2]) : nil)
        }
        return WorkloadNames(byKey: names)
    }

    /// The names for `identity`: its container's entry over its pod's, field by field.
    public func name(for identity: WorkloadIdentity) -> WorkloadName? {
        let pod = identity.podUID.flatMap { byKey[$0] }
        let container = identity.containerID.flatMap { byKey[$0] }
        guard pod != nil || container != nil else { return nil }
        return WorkloadName(namespace: container?.namespace ?? pod?.namespace, pod: container?.pod ?? pod?.pod,
                            container: container?.container ?? pod?.container)
    }

    static func normalized(_ key: String) -> String {
        String(key.lowercased().map { $0 == "_" ? "-" : $0 })
    }
}
