import DICOM
import Foundation
import PharosIndex

/// How main tags are keyed in an answer: by name (default), `?short` (`gggg,eeee` → value), `?full`.
enum TagFormat: Sendable {
    case human, short, full

    /// The format a request asks for with `?short` or `?full`.
    init(_ request: Request) {
        if request.flag("full") { self = .full } else if request.flag("short") { self = .short } else { self = .human }
    }

    func render(_ tags: MainTags) -> JSONValue {
        var object = JSONObject()
        for (key, tag, value) in members(tags) {
            object.appendNew(key, self == .full ? Self.fullValue(tag, value) : .string(value))
        }
        return .object(object)
    }

    /// `render`'s text, written straight into `writer`.
    func write(_ tags: MainTags, into writer: inout JSONStreamWriter) {
        let members = members(tags)
        guard !members.isEmpty else { writer.emptyObject(); return }
        writer.beginObject()
        for (key, tag, value) in members {
            writer.key(key)
            if self == .full { writer.value(Self.fullValue(tag, value)) } else { writer.string(value) }
        }
        writer.endObject()
    }

    private static func fullValue(_ tag: Tag, _ value: String) -> JSONValue {
        ["Name": .string(DataDictionary.name(for: tag)), "Type": "String", "Value": .string(value)]
    }

    /// The members of `tags` in this format, keyed by name or by `gggg,eeee`, in the order the writer sorts them to
    /// (so that it does not sort them again).
    private func members(_ tags: MainTags) -> [(key: String, tag: Tag, value: String)] {
        switch self {
        case .human:
            // Each known main tag's place in a table named and ordered once, anything else by sorting on names.
            var ranked: [(rank: Int, tag: Tag, value: String)] = []
            ranked.reserveCapacity(tags.count)
            for (tag, value) in tags {
                guard let rank = Self.rank(of: tag) else { break }
                ranked.append((rank, tag, value))
            }
            if ranked.count == tags.count {
                ranked.sort { $0.rank < $1.rank }
                return ranked.map { (Self.byName[$0.rank].1, $0.tag, $0.value) }
            }
            return tags.sorted(by: { Self.nameOrder($0.key, $1.key) }).map { (DataDictionary.name(for: $0.key), $0.key, $0.value) }
        case .short, .full:
            // "gggg,eeee" in lower-case hexadecimal sorts as the tag numbers do.
            return tags.sorted(by: { $0.key < $1.key }).map { ($0.key.hex(separator: ","), $0.key, $0.value) }
        }
    }

    /// Main tags by the UTF-8 bytes of their names, from a table ranked once (an integer comparison per pair);
    /// tags outside it compare by name.
    private static func nameOrder(_ a: Tag, _ b: Tag) -> Bool {
        if let ra = rank(of: a), let rb = rank(of: b) { return ra < rb }
        return DataDictionary.name(for: a).utf8.lexicographicallyPrecedes(DataDictionary.name(for: b).utf8)
    }

    /// Every level's main tags with their names, in the UTF-8 byte order of the names.
    private static let byName: [(Tag, String)] = {
        var tags = Set<Tag>()
        for level in ResourceLevel.allCases { tags.formUnion(MainDicomTags.tags(level)) }
        return tags.map { ($0, DataDictionary.name(for: $0)) }.sorted { $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) }
    }()

    /// `byName`'s tags in numeric order with their places in `byName`, searched by halving: a render looks up
    /// each of its dozen tags, and hashing them cost more than the rest of the render.
    private static let rankByTag: [(tag: UInt32, rank: Int)] =
        byName.enumerated().map { ($1.0.rawValue, $0) }.sorted { $0.tag < $1.tag }

    private static func rank(of tag: Tag) -> Int? {
        var low = 0, high = rankByTag.count
        while low < high {
            let middle = (low + high) / 2
            if rankByTag[middle].tag < tag.rawValue { low = middle + 1 } else { high = middle }
        }
        return low < rankByTag.count && rankByTag[low].tag == tag.rawValue ? rankByTag[low].rank : nil
    }
}

extension Request {
    /// An Orthanc Boolean query argument: present without value or `true`/`1` is true; `false`/`0` or absent is false.
    func flag(_ name: String) -> Bool {
        guard let value = uri.queryParameters.get(name) else { return false }
        switch value.lowercased() {
        case "", "true", "1", "yes": return true
        default: return false
        }
    }

    /// A non-negative integer query argument; 400 when it is not one.
    func integer(_ name: String) throws -> Int? {
        guard let text = uri.queryParameters.get(name) else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw RESTError(.parameterOutOfRange, "The \"\(name)\" argument must be a non-negative integer")
        }
        return value
    }

    /// The `{id}` route parameter.
    func id(_ context: PharosRequestContext) throws -> String {
        guard let id = context.parameters.get("id") else { throw RESTError.unknownResource() }
        return id
    }
}

