#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// A fresh directory for one test's database files, removed afterwards.
struct TemporaryDirectory {
    let url: URL

    var databasePath: String { url.appendingPathComponent("gateway.sqlite").path }

    static func with<T>(_ body: (TemporaryDirectory) async throws -> T) async throws -> T {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("gatewaykit-sqlite-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try await body(TemporaryDirectory(url: url))
    }

    // The bytes of the database file and its write-ahead log, whichever exist.
    func databaseBytes() throws -> [(file: String, bytes: [UInt8])] {
        try [databasePath, databasePath + "-wal"].compactMap { path in
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            return (path, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        }
    }
}

extension Array where Element == UInt8 {
    func contains(bytes needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        return (0...(count - needle.count)).contains { start in
            self[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}
