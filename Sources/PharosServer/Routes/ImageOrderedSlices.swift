import DICOM
import PharosIndex

/// Orthanc's `/series/{id}/ordered-slices`: the frames of a series in geometric order when every instance has a
/// position on one common normal ("Volume"), else in IndexInSeries order ("Sequence").
struct OrderedSlices: Sendable {
    /// Frames `firstFrame ..< firstFrame + frameCount` of one instance.
    struct Slice: Sendable {
        var instanceID: String
        var firstFrame: Int
        var frameCount: Int
    }

    var isVolume: Bool
    var slices: [Slice]

    /// Orders the instance records of a series (given in arrival order); nil when nothing orders them.
    init?(instances: [ResourceRecord]) {
        func slice(_ r: ResourceRecord) -> Slice {
            let frames = r.mainTags[.numberOfFrames].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 1
            return Slice(instanceID: r.publicID, firstFrame: 0, frameCount: max(1, frames))
        }
        guard instances.count > 1 else {
            guard let only = instances.first else { return nil }
            (isVolume, slices) = (false, [slice(only)])
            return
        }
        if let projections = Self.projections(instances) {
            let order = instances.indices.sorted { projections[$0] < projections[$1] }
            (isVolume, slices) = (true, order.map { slice(instances[$0]) })
            return
        }
        guard instances.allSatisfy({ $0.indexInSeries != nil }) else { return nil }
        // A stable sort, so equal indices keep their arrival order.
        let order = instances.indices.sorted {
            (instances[$0].indexInSeries ?? 0, $0) < (instances[$1].indexInSeries ?? 0, $1)
        }
        (isVolume, slices) = (false, order.map { slice(instances[$0]) })
    }

    /// Each instance's position projected on the series' normal, or nil when one lacks a position or orientation,
    /// lies on another normal, or two share a position.
    private static func projections(_ instances: [ResourceRecord]) -> [Double]? {
        var normal: [Double]?
        var out: [Double] = []
        for r in instances {
            guard let position = vector(r.mainTags[Tag(0x0020, 0x0032)], count: 3),
                  let orientation = vector(r.mainTags[Tag(0x0020, 0x0037)], count: 6) else { return nil }
            let n = cross(Array(orientation[0 ..< 3]), Array(orientation[3 ..< 6]))
            if let reference = normal {
                // Parallel normals (either direction): |n · reference| close to 1.
                guard abs(abs(dot(n, reference)) - 1) < 1e-3 else { return nil }
            } else {
                guard abs(dot(n, n) - 1) < 1e-2 else { return nil }
                normal = n
            }
            out.append(dot(position, normal ?? n))
        }
        let sorted = out.sorted()
        for (a, b) in zip(sorted, sorted.dropFirst()) where abs(b - a) < 1e-6 { return nil }
        return out
    }

    private static func vector(_ text: String?, count: Int) -> [Double]? {
        guard let text else { return nil }
        let values = text.split(separator: "\\").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == count, values.allSatisfy(\.isFinite) else { return nil }
        return values
    }

    private static func cross(_ a: [Double], _ b: [Double]) -> [Double] {
        [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
    }

    private static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    /// Orthanc's JSON: `Type`, `Slices` (frame paths), `SlicesShort` ([id, first, count]) and `Dicom` (file paths).
    var json: JSONValue {
        var o = JSONObject()
        o["Dicom"] = .array(slices.map { .string("/instances/\($0.instanceID)/file") })
        o["Slices"] = .array(slices.flatMap { s in
            (s.firstFrame ..< s.firstFrame + s.frameCount).map { .string("/instances/\(s.instanceID)/frames/\($0)") }
        })
        o["SlicesShort"] = .array(slices.map {
            .array([.string($0.instanceID), .integer(Int64($0.firstFrame)), .integer(Int64($0.frameCount))])
        })
        o["Type"] = .string(isVolume ? "Volume" : "Sequence")
        return .object(o)
    }
}
