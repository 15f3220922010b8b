#!/usr/bin/env python3
"""Reads a safetensors file with the standard library and prints what it found as JSON.

Used by core's interop test:  python3 check_written.py FILE
Output: {"metadata": {...}, "tensors": {name: {"dtype", "shape", "sha256", "values"?}}}
("values" for the dtypes numpy can load; BF16 is checked through its bytes).
Exit 3 with a pip hint when the library is missing.
"""
import hashlib
import json
import sys

try:
    import numpy  # noqa: F401
    from safetensors import deserialize, safe_open
except ImportError as e:
    print(f"missing Python library ({e}); run: pip install safetensors numpy", file=sys.stderr)
    sys.exit(3)


def main(path):
    out = {"tensors": {}}
    with safe_open(path, framework="numpy") as f:
        out["metadata"] = f.metadata() or {}
        numpy_ok = {}
        for name in f.keys():
            if f.get_slice(name).get_dtype() != "BF16":
                numpy_ok[name] = f.get_tensor(name)
    with open(path, "rb") as fh:
        for name, t in deserialize(fh.read()):
            entry = {"dtype": t["dtype"], "shape": list(t["shape"]), "sha256": hashlib.sha256(bytes(t["data"])).hexdigest()}
            if name in numpy_ok:
                entry["values"] = numpy_ok[name].astype("float64" if numpy_ok[name].dtype.kind == "f" else "int64").ravel().tolist()
            out["tensors"][name] = entry
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
