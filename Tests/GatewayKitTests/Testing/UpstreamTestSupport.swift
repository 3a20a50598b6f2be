import GatewayKit
import GatewayKitTesting
import HTTPTypes
import NIOCore

/// Runs `body` with a fresh ``LocalUpstream`` and shuts it down afterwards, also on failure.
func withUpstream<T>(_ body: (LocalUpstream) async throws -> T) async throws -> T {
    let upstream = try await LocalUpstream.start()
    do {
        let result = try await body(upstream)
        try await upstream.shutdown()
        return result
    } catch {
        try? await upstream.shutdown()
        throw error
    }
}

/// A chat-completions POST to `upstream` with `body` and the given headers.
func chatRequest(
    _ upstream: LocalUpstream, body: String = #"{"model":"gpt-test","messages":[{"role":"user","content":"hello there"}]}"#,
    headers: HTTPFields = [:]
) -> UpstreamRequest {
    var fields = headers
    if fields[.contentType] == nil { fields[.contentType] = "application/json" }
    return UpstreamRequest(url: upstream.chatCompletionsURL, headers: fields, body: ByteBuffer(string: body))
}

/// Collects a streamed body as text, or throws its error.
func collectText(_ body: UpstreamBody) async throws -> String {
    var text = ""
    for try await piece in body { text += String(buffer: piece) }
    return text
}

/// The SSE events in `text`, without their `data: ` prefix.
func sseData(_ text: String) -> [String] {
    text.split(separator: "\n\n").map { event in
        String(event.hasPrefix("data: ") ? event.dropFirst(6) : event[...])
    }
}

extension UpstreamResponse {
    /// The body as text.
    var text: String { String(buffer: body) }
}
