import Foundation

/// What the import found at one place: a file to upload, a file ignored as not DICOM, or one that failed.
enum ImportItem: Sendable {
    case upload(name: String, data: Data)
    case ignored(name: String)
    case failed(name: String, reason: String)
}

/// Walks the command-line paths (files, folders recursively, archives) and hands out one item at a time,
/// so that at most the files being uploaded are held in memory.
final class ImportSource {
    /// Plain files counted before the upload starts (nil when archives make the total unknown).
    let knownTotal: Int?
    private var pending: [String]
    private var archive: ArchiveReader?

    /// Lists the files under `paths`; throws when a path does not exist.
    init(paths: [String]) throws(ImportError) {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ImportError("\(path): no such file or folder")
            }
            if isDirectory.boolValue {
                files += ImportSource.regularFiles(under: path)
            } else {
                files.append(path)
            }
        }
        pending = files.reversed()
        knownTotal = files.contains(where: DICOMSniffer.hasArchiveExtension) ? nil : files.count
    }

    /// The next item, or nil when every path has been read.
    func next() -> ImportItem? {
        while true {
            if let reader = archive {
                if let entry = reader.next() { return item(for: entry) }
                archive = nil
            }
            guard let path = pending.popLast() else { return nil }
            if let item = open(path) { return item }
        }
    }

    private func item(for entry: ArchiveReader.Entry) -> ImportItem {
        switch entry {
        case .refused(let path, let reason):
            return .failed(name: path, reason: reason)
        case .file(let path, let data):
            if DICOMSniffer.ignoredExtensions.contains(DICOMSniffer.fileExtension(path))
                || !DICOMSniffer.looksLikeDICOM(Array(data.prefix(DICOMSniffer.prefixLength))) {
                return .ignored(name: path)
            }
            return .upload(name: path, data: data)
        }
    }

    /// A plain file becomes an item; an archive becomes the current reader (nil is returned and the loop goes on).
    private func open(_ path: String) -> ImportItem? {
        if DICOMSniffer.ignoredExtensions.contains(DICOMSniffer.fileExtension(path)) { return .ignored(name: path) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failed(name: path, reason: "cannot open (permissions?)")
        }
        defer { try? handle.close() }
        do {
            let prefix = [UInt8](try handle.read(upToCount: DICOMSniffer.prefixLength) ?? Data())
            if DICOMSniffer.looksLikeDICOM(prefix) {
                let rest = try handle.readToEnd() ?? Data()
                return .upload(name: path, data: Data(prefix) + rest)
            }
            if DICOMSniffer.hasArchiveExtension(path) || DICOMSniffer.looksLikeArchive(prefix) {
                do {
                    archive = try ArchiveReader(path: path)
                    return nil
                } catch {
                    return .failed(name: path, reason: "\(error)")
                }
            }
            return .ignored(name: path)
        } catch {
            return .failed(name: path, reason: "cannot read: \(error.localizedDescription)")
        }
    }

    /// Every regular file below `folder`, sorted so that runs are repeatable; hidden files are included.
    private static func regularFiles(under folder: String) -> [String] {
        let root = URL(fileURLWithPath: folder)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        var files: [String] = []
        for case let url as URL in walker {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                files.append(url.path)
            }
        }
        return files.sorted()
    }
}
