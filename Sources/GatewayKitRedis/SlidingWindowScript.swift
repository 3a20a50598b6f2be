import GatewayKit

/// The Lua script that decides one request atomically, and how to call it.
///
/// KEYS[1] is the limit's sorted set; ARGV is the limit, the window in microseconds and a member
/// unique to this request. Scores are microseconds of Redis's own clock (`TIME`), so instances
/// whose clocks disagree still share one window. Microseconds since 1970 (about 1.8e15) stay
/// below 2^53, so Lua's doubles hold them exactly.
enum SlidingWindowScript {
    static let source = """
        if redis.replicate_commands then pcall(redis.replicate_commands) end
        local key = KEYS[1]
        local limit = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
        local count = redis.call('ZCARD', key)
        if count < limit then
            redis.call('ZADD', key, now, ARGV[3])
            redis.call('PEXPIRE', key, math.ceil(window / 1000))
            return {1, limit - count - 1, 0}
        end
        local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
        return {0, 0, tonumber(oldest[2]) + window - now}
        """
    // The first line matters only before Redis 5, where scripts were replicated verbatim and a
    // script that reads TIME had to ask for effects replication; 5 and later do that by default.
    // ZREMRANGEBYSCORE with an inclusive bound drops an entry exactly one window old, as the
    // in-memory window does.

    /// The `EVALSHA` arguments for one decision.
    static func arguments(sha: String, key: String, limit: Int, window: Duration, member: String) -> [String] {
        ["EVALSHA", sha, "1", key, String(limit), String(microseconds(window)), member]
    }

    /// Reads the script's `{allowed, remaining, retry µs}` reply.
    static func decision(from reply: RedisReply, limit: Int) throws(RedisFailure) -> RateLimitDecision {
        switch reply {
        case .array(let items) where items.count == 3:
            guard case .integer(let allowed) = items[0], case .integer(let remaining) = items[1],
                case .integer(let retry) = items[2]
            else { break }
            return RateLimitDecision(
                allowed: allowed == 1,
                limit: limit,
                remaining: Int(remaining),
                retryAfter: allowed == 1 ? nil : .microseconds(max(retry, 1))
            )
        case .error(let message):
            throw .server(message)
        default:
            break
        }
        throw .unexpectedReply(String(describing: reply))
    }

    /// The window in whole microseconds, at least one millisecond (the least `PEXPIRE` takes).
    static func microseconds(_ window: Duration) -> Int64 {
        let (seconds, attoseconds) = window.components
        return max(1000, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
    }
}
