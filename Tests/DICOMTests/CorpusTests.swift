import Foundation
import Testing
@testable import DICOM

/// The reader against every file of the real-file corpus (pydicom's and pydicom-data's test files), compared with
/// what pydicom and DCMTK see in them (TestData/reference, written by Scripts/reference-dump.py).
@Suite(.enabled(if: Corpus.isAvailable, Corpus.missingMessage))
struct CorpusTests {
    /// A file the reader must refuse, the code it must refuse it with, and what a header-only read gives
    /// (nil: the header before the pixel data is intact, so a header-only read succeeds).
    struct Broken {
        let code: DICOMError.Code
        let headerOnly: DICOMError.Code?
        let why: String
    }

    /// Every file of the corpus the reader refuses. A file missing here must read; a file listed here must fail
    /// with exactly this code, so a new failure or a changed code shows up.
    static let broken: [String: Broken] = [
        // Not DICOM at all.
        "pydicom/README.txt": Broken(code: .notDICOM, headerOnly: .notDICOM, why: "text"),
        "pydicom/crayons.icc": Broken(code: .notDICOM, headerOnly: .notDICOM, why: "an ICC profile"),
        "pydicom/rtplan.dump": Broken(code: .notDICOM, headerOnly: .notDICOM, why: "a text dump"),
        "pydicom/rtstruct.dump": Broken(code: .notDICOM, headerOnly: .notDICOM, why: "a text dump"),
        "pydicom/test1.json": Broken(code: .notDICOM, headerOnly: .notDICOM, why: "DICOM JSON text"),
        "pydicom/test_PN.json": Broken(code: .notDICOM, headerOnly: .notDICOM, why: "DICOM JSON text"),
        "pydicom/zipMR.gz": Broken(code: .notDICOM, headerOnly: .notDICOM, why: "a gzip file"),
        "pydicom/dicomdirtests/README.txt": Broken(code: .notDICOM, headerOnly: .notDICOM, why: "text"),
        "pydicom/dicomdirtests/TINY_ALPHA/README": Broken(code: .notDICOM, headerOnly: .notDICOM, why: "text"),
        // Damaged DICOM.
        "pydicom/no_meta.dcm": Broken(code: .notDICOM, headerOnly: .notDICOM,
                                      why: "a raw data set that starts one byte into an element: no element boundary"),
        "pydicom/MR_truncated.dcm": Broken(code: .lengthExceedsData, headerOnly: nil,
                                           why: "pixel data cut short; the header before it is whole"),
        "pydicom/rtplan_truncated.dcm": Broken(code: .lengthExceedsData, headerOnly: .lengthExceedsData,
                                               why: "ends inside a value of a nested item"),
        "pydicom-data/emri_small_jpeg_2k_lossless_too_short.dcm": Broken(
            code: .truncated, headerOnly: nil, why: "encapsulated pixel data without its sequence delimiter"),
    ]

    static let files = Corpus.files

    @Test("Every file reads as pydicom and DCMTK read it, or fails as listed", arguments: files)
    func readsLikeReference(file: CorpusFile) throws {
        let reference = try file.reference()
        if let broken = Self.broken[file.name] {
            #expect(throws: DICOMError(broken.code, "")) { try DICOMFile.read(contentsOf: file.path) }
            do {
                _ = try DICOMFile.read(contentsOf: file.path)
            } catch {
                #expect(error.offset != nil, "error without an offset: \(error)")
            }
            return
        }
        let read: DICOMFile
        do {
            read = try DICOMFile.read(contentsOf: file.path)
        } catch {
            Issue.record("\(file): \(error) [pydicom: \(reference.pydicom.error ?? "ok"), dcmtk: \(reference.dcmtk?.error ?? "ok")]")
            return
        }
        let mismatches = Self.compare(read, with: reference)
        #expect(mismatches.isEmpty, "\(file): \(mismatches.joined(separator: "; "))")
    }

    @Test("The broken list names every file the references call invalid")
    func brokenListIsComplete() throws {
        var invalid: [String] = []
        for file in Self.files where try !file.reference().valid { invalid.append(file.name) }
        #expect(!Self.files.isEmpty)
        #expect(Set(invalid).subtracting(Self.broken.keys).sorted() == [])
        #expect(Set(Self.broken.keys).subtracting(Self.files.map(\.name)).sorted() == [], "listed files not in the corpus")
    }

