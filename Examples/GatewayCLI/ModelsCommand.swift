import ArgumentParser
import GatewayExampleSupport
import GatewayKit

struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models", abstract: "List the providers and models an endpoint can use, grouped by provider."
    )

    func run() async throws {
        let registry = ProviderRegistry.standard
        var table = Table(headers: ["PROVIDER", "MODELS", "KEY", "SERVED"])
        for provider in Provider.known {
            let models = provider == .mock ? "echo, fixed:<text>, error:<status>, delay:<ms>" : "\(provider)/<model id>"
            table.rows.append([
                provider.rawValue, models, registry.requiresKey(provider) ? "required" : "optional",
                registry.entry(for: provider) == nil ? "not in this build" : "yes",
            ])
        }
        Console.out(table.render())
    }
}
