/// The `GATEWAY_MASTER_KEY` rules the examples share.
public enum MasterKey: Sendable {
    /// The shortest master key accepted.
    public static let minimumLength = 32

    /// The master key from `environment`, or one generated for this process when the store is in
    /// memory (its secrets die with it anyway).
    /// - Parameters:
    ///   - environment: the process environment.
    ///   - store: the store the key will seal secrets in.
    /// - Returns: the key, and whether it was generated.
    /// - Throws: ``ExampleError`` saying how to make a key, when it is missing or too short.
    public static func resolve(environment: [String: String], store: StoreOption) throws(ExampleError)
        -> (key: String, generated: Bool)
    {
        let howTo =
            "make one with `openssl rand -base64 32` and keep it: the store's secrets cannot be opened without it"
        guard let key = environment["GATEWAY_MASTER_KEY"], !key.isEmpty else {
            if store == .memory { return (generate(), true) }
            throw ExampleError("GATEWAY_MASTER_KEY is not set; it seals the API keys in \(store). Set it: \(howTo)")
        }
        guard key.count >= minimumLength else {
            throw ExampleError(
                "GATEWAY_MASTER_KEY is \(key.count) characters; it must be at least \(minimumLength). \(howTo)"
            )
        }
        return (key, false)
    }

    /// Older master keys from `GATEWAY_PREVIOUS_MASTER_KEYS` (comma-separated): during a rotation
    /// they still open secrets sealed before the new key, until every secret is re-sealed.
    /// - Parameter environment: the process environment.
    /// - Returns: the keys, in the order given; empty when the variable is unset.
    /// - Throws: ``ExampleError`` naming the position of a key that is too short.
    public static func previous(environment: [String: String]) throws(ExampleError) -> [String] {
        guard let text = environment["GATEWAY_PREVIOUS_MASTER_KEYS"], !text.isEmpty else { return [] }
        let keys = text.split(separator: ",").map { String($0.filter { !$0.isWhitespace }) }
        for (index, key) in keys.enumerated() where key.count < minimumLength {
            throw ExampleError(
                "GATEWAY_PREVIOUS_MASTER_KEYS: key \(index + 1) is \(key.count) characters; "
                    + "every master key is at least \(minimumLength)"
            )
        }
        return keys
    }

    private static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        return String((0..<64).map { _ in digits[Int.random(in: 0..<16, using: &generator)] })
    }
}
