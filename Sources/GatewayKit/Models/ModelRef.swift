/// A model named the LiteLLM way: `provider/model` (`openai/gpt-4o`, `azure/my-deployment`,
/// `openrouter/anthropic/claude-sonnet-4`, `hosted_vllm/Qwen/Qwen3-8B`).
///
/// The provider is the text before the first `/`; the rest, which may contain more slashes, is the
/// provider's own model id. Any model id is accepted under a known provider.
public struct ModelRef: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The provider.
    public var provider: Provider
    /// The provider's model id (`gpt-4o`, a deployment name, `anthropic.claude-3-haiku-20240307-v1:0`).
    public var name: String

    /// Creates a reference from its parts.
    public init(provider: Provider, name: String) {
        self.provider = provider
        self.name = name
    }

    /// Parses a model string.
    ///
    /// A string without a known prefix is accepted when its name identifies the provider
    /// (`gpt-4o` → openai, `claude-…` → anthropic, `gemini-…` → gemini, `command-…` → cohere,
    /// `grok-…` → xai, `mistral-…` → mistral). `bedrock/converse/<id>` is read as `bedrock/<id>`.
    /// - Parameters:
    ///   - text: the model string.
    ///   - providers: the providers accepted as prefixes; defaults to ``Provider/known``.
    ///   - field: the field named in errors.
    /// - Throws: `GatewayError` `invalidRequest` naming `field` when the string is empty, has an empty
    ///   model id, or names no provider GatewayKit can reach.
    public init(parsing text: String, providers: [Provider] = Provider.known, field: String = "model")
        throws(GatewayError)
    {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw GatewayError.invalid(field, "model must not be empty") }
        if let slash = trimmed.firstIndex(of: "/") {
            let prefix = Provider(rawValue: String(trimmed[..<slash]))
            var rest = String(trimmed[trimmed.index(after: slash)...])
            if providers.contains(prefix) {
                if prefix == .bedrock, rest.hasPrefix("converse/") { rest.removeFirst("converse/".count) }
                guard !rest.isEmpty else {
                    throw GatewayError.invalid(field, "model '\(text)' has no model id after '\(prefix)/'")
                }
                self.init(provider: prefix, name: rest)
                return
            }
        }
        if let inferred = ModelRef.inferProvider(trimmed), providers.contains(inferred) {
            self.init(provider: inferred, name: trimmed)
            return
        }
        let names = providers.map(\.rawValue).joined(separator: ", ")
        throw GatewayError.invalid(
            field, "model '\(text)' names no known provider: write it as provider/model with one of \(names)"
        )
    }

    /// `provider/name`.
    public var description: String { "\(provider.rawValue)/\(name)" }

    private static func inferProvider(_ name: String) -> Provider? {
        let lower = name.lowercased()
        let rules: [(String, Provider)] = [
            ("gpt-", .openai), ("chatgpt", .openai), ("o1", .openai), ("o3", .openai), ("o4", .openai),
            ("claude-", .anthropic), ("gemini-", .gemini), ("command", .cohere), ("grok-", .xai),
            ("mistral-", .mistral), ("codestral", .mistral),
        ]
        return rules.first { lower.hasPrefix($0.0) }?.1
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text, providers: Provider.known + [Provider(rawValue: ModelRef.prefix(of: text))])
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func prefix(of text: String) -> String {
        text.firstIndex(of: "/").map { String(text[..<$0]) } ?? ""
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
