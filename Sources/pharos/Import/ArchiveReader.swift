import CArchive
import Foundation

/// Reads the regular files of an archive (zip, tar, tar.gz, tar.bz2) or a single compressed file (.gz, .bz2)
/// one entry at a time with libarchive; nothing is ever written to disk, entries are kept in memory only
/// until uploaded.
final class ArchiveReader {
    /// One entry: a regular file's bytes, or why it was refused.
    enum Entry {
        case file(path: String, data: Data)
        case refused(path: String, reason: String)
    }

    /// Largest entry read into memory; larger ones are refused rather than exhausting memory.
    static let maximumEntrySize = 2 << 30

    private let handle: OpaquePointer
    private let archivePath: String
    private var finished = false

    /// Opens `path`; throws when libarchive cannot recognise or open it.
    init(path: String) throws(ImportError) {
        guard let handle = archive_read_new() else { throw ImportError("\(path): libarchive could not start") }
        archive_read_support_filter_all(handle)
        archive_read_support_format_all(handle)
        // A lone .gz / .bz2 holds one file with no archive format around it.
        archive_read_support_format_raw(handle)
        guard archive_read_open_filename(handle, path, 1 << 16) == ARCHIVE_OK else {
            let reason = ArchiveReader.errorString(handle)
            archive_read_free(handle)
            throw ImportError("\(path): cannot open as an archive: \(reason)")
        }
        self.handle = handle
        self.archivePath = path
    }

    deinit { archive_read_free(handle) }

    /// The next regular file, or nil at the end; a damaged archive ends with one `.refused` entry.
    func next() -> Entry? {
        while !finished {
            var entry: OpaquePointer?
            let status = archive_read_next_header(handle, &entry)
            if status == ARCHIVE_EOF { finished = true; return nil }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                finished = true
                return .refused(path: archivePath, reason: "damaged archive: \(ArchiveReader.errorString(handle))")
            }
            let name = entryName(entry)
            // Directories, links and devices carry no DICOM data.
            guard archive_entry_filetype(entry) == 0o100000 else { continue }
            if let reason = ArchiveReader.unsafePathReason(name) {
                return .refused(path: "\(archivePath):\(name)", reason: reason)
            }
            return readData(name: name)
        }
        return nil
    }

    /// Why an entry path may not be used (absolute, or climbing out with ".."), or nil when it is fine.
    static func unsafePathReason(_ name: String) -> String? {
        if name.hasPrefix("/") || name.hasPrefix("\\") { return "absolute path in archive refused" }
        let parts = name.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        if parts.contains("..") { return "path with \"..\" in archive refused" }
        return nil
    }

    private func entryName(_ entry: OpaquePointer) -> String {
        if archive_format(handle) == ARCHIVE_FORMAT_RAW {
            // The raw format has no names: use the compressed file's own name without its suffix.
            let base = (archivePath as NSString).lastPathComponent
            return (base as NSString).deletingPathExtension
        }
        if let utf8 = archive_entry_pathname_utf8(entry) { return String(cString: utf8) }
        if let raw = archive_entry_pathname(entry) { return String(cString: raw) }
        return "(unnamed)"
    }

    private func readData(name: String) -> Entry {
        let path = "\(archivePath):\(name)"
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { archive_read_data(handle, $0.baseAddress, $0.count) }
            if count == 0 { return .file(path: path, data: data) }
            if count < 0 {
                let reason = ArchiveReader.errorString(handle)
                if count == Int(ARCHIVE_FATAL) { finished = true }
                return .refused(path: path, reason: "cannot read entry: \(reason)")
            }
            guard data.count + count <= ArchiveReader.maximumEntrySize else {
                return .refused(path: path, reason: "entry larger than \(ArchiveReader.maximumEntrySize >> 20) MiB")
            }
            data.append(contentsOf: buffer[0..<count])
        }
    }

    private static func errorString(_ handle: OpaquePointer) -> String {
        guard let message = archive_error_string(handle) else { return "unknown libarchive error" }
        return String(cString: message)
    }
}
