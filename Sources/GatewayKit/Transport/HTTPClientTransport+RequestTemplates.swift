import AsyncHTTPClient
import HTTPTypes
import NIOHTTP1
import Synchronization

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

        // Endpoints name few URLs; the bound only matters for URLs that change per call (a key
        // in the query string that is rotated), which start the cache over instead of growing it.
        private static let capacity = 256
        private let cache = Mutex<[Key: HTTPClient.Request]>([:])

        /// The parsed request for `method` and `url`, with no headers and no body.
        /// - Throws: AsyncHTTPClient's URL errors, as `HTTPClient.Request.init` throws them.
        func request(method: HTTPRequest.Method, url: String) throws -> HTTPClient.Request {
            let key = Key(method: method, url: url)
            if let template = cache.withLock({ $0[key] }) { return template }
            let template = try HTTPClient.Request(url: url, method: HTTPMethod(rawValue: method.rawValue))
            cache.withLock { cache in
                if cache.count >= Self.capacity { cache.removeAll(keepingCapacity: true) }
                cache[key] = template
            }
            return template
        }
    }
}
