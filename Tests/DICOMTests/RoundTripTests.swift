import Foundation
import Testing
@testable import DICOM

/// Every readable file of the corpus, read → written (its own syntax and every other native one) → read again,
/// must give the same data set, up to what the target encoding changes by definition (see `expected`).
@Suite struct RoundTripTests {
    static let nativeSyntaxes: [TransferSyntax] = [
        .implicitVRLittleEndian, .explicitVRLittleEndian, .explicitVRBigEndian, .deflatedExplicitVRLittleEndian,
    ]

    /// TestData/corpus (made by Scripts/fetch-test-data.sh), else the pip-installed pydicom and pydicom-data files.
    static func corpusFolders() -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("TestData/corpus").path
        if FileManager.default.fileExists(atPath: root) { return [root] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return [] }
        let site = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        process.waitUntilExit()
        return [site + "/pydicom/data/test_files", site + "/data_store/data"]
            .filter { FileManager.default.fileExists(atPath: $0) }
    }

    static func corpusFiles() -> [String] {
        var files: [String] = []
        for folder in corpusFolders() {
            guard let walker = FileManager.default.enumerator(atPath: folder) else { continue }
            while let name = walker.nextObject() as? String {
                let path = folder + "/" + name
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
                    files.append(path)
                }
            }
        }
        return files.sorted()
    }

    /// The VR an implicit VR reader derives from the tag alone (PS3.5 §7.1.3; private and unknown: UN).
    static func implicitVR(_ tag: Tag) -> VR {
        if tag.isGroupLength { return .UL }
        if tag.isPrivateCreator { return .LO }
        if tag.isPrivate { return .UN }
        return DataDictionary.vr(for: tag)
    }

    /// What reading back a data set written in `syntax` must give: group lengths and meta elements gone, odd
    /// values padded, VRs as the dictionary gives them in implicit VR, and long short-form values as UN (public
    /// tags recover their dictionary VR when read).
    static func expected(_ dataSet: DataSet, _ syntax: TransferSyntax, topLevel: Bool = true) -> DataSet {
        var out: [DataElement] = []
        for var element in dataSet.elements {
            if element.tag.isGroupLength || topLevel && element.tag.group == 0x0002 { continue }
            switch element.value {
            case .sequence(let items):
                element.vr = .SQ
                element.value = .sequence(items.map { expected($0, syntax, topLevel: false) })
            case .fragments:
                element.vr = .OB
            case .bytes(var bytes):
                if bytes.count % 2 == 1 { bytes.append(element.vr.paddingByte) }
                if !syntax.isExplicitVR {
                    element.vr = implicitVR(element.tag)
                } else if !element.vr.hasLongExplicitLength && bytes.count > 0xFFFF {
                    let original = element.vr
                    element.vr = element.tag.isPrivate ? .UN : DataDictionary.vr(for: element.tag)
                    // A private value read back as UN keeps its big-endian bytes: nothing tells the reader to swap.
                    if syntax.isBigEndian, element.vr == .UN, let size = original.wordSize {
                        bytes = DataSetEncoder.swapped(bytes, wordSize: size)
                    }
                }
                element.value = element.vr == .SQ && bytes.isEmpty ? .sequence([]) : .bytes(bytes)
            }
            out.append(element)
        }
        return DataSet(out)
    }

    /// The first difference between two data sets, as a path, for the failure message.
    static func firstDifference(_ a: DataSet, _ b: DataSet, path: String = "") -> String? {
        let tags = Set(a.elements.map(\.tag)).union(b.elements.map(\.tag)).sorted()
        for tag in tags where a[tag] != b[tag] {
            guard let x = a[tag], let y = b[tag] else { return "\(path)\(tag): present in only one" }
            if let xi = x.items, let yi = y.items, xi.count == yi.count {
                for i in xi.indices where xi[i] != yi[i] {
                    return firstDifference(xi[i], yi[i], path: "\(path)\(tag)[\(i)].")
                }
            }
            return "\(path)\(tag): \(x.vr) \(x.valueLength) bytes vs \(y.vr) \(y.valueLength) bytes"
        }
        return nil
    }

    @Test func corpusRoundTrips() throws {
        let files = Self.corpusFiles()
        #expect(files.count > 100, "Corpus not found: run `make testdata`")
        let outFolder = NSTemporaryDirectory() + "pharos-roundtrip-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: outFolder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outFolder) }

        // Files are independent: they are checked on every core, each into its own numbered output names.
        final class Tally: @unchecked Sendable {
            let lock = NSLock()
            var failures: [String] = []
            var roundTrips = 0, readable = 0
            var written: [String: [String]] = [:]  // transfer syntax UID → files written, for DCMTK
            func add(_ body: (Tally) -> Void) { lock.lock(); body(self); lock.unlock() }
        }
        let tally = Tally()
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let path = files[index]
            guard var file = try? DICOMFile.read(contentsOf: path) else { return }
            var failures: [String] = [], written: [(String, String)] = []
            defer {
                tally.add {
                    $0.readable += 1
                    $0.failures += failures
                    $0.roundTrips += written.count
                    for (uid, out) in written { $0.written[uid, default: []].append(out) }
                }
            }
            // Files without SOP identity (raw data sets) get placeholder meta UIDs so they can still be Part 10.
            for tag in [Tag.mediaStorageSOPClassUID, .mediaStorageSOPInstanceUID]
            where file.fileMetaInformation.string(tag)?.isEmpty ?? true {
                file.fileMetaInformation.set(.string(tag, .UI, "1.2.3.4"))
            }
            let source = file.transferSyntax
            let name = String(path.split(separator: "/").suffix(2).joined(separator: "/"))
            if !source.isEncapsulated, file.dataSet[.pixelData]?.fragments != nil {
                // Encapsulated pixel data under a native syntax (SC_rgb_jpeg.dcm declares explicit VR LE): no native
                // syntax can hold it, and the writer must say so rather than write a file no one can read.
                do throws(DICOMError) {
                    _ = try file.serialized()
                    failures.append("\(name): fragments were written under native \(source.name)")
                } catch {
                    if error.code != .writeFailed { failures.append("\(name): \(error)") }
                }
                return
            }
            var targets = source.isEncapsulated
                ? [source] : [source] + Self.nativeSyntaxes.filter { $0 != source }
            // zlib takes seconds per large image on a loaded 2-core machine; deflate's encoding is the explicit VR LE
            // one, which large files still cover, so only files under 1 MB are also deflated (unless deflated already).
            if file.dataSet.elements.reduce(0, { $0 + $1.valueLength }) > 1 << 20 {
                targets.removeAll { $0.isDeflated && $0 != source }
            }
            for (t, target) in targets.enumerated() {
                do {
                    let bytes = try file.serialized(transferSyntax: target)
                    let back = try DICOMFile.read(bytes: bytes)
                    let want = Self.expected(file.dataSet, target)
                    if back.transferSyntax.uid != target.uid {
                        failures.append("\(name) → \(target.name): read back as \(back.transferSyntax.name)")
                    } else if back.dataSet != want {
                        let where_ = Self.firstDifference(want, back.dataSet) ?? "?"
                        failures.append("\(name) → \(target.name): differs at \(where_)")
                    } else {
                        let out = "\(outFolder)/\(index)-\(t).dcm"
                        try Data(bytes).write(to: URL(fileURLWithPath: out))
                        written.append((target.uid, out))
                    }
                } catch {
                    failures.append("\(name) → \(target.name): \(error)")
                }
            }
        }
        let (failures, roundTrips, readable, written) = (tally.failures, tally.roundTrips, tally.readable, tally.written)
        print("Round trips: \(roundTrips) of \(readable) readable files; \(failures.count) failures")
        #expect(readable > 100)
        #expect(failures.isEmpty, "\(failures.count) round trips failed:\n\(failures.joined(separator: "\n"))")

        // DCMTK, an independent reader, must parse every file written (dcmdump stops and fails on any error).
        guard let dcmdump = DCMTK.tool("dcmdump") else {
            Issue.record("dcmdump is not installed: run `make deps`")
            return
        }
        for (uid, paths) in written {
            for chunk in stride(from: 0, to: paths.count, by: 100).map({ Array(paths[$0 ..< min($0 + 100, paths.count)]) }) {
                let dump = try DCMTK.run(dcmdump, ["-E", "-q"] + chunk)
                let errors = dump.output.split(separator: "\n").filter { $0.hasPrefix("E:") }
                #expect(dump.status == 0 && errors.isEmpty, "dcmdump rejected files written as \(uid):\n\(errors.prefix(20).joined(separator: "\n"))")
            }
        }
    }
}
