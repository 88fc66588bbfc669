/// Answers one request: access rules, method override, the route, and every error turned into Orthanc's error
/// JSON (404 for an unknown path, 405 with `Allow` for a known path called with another method).
struct RESTResponder: Sendable {
    let routes: RouteTable
    let access: AccessControl
    let errors: ErrorResponses
    /// Counts the requests being answered, for the metrics.
    var metrics: Metrics?

    func respond(to request: Request, context: PharosRequestContext) async -> Response {
        metrics?.requestBegan()
        defer { metrics?.requestEnded() }
        var context = context
        var request = request
        context.logger.debug("HTTP \(request.method) \(request.uri.path)")
        do {
            if let refusal = try access.check(request, &context) { return refusal }
            request.method = MethodOverride.effectiveMethod(request)
            guard let (handler, parameters) = routes.match(request.method, request.uri.path) else {
                let allowed = routes.allowedMethods(for: request.uri.path)
                if !allowed.isEmpty {
                    return Response(status: .methodNotAllowed,
                                    headers: [.allow: allowed.map(\.rawValue).joined(separator: ",")])
                }
                return errors.response(RESTError(.unknownResource, "Unknown URI"), request: request)
            }
            context.parameters = parameters
            return try await handler(request, context)
        } catch {
            let rest = ErrorResponses.map(error)
            if rest.status >= 500 {
                context.logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            }
            return errors.response(rest, request: request)
        }
    }
}
