import ShuffleKernelCore

// This file and every other in this folder are compiled three times, as ShuffleKernelsPortable,
// ShuffleKernelsAVX2 and ShuffleKernelsAVX512 (whose folders hold links to these files), each
// with its own target flags and defines (Package.swift). Nothing here may be `@inlinable`:
// the code has to stay in the module whose flags it was compiled with.

/// The kernels of this module's instruction set.
public enum TargetKernels: KernelSet {
    public static var name: String {
        #if SHUFFLE_KERNELS_AVX512
        return "avx512"
        #elseif SHUFFLE_FUSED_MULTIPLY_ADD
        return "avx2"
        #else
        return "portable"
        #endif
    }

    public static var wideTiles: Bool {
        #if SHUFFLE_KERNELS_AVX512
        return true
        #else
        return false
        #endif
    }

    @inline(never)
    public static func multiply(_ product: MatrixMultiply, wideTiles: Bool) {
        product.run(wideTiles: wideTiles)
    }

    @inline(never)
    public static func depthwise3x3(_ plane: DepthwiseRows, stride: Int) {
        if stride == 1 { plane.runStrideOne() } else { plane.runStrideTwo() }
    }

    @inline(never)
    public static func depthwiseBlock(_ block: DepthwiseBlock) {
        block.run()
    }

    @inline(never)
    public static func depthwise(_ plane: DepthwisePlane, kernelSize: Int) {
        plane.run(kernelSize: kernelSize)
    }

    @inline(never)
    public static func poolBlock(_ block: PoolBlock) {
        block.run()
    }

    @inline(never)
    public static func pool(_ plane: PoolPlane, average: Bool, rows: Range<Int>?) {
        plane.run(average: average, rows: rows)
    }

    @inline(never)
    public static func stem(_ convolution: StemConvolution, rows: Range<Int>) {
        convolution.run(rows: rows)
    }

    @inline(never)
    public static func linear(_ layer: LinearRows, rows: Range<Int>) {
        layer.run(rows)
    }
}
