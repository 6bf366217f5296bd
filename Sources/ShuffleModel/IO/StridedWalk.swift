/// The flat positions a strided view visits, in row-major order: element `(i0, i1, …)` of a
/// view of `shape` with `strides` lies at `offset + Σ i_k · strides[k]`. A PyTorch tensor's
/// storage view and an ONNX index map's transposes and slices are both walked this way.
enum StridedWalk {
    static func positions(shape: [Int], strides: [Int], offset: Int) -> [Int] {
        let count = shape.reduce(1, *)
        guard count > 0 else { return [] }
        var result = [Int](repeating: 0, count: count)
        var counter = [Int](repeating: 0, count: shape.count)
        var position = offset
        for element in 0..<count {
            result[element] = position
            var axis = shape.count - 1
            while axis >= 0 {
                counter[axis] += 1
                position += strides[axis]
                if counter[axis] < shape[axis] { break }
                position -= strides[axis] * shape[axis]
                counter[axis] = 0
                axis -= 1
            }
        }
        return result
    }
}
