// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Pharos",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "DICOM", targets: ["DICOM"]),
    ],
    dependencies: [],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "DICOM",
            dependencies: ["CZlib"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(name: "DICOMBench", dependencies: ["DICOM"], swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(
            name: "DICOMTests",
            dependencies: ["DICOM"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
