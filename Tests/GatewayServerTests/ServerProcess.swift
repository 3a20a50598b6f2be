import Foundation
import Testing

/// A built executable of this package, next to the test bundle.
func builtProduct(_ name: String) throws -> URL {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent(),
        URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug"),
    ]
    for directory in candidates {
        let url = directory.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    Issue.record("\(name) is not built next to the tests; run `swift build --product \(name)` first")
    throw CocoaError(.fileNoSuchFile)
}

/// A new empty directory under the temporary directory; the caller removes it.
func makeScratchDirectory(_ prefix: String) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

/// The `gateway-server` binary running as a child process, its output captured in files.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: `process` is configured before it starts and only read afterwards; the exit
    // status arrives through `exit`, an AsyncStream.
    let process = Process()
    let directory: URL
    let exit: AsyncStream<Int32>
    private let exitContinuation: AsyncStream<Int32>.Continuation

    init(arguments: [String], environment: [String: String]) throws {
        directory = try makeScratchDirectory("gateway-server")
        _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("stdout").path, contents: nil)
        _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("stderr").path, contents: nil)
        (exit, exitContinuation) = AsyncStream.makeStream()
        process.executableURL = try builtProduct("gateway-server")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: directory.appendingPathComponent("stdout"))
        process.standardError = try FileHandle(forWritingTo: directory.appendingPathComponent("stderr"))
        let continuation = exitContinuation
        process.terminationHandler = { process in
            continuation.yield(process.terminationStatus)
            continuation.finish()
        }
        try process.run()
    }

    var stdout: String { (try? String(contentsOf: directory.appendingPathComponent("stdout"), encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: directory.appendingPathComponent("stderr"), encoding: .utf8)) ?? "" }

    /// The port from the "listening on http://host:port" line, once the server prints it.
    func waitForPort(timeout: Duration = .seconds(60)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = stdout.split(separator: "\n").first(where: { $0.contains("listening on http://") }),
                let address = line.split(separator: " ").first(where: { $0.hasPrefix("http://") }),
                let port = address.split(separator: ":").last.flatMap({ Int($0) })
            {
                return port
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("gateway-server did not start; stdout: \(stdout) stderr: \(stderr)")
        throw CocoaError(.fileReadUnknown)
    }

    /// The exit status, waiting at most `timeout`; `nil` if it is still running then.
    func waitForExit(timeout: Duration = .seconds(30)) async -> Int32? {
        let exit = self.exit
        return await withTaskGroup(of: Int32?.self) { group in
            group.addTask {
                var iterator = exit.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let status = await group.next() ?? nil
            group.cancelAll()
            return status
        }
    }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: directory)
    }
}
