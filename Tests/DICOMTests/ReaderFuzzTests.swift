import Foundation
import Testing
import TestSupport
@testable import DICOM

/// Corrupted copies of the real files: the reader, the JSON renderings and the writer must answer each with a value or
/// a `DICOMError`, never trap or hang. Mutations are reproducible (fixed seed).
@Suite(.enabled(if: Corpus.isAvailable, Corpus.missingMessage))
struct ReaderFuzzTests {
    /// Files small enough to be mutated many times quickly.
    static let files = Corpus.files.filter {
        ((try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int) ?? Int.max) <= 256 * 1024
    }

    enum Mutation: CaseIterable {
        /// A few bytes anywhere in the first 2 KB (tags, VRs, lengths of the header).
        case flipBytes
        /// A 32-bit value somewhere set to a huge or odd length.
        case bogusLength
        /// Cut anywhere.
        case truncate
        /// A stretch of the file repeated in place.
        case duplicateChunk
    }

    static func mutate(_ original: [UInt8], _ mutation: Mutation, _ rng: inout TestRandom) -> [UInt8] {
        var bytes = original
        guard bytes.count > 8 else { return bytes }
        switch mutation {
        case .flipBytes:
            for _ in 0 ..< 1 + rng.below(6) { bytes[rng.below(min(bytes.count, 2048))] = UInt8(rng.below(256)) }
        case .bogusLength:
            let at = rng.below(min(bytes.count, 4096) - 4)
            let values: [UInt32] = [0xFFFF_FFFF, 0xFFFF_FFFE, 0x7FFF_FFFF, 1, 3, UInt32(bytes.count), UInt32(rng.below(1 << 20))]
            let value = values[rng.below(values.count)]
            for i in 0 ..< 4 { bytes[at + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
        case .truncate:
            bytes = Array(bytes[0 ..< rng.below(bytes.count)])
        case .duplicateChunk:
            let start = rng.below(bytes.count - 1), length = 1 + rng.below(min(512, bytes.count - start))
            bytes.insert(contentsOf: bytes[start ..< start + length], at: start)
        }
        return bytes
    }

    @Test("Corrupted corpus files are read or refused with a DICOMError, never a trap")
    func corruptedFiles() throws {
        // PHAROS_FUZZ_SEED and PHAROS_FUZZ_ROUNDS explore further; the default run is the same every time.
        let environment = ProcessInfo.processInfo.environment
        var rng = TestRandom(seed: environment["PHAROS_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x5048_4152_4F53)
        let rounds = environment["PHAROS_FUZZ_ROUNDS"].flatMap { Int($0) } ?? 24
        var read = 0, refused = 0
        for file in Self.files {
            let original = Array(try Data(contentsOf: URL(fileURLWithPath: file.path)))
            for round in 0 ..< rounds {
                let bytes = Self.mutate(original, Mutation.allCases[round % Mutation.allCases.count], &rng)
                for options in [ReadOptions.headerOnly, ReadOptions()] {
                    do throws(DICOMError) {
                        let parsed = try DICOMFile.read(bytes: bytes, options: options)
                        read += 1
                        // What the REST API does with a file it accepted: render it, and write it back.
                        _ = parsed.dataSet.orthancJSON(.tags(.full))
                        _ = parsed.dataSet.orthancJSON(format: .simplified)
                        _ = parsed.fileMetaInformation.orthancJSON(.header(.full))
                        if options.pixelData == .load { _ = try? parsed.serialized() }
                    } catch {
                        refused += 1
                    }
                }
            }
        }
        // Both outcomes occur: the mutations reach places the reader checks, and places it may tolerate.
        #expect(read > 0 && refused > 0, "read \(read), refused \(refused)")
    }
}

