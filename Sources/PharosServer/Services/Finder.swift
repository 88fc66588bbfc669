import DICOM
import Foundation
import PharosIndex
import PharosStorage

/// `/tools/find`: turns Orthanc's JSON request into a `FindQuery`, runs it on the index, and filters on the
/// instance headers the constraints that no main tag can answer.
struct Finder: Sendable {
    let index: any Index
    let storage: any StorageArea
    let configuration: ServerConfiguration

    /// A parsed `/tools/find` request.
    struct Request: Sendable {
        var query: FindQuery
        /// Constraints on tags the index does not hold, checked on one instance's header per candidate.
        var headerConstraints: [(Tag, TagConstraint)]
        var expand: Bool
        var requestedTags: [Tag]
        var format: TagFormat
        /// Study-level ModalitiesInStudy: a study matches when one of its series has one of these modalities.
        var modalitiesInStudy: [String]? = nil
    }

    static let modalitiesInStudyTag = Tag(0x0008, 0x0061)

    /// Parses the JSON body of `/tools/find`.
    func parse(_ body: JSONValue) throws -> Request {
        guard case .object = body else { throw RESTError(.badRequest, "The body of /tools/find must be a JSON object") }
        guard let levelName = body["Level"]?.stringValue, let level = ResourceLevel(name: levelName) else {
            throw RESTError(.badRequest, "Field \"Level\" is missing or is not Patient, Study, Series or Instance")
        }
        guard let queryMembers = body["Query"]?.objectValue else {
            throw RESTError(.badRequest, "Field \"Query\" is missing or is not a JSON object")
        }
        var query = FindQuery(level: level)
        var headerConstraints: [(Tag, TagConstraint)] = []
        var modalities: [String]?
        for member in queryMembers {
            let key = member.key, value = member.value
            guard let tag = Self.tag(named: key) else {
                throw RESTError(.badRequest, "Unknown DICOM tag in the query: \(key)")
            }
            guard let text = value.stringValue else {
                throw RESTError(.badParameterType, "The value for \(key) in the query must be a string")
            }
            // No instance header holds ModalitiesInStudy: it is answered from the modalities of the study's series.
            if tag == Self.modalitiesInStudyTag && level == .study {
                if !text.isEmpty && text != "*" { modalities = text.split(separator: "\\").map { String($0) } }
                continue
            }
            let constraint = Self.constraint(text, tag: tag)
            if MainDicomTags.owningLevel(of: tag, forQueryAt: level) != nil {
                query.constraints[tag] = constraint
            } else {
                headerConstraints.append((tag, constraint))
            }
        }
        query.caseSensitive = try Self.bool(body, "CaseSensitive") ?? false
        query.since = Int(try Self.int(body, "Since") ?? 0)
        var limit = try Self.int(body, "Limit").map { Int($0) }
        let configured = level == .instance ? configuration.limitFindInstances : configuration.limitFindResults
        if configured > 0 { limit = min(limit ?? configured, configured) }
        if limit == 0 { limit = nil }
        query.limit = limit
        if let labels = body["Labels"] {
            guard let list = labels.arrayValue, list.allSatisfy({ $0.stringValue.map(LabelRoutes.isValid) ?? false }) else {
                throw RESTError(.badRequest, "Labels must be a list of labels (letters, digits, \"-\", \"_\")")
            }
            query.labels = list.compactMap(\.stringValue)
        }
        if let constraint = body["LabelsConstraint"] {
            guard let name = constraint.stringValue, let parsed = LabelsConstraint(rawValue: name) else {
                throw RESTError(.badRequest, "LabelsConstraint must be \"All\", \"Any\" or \"None\"")
            }
            query.labelsConstraint = parsed
        }
        var requested: [Tag] = []
        for item in body["RequestedTags"]?.arrayValue ?? [] {
            guard let name = item.stringValue, let tag = Self.tag(named: name) else {
                throw RESTError(.badRequest, "Unknown DICOM tag in RequestedTags: \(item.serialized())")
            }
            requested.append(tag)
        }
        let full = try Self.bool(body, "Full") ?? false, short = try Self.bool(body, "Short") ?? false
        let format: TagFormat = full ? .full : short ? .short : .human
        return Request(query: query, headerConstraints: headerConstraints,
                       expand: try Self.bool(body, "Expand") ?? false, requestedTags: requested, format: format,
                       modalitiesInStudy: modalities)
    }

