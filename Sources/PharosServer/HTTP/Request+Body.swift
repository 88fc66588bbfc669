import DICOM

extension Request {
    /// The whole body, refused with 413 past `limit` bytes.
    func collectBody(limit: Int) async throws -> [UInt8] {
        guard body.count <= limit else {
            throw RESTError(.badRequest, "The request body is larger than this route accepts (\(limit) bytes)", httpStatus: 413)
        }
        return body
    }

    /// The body parsed as JSON; malformed JSON is Orthanc's BadJson (400).
    func jsonBody(limit: Int) async throws -> JSONValue {
        let bytes = try await collectBody(limit: limit)
        do {
            return try JSONValue.parse(bytes)
        } catch {
            throw RESTError(.badJson, error.description)
        }
    }
}
