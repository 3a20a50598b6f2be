import NIOCore

/// A stream parser for a provider that frames its stream as server-sent events: the bytes go
/// through an ``SSEDecoder`` and each complete event to ``handle(_:)``. Conformers keep their
/// own state and say when the provider's terminator has been seen.
protocol SSEStreamParser: ProviderStreamParser {
    /// The decoder holding any partial event between calls.
    var decoder: SSEDecoder { get set }
    /// Whether the provider's end of stream (its terminator event) has arrived.
    var isComplete: Bool { get }
    /// What `finish()` reports when the body ended before ``isComplete``.
    var truncationMessage: String { get }
    /// Turns one event into the chunks it completes.
    mutating func handle(_ event: SSEEvent) throws -> [ChatChunk]
}

extension SSEStreamParser {
    mutating func parse(_ bytes: ByteBuffer) throws -> [ChatChunk] {
        var chunks: [ChatChunk] = []
        for event in try decoder.feed(bytes) { chunks += try handle(event) }
        return chunks
    }

    mutating func finish() throws -> [ChatChunk] {
        var chunks: [ChatChunk] = []
        for event in decoder.finish() { chunks += try handle(event) }
        // A body that stops before the terminator is a cut-off answer; it must not look complete.
        guard isComplete else { throw GatewayError(.upstream, truncationMessage, upstreamStatus: 200) }
        return chunks
    }
}
