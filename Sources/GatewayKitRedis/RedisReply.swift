/// A Redis reply copied out of hiredis's `redisReply`, so it outlives `freeReplyObject`.
enum RedisReply: Sendable, Equatable {
    case status(String)
    case error(String)
    case integer(Int64)
    case bulk(String)
    case null
    case array([RedisReply])

    /// The text of a status or bulk reply.
    var text: String? {
        switch self {
        case .status(let text), .bulk(let text): text
        default: nil
        }
    }
}

/// Why a Redis call did not produce a usable answer.
enum RedisFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The connection could not be opened, broke, or a socket read or write timed out.
    case connection(String)
    /// The decision's deadline passed before Redis answered.
    case timedOut
    /// `AUTH` was refused.
    case authentication(String)
    /// `SELECT` was refused.
    case database(String)
    /// The server answered with an error reply.
    case server(String)
    /// The server answered with something the limiter did not expect.
    case unexpectedReply(String)
    /// The limiter is shut down.
    case shutDown

    var description: String {
        switch self {
        case .connection(let reason): "connection failed: \(reason)"
        case .timedOut: "no answer within the command timeout"
        case .authentication(let message): "AUTH refused: \(message)"
        case .database(let message): "SELECT refused: \(message)"
        case .server(let message): "server error: \(message)"
        case .unexpectedReply(let reply): "unexpected reply: \(reply)"
        case .shutDown: "the limiter is shut down"
        }
    }
}
