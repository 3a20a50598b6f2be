public import GatewayKit
public import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One request a ``LocalUpstream`` received, as it arrived.
public struct RecordedRequest: Sendable {
    /// The method (`POST`).
    public var method: String
    /// The request target, query included (`/v1/chat/completions`).
    public var uri: String
    /// The headers, in the order they arrived, names as sent.
    public var headers: [(name: String, value: String)]
    /// The body bytes.
    public var body: ByteBuffer
    /// The server-side number of the connection it came on, counting from 1 in accept order.
    public var connectionID: Int

    /// Creates a record.
    /// - Parameters:
    ///   - method: the method.
    ///   - uri: the request target.
    ///   - headers: the headers.
    ///   - body: the body.
    ///   - connectionID: the connection number.
    public init(method: String, uri: String, headers: [(name: String, value: String)], body: ByteBuffer, connectionID: Int) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
        self.connectionID = connectionID
    }

    /// The path: ``uri`` without its query.
    public var path: String {
        uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? uri
    }

    /// The body as UTF-8 text.
    public var bodyString: String { String(buffer: body) }

    /// The body parsed as JSON, or `nil` when it is not JSON.
    public var json: JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))
    }

    /// The first value of the header `name` (case-insensitive).
    /// - Parameter name: the header name.
    public func header(_ name: String) -> String? { values(of: name).first }

    /// Every value of the header `name` (case-insensitive), in order.
    /// - Parameter name: the header name.
    public func values(of name: String) -> [String] {
        let name = name.lowercased()
        return headers.filter { $0.name.lowercased() == name }.map(\.value)
    }
}
