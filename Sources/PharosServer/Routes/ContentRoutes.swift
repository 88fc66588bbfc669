import DICOM
import PharosIndex

/// What an instance holds: `/tags`, `/simplified-tags`, `/header`, and the raw values under `/content/…`; the tags
/// of every instance of a patient, study or series (`/instances-tags`).
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
        for level in [ResourceLevel.patient, .study, .series] {
            routes.get("/\(level.collection)/{id}/instances-tags") { request, context in
                let index = instanceData.index, id = try request.id(context)
                guard try await index.resource(level, id) != nil else { throw RESTError.unknownResource() }
                var out = JSONObject()
                for instance in try await index.descendants(of: level, id, at: .instance) {
                    let file = try await instanceData.file(ofInstance: instance)
                    var options = Self.options(request, configuration: configuration, defaultFormat: .full)
                    options.readWithImplicitVR = !file.transferSyntax.isExplicitVR
                    out[instance] = file.dataSet.orthancJSON(options)
                }
                return .json(.object(out))
            }
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
            let id = try request.id(context)
            let file = try await instanceData.file(ofInstance: id)
            var tags = file.dataSet.elements.map(\.tag)
            if !tags.contains(.pixelData), try await instanceData.hasPixelData(file, instanceID: id) {
                tags.append(.pixelData)
            }
            return .json(.array(tags.map { .string($0.hex(separator: "-")) }))
        }
        routes.get("/instances/{id}/content/**") { request, context in
            let id = try request.id(context)
            let path = context.parameters.getCatchAll().filter { !$0.isEmpty }
            // Pixel data is not in the header kept by the index: its values come from the stored file.
            let wantsPixelData = path.first.flatMap { Finder.tag(named: String($0)) } == .pixelData
            let file = wantsPixelData
                ? try await instanceData.completeFile(ofInstance: id) : try await instanceData.file(ofInstance: id)
            return try content(file, path: path)
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
    private func content(_ file: DICOMFile, path: [Substring]) throws -> Response {
        var dataSet = file.dataSet
        var i = 0
        while true {
            guard i < path.count else {
                return .json(.array(dataSet.elements.map { .string($0.tag.hex(separator: "-")) }))
            }
            guard let tag = Finder.tag(named: String(path[i])) else {
                throw RESTError(.uriSyntax, "Not a DICOM tag: \(path[i])")
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
            // Orthanc numbers the items of encapsulated pixel data from the basic offset table (item 0).
            if let encapsulated = element.fragments {
                let fragments = [encapsulated.basicOffsetTable] + encapsulated.fragments
                guard i + 1 < path.count else { return .json(.array(fragments.indices.map { .string(String($0)) })) }
                guard i + 2 == path.count, let n = Int(path[i + 1]), fragments.indices.contains(n) else {
                    throw RESTError(.unknownResource, "No fragment \(path[i + 1]) in \(path[i])")
                }
                return .bytes(fragments[n], contentType: "application/octet-stream")
            }
            guard i == path.count - 1 else { throw RESTError(.unknownResource, "\(path[i]) is not a sequence") }
            return .bytes(element.bytes, contentType: "application/octet-stream")
        }
    }
}