/// Renders resources as Orthanc's expanded objects (section 3.3 of the API reference).
struct ResourcePresenter: Sendable {
    let index: any Index

    /// The record of a resource, or 404.
    func record(_ level: ResourceLevel, _ id: String) async throws -> ResourceRecord {
        guard let record = try await index.resource(level, id) else { throw RESTError.unknownResource() }
        return record
    }

    func expand(_ level: ResourceLevel, _ ids: [String], format: TagFormat,
                requestedTags: [Tag] = [], instanceData: InstanceData? = nil) async throws -> JSONValue {
        .array(try await expandedItems(level, ids, format: format, requestedTags: requestedTags,
                                       instanceData: instanceData))
    }

    private func expandedItems(_ level: ResourceLevel, _ ids: [String], format: TagFormat, requestedTags: [Tag],
                               instanceData: InstanceData?) async throws -> [JSONValue] {
        var out: [JSONValue] = []
        for record in try await index.resources(level, ids) {
            out.append(try await json(record, format: format, requestedTags: requestedTags, instanceData: instanceData))
        }
        return out
    }

    /// `expandedItems` as an array fragment (`JSONValue.arrayFragment`), written without the `JSONValue` tree when
    /// no requested tags are asked for.
    private func expandedFragment(_ level: ResourceLevel, _ ids: [String], format: TagFormat, requestedTags: [Tag],
                                  instanceData: InstanceData?, options: JSONWriteOptions) async throws -> [UInt8] {
        guard requestedTags.isEmpty else {
            let items = try await expandedItems(level, ids, format: format, requestedTags: requestedTags,
                                                instanceData: instanceData)
            return JSONValue.arrayFragment(items, options)
        }
        let records = try await index.resources(level, ids)
        var statuses: [String?] = []
        if level == .series { statuses = records.map(Self.seriesStatus) }
        var writer = JSONStreamWriter(options: options)
        writer.beginFragment()
        for (i, r) in records.enumerated() {
            writer.element()
            Self.write(r, format: format, status: level == .series ? statuses[i] : nil, into: &writer)
        }
        writer.endFragment()
        return writer.bytes
    }

