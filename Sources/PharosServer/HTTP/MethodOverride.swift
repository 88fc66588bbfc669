/// `?_method=` and `X-HTTP-Method-Override` on a POST, as Orthanc accepts them for clients that can only POST.
enum MethodOverride {
    static let overrideHeader: HTTPFieldName = "X-HTTP-Method-Override"

    /// The method the request stands for: GET, PUT or DELETE when a POST asks for one, else its own.
    static func effectiveMethod(_ request: Request) -> HTTPMethod {
        guard request.method == .post else { return request.method }
        let override = request.headers[overrideHeader] ?? request.uri.queryParameters.get("_method")
        guard let method = override.flatMap(HTTPMethod.init), [.get, .put, .delete].contains(method) else {
            return request.method
        }
        return method
    }
}
