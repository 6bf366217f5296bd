/// The Python globals a checkpoint may name, and nothing else: the allow-list of the restricted
/// unpickler, in the spirit of `torch.load(weights_only=True)`.
///
/// A global is only ever *looked up* here; "calling" one (REDUCE) builds a plain description
/// (a `TensorReference`, an empty dict, a tuple) and no code runs. Any name not listed, such as
/// `os.system` or `builtins.eval`, is refused the moment the pickle names it.
enum TorchGlobal: Equatable {
    /// `torch._utils._rebuild_tensor(storage, offset, size, stride)` (PyTorch 0.4 and older).
    case rebuildTensor
    /// `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])`.
    case rebuildTensorV2
    /// `torch._utils._rebuild_tensor_v3(untyped storage, offset, size, stride, requires_grad, hooks, dtype[, metadata])`.
    case rebuildTensorV3
    /// `torch._utils._rebuild_parameter(tensor, requires_grad, hooks)`, also `..._with_state`.
    case rebuildParameter
    /// `torch._tensor._rebuild_from_type_v2(function, type, arguments, state)`.
    case rebuildFromType
    /// A storage class: typed (`torch.FloatStorage` ...) with its element type, or
    /// `torch.storage.UntypedStorage` (bytes, `nil`).
    case storageType(SafeTensorsDType?)
    /// `torch.float32` ...
    case dtype(SafeTensorsDType)
    case orderedDict
    /// `torch.Tensor` or `torch.nn.parameter.Parameter`, passed as a type argument.
    case tensorType
    case size
    case device
    /// `_codecs.encode(text, "latin1")`: how protocol 2 pickles bytes.
    case encode
    case set
    case frozenset
    case bytearray

    /// The qualified name, as a pickle spells it.
    var name: String {
        Self.table.filter { $0.value == self }.keys.sorted().first ?? "allowed global"
    }

    /// Looks up `module.name`; nil for anything not on the list.
    init?(module: String, name: String) {
        let qualified = "\(module).\(name)"
        guard let global = Self.table[qualified] else { return nil }
        self = global
    }

    private static let storageTypes: [String: SafeTensorsDType] = [
        "FloatStorage": .f32, "HalfStorage": .f16, "BFloat16Storage": .bf16, "DoubleStorage": .f64,
        "LongStorage": .i64, "IntStorage": .i32, "ShortStorage": .i16, "CharStorage": .i8, "ByteStorage": .u8,
        "BoolStorage": .bool,
    ]

    private static let dtypes: [String: SafeTensorsDType] = [
        "float32": .f32, "float": .f32, "float16": .f16, "half": .f16, "bfloat16": .bf16, "float64": .f64,
        "double": .f64, "int64": .i64, "long": .i64, "int32": .i32, "int": .i32, "int16": .i16, "short": .i16,
        "int8": .i8, "uint8": .u8, "bool": .bool,
    ]

    static let table: [String: TorchGlobal] = {
        var table: [String: TorchGlobal] = [
            "torch._utils._rebuild_tensor": .rebuildTensor,
            "torch._utils._rebuild_tensor_v2": .rebuildTensorV2,
            "torch._utils._rebuild_tensor_v3": .rebuildTensorV3,
            "torch._utils._rebuild_parameter": .rebuildParameter,
            "torch._utils._rebuild_parameter_with_state": .rebuildParameter,
            "torch._tensor._rebuild_from_type_v2": .rebuildFromType,
            "torch.storage.UntypedStorage": .storageType(nil),
            "torch.UntypedStorage": .storageType(nil),
            "collections.OrderedDict": .orderedDict,
            "torch.Tensor": .tensorType,
            "torch.nn.parameter.Parameter": .tensorType,
            "torch.Size": .size,
            "torch.device": .device,
            "_codecs.encode": .encode,
            "builtins.set": .set,
            "__builtin__.set": .set,
            "builtins.frozenset": .frozenset,
            "__builtin__.frozenset": .frozenset,
            "builtins.bytearray": .bytearray,
            "__builtin__.bytearray": .bytearray,
        ]
        for (name, dtype) in storageTypes { table["torch.\(name)"] = .storageType(dtype) }
        for (name, dtype) in dtypes { table["torch.\(name)"] = .dtype(dtype) }
        return table
    }()
}
