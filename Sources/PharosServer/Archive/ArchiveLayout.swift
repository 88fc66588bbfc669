import DICOM
import PharosIndex

/// Where each instance goes in a ZIP archive, in Orthanc's layout:
/// `PatientID PatientName/AccessionNumber StudyDescription/Modality SeriesDescription/MR000000.dcm`, the files of a
/// series numbered from 0 in the order of their InstanceNumber.
struct ArchiveLayout {
    /// Path inside the archive per instance ID, in the order the files are to be written.
    private(set) var entries: [(instance: String, path: String)] = []

    /// `lineages` are instance-level lineages (instance, series, study, patient).
    init(_ lineages: [ResourceLineage]) {
        // Folder names per resource; two resources with the same name under one parent get " (2)", " (3)"… so that
        // their files never mix.
        var folders: [String: String] = [:]
        var taken: [String: Set<String>] = [:]
        func folder(_ id: String, parent: String, _ name: String) -> String {
            if let known = folders[id] { return known }
            var candidate = name, n = 1
            while taken[parent, default: []].contains(candidate) {
                n += 1
                candidate = "\(name) (\(n))"
            }
            taken[parent, default: []].insert(candidate)
            folders[id] = candidate
            return candidate
        }
        // Series by series in the order they come, each series' files by InstanceNumber. Each lineage's main tags
        // are decoded once, not at every comparison of the sort.
        let complete = lineages.filter { $0.publicIDs.count == 4 }.map { lineage in
            let tags = lineage.mainTags
            let number = tags[0][Tag(0x0020, 0x0013)].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            return (ids: lineage.publicIDs, tags: tags, number: number)
        }
        var seriesOrder: [String: Int] = [:]
        for item in complete where seriesOrder[item.ids[1]] == nil { seriesOrder[item.ids[1]] = seriesOrder.count }
        let ordered = complete.sorted { a, b in
            let (sa, sb) = (seriesOrder[a.ids[1]] ?? 0, seriesOrder[b.ids[1]] ?? 0)
            if sa != sb { return sa < sb }
            return a.number != b.number ? (a.number ?? .max) < (b.number ?? .max) : a.ids[0] < b.ids[0]
        }
        var counters: [String: Int] = [:]
        for (ids, tags, _) in ordered {
            let patient = folder(ids[3], parent: "",
                                 Self.name([tags[3][.patientID], tags[3][.patientName]], or: "Unknown Patient"))
            let study = folder(ids[2], parent: ids[3],
                               Self.name([tags[2][Tag(0x0008, 0x0050)], tags[2][Tag(0x0008, 0x1030)]], or: "Unknown Study"))
            let modality = tags[1][.modality] ?? ""
            let series = folder(ids[1], parent: ids[2],
                                Self.name([modality, tags[1][Tag(0x0008, 0x103E)]], or: "Unknown Series"))
            let n = counters[ids[1], default: 0]
            counters[ids[1]] = n + 1
            let digits = String(n), padded = String(repeating: "0", count: max(0, 6 - digits.count)) + digits
            entries.append((ids[0], "\(patient)/\(study)/\(series)/\(Self.prefix(modality))\(padded).dcm"))
        }
    }

    /// The non-empty parts joined by a space, reduced to characters every file system and unzip tool accepts.
    static func name(_ parts: [String?], or fallback: String) -> String {
        var out = ""
        for part in parts {
            let clean = sanitized(part ?? "")
            guard !clean.isEmpty else { continue }
            out += out.isEmpty ? clean : " " + clean
        }
        return out.isEmpty ? fallback : out
    }

    /// ASCII letters, digits and `-_.()`, anything else (`^` of person names, `/`, control characters, accents)
    /// as a space, runs of spaces as one, at most 64 characters.
    static func sanitized(_ text: String) -> String {
        var out = ""
        var space = false
        for scalar in text.unicodeScalars {
            let keep = scalar.isASCII && (scalar.properties.isAlphabetic || ("0" ... "9").contains(scalar)
                || "-_.()".unicodeScalars.contains(scalar))
            if keep {
                if space && !out.isEmpty { out += " " }
                out.unicodeScalars.append(scalar)
                space = false
            } else {
                space = true
            }
        }
        // Nor dots or spaces at either end: no hidden or `..` folder, nothing Windows would trim.
        let edges: Set<Character> = [".", " "]
        var name = Substring(out.prefix(64))
        while let first = name.first, edges.contains(first) { name.removeFirst() }
        while let last = name.last, edges.contains(last) { name.removeLast() }
        return String(name)
    }

    /// Two upper-case letters from the modality for the file names (`IM` without one).
    static func prefix(_ modality: String) -> String {
        let letters = modality.uppercased().unicodeScalars.filter { $0.isASCII && $0.properties.isAlphabetic }
        let two = String(String.UnicodeScalarView(letters.prefix(2)))
        return two.count == 2 ? two : (two + "IM").prefix(2).description
    }
}
