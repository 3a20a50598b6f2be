import Testing

@testable import GatewayKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Vectors from AWS's published Signature Version 4 test suite (`aws-sig-v4-test-suite`, as
/// vendored in awslabs/aws-c-auth) and the IAM `ListUsers` example of AWS's SigV4 documentation.
@Suite struct SigV4SignerTests {
    static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    static func signer(service: String = "service", token: String? = nil, contentHash: Bool = false) -> SigV4Signer {
        SigV4Signer(
            credentials: .init(
                accessKeyID: "AKIDEXAMPLE", secretAccessKey: Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                sessionToken: token.map(Secret.init)
            ),
            region: "us-east-1", service: service, includesContentHash: contentHash
        )
    }

    static func request(_ method: String, query: [(name: String, value: String)] = []) -> SigV4Signer.Request {
        SigV4Signer.Request(method: method, host: "example.amazonaws.com", path: "/", query: query)
    }

    @Test("get-vanilla: canonical request, string to sign and signature match the published vector")
    func getVanilla() {
        let signed = Self.signer().sign(Self.request("GET"), at: Self.suiteDate)
        #expect(
            signed.canonicalRequest
                == "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\(Self.emptyHash)"
        )
        #expect(
            signed.stringToSign
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"
        )
        #expect(signed.signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        #expect(
            signed.authorization
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        )
        #expect(signed.headers.map(\.name) == ["x-amz-date", "authorization"])
    }

    @Test("post-vanilla matches the published string to sign and signature")
    func postVanilla() {
        let signed = Self.signer().sign(Self.request("POST"), at: Self.suiteDate)
        #expect(signed.stringToSign.hasSuffix("\n553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87"))
        #expect(signed.signature == "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")
    }

    @Test("get-vanilla-with-session-token signs and sends x-amz-security-token")
    func sessionToken() {
        let token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
        let signed = Self.signer(token: token).sign(Self.request("GET"), at: Self.suiteDate)
        #expect(signed.stringToSign.hasSuffix("\n067b36aa60031588cea4a4cde1f21215227a047690c72247f1d70b32fbbfad2b"))
        #expect(signed.signature == "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8")
        #expect(signed.authorization.contains("SignedHeaders=host;x-amz-date;x-amz-security-token,"))
        #expect(signed.headers.contains { $0.name == "x-amz-security-token" && $0.value == token })
    }

    @Test("get-vanilla-query-order-key-case sorts the query before signing")
    func queryOrder() {
        let signed = Self.signer().sign(
            Self.request("GET", query: [("Param2", "value2"), ("Param1", "value1")]), at: Self.suiteDate
        )
        #expect(signed.canonicalRequest.hasPrefix("GET\n/\nParam1=value1&Param2=value2\n"))
        #expect(signed.signature == "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
    }

    @Test("post-x-www-form-urlencoded signs the body hash and x-amz-content-sha256")
    func signedBody() {
        var request = Self.request("POST")
        request.headers = [("Content-Type", "application/x-www-form-urlencoded"), ("Content-Length", "13")]
        request.body = Array("Param1=value1".utf8)
        let signed = Self.signer(contentHash: true).sign(request, at: Self.suiteDate)
        #expect(signed.canonicalRequest.hasSuffix("\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"))
        #expect(
            signed.authorization.contains(
                "SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"
            )
        )
    }

    @Test("the IAM ListUsers documentation example: canonical request hash, signing key and signature")
    func iamListUsers() {
        let request = SigV4Signer.Request(
            method: "GET", host: "iam.amazonaws.com", path: "/",
            query: [("Action", "ListUsers"), ("Version", "2010-05-08")],
            headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]
        )
        let signer = Self.signer(service: "iam")
        let signed = signer.sign(request, at: Self.suiteDate)
        #expect(
            signed.canonicalRequest
                == "GET\n/\nAction=ListUsers&Version=2010-05-08\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n\(Self.emptyHash)"
        )
        #expect(signed.stringToSign.hasSuffix("\nf536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59"))
        #expect(
            SigV4Signer.hex(signer.signingKey(day: "20150830"))
                == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
        )
        #expect(signed.signature == "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
    }

    // Not an AWS-published vector: generated with botocore's SigV4Auth for PROVIDERS.md §7.4
    // and checked there by an independent HMAC implementation. It pins Bedrock's double
    // encoding of the model id in the canonical path.
    @Test("a Bedrock Converse request double-encodes the model id's colon in the canonical path")
    func bedrockWorkedExample() {
        let request = SigV4Signer.Request(
            method: "POST", host: "bedrock-runtime.us-east-1.amazonaws.com",
            path: "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse",
            headers: [("Content-Type", "application/json")],
            body: Array(
                #"{"messages":[{"role":"user","content":[{"text":"Hello"}]}],"inferenceConfig":{"maxTokens":64}}"#.utf8)
        )
        let date = Date(timeIntervalSince1970: 1_705_320_000)  // 2024-01-15T12:00:00Z
        let signed = Self.signer(service: "bedrock").sign(request, at: date)
        #expect(
            signed.canonicalRequest
                == "POST\n/model/anthropic.claude-3-haiku-20240307-v1%253A0/converse\n\ncontent-type:application/json\nhost:bedrock-runtime.us-east-1.amazonaws.com\nx-amz-date:20240115T120000Z\n\ncontent-type;host;x-amz-date\nf5b802cc64a01910fd197a46e9e959f3a5795f7728fa5710fb28f1ec3019f545"
        )
        #expect(signed.stringToSign.hasSuffix("\n75132e2c42288bb8994cf605cc4410d5aa5f4bd16a6f08c78eb79dc129e6ff40"))
        #expect(signed.signature == "dead0a3386d247e8e5e9b8e51f72264adf0621eee1f9b0cb684840379f813ebb")
    }

    @Test("timestamps are UTC in the compact SigV4 form, across leap days and before 1970")
    func timestamps() {
        func stamp(_ seconds: Double) -> String {
            let stamps = SigV4Signer.timestamps(Date(timeIntervalSince1970: seconds))
            return stamps.amzDate + " " + stamps.day
        }
        #expect(stamp(1_440_938_160) == "20150830T123600Z 20150830")
        #expect(stamp(0) == "19700101T000000Z 19700101")
        #expect(stamp(1_709_251_199.9) == "20240229T235959Z 20240229")
        #expect(stamp(-1) == "19691231T235959Z 19691231")
        #expect(stamp(4_102_444_800) == "21000101T000000Z 21000101")
    }

    @Test("URI encoding keeps only unreserved characters and encodes % again")
    func encoding() {
        #expect(SigV4Signer.encode("anthropic.claude-v2:1", keepingSlash: false) == "anthropic.claude-v2%3A1")
        #expect(SigV4Signer.encode("a/b c~_-.", keepingSlash: false) == "a%2Fb%20c~_-.")
        #expect(SigV4Signer.encode("/model/a%3A0/converse", keepingSlash: true) == "/model/a%253A0/converse")
        #expect(SigV4Signer.encode("é", keepingSlash: false) == "%C3%A9")
    }

    @Test("header values are trimmed and inner runs of spaces collapsed; unsigned headers are left out")
    func headerNormalisation() {
        var request = Self.request("GET")
        request.headers = [("My-Header1", "  a   b  "), ("User-Agent", "x"), ("my-header1", "c")]
        let signed = Self.signer().sign(request, at: Self.suiteDate)
        #expect(signed.canonicalRequest.contains("\nmy-header1:a b,c\n"))
        #expect(!signed.canonicalRequest.contains("user-agent"))
    }

    @Test("the secret key never appears in the signature's description")
    func noSecret() {
        let token = "session-token-value-123456"
        let signed = Self.signer(token: token).sign(Self.request("GET"), at: Self.suiteDate)
        let text = String(describing: signed) + signed.canonicalRequest + signed.stringToSign + signed.authorization
        #expect(!text.contains("wJalrXUtnFEMI"))
        #expect(!String(describing: Self.signer(token: token)).contains("wJalrXUtnFEMI"))
        #expect(!String(describing: Self.signer(token: token)).contains(token))
    }
}
