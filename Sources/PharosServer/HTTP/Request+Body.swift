import DICOM
import Hummingbird
import NIOCore

extension Request {
    /// The whole body, refused with 413 past `limit` bytes.
    func collectBody(limit: Int) async throws -> [UInt8] {
        do {
            let buffer = try await body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw RESTError(.badRequest, "The request body is larger than MaximumRequestSize (\(limit) bytes)", httpStatus: 413)
        }
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
