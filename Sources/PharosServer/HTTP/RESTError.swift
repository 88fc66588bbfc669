/// An error the REST layer answers with Orthanc's error JSON: an Orthanc error code, plus details for the user.
public struct RESTError: Error, Sendable, CustomStringConvertible {
    public var code: OrthancErrorCode
    /// Overrides the HTTP status of the code (Orthanc does so for a few routes, e.g. 415 or 413).
    public var httpStatus: Int?
    /// Extra explanation, shown as "Details" in the error JSON.
    public var details: String?

    public init(_ code: OrthancErrorCode, _ details: String? = nil, httpStatus: Int? = nil) {
        self.code = code
        self.details = details
        self.httpStatus = httpStatus
    }

    public var status: Int { httpStatus ?? code.httpStatus }
    public var description: String { details.map { "\(code.message): \($0)" } ?? code.message }

    public static func unknownResource(_ what: String? = nil) -> RESTError { RESTError(.unknownResource, what) }
    public static func badRequest(_ details: String) -> RESTError { RESTError(.badRequest, details) }
}
