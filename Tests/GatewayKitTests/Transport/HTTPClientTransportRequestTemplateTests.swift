import GatewayKit
import GatewayKitTesting
import HTTPTypes
import NIOCore
import Testing

/// The transport parses each URL once and reuses the parse; every call must still send its own
/// method, headers and body.
@Suite struct HTTPClientTransportRequestTemplateTests {
    let transport = HTTPClientTransport()

    @Test("calls to one URL each send their own headers and body, none carried over from the last")
    func ownHeadersAndBody() async throws {
        try await withUpstream { upstream in
            for index in 0..<3 {
                upstream.enqueue(.status(200, body: "{}"))
                var headers: HTTPFields = [.authorization: "Bearer key-\(index)"]
                if index == 1 { headers[HTTPField.Name("x-only-second")!] = "yes" }
                let body = #"{"call":\#(index)}"#
                _ = try await transport.send(chatRequest(upstream, body: body, headers: headers), timeout: .seconds(5))
            }
            let requests = upstream.requests
            try #require(requests.count == 3)
            for (index, request) in requests.enumerated() {
                #expect(request.values(of: "authorization") == ["Bearer key-\(index)"])
                #expect(request.values(of: "x-only-second") == (index == 1 ? ["yes"] : []))
                #expect(request.bodyString == #"{"call":\#(index)}"#)
                #expect(request.header("content-length") == String(#"{"call":\#(index)}"#.utf8.count))
            }
        }
    }

    @Test("the same URL asked with another method is sent with that method")
    func methodIsPartOfTheParse() async throws {
        try await withUpstream { upstream in
            upstream.enqueue(.status(200, body: "{}"))
            upstream.enqueue(.status(200, body: "{}"))
            _ = try await transport.send(chatRequest(upstream), timeout: .seconds(5))
            var get = chatRequest(upstream)
            get.method = .get
            get.body = ByteBuffer()
            _ = try await transport.send(get, timeout: .seconds(5))
            #expect(upstream.requests.map(\.method) == ["POST", "GET"])
        }
    }
}
