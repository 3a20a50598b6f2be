#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How the SQL stores write records: JSON text with sorted keys. Dates keep Foundation's own
/// Double, so they round-trip exactly.
package enum StoredJSON {
    package static func encode(_ value: some Encodable, what: String) throws(GatewayError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return try String(decoding: encoder.encode(value), as: UTF8.self)
        } catch {
            throw GatewayError(.internal, "the \(what) could not be encoded for storage", underlying: error)
        }
    }

    package static func decode<T: Decodable>(_ type: T.Type, from text: String, what: String) throws(GatewayError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw GatewayError(.internal, "a stored \(what) could not be read", underlying: error)
        }
    }
}
