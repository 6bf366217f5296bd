import Foundation
import Testing

@testable import ShuffleModel

/// Files made to attack or confuse the reader: refused with one clear error, nothing executed.
@Suite struct PyTorchHostileTests {
    static func error(_ data: Data, _ name: String = "hostile.pth") -> WeightsError? {
        CheckpointLoadingTests.weightsError { _ = try TensorArchives.open(bytes: data, path: name) }
    }

    @Test func handMadeContainersAreReadable() throws {
        // The builders below are right, so the refusals in the other tests are about what they test.
        let values: [Float] = [1, 2, 3, 4]
        for data in [
            ContainerBytes.legacy(
                object: PickleBytes.validStateDict, storages: [("0", 4, ContainerBytes.floats(values))]),
            ContainerBytes.torchZip(pickle: PickleBytes.validStateDict, storages: [("0", ContainerBytes.floats(values))]),
        ] {
            let archive = try TensorArchives.open(bytes: data, path: "valid.pth")
            #expect(try archive.floats("w") == ParameterTensor(shape: [2, 2], values: values))
        }
        // A transposed view through strides.
        let transposed = PickleBytes.stateDict([("w", PickleBytes.tensor(key: "0", storageCount: 4, size: [2, 2], stride: [1, 2]))])
        let archive = try TensorArchives.open(
            bytes: ContainerBytes.torchZip(pickle: transposed, storages: [("0", ContainerBytes.floats(values))]), path: "t.pth")
        #expect(try archive.floats("w").values == [1, 3, 2, 4])
    }

    @Test func osSystemIsRefusedByNameAndNeverRuns() throws {
        let directory = try ModelScratchDirectory()
        let marker = directory.url.appendingPathComponent("pwned")
        let command = "touch '\(marker.path)'"
        let files: [(String, Data)] = [
            ("legacy.pth", ContainerBytes.legacy(object: PickleBytes.system(command))),
            ("zip.pth", ContainerBytes.torchZip(pickle: PickleBytes.system(command))),
            ("posix.pth", ContainerBytes.torchZip(pickle: PickleBytes.system(command, module: "posix"))),
        ]
        for (name, data) in files {
            let url = try directory.file(name, data)
            let error = CheckpointLoadingTests.weightsError { _ = try ShuffleNetModel.load(weights: url) }
            let module = name == "posix.pth" ? "posix" : "os"
            #expect(error == .forbiddenGlobal(file: url.path, name: "\(module).system"), "\(name)")
            #expect(error?.description.contains("'\(module).system'") == true)
            #expect(error?.description.contains("\n") == false)
        }
        #expect(!FileManager.default.fileExists(atPath: marker.path), "the command never ran")
    }

    @Test func otherGlobalsAreRefusedWhereverTheyAppear() throws {
        // After a valid entry, inside a wrapper, through STACK_GLOBAL (protocol 4), and a pickled nn.Module.
        let eval = PickleBytes.global("builtins", "eval") + PickleBytes.unicode("1+1") + [0x85, 0x52]
        let nested = PickleBytes.stateDict([
            ("w", PickleBytes.tensor(key: "0", storageCount: 4, size: [4], stride: [1])), ("bad", eval),
        ])
        #expect(Self.error(ContainerBytes.torchZip(pickle: nested)) == .forbiddenGlobal(file: "hostile.pth", name: "builtins.eval"))
        let stackGlobal: [UInt8] =
            [0x80, 0x04] + [0x8C, 10] + Array("subprocess".utf8) + [0x8C, 5] + Array("Popen".utf8) + [0x93, 0x2E]
        #expect(Self.error(ContainerBytes.torchZip(pickle: stackGlobal)) == .forbiddenGlobal(file: "hostile.pth", name: "subprocess.Popen"))
        let module = [0x80, 0x02] + PickleBytes.global("__main__", "ShuffleNetV1") + [0x29, 0x81, 0x2E]
        #expect(Self.error(ContainerBytes.legacy(object: module)) == .forbiddenGlobal(file: "hostile.pth", name: "__main__.ShuffleNetV1"))
        // Allowed names that are not functions cannot be called either.
        let callDtype = [0x80, 0x02] + PickleBytes.global("torch", "float32") + [0x29, 0x52, 0x2E]
        guard case .malformedPickle(_, _, let reason)? = Self.error(ContainerBytes.torchZip(pickle: callDtype)) else {
            Issue.record("calling a dtype was not refused")
            return
        }
        #expect(reason.contains("torch.float"))
    }

    @Test func opcodesThatCallArbitraryObjectsAreRefused() {
        // INST 'os system' with a MARK: the protocol-0 way of calling a class.
        let inst: [UInt8] = [0x80, 0x02, 0x28] + PickleBytes.unicode("x") + [0x69] + Array("os\nsystem\n".utf8) + [0x2E]
        guard case .malformedPickle(_, let offset, let reason)? = Self.error(ContainerBytes.torchZip(pickle: inst)) else {
            Issue.record("INST was not refused")
            return
        }
        #expect(offset == 9 && reason.contains("0x69"))
    }

