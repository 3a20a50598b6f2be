import ArgumentParser
import GatewayExampleSupport
import GatewayKit
import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `gateway`: manage endpoints and API keys in a local store and chat with an endpoint, in process.
@main
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Manage a GatewayKit store's endpoints and API keys, and chat with an endpoint in process.",
        discussion: "GATEWAY_MASTER_KEY (at least 32 characters) opens the store's sealed API keys.",
        subcommands: [
            EndpointsCommand.self, KeysCommand.self, GuardrailsCommand.self, ModelsCommand.self, ChatCommand.self,
            UsageCommand.self,
        ]
    )
}

/// The store every command works on.
struct StoreOptions: ParsableArguments {
    @Option(
        help: "The store: sqlite:PATH, memory or postgres://user:password@host/db (GATEWAY_STORE). Default: sqlite:gateway.sqlite."
    )
    var store: String?

    /// Opens the gateway on the store and runs `body`; a failure is printed on stderr and exits 1.
    func withGateway(_ body: (Gateway) async throws -> Void) async throws {
        do {
            let environment = ProcessInfo.processInfo.environment
            let option = try StoreOption(
                parsing: store ?? environment["GATEWAY_STORE"].flatMap { $0.isEmpty ? nil : $0 }
                    ?? "sqlite:gateway.sqlite"
            )
            let masterKey = try MasterKey.resolve(environment: environment, store: option).key
            let previous = try MasterKey.previous(environment: environment)
            let logger = Logger(label: "gateway", factory: { _ in SwiftLogNoOpLogHandler() })
            try await option.withStore(logger: logger) { store in
                // Chats are recorded in the store's usage table and written before the command exits.
                let gateway = try await Gateway(
                    store: store, masterKey: masterKey, previousMasterKeys: previous,
                    configuration: .init(usage: .init(sink: StoreOption.usageStore(for: store)))
                )
                if try DemoEndpoint.isFresh(gateway) { try await DemoEndpoint.create(in: gateway) }
                do {
                    try await body(gateway)
                } catch {
                    await gateway.usage.flush()
                    throw error
                }
                await gateway.usage.flush()
            }
        } catch let error as GatewayError {
            Console.error("error: \(error.message)")
            throw ExitCode.failure
        } catch let error as ExampleError {
            Console.error("error: \(error.message)")
            throw ExitCode.failure
        }
    }
}

/// Column-aligned text tables for the terminal.
struct Table {
    var headers: [String]
    var rows: [[String]] = []

    /// The table, with a header row, a rule and two spaces between columns.
    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                let isLast = index == cells.count - 1
                text += isLast ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
            }
            return text
        }
        var lines = [line(headers), line(widths.map { String(repeating: "-", count: $0) })]
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }
}
