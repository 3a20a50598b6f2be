extension ModelCatalog {
    // LiteLLM's alternative prefixes are served like their main provider, so they share its entries.
    static func canonicalProvider(_ provider: Provider) -> Provider {
        switch provider {
        case .cohereChat: .cohere
        case .ollamaChat: .ollama
        default: provider
        }
    }

    // Bedrock cross-region inference profiles put a geography before the model id.
    static let bedrockRegionPrefixes = ["us.", "us-gov.", "eu.", "apac.", "au.", "ca.", "jp.", "global."]

    // The name without its version decorations, as `model(for:)` compares names.
    static func lookupKey(_ name: String, provider: Provider) -> String {
        var key = name.lowercased()
        if key.hasSuffix(":latest") { key.removeLast(":latest".count) }
        if let at = key.firstIndex(of: "@") { key = String(key[..<at]) }
        if provider == .bedrock {
            if let prefix = bedrockRegionPrefixes.first(where: { key.hasPrefix($0) }) {
                key.removeFirst(prefix.count)
            }
            key = removingBedrockVersion(key)
        }
        return removingDateSuffix(key)
    }

    // `-v1:0` or `-v2` at the end of a Bedrock model id.
    static func removingBedrockVersion(_ name: String) -> String {
        guard let dash = name.ranges(of: "-v").last else { return name }
        let version = name[dash.upperBound...]
        let parts = version.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) })
        else { return name }
        return String(name[..<dash.lowerBound])
    }

    // `-2024-08-06` (OpenAI) or `-20250514` (Anthropic) at the end of a name.
    static func removingDateSuffix(_ name: String) -> String {
        for pattern in ["-dddd-dd-dd", "-dddddddd"] where name.count > pattern.count {
            let tail = name.suffix(pattern.count)
            let matches = zip(tail, pattern).allSatisfy { character, expected in
                expected == "d" ? character.isASCIIDigit : character == expected
            }
            if matches { return String(name.dropLast(pattern.count)) }
        }
        return name
    }

    // A compact constructor for the data files.
    static func entry(
        _ provider: Provider, _ name: String, _ displayName: String, context: Int, maxOutput: Int?,
        input: Double?, output: Double?, cached: Double? = nil, _ capabilities: CatalogModel.Capabilities
    ) -> CatalogModel {
        CatalogModel(
            ref: ModelRef(provider: provider, name: name), displayName: displayName, contextWindow: context,
            maxOutputTokens: maxOutput, inputPricePerMillion: input, outputPricePerMillion: output,
            cachedInputPricePerMillion: cached, capabilities: capabilities
        )
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
