import ArgumentParser
import GatewayExampleSupport
import GatewayKit

struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models", abstract: "List the built-in model catalog, grouped by provider."
    )

    func run() async throws {
        var table = Table(headers: ["MODEL", "NAME", "CONTEXT", "IN $/M", "OUT $/M", "CAPABILITIES"])
        for (provider, models) in ModelCatalog.builtIn.grouped() {
            table.rows.append(["\(provider)", "", "", "", "", ""])
            for model in models {
                table.rows.append([
                    "  " + model.id, model.displayName, Self.tokens(model.contextWindow),
                    Self.price(model.inputPricePerMillion), Self.price(model.outputPricePerMillion),
                    Self.capabilities(model.capabilities),
                ])
            }
        }
        Console.out(table.render())
        Console.out("Prices per million tokens, read on \(ModelCatalog.pricesReadOn). mock/echo, mock/fixed:<text>, "
            + "mock/error:<status> and mock/delay:<ms> answer in process.")
    }

    private static func tokens(_ count: Int) -> String {
        count >= 1_000_000 ? "\(count / 1_000_000)M" : "\(count / 1_000)K"
    }

    private static func price(_ value: Double?) -> String {
        guard let value else { return "-" }
        let cents = Int((value * 100).rounded())
        let fraction = cents % 100
        return "\(cents / 100)." + (fraction < 10 ? "0\(fraction)" : "\(fraction)")
    }

    private static func capabilities(_ capabilities: CatalogModel.Capabilities) -> String {
        var names: [String] = []
        if capabilities.contains(.tools) { names.append("tools") }
        if capabilities.contains(.vision) { names.append("vision") }
        if capabilities.contains(.reasoning) { names.append("reasoning") }
        if capabilities.contains(.promptCaching) { names.append("caching") }
        if capabilities.contains(.structuredOutput) { names.append("json") }
        return names.joined(separator: ", ")
    }
}
