import Testing
@testable import DICOM

@Suite struct DictionaryTests {
    @Test func patientNameByTagAndKeyword() throws {
        let entry = try #require(DataDictionary.entry(for: Tag(0x0010, 0x0010)))
        #expect(entry.keyword == "PatientName")
        #expect(entry.vrs == [.PN])
        #expect(entry.vr == .PN)
        #expect(entry.vm == "1")
        #expect(!entry.isRetired)
        #expect(entry.mask == ~0)
        #expect(DataDictionary.tag(forKeyword: "PatientName") == Tag(0x0010, 0x0010))
        #expect(DataDictionary.entry(forKeyword: "StudyInstanceUID")?.tag == Tag(0x0020, 0x000D))
        #expect(DataDictionary.entry(forKeyword: "SpecificCharacterSet")?.vm == "1-n")
        #expect(DataDictionary.entry(forKeyword: "NoSuchKeyword") == nil)
    }

    @Test func retiredElementsKeepDCMTKSpelling() throws {
        let entry = try #require(DataDictionary.entry(for: Tag(0x0008, 0x0010)))
        #expect(entry.keyword == "RETIRED_RecognitionCode")
        #expect(entry.isRetired)
        #expect(entry.vr == .SH)
        // Looked up with DCMTK's name or the plain keyword.
        #expect(DataDictionary.tag(forKeyword: "RETIRED_RecognitionCode") == Tag(0x0008, 0x0010))
        #expect(DataDictionary.tag(forKeyword: "RecognitionCode") == Tag(0x0008, 0x0010))
    }

    @Test func repeatingGroupsMatchThroughTheirMask() throws {
        let overlay = try #require(DataDictionary.entry(for: Tag(0x6002, 0x3000)))
        #expect(overlay.keyword == "OverlayData")
        #expect(overlay.vrs == [.OW, .OB])
        #expect(overlay.tag == Tag(0x6000, 0x3000))
        #expect(overlay.matches(Tag(0x601E, 0x3000)))
        #expect(DataDictionary.entry(for: Tag(0x60FE, 0x0010))?.keyword == "OverlayRows")
        // Odd groups are private: 6003,3000 is not an overlay.
        #expect(DataDictionary.entry(for: Tag(0x6003, 0x3000)) == nil)

        let curve = try #require(DataDictionary.entry(for: Tag(0x5010, 0x3000)))
        #expect(curve.keyword == "RETIRED_CurveData")
        #expect(curve.isRetired)
        #expect(curve.vrs == [.OW, .OB])
        #expect(DataDictionary.entry(for: Tag(0x5010, 0x0005))?.keyword == "RETIRED_CurveDimensions")
        #expect(DataDictionary.entry(for: Tag(0x7F02, 0x0010))?.keyword == "RETIRED_VariablePixelData")
        // An element range: (0020,3100-31FF).
        #expect(DataDictionary.entry(for: Tag(0x0020, 0x31A7))?.keyword == "RETIRED_SourceImageIDs")
        #expect(DataDictionary.tag(forKeyword: "OverlayData") == Tag(0x6000, 0x3000))
    }

    @Test func pseudoVRsBecomeVRLists() throws {
        #expect(DataDictionary.entry(for: Tag(0x0028, 0x0106))?.vrs == [.US, .SS])
        #expect(DataDictionary.entry(for: .pixelData)?.vrs == [.OW, .OB])
        #expect(DataDictionary.entry(for: .pixelData)?.keyword == "PixelData")
        #expect(DataDictionary.entry(for: Tag(0x0028, 0x3006))?.vrs == [.OW, .US, .SS])
        #expect(DataDictionary.entry(for: Tag(0x0004, 0x1200))?.vrs == [.UL])
        let item = try #require(DataDictionary.entry(for: .item))
        #expect(item.keyword == "Item")
        #expect(item.vrs.isEmpty)
        #expect(item.vr == .UN)
        #expect(DataDictionary.entry(for: Tag(0x0072, 0x006D))?.vrs == [.UN])
        #expect(DataDictionary.vr(for: Tag(0x0008, 0x0060)) == .CS)
        #expect(DataDictionary.vr(for: Tag(0x0008, 0x0002)) == .UN)
    }

    @Test func unknownAndPrivateTagsHaveNoPublicEntry() {
        #expect(DataDictionary.entry(for: Tag(0x0008, 0x0002)) == nil)
        #expect(DataDictionary.entry(for: Tag(0x0010, 0x0011)) == nil)
        #expect(DataDictionary.entry(for: Tag(0x0009, 0x1001)) == nil)
        #expect(DataDictionary.entry(for: Tag(0xFFFF, 0xFFFF)) == nil)
        #expect(DataDictionary.name(for: Tag(0x0008, 0x0002)) == "Unknown Tag & Data")
    }

