import DICOM
import DICOMImaging
import PharosIndex

/// Frames and images of instances and series: `/frames`, `/raw`, `/preview`, `/rendered`, `/image-*`, `/matlab`,
/// `/numpy`, `/pdf` and `/series/{id}/ordered-slices`, with Orthanc's answers.
struct ImageRoutes {
    let renderer: Renderer
    let index: any Index

    /// What every frame offers, in Orthanc's order (the answer of `/instances/{id}/frames/{frame}`).
    static let frameRoutes = ["image-int16", "image-uint16", "image-uint8", "matlab", "numpy", "preview", "raw",
                              "raw.gz", "rendered"]

    func register(on routes: RouteTable) {
        routes.get("/instances/{id}/frames") { request, context in
            let count = try await renderer.frameCount(ofInstance: try request.id(context))
            return .json(.array((0 ..< count).map { .integer(Int64($0)) }))
        }
        routes.get("/instances/{id}/frames/{frame}") { request, context in
            _ = try Self.frame(context)
            _ = try await renderer.frameCount(ofInstance: try request.id(context))
            return .json(.array(Self.frameRoutes.map { .string($0) }))
        }
        routes.get("/instances/{id}/frames/{frame}/raw") { request, context in
            let raw = try await renderer.rawFrame(ofInstance: try request.id(context), frame: try Self.frame(context))
            return .bytes(raw.bytes, contentType: raw.contentType)
        }
        routes.get("/instances/{id}/frames/{frame}/raw.gz") { request, context in
            let raw = try await renderer.rawFrame(ofInstance: try request.id(context), frame: try Self.frame(context))
            return .bytes(try AnswerCompression.gzip(raw.bytes), contentType: "application/gzip")
        }
        // Each image route at instance level (frame 0; all frames for /numpy) and at frame level.
        for (prefix, isFrameLevel) in [("/instances/{id}", false), ("/instances/{id}/frames/{frame}", true)] {
            @Sendable func frame(_ context: PharosRequestContext) throws -> Int {
                isFrameLevel ? try Self.frame(context) : 0
            }
            routes.get(prefix + "/preview") { request, context in
                let format = try Self.imageFormat(request)
                let image = try await renderer.preview(ofInstance: try request.id(context), frame: try frame(context),
                                                       format: format)
                return .bytes(image.bytes, contentType: image.contentType)
            }
            routes.get(prefix + "/rendered") { request, context in
                let format = try Self.imageFormat(request)
                let image = try await renderer.rendered(ofInstance: try request.id(context), frame: try frame(context),
                                                        options: try Self.renderOptions(request), format: format)
                return .bytes(image.bytes, contentType: image.contentType)
            }
            for (name, type) in [("image-uint8", ImageRenderer.Extraction.uint8), ("image-uint16", .uint16),
                                 ("image-int16", .int16)] {
                routes.get(prefix + "/" + name) { request, context in
                    let image = try await renderer.extract(ofInstance: try request.id(context),
                                                           frame: try frame(context), as: type)
                    return .bytes(image.bytes, contentType: image.contentType)
                }
            }
            routes.get(prefix + "/matlab") { request, context in
                .text(try await renderer.matlab(ofInstance: try request.id(context), frame: try frame(context)),
                      contentType: "text/plain")
            }
            routes.get(prefix + "/numpy") { request, context in
                let bytes = try await renderer.numpy(ofInstance: try request.id(context),
                                                     frame: isFrameLevel ? try frame(context) : nil,
                                                     rescale: Self.flag(request, "rescale", default: true),
                                                     compress: Self.flag(request, "compress", default: false))
                return .bytes(bytes, contentType: "application/octet-stream")
            }
        }
        routes.get("/instances/{id}/pdf") { request, context in
            .bytes(try await renderer.pdf(ofInstance: try request.id(context)), contentType: "application/pdf")
        }
        routes.get("/series/{id}/ordered-slices") { request, context in
            .json(try await orderedSlices(ofSeries: try request.id(context)).json)
        }
        routes.get("/series/{id}/numpy") { request, context in
            let slices = try await orderedSlices(ofSeries: try request.id(context)).slices
            let bytes = try await renderer.numpy(ofSlices: slices, rescale: Self.flag(request, "rescale", default: true),
                                                 compress: Self.flag(request, "compress", default: false))
            return .bytes(bytes, contentType: "application/octet-stream")
        }
    }

    private func orderedSlices(ofSeries id: String) async throws -> OrderedSlices {
        guard let series = try await index.resource(.series, id) else { throw RESTError.unknownResource() }
        let records = try await index.resources(.instance, series.childrenIDs)
        let byID = Dictionary(records.map { ($0.publicID, $0) }, uniquingKeysWith: { a, _ in a })
        guard let ordered = OrderedSlices(instances: series.childrenIDs.compactMap { byID[$0] }) else {
            throw RESTError(.cannotOrderSlices, "Unable to order the slices of series \(id)")
        }
        return ordered
    }

    /// The `{frame}` parameter; anything but a non-negative integer is an unknown frame (404), as in Orthanc.
    static func frame(_ context: PharosRequestContext) throws -> Int {
        guard let text = context.parameters.get("frame"), let n = Int(text), n >= 0 else {
            throw RESTError(.inexistentItem, "The frame number must be a non-negative integer")
        }
        return n
    }

    /// A Boolean argument with Orthanc's default when absent (`?rescale` defaults to true).
    static func flag(_ request: Request, _ name: String, default value: Bool) -> Bool {
        request.uri.queryParameters.get(name) == nil ? value : request.flag(name)
    }

    /// PNG or JPEG from `Accept` (first recognised type wins; none given means PNG) and `?quality` (1…100).
    static func imageFormat(_ request: Request) throws -> Renderer.ImageFormat {
        var quality = 90
        if let text = request.uri.queryParameters.get("quality") {
            guard let q = Int(text), (1 ... 100).contains(q) else {
                throw RESTError(.unsupportedMediaType, "The \"quality\" argument must be an integer 1…100")
            }
            quality = q
        }
        guard let accept = request.headers[.accept], !accept.isEmpty else { return .png }
        for item in accept.split(separator: ",") {
            let type = item.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            switch type {
            case "image/png", "image/*", "*/*": return .png
            case "image/jpeg", "image/jpg": return .jpeg(quality: quality)
            default: continue
            }
        }
        throw RESTError(.notAcceptable, "This route answers image/png or image/jpeg; Accept was \"\(accept)\"")
    }

    /// `?window-center`, `?window-width`, `?width`, `?height`, `?smooth` of /rendered.
    static func renderOptions(_ request: Request) throws -> ImageRenderer.Options {
        func number(_ name: String) throws -> Double? {
            guard let text = request.uri.queryParameters.get(name) else { return nil }
            guard let value = Double(text), value.isFinite else {
                throw RESTError(.parameterOutOfRange, "The \"\(name)\" argument must be a number")
            }
            return value
        }
        var options = ImageRenderer.Options()
        options.windowCenter = try number("window-center")
        options.windowWidth = try number("window-width")
        if let w = options.windowWidth, w <= 0 {
            throw RESTError(.parameterOutOfRange, "The \"window-width\" argument must be positive")
        }
        options.width = try request.integer("width").flatMap { $0 == 0 ? nil : $0 }
        options.height = try request.integer("height").flatMap { $0 == 0 ? nil : $0 }
        options.smooth = request.flag("smooth")
        return options
    }
}
