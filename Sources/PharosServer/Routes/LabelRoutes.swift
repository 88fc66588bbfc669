import DICOM
import PharosIndex

/// Labels of patients, studies, series and instances (Orthanc 1.12's `/{level}/{id}/labels`, `/tools/labels`); a
/// find selects by them with `Labels` and `LabelsConstraint`.
struct LabelRoutes {
    let index: any Index

    func register(on routes: RouteTable) {
        routes.get("/tools/labels") { _, _ in .json(.array(try await index.allLabels().map { .string($0) })) }
        for level in ResourceLevel.allCases {
            let base = "/\(level.collection)/{id}/labels"
            routes.get(base) { request, context in
                guard let labels = try await index.labels(level, try request.id(context)) else {
                    throw RESTError.unknownResource()
                }
                return .json(.array(labels.map { .string($0) }))
            }
            routes.get(base + "/{label}") { request, context in
                let label = try Self.label(context)
                guard let labels = try await index.labels(level, try request.id(context)) else {
                    throw RESTError.unknownResource()
                }
                guard labels.contains(label) else { throw RESTError(.unknownResource, "No label \(label)") }
                return .text("", contentType: "text/plain")
            }
            for (method, present) in [(HTTPMethod.put, true), (.delete, false)] {
                routes.on(method, base + "/{label}") { request, context in
                    let label = try Self.label(context)
                    guard try await index.setLabel(level, try request.id(context), label, present: present) else {
                        throw RESTError.unknownResource()
                    }
                    return .text("", contentType: "text/plain")
                }
            }
        }
    }

    /// The label of the path, if Orthanc would accept it: 1 to 64 letters, digits, dashes and underscores.
    static func label(_ context: PharosRequestContext) throws -> String {
        let label = context.parameters.get("label") ?? ""
        guard isValid(label) else {
            throw RESTError(.parameterOutOfRange,
                            "A label has 1 to 64 characters among letters, digits, \"-\" and \"_\": \(label.prefix(80))")
        }
        return label
    }

    static func isValid(_ label: String) -> Bool {
        !label.isEmpty && label.utf8.count <= 64 && label.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        }
    }
}
