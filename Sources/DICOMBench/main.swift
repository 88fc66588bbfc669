// Parse throughput of the DICOM reader: full parse and header-only parse, files/s and MB/s, median of several runs.
// Usage: DICOMBench [--runs N] PATH...   (files or folders)
import DICOM
import Foundation

var runs = 5
var paths: [String] = []
var arguments = CommandLine.arguments.dropFirst()
while let a = arguments.popFirst() {
    if a == "--runs", let n = arguments.popFirst().flatMap(Int.init) { runs = max(1, n) } else { paths.append(a) }
}

var files: [[UInt8]] = []
for path in paths {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { continue }
    let list: [String]
    if isDir.boolValue {
        let e = FileManager.default.enumerator(atPath: path)
        var found: [String] = []
        while let f = e?.nextObject() as? String { found.append(path + "/" + f) }
        list = found.sorted()
    } else {
        list = [path]
    }
    for f in list {
        guard let d = FileManager.default.contents(atPath: f) else { continue }
        let bytes = [UInt8](d)
        // Only files the reader accepts are timed.
        if (try? DICOMFile.read(bytes: bytes)) != nil { files.append(bytes) }
    }
}
guard !files.isEmpty else {
    print("DICOMBench: no readable DICOM file under \(paths)")
    exit(1)
}
let totalBytes = files.reduce(0) { $0 + $1.count }

@MainActor func measure(_ options: ReadOptions) -> Double {
    var times: [Double] = []
    for _ in 0 ..< runs {
        let start = DispatchTime.now().uptimeNanoseconds
        var elements = 0
        for f in files { elements &+= (try? DICOMFile.read(bytes: f, options: options))?.dataSet.count ?? 0 }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if elements < 0 { print(elements) }
        times.append(seconds)
    }
    return times.sorted()[times.count / 2]
}

let mb = Double(totalBytes) / 1_048_576
print(String(format: "files: %d, %.1f MB, median of %d runs", files.count, mb, runs))
for (name, options) in [("full parse", ReadOptions()), ("header only", ReadOptions.headerOnly)] {
    let t = measure(options)
    print(String(format: "%-12@ %10.0f files/s %10.1f MB/s  (%.4f s per pass)", name as NSString,
                 Double(files.count) / t, mb / t, t))
}
