import DICOM
import Hummingbird
import Logging

/// Turns every error into Orthanc's error JSON (the one place where errors become HTTP statuses), and answers 405 with
/// `Allow` for a known path called with an unregistered method.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = PharosRequestContext
    let describeErrors: Bool
    let routes: RouteTable

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = routes.allowedMethods(for: request.uri.path)
            if !allowed.isEmpty {
                return Response(status: .methodNotAllowed,
                                headers: [.allow: allowed.map(\.rawValue).joined(separator: ",")])
            }
            return errorResponse(RESTError(.unknownResource, "Unknown URI"), request: request)
        } catch let error as HTTPError {
            var response = Response(status: error.status, headers: error.headers)
            if error.status == .unauthorized || error.status == .forbidden { return response }
            response = errorResponse(RESTError(.badRequest, error.body, httpStatus: Int(error.status.code)), request: request)
            return response
        } catch {
            let rest = Self.map(error)
            if rest.status >= 500 {
                context.logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            }
            return errorResponse(rest, request: request)
        }
    }

    /// Maps the errors of every module to Orthanc's codes.
    static func map(_ error: any Error) -> RESTError {
        switch error {
        case let e as RESTError: return e
        case let e as DICOMError:
            switch e.code {
            case .ioError: return RESTError(.inexistentFile, e.description)
            case .writeFailed: return RESTError(.cannotWriteFile, e.description)
            default: return RESTError(.badFileFormat, e.description)
            }
        default: return RESTError(.internalError, String(describing: error))
        }
    }

    private func errorResponse(_ error: RESTError, request: Request) -> Response {
        let status = HTTPResponse.Status(code: error.status)
        guard describeErrors else { return Response(status: status) }
        var members: [(String, JSONValue)] = [
            ("HttpError", .string(status.reasonPhrase)),
            ("HttpStatus", .integer(Int64(error.status))),
            ("Message", .string(error.code.message)),
            ("Method", .string(request.method.rawValue)),
            ("OrthancError", .string(error.code.message)),
            ("OrthancStatus", .integer(Int64(error.code.code))),
            ("Uri", .string(request.uri.path)),
        ]
        if let details = error.details { members.append(("Details", .string(details))) }
        return .json(.object(JSONObject(members)), status: status)
    }
}
