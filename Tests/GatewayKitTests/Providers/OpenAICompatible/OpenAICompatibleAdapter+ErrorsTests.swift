import GatewayKit
import HTTPTypes
import NIOCore
import Testing

private typealias Support = OpenAICompatibleTestSupport

@Suite struct OpenAICompatibleAdapterErrorsTests {
    private func classify(
        _ status: Int, _ body: String, provider: Provider = .openai, headers: HTTPFields = [:]
    ) throws -> GatewayError {
        OpenAICompatibleAdapter(provider: provider).classifyError(
            status: status, headers: headers, body: ByteBuffer(string: body),
            for: try Support.call("openai/gpt-4o-mini")
        )
    }

    private func headers(_ pairs: [(String, String)]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in pairs {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        return fields
    }

    @Test("classifies a rejected key as an auth failure with the provider's message")
    func invalidKey() throws {
        // PROVIDERS.md §1.5.
        let error = try classify(
            401,
            #"{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#
        )
        #expect(error.code == .upstreamAuthFailed)
        #expect(error.failureClass == .credential)
        #expect(error.message == "OpenAI: Incorrect API key provided.")
        #expect(error.upstreamStatus == 401)
        #expect(
            try classify(403, #"{"error":{"message":"Country not supported","type":"request_forbidden"}}"#).code
                == .upstreamAuthFailed)
    }

    @Test("classifies caller faults (400, 404, 413, 422) as rejected, never falling back")
    func callerFaults() throws {
        let cases: [(Int, String, String)] = [
            (
                400,
                #"{"error":{"message":"This model's maximum context length is 128000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#,
                "OpenAI: This model's maximum context length is 128000 tokens."
            ),
            (
                404,
                #"{"error":{"message":"The model `gpt-9` does not exist","type":"invalid_request_error","param":null,"code":"model_not_found"}}"#,
                "OpenAI: The model `gpt-9` does not exist"
            ),
            (413, #"{"error":{"message":"Request too large"}}"#, "OpenAI: Request too large"),
            (422, #"{"error":{"message":"Unprocessable"}}"#, "OpenAI: Unprocessable"),
        ]
        for (status, body, message) in cases {
            let error = try classify(status, body)
            #expect(error.code == .upstreamRejected, "\(status)")
            #expect(error.failureClass == .callerFault)
            #expect(error.message == message)
            #expect(error.upstreamStatus == status)
        }
    }

    @Test("reads retry-after-ms before retry-after on a 429")
    func rateLimited() throws {
        let body =
            #"{"error":{"message":"Rate limit reached for gpt-4o-mini","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#
        let both = try classify(429, body, headers: headers([("retry-after-ms", "1500"), ("retry-after", "2")]))
        #expect(both.code == .upstreamRateLimited)
        #expect(both.failureClass == .rateLimit)
        #expect(both.retryAfter == .milliseconds(1500))
        #expect(try classify(429, body, headers: headers([("retry-after", "2.5")])).retryAfter == .milliseconds(2500))
        #expect(try classify(429, body).retryAfter == nil)
        #expect(
            try classify(429, body, headers: headers([("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")])).retryAfter
                == nil)
    }

    @Test("classifies Azure's 429 with a string code and retry-after")
    func azureRateLimit() throws {
        // PROVIDERS.md §2.1.
        let body =
            #"{"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds."}}"#
        let error = try classify(
            429, body, provider: .azure,
            headers: headers([("retry-after", "6"), ("x-ratelimit-remaining-tokens", "0")]))
        #expect(error.code == .upstreamRateLimited)
        #expect(error.retryAfter == .seconds(6))
        #expect(error.message.hasPrefix("Azure OpenAI: Requests to the ChatCompletions_Create Operation"))
    }

    @Test("classifies spent quota and credits as an auth failure of class quota")
    func quota() throws {
        let cases: [(Int, String, Provider)] = [
            (
                429,
                #"{"error":{"message":"You exceeded your current quota.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#,
                .openai
            ),
            (
                429,
                #"{"error":{"message":"Your credit balance is too low.","type":"invalid_request_error","code":"credit_balance_exhausted"}}"#,
                .openai
            ),
            (
                402,
                #"{"error":{"code":402,"message":"Insufficient credits. Add more using https://openrouter.ai/credits"}}"#,
                .openrouter
            ),
        ]
        for (status, body, provider) in cases {
            let error = try classify(status, body, provider: provider)
            #expect(error.code == .upstreamAuthFailed, "\(body)")
            #expect(error.failureClass == .quota)
            #expect(error.upstreamStatus == status)
        }
    }

    @Test("classifies timeouts, conflicts and server errors as retryable")
    func transient() throws {
        let timeout = try classify(408, #"{"error":{"code":408,"message":"Timed out"}}"#, provider: .openrouter)
        #expect(timeout.code == .upstreamTimeout)
        #expect(timeout.failureClass == .timeout)
        #expect(try classify(504, "").code == .upstreamTimeout)
        let conflict = try classify(409, #"{"error":{"message":"conflict"}}"#)
        #expect(conflict.code == .upstream)
        #expect(conflict.failureClass == .transient)
        let server = try classify(500, #"{"error":{"message":"The server had an error","type":"server_error"}}"#)
        #expect(server.code == .upstream)
        #expect(server.message == "OpenAI: The server had an error")
        let overloaded = try classify(
            503, #"{"error":{"message":"The engine is currently overloaded"}}"#,
            headers: headers([("retry-after", "1")]))
        #expect(overloaded.code == .upstream)
        #expect(overloaded.retryAfter == .seconds(1))
    }

    @Test("names the status without echoing a body that is not JSON")
    func nonJSONBody() throws {
        let error = try classify(502, "<html><body>502 Bad Gateway</body></html>", provider: .togetherAI)
        #expect(error.code == .upstream)
        #expect(error.message == "Together AI answered HTTP 502")
        #expect(error.upstreamStatus == 502)
    }

    @Test("reads vLLM's flat and nested error shapes and Ollama's")
    func vLLMAndOllama() throws {
        let flat = try classify(
            404,
            #"{"object":"error","message":"The model `Qwen/Qwen9` does not exist.","type":"NotFoundError","param":null,"code":404}"#,
            provider: .hostedVLLM
        )
        #expect(flat.code == .upstreamRejected)
        #expect(flat.message == "vLLM: The model `Qwen/Qwen9` does not exist.")
        let nested = try classify(
            400, #"{"error":{"message":"max_tokens is too large","type":"BadRequestError","param":null,"code":400}}"#,
            provider: .hostedVLLM
        )
        #expect(nested.message == "vLLM: max_tokens is too large")
        let ollama = try classify(
            404,
            #"{"error":{"message":"model \"llama9\" not found, try pulling it first","type":"not_found_error","param":null,"code":null}}"#,
            provider: .ollama
        )
        #expect(ollama.code == .upstreamRejected)
        #expect(ollama.message == #"Ollama: model "llama9" not found, try pulling it first"#)
        #expect(
            try classify(500, #"{"error":"llama runner process has terminated"}"#, provider: .ollama).message
                == "Ollama: llama runner process has terminated")
    }

    @Test("shows Mistral's validation object as compact JSON")
    func mistralValidation() throws {
        let error = try classify(
            422,
            #"{"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","foo"],"msg":"Extra inputs are not permitted"}]},"type":"invalid_request_message_error","param":null,"code":null}"#,
            provider: .mistral
        )
        #expect(error.code == .upstreamRejected)
        #expect(error.message.hasPrefix(#"Mistral: {"detail":[{"#))
        #expect(error.message.contains("Extra inputs are not permitted"))
    }

    @Test("treats OpenRouter's moderation 403 as a refusal, not a key problem")
    func moderation() throws {
        let error = try classify(
            403,
            #"{"error":{"code":403,"message":"Input was flagged","metadata":{"reasons":["violence"],"flagged_input":"…","provider_name":"OpenAI","model_slug":"openai/gpt-4o"}}}"#,
            provider: .openrouter
        )
        #expect(error.code == .upstreamRejected)
        #expect(error.failureClass == .callerFault)
    }

    @Test("never puts the request's secret in a message")
    func secretRedacted() throws {
        let body =
            #"{"error":{"message":"Incorrect API key provided: \#(Support.secret). Check it.","code":"invalid_api_key"}}"#
        let error = try classify(401, body)
        #expect(!error.message.contains(Support.secret))
        #expect(!error.description.contains(Support.secret))
        #expect(error.message == "OpenAI: Incorrect API key provided: <redacted>. Check it.")
    }
}
