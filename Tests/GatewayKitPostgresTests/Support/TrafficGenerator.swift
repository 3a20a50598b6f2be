import GatewayKit
import Synchronization

/// Steady traffic against gateways: `clients` concurrent loops, each sending one request after
/// another to the given endpoints until stopped, checking every answer.
final class TrafficGenerator: Sendable {
    /// A target of the traffic: an endpoint and the answers it may give.
    struct Route: Sendable {
        var slug: Endpoint.Slug
        /// Whether `answer` is right for a request that sent `sent`.
        var accepts: @Sendable (_ sent: String, _ answer: String) -> Bool
    }

    private struct Tally {
        var succeeded = 0
        var failures: [String] = []
    }

    private final class Box: Sendable {
        let tally = Mutex(Tally())
    }

    private let box = Box()
    private let task: Task<Void, Never>

    init(gateways: [Gateway], routes: [Route], clients: Int) {
        let box = self.box
        task = Task {
            await withTaskGroup(of: Void.self) { group in
                for client in 0..<clients {
                    group.addTask {
                        var number = 0
                        while !Task.isCancelled {
                            number += 1
                            let gateway = gateways[(client + number) % gateways.count]
                            let route = routes[(client + number) % routes.count]
                            let sent = "client \(client) request \(number)"
                            let outcome = await gateway.answer(route.slug, sent)
                            if Task.isCancelled { return }
                            // An in-process answer never suspends; without a yield, the clients
                            // would keep the cooperative pool's few threads from everything else.
                            await Task.yield()
                            box.tally.withLock { tally in
                                switch outcome {
                                case .success(let answer) where route.accepts(sent, answer):
                                    tally.succeeded += 1
                                case .success(let answer):
                                    tally.failures.append("\(route.slug): unexpected answer '\(answer)'")
                                case .failure(let error):
                                    tally.failures.append("\(route.slug): \(error)")
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Stops the clients and returns how many requests succeeded and every failure.
    func stop() async -> (succeeded: Int, failures: [String]) {
        task.cancel()
        await task.value
        return box.tally.withLock { ($0.succeeded, $0.failures) }
    }
}
