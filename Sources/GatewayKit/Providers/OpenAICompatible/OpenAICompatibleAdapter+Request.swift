import HTTPTypes
import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension OpenAICompatibleAdapter {
    /// Azure's GA API version, used when the key sets none.
    static let defaultAzureAPIVersion = "2024-10-21"

    func url(for call: ProviderCall) throws -> String {
        let configured = call.settings.baseURL?.trimmingWhitespace()
        guard let chosen = configured.flatMap({ $0.isEmpty ? nil : $0 }) ?? configuration.defaultBaseURL else {
            let example =
                configuration.quirks.contains(.azureDeployments)
                ? "the resource URL, e.g. https://myresource.openai.azure.com"
                : "the base URL including the version path, e.g. http://localhost:8000/v1"
            throw GatewayError.invalid("base_url", "\(configuration.name) needs the API key's base_url: \(example)")
        }
        guard chosen.hasPrefix("https://") || chosen.hasPrefix("http://") else {
            throw GatewayError.invalid(
                "base_url", "\(configuration.name) base_url must be an absolute URL starting with https:// or http://"
            )
        }
        var base = Substring(chosen)
        while base.hasSuffix("/") { base = base.dropLast() }
        guard configuration.quirks.contains(.azureDeployments), !base.hasSuffix("/openai/v1") else {
            return base + "/chat/completions"
        }
        if base.hasSuffix("/openai") { base = base.dropLast("/openai".count) }
        let deployment = Self.percentEncoded(call.model.name)
        let version = Self.percentEncoded(call.settings.apiVersion ?? Self.defaultAzureAPIVersion)
        return base + "/openai/deployments/\(deployment)/chat/completions?api-version=\(version)"
    }

    func addCredential(to headers: inout HTTPFields, secret: Secret?) throws {
        guard let secret, !secret.isEmpty else { return }
        switch configuration.authentication.base {
        case .bearer:
            headers[.authorization] = "Bearer \(secret.reveal())"
        case .header(let name):
            guard let field = HTTPField.Name(name) else {
                throw GatewayError(.internal, "\(configuration.name) credential header '\(name)' is not a valid name")
            }
            headers[field] = secret.reveal()
        case .none:
            break
        }
    }

    func body(_ request: ChatRequest, for call: ProviderCall) throws -> ByteBuffer {
        var wire = request
        wire.model = call.model.name
        wire.stream = call.stream
        // The gateway accounts tokens, so a stream always asks for the final usage chunk.
        wire.includeUsage = call.stream ? true : nil
        var overrides: [String: JSONValue] = [:]
        let quirks = configuration.quirks
        if quirks.contains(.randomSeed), let seed = wire.seed {
            wire.seed = nil
            wire.extra["random_seed"] = .int(seed)
        }
        if quirks.contains(.omitToolChoice) {
            wire.toolChoice = nil
        } else if quirks.contains(.toolChoiceAny), let choice = wire.toolChoice {
            switch choice {
            case .required, .function:
                wire.toolChoice = nil
                overrides["tool_choice"] = .string("any")
            case .auto, .none:
                break
            }
        }
        if quirks.contains(.omitNullExtras) {
            wire.extra = wire.extra.filter { $0.value != .null }
        }
        if quirks.contains(.omitToolStrict), let tools = wire.tools {
            wire.tools = tools.map { tool in
                var tool = tool
                tool.strict = nil
                return tool
            }
        }
        var writer = JSONWriter(capacity: wire.estimatedJSONSize)
        do {
            try wire.write(to: &writer, maxTokensField: configuration.tokenLimitField.field, overrides: overrides)
            return writer.buffer
        } catch {
            throw GatewayError(
                .invalidRequest, "the request cannot be written as JSON for \(configuration.name)", underlying: error
            )
        }
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters, for a path segment or a query value.
    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
