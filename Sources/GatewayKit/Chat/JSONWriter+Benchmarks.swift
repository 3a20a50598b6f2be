// Entry points for the Benchmarks package, which cannot see `package` declarations: they run the
// writer exactly as the HTTP layer does, without making JSONWriter public API.

import NIOCore

extension ChatResponse {
    /// Writes the response with JSONWriter, as the HTTP layer answers it, and returns the byte count.
    /// For the benchmarks only.
    /// - Throws: `GatewayError` `invalidRequest` for a non-finite number.
    @_spi(Benchmarks) public func writtenJSONByteCount() throws(GatewayError) -> Int {
        try jsonBuffer().readableBytes
    }
}

extension ChatChunk {
    /// Writes the chunk with JSONWriter, as the HTTP layer streams it, and returns the byte count.
    /// For the benchmarks only.
    /// - Throws: `GatewayError` `invalidRequest` for a non-finite number.
    @_spi(Benchmarks) public func writtenJSONByteCount() throws(GatewayError) -> Int {
        try jsonBuffer().readableBytes
    }
}
