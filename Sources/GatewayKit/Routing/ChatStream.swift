import NIOCore

/// A streamed answer: an async sequence of ``ChatChunk``s that is pulled from the provider as it
/// is consumed. The first `next()` resolves the endpoint, falls back along its chain until some
/// endpoint produces a first chunk, and returns that chunk with ``ChatChunk/servedBy`` set.
///
/// Iterating throws `GatewayError`. After the first chunk a failure ends the stream with an error
/// (the provider's, or `upstream` when the stream stopped before the provider's terminator).
public struct ChatStream: AsyncSequence, Sendable {
    public typealias Element = ChatChunk

    let core: RouterCore
    let slug: Endpoint.Slug
    let request: ChatRequest
    let caller: Caller

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(stream: self)
    }

    /// Pulls chunks from the provider. Use it from one task.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private enum State {
            case initial
            case streaming(OpenStream)
            case finished
        }

        private let stream: ChatStream
        private var state = State.initial
        private var pending: [ChatChunk] = []
        private var pendingIndex = 0

        init(stream: ChatStream) {
            self.stream = stream
        }

        /// The next chunk when it has already been read from the provider, without waiting.
        ///
        /// Providers often send several events in one read (and a fast local model, the whole
        /// answer). A server that writes what ``nextBuffered()`` returns together with the chunk
        /// ``next()`` gave makes one write per read instead of one per event, and makes the client
        /// wait for nothing: `nil` means the next chunk needs another read, so call ``next()``.
        /// The first chunk is the exception: it is handed out as soon as its own event is parsed,
        /// and the events read with it come from the next ``next()``, so the client's first event
        /// waits for no other.
        /// - Returns: the next chunk if it is already parsed, otherwise `nil`.
        public mutating func nextBuffered() -> ChatChunk? {
            guard pendingIndex < pending.count else { return nil }
            defer { pendingIndex += 1 }
            return pending[pendingIndex]
        }

        public mutating func next() async throws -> ChatChunk? {
            if pendingIndex < pending.count {
                defer { pendingIndex += 1 }
                return pending[pendingIndex]
            }
            switch state {
            case .finished:
                return nil
            case .initial:
                do {
                    var open = try await stream.core.openStream(stream)
                    var first = open.firstChunks
                    open.firstChunks = []
                    if var outputGuard = open.outputGuard {
                        do {
                            first = try await outputGuard.filter(first)
                        } catch {
                            throw stream.core.brokenStream(open, error: error)
                        }
                        open.outputGuard = outputGuard
                    }
                    state = .streaming(open)
                    pending = first
                    pendingIndex = 1
                    return first.first
                } catch {
                    state = .finished
                    throw error
                }
            case .streaming(var open):
                state = .finished
                while true {
                    var chunks: [ChatChunk]?
                    do {
                        chunks = try await open.source.nextChunks()
                        if var outputGuard = open.outputGuard {
                            if let got = chunks {
                                chunks = try await outputGuard.filter(got)
                            } else if let last = try await outputGuard.finishAll() {
                                chunks = [last]
                            }
                            open.outputGuard = outputGuard
                        }
                    } catch {
                        try Task.checkCancellation()
                        throw stream.core.brokenStream(open, error: error)
                    }
                    guard let chunks else {
                        stream.core.finishStream(open)
                        return nil
                    }
                    for chunk in chunks where chunk.usage != nil { open.usage = chunk.usage }
                    guard let first = chunks.first else { continue }
                    state = .streaming(open)
                    pending = chunks
                    pendingIndex = 1
                    return first
                }
            }
        }
    }
}

/// Where a stream's chunks come from after it is open.
enum ChunkSource {
    /// `held`: bytes read from the body but not parsed yet (see ``nextChunks(firstEventOnly:)``).
    case http(body: UpstreamBody.AsyncIterator, parser: any ProviderStreamParser, ended: Bool, held: ByteBuffer?)
    case inProcess(any AsyncIteratorProtocol<ChatChunk, any Error>)
    case empty

    /// The next chunks; `nil` when the stream has ended cleanly.
    /// - Parameter firstEventOnly: parse a read only up to the end of its first server-sent
    ///   event and hold the rest for the next call. A provider often sends several events in one
    ///   read; the first chunk then goes to the client without waiting for the others to be
    ///   parsed. Any split is safe, as every stream parser takes its bytes in arbitrary pieces.
    mutating func nextChunks(firstEventOnly: Bool = false) async throws -> [ChatChunk]? {
        switch self {
        case .empty:
            return nil
        case .inProcess(var iterator):
            self = .empty
            guard let chunk = try await iterator.next(isolation: nil) else { return nil }
            self = .inProcess(iterator)
            return [chunk]
        case .http(var body, var parser, let ended, let held):
            self = .empty
            var bytes: ByteBuffer
            if let held {
                bytes = held
            } else {
                if ended { return nil }
                guard let read = try await body.next() else {
                    let last = try parser.finish()
                    self = .http(body: body, parser: parser, ended: true, held: nil)
                    return last
                }
                bytes = read
            }
            var rest: ByteBuffer?
            if firstEventOnly, let end = Self.endOfFirstEvent(bytes), end < bytes.readableBytes {
                rest = bytes.getSlice(at: bytes.readerIndex + end, length: bytes.readableBytes - end)
                bytes = bytes.getSlice(at: bytes.readerIndex, length: end) ?? bytes
            }
            let chunks = try parser.parse(bytes)
            self = .http(body: body, parser: parser, ended: false, held: rest)
            return chunks
        }
    }

    /// The length of `bytes` up to and including the first blank line (`\n\n`), if any.
    private static func endOfFirstEvent(_ bytes: ByteBuffer) -> Int? {
        bytes.withUnsafeReadableBytes { raw in
            guard raw.count >= 2 else { return nil }
            for index in 1..<raw.count where raw[index] == UInt8(ascii: "\n") && raw[index - 1] == UInt8(ascii: "\n") {
                return index + 1
            }
            return nil
        }
    }
}

/// A stream that produced its first chunk.
struct OpenStream {
    var prepared: RouterCore.Prepared
    var trail: AttemptTrail
    var source: ChunkSource
    var firstChunks: [ChatChunk]
    var started: ContinuousClock.Instant
    var upstreamStarted: ContinuousClock.Instant
    // Accounts the stream as cancelled if it is dropped unfinished; holds the latest usage.
    let account: StreamAccount
    /// The output guardrails, when the endpoint has any.
    var outputGuard: OutputStreamGuard?

    var usage: Usage? {
        get { account.usage }
        nonmutating set { account.usage = newValue }
    }
}

@available(*, unavailable)
extension ChatStream.AsyncIterator: Sendable {}
