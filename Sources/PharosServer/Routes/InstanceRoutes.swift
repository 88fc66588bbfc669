import DICOM
import Foundation
import PharosIndex

/// `POST /instances` (upload) and `GET /instances/{id}/file` (download).
struct InstanceRoutes {
    let ingest: Ingest
    let instanceData: InstanceData
    let configuration: ServerConfiguration

    func register(on routes: RouteTable) {
        routes.post("/instances") { request, context in
            let bytes = try await request.collectBody(limit: configuration.maximumRequestSize)
            let origin = IngestOrigin.rest(remoteIP: context.remoteAddress?.ipAddress, username: context.username)
            let contentType = request.headers[.contentType] ?? ""
            if contentType.lowercased().hasPrefix("multipart/form-data") {
                let parts = try MultipartForm.parts(of: bytes, contentType: contentType)
                var answers: [JSONValue] = []
                for part in parts { answers.append(try await ingest.store(part, origin: origin).json) }
                return .json(answers.count == 1 ? answers[0] : .array(answers))
            }
            guard !bytes.isEmpty else { throw RESTError(.badFileFormat, "The request body is empty") }
            if ZipArchive.isZip(bytes) {
                // Orthanc answers a ZIP upload with one result per DICOM file and skips what is not DICOM.
                var answers: [JSONValue] = []
                for entry in try ZipArchive.entries(of: bytes) {
                    do {
                        answers.append(try await ingest.store(entry, origin: origin).json)
                    } catch let error as RESTError where error.code == .badFileFormat {
                        continue
                    }
                }
                return .json(.array(answers))
            }
            return .json(try await ingest.store(bytes, origin: origin).json)
        }
        routes.get("/instances/{id}/file") { request, context in
            let id = try request.id(context)
            let bytes = try await instanceData.fileBytes(ofInstance: id)
            return .bytes(bytes, contentType: "application/dicom",
                          extraHeaders: [.contentDisposition: "filename=\"\(id).dcm\""])
        }
    }
}

/// Just enough of RFC 7578 for the uploads Orthanc Explorer and `curl -F` send: the bodies of the parts.
enum MultipartForm {
    static func parts(of body: [UInt8], contentType: String) throws -> [[UInt8]] {
        // The boundary is case-sensitive: take it from the header as sent.
        guard let range = contentType.range(of: "boundary=", options: .caseInsensitive) else {
            throw RESTError(.badRequest, "multipart/form-data without a boundary")
        }
        var boundary = String(contentType[range.upperBound...])
        if let semicolon = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semicolon]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [[UInt8]] = []
        var positions: [Int] = []
        var i = 0
        while let p = find(delimiter, in: body, from: i) { positions.append(p); i = p + delimiter.count }
        for (a, b) in zip(positions, positions.dropFirst()) {
            let start = a + delimiter.count
            guard let headerEnd = find(Array("\r\n\r\n".utf8), in: body, from: start), headerEnd < b else { continue }
            var end = b
            if end >= 2, body[end - 2] == 0x0D, body[end - 1] == 0x0A { end -= 2 }
            let content = Array(body[(headerEnd + 4) ..< max(end, headerEnd + 4)])
            if !content.isEmpty { parts.append(content) }
        }
        guard !parts.isEmpty else { throw RESTError(.badRequest, "The multipart body holds no file") }
        return parts
    }

    private static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count, from <= hay.count - needle.count else { return nil }
        var i = from
        let first = needle[0]
        while i <= hay.count - needle.count {
            if hay[i] == first, hay[i ..< i + needle.count].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
