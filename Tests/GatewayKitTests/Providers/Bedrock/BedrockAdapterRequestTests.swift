import HTTPTypes
import NIOCore
import Testing

@testable import GatewayKit

@Suite struct BedrockAdapterRequestTests {
    typealias B = BedrockFixtures

    private func header(_ request: UpstreamRequest, _ name: String) -> String? {
        HTTPField.Name(name).flatMap { request.headers[$0] }
    }

    @Test("builds a signed Converse request: URL with the encoded model id, host, date and Authorization")
    func signedRequest() throws {
        var chat = ChatRequest(messages: [.user("Hello")])
        chat.maxTokens = 64
        let request = try B.adapter.makeRequest(chat, for: B.call())
        #expect(request.method == .post)
        #expect(
            request.url
                == "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse"
        )
        #expect(header(request, "host") == "bedrock-runtime.us-east-1.amazonaws.com")
        #expect(header(request, "content-type") == "application/json")
        #expect(header(request, "x-amz-date") == "20240115T120000Z")
        #expect(header(request, "x-amz-security-token") == nil)
        let body = Array(request.body.readableBytesView)
        let expected = SigV4Signer(
            credentials: .init(accessKeyID: B.accessKeyID, secretAccessKey: Secret(B.secretKey)), region: "us-east-1",
            service: "bedrock"
        ).sign(
            .init(
                method: "POST", host: "bedrock-runtime.us-east-1.amazonaws.com",
                path: "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse",
                headers: [("content-type", "application/json")], body: body
            ),
            at: B.date
        )
        #expect(expected.canonicalRequest.contains("\n/model/anthropic.claude-3-haiku-20240307-v1%253A0/converse\n"))
        #expect(header(request, "authorization") == expected.authorization)
        #expect(
            header(request, "authorization")?.hasPrefix(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature="
            ) == true
        )
        #expect(
            try B.json(request.body)
                == B.json(
                    #"{"messages":[{"role":"user","content":[{"text":"Hello"}]}],"inferenceConfig":{"maxTokens":64}}"#)
        )
    }

    @Test("a session token is sent as x-amz-security-token and signed; streams go to converse-stream")
    func sessionTokenAndStream() throws {
        let request = try B.adapter.makeRequest(
            .init(messages: [.user("hi")]), for: B.call(stream: true, secret: B.secret(token: B.sessionToken)))
        #expect(request.url.hasSuffix("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream"))
        #expect(header(request, "x-amz-security-token") == B.sessionToken)
        #expect(
            header(request, "authorization")?.contains(
                "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,") == true)
    }

    @Test("a custom base_url keeps its port in the signed host and its path prefix")
    func customBaseURL() throws {
        let request = try B.adapter.makeRequest(
            .init(messages: [.user("hi")]),
            for: B.call(baseURL: "http://127.0.0.1:8081/proxy/", model: "amazon.nova-lite-v1:0")
        )
        #expect(request.url == "http://127.0.0.1:8081/proxy/model/amazon.nova-lite-v1%3A0/converse")
        #expect(header(request, "host") == "127.0.0.1:8081")
        let https = try B.adapter.makeRequest(
            .init(messages: [.user("hi")]), for: B.call(baseURL: "https://example.com:443"))
        #expect(header(https, "host") == "example.com")
    }

    @Test("maps system, images, tool calls, tool results, inference and tool configuration")
    func fullMapping() throws {
        var chat = ChatRequest(
            messages: [
                .system("You are terse."),
                ChatMessage(
                    role: .user,
                    content: .parts([
                        .text("What is this?"), .imageURL(url: "data:image/png;base64,iVBORw0KGgo=", detail: nil),
                    ])),
                ChatMessage(
                    role: .assistant, content: .text("Checking."),
                    toolCalls: [ToolCall(id: "tooluse_1", name: "get_weather", arguments: #"{"city":"Paris"}"#)]
                ),
                .tool(callID: "tooluse_1", "18 °C"),
                .user("Thanks"),
            ],
            maxTokens: 256, temperature: 0.2,
            tools: [
                ChatTool(
                    name: "get_weather", description: "Current weather",
                    parameters: .object([
                        "type": .string("object"),
                        "properties": .object(["city": .object(["type": .string("string")])]),
                    ])
                )
            ],
            toolChoice: .auto
        )
        chat.topP = 0.9
        chat.stop = ["END"]
        chat.extra = [
            "top_k": .int(40), "guardrailConfig": .object(["guardrailIdentifier": .string("g1")]),
            "logprobs": .bool(true),
        ]
        let body = try B.json(try B.adapter.makeRequest(chat, for: B.call()).body)
        let expected = try B.json(
            #"""
            {"system":[{"text":"You are terse."}],
             "messages":[
              {"role":"user","content":[{"text":"What is this?"},{"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}}]},
              {"role":"assistant","content":[{"text":"Checking."},{"toolUse":{"toolUseId":"tooluse_1","name":"get_weather","input":{"city":"Paris"}}}]},
              {"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_1","content":[{"text":"18 °C"}]}},{"text":"Thanks"}]}],
             "inferenceConfig":{"maxTokens":256,"temperature":0.2,"topP":0.9,"stopSequences":["END"]},
             "toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","description":"Current weather",
                "inputSchema":{"json":{"type":"object","properties":{"city":{"type":"string"}}}}}}],"toolChoice":{"auto":{}}},
             "additionalModelRequestFields":{"top_k":40},
             "guardrailConfig":{"guardrailIdentifier":"g1"}}
            """#
        )
        #expect(body == expected)
    }

    @Test("tool_choice required and a named function map to any and tool; none drops the tools")
    func toolChoices() throws {
        let tool = ChatTool(name: "f")
        func config(_ choice: ToolChoice) throws -> JSONValue? {
            let chat = ChatRequest(messages: [.user("x")], tools: [tool], toolChoice: choice)
            return try B.json(try B.adapter.makeRequest(chat, for: B.call()).body)["toolConfig"]
        }
        #expect(try config(.required)?["toolChoice"] == .object(["any": .object([:])]))
        #expect(try config(.function("f"))?["toolChoice"] == .object(["tool": .object(["name": .string("f")])]))
        #expect(try config(.none) == nil)
        #expect(
            try config(.auto)?["tools"]
                == .array([
                    .object([
                        "toolSpec": .object([
                            "name": .string("f"),
                            "inputSchema": .object([
                                "json": .object(["type": .string("object"), "properties": .object([:])])
                            ]),
                        ])
                    ])
                ])
        )
    }

    @Test("requests Converse cannot express are invalid, naming the field")
    func invalidRequests() throws {
        let remote = ChatRequest(messages: [
            ChatMessage(role: .user, content: .parts([.imageURL(url: "https://x/cat.png", detail: nil)]))
        ])
        let imageError = #expect(throws: GatewayError.self) { try B.adapter.makeRequest(remote, for: B.call()) }
        #expect(imageError?.code == .invalidRequest)
        #expect(imageError?.field == "messages")
        let badArguments = ChatRequest(messages: [
            ChatMessage(role: .assistant, content: nil, toolCalls: [ToolCall(id: "1", name: "f", arguments: "[1")])
        ])
        #expect(throws: GatewayError.self) { try B.adapter.makeRequest(badArguments, for: B.call()) }
        let json = ChatRequest(messages: [.user("x")], responseFormat: .jsonObject)
        let formatError = #expect(throws: GatewayError.self) { try B.adapter.makeRequest(json, for: B.call()) }
        #expect(formatError?.field == "response_format")
    }

    @Test("a key without a region, or with a malformed secret, is invalid and the secret is never echoed")
    func invalidKeys() throws {
        let chat = ChatRequest(messages: [.user("x")])
        let noRegion = #expect(throws: GatewayError.self) { try B.adapter.makeRequest(chat, for: B.call(region: nil)) }
        #expect(noRegion?.code == .invalidRequest)
        #expect(noRegion?.field == "region")
        for secret in [
            "not json \(B.secretKey)", #"{"access_key_id":"AKID","secret_access_key":""}"#,
            #"{"secret_access_key":"\#(B.secretKey)"}"#, "",
        ] {
            let error = #expect(throws: GatewayError.self) {
                try B.adapter.makeRequest(chat, for: B.call(secret: secret))
            }
            #expect(error?.code == .invalidRequest)
            #expect(error?.field == "secret")
            let shown = (error.map { String(describing: $0) + String(reflecting: $0) }) ?? ""
            #expect(!shown.contains(B.secretKey))
        }
        let badRegion = #expect(throws: GatewayError.self) {
            try B.adapter.makeRequest(chat, for: B.call(region: "us-east-1.evil.com/"))
        }
        #expect(badRegion?.field == "region")
        let badBase = #expect(throws: GatewayError.self) {
            try B.adapter.makeRequest(chat, for: B.call(baseURL: "bedrock.example.com"))
        }
        #expect(badBase?.field == "base_url")
    }
}
