import Foundation
import ShuffleEngine

/// Turns an input file into the network's input tensor.
///
/// The format is recognised from the file's first bytes: PNG, JPEG and binary PPM (P6) images
/// are decoded and preprocessed; a `.npy` array is taken as it is (already preprocessed), and
/// must be `[1, 3, H, W]` or `[3, H, W]` float data. Whether its size suits the network is left
/// to the model.
public enum InputLoader {
    /// Loads the file at `url`. For images the result is `[1, 3, size, size]`.
    public static func load(
        url: URL, preprocessing: Preprocessing, size: Int, resizeShortSide: Int? = nil
    ) throws(InputError) -> Tensor {
        let bytes: [UInt8]
        do {
            bytes = try FileReader.bytes(at: url)
        } catch {
            throw .fileSystem(error)
        }
        return try load(
            bytes: bytes, file: url.path, preprocessing: preprocessing, size: size, resizeShortSide: resizeShortSide)
    }

    /// Loads an input file held in memory; `file` names it in errors.
    /// `resizeShortSide` (default: `Preprocessing.resizeShortSide(forCrop:)`) is the short side
    /// images are resized to before the crop.
    public static func load(
        bytes: [UInt8], file: String, preprocessing: Preprocessing, size: Int, resizeShortSide: Int? = nil
    ) throws(InputError) -> Tensor {
        if InputFormat.detect(bytes) == .npy {
            return try arrayTensor(bytes, file: file)
        }
        let image = try ImageDecoder.decode(bytes, file: file)
        return try preprocess(
            image, file: file, preprocessing: preprocessing, size: size, resizeShortSide: resizeShortSide)
    }

    /// The bundled default photo (see `BundledAssets.defaultImage`), preprocessed.
    public static func loadDefault(
        preprocessing: Preprocessing, size: Int, resizeShortSide: Int? = nil
    ) throws(InputError) -> Tensor {
        let asset = BundledAssets.defaultImage
        return try load(
            bytes: asset.bytes, file: asset.name, preprocessing: preprocessing, size: size,
            resizeShortSide: resizeShortSide)
    }

    /// Decodes an image file (PNG, JPEG or PPM) without preprocessing, e.g. to display it.
    public static func loadImage(url: URL) throws(InputError) -> RGBImage {
        let bytes: [UInt8]
        do {
            bytes = try FileReader.bytes(at: url)
        } catch {
            throw .fileSystem(error)
        }
        return try ImageDecoder.decode(bytes, file: url.path)
    }

    static func preprocess(
        _ image: RGBImage, file: String, preprocessing: Preprocessing, size: Int, resizeShortSide: Int? = nil
    ) throws(InputError) -> Tensor {
        do {
            return try preprocessing.apply(to: image, cropSize: size, resizeShortSide: resizeShortSide)
        } catch {
            switch error {
            case .emptyImage(let width, let height):
                throw .emptyImage(file: file, width: width, height: height)
            case .invalidSize(let cropSize, _):
                throw .invalidCropSize(cropSize)
            case .cropTooLarge(let cropSize, let maximum):
                throw .cropSizeTooLarge(cropSize, maximum: maximum)
            }
        }
    }

    static func arrayTensor(_ bytes: [UInt8], file: String) throws(InputError) -> Tensor {
        let array: NpyArray
        do {
            array = try Npy.decode(bytes, file: file)
        } catch {
            throw .npy(error)
        }
        let dims = array.shape
        let isImage = (dims.count == 4 && dims[0] == 1 && dims[1] == 3) || (dims.count == 3 && dims[0] == 3)
        guard isImage, let width = dims.last, width > 0, dims[dims.count - 2] > 0 else {
            throw .unsupportedArrayShape(file: file, shape: dims)
        }
        let tensor: Tensor
        do {
            tensor = try Npy.tensor(from: array, file: file)
        } catch {
            throw .npy(error)
        }
        if let value = tensor.firstNonFinite() { throw .nonFiniteInput(file: file, value: value) }
        return tensor
    }
}
