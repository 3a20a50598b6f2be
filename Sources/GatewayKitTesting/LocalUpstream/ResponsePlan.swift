import NIOCore
import NIOHTTP1

/// The bytes a ``LocalUpstream/Behaviour`` turns into for one request, and their timing.
struct ResponsePlan {
    enum Shape {
        /// Write nothing at all.
        case silent
        /// Write the head, then the parts with `delay` before each after the first, then `ending`.
        case respond(head: HTTPResponseHead, parts: [ByteBuffer], delay: TimeAmount, ending: LocalUpstream.Ending)
    }

    var shape: Shape

    init(_ behaviour: LocalUpstream.Behaviour, for request: RecordedRequest, responseID: String) {
        let model = OpenAIWire.model(of: request)
        func stream(_ chunks: [String], finished: Bool, usage: Bool) -> [ByteBuffer] {
            OpenAIWire.streamEvents(id: responseID, model: model, chunks: chunks, finished: finished, includeUsage: usage)
                .map { ByteBuffer(string: $0) }
        }
        let sse = ["content-type": "text/event-stream", "cache-control": "no-cache"]
        switch behaviour {
        case .reply(let text):
            let body = OpenAIWire.completion(
                id: responseID, model: model, text: text ?? OpenAIWire.lastMessageText(of: request)
            )
            self = .complete(status: 200, headers: ["content-type": "application/json"], body: body)
        case .stream(let chunks, let includeUsage):
            self = .streaming(headers: sse, parts: stream(chunks, finished: true, usage: includeUsage))
        case .status(let status, let body, let headers):
            var all = ["content-type": "application/json"]
            all.merge(headers.map { ($0.key.lowercased(), $0.value) }) { $1 }
            self = .complete(status: status, headers: all, body: body)
        case .hang:
            self.init(shape: .silent)
        case .streamThenDrop(let count):
            let parts = stream(Self.numbered(count), finished: false, usage: false)
            self = .streaming(headers: sse, parts: parts, ending: .drop)
        case .streamThenStall(let count):
            let parts = stream(Self.numbered(count), finished: false, usage: false)
            self = .streaming(headers: sse, parts: parts, ending: .stall)
        case .slowStream(let chunks, let interval, let includeUsage):
            let parts = stream(chunks, finished: true, usage: includeUsage)
            self = .streaming(headers: sse, parts: parts, delay: TimeAmount(interval))
        case .raw(let status, let headers, let parts, let delay, let ending):
            let head = Self.head(status: status, headers: headers)
            self.init(shape: .respond(head: head, parts: parts, delay: TimeAmount(delay), ending: ending))
        }
    }

    private init(shape: Shape) { self.shape = shape }

    private static func numbered(_ count: Int) -> [String] {
        (0..<max(0, count)).map { "part\($0 + 1) " }
    }

    private static func head(status: Int, headers: [String: String]) -> HTTPResponseHead {
        var fields = HTTPHeaders()
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { fields.add(name: name, value: value) }
        return HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: fields)
    }

    private static func complete(status: Int, headers: [String: String], body: String) -> ResponsePlan {
        var headers = headers
        let buffer = ByteBuffer(string: body)
        headers["content-length"] = String(buffer.readableBytes)
        return ResponsePlan(shape: .respond(head: head(status: status, headers: headers), parts: [buffer], delay: .zero, ending: .complete))
    }

    private static func streaming(
        headers: [String: String], parts: [ByteBuffer], delay: TimeAmount = .zero, ending: LocalUpstream.Ending = .complete
    ) -> ResponsePlan {
        ResponsePlan(shape: .respond(head: head(status: 200, headers: headers), parts: parts, delay: delay, ending: ending))
    }
}
