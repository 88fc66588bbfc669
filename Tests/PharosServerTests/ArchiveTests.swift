import DICOM
import Foundation
import Testing
@testable import PharosServer

/// The ZIP writer checked by a reader it does not share code with: Python's zipfile (CRCs, sizes, ZIP64 records).
@Suite struct ArchiveTests {
    /// What Python's zipfile reads in `bytes`: "count badEntry name:size,…" for the first three entries.
    private static func pythonReads(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pharos-zip-\(UUID().uuidString).zip")
        defer { try? FileManager.default.removeItem(at: path) }
        try Data(bytes).write(to: path)
        return try Process.run(python: """
            import zipfile
            z = zipfile.ZipFile(\(JSONValue.string(path.path).serialized()))
            bad = z.testzip()
            infos = z.infolist()
            print(len(infos), bad, ",".join(f"{i.filename}:{i.file_size}" for i in infos[:3]))
            """)
    }

    @Test func entriesReadBackWithTheirNamesAndContents() throws {
        var writer = ZipWriter(date: (2026, 11, 28, 13, 45, 30))
        // Written in parts, as the route streams it.
        var parts: [[UInt8]] = [[], [], []]
        writer.add("DOE JOHN/A1 CHEST/CT SCOUT/CT000000.dcm", Array("hello".utf8), to: &parts[0])
        writer.add("DOE JOHN/A1 CHEST/CT SCOUT/CT000001.dcm", [], to: &parts[0])
        writer.add("DOE JOHN/A1 CHEST/CT SCOUT/CT000002.dcm", (0 ..< 100_000).map { UInt8(truncatingIfNeeded: $0 * 7) },
                   to: &parts[1])
        parts[2] = writer.finish()
        #expect(writer.offset == UInt64(parts.reduce(0) { $0 + $1.count }))
        let read = try Self.pythonReads(parts.flatMap { $0 })
        #expect(read == "3 None DOE JOHN/A1 CHEST/CT SCOUT/CT000000.dcm:5,DOE JOHN/A1 CHEST/CT SCOUT/CT000001.dcm:0,"
                + "DOE JOHN/A1 CHEST/CT SCOUT/CT000002.dcm:100000")
        var empty = ZipWriter(date: (2026, 1, 1, 0, 0, 0))
        #expect(try Self.pythonReads(empty.finish()) == "0 None")
    }

    @Test func moreEntriesThanTheClassicRecordCountsGetZIP64Records() throws {
        var writer = ZipWriter(date: (2026, 11, 28, 0, 0, 0))
        let count = 0x10000 + 5
        var bytes: [UInt8] = []
        for i in 0 ..< count { writer.add("s/\(i).dcm", [UInt8(truncatingIfNeeded: i)], to: &bytes) }
        bytes += writer.finish()
        let read = try Self.pythonReads(bytes)
        #expect(read == "\(count) None s/0.dcm:1,s/1.dcm:1,s/2.dcm:1")
    }

    @Test func folderNamesKeepWhatEveryFileSystemAccepts() {
        #expect(ArchiveLayout.name(["P1", "DOE^JOHN"], or: "Unknown Patient") == "P1 DOE JOHN")
        #expect(ArchiveLayout.name(["", nil], or: "Unknown Study") == "Unknown Study")
        #expect(ArchiveLayout.sanitized("../../etc/passwd") == "etc passwd")
        #expect(ArchiveLayout.sanitized("Müller^Zoë  CT/MR") == "M ller Zo CT MR")
        #expect(ArchiveLayout.prefix("MR") == "MR" && ArchiveLayout.prefix("") == "IM" && ArchiveLayout.prefix("x") == "XI")
    }
}
