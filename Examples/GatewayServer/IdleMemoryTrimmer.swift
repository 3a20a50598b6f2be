import Logging
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// Gives the heap memory freed after a burst of traffic back to the system once the server idles.
///
/// glibc's allocator keeps memory freed in the middle of its arenas resident: after 64 concurrent
/// requests that is megabytes the process no longer uses. jemalloc and mimalloc return such
/// memory by themselves after a delay; with glibc, `malloc_trim` does. Every `interval` the
/// trimmer reads the process's CPU time; when the last interval used less than 1% of a core (no
/// traffic), it trims once, and not again until the server has been busy in between. Under
/// traffic it does nothing, so requests never wait on it.
struct IdleMemoryTrimmer: Service {
    let interval: Duration
    let logger: Logger

    func run() async throws {
        #if canImport(Glibc)
            do {
                try await cancelWhenGracefulShutdown { [interval] in
                    // Start-up work (migrations, the config file) leaves freed memory too: trim after it.
                    var trimmedSinceBusy = false
                    var lastCPU = Self.processCPUTime()
                    while true {
                        try await Task.sleep(for: interval)
                        let cpu = Self.processCPUTime()
                        defer { lastCPU = cpu }
                        guard cpu - lastCPU < interval / 100 else {
                            trimmedSinceBusy = false
                            continue
                        }
                        guard !trimmedSinceBusy else { continue }
                        trimmedSinceBusy = true
                        self.trim()
                    }
                }
            } catch is CancellationError {
                return
            }
        #endif
    }

    #if canImport(Glibc)
        // glibc's `malloc_trim`, which its Swift module does not export (it lives in malloc.h).
        private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        }()

        private func trim() {
            guard let mallocTrim = Self.mallocTrim else { return }
            let before = Self.residentBytes()
            _ = mallocTrim(0)
            let after = Self.residentBytes()
            logger.debug(
                "idle: gave freed heap memory back to the system",
                metadata: [
                    "gateway.rss_before_kib": "\(before >> 10)", "gateway.rss_after_kib": "\(after >> 10)",
                ])
        }

        static func processCPUTime() -> Duration {
            var time = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
            return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
        }

        // The resident set from /proc/self/statm (its second field, in pages); 0 if unreadable.
        static func residentBytes() -> Int {
            let descriptor = open("/proc/self/statm", O_RDONLY)
            guard descriptor >= 0 else { return 0 }
            defer { close(descriptor) }
            var buffer = [UInt8](repeating: 0, count: 128)
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return 0 }
            let fields = buffer[..<count].split(separator: UInt8(ascii: " "))
            guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
            return pages * sysconf(Int32(_SC_PAGESIZE))
        }
    #endif
}
