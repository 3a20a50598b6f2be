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

    private static func write(to descriptor: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { buffer in
                #if canImport(Darwin)
                    Darwin.write(descriptor, buffer.baseAddress, buffer.count)
                #elseif canImport(Musl)
                    Musl.write(descriptor, buffer.baseAddress, buffer.count)
                #else
                    Glibc.write(descriptor, buffer.baseAddress, buffer.count)
                #endif
            }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
