import Foundation

/// Runs a built executable of this package and captures what it printed,
/// for tests of the command-line tool as a user meets it.
public struct CommandRunner: Sendable {
    /// The outcome of one run.
    public struct Result: Sendable {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
    }

    /// The executable to run.
    public var executable: URL

    /// A runner for the executable at `executable`.
    public init(executable: URL) {
        self.executable = executable
    }

    /// A runner for `name` in the directory the test bundle was built into.
    public init(product name: String) {
        executable = CommandRunner.productsDirectory.appendingPathComponent(name)
    }

    /// Where SwiftPM put the built products: the test bundle's own directory.
    public static var productsDirectory: URL {
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
        #else
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        #endif
    }

    /// Runs the executable with `arguments`, with `environment` added to this process's.
    /// - Throws: when the executable cannot be started.
    public func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        // Both streams go to files: a pipe would stall a child that fills it, and its end-of-file
        // would wait for every process that inherited the write end, not only this one.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-run-\(UUID().uuidString)")
        let outputFile = scratch.appendingPathExtension("out"), errorFile = scratch.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outputFile)
            try? FileManager.default.removeItem(at: errorFile)
        }
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let outputData = (try? Data(contentsOf: outputFile)) ?? Data()
        let errorData = (try? Data(contentsOf: errorFile)) ?? Data()
        return Result(status: process.terminationStatus,
                      standardOutput: String(decoding: outputData, as: UTF8.self),
                      standardError: String(decoding: errorData, as: UTF8.self))
    }
}
