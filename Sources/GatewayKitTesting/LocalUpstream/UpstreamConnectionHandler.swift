import NIOCore
import NIOHTTP1

/// Serves one connection of a ``LocalUpstream``: collects each request, records it, then plays the
/// behaviour's ``ResponsePlan``. Lives on the channel's event loop only.
final class UpstreamConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: UpstreamState
    private var connectionID = 0
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var isOpen = true

    init(state: UpstreamState) {
        self.state = state
    }

    func channelActive(context: ChannelHandlerContext) {
        connectionID = state.connectionOpened(context.channel)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        isOpen = false
        state.connectionClosed(connectionID)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.clear()
        case .body(var piece):
            body.writeBuffer(&piece)
        case .end:
            guard let requestHead = head else { return }
            head = nil
            let request = RecordedRequest(
                method: requestHead.method.rawValue, uri: requestHead.uri, headers: requestHead.headers.map { ($0.name, $0.value) },
                body: body,
                connectionID: connectionID
            )
            let (behaviour, responseID) = state.record(request)
            play(ResponsePlan(behaviour, for: request, responseID: responseID), context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func play(_ plan: ResponsePlan, context: ChannelHandlerContext) {
        guard case .respond(let head, let parts, let delay, let ending) = plan.shape else { return }
        context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
        writeParts(parts[...], delay: delay, ending: ending, isFirst: true, context: context)
    }

    private func writeParts(
        _ parts: ArraySlice<ByteBuffer>, delay: TimeAmount, ending: LocalUpstream.Ending, isFirst: Bool,
        context: ChannelHandlerContext
    ) {
        var parts = parts
        var isFirst = isFirst
        // Without a delay every part goes out now; a loop, not recursion, so long bodies cannot
        // exhaust the stack.
        while isOpen, let part = parts.first, isFirst || delay == .zero {
            context.write(wrapOutboundOut(.body(.byteBuffer(part))), promise: nil)
            parts = parts.dropFirst()
            isFirst = false
        }
        context.flush()
        guard isOpen else { return }
        guard let part = parts.first else {
            finish(ending, context: context)
            return
        }
        context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            guard self.isOpen else { return }
            context.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(part))), promise: nil)
            self.writeParts(parts.dropFirst(), delay: delay, ending: ending, isFirst: false, context: context)
        }
    }

    private func finish(_ ending: LocalUpstream.Ending, context: ChannelHandlerContext) {
        switch ending {
        case .complete:
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .drop:
            context.close(promise: nil)
        case .stall:
            break
        }
    }
}
