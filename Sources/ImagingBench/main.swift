// Decode time per frame per codec, release mode: ImagingBench [-n RUNS] FILE_OR_FOLDER…
// Prints one row per transfer syntax: files, frames, median milliseconds per frame, and megapixels per second.
import DICOM
import DICOMImaging
import Foundation

var runs = 5
var paths: [String] = []
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    if argument == "-n", let value = arguments.popFirst(), let n = Int(value), n > 0 { runs = n } else { paths.append(argument) }
}
guard !paths.isEmpty else {
    FileHandle.standardError.write(Data("usage: ImagingBench [-n RUNS] FILE_OR_FOLDER…\n".utf8))
    exit(2)
}

func files(under path: String) -> [String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
    guard isDirectory.boolValue else { return [path] }
    let enumerator = FileManager.default.enumerator(atPath: path)
    var out: [String] = []
    while let name = enumerator?.nextObject() as? String { out.append((path as NSString).appendingPathComponent(name)) }
    return out.sorted()
}

struct Row { var files = 0; var frames = 0; var pixels = 0; var perFrame: [Double] = []; var failures = 0 }
var rows: [String: Row] = [:]
let clock = ContinuousClock()

for file in paths.flatMap(files(under:)) {
    guard let parsed = try? DICOMFile.read(contentsOf: file),
          let image = try? DICOMImage(file: parsed) else { continue }
    let name = image.transferSyntax.name
    var row = rows[name, default: Row()]
    row.files += 1
    for frame in 0 ..< image.numberOfFrames {
        var times: [Double] = []
        var failed = false
        for _ in 0 ..< runs {
            let start = clock.now
            do { _ = try image.decodeFrame(frame) } catch { failed = true; break }
            let elapsed = clock.now - start
            times.append(Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15)
        }
        if failed { row.failures += 1; continue }
        row.frames += 1
        row.pixels += image.rows * image.columns
        row.perFrame.append(times.sorted()[times.count / 2])
    }
    rows[name] = row
}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
print(pad("transfer syntax", 60), pad("files", 6), pad("frames", 7), pad("ms/frame", 10), pad("Mpx/s", 8), "failed")
for (name, row) in rows.sorted(by: { $0.key < $1.key }) {
    let sorted = row.perFrame.sorted()
    let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    let total = row.perFrame.reduce(0, +)
    let mpx = total > 0 ? Double(row.pixels) / 1e6 / (total / 1e3) : 0
    print(pad(String(name.prefix(59)), 60), pad("\(row.files)", 6), pad("\(row.frames)", 7),
          pad(String(format: "%.3f", median), 10), pad(String(format: "%.1f", mpx), 8), row.failures)
}
