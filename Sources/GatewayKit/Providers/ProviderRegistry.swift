/// Which code serves each provider: an HTTP ``ProviderAdapter`` or an ``InProcessProvider``.
///
/// ``standard`` serves every provider GatewayKit ships; register your own to add or replace one.
public struct ProviderRegistry: Sendable {
    /// How a provider is served.
    public enum Entry: Sendable {
        /// Over HTTP, translated by an adapter.
        case http(any ProviderAdapter)
        /// In process.
        case inProcess(any InProcessProvider)
    }

    private var entries: [Provider: Entry]

    /// An empty registry.
    public init() {
        self.entries = [:]
    }

    /// Serves `provider` over HTTP with `adapter`, replacing any earlier registration.
    public mutating func register(_ adapter: any ProviderAdapter, for provider: Provider) {
        entries[provider] = .http(adapter)
    }

    /// Serves `provider` in process, replacing any earlier registration.
    public mutating func register(_ inProcess: any InProcessProvider, for provider: Provider) {
        entries[provider] = .inProcess(inProcess)
    }

    /// How `provider` is served, if it is registered.
    public func entry(for provider: Provider) -> Entry? {
        entries[provider]
    }

    /// Whether an endpoint target of `provider` must name an API key: in-process providers and
    /// local servers (Ollama, vLLM) need none.
    public func requiresKey(_ provider: Provider) -> Bool {
        switch entries[provider] {
        case .inProcess: false
        case .http, nil: !provider.worksWithoutKey
        }
    }

    /// Every registered provider, known ones first in catalog order.
    public var providers: [Provider] {
        let known = Provider.known.filter { entries[$0] != nil }
        let custom = entries.keys.filter { !Provider.known.contains($0) }.sorted { $0.rawValue < $1.rawValue }
        return known + custom
    }
}
