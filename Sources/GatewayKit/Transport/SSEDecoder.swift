public import NIOCore

/// One Server-Sent Event: its `event:` name, its joined `data:` lines and its `id:`.
public struct SSEEvent: Sendable, Hashable {
    /// The `event:` field, or `nil` when the event had none (OpenAI-style and Gemini streams).
    public var event: String?
    /// The `data:` lines of the event, joined with `\n`.
    public var data: String
    /// The `id:` field of this event, or `nil` when the event had none.
    public var id: String?

    /// Creates an event.
    /// - Parameters:
    ///   - event: the event name.
    ///   - data: the data, multiple lines joined with `\n`.
    ///   - id: the event id.
    public init(event: String? = nil, data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }
}

/// An incremental Server-Sent-Events decoder: feed it the body bytes as they arrive, split
/// anywhere, and it returns each event as soon as its blank line is seen.
///
/// It follows the SSE specification's parsing rules:
/// - lines end with `\n`, `\r\n` or `\r` (mixed freely, and a `\r\n` pair may be split between
///   two feeds); an empty line ends an event;
/// - a line starting with `:` is a comment and is ignored;
/// - `field: value` lines strip exactly one space after the colon; a line without a colon is a
///   field with an empty value; unknown fields (and `retry:`) are ignored;
/// - several `data:` lines are joined with `\n`; an event without any `data:` line is not
///   dispatched;
/// - a UTF-8 byte order mark at the very start is skipped.
///
/// An event may hold at most ``maximumEventBytes`` bytes (its data and its line being received):
/// a stream that sends more without a line break or a blank line fails instead of filling memory.
///
/// Unlike a browser, ``finish()`` also dispatches a last event that has data but no closing blank
/// line, because some providers close the connection right after the last `data:` line.
///
/// The decoder works on bytes and only turns complete events into strings, so a multi-byte UTF-8
/// character split between feeds decodes correctly. Each byte is scanned once.
///
/// ```swift
/// var decoder = SSEDecoder()
/// for try await piece in body {
///     for event in try decoder.feed(piece) { handle(event) }
/// }
/// for event in decoder.finish() { handle(event) }
/// ```
public struct SSEDecoder: Sendable {
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")
    private static let colon = UInt8(ascii: ":")
    private static let space = UInt8(ascii: " ")
    private static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    // Bytes of the line being received; everything before it has been processed.
    private var line: [UInt8] = []
    // The previous feed ended with `\r`: an `\n` starting the next feed belongs to it.
    private var skipLeadingLF = false
    // Still before the first complete line: a BOM may need stripping.
    private var atStreamStart = true

    private var data: [UInt8] = []
    private var hasData = false
    private var eventName: [UInt8]?
    private var eventID: String?

    /// The last `id:` seen in the stream, kept across events as the SSE specification's
    /// "last event ID" (what a client would send as `Last-Event-ID` on reconnect).
    public private(set) var lastEventID: String?

    /// The most bytes one event may hold while it is received: its `data:` lines so far and the
    /// line being received.
    public let maximumEventBytes: Int

    /// The default ``maximumEventBytes``: 16 MiB, far above any chat chunk, images included.
    public static let defaultMaximumEventBytes = 16 * 1024 * 1024

    /// Creates a decoder at the start of a stream.
    /// - Parameter maximumEventBytes: the most bytes one event may hold while it is received.
    public init(maximumEventBytes: Int = SSEDecoder.defaultMaximumEventBytes) {
        self.maximumEventBytes = max(1, maximumEventBytes)
    }

    /// Consumes the next bytes of the stream.
    /// - Parameter bytes: the next piece of the body; the readable bytes are consumed.
    /// - Returns: the events completed by these bytes, in order.
    /// - Throws: `GatewayError` `upstream` when an event grows past ``maximumEventBytes``.
    public mutating func feed(_ bytes: ByteBuffer) throws -> [SSEEvent] {
        try bytes.withUnsafeReadableBytes { try feed(bytes: $0.assumingMemoryBound(to: UInt8.self)) }
    }

