#!/usr/bin/env python3
"""Writes the safetensors test vectors that core's interop test reads with the Java reader.

Run from anywhere:  python3 core/src/test/python/make_vectors.py
Needs: pip install safetensors numpy.  The outputs are small and committed under
core/src/test/resources/safetensors/, together with expected.json (the values the
Java test compares against).
"""
import json
import pathlib

import numpy as np
import safetensors
from safetensors.numpy import save_file

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "safetensors"

METADATA = {
    "pbtnas.genome": json.dumps({"cell0": "conv3x3", "cell1": "skip"}),
    "pbtnas.epoch": "3",
    "pbtnas.init": json.dumps({"cell0.conv.weight": "normal(0,0.05)", "cell0.conv.bias": "constant(0)"}),
}


def bf16_bits(values):
    """bfloat16 bit patterns of values that are exact in bfloat16 (upper half of the float32 bits)."""
    bits = np.asarray(values, dtype="<f4").view("<u4")
    assert np.all(bits & 0xFFFF == 0), "choose values exact in bfloat16"
    return (bits >> 16).astype("<u2")


def serialize_raw(tensors, metadata):
    """The library's own serializer for raw buffers (needed for BF16, which numpy lacks)."""
    if hasattr(safetensors, "TensorSpec"):
        specs = {
            name: safetensors.TensorSpec(dtype=dtype, shape=list(arr.shape) if shape is None else shape,
                                         data_ptr=arr.ctypes.data, data_len=arr.nbytes)
            for name, (dtype, arr, shape) in tensors.items()
        }
    else:  # older safetensors releases take plain dicts with bytes
        specs = {
            name: {"dtype": dtype, "shape": list(arr.shape) if shape is None else shape, "data": arr.tobytes()}
            for name, (dtype, arr, shape) in tensors.items()
        }
    return bytes(safetensors.serialize(specs, metadata=metadata))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    expected = {}

    # 1. Every dtype pbtnas supports, with metadata, via the library's raw serializer.
    f64 = np.array([[1.5, -2.25], [1e300, -0.0]], dtype="<f8")
    f32 = (np.arange(12, dtype="<f4").reshape(2, 3, 2) - 5.5) / 4
    f16 = np.array([0.5, -1.0, 65504.0, 6.103515625e-05, 5.960464477539063e-08], dtype="<f2")
    bf16_vals = [1.0, -2.0, 0.15625, 1.5, -0.0078125]
    bf16 = bf16_bits(bf16_vals)
    i64 = np.array([0, -1, 2**62, -(2**63)], dtype="<i8")
    i32 = np.array([[7, -7], [2**31 - 1, -(2**31)]], dtype="<i4")
    u8 = np.array([0, 1, 127, 255], dtype="u1")
    raw = {
        "cell0.conv.weight": ("float32", f32, None),
        "cell0.conv.bias": ("float64", f64, None),
        "cell1.norm.weight": ("float16", f16, None),
        "head.weight": ("bfloat16", bf16, None),
        "optimizer/step/cell0.conv.weight": ("int64", i64, None),
        "stats.counts": ("int32", i32, None),
        "stats.mask": ("uint8", u8, None),
    }
    (OUT / "all_dtypes.safetensors").write_bytes(serialize_raw(raw, METADATA))
    expected["all_dtypes.safetensors"] = {
        "metadata": METADATA,
        "tensors": {
            "cell0.conv.weight": {"dtype": "F32", "shape": list(f32.shape), "values": f32.ravel().tolist()},
            "cell0.conv.bias": {"dtype": "F64", "shape": list(f64.shape), "values": f64.ravel().tolist()},
            "cell1.norm.weight": {"dtype": "F16", "shape": list(f16.shape),
                                  "values": f16.astype("f8").ravel().tolist()},
            "head.weight": {"dtype": "BF16", "shape": [len(bf16_vals)], "values": bf16_vals},
            "optimizer/step/cell0.conv.weight": {"dtype": "I64", "shape": list(i64.shape),
                                                 "values": [int(v) for v in i64]},
            "stats.counts": {"dtype": "I32", "shape": list(i32.shape), "values": i32.ravel().tolist()},
            "stats.mask": {"dtype": "U8", "shape": list(u8.shape), "values": u8.tolist()},
        },
    }

    # 2. The everyday path: numpy arrays through safetensors.numpy.save_file, with a scalar and an empty tensor.
    scalar = np.array(2.5, dtype="<f4")
    empty = np.zeros((0, 3), dtype="<f4")
    big = np.linspace(-1, 1, 1000, dtype="<f4").reshape(10, 100)
    save_file({"scalar": scalar, "empty": empty, "layer.weight": big}, str(OUT / "numpy_saved.safetensors"),
              metadata={"note": "written by safetensors.numpy.save_file"})
    expected["numpy_saved.safetensors"] = {
        "metadata": {"note": "written by safetensors.numpy.save_file"},
        "tensors": {
            "scalar": {"dtype": "F32", "shape": [], "values": [2.5]},
            "empty": {"dtype": "F32", "shape": [0, 3], "values": []},
            "layer.weight": {"dtype": "F32", "shape": [10, 100], "values": big.ravel().tolist()},
        },
    }

    (OUT / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    print("wrote", ", ".join(sorted(expected)), "and expected.json to", OUT)


if __name__ == "__main__":
    main()
