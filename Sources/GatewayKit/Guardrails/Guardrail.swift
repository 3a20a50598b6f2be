/// An in-process guardrail: a Swift type that inspects the text of a request or of an answer and
/// allows it, rewrites it, or blocks it.
///
/// Register in-process guardrails with ``Gateway/Configuration/guardrails``; they run on every
/// endpoint, after the endpoint's stored rules.
///
/// ```swift
/// struct NoShouting: Guardrail {
///     var name: String { "no-shouting" }
///     var stage: GuardrailRule.Stage { .input }
///     func inspect(_ text: String) async throws -> GuardrailVerdict {
///         text.count > 8 && text == text.uppercased() ? .block(reason: "no shouting") : .allow
///     }
/// }
/// ```
///
/// On the input stage ``inspect(_:)`` sees each message's text separately. On the output stage it
/// sees the whole answer: a streamed answer is held back until it ends when an in-process output
/// guardrail is registered, since the guardrail cannot say how far a match can reach.
public protocol Guardrail: Sendable {
    /// A name, used in the error a block produces.
    var name: String { get }
    /// When it runs.
    var stage: GuardrailRule.Stage { get }
    /// Decides about `text`.
    /// - Parameter text: a message's text (input stage) or the answer's text (output stage).
    /// - Returns: the verdict.
    /// - Throws: any error; the router blocks the request when a guardrail throws.
    func inspect(_ text: String) async throws -> GuardrailVerdict
}

/// What a guardrail decided about a text.
public enum GuardrailVerdict: Sendable, Hashable {
    /// Let the text through unchanged.
    case allow
    /// Replace the whole text with `replacement`.
    case redact(String)
    /// Refuse: the caller gets `guardrailBlocked` with `reason`.
    case block(reason: String)
}
