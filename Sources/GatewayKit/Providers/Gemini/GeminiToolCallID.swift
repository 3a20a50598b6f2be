// Gemini function calls have no ids (newer models sometimes send one), yet OpenAI clients need an id
// to answer a call. The adapter makes one from the response id and the call's position, so the same
// answer yields the same ids; tool results are matched back by function name.
//
// Thinking models attach a `thoughtSignature` to a function call that must be sent back with it on
// the next turn. OpenAI's shape has nowhere else to keep it, so it rides in the id after a marker.
enum GeminiToolCallID {
    static let signatureMarker = "__thought__"

    static func make(call: GeminiWire.FunctionCall, signature: String?, responseID: String, position: Int) -> String {
        let base = call.id.flatMap { $0.isEmpty ? nil : $0 } ?? "call_\(responseID)_\(position)"
        guard let signature, !signature.isEmpty else { return base }
        return base + signatureMarker + signature
    }

    static func thoughtSignature(in id: String) -> String? {
        // FoundationEssentials has no `range(of:)`: find the marker by hand.
        let marker = Array(signatureMarker.utf8)
        let bytes = Array(id.utf8)
        guard bytes.count > marker.count else { return nil }
        for start in 0...(bytes.count - marker.count) where bytes[start..<(start + marker.count)].elementsEqual(marker)
        {
            let signature = String(decoding: bytes[(start + marker.count)...], as: UTF8.self)
            return signature.isEmpty ? nil : signature
        }
        return nil
    }
}
