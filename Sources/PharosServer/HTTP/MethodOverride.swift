import HTTPTypes
import Hummingbird

/// `?_method=` and `X-HTTP-Method-Override` on a POST, as Orthanc accepts them for clients that can only POST.
struct MethodOverrideMiddleware: RouterMiddleware {
    typealias Context = PharosRequestContext
    // A constant, valid header name.
    static let overrideHeader = HTTPField.Name("X-HTTP-Method-Override")!

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post else { return try await next(request, context) }
        let override = request.headers[Self.overrideHeader] ?? request.uri.queryParameters.get("_method")
        guard let name = override?.uppercased(), let method = HTTPRequest.Method(name),
              [.get, .put, .delete].contains(method) else {
            return try await next(request, context)
        }
        var head = request.head
        head.method = method
        return try await next(Request(head: head, body: request.body), context)
    }
}
