import Foundation
import GatewayExampleSupport
import Logging
import Testing

/// gateway-server's log handler keeps swift-log's StreamLogHandler line format.
@Suite struct LineLogHandlerTests {
    struct Refused: Error {}

    /// The lines `body` logs through a LineLogHandler on a pipe.
    func lines(_ body: (inout Logger) -> Void) throws -> [String] {
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        var logger = Logger(label: "gateway-server") { label in LineLogHandler(label: label, descriptor: descriptors[1]) }
        body(&logger)
        close(descriptors[1])
        let reader = FileHandle(fileDescriptor: descriptors[0], closeOnDealloc: true)
        let text = String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test("a line is time, level, label, sorted metadata, source and message")
    func format() throws {
        let output = try lines { logger in
            logger[metadataKey: "hb.request.id"] = "42"
            logger.info("request", metadata: ["http.status": "200", "gateway.endpoint": "demo"], source: "GatewayKitHTTP")
            logger.notice("no metadata here", source: "Main")
        }
        #expect(output.count == 3 && output.last == "", "two lines, each ending in a newline")
        let time = #/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}/#
        let first = try #require(output.first)
        let match = try #require(first.prefixMatch(of: time), "\(first)")
        #expect(
            first[match.range.upperBound...]
                == " info gateway-server: gateway.endpoint=demo hb.request.id=42 http.status=200 [GatewayKitHTTP] request"
        )
        let second = output[1]
        #expect(second.hasSuffix(" notice gateway-server: hb.request.id=42 [Main] no metadata here"))
    }

    @Test("a line's own metadata wins over the handler's for the same key, printed once; errors are added")
    func precedence() throws {
        let output = try lines { logger in
            logger[metadataKey: "k"] = "handler"
            logger.warning("failed", error: Refused(), metadata: ["k": "line"])
        }
        let line = try #require(output.first)
        #expect(line.contains(" gateway-server: error.message=Refused() error.type=GatewayServerTests.LineLogHandlerTests.Refused k=line [GatewayServerTests] failed"), "\(line)")
        #expect(!line.contains("k=handler"))
    }

    @Test("levels below the logger's are not written")
    func level() throws {
        let output = try lines { logger in
            logger.logLevel = .warning
            logger.info("quiet")
            logger.error("loud")
        }
        #expect(output.count == 2)
        #expect(output.first?.hasSuffix("[GatewayServerTests] loud") == true)
    }
}
