public import NIOCore

extension LocalUpstream {
    /// How a ``LocalUpstream`` answers one request.
    public enum Behaviour: Sendable {
        /// A `chat.completion` JSON body (status 200) with usage. A `nil` text echoes the content of
        /// the request's last message. Usage: 12 prompt tokens, one completion token per word.
        case reply(text: String? = nil)
        /// An SSE stream of `chat.completion.chunk` events: a role chunk, one chunk per string, a finish
        /// chunk, an optional usage chunk (12 prompt tokens, one completion token per chunk), then `[DONE]`.
        case stream(chunks: [String], includeUsage: Bool = true)
        /// A complete response with the given status, body and extra headers. The content type is
        /// `application/json` unless `headers` sets one.
        case status(Int, body: String, headers: [String: String] = [:])
        /// Reads the request and never answers; the connection stays open until the client closes it.
        case hang
        /// Sends the stream's head, the role chunk and `chunks` content chunks, then closes the
        /// connection without the terminating chunk or `[DONE]`.
        case streamThenDrop(chunks: Int)
        /// Sends the stream's head, the role chunk and `chunks` content chunks, then stalls: no more
        /// bytes, connection open, until the client closes it.
        case streamThenStall(chunks: Int)
        /// Like ``stream(chunks:includeUsage:)``, with `interval` between events.
        case slowStream(chunks: [String], interval: Duration, includeUsage: Bool = true)
        /// Arbitrary bytes, for other wire formats: the head, then each part with `delayBetween` before
        /// it (except the first), then `ending`. Without a `content-length` header the body is chunked.
        case raw(
            status: Int, headers: [String: String] = [:], bodyParts: [ByteBuffer],
            delayBetween: Duration = .zero, ending: Ending = .complete
        )

        /// An OpenAI-style error: `{"error":{"message","type","param":null,"code"}}` with `status`.
        /// - Parameters:
        ///   - status: the HTTP status.
        ///   - message: the error message.
        ///   - type: the error type (`invalid_request_error`, `rate_limit_error`, …).
        ///   - code: the error code, or `nil` for JSON `null`.
        ///   - headers: extra headers, such as `retry-after`.
        public static func openAIError(
            _ status: Int, message: String, type: String = "invalid_request_error", code: String? = nil,
            headers: [String: String] = [:]
        ) -> Behaviour {
            .status(status, body: OpenAIWire.errorBody(message: message, type: type, code: code), headers: headers)
        }

        /// Raw bytes given as strings; see ``raw(status:headers:bodyParts:delayBetween:ending:)``.
        /// - Parameters:
        ///   - status: the HTTP status.
        ///   - headers: the response headers.
        ///   - parts: the body pieces, written one by one.
        ///   - delayBetween: the pause before each piece after the first.
        ///   - ending: what happens after the last piece.
        public static func raw(
            status: Int, headers: [String: String] = [:], parts: [String], delayBetween: Duration = .zero,
            ending: Ending = .complete
        ) -> Behaviour {
            .raw(
                status: status, headers: headers, bodyParts: parts.map { ByteBuffer(string: $0) },
                delayBetween: delayBetween, ending: ending
            )
        }
    }

    /// What a response does after its last body piece.
    public enum Ending: Sendable, Hashable {
        /// Ends the response normally; the connection stays open for reuse.
        case complete
        /// Closes the connection without ending the response.
        case drop
        /// Sends nothing more and keeps the connection open until the client closes it.
        case stall
    }
}
