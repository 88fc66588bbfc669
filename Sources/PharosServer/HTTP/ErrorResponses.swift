import DICOM
import DICOMNetwork
import DICOMImaging
import Logging
import PharosIndex
import PharosStorage

/// Orthanc's error answers: every error of every module mapped to an Orthanc code and HTTP status, in this one place.
struct ErrorResponses: Sendable {
    let describeErrors: Bool

    /// Maps the errors of every module to Orthanc's codes.
    static func map(_ error: any Error) -> RESTError {
        switch error {
        case let e as RESTError: return e
        case let e as IndexError:
            switch e.code {
            case .unknownResource: return RESTError(.unknownResource, e.message)
            case .unsupportedConstraint: return RESTError(.badRequest, e.message)
            case .cannotOpen, .database, .corrupt: return RESTError(.database, e.message)
            }
        case let e as StorageError:
            switch e.code {
            case .diskFull: return RESTError(.fullStorage, e.description)
            case .missingFile: return RESTError(.inexistentFile, e.description)
            case .corruptFile: return RESTError(.corruptedFile, e.description)
            case .invalidName: return RESTError(.badRequest, e.description)
            case .permissionDenied, .io: return RESTError(.cannotWriteFile, e.description)
            }
        case let e as ImagingError:
            switch e.code {
            case .noSuchFrame: return RESTError(.inexistentItem, e.reason)
            case .corrupt: return RESTError(.badFileFormat, e.reason)
            // Orthanc answers 415 when asked to render an instance without an image.
            case .unsupported, .noPixelData: return RESTError(.unsupportedMediaType, e.reason)
            case .internalError: return RESTError(.internalError, e.reason)
            }
        case let e as DICOMNetworkError:
            return RESTError(.networkProtocol, e.reason)
        case let e as ConfigurationError:
            return RESTError(.badFileFormat, e.message, httpStatus: 400)
        case let e as DICOMError:
            switch e.code {
            case .ioError: return RESTError(.inexistentFile, e.description)
            case .writeFailed: return RESTError(.cannotWriteFile, e.description)
            default: return RESTError(.badFileFormat, e.description)
            }
        default: return RESTError(.internalError, String(describing: error))
        }
    }

    /// The standard reason phrase of the statuses Pharos answers with (Orthanc prints it as `HttpError`).
    static func reasonPhrase(_ code: Int) -> String {
        switch code {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 409: "Conflict"
        case 413: "Request Entity Too Large"
        case 415: "Unsupported Media Type"
        case 416: "Requested Range Not Satisfiable"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        default: HTTPStatus(code: code).reasonPhrase
        }
    }

    /// Orthanc's error JSON for `error` (an empty body when HttpDescribeErrors is off).
    func response(_ error: RESTError, request: Request) -> Response {
        let status = HTTPStatus(code: error.status, reasonPhrase: Self.reasonPhrase(error.status))
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