    /// Consumes the next bytes of the stream.
    /// - Parameter bytes: the next piece of the body.
    /// - Returns: the events completed by these bytes, in order.
    /// - Throws: `GatewayError` `upstream` when an event grows past ``maximumEventBytes``.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws -> [SSEEvent] {
        let handled = try bytes.withContiguousStorageIfAvailable { try feed(bytes: $0) }
        if let handled { return handled }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { try feed(bytes: $0) }
    }

    /// Ends the stream: a last line without a line break is processed, and an event that has data
    /// but no closing blank line is dispatched.
    /// - Returns: the last event, if one was pending.
    public mutating func finish() -> [SSEEvent] {
        var events: [SSEEvent] = []
        if !line.isEmpty {
            let pending = line
            line.removeAll()
            if atStreamStart {
                atStreamStart = false
                pending.withUnsafeBufferPointer { process(line: Self.strippingBOM($0), into: &events) }
            } else {
                pending.withUnsafeBufferPointer { process(line: $0[...], into: &events) }
            }
        }
        if hasData { dispatch(into: &events) }
        resetEvent()
        skipLeadingLF = false
        return events
    }

    private mutating func feed(bytes: UnsafeBufferPointer<UInt8>) throws -> [SSEEvent] {
        var events: [SSEEvent] = []
        var start = 0
        if skipLeadingLF, let first = bytes.first {
            skipLeadingLF = false
            if first == Self.lf { start = 1 }
        }
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == Self.lf || byte == Self.cr else {
                index += 1
                continue
            }
            try completeLine(bytes[start..<index], into: &events)
            index += 1
            if byte == Self.cr {
                if index < bytes.count {
                    if bytes[index] == Self.lf { index += 1 }
                } else {
                    skipLeadingLF = true
                }
            }
            start = index
        }
        if start < bytes.count {
            try checkSize(adding: bytes.count - start)
            line.append(contentsOf: bytes[start...])
        }
        return events
    }

    // A line ended: `tail` is its part in the current feed, after any bytes kept from earlier feeds.
    private mutating func completeLine(
        _ tail: Slice<UnsafeBufferPointer<UInt8>>, into events: inout [SSEEvent]
    ) throws {
        try checkSize(adding: tail.count)
        if line.isEmpty && !atStreamStart {
            process(line: tail, into: &events)
            return
        }
        line.append(contentsOf: tail)
        let whole = line
        line.removeAll(keepingCapacity: true)
        let stripBOM = atStreamStart
        atStreamStart = false
        whole.withUnsafeBufferPointer { buffer in
            process(line: stripBOM ? Self.strippingBOM(buffer) : buffer[...], into: &events)
        }
    }

    // The event's data and the pending line, with `count` more bytes, must fit the limit. A
    // complete line is checked before it is processed, so `data` never outgrows the limit.
    private func checkSize(adding count: Int) throws {
        guard data.count + line.count + count > maximumEventBytes else { return }
        throw GatewayError(
            .upstream, "the provider sent a stream event larger than \(maximumEventBytes) bytes", upstreamStatus: 200
        )
    }

    private static func strippingBOM(_ buffer: UnsafeBufferPointer<UInt8>) -> Slice<UnsafeBufferPointer<UInt8>> {
        buffer.starts(with: bom) ? buffer[bom.count...] : buffer[...]
    }

    private mutating func process(line: Slice<UnsafeBufferPointer<UInt8>>, into events: inout [SSEEvent]) {
        guard let first = line.first else {
            if hasData { dispatch(into: &events) }
            resetEvent()
            return
        }
        if first == Self.colon { return }
        let name: Slice<UnsafeBufferPointer<UInt8>>
        var value: Slice<UnsafeBufferPointer<UInt8>>
        if let colon = line.firstIndex(of: Self.colon) {
            name = line[line.startIndex..<colon]
            value = line[(colon + 1)...]
            if value.first == Self.space { value = value.dropFirst() }
        } else {
            name = line
            value = line[line.endIndex...]
        }
        switch FieldName(name) {
        case .data:
            data.append(contentsOf: value)
            data.append(Self.lf)
            hasData = true
        case .event:
            eventName = Array(value)
        case .id:
            // The specification ignores an id containing NUL.
            if !value.contains(0) {
                eventID = String(decoding: value, as: UTF8.self)
                lastEventID = eventID
            }
        case nil:
            break
        }
    }

    private mutating func dispatch(into events: inout [SSEEvent]) {
        // Every data line appended a trailing `\n`; the joined data drops the last one.
        let text = data.withUnsafeBufferPointer { String(decoding: $0[..<($0.count - 1)], as: UTF8.self) }
        let name = eventName.flatMap { $0.isEmpty ? nil : String(decoding: $0, as: UTF8.self) }
        events.append(SSEEvent(event: name, data: text, id: eventID))
    }

    private mutating func resetEvent() {
        data.removeAll(keepingCapacity: true)
        hasData = false
        eventName = nil
        eventID = nil
    }

    private enum FieldName {
        case data, event, id

        init?(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) {
            if bytes.elementsEqual("data".utf8) {
                self = .data
            } else if bytes.elementsEqual("event".utf8) {
                self = .event
            } else if bytes.elementsEqual("id".utf8) {
                self = .id
            } else {
                return nil
            }
        }
    }
}