    @Test func nestingAndMemoAreBounded() {
        let marks = [0x80, 0x02] + [UInt8](repeating: 0x28, count: 5000) + [0x2E]
        let deep = [0x80, 0x02, 0x4E] + [UInt8](repeating: 0x85, count: 200_000) + [0x2E]  // ((((None,),),)...)
        let memo: [UInt8] = [0x80, 0x02, 0x68, 7, 0x2E]
        for (pickle, expected) in [(marks, "MARK"), (deep, "nest more than"), (memo, "memo entry 7")] {
            guard case .malformedPickle(_, _, let reason)? = Self.error(ContainerBytes.torchZip(pickle: pickle)) else {
                Issue.record("not refused: \(expected)")
                continue
            }
            #expect(reason.contains(expected), "\(reason)")
        }
    }

    @Test func lyingSizesAreRefusedBeforeAllocating() throws {
        // A tensor larger than its storage; a string longer than the file; a storage count of 2^62.
        let tooBig = PickleBytes.stateDict([("w", PickleBytes.tensor(key: "0", storageCount: 4, size: [1_000_000], stride: [1]))])
        guard case .malformedPickle(_, _, let reason)? = Self.error(ContainerBytes.torchZip(pickle: tooBig)) else {
            Issue.record("oversized tensor accepted")
            return
        }
        #expect(reason.contains("reaches element 999999 of a storage of 4"))
        // Zero strides repeat a storage: a billion elements from 4 floats are refused, a small expand is read.
        let broadcast = PickleBytes.stateDict([("w", PickleBytes.tensor(key: "0", storageCount: 4, size: [1_000_000_000], stride: [0]))])
        guard case .malformedPickle(_, _, let broadcastReason)? = Self.error(ContainerBytes.torchZip(pickle: broadcast)) else {
            Issue.record("a billion-element broadcast accepted")
            return
        }
        #expect(broadcastReason.contains("has 1000000000 elements"))
        let expanded = PickleBytes.stateDict([("w", PickleBytes.tensor(key: "0", storageCount: 4, offset: 1, size: [3, 2], stride: [0, 1]))])
        let archive = try TensorArchives.open(
            bytes: ContainerBytes.torchZip(pickle: expanded, storages: [("0", ContainerBytes.floats([1, 2, 3, 4]))]), path: "e.pth")
        #expect(try archive.floats("w").values == [2, 3, 2, 3, 2, 3])
        let outside = PickleBytes.stateDict([("w", PickleBytes.tensor(key: "0", storageCount: 4, offset: 2, size: [2, 2], stride: [1, 1]))])
        guard case .malformedPickle(_, _, let outsideReason)? = Self.error(ContainerBytes.torchZip(pickle: outside)) else {
            Issue.record("a view past its storage accepted")
            return
        }
        #expect(outsideReason.contains("reaches element 4 of a storage of 4"))
        let longString: [UInt8] = [0x80, 0x02, 0x58, 0xFF, 0xFF, 0xFF, 0x7F, 0x61, 0x2E]
        guard case .malformedPickle(_, _, let stringReason)? = Self.error(ContainerBytes.torchZip(pickle: longString)) else {
            Issue.record("long string accepted")
            return
        }
        #expect(stringReason.contains("only"))
        let lying = ContainerBytes.legacy(
            object: PickleBytes.validStateDict, storages: [("0", 1 << 62, ContainerBytes.floats([1, 2, 3, 4]))])
        guard case .malformedArchive(_, let archiveReason)? = Self.error(lying) else {
            Issue.record("lying storage count accepted")
            return
        }
        #expect(archiveReason.contains("holds 4611686018427387904 elements"))
        // A zip entry smaller than the storage its tensors declare.
        let short = ContainerBytes.torchZip(pickle: PickleBytes.validStateDict, storages: [("0", ContainerBytes.floats([1, 2]))])
        guard case .malformedTensor(_, "w", _)? = Self.error(short) else {
            Issue.record("short storage accepted")
            return
        }
    }

    @Test func damagedZipEntriesFailTheirChecksum() throws {
        var data = [UInt8](ContainerBytes.torchZip(pickle: PickleBytes.validStateDict, storages: [("0", ContainerBytes.floats([1, 2, 3, 4]))]))
        let storageName = Array("archive/data/0".utf8)
        let start = try #require(Self.find(storageName, in: data)) + storageName.count
        data[start + 2] ^= 0x10
        let archive = try TensorArchives.open(bytes: Data(data), path: "crc.pth")  // the directory is fine
        let error = CheckpointLoadingTests.weightsError { _ = try archive.floats("w") }
        guard case .malformedArchive(_, let reason)? = error else {
            Issue.record("damaged storage read without error: \(String(describing: error))")
            return
        }
        #expect(reason.contains("CRC-32"))
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }
}
