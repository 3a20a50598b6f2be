import Benchmark
import BenchmarkFixtures
import GatewayKit

// Opening a sealed API-key secret (AES-GCM under the HKDF-derived key), as a gateway does for
// every key when it loads or reloads its configuration, and sealing one, as a key write does.

let secret = Secret("sk-proj-bench0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH")

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = BenchmarkFixtures.configuration()
    guard let sealer = try? SecretSealer(masterKey: Secret(BenchmarkFixtures.masterKey)),
        let sealed = try? sealer.seal(secret)
    else { fatalError("the benchmark master key does not make a sealer") }

    Benchmark("SecretSealer.open") { benchmark in
        blackHole(try sealer.open(sealed))
    }

    Benchmark("SecretSealer.seal") { benchmark in
        blackHole(try sealer.seal(secret))
    }
}
