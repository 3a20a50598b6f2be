public import GatewayKit

/// A suite of checks every ``GatewayKit/GatewayStore`` backend must pass: round trips of every
/// field, conflicts on taken ids and stale versions, `notFound` for missing records, no lost update
/// under concurrent edits, and a change reported for every write.
///
/// Run all checks at once:
///
/// ```swift
/// try await StoreConformanceSuite(makeStore: { try MyStore(...) }).run()
/// ```
///
/// or one test per check, so a failure names the check:
///
/// ```swift
/// @Test(arguments: StoreConformanceSuite.Check.all)
/// func conformance(_ check: StoreConformanceSuite.Check) async throws {
///     try await StoreConformanceSuite(makeStore: { try MyStore(...) }).run(check)
/// }
/// ```
///
/// Each check asks `makeStore` for a store and uses records with fresh random ids, so a backend may
/// hand out one shared database to every check; no check assumes the store starts empty.
public struct StoreConformanceSuite: Sendable {
    /// One named check of the suite.
    public struct Check: Sendable, CustomStringConvertible {
        /// What the check verifies, in words.
        public let name: String
        let body: @Sendable (any GatewayStore, Fixtures) async throws -> Void

        init(_ name: String, _ body: @escaping @Sendable (any GatewayStore, Fixtures) async throws -> Void) {
            self.name = name
            self.body = body
        }

        public var description: String { name }

        /// Every check, in the order ``StoreConformanceSuite/run()`` runs them.
        public static var all: [Check] { records + versions + [changes] + guardrails }
    }

    private let makeStore: @Sendable () async throws -> any GatewayStore

    /// Creates the suite for a backend.
    /// - Parameter makeStore: makes the store a check runs against; called once per check.
    public init(makeStore: @escaping @Sendable () async throws -> any GatewayStore) {
        self.makeStore = makeStore
    }

    /// Runs every check, stopping at the first that fails.
    /// - Throws: ``StoreConformanceFailure`` naming the check and the mismatch.
    public func run() async throws {
        for check in Check.all { try await run(check) }
    }

    /// Runs one check against a new store from `makeStore`.
    /// - Parameter check: the check.
    /// - Throws: ``StoreConformanceFailure`` naming the check and the mismatch, also when
    ///   `makeStore` or a store call throws something the check did not expect.
    public func run(_ check: Check) async throws {
        let store: any GatewayStore
        do {
            store = try await makeStore()
        } catch {
            throw StoreConformanceFailure(check: check.name, message: "makeStore threw \(error)")
        }
        do {
            try await check.body(store, Fixtures())
        } catch let failure as Mismatch {
            throw StoreConformanceFailure(check: check.name, message: failure.message)
        } catch {
            throw StoreConformanceFailure(check: check.name, message: "unexpected error: \(String(reflecting: error))")
        }
    }
}

/// A conformance check that failed: which check, and what the store did wrong.
public struct StoreConformanceFailure: Error, Sendable, CustomStringConvertible {
    /// The name of the failed check.
    public var check: String
    /// What was expected and what the store did.
    public var message: String

    /// Creates a failure.
    /// - Parameters:
    ///   - check: the check's name.
    ///   - message: what went wrong.
    public init(check: String, message: String) {
        self.check = check
        self.message = message
    }

    public var description: String { "store conformance check '\(check)' failed: \(message)" }
}

// Thrown inside a check; `run(_:)` turns it into a StoreConformanceFailure naming the check.
struct Mismatch: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(Mismatch) {
    guard condition else { throw Mismatch(message()) }
}

/// Runs `operation` and requires it to throw a `GatewayError` with `code`.
func requireError(
    _ code: GatewayError.Code, _ what: String, _ operation: () async throws -> Void
) async throws(Mismatch) {
    do {
        try await operation()
    } catch let error as GatewayError {
        try require(error.code == code, "\(what): expected GatewayError \(code), got \(error.code) (\(error.message))")
        return
    } catch {
        throw Mismatch("\(what): expected GatewayError \(code), got \(String(reflecting: error))")
    }
    throw Mismatch("\(what): expected GatewayError \(code), but it succeeded")
}
