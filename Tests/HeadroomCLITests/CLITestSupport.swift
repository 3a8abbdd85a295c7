import Foundation
import HeadroomSystemTestKit
import Testing

/// The built `headroom` binary, and helpers to read what it prints.
enum CLI {
    static let runner = CommandRunner(product: "headroom")

    /// Runs `headroom` with NVML pointed at `nvml` (by default a path that does not exist, so
    /// the tests see "no GPU" on every machine, GPU hosts included).
    static func run(_ arguments: [String], nvml: String = "/nonexistent/libnvidia-ml.so.1",
                    environment: [String: String] = [:]) throws -> CommandRunner.Result {
        try runner.run(arguments, environment: environment.merging(["HEADROOM_NVML_LIBRARY": nvml]) { $1 })
    }

    /// Standard output parsed as a JSON object.
    static func json(_ result: CommandRunner.Result) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
        return try #require(object as? [String: Any], "not a JSON object: \(result.standardOutput)")
    }

    /// `MemTotal` of this machine in bytes, read directly.
    static func memTotal() throws -> Int64 {
        let text = try String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("MemTotal:") })
        let kib = try #require(Int64(line.split(separator: " ")[1]))
        return kib * 1024
    }
}

extension Dictionary where Key == String, Value == Any {
    /// The value at a dotted path such as `host.totalBytes` or `gpus.0.name`.
    func at(_ path: String) -> Any? {
        var current: Any? = self
        for part in path.split(separator: ".") {
            if let index = Int(part), let array = current as? [Any] {
                current = index < array.count ? array[index] : nil
            } else {
                current = (current as? [String: Any])?[String(part)]
            }
        }
        return current
    }

    func int(_ path: String) -> Int64? { (at(path) as? NSNumber)?.int64Value }
    func double(_ path: String) -> Double? { (at(path) as? NSNumber)?.doubleValue }
    func string(_ path: String) -> String? { at(path) as? String }
}
