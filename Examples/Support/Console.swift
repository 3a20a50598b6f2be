#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Terminal output for the examples: unbuffered, so streamed tokens appear as they arrive; errors
/// on stderr.
public enum Console: Sendable {
    /// Writes `text` to stdout at once.
    public static func out(_ text: String, terminator: String = "\n") {
        write(to: 1, text + terminator)
    }

    /// Writes `text` to stderr.
    public static func error(_ text: String) {
        write(to: 2, text + "\n")
    }

    /// Writes all of `text` to `descriptor`, retrying short writes; gives up silently when the
    /// descriptor is closed (a log or a terminal that went away must not stop the program).
    static func write(to descriptor: Int32, _ text: String) {
        var text = text
        text.withUTF8 { utf8 in write(to: descriptor, UnsafeRawBufferPointer(utf8)) }
    }

    private static func write(to descriptor: Int32, _ buffer: UnsafeRawBufferPointer) {
        guard var next = buffer.baseAddress else { return }
        var remaining = buffer.count
        while remaining > 0 {
            #if canImport(Darwin)
                let written = Darwin.write(descriptor, next, remaining)
            #elseif canImport(Musl)
                let written = Musl.write(descriptor, next, remaining)
            #else
                let written = Glibc.write(descriptor, next, remaining)
            #endif
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            next += written
            remaining -= written
        }
    }
}
