import Testing

@testable import GatewayKit

@Suite struct BoundedCacheTests {
    struct Failed: Error {}

    @Test("a value is made once per key and then served from the cache")
    func makesOnce() {
        let cache = BoundedCache<String, Int>()
        var made = 0
        for _ in 0..<3 {
            #expect(cache.value(for: "a") { made += 1; return 1 } == 1)
        }
        #expect(cache.value(for: "b") { made += 1; return 2 } == 2)
        #expect(made == 2)
    }

    @Test("a full cache starts over instead of growing")
    func bounded() {
        let cache = BoundedCache<Int, Int>(capacity: 2)
        var made = 0
        for key in [1, 2, 3, 1] { _ = cache.value(for: key) { made += 1; return key } }
        // 1 and 2 fill it; 3 starts it over, so 1 is made again.
        #expect(made == 4)
        _ = cache.value(for: 3) { made += 1; return 3 }
        #expect(made == 4, "3 stayed after the start-over")
    }

    @Test("a value whose making throws is not remembered")
    func throwingMake() throws {
        let cache = BoundedCache<String, Int>()
        #expect(throws: Failed.self) { try cache.value(for: "a") { throw Failed() } }
        #expect(try cache.value(for: "a") { 7 } == 7)
    }
}
