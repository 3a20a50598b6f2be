import Benchmark
import BenchmarkFixtures
import GatewayKit
import NIOCore

// Decoding 1 MiB of an OpenAI stream per iteration, fed in 4 KiB pieces as a socket delivers it:
// the SSE layer alone, and the OpenAI stream parser (SSE plus one JSON chunk decoded per event).
// Throughput is therefore MiB/s; allocations are per MiB.

let mebibyte = 1 << 20
let stream = BenchmarkFixtures.openAIStream(atLeast: mebibyte)
let pieces: [ByteBuffer] = stride(from: 0, to: stream.count, by: 4_096).map { start in
    ByteBuffer(bytes: stream[start..<min(start + 4_096, stream.count)])
}
// Every event ends with a blank line: count the "\n\n" pairs.
let eventCount = zip(stream, stream.dropFirst()).reduce(0) { $0 + ($1.0 == 10 && $1.1 == 10 ? 1 : 0) }

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = BenchmarkFixtures.configuration(maxDuration: .seconds(10), maxIterations: 1_000)

    Benchmark("SSEDecoder, 1 MiB of OpenAI events") { benchmark in
        var decoder = SSEDecoder()
        var events = 0
        for piece in pieces { events += try decoder.feed(piece).count }
        events += decoder.finish().count
        precondition(events == eventCount, "decoded \(events) events, expected \(eventCount)")
    }

    let adapter = OpenAICompatibleAdapter(provider: .openai)
    let call = ProviderCall(model: ModelRef(provider: .openai, name: "gpt-4o-mini"), apiKey: nil, secret: nil, stream: true)
    Benchmark("OpenAI stream parser, 1 MiB") { benchmark in
        var parser = adapter.makeStreamParser(for: call)
        var chunks = 0
        for piece in pieces { chunks += try parser.parse(piece).count }
        chunks += try parser.finish().count
        precondition(chunks >= eventCount - 2, "parsed \(chunks) chunks from \(eventCount) events")
    }
}