    @Test("Header-only (.stop) gives the elements before pixel data and where it is", arguments: files)
    func headerOnly(file: CorpusFile) throws {
        if let broken = Self.broken[file.name] {
            if let code = broken.headerOnly {
                #expect(throws: DICOMError(code, "")) { try DICOMFile.read(contentsOf: file.path, options: .headerOnly) }
            } else {
                let header = try DICOMFile.read(contentsOf: file.path, options: .headerOnly)
                #expect(header.pixelData != nil)
                #expect(!header.dataSet.isEmpty)
            }
            return
        }
        let full = try DICOMFile.read(contentsOf: file.path)
        let header = try DICOMFile.read(contentsOf: file.path, options: .headerOnly)
        #expect(header.pixelData == full.pixelData)
        #expect(header.fileMetaInformation == full.fileMetaInformation)
        #expect(header.transferSyntax == full.transferSyntax)
        let expected = full.pixelData == nil ? full.dataSet.elements : full.dataSet.elements.filter { $0.tag < .pixelData }
        #expect(header.dataSet.elements == expected)
        if let location = full.pixelData, let reference = try file.reference().pixelData {
            #expect(location.valueOffset == reference.valueOffset)
        }
    }

    @Test("Skipping pixel data (.skip) reads every other element, those after it too", arguments: files)
    func skipPixelData(file: CorpusFile) throws {
        guard Self.broken[file.name] == nil else { return }
        let full = try DICOMFile.read(contentsOf: file.path)
        let skipped = try DICOMFile.read(contentsOf: file.path, options: ReadOptions(pixelData: .skip))
        #expect(skipped.pixelData == full.pixelData)
        #expect(skipped.dataSet.elements == full.dataSet.elements.filter { $0.tag != .pixelData })
    }

    @Test("Files with bad values but a sound structure read, the bad values kept as they are")
    func badValuesAreNotBadStructure() throws {
        let badVR = try DICOMFile.read(contentsOf: CorpusFile(name: "pydicom/badVR.dcm").path)
        #expect(badVR.dataSet[.numberOfFrames]?.string() == "1A")
        #expect(badVR.dataSet[.numberOfFrames]?.integer == nil)
        let badSequence = try DICOMFile.read(contentsOf: CorpusFile(name: "pydicom-data/bad_sequence.dcm").path)
        let derivation = try #require(badSequence.dataSet[Tag(0x0008, 0x9215)]?.items)
        #expect(derivation.count == 1)
        #expect(derivation[0][Tag(0x0008, 0x0100)]?.string() == "121327")
    }

    @Test("The corpus has files of every kind the reader must handle")
    func corpusCoverage() throws {
        var syntaxes: Set<String> = []
        var valid = 0
        for file in Self.files where Self.broken[file.name] == nil {
            valid += 1
            syntaxes.insert(try DICOMFile.read(contentsOf: file.path, options: .headerOnly).transferSyntax.uid)
        }
        print("Corpus: \(Self.files.count) files, \(valid) valid, \(Self.broken.count) broken, \(syntaxes.count) transfer syntaxes")
        #expect(Self.files.count >= 240)
        for uid in [TransferSyntax.implicitVRLittleEndian, .explicitVRLittleEndian, .explicitVRBigEndian,
                    .deflatedExplicitVRLittleEndian, .jpegBaseline, .jpeg2000Lossless, .rleLossless].map(\.uid) {
            #expect(syntaxes.contains(uid), "no file in \(uid)")
        }
    }

    // MARK: - Comparison

