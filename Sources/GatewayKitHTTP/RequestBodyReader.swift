import GatewayKit
import HTTPTypes
import Hummingbird
import NIOCore

/// Reads a request body up to a limit. A body over the limit is refused as soon as its
/// `Content-Length` or the bytes read so far exceed it; the connection's input is then closed so
/// the rest is never read.
struct RequestBodyReader: Sendable {
    let limit: Int

    /// Reads the whole body.
    /// - Throws: `GatewayError` `payloadTooLarge`.
    func read(_ request: Request, context: some GatewayRequestContext) async throws -> ByteBuffer {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            refuseRest(context)
            throw tooLarge("is \(declared) bytes")
        }
        var collected = ByteBuffer()
        for try await part in request.body {
            guard collected.readableBytes + part.readableBytes <= limit else {
                refuseRest(context)
                throw tooLarge("exceeds it")
            }
            var part = part
            collected.writeBuffer(&part)
        }
        return collected
    }

    private func tooLarge(_ what: String) -> GatewayError {
        GatewayError(.payloadTooLarge, "the request body \(what); the limit is \(limit) bytes")
    }

    // Closing the input stops the server from reading (and draining) the rest of the body; the
    // response is still written, then the connection closes.
    private func refuseRest(_ context: some GatewayRequestContext) {
        context.channel?.close(mode: .input, promise: nil)
    }
}
