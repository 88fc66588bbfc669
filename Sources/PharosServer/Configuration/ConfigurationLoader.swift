import Foundation

/// Reads Orthanc-format configuration: one JSON file (comments allowed) or a folder whose `.json` files are merged.
public enum ConfigurationLoader {
    /// Loads `path` (a file or a folder); nil loads nothing and gives the defaults.
    public static func load(path: String?) throws(ConfigurationError) -> [String: ConfigurationValue] {
        guard let path else { return [:] }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigurationError("Configuration file or folder not found: \(path)")
        }
        if !isDirectory.boolValue { return try loadFile(path) }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw ConfigurationError("Cannot list the configuration folder \(path): \(error.localizedDescription)")
        }
        var merged: [String: ConfigurationValue] = [:]
        for name in names {
            let file = (path as NSString).appendingPathComponent(name)
            for (key, value) in try loadFile(file) {
                if merged[key] != nil {
                    throw ConfigurationError("The configuration key \"\(key)\" is defined in several files of \(path) (again in \(name))")
                }
                merged[key] = value
            }
        }
        return merged
    }

    /// Parses one file.
    public static func loadFile(_ file: String) throws(ConfigurationError) -> [String: ConfigurationValue] {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ConfigurationError("Cannot read the configuration file \(file)")
        }
        return try parse(Array(data), source: file)
    }

    /// Parses JSON text with `//` and `/* */` comments, as Orthanc's configuration files have.
    public static func parse(_ bytes: [UInt8], source: String) throws(ConfigurationError) -> [String: ConfigurationValue] {
        let stripped = stripComments(bytes)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(stripped), options: [.fragmentsAllowed])
        } catch {
            throw ConfigurationError("The configuration file \(source) is not valid JSON: \(error.localizedDescription)")
        }
        guard let dictionary = object as? [String: Any] else {
            throw ConfigurationError("The configuration file \(source) must hold a JSON object")
        }
        return dictionary.mapValues { ConfigurationValue($0, source: source) }
    }

    /// Removes comments outside strings; keeps line breaks so JSON error positions still mean something.
    static func stripComments(_ input: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = 0
        var inString = false
        while i < input.count {
            let c = input[i]
            if inString {
                out.append(c)
                if c == UInt8(ascii: "\\"), i + 1 < input.count { out.append(input[i + 1]); i += 2; continue }
                if c == UInt8(ascii: "\"") { inString = false }
                i += 1
            } else if c == UInt8(ascii: "\"") {
                inString = true
                out.append(c)
                i += 1
            } else if c == UInt8(ascii: "/"), i + 1 < input.count, input[i + 1] == UInt8(ascii: "/") {
                while i < input.count, input[i] != UInt8(ascii: "\n") { i += 1 }
            } else if c == UInt8(ascii: "/"), i + 1 < input.count, input[i + 1] == UInt8(ascii: "*") {
                i += 2
                while i + 1 < input.count, !(input[i] == UInt8(ascii: "*") && input[i + 1] == UInt8(ascii: "/")) {
                    if input[i] == UInt8(ascii: "\n") { out.append(input[i]) }
                    i += 1
                }
                i += 2
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }
}

/// One configuration value with the file it came from, so type errors can name it.
public struct ConfigurationValue: @unchecked Sendable {
    // Holds only JSONSerialization's immutable value types (NSNumber, String, Array, Dictionary, NSNull).
    public let raw: Any
    public let source: String

    init(_ raw: Any, source: String) {
        self.raw = raw
        self.source = source
    }
}
