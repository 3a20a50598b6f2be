import CHiredis
import GatewayKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One blocking hiredis connection.
///
/// Every call blocks its thread, so the pool runs them only on its own threads. A connection whose
/// context reports an error (a broken socket or a read that timed out) is never used again.
// @unchecked Sendable: a connection is used by one thread at a time; the pool hands it out and
// takes it back under its mutex, so no two threads ever touch the same context.
final class RedisConnection: @unchecked Sendable {
    private let context: UnsafeMutablePointer<redisContext>

    private init(context: UnsafeMutablePointer<redisContext>) {
        self.context = context
    }

    deinit {
        redisFree(context)
    }

    /// Opens a connection, sets its socket timeouts, then authenticates and selects the database.
    static func open(_ configuration: RedisRateLimiter.Configuration) throws(RedisFailure) -> RedisConnection {
        guard let context = redisConnectWithTimeout(
            configuration.host, Int32(clamping: configuration.port), makeTimeval(configuration.connectTimeout)
        ) else {
            throw .connection("hiredis could not allocate a connection")
        }
        let connection = RedisConnection(context: context)
        if context.pointee.err != 0 {
            throw .connection(connection.errorText)
        }
        guard redisSetTimeout(context, makeTimeval(configuration.commandTimeout)) == REDIS_OK else {
            throw .connection("could not set the socket timeout: \(connection.errorText)")
        }
        if let password = configuration.password {
            var arguments = ["AUTH"]
            if let username = configuration.username { arguments.append(username) }
            arguments.append(password.reveal())
            try connection.expectOK(arguments, failure: RedisFailure.authentication)
        }
        if configuration.database != 0 {
            try connection.expectOK(["SELECT", String(configuration.database)], failure: RedisFailure.database)
        }
        return connection
    }

    /// Whether the connection has failed and must be replaced.
    var isBroken: Bool { context.pointee.err != 0 }

    /// Sends one command and waits for its reply.
    /// - Throws: `RedisFailure.connection` when the socket fails or times out. An error reply is
    ///   returned as `.error`, not thrown.
    func command(_ arguments: [String]) throws(RedisFailure) -> RedisReply {
        let strings = arguments.map { strdup($0) }
        defer { strings.forEach { free($0) } }
        let lengths = arguments.map { $0.utf8.count }
        let argv: [UnsafePointer<CChar>?] = strings.map { $0.map { UnsafePointer($0) } }
        let raw = argv.withUnsafeBufferPointer { argvBuffer in
            lengths.withUnsafeBufferPointer { lengthBuffer in
                redisCommandArgv(
                    context, Int32(arguments.count), UnsafeMutablePointer(mutating: argvBuffer.baseAddress),
                    lengthBuffer.baseAddress
                )
            }
        }
        guard let raw else {
            throw .connection(errorText)
        }
        defer { freeReplyObject(raw) }
        return Self.copy(raw.assumingMemoryBound(to: redisReply.self).pointee)
    }

    private func expectOK(_ arguments: [String], failure: (String) -> RedisFailure) throws(RedisFailure) {
        let reply = try command(arguments)
        if case .error(let message) = reply { throw failure(message) }
        guard reply == .status("OK") else { throw .unexpectedReply(String(describing: reply)) }
    }

    private var errorText: String {
        withUnsafeBytes(of: context.pointee.errstr) { bytes in
            let text = bytes.prefix { $0 != 0 }
            return text.isEmpty ? "unknown hiredis error \(context.pointee.err)" : String(decoding: text, as: UTF8.self)
        }
    }

    private static func copy(_ reply: redisReply) -> RedisReply {
        func text() -> String {
            guard let str = reply.str else { return "" }
            return String(decoding: UnsafeRawBufferPointer(start: str, count: Int(reply.len)), as: UTF8.self)
        }
        switch reply.type {
        case REDIS_REPLY_STATUS: return .status(text())
        case REDIS_REPLY_ERROR: return .error(text())
        case REDIS_REPLY_INTEGER: return .integer(reply.integer)
        case REDIS_REPLY_STRING: return .bulk(text())
        case REDIS_REPLY_ARRAY:
            guard let elements = reply.element else { return .array([]) }
            return .array((0..<Int(reply.elements)).map { index in
                elements[index].map { copy($0.pointee) } ?? .null
            })
        default: return .null
        }
    }
}

private func makeTimeval(_ duration: Duration) -> timeval {
    let (seconds, attoseconds) = duration.components
    return timeval(tv_sec: .init(seconds), tv_usec: .init(attoseconds / 1_000_000_000_000))
}
