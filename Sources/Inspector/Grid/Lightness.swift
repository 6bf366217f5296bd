import Foundation

/// CIE L*a*b* coordinates (D65 white) of sRGB colours, for designing palette ramps that keep the
/// order of lightness a smooth colour map has.
///
/// sRGB channel c ∈ 0…1 → linear `c/12.92` (c ≤ 0.04045) or `((c+0.055)/1.055)^2.4`;
/// XYZ = M·rgb with the sRGB matrix; `L* = 116·f(Y) − 16`, `a* = 500·(f(X/Xn) − f(Y))`,
/// `b* = 200·(f(Y) − f(Z/Zn))`, `f(t) = t^(1/3)` above (6/29)³, else linear.
public struct LabColor: Hashable, Sendable {
    public var lightness: Double
    public var a: Double
    public var b: Double

    public init(_ rgb: ColorQuantization.RGB) {
        func linear(_ value: UInt8) -> Double {
            let c = Double(value) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        let (r, g, b) = (linear(rgb.red), linear(rgb.green), linear(rgb.blue))
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
        func f(_ t: Double) -> Double {
            let delta = 6.0 / 29
            return t > delta * delta * delta ? cbrt(t) : t / (3 * delta * delta) + 4.0 / 29
        }
        lightness = 116 * f(y) - 16
        a = 500 * (f(x) - f(y))
        self.b = 200 * (f(y) - f(z))
    }

    /// L* of a terminal colour (0 for the terminal's default, whose colour is unknown).
    public static func lightness(of color: TerminalColor) -> Double {
        guard case .rgb(let r, let g, let b) = color else { return 0 }
        return LabColor(ColorQuantization.RGB(red: r, green: g, blue: b)).lightness
    }

    /// Squared distance with lightness weighted `lightnessWeight` times: a ramp that must keep
    /// the order of lightness cares about L* first, hue second.
    func distance(to other: LabColor, lightnessWeight: Double) -> Double {
        let dl = lightness - other.lightness, da = a - other.a, db = b - other.b
        return lightnessWeight * dl * dl + da * da + db * db
    }
}
