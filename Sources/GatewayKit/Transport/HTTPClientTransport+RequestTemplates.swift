import AsyncHTTPClient
import HTTPTypes
import NIOHTTP1

extension HTTPClientTransport {
    /// Requests already parsed, by method and URL, without headers or body.
    ///
    /// AsyncHTTPClient parses the URL twice (Foundation's `URL`, then its own deconstruction) for
    /// every request it is handed, about 2% of the CPU a proxied call costs, while an endpoint asks
    /// the same URL again and again. A copy of the parsed template gets the call's headers and body.
    final class RequestTemplates: Sendable {
        private struct Key: Hashable {
            var method: HTTPRequest.Method
            var url: String
        }

        private let cache = BoundedCache<Key, HTTPClient.Request>()

        /// The parsed request for `method` and `url`, with no headers and no body.
        /// - Throws: AsyncHTTPClient's URL errors, as `HTTPClient.Request.init` throws them.
        func request(method: HTTPRequest.Method, url: String) throws -> HTTPClient.Request {
            try cache.value(for: Key(method: method, url: url)) {
                try HTTPClient.Request(url: url, method: HTTPMethod(rawValue: method.rawValue))
            }
        }
    }
}