    @Test func genericEntriesAsDCMTKHasThem() {
        #expect(DataDictionary.entry(for: Tag(0x0009, 0x0010))?.keyword == "PrivateCreator")
        #expect(DataDictionary.entry(for: Tag(0x0029, 0x00FF))?.vr == .LO)
        #expect(DataDictionary.entry(for: Tag(0x0009, 0x0000))?.keyword == "PrivateGroupLength")
        #expect(DataDictionary.entry(for: Tag(0x0008, 0x0000))?.keyword == "GenericGroupLength")
        #expect(DataDictionary.entry(for: Tag(0x0003, 0x0000))?.keyword == "IllegalGroupLength")
        // Exact entries win over the generic ones.
        #expect(DataDictionary.entry(for: Tag(0x0002, 0x0000))?.keyword == "FileMetaInformationGroupLength")
        // The reserved range 0009,0001-000F is no creator.
        #expect(DataDictionary.entry(for: Tag(0x0009, 0x0005)) == nil)
    }

    @Test func privateDictionaryByCreator() throws {
        let entry = try #require(DataDictionary.privateEntry(for: Tag(0x0009, 0x1001), creator: "GEMS_IDEN_01"))
        #expect(entry.keyword == "FullFidelity")
        #expect(entry.vr == .LO)
        // Any reserved block, and the creator's padding, give the same entry.
        #expect(DataDictionary.privateEntry(for: Tag(0x0009, 0x1201), creator: "GEMS_IDEN_01 ")?.keyword == "FullFidelity")
        #expect(DataDictionary.privateEntry(for: Tag(0x0009, 0x1001), creator: "SOMEONE_ELSE") == nil)
        #expect(DataDictionary.privateEntry(for: Tag(0x0009, 0x0010), creator: "GEMS_IDEN_01") == nil)
        // Elements pinned to one number.
        #expect(DataDictionary.privateEntry(for: Tag(0x0019, 0x1000), creator: "PHILIPS MR/PART")?.keyword == "FieldOfView")
        #expect(DataDictionary.privateEntry(for: Tag(0x0019, 0x1100), creator: "PHILIPS MR/PART")?.keyword == "NumberOfStacks")
        // A range of groups.
        #expect(DataDictionary.privateEntry(for: Tag(0x6003, 0x1010), creator: "PAPYRUS 3.0")?.keyword == "OverlayRows")
        #expect(DataDictionary.name(for: Tag(0x0009, 0x1002), privateCreator: "GEMS_IDEN_01") == "SuiteId")
        #expect(DataDictionary.name(for: Tag(0x0009, 0x1002)) == "Unknown Tag & Data")
        #expect(DataDictionary.name(for: Tag(0x0009, 0x0010)) == "PrivateCreator")
        #expect(DataDictionary.privateEntryCount > 2500)
    }

    @Test func uidRegistry() throws {
        let j2k = try #require(UIDRegistry.info(for: "1.2.840.10008.1.2.4.90"))
        #expect(j2k.name == "JPEG 2000 Image Compression (Lossless Only)")
        #expect(j2k.keyword == "JPEG2000Lossless")
        #expect(j2k.isTransferSyntax)
        #expect(!j2k.isRetired)
        #expect(UIDRegistry.info(for: "1.2.840.10008.1.2.4.90\0")?.keyword == "JPEG2000Lossless")
        #expect(UIDRegistry.info(for: "1.2.840.10008.1.2.2")?.isRetired == true)

        let ct = try #require(UIDRegistry.info(forKeyword: "CTImageStorage"))
        #expect(ct.uid == "1.2.840.10008.5.1.4.1.1.2")
        #expect(ct.name == "CT Image Storage")
        #expect(ct.type == "SOP Class")
        #expect(UIDRegistry.name(for: "1.2.840.10008.1.1") == "Verification SOP Class")
        #expect(UIDRegistry.info(for: "1.2.3.4") == nil)
    }