    /// Every difference between what the reader read and the reference, as text.
    static func compare(_ read: DICOMFile, with reference: Reference) -> [String] {
        var out: [String] = []
        let dataSet = read.dataSet
        if let implicit = reference.implicitVR, implicit == read.transferSyntax.isExplicitVR {
            out.append("read as \(read.transferSyntax.isExplicitVR ? "explicit" : "implicit") VR, pydicom as the other")
        }
        if let little = reference.littleEndian, little == read.transferSyntax.isBigEndian {
            out.append("byte order differs from pydicom's")
        }
        if let declared = read.fileMetaInformation[.transferSyntaxUID]?.string(), declared != reference.transferSyntax {
            out.append("transfer syntax \(declared) vs \(reference.transferSyntax ?? "none")")
        }
        if let meta = reference.metaTags {
            let ours = read.fileMetaInformation.elements.map(\.tag.referenceKey)
            if ours != meta.sorted() { out.append("meta tags \(ours) vs \(meta)") }
        }
        guard let tags = reference.topLevelTags, let vrs = reference.vrs else { return out + ["reference has no tags"] }
        let ours = dataSet.elements.map(\.tag.referenceKey)
        let theirs = tags.sorted()
        if ours != theirs {
            let extra = Set(ours).subtracting(theirs).sorted(), missing = Set(theirs).subtracting(ours).sorted()
            out.append("top-level tags differ: extra \(extra), missing \(missing)")
        }
        // DCMTK's view as a second opinion, where it read the file (it misses a mislabelled VR encoding).
        if let dcmtk = reference.dcmtk, dcmtk.ok, Set(dcmtk.topLevelTags) != Set(ours) {
            out.append("top-level tags differ from DCMTK's: \(Set(dcmtk.topLevelTags).symmetricDifference(ours).sorted())")
        }
        if reference.topLevelCount != dataSet.count {
            out.append("top-level count \(dataSet.count) vs \(reference.topLevelCount ?? -1)")
        }
        if reference.totalCount != dataSet.totalElementCount {
            out.append("total count \(dataSet.totalElementCount) vs \(reference.totalCount ?? -1)")
        }
        if let counts = reference.itemCounts, counts != dataSet.allItemCounts {
            out.append("item counts \(dataSet.allItemCounts) vs \(counts)")
        }
        for (key, vr) in zip(tags, vrs) {
            guard let tag = Tag(parsing: key), let element = dataSet[tag] else { continue }
            if !vr.components(separatedBy: " or ").contains(element.vr.description) {
                out.append("\(key) VR \(element.vr) vs \(vr)")
            }
        }
        for (key, count) in reference.sequences ?? [:] {
            guard let tag = Tag(parsing: key), let element = dataSet[tag] else { continue }
            if element.items?.count != count { out.append("\(key) has \(element.items?.count ?? -1) items vs \(count)") }
        }
        out += compareStrings(dataSet, reference.strings ?? [:])
        if let pixel = reference.pixelData {
            if let location = read.pixelData {
                if location.valueOffset != pixel.valueOffset { out.append("pixel data at \(location.valueOffset) vs \(pixel.valueOffset)") }
                if location.length != pixel.length { out.append("pixel data length \(location.length ?? -1) vs \(pixel.length ?? -1)") }
            } else {
                out.append("no pixel data location")
            }
        }
        return out
    }

    /// String values: the exact bytes, and the decoded values (split on backslash, padding trimmed on both sides).
    static func compareStrings(_ dataSet: DataSet, _ strings: [String: Reference.StringValue]) -> [String] {
        var out: [String] = []
        let characterSet = dataSet.specificCharacterSet()
        for (key, value) in strings.sorted(by: { $0.key < $1.key }) {
            guard let tag = Tag(parsing: key), let element = dataSet[tag] else { continue }
            if let raw = value.raw {
                let ours = String(element.bytes.map { Character(UnicodeScalar($0)) })
                if ours != raw { out.append("\(key) bytes \(ours.debugDescription) vs \(raw.debugDescription)") }
            }
            if let values = value.values, characterSet.isKnown {
                let trim = { (s: String) in s.trimmingCharacters(in: CharacterSet(charactersIn: " \0")) }
                let ours = element.strings(characterSet).map(trim)
                let theirs = values.map(trim)
                // pydicom gives no value for an empty element; the reader gives one empty string.
                if ours != theirs && !(theirs.isEmpty && ours.allSatisfy(\.isEmpty)) {
                    out.append("\(key) values \(ours) vs \(theirs)")
                }
            }
        }
        return out
    }
}
