#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
@testable import GatewayKit
import Testing

@Suite struct TrafficSplitTests {
    @Test("10,000 picks land within 2 percentage points of each weight")
    func distribution() throws {
        let targets = [50.0, 30, 15, 5].map { Endpoint.Target(model: ModelRef(provider: .mock, name: "echo"), apiKeyID: nil, weight: $0) }
        var generator = SplitMix64(seed: 42)
        var counts = [Int](repeating: 0, count: targets.count)
        for _ in 0..<10_000 { counts[TrafficSplit.pick(targets, using: &generator)] += 1 }
        for (index, target) in targets.enumerated() {
            let share = Double(counts[index]) / 10_000 * 100
            #expect(abs(share - target.weight) <= 2, "target \(index): \(share)% for weight \(target.weight)")
        }
    }

    @Test("a zero-weight target is never picked")
    func zeroWeight() {
        let targets = [0.0, 1].map { Endpoint.Target(model: ModelRef(provider: .mock, name: "echo"), apiKeyID: nil, weight: $0) }
        var generator = SplitMix64(seed: 7)
        for _ in 0..<1_000 { #expect(TrafficSplit.pick(targets, using: &generator) == 1) }
    }

    @Test("the fallback order is depth first and visits each endpoint once")
    func chainOrder() {
        func endpoint(_ slug: String, _ fallbacks: [Endpoint.Slug]) -> Endpoint {
            Endpoint(slug: .init(rawValue: slug), name: slug, targets: [], fallbacks: fallbacks, createdAt: .init(timeIntervalSince1970: 0), updatedAt: .init(timeIntervalSince1970: 0))
        }
        let endpoints = Dictionary(uniqueKeysWithValues: [
            endpoint("a", ["b", "c"]), endpoint("b", ["d"]), endpoint("c", ["b"]), endpoint("d", []),
        ].map { ($0.slug, $0) })
        #expect(FallbackChain.order(from: "a", in: endpoints) == ["a", "b", "d", "c"])
    }
}
