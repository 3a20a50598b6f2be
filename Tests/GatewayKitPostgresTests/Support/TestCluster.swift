import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A PostgreSQL cluster of a test's own, for tests that restart the server: started with
/// scripts/start-postgres.sh and deleted with scripts/stop-postgres.sh.
struct TestCluster: Sendable {
    let url: String
    let directory: String

    static func with<T: Sendable>(_ body: (TestCluster) async throws -> T) async throws -> T {
        let cluster = try start()
        do {
            let result = try await body(cluster)
            cluster.stop()
            return result
        } catch {
            cluster.stop()
            throw error
        }
    }

    static func start() throws -> TestCluster {
        let output = try run("start-postgres.sh", [])
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("export ") {
            let assignment = line.dropFirst("export ".count)
            guard let equals = assignment.firstIndex(of: "=") else { continue }
            let value = assignment[assignment.index(after: equals)...].trimmingCharacters(
                in: CharacterSet(charactersIn: "'"))
            values[String(assignment[..<equals])] = value
        }
        guard let url = values["POSTGRES_URL"], let directory = values["POSTGRES_DIR"] else {
            throw ScriptFailure(description: "start-postgres.sh printed no POSTGRES_URL and POSTGRES_DIR")
        }
        return TestCluster(url: url, directory: directory)
    }

    /// Restarts the server (`pg_ctl restart -m fast`): every connection drops.
    func restart() throws {
        _ = try Self.run("restart-postgres.sh", [directory])
    }

    func stop() {
        _ = try? Self.run("stop-postgres.sh", [directory])
    }

    private static let scripts = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts")

    // Through system(3), which waits for the script itself: Foundation's Process did not notice
    // the script's exit inside the test runner. Output goes through a file, read afterwards.
    private static func run(_ script: String, _ arguments: [String]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gatewaykit-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        let words = [scripts.appendingPathComponent(script).path] + arguments
        let command = "bash " + words.map { "'\($0)'" }.joined(separator: " ") + " > '\(output.path)'"
        let status = system(command)
        guard status == 0 else {
            throw ScriptFailure(description: "scripts/\(script) failed with status \(status)")
        }
        return (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    }
}

struct ScriptFailure: Error, CustomStringConvertible {
    var description: String
}
