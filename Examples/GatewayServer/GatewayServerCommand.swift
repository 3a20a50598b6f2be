import ArgumentParser
import CTaskEnqueueHook
import GatewayExampleSupport
import GatewayKit
import GatewayKitHTTP
import Hummingbird
import Logging
import Metrics
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The entry point: runs Swift concurrency's tasks on the server's event loops, then the command.
@main
enum GatewayServerMain {
    static func main() async {
        _ = executor
        await GatewayServerCommand.main()
    }

    /// Where Swift's tasks run, decided once, first thing in `main`.
    static let executor = EventLoopTakeOver.install(environment: ProcessInfo.processInfo.environment)
}

/// Whether Swift concurrency's global executor is the server's NIO event loops.
enum EventLoopTakeOver: Sendable {
    /// Tasks run on the event loops.
    case eventLoops
    /// `GATEWAY_NIO_EXECUTOR=0`: tasks run on Swift's default thread pool.
    case defaultPoolByChoice
    /// Another global-executor hook was installed first; tasks run where it sends them.
    case defaultPoolAfterFailure

    /// Whether a task started now runs on one of the singleton group's event loops: checks the
    /// hook where it matters, in the running binary.
    static func tasksRunOnEventLoops() async -> Bool {
        await Task.detached { MultiThreadedEventLoopGroup.currentEventLoop != nil }.value
    }

    /// The runtime's hook type: called with each job for the global executor and the runtime's
    /// own enqueue function.
    private typealias Original = @convention(thin) (UnownedJob) -> Void
    private typealias Hook = @convention(thin) (UnownedJob, Original) -> Void

    /// Every request hops between the connection's event loop, the task running the gateway's
    /// call and the upstream client's event loop; with tasks on the same event-loop threads
    /// those hops wake no other thread.
    ///
    /// NIO's own take-over (`NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAs…`)
    /// finds the runtime's hook with `dlsym`, which cannot see it in a binary linked with the
    /// static Swift runtime (`scripts/build-release.sh`): there it silently did nothing and every
    /// request's task ran on Dispatch's threads. The hook is installed through a reference the
    /// linker resolves instead. As in NIO, a job goes to the event loop it is enqueued from when
    /// that is one of the singleton group's, so a request's hops stay on one thread.
    static func install(environment: [String: String]) -> EventLoopTakeOver {
        guard environment["GATEWAY_NIO_EXECUTOR"] != "0" else { return .defaultPoolByChoice }
        let hook: Hook = { job, _ in
            MultiThreadedEventLoopGroup.singleton.any().executor.enqueue(ExecutorJob(job))
        }
        return gateway_install_task_enqueue_global_hook(unsafeBitCast(hook, to: UnsafeRawPointer.self)) == 1
            ? .eventLoops : .defaultPoolAfterFailure
    }
}

/// `gateway-server`: an OpenAI-compatible gateway with an admin API, over GatewayKitHTTP.
struct GatewayServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway-server",
        abstract: "Serve a GatewayKit gateway over HTTP: the OpenAI-compatible API and the admin API.",
        discussion: """
            Every option can also be set through its environment variable. GATEWAY_MASTER_KEY (at \
            least 32 characters) seals stored API keys; GATEWAY_ADMIN_TOKEN seeds an Admin access token.
            """
    )

    @Option(help: "Address to listen on (GATEWAY_HOST). Default: 127.0.0.1.")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one (GATEWAY_PORT). Default: 8080.")
    var port: Int?

    @Option(
        help: """
            Configuration store: sqlite:PATH, memory, or postgres://user:password@host:5432/db to share one \
            configuration between instances (GATEWAY_STORE). Default: sqlite:gateway.sqlite.
            """
    )
    var store: String?

    @Option(help: "Redis URL for shared rate limits (GATEWAY_REDIS_URL). Default: in-memory limits.")
    var redis: String?

    @Option(help: "YAML file of keys, endpoints and tokens to apply at start (GATEWAY_CONFIG).")
    var config: String?

    @Option(help: "Largest request body in bytes (GATEWAY_MAX_BODY_BYTES). Default: 4194304.")
    var maxBodyBytes: Int?

    @Option(help: "Days to keep usage records (GATEWAY_USAGE_RETENTION_DAYS). Default: 30.")
    var usageRetentionDays: Int?

    @Option(
        help: """
            Lowest level logged: trace, debug, info, notice, warning, error or critical (GATEWAY_LOG_LEVEL). \
            Default: info, which logs one access line per request; warning leaves the access log out.
            """
    )
    var logLevel: String?

    func run() async throws {
        do {
            let settings = try ServerSettings(command: self, environment: ProcessInfo.processInfo.environment)
            try await GatewayServer(settings: settings).run()
        } catch let error as ExampleError {
            Console.error("gateway-server: \(error.message)")
            throw ExitCode.failure
        } catch let error as GatewayError {
            Console.error("gateway-server: \(error.message)")
            throw ExitCode.failure
        }
    }
}
