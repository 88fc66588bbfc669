// libFuzzer entry point for the DICOM reader: any bytes must give a DataSet or a DICOMError, never a crash or a hang.
// Built by Scripts/fuzz.sh together with the DICOM module's sources (swiftc -sanitize=fuzzer).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Small limits keep each run fast and prove that the limits are enforced.
    let limits = ParseLimits(maxElementLength: 1 << 24, maxDepth: 16, maxItems: 10_000, maxElements: 100_000,
                             maxInflatedSize: 1 << 24)
    for handling in [PixelDataHandling.load, .stop] {
        if let file = try? DICOMFile.read(bytes: bytes, options: ReadOptions(pixelData: handling, limits: limits)) {
            // Exercise the value decoders on everything that was read.
            let cs = file.dataSet.specificCharacterSet()
            for element in file.dataSet {
                _ = element.string(cs)
                _ = element.numbers
                _ = element.tags
            }
        }
    }
    return 0
}