    /// `expand`'s answer as Orthanc's JSON text. A long list is read and written in chunks on several threads at
    /// once (the index has concurrent readers): listing thousands of resources is the one answer that keeps a core
    /// busy for tens of milliseconds. The text is the same byte for byte.
    func expandedJSON(_ level: ResourceLevel, _ ids: [String], format: TagFormat, requestedTags: [Tag] = [],
                      instanceData: InstanceData? = nil) async throws -> [UInt8] {
        let options = JSONWriteOptions.orthanc
        let chunks = Self.chunkCount(ids.count)
        guard chunks > 1 else {
            let fragment = try await expandedFragment(level, ids, format: format, requestedTags: requestedTags,
                                                      instanceData: instanceData, options: options)
            return JSONValue.joinedArray([fragment], options)
        }
        let size = (ids.count + chunks - 1) / chunks
        let fragments = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for c in 0 ..< chunks where c * size < ids.count {
                let part = Array(ids[c * size ..< min(ids.count, (c + 1) * size)])
                group.addTask {
                    (c, try await expandedFragment(level, part, format: format, requestedTags: requestedTags,
                                                   instanceData: instanceData, options: options))
                }
            }
            var out = [[UInt8]](repeating: [], count: chunks)
            for try await (c, bytes) in group { out[c] = bytes }
            return out
        }
        return JSONValue.joinedArray(fragments, options)
    }

    /// Lists shorter than this are written in one piece: below it, the hand-over costs more than it saves.
    static let parallelThreshold = 256

    /// How many chunks a list of `count` resources is written in: one per core, at most 4, each of at least half
    /// the threshold.
    static func chunkCount(_ count: Int) -> Int {
        guard count >= parallelThreshold else { return 1 }
        return max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4, count / (parallelThreshold / 2)))
    }

    func json(_ r: ResourceRecord, format: TagFormat, requestedTags: [Tag] = [],
              instanceData: InstanceData? = nil) async throws -> JSONValue {
        var requested: JSONValue?
        if !requestedTags.isEmpty, let instanceData {
            requested = try await self.requestedTags(r, requestedTags, format: format, data: instanceData)
        }
        let status = r.level == .series ? Self.seriesStatus(r) : nil
        var o = JSONObject()
        for (key, field) in Self.fields(r, status: status, requested: requested) {
            switch field {
            case .string(let v): o.appendNew(key, .string(v))
            case .strings(let v): o.appendNew(key, .array(v.map { .string($0) }))
            case .tags(let v): o.appendNew(key, format.render(v))
            case .value(let v): o.appendNew(key, v)
            }
        }
        return .object(o)
    }

    /// `json`'s text for a record written straight into `writer`, with the series' status computed already
    /// (requested tags are not written this way).
    static func write(_ r: ResourceRecord, format: TagFormat, status: String?, into writer: inout JSONStreamWriter) {
        writer.beginObject()
        for (key, field) in fields(r, status: status, requested: nil) {
            writer.key(key)
            switch field {
            case .string(let v): writer.string(v)
            case .strings(let v): writer.strings(v)
            case .tags(let v): format.write(v, into: &writer)
            case .value(let v): writer.value(v)
            }
        }
        writer.endObject()
    }

    /// A member of an expanded resource.
    enum Field {
        case string(String)
        case strings([String])
        case tags(MainTags)
        case value(JSONValue)
    }

    /// The members of a resource's expanded object, in the byte order of their keys, the order the writer puts
    /// them in: it then has neither duplicates to look for nor a sort to do.
    static func fields(_ r: ResourceRecord, status: String?, requested: JSONValue?) -> [(String, Field)] {
        var f: [(String, Field)] = []
        f.reserveCapacity(12)
        if r.level == .series {
            f.append(("ExpectedNumberOfInstances", .value(r.expectedInstances.map { .integer(Int64($0)) } ?? .null)))
        }
        if r.level == .instance {
            f.append(("FileSize", .value(.integer(r.dicomAttachment?.uncompressedSize ?? 0))))
            f.append(("FileUuid", .string(r.dicomAttachment?.uuid ?? "")))
        }
        f.append(("ID", .string(r.publicID)))
        if r.level == .instance {
            f.append(("IndexInSeries", .value(r.indexInSeries.map { .integer(Int64($0)) } ?? .null)))
        }
        if r.level == .series { f.append(("Instances", .strings(r.childrenIDs))) }
        if r.level != .instance { f.append(("IsStable", .value(.bool(r.isStable)))) }
        f.append(("Labels", .strings(r.labels)))
        if r.level != .instance, !r.lastUpdate.isEmpty { f.append(("LastUpdate", .string(r.lastUpdate))) }
        f.append(("MainDicomTags", .tags(r.mainTags)))
        if let parent = r.parentID, let parentLevel = r.level.parent {
            f.append(("Parent" + parentLevel.name, .string(parent)))
        }
        if r.level == .study { f.append(("PatientMainDicomTags", .tags(r.patientMainTags))) }
        if let requested { f.append(("RequestedTags", .value(requested))) }
        switch r.level {
        case .patient: f.append(("Studies", .strings(r.childrenIDs)))
        case .study: f.append(("Series", .strings(r.childrenIDs)))
        case .series: f.append(("Status", .string(status ?? "Unknown")))
        case .instance: break
        }
        f.append(("Type", .string(r.level.name)))
        return f
    }

    /// Orthanc's completeness of a series from ExpectedNumberOfInstances and the instances' IndexInSeries (read with
    /// the series' record).
    static func seriesStatus(_ r: ResourceRecord) -> String {
        guard let expected = r.expectedInstances, expected > 0 else { return "Unknown" }
        var seen = Set<Int>()
        for index in r.childrenIndexInSeries {
            guard let i = index else { return "Unknown" }
            guard i >= 1 && i <= expected, seen.insert(i).inserted else { return "Inconsistent" }
        }
        return seen.count == expected ? "Complete" : "Missing"
    }

    /// The requested tags of a resource: from its main tags or its ancestors', else from one instance's header.
    private func requestedTags(_ r: ResourceRecord, _ tags: [Tag], format: TagFormat,
                               data: InstanceData) async throws -> JSONValue {
        var values: MainTags = [:]
        var missing: [Tag] = []
        for tag in tags {
            if let v = r.mainTags[tag] ?? r.patientMainTags[tag] { values[tag] = v } else { missing.append(tag) }
        }
        if !missing.isEmpty {
            let instance = r.level == .instance ? r.publicID
                : try await index.descendants(of: r.level, r.publicID, at: .instance).first
            if let instance, let dataSet = try? await data.dataSet(ofInstance: instance) {
                let cs = dataSet.specificCharacterSet()
                for tag in missing { if let v = dataSet[tag]?.string(cs) { values[tag] = v } }
            }
        }
        return format.render(values)
    }

    /// `{ID, Path, Type}` of a resource, as lookups and deletions answer.
    static func reference(_ level: ResourceLevel, _ id: String) -> JSONValue {
        ["ID": .string(id), "Path": .string("/\(level.collection)/\(id)"), "Type": .string(level.name)]
    }
}
