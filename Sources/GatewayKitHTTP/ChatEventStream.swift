import GatewayKit
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// A streamed chat answer as server-sent events: `data: <chunk>\n\n` for each chunk, then
/// `data: [DONE]\n\n`.
///
/// The first chunk is awaited before the response head is sent, so a failure before it (after
/// every fallback) is an ordinary JSON error with its status, and the head can name the endpoint
/// that serves the stream. A failure after it is sent as a `data: {"error": …}` event, then the
/// stream closes without `[DONE]`.
///
/// Each upstream chunk is read only after the previous one was written (so a slow client slows the
/// upstream read instead of filling memory), and a client that goes away cancels the upstream
/// request.
enum ChatEventStream {
    static func response(for stream: ChatStream, channel: (any Channel)?, includeUsage: Bool) async throws -> Response {
        var iterator = stream.makeAsyncIterator()
        let first = try await DisconnectWatch.run(on: channel) {
            try await iterator.next()
        }
        guard let first else { throw emptyStream }
        let handoff = IteratorHandoff(iterator)
        return Response(
            status: .ok, headers: headers(servedBy: first.servedBy),
            body: ResponseBody { @concurrent writer in
                guard var iterator = handoff.take() else { return }
                try await DisconnectWatch.run(on: channel) {
                    try await pump(first: first, rest: &iterator, includeUsage: includeUsage) { events in
                        try await writer.write(events)
                    }
                }
                try await writer.finish(nil)
            }
        )
    }

    /// The failure of a stream that ended before its first chunk.
    static var emptyStream: GatewayError {
        GatewayError(.upstream, "the provider ended the stream without sending anything")
    }

    /// The head of an event stream served by `servedBy`.
    static func headers(servedBy: ServedBy?) -> HTTPFields {
        var headers = HTTPFields.servedBy(servedBy)
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return headers
    }

    /// Writes the events of a stream whose head is sent: `first`, the rest of the chunks, the usage
    /// chunk when asked for, then `[DONE]`; a failure after `first` is written as an error event,
    /// and ends the stream without `[DONE]`.
    ///
    /// Every chunk already read with another goes out in the same `write`, and the next chunk is
    /// read only once `write` returns.
    /// - Throws: what `write` throws; `CancellationError` when the task is cancelled.
    static func pump(
        first: ChatChunk, rest iterator: inout ChatStream.AsyncIterator, includeUsage: Bool,
        write: @concurrent (ByteBuffer) async throws -> Void
    ) async throws {
        var events = UsageFilter(includeUsage: includeUsage)
        var chunk: ChatChunk? = first
        while let read = chunk {
            var out = ByteBuffer()
            append(read, &events, to: &out)
            while let more = iterator.nextBuffered() { append(more, &events, to: &out) }
            if out.readableBytes > 0 { try await write(out) }
            do {
                chunk = try await iterator.next()
            } catch {
                try Task.checkCancellation()
                let failure = GatewayError.fromHTTP(error)
                try await write(event(failure.openAIObject))
                return
            }
        }
        var end = events.usageChunk().map(event) ?? ByteBuffer()
        end.writeString("data: [DONE]\n\n")
        try await write(end)
    }

    private static func append(_ chunk: ChatChunk, _ events: inout UsageFilter, to out: inout ByteBuffer) {
        guard let chunk = events.pass(chunk) else { return }
        var event = event(chunk)
        if out.readableBytes == 0 {
            out = event
        } else {
            out.writeBuffer(&event)
        }
    }

    /// One `data:` event.
    static func event(_ value: some Encodable) -> ByteBuffer {
        var buffer = ByteBuffer(string: "data: ")
        buffer.writeBytes(JSONWire.bytes(value))
        buffer.writeString("\n\n")
        return buffer
    }

    /// One `data:` event for a chunk, written by ``JSONWriter`` into a single buffer.
    static func event(_ chunk: ChatChunk) -> ByteBuffer {
        var writer = JSONWriter(capacity: chunk.estimatedJSONSize + 8)
        writer.buffer.writeString("data: ")
        JSONWire.write(chunk, to: &writer)
        writer.buffer.writeString("\n\n")
        return writer.buffer
    }
}

/// OpenAI's usage rule for streams: usage is sent once, in a final chunk with no choices, and only
/// when the request set `stream_options.include_usage`; providers that put usage on their last
/// content chunk are brought into that shape.
struct UsageFilter {
    let includeUsage: Bool
    private var usage: Usage?
    private var template: ChatChunk?

    init(includeUsage: Bool) {
        self.includeUsage = includeUsage
    }

    /// The chunk to send for `chunk`, without usage; `nil` when nothing is left to send.
    mutating func pass(_ chunk: ChatChunk) -> ChatChunk? {
        var chunk = chunk
        if template == nil { template = chunk }
        if let reported = chunk.usage {
            usage = reported
            chunk.usage = nil
            if chunk.choices.isEmpty { return nil }
        }
        return chunk
    }

    /// The final usage chunk, when it was asked for and the provider reported usage.
    func usageChunk() -> ChatChunk? {
        guard includeUsage, let usage, let template else { return nil }
        return ChatChunk(id: template.id, created: template.created, model: template.model, choices: [], usage: usage)
    }
}

/// Hands a stream's iterator from the route handler, which reads the first chunk, to the response
/// body writer, which reads the rest. Only one of them holds it at a time.
final class IteratorHandoff: Sendable {
    private let iterator: Mutex<ChatStream.AsyncIterator?>

    init(_ iterator: consuming sending ChatStream.AsyncIterator) {
        self.iterator = Mutex(Optional(iterator))
    }

    func take() -> sending ChatStream.AsyncIterator? {
        iterator.withLock { value -> sending ChatStream.AsyncIterator? in
            let taken = value
            value = nil
            return taken
        }
    }
}
