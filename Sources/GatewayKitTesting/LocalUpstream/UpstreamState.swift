import NIOConcurrencyHelpers
import NIOCore

/// The state a ``LocalUpstream`` shares with its connection handlers, under one lock.
final class UpstreamState: Sendable {
    struct Queues {
        var queue: [LocalUpstream.Behaviour] = []
        var fallback: LocalUpstream.Behaviour?
    }

    struct State {
        var anyPath = Queues()
        var byPath: [String: Queues] = [:]
        var requests: [RecordedRequest] = []
        var channels: [Int: any Channel] = [:]
        var accepted = 0
        var closed = 0
        var isShutDown = false
    }

    let box = NIOLockedValueBox(State())

    func connectionOpened(_ channel: any Channel) -> Int {
        let (id, reject) = box.withLockedValue { state -> (Int, Bool) in
            state.accepted += 1
            if !state.isShutDown { state.channels[state.accepted] = channel }
            return (state.accepted, state.isShutDown)
        }
        if reject { channel.close(promise: nil) }
        return id
    }

    func connectionClosed(_ id: Int) {
        box.withLockedValue { state in
            state.channels[id] = nil
            state.closed += 1
        }
    }

    /// Records `request` and picks its behaviour: the path's queue, the shared queue, the path's
    /// default, the shared default, then an echo reply.
    func record(_ request: RecordedRequest) -> (LocalUpstream.Behaviour, String) {
        box.withLockedValue { state in
            state.requests.append(request)
            let id = "chatcmpl-local-\(state.requests.count)"
            let path = request.path
            if state.byPath[path]?.queue.isEmpty == false, let next = state.byPath[path]?.queue.removeFirst() {
                return (next, id)
            }
            if !state.anyPath.queue.isEmpty { return (state.anyPath.queue.removeFirst(), id) }
            return (state.byPath[path]?.fallback ?? state.anyPath.fallback ?? .reply(text: nil), id)
        }
    }
}
