import ArgumentParser
import GatewayExampleSupport
import GatewayKit

struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat", abstract: "Send a prompt to an endpoint, in process, and print the answer."
    )
    @OptionGroup var options: StoreOptions
    @Argument(help: "The endpoint's slug.") var slug: String
    @Argument(help: "The prompt.") var prompt: String
    @Flag(help: "Print tokens as they arrive.") var stream = false
    @Option(help: "A system message sent before the prompt.") var system: String?

    func run() async throws {
        try await options.withGateway { gateway in
            var messages: [ChatMessage] = system.map { [.system($0)] } ?? []
            messages.append(.user(prompt))
            let request = ChatRequest(messages: messages)
            let slug = Endpoint.Slug(rawValue: slug)
            if stream {
                var printed = false
                for try await chunk in gateway.router.stream(slug: slug, request: request, as: .admin) {
                    Console.out(chunk.text, terminator: "")
                    printed = true
                }
                if printed { Console.out("") }
            } else {
                let reply = try await gateway.router.complete(slug: slug, request: request, as: .admin)
                Console.out(reply.text)
            }
        }
    }
}
