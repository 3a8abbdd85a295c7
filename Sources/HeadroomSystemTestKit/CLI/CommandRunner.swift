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
        // Standard error goes to a file, so that neither stream can fill its pipe and stall the child.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorData = (try? Data(contentsOf: errorFile)) ?? Data()
        return Result(status: process.terminationStatus,
                      standardOutput: String(decoding: outputData, as: UTF8.self),
                      standardError: String(decoding: errorData, as: UTF8.self))
    }
}
