"""Writes the small .npy fixtures the Npy tests read, using numpy's own writer.

Run from the repository root (only needed if the fixtures must be recreated):
    pip install numpy
    python3 Tests/ModelTests/Data/make_npy_fixtures.py

Every array holds values the tests can state by hand (ramps, powers of two, special floats).
"""
import os

import numpy as np
from numpy.lib import format as npformat

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "npy")


def save(name, array, version=None):
    with open(os.path.join(HERE, name), "wb") as f:
        if version is None:
            np.save(f, array, allow_pickle=False)
        else:
            npformat.write_array(f, array, version=version, allow_pickle=False)


def main():
    os.makedirs(HERE, exist_ok=True)
    # 0.5 * i - 1 for i = 0..11, shape [1, 3, 2, 2]
    ramp = (np.arange(12, dtype="<f4") * 0.5 - 1).reshape(1, 3, 2, 2)
    save("ramp_v1.npy", ramp)
    save("ramp_v2.npy", ramp, version=(2, 0))
    save("ramp_v3.npy", ramp, version=(3, 0))
    save("ramp_chw.npy", ramp[0])
    save("ramp_f8.npy", ramp.astype("<f8"))
    # float16 specials: 1, -2, 65504 (max), 2^-24 (smallest subnormal), -0, inf
    save("halves.npy", np.array([1, -2, 65504, 2.0**-24, -0.0, np.inf], dtype="<f2"))
    save("scalar.npy", np.array(3.5, dtype="<f4"))
    save("logits_2x3.npy", np.arange(6, dtype="<f4").reshape(2, 3))
    save("vector_5.npy", np.arange(5, dtype="<f4"))
    save("fortran.npy", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
    save("big_endian.npy", np.arange(4, dtype=">f4"))
    save("int32.npy", np.arange(4, dtype="<i4"))


if __name__ == "__main__":
    main()
