import DICOM

extension Response {
    /// A JSON answer, pretty-printed as Orthanc answers.
    static func json(_ value: JSONValue, status: HTTPStatus = .ok) -> Response {
        json(serialized: value.serializedBytes(.orthanc), status: status)
    }

    /// A JSON answer written already (see `ResourcePresenter.expandedJSON`).
    static func json(serialized bytes: [UInt8], status: HTTPStatus = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: bytes)
    }

    /// Raw bytes with a content type.
    static func bytes(_ bytes: [UInt8], contentType: String, status: HTTPStatus = .ok,
                      extraHeaders: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        headers.append(contentsOf: extraHeaders)
        return Response(status: status, headers: headers, body: bytes)
    }

    /// Plain text, as Orthanc answers a few routes (e.g. `/tools/generate-uid`, metadata values).
    static func text(_ text: String, contentType: String = "text/plain; charset=utf-8") -> Response {
        bytes(Array(text.utf8), contentType: contentType)
    }
}
