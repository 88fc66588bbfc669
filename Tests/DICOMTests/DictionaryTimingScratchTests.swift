import Testing
@testable import DICOM

@Suite struct DictionaryTimingScratch {
    @Test func timing() {
        let c = ContinuousClock()
        var t = c.now
        var k = 0; DictionaryData.forEachRow(DictionaryData.publicEntries) { _ in k += 1 }; print("rows", c.now - t, k); t = c.now
        _ = PublicDictionaryTables(text: DictionaryData.publicEntries); print("public", c.now - t); t = c.now
        _ = PrivateDictionaryTables(text: DictionaryData.privateEntries); print("private", c.now - t); t = c.now
        _ = UIDTables(text: DictionaryData.uidEntries); print("uid", c.now - t); t = c.now
        var n = 0
        for i in 0..<1_000_000 { if DataDictionary.entry(for: Tag(0x0010, UInt16(i & 0x3F))) != nil { n += 1 } }
        print("1M exact lookups", c.now - t, n); t = c.now
        for i in 0..<100_000 { if DataDictionary.entry(for: Tag(0x0019, UInt16(0x1000 | (i & 0xFF)))) != nil { n += 1 } }
        print("100k private-miss lookups", c.now - t, n)
    }
}