    /// Runs a parsed request: the public IDs that match, in insertion order.
    func run(_ request: Request) async throws -> [String] {
        var query = request.query
        query.modalitiesInStudy = request.modalitiesInStudy
        guard !request.headerConstraints.isEmpty else { return try await index.find(query) }
        // Paging must apply after the header filter.
        query.since = 0
        query.limit = nil
        var out: [String] = []
        var skipped = 0
        for id in try await index.find(query) {
            guard let header = try await firstInstanceHeader(query.level, id),
                  request.headerConstraints.allSatisfy({ Self.matches($0.1, header: header, tag: $0.0,
                                                                      caseSensitive: query.caseSensitive) })
            else { continue }
            if skipped < request.query.since { skipped += 1; continue }
            out.append(id)
            if let limit = request.query.limit, out.count >= limit { break }
        }
        return out
    }

    /// The Modality of every series of `studies`, in one index read.
    static func modalities(ofSeriesIn studies: [ResourceRecord], index: any Index) async throws -> [String: String] {
        var out: [String: String] = [:]
        for series in try await index.resources(.series, studies.flatMap(\.childrenIDs)) {
            if let modality = series.mainTags[.modality] { out[series.publicID] = modality }
        }
        return out
    }

    private func firstInstanceHeader(_ level: ResourceLevel, _ id: String) async throws -> DataSet? {
        let instance = level == .instance ? id : try await index.descendants(of: level, id, at: .instance).first
        guard let instance else { return nil }
        return try await InstanceData(index: index, storage: storage).dataSet(ofInstance: instance)
    }

    // MARK: parsing helpers

    /// A tag given by keyword ("PatientName") or number ("0010,0010", "0010-0010", "00100010").
    static func tag(named name: String) -> Tag? {
        if let tag = DataDictionary.tag(forKeyword: name) { return tag }
        let hex = name.filter { $0 != "," && $0 != "-" }
        guard hex.count == 8, let raw = UInt32(hex, radix: 16) else { return nil }
        return Tag(rawValue: raw)
    }

    /// Orthanc's reading of a query value: `\` lists, date ranges, wildcards, else an exact match.
    static func constraint(_ value: String, tag: Tag) -> TagConstraint {
        if value.contains("\\") {
            return .list(value.split(separator: "\\", omittingEmptySubsequences: false).map(String.init))
        }
        if MainDicomTags.isDateOrTime(tag), let dash = value.firstIndex(of: "-") {
            let lower = String(value[..<dash]), upper = String(value[value.index(after: dash)...])
            return .range(lower: lower.isEmpty ? nil : lower, upper: upper.isEmpty ? nil : upper)
        }
        if value.contains("*") || value.contains("?") { return .wildcard(value) }
        return .equal(value)
    }

    static func bool(_ body: JSONValue, _ key: String) throws -> Bool? {
        guard let v = body[key], !v.isNull else { return nil }
        guard let b = v.boolValue else { throw RESTError(.badParameterType, "Field \"\(key)\" must be a Boolean") }
        return b
    }

    static func int(_ body: JSONValue, _ key: String) throws -> Int64? {
        guard let v = body[key], !v.isNull else { return nil }
        guard let i = v.integerValue, i >= 0 else {
            throw RESTError(.badParameterType, "Field \"\(key)\" must be a non-negative integer")
        }
        return i
    }

    /// Matches a constraint against a tag of a header (for tags outside the main tags).
    static func matches(_ constraint: TagConstraint, header: DataSet, tag: Tag, caseSensitive: Bool) -> Bool {
        let raw = header[tag]?.string(header.specificCharacterSet())
        let fold: (String) -> String = { s in
            caseSensitive || DataDictionary.vr(for: tag) != .PN ? s : s.uppercased()
        }
        switch constraint {
        case .equal(let v): return v.isEmpty || raw.map(fold) == fold(v)
        case .wildcard(let p):
            guard !p.allSatisfy({ $0 == "*" }) else { return true }
            guard let raw else { return false }
            return glob(Array(fold(p)), Array(fold(raw)))
        case .range(let lower, let upper):
            guard let raw else { return false }
            if let lower, raw < lower { return false }
            if let upper, raw > upper { return false }
            return true
        case .list(let values): return raw.map { r in values.contains { fold($0) == fold(r) } } ?? false
        }
    }

    /// DICOM wildcard matching (`*` any run, `?` one character) of pattern `p` against text `t`.
    static func glob<Element: Equatable & ExpressibleByUnicodeScalarLiteral>(_ p: [Element], _ t: [Element]) -> Bool {
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] != "*", p[pi] == "?" || p[pi] == t[ti] {
                pi += 1; ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