    @Test func storageSOPClasses() {
        let storage = Set(UIDRegistry.storageSOPClasses.map(\.uid))
        #expect(storage.contains("1.2.840.10008.5.1.4.1.1.2"))  // CT Image Storage
        #expect(storage.contains("1.2.840.10008.5.1.4.1.1.4"))  // MR Image Storage
        #expect(storage.contains("1.2.840.10008.5.1.4.1.1.1.1"))  // Digital X-Ray Image Storage - For Presentation
        #expect(!storage.contains("1.2.840.10008.1.1"))  // Verification
        #expect(!storage.contains("1.2.840.10008.1.20.1"))  // Storage Commitment Push Model
        #expect(!storage.contains("1.2.840.10008.1.2.1"))  // a transfer syntax
        #expect(storage.count > 150)
        #expect(UIDRegistry.isStorageSOPClass("1.2.840.10008.5.1.4.1.1.7"))
        #expect(!UIDRegistry.isStorageSOPClass("1.2.840.10008.5.1.4.1.2.2.1"))  // Study Root Q/R FIND
    }

    @Test func countsAndRoundTrips() {
        let all = DataDictionary.allEntries
        #expect(all.count > 4000)
        #expect(all.count == DictionaryData.publicEntryCount)
        #expect(UIDRegistry.all.count == DictionaryData.uidEntryCount)
        #expect(UIDRegistry.all.count > 400)
        // Every entry is found again by its own tag (the most specific rule for masked ones) and keyword.
        var mismatches: [String] = []
        for entry in all {
            guard let found = DataDictionary.entry(for: entry.tag), found.keyword == entry.keyword else {
                mismatches.append(entry.keyword)
                continue
            }
            if DataDictionary.entry(forKeyword: entry.keyword)?.keyword != entry.keyword {
                mismatches.append(entry.keyword)
            }
        }
        // Group length of group 0000 is CommandGroupLength (exact) as well as a GenericGroupLength block.
        #expect(mismatches == ["GenericGroupLength"])
        #expect(all.filter { $0.mask == ~0 }.count > 4000)
    }

    @Test func fastIndexAgreesWithABruteForceScan() {
        let all = DataDictionary.allEntries
        let exact = Dictionary(all.filter { $0.mask == ~0 }.map { ($0.tag.rawValue, $0.keyword) },
                               uniquingKeysWith: { first, _ in first })
        let masked = all.filter { $0.mask != ~0 }.sorted {
            $0.mask.nonzeroBitCount != $1.mask.nonzeroBitCount
                ? $0.mask.nonzeroBitCount > $1.mask.nonzeroBitCount : $0.tag.rawValue < $1.tag.rawValue
        }
        func reference(_ tag: Tag) -> String? {
            exact[tag.rawValue] ?? masked.first { $0.matches(tag) }?.keyword
        }
        let groups: [UInt16] = [0x0000, 0x0001, 0x0002, 0x0003, 0x0005, 0x0007, 0x0008, 0x0009, 0x000B, 0x000D,
                                0x0010, 0x0011, 0x0020, 0x0029, 0x00FF, 0x0101, 0x2001, 0x5000, 0x5001, 0x501E,
                                0x50FF, 0x5100, 0x6000, 0x6001, 0x6002, 0x60FE, 0x60FF, 0x6100, 0x7F00, 0x7F01,
                                0x7FE0, 0x7FFE, 0x8001, 0xFFFE, 0xFFFF]
        let elements: [UInt16] = [0x0000, 0x0001, 0x0005, 0x000F, 0x0010, 0x0011, 0x001F, 0x0020, 0x0040, 0x007F,
                                  0x0080, 0x00FF, 0x0100, 0x1000, 0x1001, 0x3000, 0x3100, 0x31FF, 0x3200, 0xE000,
                                  0xFFFF]
        var disagreements: [String] = []
        for group in groups {
            for element in elements {
                let tag = Tag(group, element)
                let expected = reference(tag)
                if DataDictionary.entry(for: tag)?.keyword != expected {
                    disagreements.append(tag.description)
                }
                let expectedVR = expected.flatMap { DataDictionary.entry(forKeyword: $0) }?.vr ?? .UN
                if DataDictionary.vr(for: tag) != expectedVR { disagreements.append("vr " + tag.description) }
            }
        }
        #expect(disagreements.isEmpty)
    }

    @Test func concurrentFirstUseIsSafe() async {
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0 ..< 8 {
                group.addTask {
                    DataDictionary.entry(for: .patientName)?.keyword == "PatientName"
                        && DataDictionary.privateEntry(for: Tag(0x0009, 0x1001), creator: "GEMS_IDEN_01") != nil
                        && UIDRegistry.info(for: "1.2.840.10008.1.2") != nil
                }
            }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results == Array(repeating: true, count: 8))
    }
}
