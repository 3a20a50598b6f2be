import Foundation
import Testing

/// The result of one `gateway` run.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the built `gateway` binary in `directory` with `arguments`, feeding `input` on stdin.
func runGateway(
    _ arguments: [String], in directory: URL, environment: [String: String] = [:], input: String = ""
) async throws -> CLIResult {
    let binary = try builtGateway()
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var env = [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "GATEWAY_MASTER_KEY": cliMasterKey,
    ]
    env.merge(environment) { $1 }
    process.environment = env
    let stdout = directory.appendingPathComponent("stdout-\(UUID().uuidString)")
    let stderr = directory.appendingPathComponent("stderr-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
    _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: stdout)
    process.standardError = try FileHandle(forWritingTo: stderr)
    let stdin = Pipe()
    process.standardInput = stdin
    let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
        process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
        do {
            try process.run()
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        } catch {
            continuation.resume(throwing: error)
        }
    }
    return CLIResult(
        status: status, stdout: try String(contentsOf: stdout, encoding: .utf8),
        stderr: try String(contentsOf: stderr, encoding: .utf8)
    )
}

let cliMasterKey = "cli-test-master-key-0123456789abcdef"

func builtGateway() throws -> URL {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent(),
        URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug"),
    ]
    for directory in candidates {
        let url = directory.appendingPathComponent("gateway")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    Issue.record("gateway is not built next to the tests; run `swift build --product gateway` first")
    throw CocoaError(.fileNoSuchFile)
}

/// A fresh temporary directory, removed after `body`.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}
