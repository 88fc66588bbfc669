import DICOM
import Hummingbird
import PharosIndex

/// What an instance holds: `/tags`, `/simplified-tags`, `/header`, and the raw values under `/content/…`.
struct ContentRoutes {
    let instanceData: InstanceData
    let configuration: ServerConfiguration

    func register(on routes: RouteTable) {
        routes.get("/instances/{id}/tags") { request, context in
            let file = try await instanceData.file(ofInstance: try request.id(context))
            var options = Self.options(request, configuration: configuration, defaultFormat: .full)
            options.readWithImplicitVR = !file.transferSyntax.isExplicitVR
            return .json(file.dataSet.orthancJSON(options))
        }
        routes.get("/instances/{id}/simplified-tags") { request, context in
            let file = try await instanceData.file(ofInstance: try request.id(context))
            var options = Self.options(request, configuration: configuration, defaultFormat: .simplified)
            options.format = .simplified
            options.readWithImplicitVR = !file.transferSyntax.isExplicitVR
            return .json(file.dataSet.orthancJSON(options))
        }
        routes.get("/instances/{id}/header") { request, context in
            let file = try await instanceData.file(ofInstance: try request.id(context))
            let format = Self.options(request, configuration: configuration, defaultFormat: .full).format
            return .json(file.fileMetaInformation.orthancJSON(.header(format)))
        }
        routes.get("/instances/{id}/content") { request, context in
            let file = try await instanceData.file(ofInstance: try request.id(context))
            var tags = file.dataSet.elements.map(\.tag)
            if file.pixelData != nil, !tags.contains(.pixelData) { tags.append(.pixelData) }
            return .json(.array(tags.map { .string($0.hex(separator: "-")) }))
        }
        routes.get("/instances/{id}/content/**") { request, context in
            let id = try request.id(context)
            let path = context.parameters.getCatchAll().filter { !$0.isEmpty }
            let file = try await instanceData.file(ofInstance: id)
            return try await content(file, path: path, instanceID: id)
        }
    }

    /// The options of a `/tags`-like route from `?simplify`, `?short` and `?ignore-length`.
    static func options(_ request: Request, configuration: ServerConfiguration,
                        defaultFormat: OrthancJSONOptions.Format) -> OrthancJSONOptions {
        var options = OrthancJSONOptions.tags(defaultFormat)
        if request.flag("simplify") { options.format = .simplified } else if request.flag("short") { options.format = .short }
        if let cs = SpecificCharacterSet(orthancEncoding: configuration.defaultEncoding) { options.defaultCharacterSet = cs }
        if let ignore = request.uri.queryParameters.get("ignore-length") {
            options.ignoreLengthTags = Set(ignore.split(separator: ",").compactMap { Finder.tag(named: String($0)) })
        }
        return options
    }

    /// Walks `tag/index/tag/…`: a data set lists its tags, a sequence its item numbers, a leaf answers its raw value.
    private func content(_ file: DICOMFile, path: [Substring], instanceID: String) async throws -> Response {
        var dataSet = file.dataSet
        var i = 0
        while true {
            guard i < path.count else {
                return .json(.array(dataSet.elements.map { .string($0.tag.hex(separator: "-")) }))
            }
            guard let tag = Finder.tag(named: String(path[i])) else {
                throw RESTError(.uriSyntax, "Not a DICOM tag: \(path[i])")
            }
            if i == 0, tag == .pixelData, let pixel = file.pixelData, dataSet[tag] == nil {
                return try await pixelData(pixel, instanceID: instanceID, isLast: i == path.count - 1)
            }
            guard let element = dataSet[tag] else { throw RESTError(.unknownResource, "No such tag: \(path[i])") }
            if let items = element.items {
                guard i + 1 < path.count else {
                    return .json(.array(items.indices.map { .string(String($0)) }))
                }
                guard let n = Int(path[i + 1]), items.indices.contains(n) else {
                    throw RESTError(.unknownResource, "No item \(path[i + 1]) in sequence \(path[i])")
                }
                dataSet = items[n]
                i += 2
                continue
            }
            guard i == path.count - 1 else { throw RESTError(.unknownResource, "\(path[i]) is not a sequence") }
            if let fragments = element.fragments {
                return .json(.array(fragments.fragments.indices.map { .string(String($0)) }))
            }
            return .bytes(element.bytes, contentType: "application/octet-stream")
        }
    }

    /// Pixel Data is not in the stored header: its value is read from the file at the offsets noted at parse time.
    private func pixelData(_ pixel: PixelDataLocation, instanceID: String, isLast: Bool) async throws -> Response {
        guard isLast, let length = pixel.length, !pixel.isInInflatedData else {
            throw RESTError(.notImplemented, "Encapsulated pixel data is served by /frames")
        }
        let bytes = try await instanceData.fileBytes(ofInstance: instanceID)
        guard pixel.valueOffset >= 0, pixel.valueOffset + length <= bytes.count else {
            throw RESTError(.corruptedFile, "The stored file is shorter than its Pixel Data")
        }
        return .bytes(Array(bytes[pixel.valueOffset ..< pixel.valueOffset + length]), contentType: "application/octet-stream")
    }
}
