/// Whether the limiter trusts Redis, as a pure state machine: it decides where each request goes
/// and records what came back, and does no I/O.
///
/// Healthy, every request goes to Redis; the first failure degrades. Degraded, requests are
/// decided locally, except that one request per `probeInterval` tries Redis; its success
/// recovers. Each transition starts a new epoch, so an answer to a request routed before a
/// transition cannot flip the state back.
struct RedisHealth<Instant: InstantProtocol<Duration>>: Sendable where Instant: Sendable {
    enum Route: Sendable, Equatable {
        /// Ask Redis; a failure degrades.
        case redis
        /// Degraded, and this request is the one that checks whether Redis is back.
        case probe
        /// Degraded: decide in memory.
        case local
    }

    /// Where a request was sent, to hand back with its outcome.
    struct Ticket: Sendable, Equatable {
        var route: Route
        var epoch: Int
    }

    /// A change of state the caller should log and publish.
    enum Transition: Sendable, Equatable {
        case degraded
        case recovered
    }

    let probeInterval: Duration
    private(set) var isDegraded = false
    private var epoch = 0
    private var nextProbe: Instant?

    init(probeInterval: Duration) {
        self.probeInterval = probeInterval
    }

    /// Where the request arriving at `now` goes.
    mutating func route(at now: Instant) -> Ticket {
        guard isDegraded else { return Ticket(route: .redis, epoch: epoch) }
        if let nextProbe, now < nextProbe { return Ticket(route: .local, epoch: epoch) }
        nextProbe = now.advanced(by: probeInterval)
        return Ticket(route: .probe, epoch: epoch)
    }

    /// Records that Redis answered the request sent with `ticket`.
    mutating func succeeded(_ ticket: Ticket) -> Transition? {
        guard isDegraded, ticket.route == .probe, ticket.epoch == epoch else { return nil }
        isDegraded = false
        nextProbe = nil
        epoch += 1
        return .recovered
    }

    /// Records that Redis failed the request sent with `ticket` at `now`.
    mutating func failed(_ ticket: Ticket, at now: Instant) -> Transition? {
        guard !isDegraded, ticket.route == .redis, ticket.epoch == epoch else { return nil }
        isDegraded = true
        nextProbe = now.advanced(by: probeInterval)
        epoch += 1
        return .degraded
    }
}
